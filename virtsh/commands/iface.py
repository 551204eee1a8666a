"""Interface commands (virsh help group 'interface')."""
from virtsh import jsonout
from virtsh.cmd import NUMBER, command, data, flag, opt
from virtsh.errors import CommandError, failing


def _iface(ctl, args, option="interface", **how):
    from virtsh import lookup
    return lookup.interface(ctl, args, option, **how)


def _transaction(verb, done, method):
    def handler(ctl, args):
        with failing("Failed to %s network config change transaction" % verb):
            getattr(ctl.conn, method)()
        ctl.print_extra("Network config change transaction %s" % done)
    return handler


command('iface-begin', "start a transaction of interface changes")(
    _transaction("begin", "started", "interface_change_begin"))
command('iface-commit', "keep the interface changes made since iface-begin")(
    _transaction("commit", "committed", "interface_change_commit"))
command('iface-rollback', "undo the interface changes made since iface-begin")(
    _transaction("rollback", "rolled back", "interface_change_rollback"))


def _inactive_tree(iface):
    from lxml import etree
    from virtsh.drivers.hostobjects import IFACE_XML_INACTIVE
    return etree.fromstring(iface.xml_desc(IFACE_XML_INACTIVE).encode())


def _replace_interface(ctl, old, new_xml, failure):
    """Stop *old* if running, define *new_xml*; return the new Interface."""
    if old.is_active():
        with failing("Failed to destroy interface %s" % old.name()):
            old.destroy()
    with failing(failure):
        return ctl.conn.define_interface(new_xml)


def _start(ctl, args, iface, what):
    if args.flag("no-start"):
        return
    with failing("Failed to start %s %s" % (what, iface.name())):
        iface.create()
    ctl.print("%s %s started" % (what[0].upper() + what[1:], iface.name()))


_MOVED = ("start", "mtu", "protocol")


@command('iface-bridge', "put an interface into a new bridge device",
         data('interface', "interface name or MAC address", required=True,
              complete="interface"),
         data('bridge', "name of the new bridge device", required=True),
         flag('no-stp', "turn off the spanning tree protocol of the bridge"),
         data('delay', "bridge forward delay in seconds", kind=NUMBER),
         flag('no-start', "do not start the bridge"))
def iface_bridge(ctl, args):
    from lxml import etree
    from virtsh.drivers.errors import VirtError
    from virtsh.xmlconf import objxml
    iface = _iface(ctl, args)
    bridge_name = args.get("bridge")
    delay = args.int("delay", 0)
    tree = _inactive_tree(iface)
    try:
        ctl.conn.lookup_interface_by_name(bridge_name)
        raise CommandError("Network device %s already exists" % bridge_name)
    except VirtError:
        pass
    if tree.get("type") == "bridge":
        raise CommandError("Interface %s is already a bridge" % iface.name())
    bridge = objxml.element("interface", {"type": "bridge", "name": bridge_name})
    inner = objxml.element("bridge", {"stp": "off" if args.flag("no-stp") else "on",
                                      "delay": delay})
    for tag in _MOVED:
        for child in tree.findall(tag):
            if tag != "start":
                tree.remove(child)
            bridge.append(child if tag != "start" else objxml.element(
                "start", dict(child.attrib)))
    for child in tree.findall("start"):
        tree.remove(child)
    inner.append(tree)
    bridge.append(inner)
    new = _replace_interface(ctl, iface, etree.tostring(bridge, encoding="unicode"),
                             "Failed to define new bridge interface %s" % bridge_name)
    ctl.print_extra("Created bridge %s with attached device %s" % (bridge_name, iface.name()))
    _start(ctl, args, new, "bridge interface")


@command('iface-define', "define an interface from an XML file",
         data('file', "file with the interface XML", required=True, complete="file"),
         flag('validate', "validate the XML document against the schema"))
def iface_define(ctl, args):
    from virtsh.cmdutil import read_file
    path = args.get("file")
    xml = read_file(path)
    with failing("Failed to define interface from %s" % path):
        iface = ctl.conn.define_interface(xml, 1 if args.flag("validate") else 0)
    ctl.print_extra("Interface %s defined from %s" % (iface.name(), path))


def _simple(verb, done, method):
    """An interface command calling one method: "Failed to <verb> interface X"
    or "Interface X <done>"."""
    def handler(ctl, args):
        iface = _iface(ctl, args)
        name = args.get("interface")
        with failing("Failed to %s interface %s" % (verb, name)):
            getattr(iface, method)()
        ctl.print_extra("Interface %s %s" % (name, done))
    return handler


command('iface-destroy', "bring an interface down",
        data('interface', "interface name or MAC address", required=True,
             complete="interface"))(_simple("destroy", "destroyed", "destroy"))
command('iface-start', "bring an interface up",
        data('interface', "interface name or MAC address", required=True,
             complete="interface"))(_simple("start", "started", "create"))
command('iface-undefine', "remove the definition of an interface",
        data('interface', "interface name or MAC address", required=True,
             complete="interface"))(_simple("undefine", "undefined", "undefine"))


@command('iface-dumpxml', "print the XML of an interface",
         data('interface', "interface name or MAC address", required=True,
              complete="interface"),
         flag('inactive', "the definition used at the next start"),
         opt('xpath', "print only the nodes this XPath expression selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def iface_dumpxml(ctl, args):
    from virtsh.drivers.hostobjects import IFACE_XML_INACTIVE
    from virtsh.xmlout import print_xml
    iface = _iface(ctl, args)
    xml = iface.xml_desc(IFACE_XML_INACTIVE if args.flag("inactive") else 0)
    print_xml(ctl, xml, args.get("xpath"), args.flag("wrap"))


@command('iface-edit', "edit the XML of an interface in an editor",
         data('interface', "interface name or MAC address", required=True,
              complete="interface"))
def iface_edit(ctl, args):
    from virtsh import editing, lookup
    from virtsh.drivers.hostobjects import IFACE_XML_INACTIVE
    iface = lookup.interface(ctl, args)
    return editing.run(ctl, editing.Editable(
        lambda: iface.xml_desc(IFACE_XML_INACTIVE),
        lambda xml, validate: ctl.conn.define_interface(xml).name(),
        "Interface %s XML configuration not changed." % iface.name(),
        "Interface %s XML configuration edited."))


@command('iface-list', "list host interfaces",
         flag('inactive', "list inactive interfaces"),
         flag('all', "list inactive and active interfaces"),
         jsonout.JSON)
def iface_list(ctl, args):
    from virtsh.drivers import hostobjects as H
    from virtsh.format import print_table
    if args.flag("all") and args.flag("inactive"):
        raise CommandError("Options --all and --inactive are mutually exclusive")
    if args.flag("all"):
        flags = H.IFACE_LIST_ACTIVE | H.IFACE_LIST_INACTIVE
    else:
        flags = H.IFACE_LIST_INACTIVE if args.flag("inactive") else H.IFACE_LIST_ACTIVE
    with failing("Failed to list interfaces"):
        ifaces = sorted(ctl.conn.list_all_interfaces(flags),
                        key=lambda i: i.name().lower())
    rows = [(i.name(), bool(i.is_active()), i.mac()) for i in ifaces]
    if jsonout.wanted(args):
        return jsonout.emit(ctl, jsonout.records(("name", "active", "mac"), rows))
    rows = [(name, "active" if active else "inactive", mac) for name, active, mac in rows]
    print_table(ctl, ("Name", "State", "MAC Address"), rows)


@command('iface-mac', "print the MAC address of an interface",
         data('interface', "interface name", required=True, complete="interface"))
def iface_mac(ctl, args):
    ctl.print(_iface(ctl, args, by_mac=False).mac())


@command('iface-name', "print the name of an interface given its MAC address",
         data('interface', "MAC address", required=True, complete="interface"))
def iface_name(ctl, args):
    ctl.print(_iface(ctl, args, by_name=False).name())


@command('iface-unbridge', "take the device out of a bridge and remove the bridge",
         data('bridge', "bridge name or MAC address", required=True,
              complete="interface"),
         flag('no-start', "do not start the device"))
def iface_unbridge(ctl, args):
    from lxml import etree
    bridge = _iface(ctl, args, "bridge")
    tree = _inactive_tree(bridge)
    name = bridge.name()
    if tree.get("type") != "bridge":
        raise CommandError("Interface '%s' is not a bridge" % name)
    attached = tree.findall("bridge/interface")
    if len(attached) != 1:
        raise CommandError("Bridge '%s' %s" % (name, "has no attached interface"
                                               if not attached else
                                               "has multiple attached interfaces"))
    device = attached[0]
    for tag in reversed(_MOVED):
        for child in reversed(tree.findall(tag)):
            device.insert(0, child)
    if bridge.is_active():
        with failing("Failed to destroy bridge interface %s" % name):
            bridge.destroy()
    with failing("Failed to undefine bridge interface %s" % name):
        bridge.undefine()
    with failing("Failed to define new interface %s" % device.get("name")):
        iface = ctl.conn.define_interface(etree.tostring(device, encoding="unicode"))
    ctl.print_extra("Device %s un-attached from bridge %s" % (iface.name(), name))
    _start(ctl, args, iface, "interface")
