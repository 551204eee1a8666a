"""Domain Monitoring commands (virsh help group 'monitor')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('domblkerror', "",
         data('domain', "", required=True))
def domblkerror(ctl, args):
    raise NotImplementedError  # TODO


@command('domblkinfo', "",
         data('domain', "", required=True),
         data('device', ""),
         flag('human', ""),
         flag('all', ""))
def domblkinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('domblklist', "",
         data('domain', "", required=True),
         flag('inactive', ""),
         flag('details', ""))
def domblklist(ctl, args):
    raise NotImplementedError  # TODO


@command('domblkstat', "",
         data('domain', "", required=True),
         data('device', ""),
         flag('human', ""))
def domblkstat(ctl, args):
    raise NotImplementedError  # TODO


@command('domcontrol', "",
         data('domain', "", required=True))
def domcontrol(ctl, args):
    raise NotImplementedError  # TODO


@command('domif-getlink', "",
         data('domain', "", required=True),
         data('interface', "", required=True),
         flag('config', ""),
         aliases=(Alias('persistent', 'config'),))
def domif_getlink(ctl, args):
    raise NotImplementedError  # TODO


@command('domifaddr', "",
         data('domain', "", required=True),
         data('interface', ""),
         flag('full', ""),
         data('source', ""))
def domifaddr(ctl, args):
    raise NotImplementedError  # TODO


@command('domiflist', "",
         data('domain', "", required=True),
         flag('inactive', ""))
def domiflist(ctl, args):
    raise NotImplementedError  # TODO


@command('domifstat', "",
         data('domain', "", required=True),
         data('interface', "", required=True))
def domifstat(ctl, args):
    raise NotImplementedError  # TODO


@command('dominfo', "",
         data('domain', "", required=True))
def dominfo(ctl, args):
    raise NotImplementedError  # TODO


@command('dommemstat', "",
         data('domain', "", required=True),
         opt('period', "", kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def dommemstat(ctl, args):
    raise NotImplementedError  # TODO


@command('domstate', "",
         data('domain', "", required=True),
         flag('reason', ""))
def domstate(ctl, args):
    raise NotImplementedError  # TODO


@command('domstats', "",
         flag('state', ""),
         flag('cpu-total', ""),
         flag('balloon', ""),
         flag('vcpu', ""),
         flag('interface', ""),
         flag('block', ""),
         flag('perf', ""),
         flag('iothread', ""),
         flag('memory', ""),
         flag('dirtyrate', ""),
         flag('vm', ""),
         flag('list-active', ""),
         flag('list-inactive', ""),
         flag('list-persistent', ""),
         flag('list-transient', ""),
         flag('list-running', ""),
         flag('list-paused', ""),
         flag('list-shutoff', ""),
         flag('list-other', ""),
         flag('raw', ""),
         flag('enforce', ""),
         flag('backing', ""),
         flag('nowait', ""),
         argv('domain', ""))
def domstats(ctl, args):
    raise NotImplementedError  # TODO


@command('domtime', "",
         data('domain', "", required=True),
         flag('now', ""),
         flag('pretty', ""),
         flag('sync', ""),
         data('time', "", kind=NUMBER))
def domtime(ctl, args):
    raise NotImplementedError  # TODO


@command('list', "",
         flag('inactive', ""),
         flag('all', ""),
         flag('transient', ""),
         flag('persistent', ""),
         flag('with-snapshot', ""),
         flag('without-snapshot', ""),
         flag('with-checkpoint', ""),
         flag('without-checkpoint', ""),
         flag('state-running', ""),
         flag('state-paused', ""),
         flag('state-shutoff', ""),
         flag('state-other', ""),
         flag('autostart', ""),
         flag('no-autostart', ""),
         flag('with-managed-save', ""),
         flag('without-managed-save', ""),
         flag('uuid', ""),
         flag('name', ""),
         flag('id', ""),
         flag('table', ""),
         flag('managed-save', ""),
         flag('title', ""))
def cmd_list(ctl, args):
    raise NotImplementedError  # TODO
