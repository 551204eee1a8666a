"""Storage Volume commands (virsh help group 'volume')."""
from virtsh import jsonout
from virtsh.cmd import NUMBER, command, data, flag, opt
from virtsh.errors import CommandError, failing

VOL_TYPES = ("file", "block", "dir", "network", "netdir", "ploop")
WIPE_ALGORITHMS = ("zero", "nnsa", "dod", "bsi", "gutmann", "schneier",
                   "pfitzner7", "pfitzner33", "random", "trim")


def _vol(ctl, args, **how):
    from virtsh import lookup
    return lookup.volume(ctl, args, **how)


def _pool(ctl, args, option="pool"):
    from virtsh import lookup
    return lookup.pool(ctl, args, option)


def _pretty(value):
    from virtsh.commands.pool import pretty_capacity
    return pretty_capacity(value)


def _size(text):
    """A volume size with an optional unit (bytes by default), or virsh's
    "Malformed size" error followed by the unit problem."""
    from virtsh.args import scale_integer, split_number, ULLONG_MAX
    number, suffix = split_number(text)
    if number is None or text.lstrip().startswith("-"):
        raise CommandError("Malformed size %s" % text)
    try:
        return scale_integer(number, suffix, 1, ULLONG_MAX)
    except ValueError as e:
        raise CommandError("Malformed size %s" % text, str(e)) from None


def _prealloc(args):
    return 1 if args.flag("prealloc-metadata") else 0


def _backing_path(ctl, pool, text):
    """The path of backing volume *text*: by name in *pool*, key or path."""
    from virtsh.lookup import first_found
    conn = ctl.conn
    return first_found("failed to get vol '%s'" % text, (
        lambda: pool.lookup_volume_by_name(text),
        lambda: conn.lookup_storage_vol_by_key(text),
        lambda: conn.lookup_storage_vol_by_path(text))).path()


@command('vol-clone', "clone a volume within its pool",
         data('vol', "volume name, key or path", required=True, complete="vol"),
         data('newname', "name of the new volume", required=True),
         data('pool', "pool name or uuid", complete="pool"),
         flag('prealloc-metadata', "preallocate metadata (qcow2)"),
         flag('reflink', "use a reflink (copy on write) clone"),
         flag('print-xml', "print the new volume's XML instead of creating it"))
def vol_clone(ctl, args):
    from lxml import etree
    vol = _vol(ctl, args)
    origin_pool = vol.pool()
    flags = _prealloc(args) | (2 if args.flag("reflink") else 0)
    root = etree.fromstring(vol.xml_desc().encode())
    root.find("name").text = args.get("newname")
    xml = etree.tostring(root, encoding="unicode")
    if args.flag("print-xml"):
        ctl.print(xml, end="")
        return
    with failing("Failed to clone vol from %s" % vol.name()):
        origin_pool.create_volume_from(xml, vol, flags)
    ctl.print_extra("Vol %s cloned from %s" % (args.get("newname"), vol.name()))


@command('vol-create-as', "create a volume from arguments",
         data('pool', "pool name or uuid", required=True, complete="pool"),
         data('name', "name of the volume", required=True),
         data('capacity', "size of the volume, with a unit (bytes by default)",
              required=True),
         data('allocation', "initial allocation, with a unit (bytes by default)"),
         data('format', "file format (raw, qcow2 ...)"),
         data('backing-vol', "the backing volume of a copy-on-write volume"),
         data('backing-vol-format', "format of the backing volume"),
         flag('prealloc-metadata', "preallocate metadata (qcow2)"),
         flag('print-xml', "print the XML instead of creating the volume"))
def vol_create_as(ctl, args):
    pool = _pool(ctl, args)
    name = args.get("name")
    lines = ["<volume>", "  <name>%s</name>" % name,
             "  <capacity>%d</capacity>" % _size(args.get("capacity"))]
    if args.given("allocation"):
        lines.append("  <allocation>%d</allocation>" % _size(args.get("allocation")))
    if args.get("format"):
        lines += ["  <target>", "    <format type='%s'/>" % args.get("format"),
                  "  </target>"]
    if args.get("backing-vol"):
        path = _backing_path(ctl, pool, args.get("backing-vol"))
        lines += ["  <backingStore>", "    <path>%s</path>" % path]
        if args.get("backing-vol-format"):
            lines.append("    <format type='%s'/>" % args.get("backing-vol-format"))
        lines.append("  </backingStore>")
    lines.append("</volume>")
    xml = "".join(line + "\n" for line in lines)
    if args.flag("print-xml"):
        ctl.print(xml, end="")
        return
    with failing("Failed to create vol %s" % name):
        pool.create_volume(xml, _prealloc(args))
    ctl.print_extra("Vol %s created" % name)


@command('vol-create', "create a volume from an XML file",
         data('pool', "pool name or uuid", required=True, complete="pool"),
         data('file', "file with the volume XML", required=True, complete="file"),
         flag('prealloc-metadata', "preallocate metadata (qcow2)"),
         flag('validate', "validate the XML document against the schema"))
def vol_create(ctl, args):
    from virtsh.cmdutil import read_file
    pool = _pool(ctl, args)
    path = args.get("file")
    xml = read_file(path)
    flags = _prealloc(args) | (4 if args.flag("validate") else 0)
    with failing("Failed to create vol from %s" % path):
        vol = pool.create_volume(xml, flags)
    ctl.print_extra("Vol %s created from %s" % (vol.name(), path))


@command('vol-create-from', "create a volume from an XML file, copying another volume",
         data('pool', "pool name or uuid", required=True, complete="pool"),
         data('file', "file with the volume XML", required=True, complete="file"),
         data('vol', "the volume to copy (name, key or path)", required=True,
              complete="vol"),
         data('inputpool', "pool of the volume to copy", complete="pool"),
         flag('prealloc-metadata', "preallocate metadata (qcow2)"),
         flag('reflink', "use a reflink (copy on write) clone"),
         flag('validate', "validate the XML document against the schema"))
def vol_create_from(ctl, args):
    from virtsh.cmdutil import read_file
    pool = _pool(ctl, args)
    path = args.get("file")
    source = _vol(ctl, args, pool_option="inputpool")
    xml = read_file(path)
    flags = (_prealloc(args) | (2 if args.flag("reflink") else 0)
             | (4 if args.flag("validate") else 0))
    with failing("Failed to create vol from %s" % path):
        vol = pool.create_volume_from(xml, source, flags)
    ctl.print_extra("Vol %s created from input vol %s" % (vol.name(), source.name()))


@command('vol-delete', "delete a volume",
         data('vol', "volume name, key or path", required=True, complete="vol"),
         data('pool', "pool name or uuid", complete="pool"),
         flag('delete-snapshots', "delete the volume's snapshots too"))
def vol_delete(ctl, args):
    vol = _vol(ctl, args)
    name = args.get("vol")
    with failing("Failed to delete vol %s" % name):
        vol.delete(2 if args.flag("delete-snapshots") else 0)
    ctl.print_extra("Vol %s deleted" % name)


def _transfer_range(args):
    offset = args.ulong("offset", 0)
    length = args.ulong("length", 0)
    return offset, length, 1 if args.flag("sparse") else 0


@command('vol-download', "copy a volume's content into a file",
         data('vol', "volume name, key or path", required=True, complete="vol"),
         data('file', "file to write", required=True, complete="file"),
         data('pool', "pool name or uuid", complete="pool"),
         data('offset', "start at this byte of the volume", kind=NUMBER),
         data('length', "copy at most this many bytes", kind=NUMBER),
         flag('sparse', "keep holes sparse"))
def vol_download(ctl, args):
    vol = _vol(ctl, args)
    offset, length, flags = _transfer_range(args)
    path = args.get("file")
    try:
        target = open(path, "wb")
    except OSError:
        raise CommandError("cannot create %s" % path) from None
    with target, failing("cannot download from volume %s" % args.get("vol")):
        vol.download(target, offset, length, flags)


@command('vol-dumpxml', "print the XML of a volume",
         data('vol', "volume name, key or path", required=True, complete="vol"),
         data('pool', "pool name or uuid", complete="pool"),
         opt('xpath', "print only the nodes this XPath expression selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def vol_dumpxml(ctl, args):
    from virtsh.xmlout import print_xml
    vol = _vol(ctl, args)
    print_xml(ctl, vol.xml_desc(), args.get("xpath"), args.flag("wrap"))


@command('vol-info', "show basic facts about a volume",
         data('vol', "volume name, key or path", required=True, complete="vol"),
         data('pool', "pool name or uuid", complete="pool"),
         flag('bytes', "show sizes in bytes"),
         flag('physical', "show the physical size instead of the allocation"),
         jsonout.JSON)
def vol_info(ctl, args):
    from virtsh.format import field_line
    vol = _vol(ctl, args)
    if jsonout.wanted(args):
        record = _vol_record(vol)
        if args.flag("physical"):
            record["physical_bytes"] = vol.info_flags(1)[2]
        return jsonout.emit(ctl, record)
    ctl.print(field_line("Name:", vol.name()))
    if args.flag("physical"):
        vtype, capacity, allocation = vol.info_flags(1)
    else:
        vtype, capacity, allocation = vol.info()
    ctl.print(field_line("Type:", VOL_TYPES[vtype] if 0 <= vtype < len(VOL_TYPES)
                         else "unknown"))
    show = (lambda v: "%d bytes" % v) if args.flag("bytes") else _pretty
    ctl.print(field_line("Capacity:", show(capacity)))
    ctl.print(field_line("Physical:" if args.flag("physical") else "Allocation:",
                         show(allocation)))


def _vol_record(vol):
    """Name, type and sizes of a volume for --json."""
    vtype, capacity, allocation = vol.info()
    return {"name": vol.name(),
            "type": VOL_TYPES[vtype] if 0 <= vtype < len(VOL_TYPES) else "unknown",
            "capacity_bytes": capacity, "allocation_bytes": allocation}


@command('vol-key', "print the key of a volume",
         data('vol', "volume name or path", required=True, complete="vol"),
         data('pool', "pool name or uuid", complete="pool"))
def vol_key(ctl, args):
    ctl.print(_vol(ctl, args).key())


@command('vol-list', "list the volumes of a pool",
         data('pool', "pool name or uuid", required=True, complete="pool"),
         flag('details', "show type and sizes too"),
         jsonout.JSON)
def vol_list(ctl, args):
    from virtsh.drivers.errors import VirtError
    from virtsh.format import print_table
    pool = _pool(ctl, args)
    with failing("Failed to list volumes"):
        vols = sorted(pool.list_all_volumes(), key=lambda v: v.name().lower())
    if jsonout.wanted(args):
        return jsonout.emit(ctl, [dict(_vol_record(vol), path=jsonout.probe(vol.path))
                                  for vol in vols])
    details = args.flag("details")
    rows = []
    for vol in vols:
        try:
            path = vol.path()
        except VirtError:
            path = "unknown"
        if not details:
            rows.append((vol.name(), path))
            continue
        vtype, capacity, allocation = vol.info()
        rows.append((vol.name(), path,
                     VOL_TYPES[vtype] if 0 <= vtype < len(VOL_TYPES) else "unknown",
                     _pretty(capacity), _pretty(allocation)))
    header = ("Name", "Path") + (("Type", "Capacity", "Allocation") if details else ())
    print_table(ctl, header, rows)


@command('vol-name', "print the name of a volume given its key or path",
         data('vol', "volume key or path", required=True, complete="vol"))
def vol_name(ctl, args):
    ctl.print(_vol(ctl, args, pool_option=None).name())


@command('vol-path', "print the path of a volume",
         data('vol', "volume name or key", required=True, complete="vol"),
         data('pool', "pool name or uuid", complete="pool"))
def vol_path(ctl, args):
    vol = _vol(ctl, args)
    with failing("failed to get vol path"):
        ctl.print(vol.path())


@command('vol-pool', "print the pool of a volume given its key or path",
         data('vol', "volume key or path", required=True, complete="vol"),
         flag('uuid', "print the pool's UUID instead of its name"))
def vol_pool(ctl, args):
    vol = _vol(ctl, args, pool_option=None)
    with failing("failed to get parent pool"):
        pool = vol.pool()
    ctl.print(pool.uuid() if args.flag("uuid") else pool.name())


@command('vol-resize', "change the capacity of a volume",
         data('vol', "volume name, key or path", required=True, complete="vol"),
         data('capacity', "new capacity, with a unit (bytes by default)",
              required=True),
         data('pool', "pool name or uuid", complete="pool"),
         flag('allocate', "allocate the new space"),
         flag('delta', "change the capacity by this amount"),
         flag('shrink', "allow making the volume smaller"))
def vol_resize(ctl, args):
    vol = _vol(ctl, args)
    text = args.get("capacity")
    delta = args.flag("delta")
    flags = ((1 if args.flag("allocate") else 0) | (2 if delta else 0)
             | (4 if args.flag("shrink") else 0))
    size_text = text            # virsh's messages leave out the minus sign
    if text.startswith("-"):
        if not args.flag("shrink"):
            raise CommandError("negative size requires --shrink")
        size_text = text[1:]
        flags |= 2
        delta = True
    size = _size(size_text)
    name = args.get("vol")
    with failing("Failed to change size of volume '%s' %s %s"
                 % (name, "by" if delta else "to", size_text)):
        vol.resize(size, flags)
    ctl.print_extra("Size of volume '%s' successfully changed %s %s"
              % (name, "by" if delta else "to", size_text))


@command('vol-upload', "copy a file's content into a volume",
         data('vol', "volume name, key or path", required=True, complete="vol"),
         data('file', "file to read", required=True, complete="file"),
         data('pool', "pool name or uuid", complete="pool"),
         data('offset', "start at this byte of the volume", kind=NUMBER),
         data('length', "copy at most this many bytes", kind=NUMBER),
         flag('sparse', "keep holes sparse"))
def vol_upload(ctl, args):
    vol = _vol(ctl, args)
    offset, length, flags = _transfer_range(args)
    path = args.get("file")
    try:
        source = open(path, "rb")
    except OSError:
        raise CommandError("cannot read %s" % path) from None
    with source, failing("cannot upload to volume %s" % args.get("vol")):
        vol.upload(source, offset, length, flags)


@command('vol-wipe', "overwrite the data of a volume",
         data('vol', "volume name, key or path", required=True, complete="vol"),
         data('pool', "pool name or uuid", complete="pool"),
         data('algorithm', "wiping pattern (zero, nnsa, dod, random ...)"))
def vol_wipe(ctl, args):
    vol = _vol(ctl, args)
    algorithm = args.get("algorithm") or "zero"
    if algorithm not in WIPE_ALGORITHMS:
        raise CommandError("Unsupported algorithm '%s'" % algorithm)
    name = args.get("vol")
    with failing("Failed to wipe vol %s" % name):
        vol.wipe(WIPE_ALGORITHMS.index(algorithm))
    ctl.print_extra("Vol %s wiped" % name)
