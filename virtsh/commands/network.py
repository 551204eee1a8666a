"""Networking commands (virsh help group 'network')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('net-autostart', "",
         data('network', "", required=True),
         flag('disable', ""))
def net_autostart(ctl, args):
    raise NotImplementedError  # TODO


@command('net-create', "",
         data('file', "", required=True),
         flag('validate', ""))
def net_create(ctl, args):
    raise NotImplementedError  # TODO


@command('net-define', "",
         data('file', "", required=True),
         flag('validate', ""))
def net_define(ctl, args):
    raise NotImplementedError  # TODO


@command('net-destroy', "",
         data('network', "", required=True))
def net_destroy(ctl, args):
    raise NotImplementedError  # TODO


@command('net-dhcp-leases', "",
         data('network', "", required=True),
         data('mac', ""))
def net_dhcp_leases(ctl, args):
    raise NotImplementedError  # TODO


@command('net-dumpxml', "",
         data('network', "", required=True),
         flag('inactive', ""),
         opt('xpath', ""),
         flag('wrap', ""))
def net_dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('net-edit', "",
         data('network', "", required=True))
def net_edit(ctl, args):
    from virtsh import editing, lookup
    from virtsh.drivers.network import XML_INACTIVE
    net = lookup.network(ctl, args)
    return editing.run(ctl, editing.Editable(
        lambda: net.xml_desc(XML_INACTIVE),
        lambda xml, validate: ctl.conn.define_network(xml).name(),
        "Network %s XML configuration not changed." % net.name(),
        "Network %s XML configuration edited."))


@command('net-event', "",
         data('network', ""),
         data('event', ""),
         flag('loop', ""),
         data('timeout', "", kind=NUMBER),
         flag('list', ""),
         flag('timestamp', ""))
def net_event(ctl, args):
    raise NotImplementedError  # TODO


@command('net-info', "",
         data('network', "", required=True))
def net_info(ctl, args):
    raise NotImplementedError  # TODO


@command('net-list', "",
         flag('inactive', ""),
         flag('all', ""),
         flag('persistent', ""),
         flag('transient', ""),
         flag('autostart', ""),
         flag('no-autostart', ""),
         flag('uuid', ""),
         flag('name', ""),
         flag('table', ""))
def net_list(ctl, args):
    raise NotImplementedError  # TODO


@command('net-name', "",
         data('network', "", required=True))
def net_name(ctl, args):
    raise NotImplementedError  # TODO


@command('net-start', "",
         data('network', "", required=True))
def net_start(ctl, args):
    raise NotImplementedError  # TODO


@command('net-undefine', "",
         data('network', "", required=True))
def net_undefine(ctl, args):
    raise NotImplementedError  # TODO


@command('net-update', "",
         data('network', "", required=True),
         data('command', "", required=True),
         data('section', "", required=True),
         data('xml', "", required=True),
         data('parent-index', "", kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def net_update(ctl, args):
    raise NotImplementedError  # TODO


@command('net-uuid', "",
         data('network', "", required=True))
def net_uuid(ctl, args):
    raise NotImplementedError  # TODO


@command('net-port-list', "",
         data('network', "", required=True),
         flag('uuid', ""),
         flag('table', ""))
def net_port_list(ctl, args):
    raise NotImplementedError  # TODO


@command('net-port-create', "",
         data('network', "", required=True),
         data('file', "", required=True),
         flag('validate', ""))
def net_port_create(ctl, args):
    raise NotImplementedError  # TODO


@command('net-port-dumpxml', "",
         data('network', "", required=True),
         data('port', "", required=True),
         opt('xpath', ""),
         flag('wrap', ""))
def net_port_dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('net-port-delete', "",
         data('network', "", required=True),
         data('port', "", required=True))
def net_port_delete(ctl, args):
    raise NotImplementedError  # TODO
