"""Network Filter commands (virsh help group 'filter')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('nwfilter-define', "",
         data('file', "", required=True),
         flag('validate', ""))
def nwfilter_define(ctl, args):
    raise NotImplementedError  # TODO


@command('nwfilter-dumpxml', "",
         data('nwfilter', "", required=True),
         opt('xpath', ""),
         flag('wrap', ""))
def nwfilter_dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('nwfilter-edit', "",
         data('nwfilter', "", required=True))
def nwfilter_edit(ctl, args):
    raise NotImplementedError  # TODO


@command('nwfilter-list', "")
def nwfilter_list(ctl, args):
    raise NotImplementedError  # TODO


@command('nwfilter-undefine', "",
         data('nwfilter', "", required=True))
def nwfilter_undefine(ctl, args):
    raise NotImplementedError  # TODO


@command('nwfilter-binding-create', "",
         data('file', "", required=True),
         flag('validate', ""))
def nwfilter_binding_create(ctl, args):
    raise NotImplementedError  # TODO


@command('nwfilter-binding-delete', "",
         data('binding', "", required=True))
def nwfilter_binding_delete(ctl, args):
    raise NotImplementedError  # TODO


@command('nwfilter-binding-dumpxml', "",
         data('binding', "", required=True),
         opt('xpath', ""),
         flag('wrap', ""))
def nwfilter_binding_dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('nwfilter-binding-list', "")
def nwfilter_binding_list(ctl, args):
    raise NotImplementedError  # TODO
