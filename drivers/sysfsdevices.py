"""Node devices and host interfaces, read from sysfs on every call.

``SysfsDevicesMixin`` gives a Connection the host's PCI devices, network
devices and block disks as libvirt's node devices (``computer`` at the
root), and the network devices as interfaces (read-only: virtsh does not
configure the host's own networking).
"""
import os

from virtsh.drivers import ethtool
from virtsh.drivers import hostobjects as H
from virtsh.drivers.errors import VirtError, NO_INTERFACE, NO_NODE_DEVICE, check_flags
from virtsh.drivers.listing import wanted

SYS = "/sys"
_PCI_ADDRESS = r"^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$"
UINT_MAX = 4294967295


def _pci_match(text):
    """*text* split as a PCI address dddd:bb:ss.f (a match), or None.
    ``re`` is imported here: every QEMU connection loads this module, few
    commands read sysfs."""
    import re
    return re.match(_PCI_ADDRESS, text)


def _read(path, default=None):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def _pci_name(address):
    return "pci_" + address.replace(":", "_").replace(".", "_")


def _parent_of(path):
    """The node device name of the nearest PCI device above *path*."""
    for part in reversed(path.split("/")[:-1]):
        if _pci_match(part):
            return _pci_name(part)
    return "computer"


def _el(tag, attrs=None, text=None, children=()):
    from virtsh.xmlconf import objxml
    return objxml.element(tag, attrs, text, children)


def _link(ifdir):
    state = _read(os.path.join(ifdir, "operstate"), "unknown")
    speed = _read(os.path.join(ifdir, "speed"))
    attrs = {}
    if speed is not None and state == "up":
        attrs["speed"] = int(speed) % (UINT_MAX + 1)
    attrs["state"] = state
    return _el("link", attrs)


class SysfsDevice:
    """One node device: name, parent, capability names, XML builder."""

    def __init__(self, name, parent, caps, build):
        self.name, self.parent, self.caps, self._build = name, parent, caps, build

    def xml(self):
        from virtsh.xmlconf import objxml
        return objxml.write(self._build(), expand=("firmware",))


def _computer():
    def build():
        uuid = _read(os.path.join(SYS, "class/dmi/id/product_uuid"))
        hardware = [_el("uuid", text=uuid or "00000000-0000-0000-0000-000000000000")]
        return _el("device", children=[_el("name", text="computer"), _el(
            "capability", {"type": "system"}, children=[_el("hardware", children=hardware),
                                                        _el("firmware")])])
    return SysfsDevice("computer", None, ["system"], build)


def _pci_devices():
    base = os.path.join(SYS, "bus/pci/devices")
    found = []
    for address in sorted(os.listdir(base)) if os.path.isdir(base) else ():
        match = _pci_match(address)
        if not match:
            continue
        path = os.path.realpath(os.path.join(base, address))
        found.append(_pci_device(address, match.groups(), path))
    return found


def _pci_device(address, parts, path):
    name = _pci_name(address)

    def build():
        driver = os.path.join(path, "driver")
        children = [_el("name", text=name), _el("path", text=path),
                    _el("parent", text=_parent_of(path))]
        if os.path.exists(driver):
            children.append(_el("driver", children=[
                _el("name", text=os.path.basename(os.readlink(driver)))]))
        cap = _el("capability", {"type": "pci"}, children=[
            _el("class", text="0x%06x" % int(_read(os.path.join(path, "class"), "0"), 16)),
            _el("domain", text=int(parts[0], 16)), _el("bus", text=int(parts[1], 16)),
            _el("slot", text=int(parts[2], 16)), _el("function", text=int(parts[3], 16)),
            _el("product", {"id": _read(os.path.join(path, "device"))}),
            _el("vendor", {"id": _read(os.path.join(path, "vendor"))}),
            _iommu_group(path),
            _el("pci-express") if _is_pci_express(path) else None])
        children.append(cap)
        return _el("device", children=children)
    return SysfsDevice(name, _parent_of(path), ["pci"], build)


def _iommu_group(path):
    """<iommuGroup> listing the devices that share *path*'s group, or None."""
    group = os.path.join(path, "iommu_group")
    if not os.path.exists(group):
        return None
    members = sorted(os.listdir(os.path.join(group, "devices")))
    addresses = []
    for member in members:
        match = _pci_match(member)
        if match:
            d, b, sl, f = match.groups()
            addresses.append(_el("address", {"domain": "0x" + d, "bus": "0x" + b,
                                             "slot": "0x" + sl, "function": "0x" + f}))
    return _el("iommuGroup", {"number": os.path.basename(os.readlink(group))},
               children=addresses)


def _is_pci_express(path):
    """Whether the device is PCI Express: an extended (4 KiB) config space,
    or the PCI Express capability in its capability list."""
    try:
        if os.path.getsize(os.path.join(path, "config")) > 256:
            return True
        with open(os.path.join(path, "config"), "rb") as f:
            config = f.read(256)
    except OSError:
        return False
    if len(config) < 64 or not config[6] & 0x10:        # no capability list
        return False
    pointer, seen = config[0x34] & 0xfc, set()
    while pointer and pointer + 1 < len(config) and pointer not in seen:
        seen.add(pointer)
        if config[pointer] == 0x10:
            return True
        pointer = config[pointer + 1] & 0xfc
    return False


def _net_devices():
    base = os.path.join(SYS, "class/net")
    found = []
    for ifname in sorted(os.listdir(base)) if os.path.isdir(base) else ():
        path = os.path.realpath(os.path.join(base, ifname))
        mac = _read(os.path.join(path, "address"), "")
        name = "net_%s_%s" % (ifname, mac.replace(":", "_"))
        found.append(_net_device(name, ifname, mac, path))
    return found


def _net_device(name, ifname, mac, path):
    def build():
        return _el("device", children=[
            _el("name", text=name), _el("path", text=path),
            _el("parent", text=_parent_of(path)),
            _el("capability", {"type": "net"}, children=[
                _el("interface", text=ifname), _el("address", text=mac), _link(path)]
                + [_el("feature", {"name": f}) for f in ethtool.features(ifname)]
                + [_el("capability", {"type": "80203"})])])
    return SysfsDevice(name, _parent_of(path), ["net", "80203"], build)


def _block_devices():
    base = os.path.join(SYS, "class/block")
    found = []
    for disk in sorted(os.listdir(base)) if os.path.isdir(base) else ():
        path = os.path.realpath(os.path.join(base, disk))
        if "/virtual/" in path or os.path.exists(os.path.join(path, "partition")):
            continue
        found.append(_block_device(disk, path))
    return found


def _block_device(disk, path):
    name = "block_" + disk

    def build():
        sectors = int(_read(os.path.join(path, "size"), "0"))
        block = int(_read(os.path.join(path, "queue/logical_block_size"), "512"))
        node = "/dev/" + disk
        return _el("device", children=[
            _el("name", text=name), _el("path", text=path),
            _el("devnode", {"type": "dev"}, node), _el("parent", text=_parent_of(path)),
            _el("capability", {"type": "storage"}, children=[
                _el("block", text=node), _el("drive_type", text="disk"),
                _el("vendor", text=_read(os.path.join(path, "device", "vendor"))),
                _el("size", text=sectors * 512),
                _el("logical_block_size", text=block),
                _el("num_blocks", text=sectors * 512 // block)])])
    return SysfsDevice(name, _parent_of(path), ["storage"], build)


def scan():
    """Every node device of the host, sorted by name."""
    devices = [_computer()] + _pci_devices() + _net_devices() + _block_devices()
    return sorted(devices, key=lambda d: d.name)


class SysfsNodeDevice(H.NodeDevice):
    def __init__(self, conn, dev):
        super().__init__(conn)
        self._dev = dev

    def name(self):
        return self._dev.name

    def parent(self):
        return self._dev.parent

    def xml_desc(self, flags=0):
        check_flags(flags, 0, "nodeDeviceGetXMLDesc")
        return self._dev.xml()

    def list_caps(self):
        return list(self._dev.caps[:1])

    def is_active(self):
        return True

    # libvirt reports the root device (and only it) as persistent and autostarted
    def is_persistent(self):
        return self._dev.parent is None

    def autostart(self):
        return self._dev.parent is None


class SysfsInterface(H.Interface):
    def __init__(self, conn, ifname):
        super().__init__(conn)
        self._name = ifname

    def _dir(self):
        path = os.path.join(SYS, "class/net", self._name)
        if not os.path.isdir(path):
            raise VirtError(NO_INTERFACE, "couldn't find interface named '%s'" % self._name)
        return path

    def name(self):
        return self._name

    def mac(self):
        return _read(os.path.join(self._dir(), "address"), "")

    def is_active(self):
        return _read(os.path.join(self._dir(), "operstate")) == "up"

    def xml_desc(self, flags=0):
        check_flags(flags, H.IFACE_XML_INACTIVE, "interfaceGetXMLDesc")
        from virtsh.xmlconf import objxml
        return objxml.write(self._element(self._name))

    def _element(self, ifname):
        path = os.path.join(SYS, "class/net", ifname)
        members = sorted(os.listdir(os.path.join(path, "brif"))) \
            if os.path.isdir(os.path.join(path, "brif")) else None
        children = [_el("mtu", {"size": _read(os.path.join(path, "mtu"), "0")}), _link(path),
                    _el("mac", {"address": _read(os.path.join(path, "address"), "")})]
        if members is not None:
            children.append(_el("bridge", children=[self._element(m) for m in members]))
        return _el("interface", {"type": "bridge" if members is not None else "ethernet",
                                 "name": ifname}, children=children)


class SysfsDevicesMixin:
    """The node device and interface part of a Connection on this host."""

    def list_all_node_devices(self, flags=0):
        check_flags(flags, H.NODEDEV_LIST_ACTIVE | H.NODEDEV_LIST_INACTIVE
                    | ((1 << len(H.NODEDEV_CAPS)) - 1), "connectListAllNodeDevices")
        cap_flags = flags & ((1 << len(H.NODEDEV_CAPS)) - 1)
        result = []
        for dev in scan():
            if cap_flags and not any(H.nodedev_cap_flag(c) & cap_flags for c in dev.caps):
                continue
            if not wanted(flags, H.NODEDEV_LIST_ACTIVE, H.NODEDEV_LIST_INACTIVE, True):
                continue
            result.append(SysfsNodeDevice(self, dev))
        return result

    def lookup_node_device_by_name(self, name):
        for dev in scan():
            if dev.name == name:
                return SysfsNodeDevice(self, dev)
        raise VirtError(NO_NODE_DEVICE, "no node device with matching name '%s'" % name)

    def list_all_interfaces(self, flags=0):
        check_flags(flags, H.IFACE_LIST_ACTIVE | H.IFACE_LIST_INACTIVE,
                    "connectListAllInterfaces")
        base = os.path.join(SYS, "class/net")
        result = []
        for ifname in sorted(os.listdir(base)) if os.path.isdir(base) else ():
            iface = SysfsInterface(self, ifname)
            if wanted(flags, H.IFACE_LIST_ACTIVE, H.IFACE_LIST_INACTIVE, iface.is_active()):
                result.append(iface)
        return result

    def lookup_interface_by_name(self, name):
        iface = SysfsInterface(self, name)
        if "/" in name or name.startswith("."):
            raise VirtError(NO_INTERFACE, "couldn't find interface named '%s'" % name)
        iface._dir()
        return iface

    def lookup_interface_by_mac(self, mac):
        found = [i for i in self.list_all_interfaces() if i.mac().lower() == mac.lower()]
        if len(found) != 1:
            raise VirtError(NO_INTERFACE, "couldn't find interface with MAC address '%s'"
                            % mac)
        return found[0]
