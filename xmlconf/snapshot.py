"""Domain snapshot XML (<domainsnapshot>): parse, align to the domain, format.

``parse(text, flags)`` reads a document as libvirt's snapshot parser does
(PARSE_* flags: REDEFINE for a definition recorded earlier, INTERNAL for
the node files' ``<active>`` element); ``align_disks`` fills in the disks
of the domain as libvirt's virDomainSnapshotAlignDisks; ``format`` prints
the document exactly as libvirt.  States and memory/disk locations are
kept as libvirt's enum numbers; STATES and LOCATIONS name them.
"""
import os

from virtsh.drivers.errors import (
    VirtError, CONFIG_UNSUPPORTED, INTERNAL_ERROR, XML_ERROR)
from virtsh.xmlconf import moment, writer

# parse flags (libvirt's virDomainSnapshotParseFlags)
PARSE_REDEFINE = 1 << 0
PARSE_DISKS = 1 << 1
PARSE_INTERNAL = 1 << 2
PARSE_OFFLINE = 1 << 3
PARSE_VALIDATE = 1 << 4

# virDomainSnapshotState: a domain state, or a disk-only snapshot
STATES = ("nostate", "running", "blocked", "paused", "shutdown", "shutoff",
          "crashed", "pmsuspended", "disk-snapshot")
STATE_RUNNING, STATE_PAUSED, STATE_SHUTOFF, STATE_DISK_SNAPSHOT = 1, 3, 5, 8

# virDomainSnapshotLocation
LOCATIONS = ("default", "no", "internal", "external", "manual")
LOC_DEFAULT, LOC_NO, LOC_INTERNAL, LOC_EXTERNAL, LOC_MANUAL = range(5)

_STORAGE_TYPES = ("none", "file", "block", "dir", "network", "volume", "nvme",
                  "vhostuser", "vhostvdpa")
_DISK_FORMATS = ("none", "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc",
                 "vdi", "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed",
                 "vmdk")


class SnapshotDisk:
    """One <disk> of a snapshot: where its snapshot goes."""

    __slots__ = ("name", "snapshot", "type", "path", "driver", "source")

    def __init__(self, name, snapshot=LOC_DEFAULT, type_="file", path=None,
                 driver=None, source=None):
        self.name = name
        self.snapshot = snapshot      # LOC_*
        self.type = type_             # storage type of the new image
        self.path = path              # file or device of the new image
        self.driver = driver          # image format name
        self.source = source          # the <source> element as given, if any


class SnapshotDef:
    """A parsed snapshot definition."""

    def __init__(self):
        self.name = None
        self.description = None
        self.state = 0                # index into STATES (0: not known yet)
        self.parent_name = None
        self.creation_time = 0
        self.memory = LOC_DEFAULT     # LOC_*
        self.memory_file = None
        self.disks = []
        self.dom = None               # the domain's DomainDef at that moment
        self.inactive_dom = None      # its persistent definition, if different
        self.cookie = None            # hypervisor data (<cookie> element) kept as is
        self.active = False           # node files: was this the current one

    @property
    def state_name(self):
        return STATES[self.state]

    @property
    def online(self):
        """Taken while the domain ran (memory state is part of it)."""
        return self.state in (STATE_RUNNING, STATE_PAUSED)

    def is_external(self):
        """Whether memory or any disk went to a separate file."""
        return (self.memory == LOC_EXTERNAL or
                any(d.snapshot == LOC_EXTERNAL for d in self.disks))


# --- parsing ---------------------------------------------------------------
def parse(text, flags=0):
    """Parse snapshot XML text (see the module docstring)."""
    return parse_element(moment.parse_root(text, "domainsnapshot",
                                           "domain_snapshot"), flags)


def parse_element(root, flags=0):
    """Parse a <domainsnapshot> element (a node file's test:domainsnapshot)."""
    defn = SnapshotDef()
    redefine = bool(flags & PARSE_REDEFINE)
    offline = bool(flags & PARSE_OFFLINE)
    defn.name = moment.child_text(root, "name")
    if defn.name is None and redefine:
        raise VirtError(XML_ERROR, "a redefined snapshot must have a name")
    defn.description = moment.child_text(root, "description")
    if redefine:
        _parse_recorded(root, defn)
        offline = defn.state in (STATE_SHUTOFF, STATE_DISK_SNAPSHOT)
    else:
        moment.stamp(defn)
    _parse_memory(root, defn, redefine, offline)
    if not offline:
        defn.cookie = root.find("cookie")
    disks = root.find("disks")
    for elem in (disks if disks is not None else ()):
        if isinstance(elem.tag, str):
            defn.disks.append(_parse_disk(elem))
    if flags & PARSE_INTERNAL:
        active = moment.parse_long(moment.child_text(root, "active"))
        if active is None:
            raise VirtError(INTERNAL_ERROR, "Could not find 'active' element")
        defn.active = active != 0
    return defn


def _parse_recorded(root, defn):
    """The parts only a redefined (recorded) snapshot carries."""
    defn.creation_time = moment.parse_long(moment.child_text(root, "creationTime"))
    if defn.creation_time is None:
        raise VirtError(INTERNAL_ERROR, "missing creationTime from existing snapshot")
    defn.parent_name = moment.child_text(root, "parent/name")
    state = moment.child_text(root, "state")
    if state is None:
        raise VirtError(XML_ERROR, "missing state from existing snapshot")
    if state not in STATES[1:]:
        raise VirtError(CONFIG_UNSUPPORTED,
                        "Invalid state '%s' in domain snapshot XML" % state)
    defn.state = STATES.index(state)
    dom = root.find("domain")
    if dom is not None and dom.get("type"):
        defn.dom = moment.parse_domain(dom)
    inactive = root.find("inactiveDomain")
    if inactive is not None:
        defn.inactive_dom = moment.parse_domain(inactive)


def _enum_attr(elem, attr, names, default):
    """An enum attribute whose first (default) value may not be written."""
    value = elem.get(attr)
    if value is None:
        return default
    if value not in names[1:]:
        raise VirtError(XML_ERROR, "Invalid value for attribute '%s' in element "
                        "'%s': '%s'." % (attr, moment.local_name(elem), value))
    return names.index(value)


def _parse_memory(root, defn, redefine, offline):
    elem = root.find("memory")
    if elem is not None:
        defn.memory_file = elem.get("file")
        defn.memory = _enum_attr(elem, "snapshot", LOCATIONS, LOC_DEFAULT)
        if defn.memory == LOC_MANUAL:
            raise VirtError(XML_ERROR, "'manual' memory snapshot mode not supported")
    if defn.memory == LOC_DEFAULT:
        if defn.memory_file:
            defn.memory = LOC_EXTERNAL
        elif redefine:
            defn.memory = LOC_NO if offline else LOC_INTERNAL
    if defn.memory_file and defn.memory != LOC_EXTERNAL:
        raise VirtError(XML_ERROR, "memory filename '%s' requires external snapshot"
                        % defn.memory_file)
    if not defn.memory_file and defn.memory == LOC_EXTERNAL:
        raise VirtError(XML_ERROR, "external memory snapshots require a filename")
    if offline and defn.memory not in (LOC_DEFAULT, LOC_NO):
        raise VirtError(XML_ERROR, "memory state cannot be saved with offline "
                        "or disk-only snapshot")
    if defn.memory_file and not os.path.isabs(defn.memory_file):
        raise VirtError(XML_ERROR, "memory snapshot file path (%s) must be absolute"
                        % defn.memory_file)


def _parse_disk(elem):
    name = elem.get("name")
    if name is None:
        raise VirtError(INTERNAL_ERROR, "missing name from disk snapshot element")
    disk = SnapshotDisk(name, _enum_attr(elem, "snapshot", LOCATIONS, LOC_DEFAULT))
    disk.type = _STORAGE_TYPES[_enum_attr(elem, "type", _STORAGE_TYPES, 1)]
    if disk.type in ("volume", "dir"):
        raise VirtError(XML_ERROR, "unsupported disk snapshot type '%s'" % disk.type)
    source = elem.find("source")
    if source is not None:
        disk.source = source
        disk.path = source.get("dev" if disk.type == "block" else "file")
        if disk.type == "network":
            disk.path = source.get("name")
    driver = elem.find("driver")
    disk.driver = driver.get("type") if driver is not None else None
    if disk.driver is not None and disk.driver not in _DISK_FORMATS[1:]:
        raise VirtError(CONFIG_UNSUPPORTED, "unknown disk snapshot driver '%s'"
                        % disk.driver)
    if disk.type in ("file", "block") and disk.path and not disk.path.startswith("/"):
        raise VirtError(XML_ERROR, "disk snapshot image path '%s' must be absolute"
                        % disk.path)
    if disk.snapshot == LOC_DEFAULT and (disk.path or disk.driver):
        disk.snapshot = LOC_EXTERNAL
    return disk


# --- alignment with the domain ---------------------------------------------
def align_disks(defn, default, uniform, domain=None):
    """Give every disk of the domain (defn.dom, else *domain*) an entry, in
    the domain's order, with the location *default* where nothing says
    otherwise; *uniform*: an internal snapshot must cover every disk (each
    disk 'internal', or 'no' where the domain says so)."""
    require_match = uniform and default == LOC_INTERNAL
    domdef = defn.dom or domain
    if domdef is None:
        raise VirtError(INTERNAL_ERROR, "missing domain in snapshot")
    dom_disks = moment.domain_disks(domdef)
    if len(defn.disks) > len(dom_disks):
        raise VirtError(CONFIG_UNSUPPORTED,
                        "too many disk snapshot requests for domain")
    if not dom_disks:
        return
    given = {}
    for disk in defn.disks:
        target = moment.find_disk(dom_disks, disk.name)
        if target is None:
            raise VirtError(CONFIG_UNSUPPORTED, "no disk named '%s'" % disk.name)
        if target.dst in given:
            raise VirtError(CONFIG_UNSUPPORTED, "disk '%s' specified twice" % disk.name)
        given[target.dst] = disk
        wanted = LOCATIONS.index(target.snapshot) if target.snapshot in LOCATIONS else 0
        if disk.snapshot == LOC_DEFAULT:
            if wanted != LOC_DEFAULT and (not require_match or wanted == LOC_NO):
                disk.snapshot = wanted
            else:
                disk.snapshot = default
        elif (require_match and disk.snapshot != default and
              not (disk.snapshot == LOC_NO and wanted == LOC_NO)):
            raise VirtError(CONFIG_UNSUPPORTED, "disk '%s' must use snapshot mode '%s'"
                            % (disk.name, LOCATIONS[default]))
        if disk.path and disk.snapshot != LOC_EXTERNAL:
            raise VirtError(CONFIG_UNSUPPORTED, "file '%s' for disk '%s' requires "
                            "use of external snapshot mode" % (disk.path, disk.name))
        disk.name = target.dst
    aligned = []
    for target in dom_disks:
        disk = given.get(target.dst)
        if disk is None:
            wanted = LOCATIONS.index(target.snapshot) if target.snapshot in LOCATIONS else 0
            disk = SnapshotDisk(target.dst, LOC_NO if target.empty else wanted)
            if not disk.snapshot:
                disk.snapshot = default
        aligned.append((disk, target))
    defn.disks = [disk for disk, _ in aligned]
    _name_external_files(aligned, defn.name)


def _name_external_files(aligned, snapshot_name):
    """Default file names of external disk snapshots: the disk's image
    without its suffix, plus the snapshot name (libvirt's rule)."""
    for i, (disk, target) in enumerate(aligned):
        if disk.snapshot != LOC_EXTERNAL or disk.path:
            continue
        if disk.type != "file":
            raise VirtError(CONFIG_UNSUPPORTED, "cannot generate external snapshot "
                            "name for disk '%s' on a '%s' device" % (disk.name, disk.type))
        if not target.path:
            raise VirtError(CONFIG_UNSUPPORTED, "cannot generate external snapshot "
                            "name for disk '%s' without source" % disk.name)
        if not os.path.isfile(target.path):
            raise VirtError(CONFIG_UNSUPPORTED, "source for disk '%s' is not a regular "
                            "file; refusing to generate external snapshot name"
                            % disk.name)
        base, dot, suffix = target.path.rpartition(".")
        stem = base if dot and "/" not in suffix else target.path
        disk.path = "%s.%s" % (stem, snapshot_name)
        for earlier, _ in aligned[:i]:
            if earlier.path == disk.path:
                raise VirtError(CONFIG_UNSUPPORTED, "cannot generate external snapshot "
                                "name for disk '%s': collision with disk '%s'"
                                % (disk.name, earlier.name))


# --- formatting ------------------------------------------------------------
def format(defn, uuid=None, secure=False, internal=False, current=False):  # noqa: A001
    """The document libvirt prints.  *uuid*: the domain's, shown when the
    snapshot lacks a domain copy; *internal*: add <active> (node files)."""
    state = ["<state>%s</state>" % defn.state_name] if defn.state else []
    lines = moment.header_lines(defn, state)
    if defn.memory:
        attrs = " snapshot='%s'" % LOCATIONS[defn.memory]
        if defn.memory_file is not None:
            attrs += " file='%s'" % writer.escape(defn.memory_file)
        lines.append("<memory%s/>" % attrs)
    if defn.disks:
        lines.append("<disks>")
        for disk in defn.disks:
            lines.extend("  " + line for line in _disk_lines(disk))
        lines.append("</disks>")
    if defn.dom is not None:
        lines.extend(moment.format_domain(defn.dom, secure))
    elif uuid:
        lines += ["<domain>", "  <uuid>%s</uuid>" % uuid, "</domain>"]
    if defn.inactive_dom is not None:
        lines.extend(moment.format_domain(defn.inactive_dom, secure, "inactiveDomain"))
    if defn.cookie is not None:
        lines.extend(writer.write(defn.cookie).rstrip("\n").split("\n"))
    if internal:
        lines.append("<active>%d</active>" % int(current))
    return moment.document("domainsnapshot", lines)


def _disk_lines(disk):
    attrs = " name='%s'" % writer.escape(disk.name)
    if disk.snapshot:
        attrs += " snapshot='%s'" % LOCATIONS[disk.snapshot]
    if not (disk.path or disk.driver):
        return ["<disk%s/>" % attrs]
    attrs += " type='%s'" % disk.type
    body = []
    if disk.driver:
        body.append("<driver type='%s'/>" % disk.driver)
    if disk.path:
        body.append(_source_line(disk))
    return ["<disk%s>" % attrs] + ["  " + b for b in body] + ["</disk>"]


def _source_line(disk):
    if disk.type == "block":
        return "<source dev='%s'/>" % writer.escape(disk.path)
    if disk.type == "file":
        return "<source file='%s'/>" % writer.escape(disk.path)
    return writer.write(disk.source).rstrip("\n")
