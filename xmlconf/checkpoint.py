"""Domain checkpoint XML (<domaincheckpoint>): parse, align, format.

libvirt always validates checkpoint documents against its schema; the
checks that matter for well-formed input (unknown elements, bad enum
values) are made here with the same first error lines.
"""
from virtsh.drivers.errors import (
    VirtError, CONFIG_UNSUPPORTED, INTERNAL_ERROR, XML_ERROR, XML_INVALID_SCHEMA)
from virtsh.xmlconf import moment, writer

PARSE_REDEFINE = 1 << 0

TYPES = ("default", "no", "bitmap")
TYPE_DEFAULT, TYPE_NO, TYPE_BITMAP = range(3)

_CHILDREN = ("name", "description", "parent", "creationTime", "disks", "domain")
_SCHEMA = ("Unable to validate doc against "
           "/usr/share/libvirt/schemas/domaincheckpoint.rng\n")


class CheckpointDisk:
    """One <disk> of a checkpoint."""

    __slots__ = ("name", "type", "bitmap", "size")

    def __init__(self, name, type_=TYPE_BITMAP, bitmap=None):
        self.name = name
        self.type = type_             # TYPE_*
        self.bitmap = bitmap
        self.size = None              # backup size estimate, when known


class CheckpointDef:
    """A parsed checkpoint definition."""

    def __init__(self):
        self.name = None
        self.description = None
        self.parent_name = None
        self.creation_time = 0
        self.disks = []
        self.dom = None


def parse(text, flags=0):
    """Parse checkpoint XML text (PARSE_REDEFINE: a recorded checkpoint)."""
    root = moment.parse_root(text, "domaincheckpoint", "domain_checkpoint")
    _validate(root)
    defn = CheckpointDef()
    defn.name = moment.child_text(root, "name")
    if defn.name is None and flags & PARSE_REDEFINE:
        raise VirtError(XML_ERROR, "a redefined checkpoint must have a name")
    defn.description = moment.child_text(root, "description")
    if flags & PARSE_REDEFINE:
        defn.creation_time = moment.parse_long(moment.child_text(root, "creationTime"))
        if defn.creation_time is None:
            raise VirtError(INTERNAL_ERROR,
                            "missing creationTime from existing checkpoint")
        defn.parent_name = moment.child_text(root, "parent/name")
        dom = root.find("domain")
        if dom is not None:
            defn.dom = moment.parse_domain(dom)
    else:
        moment.stamp(defn)
    disks = root.find("disks")
    for elem in (disks if disks is not None else ()):
        if isinstance(elem.tag, str):
            kind = elem.get("checkpoint")
            defn.disks.append(CheckpointDisk(
                elem.get("name"),
                TYPES.index(kind) if kind is not None else TYPE_BITMAP,
                elem.get("bitmap")))
    return defn


def _validate(root):
    """The schema's verdict on the structure (libvirt's first lines)."""
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if child.tag not in _CHILDREN:
            raise VirtError(XML_INVALID_SCHEMA, _SCHEMA + "Element domaincheckpoint "
                            "has extra content: %s" % child.tag)
    disks = root.find("disks")
    for disk in (disks if disks is not None else ()):
        if not isinstance(disk.tag, str):
            continue
        if (disk.tag != "disk" or disk.get("name") is None or
                disk.get("checkpoint", "bitmap") not in TYPES[1:]):
            raise VirtError(XML_INVALID_SCHEMA, _SCHEMA + "Extra element disks in "
                            "interleave\nElement domaincheckpoint failed to "
                            "validate content")


def align_disks(defn):
    """Give every disk of defn.dom an entry in the domain's order: bitmaps
    of all writable disks when none were named, else only those named."""
    if defn.dom is None:
        raise VirtError(INTERNAL_ERROR, "missing domain in checkpoint")
    dom_disks = moment.domain_disks(defn.dom)
    if len(defn.disks) > len(dom_disks):
        raise VirtError(CONFIG_UNSUPPORTED,
                        "too many disk checkpoint requests for domain")
    if not dom_disks:
        raise VirtError(CONFIG_UNSUPPORTED,
                        "domain must have at least one disk to perform checkpoints")
    default = TYPE_NO if defn.disks else TYPE_BITMAP
    given = {}
    for disk in defn.disks:
        target = moment.find_disk(dom_disks, disk.name)
        if target is None:
            raise VirtError(CONFIG_UNSUPPORTED, "no disk named '%s'" % disk.name)
        if target.dst in given:
            raise VirtError(CONFIG_UNSUPPORTED, "disk '%s' specified twice" % disk.name)
        if (target.empty or target.readonly) and disk.type != TYPE_NO:
            raise VirtError(CONFIG_UNSUPPORTED, "disk '%s' is empty or readonly"
                            % disk.name)
        disk.name = target.dst
        given[target.dst] = disk
    defn.disks = [given.get(t.dst) or
                  CheckpointDisk(t.dst, TYPE_NO if t.empty or t.readonly else default)
                  for t in dom_disks]
    name_bitmaps(defn)


def name_bitmaps(defn):
    """A bitmap without a name is named after the checkpoint."""
    for disk in defn.disks:
        if disk.type == TYPE_BITMAP and not disk.bitmap:
            disk.bitmap = defn.name


def format(defn, secure=False, no_domain=False, size=False):  # noqa: A001
    """The document libvirt prints."""
    lines = moment.header_lines(defn)
    if defn.disks:
        lines.append("<disks>")
        lines.extend("  " + _disk_line(disk, size) for disk in defn.disks)
        lines.append("</disks>")
    if defn.dom is not None and not no_domain:
        lines.extend(moment.format_domain(defn.dom, secure))
    return moment.document("domaincheckpoint", lines)


def _disk_line(disk, size):
    attrs = " name='%s'" % writer.escape(disk.name)
    if disk.type:
        attrs += " checkpoint='%s'" % TYPES[disk.type]
    if disk.bitmap:
        attrs += " bitmap='%s'" % writer.escape(disk.bitmap)
        if size and disk.size is not None:
            attrs += " size='%d'" % disk.size
    return "<disk%s/>" % attrs
