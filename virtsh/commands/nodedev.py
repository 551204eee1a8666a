"""Node Device commands (virsh help group 'nodedev')."""
from virtsh import jsonout
from virtsh.cmd import Alias, NUMBER, command, data, flag, opt
from virtsh.errors import CommandError, failing

NODEDEV_EVENTS = ("lifecycle", "update")


def _device(ctl, args, option="device"):
    from virtsh import lookup
    return lookup.nodedev(ctl, args, option)


def _read_xml(args):
    from virtsh.cmdutil import read_file
    return read_file(args.get("file"))


_DEVICE = data('device', "device name, or WWNN,WWPN of a SCSI host", required=True,
               complete="nodedev")


@command('nodedev-create', "create a device (a vHBA, a mediated device) from XML",
         data('file', "file with the device XML", required=True, complete="file"),
         flag('validate', "validate the XML document against the schema"))
def nodedev_create(ctl, args):
    xml = _read_xml(args)
    path = args.get("file")
    with failing("Failed to create node device from %s" % path):
        dev = ctl.conn.create_node_device(xml, 1 if args.flag("validate") else 0)
    ctl.print_extra("Node device %s created from %s" % (dev.name(), path))


@command('nodedev-destroy', "destroy a created device (a vHBA, a mediated device)",
         _DEVICE,
         aliases=(Alias('name', 'device'),))
def nodedev_destroy(ctl, args):
    dev = _device(ctl, args)
    name = args.get("device")
    with failing("Failed to destroy node device '%s'" % name):
        dev.destroy()
    ctl.print_extra("Destroyed node device '%s'" % name)


@command('nodedev-detach', "detach a device from its host driver",
         _DEVICE,
         data('driver', "the driver to bind it to (e.g. vfio)"),
         also=('nodedev-dettach',))
def nodedev_detach(ctl, args):
    dev = _device(ctl, args)
    name = args.get("device")
    with failing("Failed to detach device %s" % name):
        if args.get("driver"):
            dev.detach_flags(args.get("driver"))
        else:
            dev.detach()
    ctl.print_extra("Device %s detached" % name)


@command('nodedev-dumpxml', "print the XML of a device",
         _DEVICE,
         opt('xpath', "print only the nodes this XPath expression selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def nodedev_dumpxml(ctl, args):
    from virtsh.xmlout import print_xml
    dev = _device(ctl, args)
    print_xml(ctl, dev.xml_desc(), args.get("xpath"), args.flag("wrap"))


def _list_flags(args):
    from virtsh.drivers import hostobjects as H
    flags = 0
    for cap in filter(None, (args.get("cap") or "").split(",")):
        bit = H.nodedev_cap_flag(cap.strip())
        if not bit:
            raise CommandError("Invalid capability type")
        flags |= bit
    if args.flag("all"):
        flags |= H.NODEDEV_LIST_ACTIVE | H.NODEDEV_LIST_INACTIVE
    elif args.flag("inactive"):
        flags |= H.NODEDEV_LIST_INACTIVE
    else:
        flags |= H.NODEDEV_LIST_ACTIVE
    return flags


@command('nodedev-list', "list host devices",
         flag('tree', "show the devices as a tree"),
         data('cap', "only devices with these capabilities (comma separated)"),
         flag('inactive', "list inactive (defined, not started) devices"),
         flag('all', "list inactive and active devices"),
         jsonout.JSON)
def nodedev_list(ctl, args):
    if args.flag("tree") and args.given("cap"):
        raise CommandError("Options --tree and --cap are incompatible")
    if args.flag("all") and args.flag("inactive"):
        raise CommandError("Options --all and --inactive are mutually exclusive")
    flags = _list_flags(args)
    with failing("Failed to list node devices"):
        devices = sorted(ctl.conn.list_all_node_devices(flags),
                         key=lambda d: d.name().lower())
    if jsonout.wanted(args):
        return jsonout.emit(ctl, [{"name": dev.name(), "parent": dev.parent() or None}
                                  for dev in devices])
    if not args.flag("tree"):
        for dev in devices:
            ctl.print(dev.name())
        return
    names = [d.name() for d in devices]
    parents = [d.parent() if d.parent() in names else None for d in devices]
    for i, parent in enumerate(parents):
        if parent is None:
            _print_tree(ctl, names, parents, i, len(names) - 1, True, "")


def _print_tree(ctl, names, parents, index, last, root, indent):
    """virsh's vshTreePrint, one device and its children."""
    ctl.print("%s%s%s" % (indent, "" if root else "+- ", names[index]))
    if not root:
        indent += (" " if index == last else "|") + " "
    children = [i for i, p in enumerate(parents) if p == names[index]]
    if children:
        ctl.print("%s  |" % indent)
    for child in children:
        _print_tree(ctl, names, parents, child, children[-1], False, indent + "  ")
    if not children and index == last:
        ctl.print(indent)


def _simple(verb, done, method):
    """A device command calling one method: "Failed to <verb> device X" or
    "Device X <done>"."""
    def handler(ctl, args):
        dev = _device(ctl, args)
        name = args.get("device")
        with failing("Failed to %s device %s" % (verb, name)):
            getattr(dev, method)()
        ctl.print_extra("Device %s %s" % (name, done))
    return handler


command('nodedev-reattach', "give a detached device back to its host driver",
        _DEVICE)(_simple("re-attach", "re-attached", "reattach"))
command('nodedev-reset', "reset a device", _DEVICE)(_simple("reset", "reset", "reset"))
command('nodedev-start', "start a defined device", _DEVICE)(
    _simple("start", "started", "create"))


@command('nodedev-event', "wait for device events and print them",
         data('device', "only events of this device", complete="nodedev"),
         data('event', "the event to wait for (see --list)"),
         flag('loop', "go on after the first event"),
         data('timeout', "stop waiting after this many seconds", kind=NUMBER),
         flag('list', "list the event names"),
         flag('timestamp', "print a timestamp before each event"))
def nodedev_event(ctl, args):
    from virtsh import objevents
    if args.given("device"):
        _device(ctl, args)
    return objevents.run(ctl, args, NODEDEV_EVENTS)


@command('nodedev-define', "define a persistent device from an XML file",
         data('file', "file with the device XML", required=True, complete="file"),
         flag('validate', "validate the XML document against the schema"))
def nodedev_define(ctl, args):
    xml = _read_xml(args)
    path = args.get("file")
    with failing("Failed to define node device from '%s'" % path):
        dev = ctl.conn.define_node_device(xml, 1 if args.flag("validate") else 0)
    ctl.print_extra("Node device '%s' defined from '%s'" % (dev.name(), path))


@command('nodedev-undefine', "remove the definition of a defined device", _DEVICE)
def nodedev_undefine(ctl, args):
    dev = _device(ctl, args)
    name = args.get("device")
    with failing("Failed to undefine node device '%s'" % name):
        dev.undefine()
    ctl.print_extra("Undefined node device '%s'" % name)


@command('nodedev-autostart', "make a defined device start (or not) with the host",
         _DEVICE,
         flag('disable', "do not start the device with the host"))
def nodedev_autostart(ctl, args):
    dev = _device(ctl, args)
    name = args.get("device")
    enable = not args.flag("disable")
    verb = "mark" if enable else "unmark"
    with failing("failed to %s device %s as autostarted" % (verb, name)):
        dev.set_autostart(enable)
    ctl.print_extra("Device %s %sed as autostarted" % (name, verb))


def _query(fn, on_error):
    """*fn*() as virsh shows it; *on_error* when the driver cannot tell
    (virsh prints a C result of -1 as true)."""
    from virtsh.drivers.errors import VirtError
    try:
        return fn()
    except VirtError:
        return on_error


@command('nodedev-info', "show basic facts about a device", _DEVICE)
def nodedev_info(ctl, args):
    from virtsh.format import print_fields
    dev = _device(ctl, args)
    autostart = _query(dev.autostart, None)
    print_fields(ctl, [
        ("Name:", dev.name()),
        ("Parent:", _query(dev.parent, None) or ""),
        ("Active:", "yes" if _query(dev.is_active, True) else "no"),
        ("Persistent:", "yes" if _query(dev.is_persistent, True) else "no"),
        ("Autostart:", "no autostart" if autostart is None
         else "yes" if autostart else "no"),
    ])
