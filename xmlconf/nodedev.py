"""Node device XML: parse and format as libvirt does.

``parse(text, create=False) -> NodeDeviceDef``; ``format(defn) -> str``.
Capabilities libvirt reads from sysfs (the vport counters) are printed as
the test driver sees them: zero.
"""
from virtsh.drivers.errors import VirtError, XML_ERROR
from virtsh.xmlconf import objxml

ORDER = {
    "device": ("name", "path", "devnode", "parent", "capability"),
    "device/capability[system]": ("product", "hardware", "firmware"),
    "device/capability[system]/hardware": ("vendor", "version", "serial", "uuid"),
    "device/capability[system]/firmware": ("vendor", "version", "release_date"),
    "device/capability[scsi_host]": ("host", "unique_id", "capability"),
    "device/capability[scsi_host]/capability[fc_host]": ("wwnn", "wwpn", "fabric_wwn"),
    "device/capability[scsi_host]/capability[vport_ops]": ("max_vports", "vports"),
}


class NodeDeviceDef:
    """A parsed node device definition."""

    __slots__ = ("tree",)

    def __init__(self, tree):
        self.tree = tree

    @property
    def name(self):
        return self.tree.findtext("name")

    @property
    def parent(self):
        return self.tree.findtext("parent")

    def caps(self):
        """The capability type names, outer ones first."""
        return [c.get("type") for c in self.tree.iter("capability")]

    def fc_host(self):
        """The scsi_host's fc_host <capability> element, or None."""
        for cap in self.tree.iter("capability"):
            if cap.get("type") == "fc_host":
                return cap
        return None

    def copy(self):
        import copy
        return NodeDeviceDef(copy.deepcopy(self.tree))


def parse(text, create=False):
    """Parse a ``<device>`` document; *create*: a device to be created
    (it has no name yet)."""
    root = objxml.parse_root(text, "device", "node_device_definition")
    if not create and not (root.findtext("name") or "").strip():
        raise VirtError(XML_ERROR, "no device name")
    if root.find("capability") is None:
        raise VirtError(XML_ERROR, "no device capabilities for '%s'"
                        % (root.findtext("name") or ""))
    _walk(root, "device")
    for cap in root.iter("capability"):
        if cap.get("type") == "vport_ops":
            for child in list(cap):
                cap.remove(child)
            cap.append(objxml.element("max_vports", text="0"))
            cap.append(objxml.element("vports", text="0"))
    return NodeDeviceDef(root)


def _walk(elem, path):
    """objxml.canonical, with a capability's type as part of its path."""
    known = ORDER.get(path)
    if known is None:
        objxml.canonical(elem, {}, path)
        return
    rank = {tag: i for i, tag in enumerate(known)}
    kids = [c for c in elem if isinstance(c.tag, str) and c.tag in rank]
    for c in list(elem):
        elem.remove(c)
    kids.sort(key=lambda c: rank[c.tag])
    if kids:
        elem.text = None
    elif elem.text is not None:
        elem.text = elem.text.strip() or None
    for c in kids:
        c.tail = None
        elem.append(c)
        sub = path + "/" + c.tag
        if c.tag == "capability":
            sub += "[%s]" % c.get("type")
        _walk(c, sub)


def format(defn, flags=0):  # noqa: A001
    """The device XML as libvirt prints it."""
    return objxml.write(defn.tree)
