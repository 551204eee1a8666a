"""Network filter and filter binding XML: parse and format.

Filter rules are kept as written (libvirt's rule vocabulary is large);
what libvirt always adds is applied: a ``<uuid>`` and the default chain.
"""
from virtsh.drivers.errors import VirtError, XML_ERROR
from virtsh.xmlconf import objxml


class NWFilterDef:
    """A parsed filter definition."""

    __slots__ = ("tree",)

    def __init__(self, tree):
        self.tree = tree

    @property
    def name(self):
        return self.tree.get("name")

    @property
    def uuid(self):
        return self.tree.findtext("uuid")


def parse(text):
    """Parse and check a ``<filter>`` document; VirtError on bad input."""
    root = objxml.parse_root(text, "filter", "nwfilter_definition")
    if not root.get("name"):
        raise VirtError(XML_ERROR, "filter has no name")
    attrs = [("name", root.get("name")), ("chain", root.get("chain", "root")),
             ("priority", root.get("priority"))]
    root.attrib.clear()
    for k, v in attrs:
        if v is not None:
            root.set(k, v)
    objxml.canonical(root, {})
    uuid = root.find("uuid")
    if uuid is None:
        uuid = objxml.element("uuid")
        root.insert(0, uuid)
    if not (uuid.text or "").strip():
        from virtsh.xmlconf.uuids import random_uuid
        uuid.text = random_uuid()
    uuid.text = uuid.text.strip()
    return NWFilterDef(root)


def format(defn, flags=0):  # noqa: A001
    """The filter XML as libvirt prints it."""
    return objxml.write(defn.tree)


class BindingDef:
    """A parsed filter binding (``<filterbinding>``)."""

    __slots__ = ("tree",)

    def __init__(self, tree):
        self.tree = tree

    @property
    def port_dev(self):
        return self.tree.find("portdev").get("name")

    @property
    def filter_name(self):
        return self.tree.find("filterref").get("filter")


def parse_binding(text):
    """Parse and check a ``<filterbinding>`` document."""
    root = objxml.parse_root(text, "filterbinding", "nwfilterbinding_definition")
    for tag, attr in (("portdev", "name"), ("filterref", "filter")):
        elem = root.find(tag)
        if elem is None or not elem.get(attr):
            raise VirtError(XML_ERROR, "missing %s %s" % (tag, attr))
    objxml.canonical(root, {"filterbinding": ("owner", "portdev", "linkdev",
                                              "mac", "filterref")})
    return BindingDef(root)


def format_binding(defn):
    return objxml.write(defn.tree)
