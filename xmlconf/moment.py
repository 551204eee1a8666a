"""What snapshot and checkpoint XML share ("moments" in libvirt's words).

Both documents start with ``<name>``, ``<description>``, ``<parent>`` and
``<creationTime>``, embed a copy of the domain definition, and name disks
of that domain; the helpers for those parts live here, used by
xmlconf/snapshot.py and xmlconf/checkpoint.py.
"""
import time

from virtsh.drivers.errors import VirtError, XML_ERROR
from virtsh.xmlconf import writer


def parse_root(text, root_name, what):
    """The root element of document *text*, which must be <root_name>."""
    from virtsh.xmlconf.domain import parse_document
    root = parse_document(text, what)
    if local_name(root) != root_name:
        raise VirtError(XML_ERROR, "expecting root element of '%s', not '%s'"
                        % (root_name, local_name(root)))
    return root


def local_name(elem):
    """An element's tag without its namespace."""
    tag = elem.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def child_text(elem, path):
    """The text of the first element at *path* (descendant text joined), or
    None when it is absent or empty, as libvirt's virXPathString."""
    found = elem.find(path)
    if found is None:
        return None
    text = "".join(found.itertext())
    return text or None


def parse_long(text):
    """A whole-string signed decimal number, or None (virStrToLong_ll)."""
    if text is None:
        return None
    body = text[1:] if text[:1] in "+-" else text
    if not body.isdigit() or not body.isascii():
        return None
    return int(text)


def stamp(defn):
    """Give a new moment its creation time, and that time as name when it
    has none (libvirt's virDomainMomentDefPostParse)."""
    defn.creation_time = int(time.time())
    if not defn.name:
        defn.name = str(defn.creation_time)


def parse_domain(elem):
    """The DomainDef of an embedded <domain> (or <inactiveDomain>) element."""
    from lxml import etree
    from virtsh.xmlconf import domain as xd
    copy = etree.fromstring(etree.tostring(elem))
    copy.tag = "domain"
    return xd.parse(etree.tostring(copy, encoding="unicode"))


def format_domain(defn, secure, root="domain"):
    """Lines of an embedded domain definition, as libvirt nests it."""
    from virtsh import xmlconf
    from virtsh.xmlconf import domain as xd
    flags = xmlconf.XML_INACTIVE | (xmlconf.XML_SECURE if secure else 0)
    text = xd.format(defn, flags)
    lines = text.rstrip("\n").split("\n")
    if root != "domain":
        lines[0] = "<" + root + lines[0][len("<domain"):]
        lines[-1] = "</%s>" % root
    return lines


def header_lines(defn, between=()):
    """The common head of a moment document: name, description, the lines
    *between* (a snapshot's state), parent and creation time."""
    lines = []
    if defn.name is not None:
        lines.append(element("name", defn.name))
    if defn.description is not None:
        lines.append(element("description", defn.description))
    lines.extend(between)
    if defn.parent_name:
        lines += ["<parent>", "  " + element("name", defn.parent_name), "</parent>"]
    if defn.creation_time:
        lines.append("<creationTime>%d</creationTime>" % defn.creation_time)
    return lines


def element(tag, text):
    """``<tag>text</tag>`` with libvirt's escaping."""
    return "<%s>%s</%s>" % (tag, writer.escape(text), tag)


def document(root, lines):
    """The document text: *lines* indented inside <root>."""
    body = "".join("  %s\n" % line for line in lines)
    return "<%s>\n%s</%s>\n" % (root, body, root)


class DomainDisk:
    """A disk of the domain a moment belongs to (what alignment needs)."""

    __slots__ = ("dst", "path", "snapshot", "readonly", "network")

    def __init__(self, dst, path, snapshot, readonly, network):
        self.dst = dst
        self.path = path
        self.snapshot = snapshot      # the disk's snapshot= attribute or None
        self.readonly = readonly
        self.network = network

    @property
    def empty(self):
        """No medium (libvirt's virStorageSourceIsEmpty)."""
        return not self.network and not self.path


def domain_disks(domdef):
    """The DomainDisks of a domain definition, in device order."""
    disks = []
    for disk in domdef.tree.findall("devices/disk"):
        source = disk.find("source")
        path = None
        if source is not None:
            path = (source.get("file") or source.get("dev")
                    or source.get("dir") or source.get("name")
                    or source.get("volume"))
        target = disk.find("target")
        readonly = disk.find("readonly") is not None or disk.get("device") == "cdrom"
        snapshot = disk.get("snapshot") or ("no" if readonly else None)
        disks.append(DomainDisk(target.get("dev") if target is not None else None,
                                path, snapshot, readonly, disk.get("type") == "network"))
    return disks


def find_disk(disks, name):
    """The disk *name* designates: a target name, or (with a leading slash)
    the source path of exactly one disk (libvirt's virDomainDiskByName)."""
    if not name.startswith("/"):
        for disk in disks:
            if disk.dst == name:
                return disk
        return None
    matches = [d for d in disks if d.path == name]
    return matches[0] if len(matches) == 1 else None
