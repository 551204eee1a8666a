"""Network XML: parse, apply libvirt's defaults, format.

``parse(text) -> NetworkDef`` (``.tree`` is the canonical ``<network>``
element, ``.name``, ``.uuid``); ``format(defn) -> str``.
"""
from virtsh.drivers.errors import VirtError, CONFIG_UNSUPPORTED, INTERNAL_ERROR, XML_ERROR
from virtsh.xmlconf import objxml

ORDER = {
    "network": ("name", "uuid", "metadata", "forward", "bridge", "mtu", "mac",
                "domain", "dns", "bandwidth", "vlan", "port", "ip", "route",
                "virtualport", "portgroup"),
    "network/forward": ("driver", "nat", "pf", "interface", "address"),
    "network/ip": ("tftp", "dhcp"),
    "network/ip/dhcp": ("range", "host", "bootp"),
    "network/dns": ("forwarder", "txt", "srv", "host"),
}
ATTRS = {
    "network": ("ipv6", "trustGuestRxFilters"),
    "network/forward": ("dev", "mode", "managed"),
    "network/bridge": ("name", "zone", "stp", "delay", "macTableManager"),
    "network/ip": ("family", "address", "netmask", "prefix", "localPtr"),
    "network/ip/dhcp/range": ("start", "end"),
    "network/ip/dhcp/host": ("mac", "id", "name", "ip"),
    "network/domain": ("name", "localOnly", "register"),
}
# Forward modes whose bridge libvirt manages (it prints stp and delay).
_ROUTED = (None, "nat", "route", "open")
FORWARD_MODES = ("nat", "route", "open", "bridge", "private", "vepa",
                 "passthrough", "hostdev")


class NetworkDef:
    """A parsed network definition."""

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
    def bridge(self):
        """The bridge device name, or None."""
        found = self.tree.find("bridge")
        return None if found is None else found.get("name")

    def copy(self):
        from lxml import etree
        return NetworkDef(etree.fromstring(etree.tostring(self.tree)))


def parse(text):
    """Parse and check a ``<network>`` document; VirtError on bad input."""
    root = objxml.parse_root(text, "network", "network_definition")
    objxml.require_name(root, "missing name information")
    if "/" in root.findtext("name"):
        raise VirtError(XML_ERROR, "invalid char in name: /", raw=True)
    objxml.canonical(root, ORDER)
    _keep_attrs(root, "network")
    objxml.ensure_uuid(root)
    _apply_defaults(root)
    _check_ips(root)
    return NetworkDef(root)


def ip_interface(ip):
    """An <ip> element's address and prefix (an ipaddress interface), with
    libvirt's default prefix: 64 for IPv6, the address class's for IPv4
    (8, 16 or 24).  ValueError when the address is not one."""
    import ipaddress
    address = ipaddress.ip_address(ip.get("address") or "")
    if ip.get("prefix") is None and ip.get("netmask"):
        return ipaddress.ip_interface("%s/%s" % (address, ip.get("netmask")))
    prefix = ip.get("prefix")
    if prefix is None:
        first = address.packed[0]
        prefix = 64 if address.version == 6 else 8 if first < 128 else \
            16 if first < 192 else 24
    return ipaddress.ip_interface("%s/%s" % (address, prefix))


def _check_ips(root):
    """libvirt's parse-time checks of each <ip>: a real address, a prefix
    its family can have, DHCP ranges inside its network and not reversed."""
    import ipaddress
    name = root.findtext("name")
    for ip in root.findall("ip"):
        address = ip.get("address")
        if address is None:
            continue
        try:
            version = ipaddress.ip_address(address).version
        except ValueError:
            raise VirtError(XML_ERROR, "Invalid address '%s' in network '%s'"
                            % (address, name)) from None
        prefix = ip.get("prefix")
        if prefix is not None and not (prefix.isdigit()
                                       and int(prefix) <= (32 if version == 4 else 128)):
            raise VirtError(CONFIG_UNSUPPORTED, "Invalid IPv%d prefix '%s' in network "
                            "'%s'" % (version, prefix, name))
        try:
            iface = ip_interface(ip)
        except ValueError:
            continue
        for rng in ip.findall("dhcp/range"):
            try:
                start = ipaddress.ip_address(rng.get("start") or "")
                end = ipaddress.ip_address(rng.get("end") or "")
            except ValueError:
                continue
            if start.version != iface.version or end.version != iface.version:
                continue
            if start not in iface.network or end not in iface.network:
                raise VirtError(INTERNAL_ERROR, "range %s - %s is not entirely within "
                                "network %s/%d" % (start, end, iface.ip,
                                                   iface.network.prefixlen))
            if end < start:
                raise VirtError(INTERNAL_ERROR, "range %s - %s %s" % (
                    start, end, "is reversed " if start.version == 4
                    else "start larger than end"))


def _keep_attrs(elem, path):
    known = ATTRS.get(path)
    if known is not None and elem.attrib:
        items = [(k, elem.get(k)) for k in known if k in elem.attrib]
        elem.attrib.clear()
        for k, v in items:
            elem.set(k, v)
    for c in elem:
        if isinstance(c.tag, str):      # comments and PIs carry no attributes
            _keep_attrs(c, path + "/" + c.tag)


def _apply_defaults(root):
    forward = root.find("forward")
    mode = None
    if forward is not None:
        mode = forward.get("mode") or "nat"
        if mode not in FORWARD_MODES:
            raise VirtError(CONFIG_UNSUPPORTED, "unknown forwarding type '%s'" % mode)
        dev, managed = forward.get("dev"), forward.get("managed")
        forward.attrib.clear()
        if dev is not None:
            forward.set("dev", dev)
        forward.set("mode", mode)
        if managed is not None and mode == "hostdev":
            forward.set("managed", managed)
        for address in forward.findall("address"):
            _pci_address(address)
    bridge = root.find("bridge")
    if mode in _ROUTED:
        if bridge is None:
            bridge = objxml.element("bridge")
            anchor = forward if forward is not None else root.find("uuid")
            anchor.addnext(bridge)
        name, zone = bridge.get("name"), bridge.get("zone")
        stp = bridge.get("stp", "on")
        delay = bridge.get("delay", "0")
        bridge.attrib.clear()
        for k, v in (("name", name), ("zone", zone), ("stp", stp), ("delay", delay)):
            if v is not None:
                bridge.set(k, v)
    elif bridge is not None:
        for k in ("stp", "delay", "zone"):
            bridge.attrib.pop(k, None)


def _pci_address(elem):
    """Write a PCI <address> the way libvirt prints one (0x0000:0x04 ...)."""
    widths = (("domain", 4), ("bus", 2), ("slot", 2), ("function", 1))
    try:
        values = [(name, int(elem.get(name, "0"), 0), width) for name, width in widths]
    except ValueError:
        raise VirtError(XML_ERROR, "Cannot parse <address> 'domain' attribute") from None
    elem.attrib.clear()
    elem.set("type", "pci")
    for name, value, width in values:
        elem.set(name, "0x%0*x" % (width, value))


def format(defn, flags=0):  # noqa: A001
    """The network XML as libvirt prints it."""
    return objxml.write(defn.tree, expand=("ip", "portgroup"))
