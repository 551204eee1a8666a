"""Domain Management commands that change a domain's devices: attach,
detach and update, media, disk block jobs and I/O limits, interface links."""
from virtsh import lookup
from virtsh.cmd import Alias, NUMBER, command, data, flag
from virtsh.cmdutil import CHANGE_TARGET, READ_TARGET, affect_flags, flag_bits, read_file
from virtsh.drivers import domain as D
from virtsh.errors import CommandError, failing


@command('attach-device', "Attach a device described by an XML file.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('file', "XML file describing the device", required=True, complete="file"),
         flag('persistent', "make the change persistent too"),
         *CHANGE_TARGET)
def attach_device(ctl, args):
    change_device(ctl, args, "attach", "Failed to attach device from %s"
                  % args.get("file"), "Device attached successfully")


@command('attach-disk', "Attach a disk to a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('source', "disk image, device or network volume name", required=True,
              complete="file"),
         data('target', "target device name in the guest (vdb, sdc ...)",
              required=True),
         data('targetbus', "bus of the target (virtio, scsi, sata ...)"),
         data('driver', "driver name (qemu ...)"),
         data('subdriver', "image format (raw, qcow2 ...)"),
         data('iothread', "IOThread serving the disk"),
         data('cache', "cache mode"),
         data('io', "I/O policy"),
         data('type', "device type (disk, cdrom, floppy, lun)"),
         data('mode', "readonly or shareable"),
         data('sourcetype', "source type: file, block or network"),
         data('serial', "serial number"),
         data('wwn', "World Wide Name"),
         data('alias', "user alias of the device"),
         flag('rawio', "give the disk raw I/O capability"),
         data('address', "guest address (pci:D.B.S.F, scsi:C.B.U, ide:C.B.U ...)"),
         flag('multifunction', "mark the PCI address multifunction"),
         flag('print-xml', "print the disk XML instead of attaching it"),
         data('source-protocol', "protocol of a network source (nbd, rbd ...)"),
         data('source-host-name', "host[:port] of a network source"),
         data('source-host-transport', "transport to the network source host"),
         data('source-host-socket', "socket of the network source host"),
         flag('persistent', "make the change persistent too"),
         *CHANGE_TARGET,
         aliases=(Alias('shareable', 'mode', 'shareable'),))
def attach_disk(ctl, args):
    import os
    import stat
    from virtsh import devicexml
    from virtsh.domopts import exclusive
    for first, second in (("persistent", "current"), ("current", "live"),
                          ("current", "config"),
                          ("source-host-name", "source-host-socket")):
        exclusive(args, first, second)
    for option, required in (("source-host-name", "source-protocol"),
                             ("source-host-transport", "source-protocol"),
                             ("source-host-socket", "source-protocol"),
                             ("source-host-socket", "source-host-transport")):
        if args.given(option) and not args.given(required):
            raise CommandError("Option --%s is required by option --%s"
                               % (required, option))

    def is_block_device(path):
        try:
            return stat.S_ISBLK(os.stat(path).st_mode)
        except OSError:
            return False
    xml = devicexml.disk_xml(
        args.get("source"), args.get("target"), sourcetype=args.get("sourcetype"),
        device=args.get("type"), driver=args.get("driver"),
        subdriver=args.get("subdriver"), iothread=args.get("iothread"),
        cache=args.get("cache"), io=args.get("io"), mode=args.get("mode"),
        serial=args.get("serial"), wwn=args.get("wwn"), alias=args.get("alias"),
        rawio=args.flag("rawio"), address=args.get("address"),
        multifunction=args.flag("multifunction"), targetbus=args.get("targetbus"),
        protocol=args.get("source-protocol"), host_name=args.get("source-host-name"),
        host_transport=args.get("source-host-transport"),
        host_socket=args.get("source-host-socket"), is_block_device=is_block_device)
    if args.flag("print-xml"):
        ctl.print(xml, end="")
        return
    apply_device_xml(ctl, args, "attach", xml, "Failed to attach disk",
                     "Disk attached successfully")


@command('attach-interface', "Attach a network interface to a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('type', "interface type (network, bridge, direct ...)", required=True),
         data('source', "network, bridge or device to connect to", required=True),
         data('target', "host device name"),
         data('mac', "MAC address"),
         data('script', "script setting up the interface"),
         data('model', "device model (virtio, e1000 ...)"),
         data('alias', "user alias of the device"),
         data('inbound', "inbound rate: average,peak,burst,floor"),
         data('outbound', "outbound rate: average,peak,burst"),
         flag('persistent', "make the change persistent too"),
         *CHANGE_TARGET,
         flag('print-xml', "print the interface XML instead of attaching it"),
         flag('managed', "let libvirt detach the host device automatically"),
         data('source-mode', "mode of a vhostuser socket: server or client"))
def attach_interface(ctl, args):
    from virtsh import devicexml
    from virtsh.domopts import exclusive
    for first, second in (("persistent", "current"), ("current", "live"),
                          ("current", "config")):
        exclusive(args, first, second)
    xml = devicexml.interface_xml(
        args.get("type"), args.get("source"), target=args.get("target"),
        mac=args.get("mac"), script=args.get("script"), model=args.get("model"),
        alias=args.get("alias"), inbound=args.get("inbound"),
        outbound=args.get("outbound"), managed=args.flag("managed"),
        source_mode=args.get("source-mode"))
    if args.flag("print-xml"):
        ctl.print(xml, end="")
        return
    apply_device_xml(ctl, args, "attach", xml, "Failed to attach interface",
                     "Interface attached successfully")


def change_device(ctl, args, action, failure, success):
    """attach-device / detach-device: read the XML file and apply it."""
    xml = read_file(args.get("file"))
    apply_device_xml(ctl, args, action, xml, failure, success)


def apply_device_xml(ctl, args, action, xml, failure, success):
    """Attach or detach *xml* with the flag-less API unless a
    --live/--config/--current/--persistent option was given."""
    from virtsh.domopts import device_flags
    dom = lookup.domain(ctl, args)
    flags, explicit = device_flags(args, dom)
    with failing(failure):
        if explicit:
            getattr(dom, action + "_device")(xml, flags)
        else:
            getattr(dom, action + "_device_current")(xml)
    ctl.print_extra(success)


@command('blkdeviotune', "Show or set the I/O throttling of a domain's disk.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('device', "disk target or source path", required=True),
         data('total-bytes-sec', "total byte rate (scaled, default bytes)",
              kind=NUMBER),
         data('read-bytes-sec', "read byte rate (scaled)", kind=NUMBER),
         data('write-bytes-sec', "write byte rate (scaled)", kind=NUMBER),
         data('total-iops-sec', "total I/O operations per second", kind=NUMBER),
         data('read-iops-sec', "read I/O operations per second", kind=NUMBER),
         data('write-iops-sec', "write I/O operations per second", kind=NUMBER),
         data('total-bytes-sec-max', "total burst byte rate (scaled)", kind=NUMBER),
         data('read-bytes-sec-max', "read burst byte rate (scaled)", kind=NUMBER),
         data('write-bytes-sec-max', "write burst byte rate (scaled)", kind=NUMBER),
         data('total-iops-sec-max', "total burst I/O operations", kind=NUMBER),
         data('read-iops-sec-max', "read burst I/O operations", kind=NUMBER),
         data('write-iops-sec-max', "write burst I/O operations", kind=NUMBER),
         data('size-iops-sec', "I/O size counted as one operation", kind=NUMBER),
         data('group-name', "throttle group shared between disks"),
         data('total-bytes-sec-max-length', "seconds the total byte burst may last",
              kind=NUMBER),
         data('read-bytes-sec-max-length', "seconds the read byte burst may last",
              kind=NUMBER),
         data('write-bytes-sec-max-length', "seconds the write byte burst may last",
              kind=NUMBER),
         data('total-iops-sec-max-length', "seconds the total I/O burst may last",
              kind=NUMBER),
         data('read-iops-sec-max-length', "seconds the read I/O burst may last",
              kind=NUMBER),
         data('write-iops-sec-max-length', "seconds the write I/O burst may last",
              kind=NUMBER),
         *READ_TARGET,
         aliases=tuple(Alias(o.replace("-", "_"), o) for o in
                       ("total-bytes-sec", "read-bytes-sec", "write-bytes-sec",
                        "total-iops-sec", "read-iops-sec", "write-iops-sec",
                        "total-bytes-sec-max", "read-bytes-sec-max",
                        "write-bytes-sec-max", "total-iops-sec-max",
                        "read-iops-sec-max", "write-iops-sec-max", "size-iops-sec",
                        "group-name", "total-bytes-sec-max-length",
                        "read-bytes-sec-max-length", "write-bytes-sec-max-length",
                        "total-iops-sec-max-length", "read-iops-sec-max-length",
                        "write-iops-sec-max-length")))
def blkdeviotune(ctl, args):
    from virtsh.domopts import print_params
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    disk = args.get("device")
    params = []
    for option in IOTUNE_BYTE_OPTIONS:
        if args.given(option):
            params.append((option.replace("-", "_"), args.scaled(option, 1)))
    for option in IOTUNE_COUNT_OPTIONS:
        if args.given(option):
            params.append((option.replace("-", "_"), args.ulong(option)))
    if args.given("group-name"):
        params.append(("group_name", args.get("group-name")))
    if params:
        with failing("Unable to change block I/O throttle"):
            dom.set_block_iotune(disk, params, flags)
        return
    with failing("Unable to get block I/O throttle parameters"):
        current = dom.block_iotune(disk, flags)
    print_params(ctl, current)


@command('blockcommit', "Merge a layer of a disk's backing chain into a lower one.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('path', "disk target or source path", required=True),
         data('bandwidth', "bandwidth limit (MiB/s)", kind=NUMBER),
         data('base', "image to merge into"),
         flag('shallow', "merge into the backing file of the top"),
         data('top', "image to merge from"),
         flag('active', "merge the active layer (needs a pivot)"),
         flag('delete', "delete the merged images"),
         flag('wait', "wait for the job to finish"),
         flag('verbose', "show progress"),
         data('timeout', "abort after this many seconds", kind=NUMBER),
         flag('pivot', "pivot when done"),
         flag('keep-overlay', "keep the overlay when done"),
         flag('async', "do not wait for the abort"),
         flag('keep-relative', "keep relative backing paths"),
         flag('bytes', "bandwidth is in bytes/s"))
def blockcommit(ctl, args):
    dom = lookup.domain(ctl, args)
    flags = flag_bits(args, ("shallow", 1), ("delete", 2), ("active", 4),
                      ("keep-relative", 8), ("bytes", 16))
    dom.block_commit(args.get("path"), args.get("base"), args.get("top"),
                     args.ulong("bandwidth", 0), flags)
    finish_block_job(ctl, args, dom, "Commit", "Block Commit started",
                     "Now in synchronized phase" if args.flag("active") else None,
                     "Commit complete")


@command('blockcopy', "Copy a disk to a new destination.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('path', "disk target or source path", required=True),
         data('dest', "destination file", complete="file"),
         data('bandwidth', "bandwidth limit (MiB/s)", kind=NUMBER),
         flag('shallow', "copy only the top image"),
         flag('reuse-external', "reuse an existing destination"),
         flag('blockdev', "the destination is a block device"),
         flag('wait', "wait for the job to finish"),
         flag('verbose', "show progress"),
         data('timeout', "abort after this many seconds", kind=NUMBER),
         flag('pivot', "pivot to the copy when done"),
         flag('finish', "stop mirroring when done"),
         flag('async', "do not wait for the abort"),
         data('xml', "XML file describing the destination", complete="file"),
         data('format', "destination format"),
         data('granularity', "dirty bitmap granularity", kind=NUMBER),
         data('buf-size', "copy buffer size", kind=NUMBER),
         flag('bytes', "bandwidth is in bytes/s"),
         flag('transient-job', "the copy does not survive a restart"),
         flag('synchronous-writes', "mirror writes synchronously"),
         flag('print-xml', "print the destination XML"),
         aliases=(Alias('raw', 'format', 'raw'),))
def blockcopy(ctl, args):
    if not (args.given("dest") or args.given("xml")):
        raise CommandError("need either --dest or --xml")
    dom = lookup.domain(ctl, args)
    if args.given("xml"):
        flags = flag_bits(args, ("shallow", 1), ("reuse-external", 2),
                          ("transient-job", 4), ("synchronous-writes", 8))
        dom.block_copy(args.get("path"), read_file(args.get("xml")), None, flags)
    else:
        # virDomainBlockRebase with VIR_DOMAIN_BLOCK_REBASE_COPY (8)
        flags = 8 | flag_bits(args, ("shallow", 1), ("reuse-external", 2),
                              ("blockdev", 64), ("bytes", 16))
        dom.block_rebase(args.get("path"), args.get("dest"),
                         args.ulong("bandwidth", 0), flags)
    finish_block_job(ctl, args, dom, "Copy", "Block Copy started",
                     "Now in mirroring phase", None)


@command('blockjob', "Show, abort or limit the block job on a disk.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('path', "disk target or source path", required=True),
         flag('abort', "abort the job"),
         flag('async', "do not wait for the abort"),
         flag('pivot', "pivot a finished copy or commit"),
         flag('info', "show the job (default)"),
         flag('bytes', "show or set the bandwidth in bytes/s"),
         flag('raw', "show raw figures"),
         data('bandwidth', "new bandwidth limit", kind=NUMBER))
def blockjob(ctl, args):
    dom = lookup.domain(ctl, args)
    path = args.get("path")
    if args.flag("abort") or args.flag("pivot"):
        dom.block_job_abort(path, flag_bits(args, ("async", 1), ("pivot", 2)))
        return
    if args.given("bandwidth"):
        dom.block_job_set_speed(path, args.ulong("bandwidth"),
                                1 if args.flag("bytes") else 0)
        return
    job = dom.block_job_info(path, 1 if args.flag("bytes") else 0)
    if job is None:
        ctl.print_extra("No current block job for %s" % path)
        return
    kind, bandwidth, cur, end = job
    if args.flag("raw"):
        ctl.print(" type=%s\n bandwidth=%d\n cur=%d\n end=%d"
                  % (kind, bandwidth, cur, end))
        return
    percent = 100.0 * cur / end if end else 100.0
    ctl.print("%s: [%3d %%]" % (kind, int(percent)))


@command('blockpull', "Pull a disk's backing chain into it.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('path', "disk target or source path", required=True),
         data('bandwidth', "bandwidth limit (MiB/s)", kind=NUMBER),
         data('base', "stop at this backing image"),
         flag('wait', "wait for the job to finish"),
         flag('verbose', "show progress"),
         data('timeout', "abort after this many seconds", kind=NUMBER),
         flag('async', "do not wait for the abort"),
         flag('keep-relative', "keep relative backing paths"),
         flag('bytes', "bandwidth is in bytes/s"))
def blockpull(ctl, args):
    dom = lookup.domain(ctl, args)
    bandwidth = args.ulong("bandwidth", 0)
    if args.given("base") or args.flag("keep-relative"):
        dom.block_rebase(args.get("path"), args.get("base"), bandwidth,
                         flag_bits(args, ("keep-relative", 16), ("bytes", 64)))
    else:
        dom.block_pull(args.get("path"), bandwidth, 64 if args.flag("bytes") else 0)
    finish_block_job(ctl, args, dom, "Pull", "Block Pull started", None, "Pull complete")


def finish_block_job(ctl, args, dom, what, started, ready_text, done_text):
    """The end of blockcopy/blockcommit/blockpull: return at once, or wait
    (--wait, --timeout, --pivot, --finish) and pivot, finish or abort."""
    from virtsh import blockwait
    if not any(args.flag(o) for o in ("wait", "pivot", "finish", "keep-overlay")) \
            and not args.given("timeout"):
        ctl.print_extra(started)
        return
    path = args.get("path")
    timeout = args.ulong("timeout", 0)
    outcome = blockwait.wait(ctl, dom, path, verbose=args.flag("verbose"),
                             timeout=timeout or None, until_ready=ready_text is not None)
    if outcome in (blockwait.Outcome.TIMED_OUT, blockwait.Outcome.INTERRUPTED):
        dom.block_job_abort(path, 0)
        ctl.print_extra("\n%s aborted" % what)
        return
    if outcome == blockwait.Outcome.DONE or ready_text is None:
        ctl.print_extra("\n%s" % done_text)
        return
    if args.flag("pivot"):
        with failing("failed to pivot job for disk %s" % path):
            dom.block_job_abort(path, 2)
        ctl.print_extra("\nSuccessfully pivoted")
    elif args.flag("finish"):
        with failing("failed to finish job for disk %s" % path):
            dom.block_job_abort(path, 0)
        ctl.print_extra("\nSuccessfully copied")
    elif args.flag("keep-overlay"):
        with failing("failed to abort job for disk %s" % path):
            dom.block_job_abort(path, 0)
        ctl.print_extra("\nCommit complete, overlay image kept")
    else:
        ctl.print_extra("\n%s" % ready_text)


@command('blockresize', "Resize a domain's disk.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('path', "disk target or source path", required=True),
         data('size', "new size (scaled, default KiB)", required=True, kind=NUMBER))
def blockresize(ctl, args):
    dom = lookup.domain(ctl, args)
    path = args.get("path")
    size = args.scaled("size", 1024)
    # sizes in bytes need VIR_DOMAIN_BLOCK_RESIZE_BYTES (1)
    with failing("Failed to resize block device '%s'" % path):
        dom.block_resize(path, size, 1)
    ctl.print_extra("Block device '%s' is resized" % path)


@command('change-media', "Insert, eject or change the media of a CD-ROM or floppy.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('path', "target or source path of the removable disk", required=True),
         data('source', "new media (file or device)", complete="file"),
         flag('eject', "eject the media"),
         flag('insert', "insert media"),
         flag('update', "replace (or with no source, eject) the media"),
         flag('current', "change the current state of the domain"),
         flag('live', "change the running domain"),
         flag('config', "change the persistent definition"),
         flag('force', "force the change even if the tray is locked"),
         flag('print-xml', "print the new disk XML instead of applying it"),
         flag('block', "the source is a block device"))
def change_media(ctl, args):
    from virtsh.domxml import domain_tree, element_text, find_disk
    from virtsh.domopts import exclusive
    for first, second in (("eject", "insert"), ("eject", "update"),
                          ("insert", "update")):
        exclusive(args, first, second)
    actions = [a for a in ("eject", "insert", "update") if args.flag(a)]
    action = actions[0] if actions else "update"
    source = args.get("source")
    if action == "insert" and not source:
        raise CommandError("No source is specified for inserting media")
    if action == "eject" and source:
        raise CommandError("The --source option is not allowed with --eject")
    flags = affect_flags(args) | (D.DEVICE_MODIFY_FORCE if args.flag("force") else 0)
    dom = lookup.domain(ctl, args)
    disk = find_disk(domain_tree(dom, inactive=flags & D.AFFECT_CONFIG),
                     args.get("path"), removable=True)
    set_media(disk, action, source, args.flag("block"), args.get("path"))
    xml = element_text(disk)
    if args.flag("print-xml"):
        ctl.print(xml)
        return
    done = {"eject": "ejected", "insert": "inserted", "update": "updated"}[action]
    with failing("Failed to complete action %s on media" % action):
        dom.update_device(xml, flags)
    ctl.print_extra("Successfully %s media." % done, end="")


def set_media(disk, action, source, block, path):
    """Change the <source> of a removable disk element in place."""
    from lxml import etree
    old = disk.find("source")
    if action == "insert" and old is not None and (old.get("file") or old.get("dev")):
        raise CommandError("The disk device '%s' already has media" % path)
    if old is not None:
        old.getparent().remove(old)
    if action == "eject" or not source:
        return
    new = etree.Element("source")
    new.set("dev" if block or disk.get("type") == "block" else "file", source)
    driver = disk.find("driver")
    if driver is not None:
        driver.addnext(new)
    else:
        disk.insert(0, new)


@command('detach-device', "Detach a device described by an XML file.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('file', "XML file describing the device", required=True, complete="file"),
         flag('persistent', "make the change persistent too"),
         *CHANGE_TARGET)
def detach_device(ctl, args):
    change_device(ctl, args, "detach", "Failed to detach device from %s"
                  % args.get("file"), "Device detached successfully")


@command('detach-device-alias', "Detach the device with the given alias.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('alias', "alias of the device", required=True),
         *CHANGE_TARGET)
def detach_device_alias(ctl, args):
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    alias = args.get("alias")
    with failing("Failed to detach device with alias %s" % alias):
        dom.detach_device_alias(alias, flags)
    ctl.print_extra("Device detach request sent successfully")


@command('detach-disk', "Detach a disk from a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('target', "target device or source path of the disk", required=True),
         flag('persistent', "make the change persistent too"),
         *CHANGE_TARGET,
         flag('print-xml', "print the disk XML instead of detaching it"))
def detach_disk(ctl, args):
    from virtsh.domopts import device_flags
    from virtsh.domxml import domain_tree, element_text, find_disk
    dom = lookup.domain(ctl, args)
    flags, _ = device_flags(args, dom)
    tree = domain_tree(dom, inactive=flags == D.AFFECT_CONFIG)
    xml = element_text(find_disk(tree, args.get("target")))
    if args.flag("print-xml"):
        ctl.print(xml, end="")
        return
    apply_device_xml(ctl, args, "detach", xml, "Failed to detach disk",
                     "Disk detached successfully")


@command('detach-interface', "Detach a network interface from a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('type', "interface type (network, bridge ...)", required=True),
         data('mac', "MAC address of the interface"),
         flag('persistent', "make the change persistent too"),
         *CHANGE_TARGET,
         flag('print-xml', "print the interface XML instead of detaching it"))
def detach_interface(ctl, args):
    from virtsh.domopts import device_flags
    from virtsh.domxml import domain_tree, element_text
    dom = lookup.domain(ctl, args)
    flags, _ = device_flags(args, dom)
    type_, mac = args.get("type"), args.get("mac")
    failure = "Failed to detach interface"
    tree = domain_tree(dom, inactive=flags == D.AFFECT_CONFIG)
    nets = [n for n in tree.findall("devices/interface") if n.get("type") == type_]
    if not nets:
        raise CommandError("No interface found whose type is %s" % type_, failure)
    if mac:
        nets = [n for n in nets if n.find("mac") is not None
                and n.find("mac").get("address", "").lower() == mac.lower()]
        if not nets:
            raise CommandError("No interface with MAC address %s was found" % mac,
                               failure)
    if len(nets) > 1:
        raise CommandError("Domain has %d interfaces. Please specify which one to "
                           "detach using --mac" % len(nets), failure)
    xml = element_text(nets[0])
    if args.flag("print-xml"):
        ctl.print(xml, end="")
        return
    apply_device_xml(ctl, args, "detach", xml, failure,
                     "Interface detached successfully")


@command('domif-setlink', "Set the link state of a domain's network interface.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('interface', "interface device (MAC address or target name)",
              required=True),
         data('state', "up or down", required=True),
         flag('config', "change the persistent definition"),
         flag('print-xml', "print the interface XML instead of applying it"),
         aliases=(Alias('persistent', 'config'),))
def domif_setlink(ctl, args):
    from lxml import etree
    from virtsh.domxml import domain_tree, element_text, find_interface
    state = args.get("state")
    if state not in ("up", "down"):
        raise CommandError("invalid link state '%s'" % state)
    dom = lookup.domain(ctl, args)
    config = args.flag("config")
    iface = args.get("interface")
    net = find_interface(domain_tree(dom, inactive=config), iface)
    if net is None:
        raise CommandError("interface '%s' not found" % iface)
    link = net.find("link")
    if link is None:
        link = etree.SubElement(net, "link")
    link.set("state", state)
    xml = element_text(net)
    if args.flag("print-xml"):
        ctl.print(xml, end="")
        return
    with failing("Failed to update interface link state"):
        dom.update_device(xml, D.AFFECT_CONFIG if config else D.AFFECT_LIVE)
    ctl.print_extra("Device updated successfully")


@command('domiftune', "Show or set the bandwidth limits of a network interface.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('interface', "interface device (MAC address or target name)",
              required=True),
         data('inbound', "inbound rate: average,peak,burst,floor"),
         data('outbound', "outbound rate: average,peak,burst"),
         *READ_TARGET)
def domiftune(ctl, args):
    from virtsh.devicexml import parse_rate
    from virtsh.domopts import print_params
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    device = args.get("interface")
    params = []
    for direction in ("inbound", "outbound"):
        if not args.given(direction):
            continue
        average, peak, burst, floor = parse_rate(args.get(direction))
        if direction == "outbound" and floor:
            raise CommandError("outbound floor is unsupported yet")
        params.append((direction + ".average", average))
        params += [(direction + "." + name, value) for name, value
                   in (("peak", peak), ("burst", burst), ("floor", floor)) if value]
    if params:
        with failing("Unable to set interface parameters"):
            dom.set_interface_params(device, params, flags)
        return
    with failing("Unable to get interface parameters"):
        current = dom.interface_params(device, flags)
    print_params(ctl, current)


IOTUNE_BYTE_OPTIONS = ("total-bytes-sec", "read-bytes-sec", "write-bytes-sec",
                       "total-bytes-sec-max", "read-bytes-sec-max",
                       "write-bytes-sec-max")


IOTUNE_COUNT_OPTIONS = ("total-iops-sec", "read-iops-sec", "write-iops-sec",
                        "total-iops-sec-max", "read-iops-sec-max",
                        "write-iops-sec-max", "size-iops-sec",
                        "total-bytes-sec-max-length", "read-bytes-sec-max-length",
                        "write-bytes-sec-max-length", "total-iops-sec-max-length",
                        "read-iops-sec-max-length", "write-iops-sec-max-length")


@command('update-device', "Update a device from an XML file.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('file', "XML file describing the device", required=True, complete="file"),
         flag('persistent', "make the change persistent too"),
         *CHANGE_TARGET,
         flag('force', "force the change (eject a locked CD-ROM ...)"))
def update_device(ctl, args):
    from virtsh.domopts import device_flags
    dom = lookup.domain(ctl, args)
    flags, _ = device_flags(args, dom)
    if args.flag("force"):
        flags |= D.DEVICE_MODIFY_FORCE
    path = args.get("file")
    xml = read_file(path)
    with failing("Failed to update device from %s" % path):
        dom.update_device(xml, flags)
    ctl.print_extra("Device updated successfully")


@command('update-memory-device', "Change the requested size of a memory device.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         *CHANGE_TARGET,
         flag('print-xml', "print the device XML instead of updating it"),
         data('alias', "alias of the memory device"),
         data('node', "NUMA node of the memory device", kind=NUMBER),
         data('requested-size', "new requested size (default KiB)", kind=NUMBER))
def update_memory_device(ctl, args):
    from lxml import etree
    from virtsh.domxml import domain_tree, element_text
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    tree = domain_tree(dom, inactive=flags == D.AFFECT_CONFIG)
    found = [m for m in tree.findall("devices/memory") if m.get("model") == "virtio-mem"]
    if args.given("alias"):
        found = [m for m in found if m.find("alias") is not None
                 and m.find("alias").get("name") == args.get("alias")]
    if args.given("node"):
        found = [m for m in found if m.findtext("target/node") == str(args.int("node"))]
    if not found:
        raise CommandError("no memory device found")
    if len(found) > 1:
        raise CommandError("multiple memory devices found, use --alias or --node "
                           "to select one")
    if args.given("requested-size"):
        target = found[0].find("target")
        requested = target.find("requested")
        if requested is None:
            requested = etree.SubElement(target, "requested")
        requested.text = str(args.scaled("requested-size", 1024) // 1024)
        requested.set("unit", "KiB")
    xml = element_text(found[0])
    if args.flag("print-xml"):
        ctl.print(xml)
        return
    with failing("Failed to update memory device"):
        dom.update_device(xml, flags)


@command('domblkthreshold', "Ask for an event when a disk is written past a threshold.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('dev', "disk target or backing chain index", required=True),
         data('threshold', "threshold in bytes (scaled)", required=True, kind=NUMBER))
def domblkthreshold(ctl, args):
    dom = lookup.domain(ctl, args)
    dom.set_block_threshold(args.get("dev"), args.scaled("threshold", 1), 0)
