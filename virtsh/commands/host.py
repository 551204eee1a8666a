"""Host and Hypervisor commands (virsh help group 'host')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('allocpages', "",
         data('pagesize', "", required=True, kind=NUMBER),
         data('pagecount', "", required=True, kind=NUMBER),
         data('cellno', "", kind=NUMBER),
         flag('add', ""),
         flag('all', ""))
def allocpages(ctl, args):
    raise NotImplementedError  # TODO


@command('capabilities', "")
def capabilities(ctl, args):
    raise NotImplementedError  # TODO


@command('cpu-baseline', "",
         data('file', "", required=True),
         flag('features', ""),
         flag('migratable', ""))
def cpu_baseline(ctl, args):
    raise NotImplementedError  # TODO


@command('cpu-compare', "",
         data('file', "", required=True),
         flag('error', ""),
         flag('validate', ""))
def cpu_compare(ctl, args):
    raise NotImplementedError  # TODO


@command('cpu-models', "",
         data('arch', "", required=True))
def cpu_models(ctl, args):
    raise NotImplementedError  # TODO


@command('domcapabilities', "",
         data('virttype', ""),
         data('emulatorbin', ""),
         data('arch', ""),
         data('machine', ""))
def domcapabilities(ctl, args):
    raise NotImplementedError  # TODO


@command('freecell', "",
         data('cellno', "", kind=NUMBER),
         flag('all', ""))
def freecell(ctl, args):
    raise NotImplementedError  # TODO


@command('freepages', "",
         data('cellno', "", kind=NUMBER),
         data('pagesize', "", kind=NUMBER),
         flag('all', ""))
def freepages(ctl, args):
    raise NotImplementedError  # TODO


@command('hostname', "")
def hostname(ctl, args):
    raise NotImplementedError  # TODO


@command('hypervisor-cpu-baseline', "",
         data('file', ""),
         data('virttype', ""),
         data('emulator', ""),
         data('arch', ""),
         data('machine', ""),
         flag('features', ""),
         flag('migratable', ""),
         data('model', ""))
def hypervisor_cpu_baseline(ctl, args):
    raise NotImplementedError  # TODO


@command('hypervisor-cpu-compare', "",
         data('file', "", required=True),
         data('virttype', ""),
         data('emulator', ""),
         data('arch', ""),
         data('machine', ""),
         flag('error', ""),
         flag('validate', ""))
def hypervisor_cpu_compare(ctl, args):
    raise NotImplementedError  # TODO


@command('maxvcpus', "",
         data('type', ""))
def maxvcpus(ctl, args):
    raise NotImplementedError  # TODO


@command('node-memory-tune', "",
         data('shm-pages-to-scan', "", kind=NUMBER),
         data('shm-sleep-millisecs', "", kind=NUMBER),
         data('shm-merge-across-nodes', "", kind=NUMBER))
def node_memory_tune(ctl, args):
    raise NotImplementedError  # TODO


@command('nodecpumap', "",
         flag('pretty', ""))
def nodecpumap(ctl, args):
    raise NotImplementedError  # TODO


@command('nodecpustats', "",
         data('cpu', "", kind=NUMBER),
         flag('percent', ""))
def nodecpustats(ctl, args):
    raise NotImplementedError  # TODO


@command('nodeinfo', "")
def nodeinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('nodememstats', "",
         data('cell', "", kind=NUMBER))
def nodememstats(ctl, args):
    raise NotImplementedError  # TODO


@command('nodesevinfo', "")
def nodesevinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('nodesuspend', "",
         data('target', "", required=True),
         data('duration', "", required=True, kind=NUMBER))
def nodesuspend(ctl, args):
    raise NotImplementedError  # TODO


@command('sysinfo', "")
def sysinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('uri', "")
def uri(ctl, args):
    raise NotImplementedError  # TODO


@command('version', "",
         flag('daemon', ""))
def version(ctl, args):
    raise NotImplementedError  # TODO
