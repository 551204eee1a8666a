"""Interface commands (virsh help group 'interface')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('iface-begin', "")
def iface_begin(ctl, args):
    raise NotImplementedError  # TODO


@command('iface-bridge', "",
         data('interface', "", required=True),
         data('bridge', "", required=True),
         flag('no-stp', ""),
         data('delay', "", kind=NUMBER),
         flag('no-start', ""))
def iface_bridge(ctl, args):
    raise NotImplementedError  # TODO


@command('iface-commit', "")
def iface_commit(ctl, args):
    raise NotImplementedError  # TODO


@command('iface-define', "",
         data('file', "", required=True),
         flag('validate', ""))
def iface_define(ctl, args):
    raise NotImplementedError  # TODO


@command('iface-destroy', "",
         data('interface', "", required=True))
def iface_destroy(ctl, args):
    raise NotImplementedError  # TODO


@command('iface-dumpxml', "",
         data('interface', "", required=True),
         flag('inactive', ""),
         opt('xpath', ""),
         flag('wrap', ""))
def iface_dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('iface-edit', "",
         data('interface', "", required=True))
def iface_edit(ctl, args):
    from virtsh import editing, lookup
    from virtsh.drivers.hostobjects import IFACE_XML_INACTIVE
    iface = lookup.interface(ctl, args)
    return editing.run(ctl, editing.Editable(
        lambda: iface.xml_desc(IFACE_XML_INACTIVE),
        lambda xml, validate: ctl.conn.define_interface(xml).name(),
        "Interface %s XML configuration not changed." % iface.name(),
        "Interface %s XML configuration edited."))


@command('iface-list', "",
         flag('inactive', ""),
         flag('all', ""))
def iface_list(ctl, args):
    raise NotImplementedError  # TODO


@command('iface-mac', "",
         data('interface', "", required=True))
def iface_mac(ctl, args):
    raise NotImplementedError  # TODO


@command('iface-name', "",
         data('interface', "", required=True))
def iface_name(ctl, args):
    raise NotImplementedError  # TODO


@command('iface-rollback', "")
def iface_rollback(ctl, args):
    raise NotImplementedError  # TODO


@command('iface-start', "",
         data('interface', "", required=True))
def iface_start(ctl, args):
    raise NotImplementedError  # TODO


@command('iface-unbridge', "",
         data('bridge', "", required=True),
         flag('no-start', ""))
def iface_unbridge(ctl, args):
    raise NotImplementedError  # TODO


@command('iface-undefine', "",
         data('interface', "", required=True))
def iface_undefine(ctl, args):
    raise NotImplementedError  # TODO
