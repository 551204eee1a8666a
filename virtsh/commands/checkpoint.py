"""Checkpoint commands (virsh help group 'checkpoint')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('checkpoint-create', "",
         data('domain', "", required=True),
         data('xmlfile', ""),
         flag('redefine', ""),
         flag('redefine-validate', ""),
         flag('quiesce', ""))
def checkpoint_create(ctl, args):
    raise NotImplementedError  # TODO


@command('checkpoint-create-as', "",
         data('domain', "", required=True),
         data('name', ""),
         data('description', ""),
         flag('print-xml', ""),
         flag('quiesce', ""),
         argv('diskspec', ""))
def checkpoint_create_as(ctl, args):
    raise NotImplementedError  # TODO


@command('checkpoint-delete', "",
         data('domain', "", required=True),
         data('checkpointname', ""),
         flag('children', ""),
         flag('children-only', ""),
         flag('metadata', ""))
def checkpoint_delete(ctl, args):
    raise NotImplementedError  # TODO


@command('checkpoint-dumpxml', "",
         data('domain', "", required=True),
         data('checkpointname', ""),
         flag('security-info', ""),
         flag('no-domain', ""),
         flag('size', ""),
         opt('xpath', ""),
         flag('wrap', ""))
def checkpoint_dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('checkpoint-edit', "",
         data('domain', "", required=True),
         data('checkpointname', ""))
def checkpoint_edit(ctl, args):
    raise NotImplementedError  # TODO


@command('checkpoint-info', "",
         data('domain', "", required=True),
         data('checkpointname', ""))
def checkpoint_info(ctl, args):
    raise NotImplementedError  # TODO


@command('checkpoint-list', "",
         data('domain', "", required=True),
         flag('parent', ""),
         flag('roots', ""),
         flag('leaves', ""),
         flag('no-leaves', ""),
         flag('tree', ""),
         data('from', ""),
         flag('descendants', ""),
         flag('name', ""),
         flag('topological', ""))
def checkpoint_list(ctl, args):
    raise NotImplementedError  # TODO


@command('checkpoint-parent', "",
         data('domain', "", required=True),
         data('checkpointname', ""))
def checkpoint_parent(ctl, args):
    raise NotImplementedError  # TODO
