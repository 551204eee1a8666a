"""Networking commands (virsh help group 'network')."""
from virtsh import jsonout
from virtsh.cmd import NUMBER, command, data, flag, opt
from virtsh.errors import CommandError, failing

NETWORK_EVENTS = ("lifecycle",)


def _network(ctl, args, **how):
    from virtsh import lookup
    return lookup.network(ctl, args, **how)


def _yes_no(value):
    return "yes" if value else "no"


def _read_xml(args):
    from virtsh.cmdutil import read_file
    return read_file(args.get("file"))


@command('net-autostart', "make a network start (or not) with the host",
         data('network', "network name or uuid", required=True, complete="network"),
         flag('disable', "do not start the network with the host"))
def net_autostart(ctl, args):
    net = _network(ctl, args)
    name = args.get("network")
    enable = not args.flag("disable")
    verb = "mark" if enable else "unmark"
    with failing("failed to %s network %s as autostarted" % (verb, name)):
        net.set_autostart(enable)
    ctl.print_extra("Network %s %sed as autostarted" % (name, verb))


@command('net-create', "create and start a transient network from an XML file",
         data('file', "file with the network XML", required=True, complete="file"),
         flag('validate', "validate the XML document against the schema"))
def net_create(ctl, args):
    xml = _read_xml(args)
    with failing("Failed to create network from %s" % args.get("file")):
        net = ctl.conn.create_network(xml, 1 if args.flag("validate") else 0)
    ctl.print_extra("Network %s created from %s" % (net.name(), args.get("file")))


@command('net-define', "define (but do not start) a network from an XML file",
         data('file', "file with the network XML", required=True, complete="file"),
         flag('validate', "validate the XML document against the schema"))
def net_define(ctl, args):
    xml = _read_xml(args)
    with failing("Failed to define network from %s" % args.get("file")):
        net = ctl.conn.define_network(xml, 1 if args.flag("validate") else 0)
    ctl.print_extra("Network %s defined from %s" % (net.name(), args.get("file")))


@command('net-destroy', "stop a network (a transient one disappears)",
         data('network', "network name or uuid", required=True, complete="network"))
def net_destroy(ctl, args):
    net = _network(ctl, args)
    name = args.get("network")
    with failing("Failed to destroy network %s" % name):
        net.destroy()
    ctl.print_extra("Network %s destroyed" % name)


@command('net-dhcp-leases', "show the DHCP leases of a network",
         data('network', "network name or uuid", required=True, complete="network"),
         data('mac', "only the lease of this MAC address"),
         jsonout.JSON)
def net_dhcp_leases(ctl, args):
    import time
    from virtsh.format import print_table
    net = _network(ctl, args)
    with failing("Failed to get leases info for %s" % args.get("network")):
        leases = sorted(net.dhcp_leases(args.get("mac")), key=lambda l: l["mac"])
    if jsonout.wanted(args):
        return jsonout.emit(ctl, [
            {"expiry_time": lease["expirytime"], "mac": lease["mac"],
             "protocol": "ipv6" if lease.get("type") == 1 else "ipv4",
             "ip_address": lease["ipaddr"], "prefix": lease["prefix"],
             "hostname": lease.get("hostname") or None,
             "client_id": lease.get("clientid") or None} for lease in leases])
    rows = []
    for lease in leases:
        expiry = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(lease["expirytime"]))
        rows.append((expiry, lease["mac"],
                     "ipv6" if lease.get("type") == 1 else "ipv4",
                     "%s/%d" % (lease["ipaddr"], lease["prefix"]),
                     lease.get("hostname") or "-", lease.get("clientid") or "-"))
    print_table(ctl, ("Expiry Time", "MAC address", "Protocol", "IP address",
                      "Hostname", "Client ID or DUID"), rows)


@command('net-dumpxml', "print the XML of a network",
         data('network', "network name or uuid", required=True, complete="network"),
         flag('inactive', "the persistent definition, not the running one"),
         opt('xpath', "print only the nodes this XPath expression selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def net_dumpxml(ctl, args):
    from virtsh.drivers.network import XML_INACTIVE
    from virtsh.xmlout import print_xml
    net = _network(ctl, args)
    xml = net.xml_desc(XML_INACTIVE if args.flag("inactive") else 0)
    print_xml(ctl, xml, args.get("xpath"), args.flag("wrap"))


@command('net-edit', "edit the XML of a network in an editor",
         data('network', "network name or uuid", required=True, complete="network"))
def net_edit(ctl, args):
    from virtsh import editing, lookup
    from virtsh.drivers.network import XML_INACTIVE
    net = lookup.network(ctl, args)
    return editing.run(ctl, editing.Editable(
        lambda: editing.inactive_xml(net, XML_INACTIVE),
        lambda xml, validate: ctl.conn.define_network(xml).name(),
        "Network %s XML configuration not changed." % net.name(),
        "Network %s XML configuration edited."))


@command('net-event', "wait for network events and print them",
         data('network', "only events of this network", complete="network"),
         data('event', "the event to wait for (see --list)"),
         flag('loop', "go on after the first event"),
         data('timeout', "stop waiting after this many seconds", kind=NUMBER),
         flag('list', "list the event names"),
         flag('timestamp', "print a timestamp before each event"))
def net_event(ctl, args):
    from virtsh import objevents
    if args.given("network"):
        _network(ctl, args)
    return objevents.run(ctl, args, NETWORK_EVENTS)


@command('net-info', "show basic facts about a network",
         data('network', "network name or uuid", required=True, complete="network"),
         jsonout.JSON)
def net_info(ctl, args):
    from virtsh.format import print_fields
    net = _network(ctl, args)
    facts = {"name": net.name(), "uuid": net.uuid(),
             "active": jsonout.probe(net.is_active, bool),
             "persistent": jsonout.probe(net.is_persistent, bool),
             "autostart": jsonout.probe(net.autostart, bool),
             "bridge": jsonout.probe(net.bridge_name)}
    if jsonout.wanted(args):
        return jsonout.emit(ctl, facts)
    fields = [("Name:", facts["name"]), ("UUID:", facts["uuid"])]
    for label, key in (("Active:", "active"), ("Persistent:", "persistent")):
        fields.append((label, "unknown" if facts[key] is None else _yes_no(facts[key])))
    fields.append(("Autostart:", "no autostart" if facts["autostart"] is None
                   else _yes_no(facts["autostart"])))
    if facts["bridge"] is not None:
        fields.append(("Bridge:", facts["bridge"]))
    print_fields(ctl, fields)


def list_flags(args):
    """ListAllNetworks flags from net-list's options."""
    from virtsh.drivers import network as N
    if args.flag("all"):
        flags = N.LIST_ACTIVE | N.LIST_INACTIVE
    elif args.flag("inactive"):
        flags = N.LIST_INACTIVE
    else:
        flags = N.LIST_ACTIVE
    for option, bit in (("persistent", N.LIST_PERSISTENT),
                        ("transient", N.LIST_TRANSIENT),
                        ("autostart", N.LIST_AUTOSTART),
                        ("no-autostart", N.LIST_NO_AUTOSTART)):
        if args.flag(option):
            flags |= bit
    return flags


@command('net-list', "list networks",
         flag('inactive', "list inactive networks"),
         flag('all', "list inactive and active networks"),
         flag('persistent', "list persistent networks"),
         flag('transient', "list transient networks"),
         flag('autostart', "list networks that start with the host"),
         flag('no-autostart', "list networks that do not start with the host"),
         flag('uuid', "print only the UUIDs"),
         flag('name', "print only the names"),
         flag('table', "print a table (the default)"),
         jsonout.JSON)
def net_list(ctl, args):
    from virtsh.format import print_table
    if sum(args.flag(o) for o in ("table", "name", "uuid")) > 1:
        raise CommandError("Only one argument from --table, --name and --uuid "
                           "may be specified.")
    with failing("Failed to list networks"):
        nets = sorted(ctl.conn.list_all_networks(list_flags(args)),
                      key=lambda n: n.name().lower())
    if (args.flag("name") or args.flag("uuid")) and not jsonout.wanted(args):
        for net in nets:
            ctl.print(net.name() if args.flag("name") else net.uuid())
        return
    records = [{"name": net.name(), "uuid": net.uuid(), "active": bool(net.is_active()),
                "autostart": bool(net.autostart()), "persistent": bool(net.is_persistent())}
               for net in nets]
    if jsonout.wanted(args):
        return jsonout.emit(ctl, records)
    rows = [(r["name"], "active" if r["active"] else "inactive", _yes_no(r["autostart"]),
             _yes_no(r["persistent"])) for r in records]
    print_table(ctl, ("Name", "State", "Autostart", "Persistent"), rows)


@command('net-name', "print the name of a network given its UUID",
         data('network', "network uuid", required=True, complete="network"))
def net_name(ctl, args):
    ctl.print(_network(ctl, args, by_name=False).name())


@command('net-start', "start a defined network",
         data('network', "network name or uuid", required=True, complete="network"))
def net_start(ctl, args):
    net = _network(ctl, args)
    name = args.get("network")
    with failing("Failed to start network %s" % name):
        net.create()
    ctl.print_extra("Network %s started" % name)


@command('net-undefine', "remove the persistent definition of a network",
         data('network', "network name or uuid", required=True, complete="network"))
def net_undefine(ctl, args):
    net = _network(ctl, args)
    name = args.get("network")
    with failing("Failed to undefine network %s" % name):
        net.undefine()
    ctl.print_extra("Network %s has been undefined" % name)


_UPDATE_ALIASES = {"add": "add-last"}


@command('net-update', "change one section of a network's definition",
         data('network', "network name or uuid", required=True, complete="network"),
         data('command', "add, add-first, add-last, delete or modify", required=True),
         data('section', "the section to change (ip-dhcp-host, dns-host ...)",
              required=True),
         data('xml', "the element as XML text, or a file holding it", required=True,
              complete="file"),
         data('parent-index', "which parent element (e.g. <ip>) to change",
              kind=NUMBER),
         flag('config', "change the persistent definition"),
         flag('live', "change the running network"),
         flag('current', "change the running network if active, else the "
              "persistent definition"))
def net_update(ctl, args):
    from virtsh.cmdutil import affect_flags, read_file
    from virtsh.drivers import network as N
    net = _network(ctl, args)
    command_name = _UPDATE_ALIASES.get(args.get("command"), args.get("command"))
    if command_name not in N.UPDATE_COMMANDS[1:]:
        raise CommandError("unrecognized command name '%s'" % args.get("command"))
    section = args.get("section")
    if section not in N.UPDATE_SECTIONS[1:]:
        raise CommandError("unrecognized section name '%s'" % section)
    xml = args.get("xml")
    if not xml.lstrip().startswith("<"):
        xml = read_file(xml)
    flags = affect_flags(args)
    name = args.get("network")
    with failing("Failed to update network %s" % name):
        net.update(N.UPDATE_COMMANDS.index(command_name),
                   N.UPDATE_SECTIONS.index(section), args.int("parent-index", -1),
                   xml, flags)
    if flags & N.UPDATE_AFFECT_CONFIG:
        what = ("persistent config and live state" if flags & N.UPDATE_AFFECT_LIVE
                else "persistent config")
    elif flags & N.UPDATE_AFFECT_LIVE or net.is_active():
        what = "live state"
    else:
        what = "persistent config"
    ctl.print_extra("Updated network %s %s" % (name, what), end="")


@command('net-uuid', "print the UUID of a network given its name",
         data('network', "network name", required=True, complete="network"))
def net_uuid(ctl, args):
    ctl.print(_network(ctl, args, by_uuid=False).uuid())


@command('net-port-list', "list the ports of a network",
         data('network', "network name or uuid", required=True, complete="network"),
         flag('uuid', "print only the UUIDs"),
         flag('table', "print a table (the default)"))
def net_port_list(ctl, args):
    from virtsh.format import print_table
    if args.flag("uuid") and args.flag("table"):
        raise CommandError("Options --table and --uuid are mutually exclusive")
    net = _network(ctl, args)
    ports = sorted(net.list_all_ports(), key=lambda p: p.uuid())
    if args.flag("uuid"):
        for port in ports:
            ctl.print(port.uuid())
        return
    print_table(ctl, ("UUID",), [(p.uuid(),) for p in ports])


@command('net-port-create', "create a port of a network from an XML file",
         data('network', "network name or uuid", required=True, complete="network"),
         data('file', "file with the port XML", required=True, complete="file"),
         flag('validate', "validate the XML document against the schema"))
def net_port_create(ctl, args):
    net = _network(ctl, args)
    xml = _read_xml(args)
    with failing("Failed to create network from %s" % args.get("file")):
        port = net.create_port(xml, 1 if args.flag("validate") else 0)
    ctl.print_extra("Network port %s created from %s" % (port.uuid(), args.get("file")))


def _port(ctl, args, net):
    text = args.get("port")
    with failing("failed to get network port '%s'" % text):
        return net.lookup_port_by_uuid(text)


@command('net-port-dumpxml', "print the XML of a network port",
         data('network', "network name or uuid", required=True, complete="network"),
         data('port', "port UUID", required=True),
         opt('xpath', "print only the nodes this XPath expression selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def net_port_dumpxml(ctl, args):
    from virtsh.xmlout import print_xml
    port = _port(ctl, args, _network(ctl, args))
    print_xml(ctl, port.xml_desc(), args.get("xpath"), args.flag("wrap"))


@command('net-port-delete', "delete a network port",
         data('network', "network name or uuid", required=True, complete="network"),
         data('port', "port UUID", required=True))
def net_port_delete(ctl, args):
    port = _port(ctl, args, _network(ctl, args))
    with failing("Failed to delete network port %s" % args.get("port")):
        port.delete()
    ctl.print_extra("Network port %s deleted" % args.get("port"))
