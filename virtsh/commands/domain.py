"""Domain Management commands (virsh help group 'domain')."""
from virtsh import jsonout, lookup
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt
from virtsh.cmdutil import CHANGE_TARGET, READ_TARGET, affect_flags, flag_bits, read_file
from virtsh.drivers import domain as D
from virtsh.drivers.errors import NO_DOMAIN_METADATA, VirtError
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


@command('autostart', "Choose whether a domain starts when the host boots.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('disable', "do not start it with the host any more"))
def autostart(ctl, args):
    dom = lookup.domain(ctl, args)
    name = dom.name()
    if args.flag("disable"):
        with failing("Failed to unmark domain '%s' as autostarted" % name):
            dom.set_autostart(False)
        ctl.print_extra("Domain '%s' unmarked as autostarted" % name)
    else:
        with failing("Failed to mark domain '%s' as autostarted" % name):
            dom.set_autostart(True)
        ctl.print_extra("Domain '%s' marked as autostarted" % name)
    return True


@command('autostart-guests', "Start every autostart domain that is not running.",
         desc="Start each domain marked for autostart that is shut off, as a "
              "daemon does when the host boots (contrib/virtsh-autostart.service "
              "runs this for qemu:///system). A domain that fails to start is "
              "reported and the others still start.",
         hidden=True)
def autostart_guests(ctl, args):
    ok = True
    for dom in ctl.conn.list_all_domains(D.LIST_INACTIVE | D.LIST_AUTOSTART):
        name = dom.name()
        try:
            dom.create(0)
        except VirtError as e:
            ctl.error("Failed to autostart domain '%s'" % name)
            ctl.error(str(e))
            ok = False
            continue
        ctl.print_extra("Domain '%s' started" % name)
    return ok


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


@command('blkiotune', "Show or set the block I/O tuning of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('weight', "I/O weight", kind=NUMBER),
         data('device-weights', "per-device weights: /path,weight,..."),
         data('device-read-iops-sec', "per-device read IOPS limits: /path,limit,..."),
         data('device-write-iops-sec', "per-device write IOPS limits: /path,limit,..."),
         data('device-read-bytes-sec', "per-device read byte rates: /path,limit,..."),
         data('device-write-bytes-sec', "per-device write byte rates: /path,limit,..."),
         *READ_TARGET,
         jsonout.JSON)
def blkiotune(ctl, args):
    from virtsh.domopts import print_params
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    params = []
    if args.given("weight"):
        params.append(("weight", args.uint("weight")))
    for option in ("device-weights", "device-read-iops-sec", "device-write-iops-sec",
                   "device-read-bytes-sec", "device-write-bytes-sec"):
        if args.given(option):
            name = "device_weight" if option == "device-weights" else \
                option.replace("-", "_")
            params.append((name, args.get(option)))
    if params:
        with failing("Unable to change blkio parameters"):
            dom.set_blkio_params(params, flags)
        return
    with failing("Unable to get blkio parameters"):
        current = dom.blkio_params(flags)
    if jsonout.wanted(args):
        return jsonout.emit(ctl, dict(current))
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


@command('console', "Connect to a domain's console.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('devname', "console, serial or parallel device alias"),
         flag('force', "take over a session already connected"),
         flag('safe', "only connect if the session is safe"))
def console(ctl, args):
    flags = (1 if args.flag("force") else 0) | (2 if args.flag("safe") else 0)
    return run_console(ctl, lookup.domain(ctl, args), args.get("devname"), flags)


def run_console(ctl, dom, devname=None, flags=0):
    """Relay the terminal to the domain's console (also start/create --console)."""
    import os
    if not (os.isatty(0) and os.isatty(1)):
        raise CommandError("Cannot run interactive console without a controlling TTY")
    stream = dom.open_console(devname, flags)
    ctl.print_extra("Connected to domain '%s'" % dom.name())
    ctrl = " (Ctrl + %s)" % ctl.escape[1] if ctl.escape.startswith("^") else ""
    ctl.print_extra("Escape character is %s%s" % (ctl.escape, ctrl))
    ctl.out.flush()
    from virtsh import consolerelay
    consolerelay.run(stream, ctl.escape)
    return True


@command('cpu-stats', "Show the CPU time a domain used, per host CPU and in total.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('total', "show the total"),
         data('start', "first host CPU to show", kind=NUMBER),
         data('count', "number of host CPUs to show", kind=NUMBER))
def cpu_stats(ctl, args):
    dom = lookup.domain(ctl, args)
    start, count = args.int("start", 0), args.int("count")
    if start < 0:
        raise CommandError("Invalid value for start CPU")
    if count is not None and count < 0:
        raise CommandError("Invalid value for number of CPUs to show")
    per_cpu = not args.flag("total") or args.given("start") or args.given("count")
    show_total = args.flag("total") or not (args.given("start") or args.given("count"))
    failure = "Failed to retrieve CPU statistics for domain '%s'" % dom.name()
    if per_cpu:
        with failing(failure):
            total_cpus = dom.cpu_stats(0, 0)
        if start >= total_cpus:
            raise CommandError("Start CPU %d is out of range (min: 0, max: %d)"
                               % (start, total_cpus - 1))
        count = total_cpus - start if count is None else min(count, total_cpus - start)
        with failing(failure):
            stats = dom.cpu_stats(start, count) if count else []
        for offset, params in enumerate(stats):
            ctl.print("CPU%d:" % (start + offset))
            print_cpu_times(ctl, params)
    if show_total:
        with failing(failure):
            totals = dom.cpu_stats(-1, 1)
        ctl.print("Total:")
        print_cpu_times(ctl, totals)


def print_cpu_times(ctl, params):
    for name, value in params:
        if name.endswith("_time"):
            ctl.print("\t%-12s %9d.%09d seconds" % (name, value // 10**9, value % 10**9))
        else:
            ctl.print("\t%-15s %d" % (name, value))


GRAPHICS_SCHEMES = ("vnc", "spice", "rdp")


@command('create', "Start a new transient domain from an XML file.",
         data('file', "domain XML file", required=True, complete="file"),
         flag('console', "attach to the console once started"),
         flag('paused', "leave the new domain paused"),
         flag('autodestroy', "destroy the domain when virtsh exits"),
         data('pass-fds', "file descriptors to pass to the guest"),
         flag('validate', "check the XML against the schema"),
         flag('reset-nvram', "start from a fresh NVRAM"))
def create(ctl, args):
    path = args.get("file")
    xml = read_file(path)
    flags = flag_bits(args, ("paused", D.START_PAUSED), ("autodestroy", D.START_AUTODESTROY),
                  ("validate", D.START_VALIDATE), ("reset-nvram", D.START_RESET_NVRAM))
    with failing("Failed to create domain from %s" % path):
        dom = ctl.conn.create_domain(xml, flags)
    ctl.print_extra("Domain '%s' created from %s" % (dom.name(), path))
    return run_console(ctl, dom) if args.flag("console") else True


@command('define', "Define (or redefine) a persistent domain from an XML file.",
         data('file', "domain XML file", required=True, complete="file"),
         flag('validate', "check the XML against the schema"))
def define(ctl, args):
    path = args.get("file")
    xml = read_file(path)
    flags = D.DEFINE_VALIDATE if args.flag("validate") else 0
    with failing("Failed to define domain from %s" % path):
        dom = ctl.conn.define_domain(xml, flags)
    ctl.print_extra("Domain '%s' defined from %s" % (dom.name(), path))
    return True


@command('desc', "Show or change a domain's description or title.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('live', "the running definition"),
         flag('config', "the persistent definition"),
         flag('current', "the definition in force"),
         flag('title', "the title instead of the description"),
         flag('edit', "edit the text in an editor"),
         argv('new-desc', "the new text"))
def desc(ctl, args):
    dom = lookup.domain(ctl, args)
    flags = affect_flags(args)
    title = args.flag("title")
    kind = D.METADATA_TITLE if title else D.METADATA_DESCRIPTION
    what = "title" if title else "description"
    words = args.argv("new-desc")
    if args.flag("edit"):
        text = _edit_text(_metadata_or_empty(dom, kind, flags), title)
        if text is None:
            ctl.print_extra("Domain %s not changed" % what)
            return True
        words = [text]
    elif not words and not args.given("new-desc"):
        try:
            text = dom.metadata(kind, None, flags)
        except VirtError as e:
            if e.code != NO_DOMAIN_METADATA:
                raise
            ctl.print("No %s for domain: %s" % (what, dom.name()), end="")
            return True
        ctl.print(text, end="")
        return True
    text = " ".join(words)
    _metadata_or_empty(dom, kind, flags)       # virsh reads the old text first
    try:
        dom.set_metadata(kind, text, None, None, flags)
    except VirtError as e:
        raise CommandError("Failed to set new domain %s" % what, e) from e
    ctl.print_extra("Domain %s updated successfully" % what, end="")
    return True


def _metadata_or_empty(dom, kind, flags):
    try:
        return dom.metadata(kind, None, flags)
    except VirtError as e:
        if e.code != NO_DOMAIN_METADATA:
            raise
        return ""


def _edit_text(text, single_line):
    """Let the user edit *text*; the new text, or None when unchanged.  A
    title loses the newline editors add at the end."""
    import os
    import tempfile
    from virtsh.editing import run_editor
    fd, path = tempfile.mkstemp(prefix="virtsh", suffix=".txt")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        run_editor(path)
        with open(path) as f:
            edited = f.read()
    finally:
        os.unlink(path)
    if single_line and edited.endswith("\n"):
        edited = edited[:-1]
    return None if edited == text else edited


@command('destroy', "Stop a domain at once, like pulling its power cord.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         flag('graceful', "fail rather than kill a guest that resists"),
         flag('remove-logs', "remove the domain's log files"))
def destroy(ctl, args):
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    with failing("Failed to destroy domain '%s'" % name):
        dom.destroy(1 if args.flag("graceful") else 0)
    ctl.print_extra("Domain '%s' destroyed" % name)
    return True


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


@command('domdisplay', "Show the URI of a domain's graphical display.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('include-password', "include the password in the URI"),
         data('type', "only this kind of display (vnc, spice, rdp)"),
         flag('all', "show every display"))
def domdisplay(ctl, args):
    from virtsh.domxml import domain_tree
    dom = lookup.domain(ctl, args)
    if not dom.is_active():
        raise CommandError("Domain is not running")
    wanted = args.get("type")
    tree = domain_tree(dom, secure=args.flag("include-password"))
    shown = 0
    for scheme in GRAPHICS_SCHEMES:
        if wanted and wanted != scheme:
            continue
        graphics = tree.find("devices/graphics[@type='%s']" % scheme)
        uri = graphics_uri(scheme, graphics, args.flag("include-password"))
        if uri is None:
            continue
        shown += 1
        if not args.flag("all"):
            ctl.print(uri, end="")
            break
        ctl.print(uri)
    if not shown:
        if wanted:
            raise CommandError("No graphical display with type '%s' found" % wanted)
        raise CommandError("No graphical display found")


def graphics_uri(scheme, graphics, with_password):
    """``vnc://127.0.0.1:1`` (or ``spice+unix:///PATH`` for a socket) for a
    <graphics> element, None when it listens nowhere."""
    if graphics is None:
        return None
    listen = graphics.find("listen")
    socket = listen.get("socket") if listen is not None and \
        listen.get("type") == "socket" else None
    port = int(graphics.get("port", "0") or 0)
    tls_port = int(graphics.get("tlsPort", "0") or 0)
    if not socket and port <= 0 and tls_port <= 0:
        return None
    password = graphics.get("passwd") if with_password else None
    uri = scheme + ("+unix://" if socket else "://")
    if password and scheme != "spice":
        uri += ":%s@" % password
    if socket:
        uri += socket
    else:
        address = (listen.get("address") if listen is not None else None) \
            or graphics.get("listen")
        if not address or address in ("0.0.0.0", "::"):
            address = "localhost"
        uri += "[%s]" % address if ":" in address else address
        if port > 0:
            uri += ":%d" % (port - 5900 if scheme == "vnc" else port)
    params = ["tls-port=%d" % tls_port] if tls_port > 0 and not socket else []
    if password and scheme == "spice":     # SPICE clients take it as a parameter
        params.append("password=%s" % password)
    return uri + ("?" + "&".join(params) if params else "")


@command('domfsfreeze', "Freeze a guest's file systems.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         argv('mountpoint', "mount points to freeze (default: all)"))
def domfsfreeze(ctl, args):
    dom = lookup.domain(ctl, args)
    with failing("Unable to freeze filesystems"):
        count = dom.fs_freeze(args.argv("mountpoint"), 0)
    ctl.print_extra("Froze %d filesystem(s)" % count)


@command('domfsthaw', "Thaw a guest's frozen file systems.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         argv('mountpoint', "mount points to thaw (default: all)"))
def domfsthaw(ctl, args):
    dom = lookup.domain(ctl, args)
    with failing("Unable to thaw filesystems"):
        count = dom.fs_thaw(args.argv("mountpoint"), 0)
    ctl.print_extra("Thawed %d filesystem(s)" % count)


@command('domfsinfo', "List the file systems mounted in a guest.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def domfsinfo(ctl, args):
    from virtsh.format import print_table
    dom = lookup.domain(ctl, args)
    with failing("Unable to get filesystem information"):
        systems = dom.fs_info()
    if not systems:
        ctl.print_extra("No filesystems are mounted in the domain", end="")
        return
    print_table(ctl, ("Mountpoint", "Name", "Type", "Target"),
                [(mount, name, fstype, ",".join(targets) or "-")
                 for mount, name, fstype, targets in systems])


@command('domfstrim', "Discard unused blocks of a guest's file systems.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('minimum', "only free ranges at least this long (bytes)", kind=NUMBER),
         data('mountpoint', "only this mount point"))
def domfstrim(ctl, args):
    dom = lookup.domain(ctl, args)
    minimum = args.ulong("minimum", 0)
    with failing("Unable to invoke fstrim"):
        dom.fs_trim(args.get("mountpoint"), minimum, 0)


GUEST_INFO_TYPES = (("user", 1), ("os", 2), ("timezone", 4), ("hostname", 8),
                    ("filesystem", 16), ("disk", 32), ("interface", 64))


@command('domhostname', "Show the host name of a guest.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('source', "where to ask: agent or lease"))
def domhostname(ctl, args):
    source = args.get("source")
    flags = {None: 0, "lease": 1, "agent": 2}.get(source)
    if flags is None:
        raise CommandError("Unknown data source '%s'" % source)
    dom = lookup.domain(ctl, args)
    with failing("failed to get hostname"):
        name = dom.hostname(flags)
    ctl.print(name)


@command('domid', "Show the id of a domain ('-' when it is not running).",
         data('domain', "domain name or uuid", required=True, complete="domain"))
def domid(ctl, args):
    dom_id = lookup.domain(ctl, args).id()
    ctl.print(str(dom_id) if dom_id >= 0 else "-")
    return True


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


@command('domjobabort', "Abort the job running on a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('postcopy', "interrupt a post-copy migration"))
def domjobabort(ctl, args):
    dom = lookup.domain(ctl, args)
    if args.flag("postcopy"):
        dom.abort_job_flags(1)      # VIR_DOMAIN_ABORT_JOB_POSTCOPY
    else:
        dom.abort_job()


@command('domjobinfo', "Show the job running on a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('completed', "the last completed job instead"),
         flag('keep-completed', "do not forget the completed job"),
         flag('anystats', "show statistics of any kind of job"),
         flag('rawstats', "show the raw statistics"))
def domjobinfo(ctl, args):
    from virtsh import jobinfo
    from virtsh.domopts import param_text
    from virtsh.drivers.errors import NO_SUPPORT
    dom = lookup.domain(ctl, args)
    flags = flag_bits(args, ("completed", 1), ("keep-completed", 2))
    try:
        job, params = dom.job_stats(flags)
    except VirtError as e:
        if e.code != NO_SUPPORT:
            raise
        if flags or args.flag("rawstats"):
            raise CommandError("Optional flags or --rawstats are not supported by "
                               "the daemon", e) from None
        job, params = dom.job_info()
    ctl.print("%-17s %-12s" % ("Job type:", JOB_TYPES[job]))
    if jobinfo.is_raw(params) and not args.flag("rawstats"):
        for line in jobinfo.lines(job == D.JOB_COMPLETED, params):
            ctl.print(line)
        return
    for name, value in params:
        ctl.print("%-17s %s" % (name + ":", param_text(value)))


@command('domlaunchsecinfo', "Show the launch security parameters of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def domlaunchsecinfo(ctl, args):
    from virtsh.domopts import print_params
    dom = lookup.domain(ctl, args)
    with failing("Unable to get launch security parameters"):
        params = dom.launch_security_info(0)
    print_params(ctl, params)


@command('domsetlaunchsecstate', "Inject a launch secret into a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         opt('secrethdr', "file with the secret header", complete="file"),
         opt('secret', "file with the secret", complete="file"),
         data('set-address', "guest address of the secret", kind=NUMBER))
def domsetlaunchsecstate(ctl, args):
    import base64
    dom = lookup.domain(ctl, args)
    if not (args.given("secrethdr") and args.given("secret")):
        raise CommandError("Both secret and the secret header are required")
    params = []
    for option, name in (("secrethdr", "sev-secret-header"), ("secret", "sev-secret")):
        data_ = read_file(args.get(option)).encode("utf-8", "surrogateescape")
        params.append((name, base64.b64encode(data_).decode()))
    if args.given("set-address"):
        params.append(("sev-secret-set-address", args.ulong("set-address")))
    with failing("Unable to set launch security state"):
        dom.set_launch_security_state(params, 0)
    ctl.print_extra("\nSet domain launch security state successfully")


@command('domname', "Show the name of a domain given its id or uuid.",
         data('domain', "domain id or uuid", required=True, complete="domain"))
def domname(ctl, args):
    ctl.print(lookup.domain(ctl, args).name())
    return True


@command('domrename', "Give a shut off domain a new name.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-inactive"),
         data('new-name', "the new name", required=True))
def domrename(ctl, args):
    lookup.domain(ctl, args).rename(args.get("new-name"))
    ctl.print_extra("Domain successfully renamed")
    return True


@command('dompmsuspend', "Suspend a running guest to memory or disk (guest power management).",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         data('target', "mem, disk or hybrid", required=True),
         opt('duration', "seconds until the guest wakes up", kind=NUMBER))
def dompmsuspend(ctl, args):
    targets = {"mem": 0, "disk": 1, "hybrid": 2}
    dom = lookup.domain(ctl, args)
    duration = args.ulong("duration", 0)
    target = args.get("target")
    if target not in targets:
        raise CommandError("Invalid target")
    with failing("Domain '%s' could not be suspended" % dom.name()):
        dom.pm_suspend(targets[target], duration)
    ctl.print_extra("Domain '%s' successfully suspended" % dom.name())
    return True


@command('dompmwakeup', "Wake up a guest suspended with dompmsuspend.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def dompmwakeup(ctl, args):
    dom = lookup.domain(ctl, args)
    with failing("Domain '%s' could not be woken up" % dom.name()):
        dom.pm_wakeup()
    ctl.print_extra("Domain '%s' successfully woken up" % dom.name())
    return True


@command('domuuid', "Show the UUID of a domain.",
         data('domain', "domain name or id", required=True, complete="domain"))
def domuuid(ctl, args):
    ctl.print(lookup.domain(ctl, args).uuid())
    return True


@command('domxml-from-native', "Turn a native guest configuration into domain XML.",
         data('format', "the native format (e.g. qemu-argv)", required=True),
         data('config', "file with the native configuration", required=True, complete="file"))
def domxml_from_native(ctl, args):
    native = read_file(args.get("config"))
    xml = ctl.conn.domain_xml_from_native(args.get("format"), native)
    ctl.print(xml, end="")
    return True


@command('domxml-to-native', "Turn domain XML into a native guest configuration.",
         data('format', "the native format (e.g. qemu-argv)", required=True),
         opt('domain', "take the XML of this domain", complete="domain"),
         data('xml', "domain XML file", complete="file"))
def domxml_to_native(ctl, args):
    if args.given("domain") and args.given("xml"):
        raise CommandError("Options --domain and --xml are mutually exclusive")
    if not args.given("domain") and not args.given("xml"):
        raise CommandError("need either domain or domain XML")
    if args.given("domain"):
        xml = lookup.domain(ctl, args).xml_desc()
    else:
        xml = read_file(args.get("xml"))
    ctl.print(ctl.conn.domain_xml_to_native(args.get("format"), xml), end="")
    return True


@command('dump', "Dump a domain's memory to a file.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('file', "where to write the dump", required=True, complete="file"),
         flag('live', "keep the domain running while dumping"),
         flag('crash', "crash the domain after the dump"),
         flag('bypass-cache', "avoid the file system cache"),
         flag('reset', "reset the domain after the dump"),
         flag('verbose', "show progress"),
         flag('memory-only', "dump only the guest memory"),
         data('format', "format of a memory-only dump (elf, kdump-zlib ...)"))
def dump(ctl, args):
    from virtsh.domopts import exclusive
    exclusive(args, "live", "crash")
    exclusive(args, "live", "reset")
    exclusive(args, "crash", "reset")
    fmt = args.get("format")
    if fmt is not None:
        if not args.flag("memory-only"):
            raise CommandError("--format only works with --memory-only")
        if fmt not in DUMP_FORMATS:
            raise CommandError("format '%s' is not supported, expecting 'kdump-zlib', "
                               "'kdump-lzo', 'kdump-snappy', 'win-dmp' or 'elf'" % fmt)
    dom = lookup.domain(ctl, args)
    flags = flag_bits(args, ("live", D.DUMP_LIVE), ("crash", D.DUMP_CRASH),
                      ("bypass-cache", D.DUMP_BYPASS_CACHE), ("reset", D.DUMP_RESET),
                      ("memory-only", D.DUMP_MEMORY_ONLY))
    path = args.get("file")
    from virtsh.jobprogress import showing
    with failing("Failed to core dump domain '%s' to %s" % (dom.name(), path)), \
            showing(ctl, "Dump", args.flag("verbose")):
        if fmt is not None:
            dom.core_dump_with_format(path, DUMP_FORMATS.index(fmt), flags)
        else:
            dom.core_dump(path, flags)
    ctl.print_extra("\nDomain '%s' dumped to %s" % (dom.name(), path))


@command('dumpxml', "Show the XML description of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('inactive', "the persistent definition, not the running one"),
         flag('security-info', "include passwords and other secrets"),
         flag('update-cpu', "expand the CPU model to the host's"),
         flag('migratable', "the XML a migration would send"),
         opt('xpath', "print only the nodes this XPath selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def dumpxml(ctl, args):
    from virtsh import xmlconf
    from virtsh.xmlout import print_xml
    dom = lookup.domain(ctl, args)
    flags = flag_bits(args, ("inactive", xmlconf.XML_INACTIVE),
                  ("security-info", xmlconf.XML_SECURE),
                  ("update-cpu", xmlconf.XML_UPDATE_CPU),
                  ("migratable", xmlconf.XML_MIGRATABLE))
    print_xml(ctl, dom.xml_desc(flags), args.get("xpath"), args.flag("wrap"))
    return True


@command('edit', "change a domain's persistent XML in your editor",
         data('domain', "domain name, id or uuid", required=True,
              complete="domain"),
         flag('skip-validate', "do not check the edited XML against the schema"),
         opt('xpath', "edit without an editor: the nodes this XPath selects"),
         opt('set', "with --xpath: the new text or attribute value"),
         flag('delete', "with --xpath: remove the selected nodes"),
         desc="Open the domain's persistent XML in $VISUAL or $EDITOR and "
              "redefine the domain from the result; with --xpath, set or "
              "delete nodes without an editor.")
def edit(ctl, args):
    from virtsh import editing
    from virtsh.drivers.domain import DEFINE_VALIDATE
    from virtsh.lookup import domain
    from virtsh.xmlconf import XML_INACTIVE, XML_SECURE
    change = editing.xpath_change(args)
    dom = domain(ctl, args)
    checked = not args.flag("skip-validate")

    def define(xml, validate):
        flags = DEFINE_VALIDATE if checked and validate else 0
        return ctl.conn.define_domain(xml, flags).name()

    thing = editing.Editable(
        lambda: dom.xml_desc(XML_INACTIVE | XML_SECURE), define,
        "Domain '%s' XML configuration not changed." % dom.name(),
        "Domain '%s' XML configuration edited.", can_relax=checked)
    return editing.run(ctl, thing, change)


@command('get-user-sshkeys', "List the authorized SSH keys of a guest user.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('user', "guest user", required=True))
def get_user_sshkeys(ctl, args):
    dom = lookup.domain(ctl, args)
    for key in dom.ssh_keys(args.get("user"), 0):
        ctl.print(key)


@command('inject-nmi', "Send a non-maskable interrupt to a guest.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"))
def inject_nmi(ctl, args):
    lookup.domain(ctl, args).inject_nmi()
    return True


@command('iothreadinfo', "List the IOThreads of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         *READ_TARGET,
         jsonout.JSON)
def iothreadinfo(ctl, args):
    from virtsh.domopts import cpu_list_text, host_cpu_count
    from virtsh.format import print_table
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    threads = dom.iothread_info(flags)
    maxcpu = host_cpu_count(ctl.conn) if threads else 0
    if jsonout.wanted(args):
        return jsonout.emit(ctl, [{"id": ident, "affinity": sorted(
            c for c in cpus if c < maxcpu)} for ident, cpus in threads])
    if not threads:
        ctl.print_extra("No IOThreads found for the domain", end="")
        return
    print_table(ctl, ("IOThread ID", "CPU Affinity"),
                [(ident, cpu_list_text(cpus, maxcpu)) for ident, cpus in threads])


def iothread_id(args, option="id"):
    """The IOThread id option, which must be positive."""
    ident = args.int(option)
    if ident <= 0:
        raise CommandError("Invalid IOThread id value: '%d'" % ident)
    return ident


@command('iothreadpin', "Pin an IOThread to host CPUs.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('iothread', "IOThread id", required=True, kind=NUMBER),
         data('cpulist', "host CPUs (1,3-5,^4 or r for all)", required=True),
         *CHANGE_TARGET)
def iothreadpin(ctl, args):
    from virtsh.domopts import host_cpu_count, parse_cpu_list
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    ident = args.uint("iothread")
    cpus = parse_cpu_list(args.get("cpulist"), host_cpu_count(ctl.conn))
    dom.pin_iothread(ident, cpus, flags)


@command('iothreadadd', "Add an IOThread to a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('id', "id of the new IOThread", required=True, kind=NUMBER),
         *CHANGE_TARGET)
def iothreadadd(ctl, args):
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    dom.add_iothread(iothread_id(args), flags)


@command('iothreadset', "Tune an IOThread's polling and thread pool.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('id', "IOThread id", required=True, kind=NUMBER),
         data('poll-max-ns', "maximum polling time in ns", kind=NUMBER),
         data('poll-grow', "polling time growth factor", kind=NUMBER),
         data('poll-shrink', "polling time shrink divisor", kind=NUMBER),
         data('thread-pool-min', "minimum worker threads", kind=NUMBER),
         data('thread-pool-max', "maximum worker threads", kind=NUMBER),
         *CHANGE_TARGET)
def iothreadset(ctl, args):
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    ident = iothread_id(args)
    params = []
    for option in ("poll-max-ns", "poll-grow", "poll-shrink"):
        if args.given(option):
            params.append((option.replace("-", "_"), args.ulong(option)))
    for option in ("thread-pool-min", "thread-pool-max"):
        if args.given(option):
            params.append((option.replace("-", "_"), args.int(option)))
    if not params:
        raise CommandError("Not enough arguments passed, nothing to set")
    dom.set_iothread_params(ident, params, flags)


@command('iothreaddel', "Remove an IOThread from a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('id', "IOThread id", required=True, kind=NUMBER),
         *CHANGE_TARGET)
def iothreaddel(ctl, args):
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    dom.del_iothread(iothread_id(args), flags)


@command('send-key', "Send keystrokes to a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         opt('codeset', "keycode set (linux, xt, atset1 ... usb, win32, qnum)"),
         opt('holdtime', "milliseconds to hold each key", kind=NUMBER),
         argv('keycode', "key names (KEY_A) or numbers", required=True))
def send_key(ctl, args):
    from virtsh.args import parse_c_integer
    from virtsh.keycodes import LINUX
    dom = lookup.domain(ctl, args)
    codeset_name = args.get("codeset", "linux")
    if codeset_name not in KEYCODE_SETS:
        raise CommandError("unknown codeset: '%s'" % codeset_name)
    codeset = KEYCODE_SETS.index(codeset_name)
    holdtime = args.int("holdtime", 0)
    if holdtime < 0:
        raise CommandError("invalid value of --holdtime")
    codes = []
    for word in args.argv("keycode"):
        code = parse_key(word, codeset_name, LINUX, parse_c_integer)
        if code is None:
            raise CommandError("invalid keycode: '%s'" % word)
        codes.append(code)
    if len(codes) > 16:
        raise CommandError("too many keycodes")
    dom.send_key(codeset, holdtime, codes, 0)


def parse_key(word, codeset, names, parse_int):
    """A keycode: a number (decimal or 0x hex) below 0xffff, or a key name of
    the linux codeset."""
    if word[:2].lower() == "0x":
        try:
            number = int(word[2:], 16)
        except ValueError:
            number = None
    else:
        number = parse_int(word)
    if number is not None:
        return number if 0 <= number <= 0xffff else None
    return names.get(word) if codeset == "linux" else None


DUMP_FORMATS = ("elf", "kdump-zlib", "kdump-lzo", "kdump-snappy", "win-dmp")


@command('send-process-signal', "Send a signal to a process inside a guest.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         data('pid', "the process id", required=True),
         data('signame', "the signal: a number or a name like sigterm", required=True))
def send_process_signal(ctl, args):
    dom = lookup.domain(ctl, args)
    pid = args.long("pid")
    signum = _signal_number(args.get("signame"))
    dom.send_process_signal(pid, signum)
    return True


@command('lxc-enter-namespace', "Run a command in a container's namespaces.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('noseclabel', "keep the caller's security label"),
         argv('cmd', "the command and its arguments", required=True))
def lxc_enter_namespace(ctl, args):
    from virtsh import nsenter
    dom = lookup.domain(ctl, args)
    fds = dom.lxc_open_namespace(0)
    ctl.out.flush()
    failure = nsenter.run(fds, args.argv("cmd"))
    if failure:
        raise CommandError("internal error: " + failure)
    return True


@command('managedsave', "Save a running domain's state to an image the host manages; start resumes it.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         flag('bypass-cache', "avoid the file system cache"),
         flag('running', "resume running"),
         flag('paused', "resume paused"),
         flag('verbose', "show progress"))
def managedsave(ctl, args):
    dom = lookup.domain(ctl, args)
    name = dom.name()
    flags = flag_bits(args, ("bypass-cache", D.SAVE_BYPASS_CACHE),
                  ("running", D.SAVE_RUNNING), ("paused", D.SAVE_PAUSED))
    from virtsh.jobprogress import showing
    with failing("Failed to save domain '%s' state" % name), \
            showing(ctl, "Managedsave", args.flag("verbose")):
        dom.managed_save(flags)
    ctl.print_extra("\nDomain '%s' state saved by libvirt" % name)
    return True


@command('managedsave-remove', "Delete a domain's managed save image.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-inactive"))
def managedsave_remove(ctl, args):
    dom = lookup.domain(ctl, args)
    name = dom.name()
    with failing("Failed to check for domain managed save image"):
        has_image = dom.has_managed_save()
    if not has_image:
        ctl.print_extra("Domain '%s' has no manage save image; removal skipped" % name,
                        end="")
        return True
    with failing("Failed to remove managed save image for domain '%s'" % name):
        dom.managed_save_remove()
    ctl.print_extra("Removed managedsave image for domain '%s'" % name, end="")
    return True


@command('managedsave-edit', "change the domain XML inside a managed save image",
         data('domain', "domain name, id or uuid", required=True,
              complete="domain-inactive"),
         flag('running', "resume the domain running when it next starts"),
         flag('paused', "resume the domain paused when it next starts"),
         desc="Edit the domain XML stored in a domain's managed save image "
              "in $VISUAL or $EDITOR, and store the result back.")
def managedsave_edit(ctl, args):
    from virtsh import editing
    from virtsh.lookup import domain
    flags = _saved_state_flags(args)
    dom = domain(ctl, args)
    return editing.run(ctl, editing.Editable(
        lambda: dom.managed_save_xml(SAVE_IMAGE_XML_SECURE),
        lambda xml, validate: dom.managed_save_define_xml(xml, flags),
        "Managed save image of domain '%s' XML configuration not changed."
        % dom.name(),
        "Managed save image of Domain '%s' XML configuration edited."
        % dom.name()))


@command('managedsave-dumpxml', "Show the domain XML stored in a managed save image.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-inactive"),
         flag('security-info', "include passwords and other secrets"),
         opt('xpath', "print only the nodes this XPath selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def managedsave_dumpxml(ctl, args):
    from virtsh import xmlconf
    from virtsh.xmlout import print_xml
    dom = lookup.domain(ctl, args)
    flags = xmlconf.XML_SECURE if args.flag("security-info") else 0
    print_xml(ctl, dom.managed_save_xml(flags), args.get("xpath"), args.flag("wrap"))
    return True


@command('managedsave-define', "Replace the domain XML stored in a managed save image.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-inactive"),
         data('xml', "file with the new domain XML", required=True, complete="file"),
         flag('running', "resume running"),
         flag('paused', "resume paused"))
def managedsave_define(ctl, args):
    dom = lookup.domain(ctl, args)
    xml = read_file(args.get("xml"))
    flags = flag_bits(args, ("running", D.SAVE_RUNNING), ("paused", D.SAVE_PAUSED))
    with failing("Failed to update %s XML configuration" % dom.name()):
        dom.managed_save_define_xml(xml, flags)
    ctl.print_extra("Managed save state file of domain '%s' updated." % dom.name())
    return True


@command('memtune', "Show or set the memory limits of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('hard-limit', "maximum memory (default KiB, -1 for unlimited)",
              kind=NUMBER),
         data('soft-limit', "memory under contention (default KiB)", kind=NUMBER),
         data('swap-hard-limit', "maximum memory plus swap (default KiB)",
              kind=NUMBER),
         data('min-guarantee', "guaranteed memory (default KiB)", kind=NUMBER),
         *READ_TARGET,
         jsonout.JSON)
def memtune(ctl, args):
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    params = []
    for option in ("hard-limit", "soft-limit", "swap-hard-limit", "min-guarantee"):
        if not args.given(option):
            continue
        if args.get(option).strip() == "-1":
            value = D.MEMORY_PARAM_UNLIMITED
        else:
            value = _memtune_kib(args.get(option), option)
        params.append((option.replace("-", "_"), value))
    if params:
        with failing("Unable to change memory parameters"):
            dom.set_memory_params(params, flags)
        return
    with failing("Unable to get memory parameters"):
        current = dom.memory_params(flags)
    if jsonout.wanted(args):
        return jsonout.emit(ctl, {
            name + "_kib": None if value == D.MEMORY_PARAM_UNLIMITED else value
            for name, value in current})
    for name, value in current:
        shown = "unlimited" if value == D.MEMORY_PARAM_UNLIMITED else value
        ctl.print("%-15s: %s" % (name, shown))


def _memtune_kib(text, option):
    """A memtune size in KiB, rounded up (virsh's vshMemtuneGetSize: at
    most LLONG_MAX bytes)."""
    from virtsh.args import LLONG_MAX, scale_integer, split_number
    number, suffix = split_number(text)
    if number is None:
        raise CommandError("Unable to parse integer parameter %s" % option)
    if number * 1024 > LLONG_MAX and not suffix:
        raise CommandError("Unable to parse integer parameter %s" % option,
                           "numerical overflow: value too large: %d" % number)
    try:
        return -(-scale_integer(number, suffix, 1024, LLONG_MAX) // 1024)
    except ValueError as e:
        raise CommandError("Unable to parse integer parameter %s" % option,
                           str(e)) from None


NUMA_MODES = ("strict", "preferred", "interleave", "restrictive")


@command('perf', "Show or change the perf events of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('enable', "events to enable, comma separated"),
         data('disable', "events to disable, comma separated"),
         *READ_TARGET)
def perf(ctl, args):
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    params = []
    for option, state in (("enable", True), ("disable", False)):
        if args.given(option):
            params += [(name, state) for name in args.get(option).split(",") if name]
    if params:
        with failing("Unable to enable/disable perf events"):
            dom.set_perf_events(params, flags)
    else:
        with failing("Unable to get perf events"):
            params = dom.perf_events(flags)
    for name, enabled in params:
        ctl.print_extra("%-15s: %s" % (name, "enabled" if enabled else "disabled"))


LIFECYCLE_TYPES = ("poweroff", "reboot", "crash")
LIFECYCLE_ACTIONS = ("destroy", "restart", "rename-restart", "preserve",
                     "coredump-destroy", "coredump-restart")


@command('metadata', "Show or change a domain's custom metadata element of a namespace.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('uri', "the namespace URI of the element", required=True),
         flag('live', "the running definition"),
         flag('config', "the persistent definition"),
         flag('current', "the definition in force"),
         flag('edit', "edit the element in an editor"),
         data('key', "the namespace prefix to use when setting"),
         data('set', "the new element, as XML"),
         flag('remove', "remove the element"))
def metadata(ctl, args):
    dom = lookup.domain(ctl, args)
    flags = affect_flags(args)
    uri, key = args.get("uri"), args.get("key")
    if args.flag("edit"):
        raise CommandError("editing metadata is not supported")
    if args.given("set") or args.flag("remove"):
        if args.given("set") and not key:
            raise CommandError("namespace key is required when modifying metadata")
        value = None if args.flag("remove") else args.get("set")
        dom.set_metadata(D.METADATA_ELEMENT, value, key, uri, flags)
        ctl.print_extra("Metadata removed" if value is None else "Metadata modified")
        return True
    ctl.print(dom.metadata(D.METADATA_ELEMENT, uri, flags))
    return True


@command('migrate', "Move a domain to another host.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('desturi', "connection URI of the destination", required=True),
         flag('live', "migrate while the guest keeps running"),
         flag('offline', "move only the definition of a shut off domain"),
         flag('p2p', "let the source host drive the migration"),
         flag('direct', "direct migration between the hypervisors"),
         flag('tunnelled', "carry the data over the libvirt connection"),
         flag('persistent', "make the domain persistent on the destination"),
         flag('undefinesource', "undefine the domain on the source afterwards"),
         flag('suspend', "leave the domain paused on the destination"),
         flag('copy-storage-all', "copy whole disk images too"),
         flag('copy-storage-inc', "copy disk images incrementally"),
         flag('copy-storage-synchronous-writes', "make disk copies write synchronously"),
         flag('change-protection', "refuse changes to the domain during migration"),
         flag('unsafe', "migrate even if it may corrupt data"),
         flag('verbose', "show progress"),
         flag('compressed', "compress the memory data"),
         flag('auto-converge', "throttle the guest to make migration converge"),
         flag('rdma-pin-all', "pin all guest memory for RDMA"),
         flag('abort-on-error', "abort on soft errors"),
         flag('postcopy', "allow switching to post-copy"),
         flag('postcopy-after-precopy', "switch to post-copy after the first pass"),
         flag('postcopy-resume', "resume a failed post-copy migration"),
         flag('zerocopy', "use zero-copy transfers"),
         data('migrateuri', "URI for the migration data"),
         data('graphicsuri', "URI the graphics clients reconnect to"),
         data('listen-address', "address the destination listens on"),
         data('dname', "new name on the destination"),
         data('timeout', "seconds before the guest is suspended or switched to post-copy", kind=NUMBER),
         flag('timeout-suspend', "suspend the guest after the timeout"),
         flag('timeout-postcopy', "switch to post-copy after the timeout"),
         data('xml', "file with the domain XML to use on the destination"),
         data('migrate-disks', "comma separated disks to copy"),
         data('disks-port', "port for the disk copy", kind=NUMBER),
         data('disks-uri', "URI for the disk copy"),
         data('comp-methods', "comma separated compression methods"),
         data('comp-mt-level', "multithread compression level", kind=NUMBER),
         data('comp-mt-threads', "multithread compression threads", kind=NUMBER),
         data('comp-mt-dthreads', "multithread decompression threads", kind=NUMBER),
         data('comp-xbzrle-cache', "XBZRLE cache size in bytes", kind=NUMBER),
         data('auto-converge-initial', "initial auto-converge throttle", kind=NUMBER),
         data('auto-converge-increment', "auto-converge throttle increment", kind=NUMBER),
         data('persistent-xml', "file with the persistent XML for the destination"),
         flag('tls', "encrypt the data with TLS"),
         data('postcopy-bandwidth', "post-copy bandwidth in MiB/s", kind=NUMBER),
         flag('parallel', "use several connections"),
         data('parallel-connections', "how many connections", kind=NUMBER),
         data('bandwidth', "bandwidth limit in MiB/s", kind=NUMBER),
         data('tls-destination', "host name to check the TLS certificate against"),
         aliases=(Alias('tunneled', 'tunnelled'),))
def migrate(ctl, args):
    dom = lookup.domain(ctl, args)
    flags = flag_bits(args, *_MIGRATE_FLAGS)
    params = {name: args.get(option) for option, name in _MIGRATE_STRING_PARAMS
              if args.given(option)}
    for option, name in (("xml", "destination_xml"), ("persistent-xml", "persistent_xml")):
        if args.given(option):
            params[name] = read_file(args.get(option))
    for option, name in _MIGRATE_NUMBER_PARAMS:
        if args.given(option):
            params[name] = args.ulong(option)
    if args.given("timeout") and not args.flag("live"):
        raise CommandError("migrate: Unexpected timeout for offline migration")
    if (args.flag("timeout-suspend") or args.flag("timeout-postcopy")) \
            and not args.given("timeout"):
        raise CommandError("migrate: Unexpected --timeout-* option without --timeout")
    desturi = args.get("desturi")
    if flags & _MIGRATE_PEER2PEER or args.flag("direct"):
        dom.migrate_to_uri(desturi, params, flags)
        return True
    import sys
    from virtsh import drivers
    from virtsh.drivers import migrate as migration
    with failing("failed to connect to the hypervisor"):
        dest = drivers.open(desturi)
    watch = migration.Watch(_print_job_progress if args.flag("verbose") else None,
                            args.ulong("timeout") if args.given("timeout") else 0,
                            "postcopy" if args.flag("timeout-postcopy") else "suspend")
    try:
        migration.migrate(dom, dest, params, flags, watch)
    finally:
        if args.flag("verbose"):
            sys.stderr.write("\n")
    return True


def _print_job_progress(remaining, total):
    """virsh's progress line of a job, redrawn in place on stderr."""
    import sys
    percent = 100 if remaining == 0 else min(99, int(100.0 - remaining * 100.0 / total))
    sys.stdout.flush()
    sys.stderr.write("\rMigration: [%3d %%]" % percent)
    sys.stderr.flush()


@command('migrate-setmaxdowntime', "Set the longest pause a live migration may cause.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('downtime', "milliseconds", required=True, kind=NUMBER))
def migrate_setmaxdowntime(ctl, args):
    dom = lookup.domain(ctl, args)
    downtime = args.ulong("downtime")
    if downtime < 1:
        raise CommandError("Invalid downtime.")
    dom.migrate_set_max_downtime(downtime)
    return True


@command('migrate-getmaxdowntime', "Show the longest pause a live migration may cause.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def migrate_getmaxdowntime(ctl, args):
    ctl.print("%d" % lookup.domain(ctl, args).migrate_get_max_downtime())
    return True


@command('migrate-compcache', "Show or set the migration compression cache size.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         opt('size', "the new size in bytes", kind=NUMBER))
def migrate_compcache(ctl, args):
    dom = lookup.domain(ctl, args)
    if args.given("size"):
        dom.migrate_set_compression_cache(args.ulong("size"))
    size = dom.migrate_get_compression_cache()
    value, unit = _pretty_bytes(size)
    ctl.print("Compression cache: %.3f %s" % (value, unit))
    return True


@command('migrate-setspeed', "Set the bandwidth limit of migrations (MiB/s).",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('bandwidth', "MiB/s", required=True, kind=NUMBER),
         flag('postcopy', "the limit of the post-copy phase"))
def migrate_setspeed(ctl, args):
    dom = lookup.domain(ctl, args)
    dom.migrate_set_max_speed(args.ulong("bandwidth"), 1 if args.flag("postcopy") else 0)
    return True


@command('migrate-getspeed', "Show the bandwidth limit of migrations (MiB/s).",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('postcopy', "the limit of the post-copy phase"))
def migrate_getspeed(ctl, args):
    dom = lookup.domain(ctl, args)
    ctl.print("%d" % dom.migrate_get_max_speed(1 if args.flag("postcopy") else 0))
    return True


@command('migrate-postcopy', "Switch a running migration to post-copy.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def migrate_postcopy(ctl, args):
    lookup.domain(ctl, args).migrate_start_post_copy()
    return True


@command('numatune', "Show or set the NUMA memory policy of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('mode', "strict, preferred, interleave or restrictive"),
         data('nodeset', "host NUMA nodes (0-1,3)"),
         *READ_TARGET)
def numatune(ctl, args):
    from virtsh.args import parse_c_integer
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    params = []
    if args.given("mode"):
        mode = args.get("mode")
        number = NUMA_MODES.index(mode) if mode in NUMA_MODES else parse_c_integer(mode)
        if number is None:
            raise CommandError("Invalid mode: %s" % mode)
        params.append(("numa_mode", number))
    if args.given("nodeset"):
        params.append(("numa_nodeset", args.get("nodeset")))
    if params:
        with failing("Unable to change numa parameters"):
            dom.set_numa_params(params, flags)
        return
    with failing("Unable to get numa parameters"):
        current = dom.numa_params(flags)
    for name, value in current:
        if name == "numa_mode" and 0 <= value < len(NUMA_MODES):
            value = NUMA_MODES[value]
        ctl.print("%-15s: %s" % (name, value))


IOTUNE_BYTE_OPTIONS = ("total-bytes-sec", "read-bytes-sec", "write-bytes-sec",
                       "total-bytes-sec-max", "read-bytes-sec-max",
                       "write-bytes-sec-max")
IOTUNE_COUNT_OPTIONS = ("total-iops-sec", "read-iops-sec", "write-iops-sec",
                        "total-iops-sec-max", "read-iops-sec-max",
                        "write-iops-sec-max", "size-iops-sec",
                        "total-bytes-sec-max-length", "read-bytes-sec-max-length",
                        "write-bytes-sec-max-length", "total-iops-sec-max-length",
                        "read-iops-sec-max-length", "write-iops-sec-max-length")


@command('qemu-attach', "Adopt a QEMU process started outside libvirt.",
         data('pid', "process id of QEMU", required=True))
def qemu_attach(ctl, args):
    pid = args.uint("pid")
    with failing("Failed to attach to pid %d" % pid):
        dom = ctl.conn.qemu_attach(pid, 0)
    ctl.print("Domain '%s' attached to pid %d" % (dom.name(), pid))


@command('qemu-monitor-command', "Run a QEMU monitor command.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('hmp', "the command is in human monitor syntax"),
         flag('pretty', "pretty-print the JSON reply"),
         flag('return-value', "print only the 'return' member of the reply"),
         opt('pass-fds', "file descriptors to pass along"),
         argv('cmd', "the command", required=True))
def qemu_monitor_command(ctl, args):
    import json
    from virtsh import jsonpretty
    args.exclusive("hmp", "pretty")
    args.exclusive("hmp", "return-value")
    dom = lookup.domain(ctl, args)
    words = args.argv("cmd")
    if args.flag("hmp"):
        ctl.print(dom.qemu_monitor_command(" ".join(words), 1))
        return
    reply = dom.qemu_monitor_command(_qmp_command_text(words), 0)
    if not (args.flag("pretty") or args.flag("return-value")):
        ctl.print(reply)
        return
    value = json.loads(reply)
    if args.flag("return-value"):
        if "return" not in value:
            raise CommandError("'return' member missing")
        value = value["return"]
    # virsh prints a reformatted reply without a newline of its own (the
    # blank line after every command ends it; with -q nothing does)
    ctl.print(jsonpretty.pretty(value) if args.flag("pretty") else jsonpretty.compact(value),
              end="")


def _qmp_command_text(words):
    """The QMP command object virsh sends for *words*: the words themselves
    when they are one, else {"execute": first word, "arguments": the rest
    (a JSON object, its braces optional)}."""
    import json
    text = " ".join(words)
    try:
        if isinstance(json.loads(text), dict):
            return text
    except ValueError:
        pass
    msg = {"execute": words[0]}
    if len(words) > 1:
        rest = " ".join(words[1:])
        try:
            msg["arguments"] = json.loads(rest if rest.startswith("{") else "{%s}" % rest)
        except ValueError:
            raise CommandError("failed to wrap arguments '%s' into a QMP command wrapper"
                               % rest) from None
    return json.dumps(msg, separators=(",", ":"))


@command('qemu-monitor-event', "Wait for QEMU monitor events.",
         data('domain', "domain name, id or uuid", complete="domain"),
         data('event', "event name to wait for"),
         flag('pretty', "pretty-print the event data"),
         flag('loop', "keep waiting after the first event"),
         data('timeout', "stop after this many seconds", kind=NUMBER),
         flag('regex', "the event name is a regular expression"),
         flag('no-case', "match the event name ignoring case"),
         flag('timestamp', "print timestamps"))
def qemu_monitor_event(ctl, args):
    from virtsh.eventwait import checked_timeout, print_event, report_end, wait_for_events
    dom = lookup.domain(ctl, args) if args.given("domain") else None
    timeout = checked_timeout(args)
    loop, stamped, pretty = args.flag("loop"), args.flag("timestamp"), args.flag("pretty")
    received = []

    def on_event(domain, event, seconds, micros, details):
        if received and not loop:
            return
        if pretty and details is not None:
            import json
            details = json.dumps(json.loads(details), indent=2)
        where = "" if stamped else " at %d.%06d" % (seconds, micros)
        print_event(ctl, "event %s%s for domain '%s': %s"
                    % (event, where, domain.name(), details or "<null>"), stamped)
        received.append(event)
    flags = (1 if args.flag("regex") else 0) | (2 if args.flag("no-case") else 0)
    ctl.conn.qemu_monitor_event_register(dom, args.get("event"), on_event, flags)
    return report_end(ctl, wait_for_events(received, timeout, loop), len(received))


@command('qemu-agent-command', "Run a guest agent command.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         opt('timeout', "seconds to wait for the reply", kind=NUMBER),
         flag('async', "do not wait for the reply"),
         flag('block', "wait for the reply without limit"),
         flag('pretty', "pretty-print the JSON reply"),
         argv('cmd', "the command", required=True))
def qemu_agent_command(ctl, args):
    from virtsh import jsonpretty
    dom = lookup.domain(ctl, args)
    # libvirt's special timeouts: -2 blocks, -1 is the default, 0 does not wait
    timeout = args.int("timeout", -1)
    if args.given("timeout") and timeout < 1:
        raise CommandError("timeout must be positive")
    if args.given("timeout") + args.flag("async") + args.flag("block") > 1:
        raise CommandError("timeout, async and block options are exclusive")
    if args.flag("async"):
        timeout = 0
    elif args.flag("block"):
        timeout = -2
    reply = dom.qemu_agent_command(" ".join(args.argv("cmd")), timeout, 0)
    if args.flag("pretty"):
        import json
        reply = jsonpretty.pretty(json.loads(reply))
    ctl.print(reply)


@command('guest-agent-timeout', "Set how long to wait for the guest agent.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         opt('timeout', "seconds; -2 blocks, -1 default, 0 does not wait",
             kind=NUMBER))
def guest_agent_timeout(ctl, args):
    timeout = args.int("timeout", -1)
    lookup.domain(ctl, args).set_agent_timeout(timeout, 0)


@command('reboot', "Ask a domain to reboot.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         data('mode', "how: acpi, agent, initctl, signal or paravirt"))
def reboot(ctl, args):
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    flags = power_mode_flags(args.get("mode"))
    with failing("Failed to reboot domain '%s'" % name):
        dom.reboot(flags)
    ctl.print_extra("Domain '%s' is being rebooted" % name)
    return True


@command('reset', "Reset a domain's virtual hardware, like pressing its reset button.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"))
def reset(ctl, args):
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    with failing("Failed to reset domain '%s'" % name):
        dom.reset()
    ctl.print_extra("Domain '%s' was reset" % name)
    return True


@command('restore', "Start a domain again from a file written by save.",
         data('file', "the saved state", required=True, complete="file"),
         flag('bypass-cache', "avoid the file system cache"),
         data('xml', "file with a changed domain XML to use"),
         flag('running', "restore it running"),
         flag('paused', "restore it paused"),
         flag('reset-nvram', "start from a fresh NVRAM"))
def restore(ctl, args):
    path = args.get("file")
    xml = read_file(args.get("xml")) if args.given("xml") else None
    flags = flag_bits(args, ("bypass-cache", D.SAVE_BYPASS_CACHE), ("running", D.SAVE_RUNNING),
                  ("paused", D.SAVE_PAUSED), ("reset-nvram", D.SAVE_RESET_NVRAM))
    with failing("Failed to restore domain from %s" % path):
        ctl.conn.restore_domain(path, xml, flags)
    ctl.print_extra("Domain restored from %s" % path)
    return True


@command('resume', "Resume a paused domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"))
def resume(ctl, args):
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    with failing("Failed to resume domain '%s'" % name):
        dom.resume()
    ctl.print_extra("Domain '%s' resumed" % name)
    return True


@command('save', "Save a running domain's state to a file and stop it.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         data('file', "where to write the state", required=True, complete="file"),
         flag('bypass-cache', "avoid the file system cache"),
         data('xml', "file with a changed domain XML to store"),
         flag('running', "restore it running"),
         flag('paused', "restore it paused"),
         flag('verbose', "show progress"))
def save(ctl, args):
    dom = lookup.domain(ctl, args)
    path = args.get("file")
    xml = read_file(args.get("xml")) if args.given("xml") else None
    flags = flag_bits(args, ("bypass-cache", D.SAVE_BYPASS_CACHE), ("running", D.SAVE_RUNNING),
                  ("paused", D.SAVE_PAUSED))
    from virtsh.jobprogress import showing
    with failing("Failed to save domain '%s' to %s" % (dom.name(), path)), \
            showing(ctl, "Save", args.flag("verbose")):
        dom.save(path, xml, flags)
    ctl.print_extra("\nDomain '%s' saved to %s" % (dom.name(), path))
    return True


@command('save-image-define', "Replace the domain XML stored in a save file.",
         data('file', "the saved state", required=True, complete="file"),
         data('xml', "file with the new domain XML", required=True, complete="file"),
         flag('running', "restore it running"),
         flag('paused', "restore it paused"))
def save_image_define(ctl, args):
    path = args.get("file")
    xml = read_file(args.get("xml"))
    flags = flag_bits(args, ("running", D.SAVE_RUNNING), ("paused", D.SAVE_PAUSED))
    with failing("Failed to update %s" % path):
        ctl.conn.save_image_define_xml(path, xml, flags)
    ctl.print_extra("State file %s updated." % path)
    return True


@command('save-image-dumpxml', "Show the domain XML stored in a save file.",
         data('file', "the saved state", required=True, complete="file"),
         flag('security-info', "include passwords and other secrets"),
         opt('xpath', "print only the nodes this XPath selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def save_image_dumpxml(ctl, args):
    from virtsh import xmlconf
    from virtsh.xmlout import print_xml
    flags = xmlconf.XML_SECURE if args.flag("security-info") else 0
    xml = ctl.conn.save_image_get_xml(args.get("file"), flags)
    print_xml(ctl, xml, args.get("xpath"), args.flag("wrap"))
    return True


@command('save-image-edit', "change the domain XML inside a saved state file",
         data('file', "the saved state file", required=True, complete="file"),
         flag('running', "restore the domain running"),
         flag('paused', "restore the domain paused"),
         desc="Edit the domain XML stored in a file written by 'save' in "
              "$VISUAL or $EDITOR, and store the result back.")
def save_image_edit(ctl, args):
    from virtsh import editing
    flags = _saved_state_flags(args)
    path = args.get("file")
    conn = ctl.conn
    return editing.run(ctl, editing.Editable(
        lambda: conn.save_image_get_xml(path, SAVE_IMAGE_XML_SECURE),
        lambda xml, validate: conn.save_image_define_xml(path, xml, flags),
        "Saved image %s XML configuration not changed." % path,
        "State file %s edited." % path))


SAVE_IMAGE_XML_SECURE = 1       # virDomainSaveImageXMLFlags


def _saved_state_flags(args):
    """SAVE_RUNNING / SAVE_PAUSED from --running / --paused (the state a
    saved image resumes in)."""
    from virtsh.drivers.domain import SAVE_PAUSED, SAVE_RUNNING
    args.exclusive("running", "paused")
    return ((SAVE_RUNNING if args.flag("running") else 0)
            | (SAVE_PAUSED if args.flag("paused") else 0))


@command('schedinfo', "Show or set the scheduler parameters of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         opt('weight', "scheduler weight", kind=NUMBER),
         opt('cap', "scheduler cap", kind=NUMBER),
         flag('current', "of the current state of the domain"),
         flag('config', "of the persistent definition"),
         flag('live', "of the running domain"),
         jsonout.JSON,
         argv('set', "parameters to set as name=value"))
def schedinfo(ctl, args):
    from virtsh.domopts import print_params
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    scheduler, nparams = dom.scheduler_type()
    if not jsonout.wanted(args):
        ctl.print("%-15s: %s" % ("Scheduler", scheduler))
    params = _scheduler_params(dom, args, flags) if nparams else []
    if jsonout.wanted(args):
        return jsonout.emit(ctl, {"scheduler": scheduler, "params": dict(params)})
    print_params(ctl, params)


def _scheduler_params(dom, args, flags):
    """The scheduler parameters, after applying those the command sets."""
    from virtsh.domopts import convert_param
    params = dom.scheduler_params(flags)
    wanted = [word.partition("=") for word in args.argv("set")]
    wanted = [(name, value) for name, _, value in wanted]
    for option in ("weight", "cap"):
        if args.given(option):
            wanted.append((option, args.get(option)))
    if wanted:
        current = dict(params)
        updates = []
        for name, text in wanted:
            if name not in current:
                raise CommandError("invalid scheduler option: %s" % name)
            if name in SCHED_PARAM_TYPES:
                updates.append((name, _sched_value(name, text)))
            else:
                updates.append((name, convert_param(name, text, current[name])))
        dom.set_scheduler_params(updates, flags)
        params = dom.scheduler_params(flags)
    return params


# libvirt's types of the QEMU driver's scheduler parameters (the values
# alone do not tell an unsigned long long from a signed one)
SCHED_PARAM_TYPES = dict(
    [(p, "unsigned long long") for p in ("cpu_shares", "vcpu_period", "emulator_period",
                                          "global_period", "iothread_period")]
    + [(p, "long long") for p in ("vcpu_quota", "emulator_quota", "global_quota",
                                   "iothread_quota")])


def _sched_value(name, text):
    from virtsh.args import parse_c_integer
    from virtsh.drivers.errors import VirtError, INVALID_ARG
    kind = SCHED_PARAM_TYPES[name]
    value = parse_c_integer(text)
    if value is None or (value < 0 and kind.startswith("unsigned")):
        raise VirtError(INVALID_ARG, "Invalid value for field '%s': expected %s"
                        % (name, kind))
    return value


@command('screenshot', "Save a screenshot of a domain's console.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('file', "where to save it (default: DOMAIN-DATE.EXT)", complete="file"),
         data('screen', "which screen (head) to capture", kind=NUMBER))
def screenshot(ctl, args):
    import time
    dom = lookup.domain(ctl, args)
    screen = args.uint("screen", 0)
    with failing("could not take a screenshot of %s" % dom.name()):
        mime, image = dom.screenshot(screen, 0)
    path = args.get("file")
    if not path:
        ext = {"image/x-portable-pixmap": ".ppm", "image/png": ".png"}.get(mime, "")
        path = "%s-%s%s" % (dom.name(), time.strftime("%Y-%m-%d-%H:%M:%S"), ext)
    try:
        with open(path, "wb") as f:
            f.write(image)
    except OSError as e:
        raise CommandError("cannot create file %s: %s" % (path, e.strerror)) from None
    ctl.print_extra("Screenshot saved to %s, with type of %s" % (path, mime), end="")


KEYCODE_SETS = ("linux", "xt", "atset1", "atset2", "atset3", "os_x", "xt_kbd",
                "usb", "win32", "qnum")


@command('set-lifecycle-action', "Change what happens on poweroff, reboot or crash.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('type', "poweroff, reboot or crash", required=True),
         data('action', "destroy, restart, rename-restart, preserve, "
              "coredump-destroy or coredump-restart", required=True),
         *CHANGE_TARGET)
def set_lifecycle_action(ctl, args):
    flags = affect_flags(args)
    type_, action = args.get("type"), args.get("action")
    if type_ not in LIFECYCLE_TYPES:
        raise CommandError("Invalid lifecycle type '%s'." % type_)
    if action not in LIFECYCLE_ACTIONS:
        raise CommandError("Invalid lifecycle action '%s'." % action)
    dom = lookup.domain(ctl, args)
    with failing("Unable to change lifecycle action."):
        dom.set_lifecycle_action(LIFECYCLE_TYPES.index(type_),
                                 LIFECYCLE_ACTIONS.index(action), flags)


@command('set-user-sshkeys', "Add, remove or replace authorized SSH keys of a guest user.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('user', "guest user", required=True),
         data('file', "file with one key per line", complete="file"),
         flag('reset', "replace the keys instead of adding"),
         flag('remove', "remove the keys instead of adding"))
def set_user_sshkeys(ctl, args):
    from virtsh.domopts import exclusive
    if args.flag("remove") and not args.given("file"):
        raise CommandError("Option --file is required by option --remove")
    exclusive(args, "reset", "remove")
    dom = lookup.domain(ctl, args)
    keys = []
    if args.given("file"):
        path = args.get("file")
        keys = [line for line in read_file(path).splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
        if not keys and not args.flag("reset"):
            raise CommandError("File %s contains no keys" % path)
    elif not args.flag("reset"):
        raise CommandError("Option --file is required")
    # VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND (1) unless replacing or removing
    flags = 2 if args.flag("remove") else 0 if args.flag("reset") else 1
    dom.set_ssh_keys(args.get("user"), keys, flags)


@command('set-user-password', "Set the password of a guest user.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('user', "guest user", required=True),
         data('password', "the new password", required=True),
         flag('encrypted', "the password is already encrypted"))
def set_user_password(ctl, args):
    dom = lookup.domain(ctl, args)
    user = args.get("user")
    dom.set_user_password(user, args.get("password"), 1 if args.flag("encrypted") else 0)
    ctl.print_extra("Password set successfully for %s in %s" % (user, dom.name()), end="")


JOB_TYPES = ("None", "Bounded", "Unbounded", "Completed", "Failed", "Cancelled")


@command('setmaxmem', "Change a domain's maximum memory.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('size', "the new size (KiB unless a unit is given)", required=True, kind=NUMBER),
         flag('config', "the persistent definition"),
         flag('live', "the running definition"),
         flag('current', "the definition in force"),
         aliases=(Alias('kilobytes', 'size'),))
def setmaxmem(ctl, args):
    dom = lookup.domain(ctl, args)
    kib = _memory_kib(args)
    flags = affect_flags(args) | D.MEM_MAXIMUM
    with failing("Unable to change MaxMemorySize"):
        dom.set_memory(kib, flags)
    return True


@command('setmem', "Change a domain's current memory (the balloon).",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('size', "the new size (KiB unless a unit is given)", required=True, kind=NUMBER),
         flag('config', "the persistent definition"),
         flag('live', "the running definition"),
         flag('current', "the definition in force"),
         aliases=(Alias('kilobytes', 'size'),))
def setmem(ctl, args):
    dom = lookup.domain(ctl, args)
    kib = _memory_kib(args)
    given = any(args.flag(f) for f in ("config", "live", "current"))
    dom.set_memory(kib, affect_flags(args) if given else D.AFFECT_LIVE)
    return True


@command('setvcpus', "Change the number of virtual CPUs of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('count', "the new number of vCPUs", required=True, kind=NUMBER),
         flag('maximum', "change the maximum (needs --config)"),
         flag('config', "the persistent definition"),
         flag('live', "the running definition"),
         flag('current', "the definition in force"),
         flag('guest', "change the CPUs the guest agent sees online"),
         flag('hotpluggable', "make added vCPUs hot-unpluggable"))
def setvcpus(ctl, args):
    dom = lookup.domain(ctl, args)
    count = args.uint("count")
    if args.flag("maximum") and not args.flag("config"):
        raise CommandError("Option --config is required by option --maximum")
    if count == 0:
        raise CommandError("Can't set 0 processors for a VM")
    flags = affect_flags(args) | flag_bits(args, ("maximum", D.VCPU_MAXIMUM),
                                       ("guest", D.VCPU_GUEST),
                                       ("hotpluggable", D.VCPU_HOTPLUGGABLE))
    given = any(args.flag(f) for f in ("config", "live", "current", "guest",
                                       "hotpluggable", "maximum"))
    dom.set_vcpus(count, flags if given else D.AFFECT_LIVE)
    return True


@command('shutdown', "Ask a domain to power off.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         data('mode', "how: acpi, agent, initctl, signal or paravirt"))
def shutdown(ctl, args):
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    flags = power_mode_flags(args.get("mode"))
    with failing("Failed to shutdown domain '%s'" % name):
        dom.shutdown(flags)
    ctl.print_extra("Domain '%s' is being shutdown" % name)
    return True


@command('start', "Start a defined domain (from its managed save image if it has one).",
         data('domain', "domain name or uuid", required=True, complete="domain-inactive"),
         flag('console', "attach to the console once started"),
         flag('paused', "leave the domain paused"),
         flag('autodestroy', "destroy the domain when virtsh exits"),
         flag('bypass-cache', "avoid the file system cache"),
         flag('force-boot', "boot afresh, discarding a managed save image"),
         data('pass-fds', "file descriptors to pass to the guest"),
         flag('reset-nvram', "start from a fresh NVRAM"))
def start(ctl, args):
    dom = lookup.domain(ctl, args)
    name = dom.name()
    if dom.id() >= 0:
        raise CommandError("Domain is already active")
    flags = flag_bits(args, ("paused", D.START_PAUSED), ("autodestroy", D.START_AUTODESTROY),
                  ("bypass-cache", D.START_BYPASS_CACHE),
                  ("force-boot", D.START_FORCE_BOOT), ("reset-nvram", D.START_RESET_NVRAM))
    with failing("Failed to start domain '%s'" % name):
        if not (flags & D.START_FORCE_BOOT and _start_forcing_boot(dom, flags)):
            dom.create(flags & ~D.START_FORCE_BOOT)
    ctl.print_extra("Domain '%s' started" % name)
    return run_console(ctl, dom) if args.flag("console") else True


def _start_forcing_boot(dom, flags):
    """Start with FORCE_BOOT; a driver that does not take the flag gets it
    emulated as virsh does (drop the managed save image, start normally).
    True when the domain already started."""
    from virtsh.drivers.errors import INVALID_ARG, NO_SUPPORT
    try:
        dom.create(flags)
        return True
    except VirtError as e:
        if e.code not in (NO_SUPPORT, INVALID_ARG):
            raise
    try:
        has_image = dom.has_managed_save()
    except VirtError:
        has_image = False
    if has_image:
        dom.managed_save_remove()
    return False


@command('suspend', "Pause a running domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"))
def suspend(ctl, args):
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    with failing("Failed to suspend domain '%s'" % name):
        dom.suspend()
    ctl.print_extra("Domain '%s' suspended" % name)
    return True


@command('ttyconsole', "Show the host device of a domain's console.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def ttyconsole(ctl, args):
    from virtsh.domxml import domain_tree
    console = domain_tree(lookup.domain(ctl, args)).find("devices/console")
    tty = console.get("tty") if console is not None else None
    if not tty:
        return False
    ctl.print(tty)


@command('undefine', "Remove a domain's persistent definition (a running one becomes transient).",
         data('domain', "domain name or uuid", required=True, complete="domain"),
         flag('managed-save', "also remove the managed save image"),
         data('storage', "also remove these volumes (target or source names, comma separated)"),
         flag('remove-all-storage', "also remove every volume of the domain"),
         flag('delete-storage-volume-snapshots', "also remove volume snapshots"),
         flag('wipe-storage', "wipe the removed volumes"),
         flag('snapshots-metadata', "also remove snapshot metadata"),
         flag('checkpoints-metadata', "also remove checkpoint metadata"),
         flag('nvram', "also remove the NVRAM file"),
         flag('keep-nvram', "keep the NVRAM file"),
         flag('tpm', "also remove the TPM state"),
         flag('keep-tpm', "keep the TPM state"),
         aliases=(Alias('delete-snapshots', 'delete-storage-volume-snapshots'),))
def undefine(ctl, args):
    from virtsh import undefinestorage
    args.exclusive("nvram", "keep-nvram")
    args.exclusive("tpm", "keep-tpm")
    undefinestorage.check_options(args)
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    flags = flag_bits(args, ("managed-save", D.UNDEFINE_MANAGED_SAVE),
                  ("snapshots-metadata", D.UNDEFINE_SNAPSHOTS_METADATA),
                  ("checkpoints-metadata", D.UNDEFINE_CHECKPOINTS_METADATA),
                  ("nvram", D.UNDEFINE_NVRAM), ("keep-nvram", D.UNDEFINE_KEEP_NVRAM),
                  ("tpm", D.UNDEFINE_TPM), ("keep-tpm", D.UNDEFINE_KEEP_TPM))
    if not args.flag("managed-save"):
        try:
            if dom.has_managed_save():
                raise CommandError("Refusing to undefine while domain managed "
                                   "save image exists")
        except VirtError:
            pass
    volumes = undefinestorage.volumes_to_remove(
        ctl, dom, args.values.get("storage"), args.flag("remove-all-storage"))
    with failing("Failed to undefine domain '%s'" % name):
        dom.undefine(flags)
    ctl.print_extra("Domain '%s' has been undefined" % name)
    return undefinestorage.remove(ctl, volumes, args.flag("wipe-storage"))


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


@command('vcpucount', "Show the number of vCPUs of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('maximum', "the maximum number of vCPUs"),
         flag('active', "the number of active vCPUs"),
         flag('live', "of the running domain"),
         flag('config', "of the persistent definition"),
         flag('current', "of the current state of the domain"),
         flag('guest', "as the guest agent sees them"),
         jsonout.JSON)
def vcpucount(ctl, args):
    chosen = {o for o in ("maximum", "active", "live", "config", "current", "guest")
              if args.flag(o)}
    if "current" in chosen and not chosen & {"maximum", "active"}:
        # before libvirt 0.9.4 --current meant "not --maximum"
        chosen.discard("current")
    for first, second in (("live", "config"), ("current", "live"),
                          ("current", "config"), ("active", "maximum"),
                          ("guest", "config")):
        if first in chosen and second in chosen:
            raise CommandError("Options --%s and --%s are mutually exclusive"
                               % (first, second))
    dom = lookup.domain(ctl, args)
    if chosen or args.flag("current"):
        flags = (D.AFFECT_LIVE if "live" in chosen else 0) | \
            (D.AFFECT_CONFIG if "config" in chosen else 0)
        flags |= D.VCPU_MAXIMUM if args.flag("maximum") else 0
        flags |= D.VCPU_GUEST if args.flag("guest") else 0
        with failing("Failed to retrieve vCPU count from the guest"
                     if args.flag("guest") else None):
            count = dom.vcpus_flags(flags)
        if jsonout.wanted(args):
            return jsonout.emit(ctl, {"vcpus": count})
        ctl.print("%d" % count)
        return
    counts = {}
    for which, extra in (("maximum", D.VCPU_MAXIMUM), ("current", 0)):
        for where, affect in (("config", D.AFFECT_CONFIG), ("live", D.AFFECT_LIVE)):
            # no live count while shut off, no config when transient
            counts.setdefault(which, {})[where] = jsonout.probe(
                lambda: dom.vcpus_flags(affect | extra))
    if jsonout.wanted(args):
        return jsonout.emit(ctl, counts)
    for which, places in counts.items():
        for where, count in places.items():
            if count is not None:
                ctl.print("%-12s %-12s %3d" % (which, where, count))


@command('vcpuinfo', "Show the vCPUs of a domain and where they run.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('pretty', "show CPU affinity as a list"),
         jsonout.JSON)
def vcpuinfo(ctl, args):
    from virtsh.domopts import cpu_list_text, cpu_map_text, host_cpu_count
    dom = lookup.domain(ctl, args)
    maxcpu = host_cpu_count(ctl.conn)
    state, _, _, nvcpus, _ = dom.info()
    try:
        vcpus = dom.vcpus_info()
    except VirtError:
        if state != D.SHUTOFF:
            raise
        vcpus = [(i, None, None, None, cpus) for i, cpus
                 in enumerate(dom.vcpu_pin_info(D.AFFECT_CONFIG)[:nvcpus])]
    if jsonout.wanted(args):
        return jsonout.emit(ctl, [
            {"vcpu": number, "cpu": cpu,
             "state": None if vstate is None else VCPU_STATES.get(vstate, "no state"),
             "cpu_time_ns": cpu_time, "affinity": sorted(c for c in cpus if c < maxcpu)}
            for number, vstate, cpu_time, cpu, cpus in vcpus])
    for i, (number, vstate, cpu_time, cpu, cpus) in enumerate(vcpus):
        if i:
            ctl.print()
        ctl.print("%-15s %d" % ("VCPU:", number))
        if vstate is None:
            ctl.print("%-15s %s" % ("CPU:", "N/A"))
            ctl.print("%-15s %s" % ("State:", "N/A"))
            ctl.print("%-15s %s" % ("CPU time", "N/A"))
        else:
            ctl.print("%-15s %d" % ("CPU:", cpu))
            ctl.print("%-15s %s" % ("State:", VCPU_STATES.get(vstate, "no state")))
            if cpu_time:
                ctl.print("%-15s %.1lfs" % ("CPU time:", cpu_time / 1e9))
        if args.flag("pretty"):
            affinity = "%s (out of %d)" % (cpu_list_text(cpus, maxcpu), maxcpu)
        else:
            affinity = cpu_map_text(cpus, maxcpu)
        ctl.print("%-15s %s" % ("CPU Affinity:", affinity))


VCPU_STATES = {D.VCPU_OFFLINE: "offline", D.VCPU_RUNNING: "running",
               D.VCPU_BLOCKED: "blocked"}


@command('vcpupin', "Show or set the host CPUs vCPUs may run on.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('vcpu', "vCPU number", kind=NUMBER),
         data('cpulist', "host CPUs (1,3-5,^4 or r for all)"),
         *READ_TARGET)
def vcpupin(ctl, args):
    from virtsh.domopts import cpu_list_text, host_cpu_count, parse_cpu_list
    from virtsh.format import print_table
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    vcpu = args.int("vcpu")
    if vcpu is not None and vcpu < 0:
        raise CommandError("Numeric value '%s' for <vcpu> option is malformed or out "
                           "of range" % args.get("vcpu"))
    maxcpu = host_cpu_count(ctl.conn)
    if not args.given("cpulist"):
        pins = dom.vcpu_pin_info(flags)
        if vcpu is not None and vcpu >= len(pins):
            live = flags & D.AFFECT_LIVE or (not flags & D.AFFECT_CONFIG
                                             and dom.is_active())
            raise CommandError("vcpu %d is out of range of %s cpu count %d"
                               % (vcpu, "live" if live else "persistent", len(pins)))
        rows = [(i, cpu_list_text(cpus, maxcpu)) for i, cpus in enumerate(pins)
                if vcpu is None or i == vcpu]
        print_table(ctl, ("VCPU", "CPU Affinity"), rows)
        return
    if vcpu is None:
        raise CommandError("vcpupin: Missing vCPU number in pin mode.")
    cpus = parse_cpu_list(args.get("cpulist"), maxcpu)
    if any(args.flag(o) for o in ("live", "config", "current")):
        dom.pin_vcpu(vcpu, cpus, flags)
    else:
        dom.pin_vcpu_live(vcpu, cpus)


@command('emulatorpin', "Show or set the host CPUs the emulator threads may run on.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('cpulist', "host CPUs (1,3-5,^4 or r for all)"),
         *READ_TARGET)
def emulatorpin(ctl, args):
    from virtsh.domopts import cpu_list_text, host_cpu_count, parse_cpu_list
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    maxcpu = host_cpu_count(ctl.conn)
    if not args.given("cpulist"):
        cpus = dom.emulator_pin_info(flags)
        ctl.print_extra("%s %s" % ("emulator:", "CPU Affinity"))
        ctl.print_extra("----------------------------------")
        ctl.print_extra("       *: ", end="")
        ctl.print(cpu_list_text(cpus, maxcpu))
        return
    if not any(args.flag(o) for o in ("live", "config", "current")):
        flags = D.AFFECT_LIVE      # virsh pins the running domain by default
    dom.pin_emulator(parse_cpu_list(args.get("cpulist"), maxcpu), flags)


@command('vncdisplay', "Show the VNC display of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def vncdisplay(ctl, args):
    from virtsh.domxml import domain_tree
    dom = lookup.domain(ctl, args)
    if not dom.is_active():
        raise CommandError("Domain is not running")
    graphics = domain_tree(dom).find("devices/graphics[@type='vnc']")
    port = int(graphics.get("port", "0") or 0) if graphics is not None else 0
    if port <= 0:
        raise CommandError("Failed to get VNC port. Is this domain using VNC?")
    listen = graphics.find("listen")
    address = (listen.get("address") if listen is not None else None) \
        or graphics.get("listen") or ""
    if address in ("0.0.0.0", "::"):
        address = ""
    ctl.print("%s:%d" % (address, port - 5900))


@command('guestvcpus', "Show or change the vCPUs the guest agent has online.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('cpulist', "vCPUs to change"),
         flag('enable', "online them"),
         flag('disable', "offline them"))
def guestvcpus(ctl, args):
    from virtsh.domopts import exclusive, print_params
    exclusive(args, "enable", "disable")
    enable, disable = args.flag("enable"), args.flag("disable")
    for option in ("enable", "disable"):
        if args.flag(option) and not args.given("cpulist"):
            raise CommandError("Option --cpulist is required by option --%s" % option)
    if args.given("cpulist") and not (enable or disable):
        raise CommandError("One of options --enable or --disable is required by "
                           "option --cpulist")
    dom = lookup.domain(ctl, args)
    if args.given("cpulist"):
        dom.set_guest_vcpus(args.get("cpulist"), 1 if enable else 0, 0)
        return
    print_params(ctl, dom.guest_vcpus())


@command('setvcpu', "Enable or disable individual vCPUs.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('vcpulist', "vCPUs to change (1,3-5)", required=True),
         flag('enable', "enable them"),
         flag('disable', "disable them"),
         *CHANGE_TARGET)
def setvcpu(ctl, args):
    from virtsh.domopts import exclusive
    exclusive(args, "enable", "disable")
    flags = affect_flags(args)
    if not (args.flag("enable") or args.flag("disable")):
        raise CommandError("one of --enable, --disable is required")
    dom = lookup.domain(ctl, args)
    dom.set_vcpu(args.get("vcpulist"), 1 if args.flag("enable") else 0, flags)


@command('domblkthreshold', "Ask for an event when a disk is written past a threshold.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('dev', "disk target or backing chain index", required=True),
         data('threshold', "threshold in bytes (scaled)", required=True, kind=NUMBER))
def domblkthreshold(ctl, args):
    dom = lookup.domain(ctl, args)
    dom.set_block_threshold(args.get("dev"), args.scaled("threshold", 1), 0)


@command('guestinfo', "Show information the guest agent reports.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('user', "logged in users"),
         flag('os', "operating system"),
         flag('timezone', "time zone"),
         flag('hostname', "host name"),
         flag('filesystem', "file systems"),
         flag('disk', "disks"),
         flag('interface', "network interfaces"))
def guestinfo(ctl, args):
    from virtsh.domopts import param_text
    dom = lookup.domain(ctl, args)
    types = flag_bits(args, *GUEST_INFO_TYPES)
    for name, value in dom.guest_info(types, 0):
        ctl.print("%-20s: %s" % (name, param_text(value)))


@command('domdirtyrate-calc', "Start measuring a domain's memory dirty rate.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('seconds', "how long to measure (default 1)", kind=NUMBER),
         data('mode', "page-sampling, dirty-bitmap or dirty-ring"))
def domdirtyrate_calc(ctl, args):
    modes = {None: 0, "page-sampling": 1, "dirty-bitmap": 2, "dirty-ring": 4}
    mode = args.get("mode")
    if mode not in modes:
        raise CommandError("Unknown calculation mode '%s'" % mode)
    dom = lookup.domain(ctl, args)
    seconds = args.int("seconds", 1)
    dom.start_dirty_rate_calc(seconds, modes[mode])
    ctl.print_extra("Start to calculate domain's memory dirty rate successfully.")


@command('dom-fd-associate', "Associate file descriptors with a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('name', "name of the file descriptor set", required=True),
         data('pass-fds', "comma separated file descriptors", required=True),
         flag('seclabel-writable', "label the files writable"),
         flag('seclabel-restore', "restore the labels afterwards"))
def dom_fd_associate(ctl, args):
    dom = lookup.domain(ctl, args)
    fds = []
    for word in args.get("pass-fds").split(","):
        if not word.strip().lstrip("-").isdigit():
            raise CommandError("Unable to parse FD number '%s'" % word)
        fds.append(int(word))
    flags = flag_bits(args, ("seclabel-restore", 1), ("seclabel-writable", 2))
    dom.fd_associate(args.get("name"), fds, flags)


def power_mode_flags(mode):
    """shutdown/reboot --mode words (comma separated) as libvirt's flags."""
    bits = {"acpi": 1, "agent": 2, "initctl": 4, "signal": 8, "paravirt": 16}
    flags = 0
    for word in (mode.split(",") if mode else ()):
        if word not in bits:
            raise CommandError("Unknown mode %s value, expecting 'acpi', 'agent', "
                               "'initctl', 'signal', or 'paravirt'" % word)
        flags |= bits[word]
    return flags


def _memory_kib(args):
    """The size option of setmem/setmaxmem in KiB (a bare number is KiB)."""
    from virtsh.args import ULLONG_MAX
    size = args.scaled("size", 1024, ULLONG_MAX)
    return -(-size // 1024)


def _signal_number(name):
    """A signal given as a number, or a name with or without ``sig``."""
    import signal
    if name.isdigit():
        return int(name)
    word = name.lower()
    word = word[3:] if word.startswith("sig") else word
    if word == "nop":
        return 0
    try:
        return int(signal.Signals["SIG" + word.upper()])
    except KeyError:
        raise CommandError("malformed signal name: %s" % name) from None


# virDomainMigrateFlags of migrate's boolean options
_MIGRATE_PEER2PEER = 2
_MIGRATE_FLAGS = (
    ("live", 1), ("p2p", _MIGRATE_PEER2PEER), ("tunnelled", 4), ("persistent", 8),
    ("undefinesource", 16), ("suspend", 32), ("copy-storage-all", 64),
    ("copy-storage-inc", 128), ("change-protection", 256), ("unsafe", 512),
    ("offline", 1024), ("compressed", 2048), ("abort-on-error", 4096),
    ("auto-converge", 8192), ("rdma-pin-all", 16384), ("postcopy", 32768),
    ("tls", 65536), ("parallel", 131072),
    ("copy-storage-synchronous-writes", 262144), ("postcopy-resume", 524288),
    ("zerocopy", 1048576),
)
# migrate's options that become typed parameters (libvirt's VIR_MIGRATE_PARAM_*)
_MIGRATE_STRING_PARAMS = (
    ("migrateuri", "migrate_uri"), ("graphicsuri", "graphics_uri"),
    ("listen-address", "listen_address"), ("dname", "destination_name"),
    ("migrate-disks", "migrate_disks"), ("disks-uri", "disks_uri"),
    ("comp-methods", "compression"), ("tls-destination", "tls.destination"),
)
_MIGRATE_NUMBER_PARAMS = (
    ("disks-port", "disks_port"), ("comp-mt-level", "compression.mt.level"),
    ("comp-mt-threads", "compression.mt.threads"),
    ("comp-mt-dthreads", "compression.mt.dthreads"),
    ("comp-xbzrle-cache", "compression.xbzrle.cache"),
    ("auto-converge-initial", "auto_converge.initial"),
    ("auto-converge-increment", "auto_converge.increment"),
    ("postcopy-bandwidth", "bandwidth.postcopy"),
    ("parallel-connections", "parallel.connections"), ("bandwidth", "bandwidth"),
)


def _pretty_bytes(size):
    """(value, unit) with the largest binary unit that keeps value >= 1."""
    units = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
    value, i = float(size), 0
    while value >= 1024 and i < len(units) - 1:
        value /= 1024
        i += 1
    return value, units[i]
