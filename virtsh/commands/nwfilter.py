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


@command('nwfilter-edit', "edit the XML of a network filter in an editor",
         data('nwfilter', "network filter name or uuid", required=True,
              complete="nwfilter"))
def nwfilter_edit(ctl, args):
    from virtsh import editing, lookup
    nwfilter = lookup.nwfilter(ctl, args)
    return editing.run(ctl, editing.Editable(
        nwfilter.xml_desc,
        lambda xml, validate: ctl.conn.define_nwfilter(xml).name(),
        "Network filter %s XML configuration not changed." % nwfilter.name(),
        "Network filter %s XML configuration edited."))


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
