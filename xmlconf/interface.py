"""Host interface XML: parse and format as libvirt does.

``parse(text) -> InterfaceDef`` (``.tree``, ``.name``, ``.mac``);
``format(defn) -> str``.
"""
from virtsh.drivers.errors import VirtError, XML_ERROR
from virtsh.xmlconf import objxml

IFACE_TYPES = ("ethernet", "bridge", "bond", "vlan")

_DEVICE = ("start", "mtu", "protocol", "link", "mac", "bridge", "bond", "vlan")
_PROTOCOL = ("autoconf", "dhcp", "ip", "route")
_SLAVE = ("mtu", "link", "mac", "bridge", "bond", "vlan")


def _order():
    table = {"interface": _DEVICE, "interface/protocol": _PROTOCOL}
    # Devices inside a bridge, bond or vlan (two levels are enough in practice).
    for outer in ("interface", "interface/bridge/interface", "interface/bond/interface"):
        table[outer + "/bridge"] = ("interface",)
        table[outer + "/bond"] = ("miimon", "arpmon", "interface")
        table[outer + "/vlan"] = ("interface",)
    for inner in ("bridge", "bond", "vlan"):
        table["interface/%s/interface" % inner] = _SLAVE
    return table


ORDER = _order()


class InterfaceDef:
    """A parsed interface definition."""

    __slots__ = ("tree",)

    def __init__(self, tree):
        self.tree = tree

    @property
    def name(self):
        return self.tree.get("name")

    @property
    def mac(self):
        """The top-level MAC address, or None."""
        found = self.tree.find("mac")
        return None if found is None else found.get("address")

    def copy(self):
        import copy
        return InterfaceDef(copy.deepcopy(self.tree))


def parse(text):
    """Parse and check an ``<interface>`` document; VirtError on bad input."""
    root = objxml.parse_root(text, "interface", "interface_definition")
    itype = root.get("type")
    if itype is None:
        raise VirtError(XML_ERROR, "interface misses the type attribute")
    if itype not in IFACE_TYPES:
        raise VirtError(XML_ERROR, "unknown interface type %s" % itype)
    if itype != "bridge" or root.get("name") is not None:
        if not root.get("name"):
            raise VirtError(XML_ERROR, "interface has no name")
    objxml.canonical(root, ORDER)
    attrs = [(k, root.get(k)) for k in ("type", "name") if root.get(k) is not None]
    root.attrib.clear()
    for k, v in attrs:
        root.set(k, v)
    return InterfaceDef(root)


def format(defn, flags=0):  # noqa: A001
    """The interface XML as libvirt prints it."""
    return objxml.write(defn.tree)
