"""How a guest's devices connect to PCI: which of them want an address,
the kind of slot each needs (conventional PCI, PCI Express, or the
controller it is), in the order libvirt gives them addresses, and
reading and writing their <address> elements.  pcibuses.py plans with
these."""
from lxml import etree


# What plugs into a slot: one bit per connection kind ...
PCI_DEVICE, PCIE_DEVICE, ROOT_PORT, UPSTREAM_PORT, DOWNSTREAM_PORT, DMI_BRIDGE, \
    PCIE_PCI_BRIDGE, PCI_EXPANDER, PCIE_EXPANDER, PCI_BRIDGE = (1 << n for n in range(10))
# ... and how: AUTO is "the planner may choose the slot" on a device and
# "the planner may fill this bus with such devices" on a bus; AGGREGATE
# devices (root ports) share a slot as its functions; INTEGRATED ones
# belong on the root bus.
AUTO, AGGREGATE, INTEGRATED = 1 << 10, 1 << 11, 1 << 12
KINDS = (1 << 10) - 1

# The kind of connection each controller model needs upstream.
CONTROLLER_KINDS = {
    "pci-bridge": PCI_BRIDGE, "pci-expander-bus": PCI_EXPANDER,
    "pcie-expander-bus": PCIE_EXPANDER, "dmi-to-pci-bridge": DMI_BRIDGE,
    "pcie-to-pci-bridge": PCIE_PCI_BRIDGE, "pcie-root-port": ROOT_PORT | AGGREGATE,
    "pcie-switch-upstream-port": UPSTREAM_PORT,
    "pcie-switch-downstream-port": DOWNSTREAM_PORT,
}


VIRTIO_MODELS = ("virtio", "virtio-transitional", "virtio-non-transitional")


def index_of(elem):
    return int(elem.get("index", "0"))


def unplaced(addr):
    """Whether a device whose <address> is *addr* (None: it has none) is
    left to the planner: no address, or a PCI one with nothing filled in."""
    return addr is None or (addr.get("type") == "pci" and addr.get("slot") is None)


def pci_spot(addr):
    """(bus, slot, function) of an <address> element, None unless it is
    a PCI address with a slot."""
    if addr.get("type") != "pci" or addr.get("slot") is None:
        return None
    return (int(addr.get("bus", "0"), 16), int(addr.get("slot"), 16),
            int(addr.get("function", "0"), 16))


def set_address(dev, bus, slot, function=0, multifunction=False):
    old = dev.find("address")
    if old is not None:
        dev.remove(old)
    elem = etree.SubElement(dev, "address", type="pci", domain="0x0000",
                            bus="0x%02x" % bus, slot="0x%02x" % slot,
                            function="0x%x" % function)
    if multifunction:
        elem.set("multifunction", "on")


def model_of(dev):
    """A device's model, where each kind of device keeps it."""
    if dev.tag in ("interface", "video"):
        model = dev.find("model")
        return model.get("type") if model is not None else None
    return dev.get("model")


def _virtio(dev, virtio):
    """Transitional virtio devices are conventional PCI; others *virtio*."""
    return PCI_DEVICE | AUTO if model_of(dev) == "virtio-transitional" else virtio


def connect_flags(dev, pcie):
    """How *dev* plugs into PCI (0: it does not); *pcie* is the kind
    a PCI Express device gets on this machine (plain PCI on a PC)."""
    pci = PCI_DEVICE | AUTO
    tag, model = dev.tag, model_of(dev)
    if tag == "controller":
        kind = dev.get("type")
        if kind == "pci":
            return CONTROLLER_KINDS.get(model, 0)
        if kind in ("sata", "ide"):
            return pci
        if kind == "usb":
            return pcie if model in ("qemu-xhci", "nec-xhci") else \
                0 if model in ("none", "qusb1", "qusb2") else pci
        if kind == "scsi":
            return 0 if model in (None, "ncr53c90", "ibmvscsi") else \
                pcie if model in ("virtio-scsi", "virtio-non-transitional") else pci
        return _virtio(dev, pcie) if kind == "virtio-serial" else 0
    if tag == "filesystem":
        driver = dev.find("driver")
        fsdriver = driver.get("type") if driver is not None else None
        return _virtio(dev, pcie) if fsdriver in (None, "path", "handle", "virtiofs") else 0
    if tag == "interface":
        if dev.get("type") == "hostdev":
            return pcie if _hostdev_interface(dev) else 0
        if model == "usb-net":
            return 0
        if model in ("virtio", "virtio-non-transitional", "e1000e", "igb", None):
            return pcie
        return pci
    if tag == "sound":
        return pci if model in ("es1370", "ac97", "ich6", "ich9") else 0
    if tag == "disk":
        target = dev.find("target")
        return _virtio(dev, pcie) if target is not None and target.get("bus") == "virtio" else 0
    if tag == "hostdev":
        return _hostdev_flags(dev, pcie)
    if tag in ("memballoon", "rng", "vsock"):
        return _virtio(dev, pcie) if (model or "virtio") in VIRTIO_MODELS else 0
    if tag == "watchdog":
        return pci if model == "i6300esb" else 0
    if tag == "video":
        return pcie if model in ("virtio", "bochs") else \
            0 if model in (None, "none", "ramfb", "gop") else pci
    if tag == "shmem":
        return pci
    if tag == "input":
        return _virtio(dev, pcie) if dev.get("bus") == "virtio" else 0
    if tag == "serial":
        target = dev.find("target")
        return pci if target is not None and target.get("type") == "pci-serial" else 0
    if tag == "iommu":
        return pcie | INTEGRATED if model == "virtio" else 0
    if tag == "memory":
        return pcie if model in ("virtio-pmem", "virtio-mem") else 0
    if tag == "crypto":
        return pci if model == "virtio" else 0
    if tag == "panic":
        return pci | INTEGRATED if model == "pvpanic" else 0
    return 0


def _hostdev_flags(dev, pcie):
    """Host PCI devices and mediated devices count as PCIe (libvirt cannot
    see most of them while defining), vhost-scsi ones as virtio."""
    if dev.get("mode", "subsystem") != "subsystem":
        return 0
    kind = dev.get("type")
    if kind == "scsi_host":
        return _virtio(dev, pcie)
    if kind == "pci" or (kind == "mdev" and dev.get("model") == "vfio-pci"):
        return pcie
    return 0


def _hostdev_interface(nic):
    return nic.get("type") == "hostdev" and nic.find("source/address[@type='usb']") is None


def _not_pci_controller(c):
    return c.get("type") != "pci" and not (c.get("type") == "ide" and c.get("index", "0") == "0")


# The devices that may want a PCI address, in the order libvirt gives them
# one: {tag: ((rank, which of them; None: all), ...)}.
ENDPOINT_ORDER = {
    "filesystem": ((0, None),), "interface": ((1, lambda n: n.get("type") != "hostdev"),
                                              (5, _hostdev_interface)),
    "sound": ((2, None),), "controller": ((3, _not_pci_controller),), "disk": ((4, None),),
    "hostdev": ((6, None),), "memballoon": ((7, None),), "rng": ((8, None),),
    "watchdog": ((9, None),), "video": ((10, None),), "shmem": ((11, None),),
    "input": ((12, None),), "serial": ((13, None),), "iommu": ((14, None),),
    "vsock": ((15, None),), "memory": ((16, None),), "crypto": ((17, None),),
    "panic": ((18, None),)}


def endpoints(present, pcie, wants):
    """[(device, flags)] of the devices other than PCI controllers (and
    the PIIX3 IDE controller) that want a PCI address (*wants*), in
    libvirt's order (the primary video card and the chipset's own
    devices are placed before these); *present* is the guest's devices
    by tag."""
    groups = sorted((rank, which, devs) for tag, devs in present.items()
                    for rank, which in ENDPOINT_ORDER.get(tag, ()))
    found = []
    for _, which, devs in groups:
        for dev in devs:
            if which is None or which(dev):
                flags = connect_flags(dev, pcie)
                if flags and wants(dev):
                    found.append((dev, flags))
    return found
