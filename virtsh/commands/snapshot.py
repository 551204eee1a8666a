"""Snapshot commands (virsh help group 'snapshot')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('snapshot-create', "",
         data('domain', "", required=True),
         data('xmlfile', ""),
         flag('redefine', ""),
         flag('current', ""),
         flag('no-metadata', ""),
         flag('halt', ""),
         flag('disk-only', ""),
         flag('reuse-external', ""),
         flag('quiesce', ""),
         flag('atomic', ""),
         flag('live', ""),
         flag('validate', ""))
def snapshot_create(ctl, args):
    raise NotImplementedError  # TODO


@command('snapshot-create-as', "",
         data('domain', "", required=True),
         data('name', ""),
         data('description', ""),
         flag('print-xml', ""),
         flag('no-metadata', ""),
         flag('halt', ""),
         flag('disk-only', ""),
         flag('reuse-external', ""),
         flag('quiesce', ""),
         flag('atomic', ""),
         flag('live', ""),
         flag('validate', ""),
         opt('memspec', ""),
         argv('diskspec', ""))
def snapshot_create_as(ctl, args):
    raise NotImplementedError  # TODO


@command('snapshot-current', "",
         data('domain', "", required=True),
         flag('name', ""),
         flag('security-info', ""),
         data('snapshotname', ""))
def snapshot_current(ctl, args):
    raise NotImplementedError  # TODO


@command('snapshot-delete', "",
         data('domain', "", required=True),
         data('snapshotname', ""),
         flag('current', ""),
         flag('children', ""),
         flag('children-only', ""),
         flag('metadata', ""))
def snapshot_delete(ctl, args):
    raise NotImplementedError  # TODO


@command('snapshot-dumpxml', "",
         data('domain', "", required=True),
         data('snapshotname', "", required=True),
         flag('security-info', ""),
         opt('xpath', ""),
         flag('wrap', ""))
def snapshot_dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('snapshot-edit', "",
         data('domain', "", required=True),
         data('snapshotname', ""),
         flag('current', ""),
         flag('rename', ""),
         flag('clone', ""))
def snapshot_edit(ctl, args):
    raise NotImplementedError  # TODO


@command('snapshot-info', "",
         data('domain', "", required=True),
         data('snapshotname', ""),
         flag('current', ""))
def snapshot_info(ctl, args):
    raise NotImplementedError  # TODO


@command('snapshot-list', "",
         data('domain', "", required=True),
         flag('parent', ""),
         flag('roots', ""),
         flag('leaves', ""),
         flag('no-leaves', ""),
         flag('metadata', ""),
         flag('no-metadata', ""),
         flag('inactive', ""),
         flag('active', ""),
         flag('disk-only', ""),
         flag('internal', ""),
         flag('external', ""),
         flag('tree', ""),
         data('from', ""),
         flag('current', ""),
         flag('descendants', ""),
         flag('name', ""),
         flag('topological', ""))
def snapshot_list(ctl, args):
    raise NotImplementedError  # TODO


@command('snapshot-parent', "",
         data('domain', "", required=True),
         data('snapshotname', ""),
         flag('current', ""))
def snapshot_parent(ctl, args):
    raise NotImplementedError  # TODO


@command('snapshot-revert', "",
         data('domain', "", required=True),
         data('snapshotname', ""),
         flag('current', ""),
         flag('running', ""),
         flag('paused', ""),
         flag('force', ""),
         flag('reset-nvram', ""))
def snapshot_revert(ctl, args):
    raise NotImplementedError  # TODO
