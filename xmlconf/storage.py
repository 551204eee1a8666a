"""Storage pool and volume XML: parse, apply libvirt's defaults, format.

``parse_pool(text) -> PoolDef``, ``format_pool(defn, capacity, allocation,
available)``; ``parse_volume(text, pool_type) -> VolDef``,
``format_volume(vol)``.  Sizes are bytes; the driver owns the figures
(libvirt prints the pool object's, not the document's).
"""
from virtsh.drivers.errors import VirtError, XML_ERROR
from virtsh.xmlconf import objxml

POOL_TYPES = ("dir", "fs", "netfs", "logical", "disk", "iscsi", "iscsi-direct",
              "scsi", "mpath", "rbd", "sheepdog", "gluster", "zfs", "vstorage")

# Per pool type: the <source> children libvirt keeps, and the default
# <format> it prints (None: no <format>).
_SOURCE = {
    "dir": ((), None),
    "fs": (("device", "format"), "auto"),
    "netfs": (("host", "dir", "format", "protocol"), "auto"),
    "logical": (("device", "name", "format"), "lvm2"),
    "disk": (("device", "format"), "unknown"),
    "iscsi": (("host", "device", "initiator", "auth"), None),
    "iscsi-direct": (("host", "device", "initiator", "auth"), None),
    "scsi": (("adapter",), None),
    "mpath": ((), None),
    "rbd": (("host", "name", "auth"), None),
    "sheepdog": (("host", "name"), None),
    "gluster": (("host", "dir", "name", "auth"), None),
    "zfs": (("device", "name"), None),
    "vstorage": (("name",), None),
}
_SOURCE_ORDER = ("host", "device", "dir", "adapter", "name", "initiator",
                 "format", "auth", "protocol", "vendor", "product")
# Pool types without a local target directory.
_NO_TARGET = ("rbd", "sheepdog", "gluster", "iscsi-direct")
# Pool types whose volumes are files with a default raw format.
FILE_POOLS = ("dir", "fs", "netfs", "vstorage")

VOL_TYPES = ("file", "block", "dir", "network", "netdir", "ploop")

_POOL_ORDER = {
    "pool": ("name", "uuid", "source", "target"),
    "pool/target": ("path", "permissions"),
    "pool/target/permissions": ("mode", "owner", "group", "label"),
}
_VOL_ORDER = {
    "volume": ("name", "key", "target", "backingStore"),
    "volume/target": ("path", "format", "permissions", "timestamps",
                      "compat", "clusterSize", "nocow", "features"),
    "volume/target/permissions": ("mode", "owner", "group", "label"),
    "volume/backingStore": ("path", "format", "permissions"),
    "volume/backingStore/permissions": ("mode", "owner", "group", "label"),
}


class PoolDef:
    """A parsed pool definition."""

    __slots__ = ("tree",)

    def __init__(self, tree):
        self.tree = tree

    @property
    def name(self):
        return self.tree.findtext("name")

    @property
    def uuid(self):
        return self.tree.findtext("uuid")

    @property
    def type(self):
        return self.tree.get("type")

    @property
    def target_path(self):
        return self.tree.findtext("target/path")

    def source_adapter(self):
        """The <source><adapter> element (fc_host pools), or None."""
        return self.tree.find("source/adapter")


def parse_pool(text):
    """Parse and check a ``<pool>`` document; VirtError on bad input."""
    root = objxml.parse_root(text, "pool", "storage_pool_definition")
    ptype = root.get("type")
    if ptype is None:
        raise VirtError(XML_ERROR, "Missing required attribute 'type' in element 'pool'")
    if ptype not in POOL_TYPES:
        raise VirtError(XML_ERROR, "Invalid value for attribute 'type' in element "
                        "'pool': '%s'." % ptype)
    source = root.find("source")
    if source is not None:
        source = _canonical_source(source, ptype)
    objxml.canonical(root, _POOL_ORDER)
    root.attrib.clear()
    root.set("type", ptype)
    if not (root.findtext("name") or "").strip():
        raise VirtError(XML_ERROR, "missing pool source name element")
    if "/" in root.findtext("name"):
        raise VirtError(XML_ERROR, "name %s cannot contain '/'" % root.findtext("name"))
    objxml.ensure_uuid(root)
    if ptype not in _NO_TARGET and not (root.findtext("target/path") or "").strip():
        raise VirtError(XML_ERROR, "missing storage pool target path")
    _set_source(root, source, ptype)
    return PoolDef(root)


def _canonical_source(source, ptype):
    kept, default_format = _SOURCE[ptype]
    objxml.canonical(source, {"source": tuple(t for t in _SOURCE_ORDER if t in kept)})
    if default_format and source.find("format") is None:
        fmt = objxml.element("format", {"type": default_format})
        _insert_ordered(source, fmt, _SOURCE_ORDER)
    return source


def _set_source(root, source, ptype):
    """Put the (canonical) <source> right after <uuid>: libvirt always prints it."""
    old = root.find("source")
    if old is not None:
        root.remove(old)
    if source is None:
        source = objxml.element("source")
        _canonical_source(source, ptype)
    root.find("uuid").addnext(source)


def _insert_ordered(parent, child, order):
    rank = order.index(child.tag)
    for i, c in enumerate(parent):
        if c.tag in order and order.index(c.tag) > rank:
            parent.insert(i, child)
            return
    parent.append(child)


def format_pool(defn, capacity, allocation, available):
    """The pool XML as libvirt prints it, with the pool's current sizes."""
    import copy
    root = copy.deepcopy(defn.tree)
    anchor = root.find("uuid")
    for tag, value in (("capacity", capacity), ("allocation", allocation),
                       ("available", available)):
        e = objxml.element(tag, {"unit": "bytes"}, value)
        anchor.addnext(e)
        anchor = e
    return objxml.write(root, expand=("source",))


class VolDef:
    """A parsed volume definition; capacity and allocation in bytes."""

    __slots__ = ("tree", "capacity", "allocation")

    def __init__(self, tree, capacity, allocation):
        self.tree = tree
        self.capacity = capacity
        self.allocation = allocation

    @property
    def name(self):
        return self.tree.findtext("name")

    @property
    def key(self):
        return self.tree.findtext("key")

    @property
    def path(self):
        return self.tree.findtext("target/path")

    @property
    def type(self):
        return self.tree.get("type")

    def set_location(self, path, key=None):
        """Give the volume its target path and key (libvirt: key = path)."""
        target = self.tree.find("target")
        if target is None:
            target = objxml.element("target")
            self.tree.append(target)
            objxml.canonical(self.tree, _VOL_ORDER)
        path_elem = target.find("path")
        if path_elem is None:
            path_elem = objxml.element("path")
            target.insert(0, path_elem)
        path_elem.text = path
        key_elem = self.tree.find("key")
        if key_elem is None:
            key_elem = objxml.element("key")
            self.tree.find("name").addnext(key_elem)
        key_elem.text = key if key is not None else path

    def copy(self, name=None):
        import copy
        clone = VolDef(copy.deepcopy(self.tree), self.capacity, self.allocation)
        if name is not None:
            clone.tree.find("name").text = name
        return clone


def parse_volume(text, pool_type):
    """Parse and check a ``<volume>`` document for a pool of *pool_type*."""
    root = objxml.parse_root(text, "volume", "storage_volume_definition")
    vtype = root.get("type", "file")
    if vtype not in VOL_TYPES:
        raise VirtError(XML_ERROR, "unknown volume type '%s'" % vtype)
    name = root.findtext("name") or ""
    if not name.strip():
        raise VirtError(XML_ERROR, "missing volume name element")
    cap = root.find("capacity")
    if cap is None:
        raise VirtError(XML_ERROR, "missing capacity element")
    capacity = objxml.scaled_bytes(cap.text, cap.get("unit"), "capacity")
    alloc = root.find("allocation")
    allocation = (capacity if alloc is None else
                  objxml.scaled_bytes(alloc.text, alloc.get("unit"), "allocation"))
    objxml.canonical(root, _VOL_ORDER)
    root.attrib.clear()
    root.set("type", vtype)
    root.find("name").text = name
    cluster = root.find("target/clusterSize")
    if cluster is not None:
        size = objxml.scaled_bytes(cluster.text, cluster.get("unit"), "clusterSize")
        cluster.attrib.clear()
        cluster.set("unit", "B")
        cluster.text = str(size)
    if pool_type in FILE_POOLS:
        target = root.find("target")
        if target is None:
            target = objxml.element("target")
            root.append(target)
            objxml.canonical(root, _VOL_ORDER)
        if target.find("format") is None:
            _insert_ordered(target, objxml.element("format", {"type": "raw"}),
                            _VOL_ORDER["volume/target"])
    return VolDef(root, capacity, allocation)


def format_volume(vol):
    """The volume XML as libvirt prints it."""
    import copy
    root = copy.deepcopy(vol.tree)
    anchor = root.find("key")
    if anchor is None:
        anchor = root.find("name")
    for tag, value in (("capacity", vol.capacity), ("allocation", vol.allocation)):
        e = objxml.element(tag, {"unit": "bytes"}, value)
        anchor.addnext(e)
        anchor = e
    return objxml.write(root)
