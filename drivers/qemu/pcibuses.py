"""The PCI(e) topology of a guest and libvirt's planner for its addresses.

Every PCI controller offers a bus with slots, and every bus accepts only
some kinds of devices (a pcie-root-port one PCIe device or switch in
slot 0, a switch's upstream port only downstream ports, pcie-root root
ports and bridges but no hot-pluggable endpoints ...).  Every device
that plugs in has a kind (conventional PCI, PCIe, or the controller it
is: pcidevices.py).  libvirt places devices in two passes: a dry run in which a device
that finds no free slot adds the controller it misses (a pcie-root-port,
a pci-bridge, a pcie-root-port with a pcie-to-pci-bridge for conventional
PCI on a PCIe-only guest), then the real placement over the completed
set of buses: PCI controllers first, in document order, then endpoints
in libvirt's order.  defaults.py calls ``assign`` for PC and Q35 guests.
"""
from lxml import etree

from virtsh.drivers.errors import VirtError, CONFIG_UNSUPPORTED, INTERNAL_ERROR
from virtsh.drivers.qemu.pcidevices import (
    AUTO, AGGREGATE, INTEGRATED, KINDS, PCI_DEVICE, PCIE_DEVICE, ROOT_PORT, UPSTREAM_PORT,
    DOWNSTREAM_PORT, DMI_BRIDGE, PCIE_PCI_BRIDGE, PCI_EXPANDER, PCIE_EXPANDER, PCI_BRIDGE,
    CONTROLLER_KINDS, pci_controllers, index_of, wants_address, address_of, set_address,
    connect_flags, endpoints)


# The bus a controller model offers: (what it accepts, first slot, last slot).
BUSES = {
    "pci-root": (AUTO | PCI_DEVICE | PCI_BRIDGE | PCI_EXPANDER, 1, 31),
    "pci-bridge": (AUTO | PCI_DEVICE | PCI_BRIDGE, 1, 31),
    "pci-expander-bus": (AUTO | PCI_DEVICE | PCI_BRIDGE, 0, 31),
    "pcie-root": (PCIE_DEVICE | ROOT_PORT | DMI_BRIDGE | PCIE_EXPANDER, 1, 31),
    "dmi-to-pci-bridge": (PCI_DEVICE | PCI_BRIDGE, 0, 31),
    "pcie-to-pci-bridge": (AUTO | PCI_DEVICE | PCI_BRIDGE, 1, 31),
    "pcie-root-port": (AUTO | PCIE_DEVICE | UPSTREAM_PORT | PCIE_PCI_BRIDGE, 0, 0),
    "pcie-switch-downstream-port": (AUTO | PCIE_DEVICE | UPSTREAM_PORT | PCIE_PCI_BRIDGE, 0, 0),
    "pcie-switch-upstream-port": (DOWNSTREAM_PORT, 0, 31),
    "pcie-expander-bus": (ROOT_PORT | DMI_BRIDGE, 0, 31),
}


# The QEMU device behind each PCI controller model (libvirt's <model name>).
MODEL_NAMES = {"pci-bridge": "pci-bridge", "dmi-to-pci-bridge": "i82801b11-bridge",
               "pcie-to-pci-bridge": "pcie-pci-bridge", "pcie-root-port": "pcie-root-port",
               "pci-expander-bus": "pxb", "pcie-expander-bus": "pxb-pcie",
               "pcie-switch-upstream-port": "x3130-upstream",
               "pcie-switch-downstream-port": "xio3130-downstream"}

ROOTS = ("pci-root", "pcie-root")
EXPANDERS = ("pci-expander-bus", "pcie-expander-bus")
TARGET_ORDER = ("chassisNr", "chassis", "port", "busNr", "index", "hotplug", "memReserve")


class Bus:
    """One bus: what it accepts and which functions of its slots are taken."""

    def __init__(self, model, accepts=None):
        self.model = model
        rule_accepts, self.first, self.last = BUSES[model]
        self.accepts = rule_accepts if accepts is None else accepts
        self.functions = {}             # slot -> bitmask of taken functions
        self.aggregate = set()          # slots shared by AGGREGATE devices

    def takes(self, flags):
        accepts = self.accepts
        if flags & INTEGRATED:
            accepts |= AUTO
        if flags & AUTO and not accepts & AUTO:
            return False
        return bool(flags & accepts & KINDS)

    def full(self):
        return all(self.functions.get(s) for s in range(self.first, self.last + 1))

    def free_function(self, slot, flags, function):
        """The function of *slot* a device may take (None: none)."""
        used = self.functions.get(slot, 0)
        if not used:
            return function or 0
        if flags & AGGREGATE and slot in self.aggregate:
            wanted = [function] if function is not None else range(8)
            return next((f for f in wanted if not used & (1 << f)), None)
        return None


class AddressSet:
    """The buses of a guest by index; in a dry run (*grow*), the buses a
    device misses are added instead of failing."""

    def __init__(self, models, grow):
        self.buses = [Bus(m) for m in models]
        self.grow = grow

    def reserve(self, bus, slot, function, flags):
        if bus >= len(self.buses):
            if not self.grow:
                return
            self._add_buses(bus - len(self.buses) + 1, flags)
        b = self.buses[bus]
        if not b.functions.get(slot) and flags & AGGREGATE:
            b.aggregate.add(slot)
        b.functions[slot] = b.functions.get(slot, 0) | (1 << function)

    def in_use(self, bus, slot):
        return bus < len(self.buses) and bool(self.buses[bus].functions.get(slot))

    def next_free(self, flags, function=None):
        """(bus, slot, function) of the first free place for a device."""
        for index, bus in enumerate(self.buses):
            if not bus.takes(flags) or (flags & INTEGRATED and index):
                continue
            for slot in range(bus.first, bus.last + 1):
                found = bus.free_function(slot, flags, function)
                if found is not None:
                    return index, slot, found
        if not self.grow:
            raise VirtError(INTERNAL_ERROR, "No more available PCI slots")
        index = self._add_buses(1, flags)
        return index, self.buses[index].first, function or 0

    def reserve_next(self, flags, function=None):
        spot = self.next_free(flags, function)
        self.reserve(*spot, flags)
        return spot

    def _add_buses(self, count, flags):
        """Add the buses a device of *flags* needs; the index of the one
        it goes on.  Conventional PCI on a guest with no bus for bridges
        yet gets a pcie-to-pci-bridge (QEMU 7.2 has one; libvirt falls back
        to a dmi-to-pci-bridge only for older QEMUs) on a root port of its
        own, which the hotplug spare may not take."""
        if flags & PCI_DEVICE:
            model = "pci-bridge"
            if not any(b.accepts & PCI_BRIDGE for b in self.buses) and count == 1:
                self.buses.append(Bus("pcie-root-port", accepts=PCIE_PCI_BRIDGE))
                self.buses.append(Bus("pcie-to-pci-bridge"))
                return len(self.buses) - 1
        elif flags & (PCIE_DEVICE | UPSTREAM_PORT):
            model = "pcie-root-port"
        else:       # only a controller needs a slot no added bus offers
            name = next(m for m, k in CONTROLLER_KINDS.items() if flags & k & KINDS)
            raise VirtError(INTERNAL_ERROR, "a PCI slot is needed to connect a PCI "
                            "controller model='%s', but none is available, and it "
                            "cannot be automatically added" % name)
        self.buses.extend(Bus(model) for _ in range(count))
        return len(self.buses) - 1


# --- the planner ------------------------------------------------------------------

def assign(devices, q35, add_controller):
    """Give every PCI device of *devices* (a <devices> element) an
    address, adding the controllers libvirt would; *add_controller*
    appends a controller to the document."""
    pcie = PCIE_DEVICE | AUTO if q35 else PCI_DEVICE | AUTO
    highest = max([index_of(c) for c in pci_controllers(devices)] + [-1])
    dry = _address_set(devices, q35, grow=True)
    _place_chipset(devices, dry, q35, pcie, write=False)
    if not q35 and not all(b.full() for b in dry.buses):
        dry.reserve_next(PCI_DEVICE | AUTO)           # room left for a future bridge
    _place_devices(devices, dry, pcie, write=False)
    if q35 and highest <= 0 and len(dry.buses) > highest + 1:
        dry.reserve_next(PCIE_DEVICE | AUTO)          # a root port left free for hotplug
    present = {index_of(c) for c in pci_controllers(devices)}
    index = 1
    while index < len(dry.buses):
        if index not in present:
            new = add_controller(devices, "pci", str(index), dry.buses[index].model)
            if dry.buses[index].model not in ROOTS:
                dry.reserve_next(connect_flags(new, pcie))
        index += 1
    final = _address_set(devices, q35, grow=False)
    _place_chipset(devices, final, q35, pcie, write=True)
    _place_devices(devices, final, pcie, write=True)
    _mark_multifunction(devices)
    describe(devices)


def _address_set(devices, q35, grow):
    """The buses of the guest's controllers (a missing index is a root
    port on Q35, a pci-bridge on a PC), with the addresses in use."""
    by_index = {index_of(c): c.get("model") for c in pci_controllers(devices)
                if c.get("model") in BUSES}
    filler = "pcie-root-port" if q35 else "pci-bridge"
    count = max(list(by_index) + [0]) + 1
    root = "pcie-root" if q35 else "pci-root"
    models = [by_index.get(i, root if i == 0 else filler) for i in range(count)]
    aset = AddressSet(models, grow)
    pcie = PCIE_DEVICE | AUTO if q35 else PCI_DEVICE | AUTO
    for dev in devices:
        spot = address_of(dev) if isinstance(dev.tag, str) else None
        if spot is not None:
            aset.reserve(*spot, connect_flags(dev, pcie) or PCI_DEVICE)
    return aset


def _place_chipset(devices, aset, q35, pcie, write):
    """The devices a machine's chipset fixes: Q35's SATA, USB2, DMI bridge
    and audio slots, a PC's PIIX3 functions; the primary video card on
    the first slot after them."""
    if q35:
        _place_q35_chipset(devices, aset)
    else:
        _place_piix3(devices, aset)
    videos = devices.findall("video")
    if not videos or not wants_address(videos[0]) or not connect_flags(videos[0], pcie):
        return
    slot = 1 if q35 else 2
    if not aset.in_use(0, slot):
        aset.reserve(0, slot, 0, PCI_DEVICE)
        set_address(videos[0], 0, slot)
    else:
        spot = aset.reserve_next(connect_flags(videos[0], pcie))
        if write:
            set_address(videos[0], *spot)


def _place_q35_chipset(devices, aset):
    for c in devices.findall("controller"):
        kind, model = c.get("type"), c.get("model")
        if kind == "sata" and c.get("index", "0") == "0" and wants_address(c):
            aset.reserve(0, 0x1f, 2, PCIE_DEVICE)
            set_address(c, 0, 0x1f, 2)
        elif kind == "usb" and model == "ich9-uhci1" and c.find("address") is None:
            slot = next((s for s in (0x1d, 0x1a) if not aset.in_use(0, s)), None)
            if slot is not None:
                aset.reserve(0, slot, 0, PCIE_DEVICE)
                set_address(c, 0, slot, 0, multifunction=True)
        elif kind == "pci" and model == "dmi-to-pci-bridge" and c.find("address") is None \
                and not aset.in_use(0, 0x1e):
            aset.reserve(0, 0x1e, 0, PCIE_DEVICE)
            set_address(c, 0, 0x1e)
    aset.reserve(0, 0x1f, 0, PCIE_DEVICE)      # the ISA bridge and the SMBus
    aset.reserve(0, 0x1f, 3, PCIE_DEVICE)
    if not aset.in_use(0, 0x1b):
        sound = next((s for s in devices.findall("sound")
                      if s.get("model") == "ich9" and wants_address(s)), None)
        if sound is not None:
            aset.reserve(0, 0x1b, 0, PCIE_DEVICE)
            set_address(sound, 0, 0x1b)


def _place_piix3(devices, aset):
    for c in devices.findall("controller"):
        if c.get("index", "0") != "0":
            continue
        if c.get("type") == "ide":
            function = 1
        elif c.get("type") == "usb" and c.get("model") in ("piix3-uhci", None):
            function = 2
        else:
            continue
        if wants_address(c):
            set_address(c, 0, 1, function)
        aset.reserve(0, 1, function, PCI_DEVICE)
    aset.reserve(0, 1, 0, PCI_DEVICE)          # the ISA bridge and the ACPI function
    aset.reserve(0, 1, 3, PCI_DEVICE)


# The function of each member of a USB2 set (EHCI with its UHCI companions).
USB2_FUNCTIONS = {"ich9-ehci1": 7, "ich9-uhci1": 0, "ich9-uhci2": 1, "ich9-uhci3": 2}


def _place_devices(devices, aset, pcie, write):
    """PCI controllers in document order, then the endpoints."""
    wanted = [(c, CONTROLLER_KINDS[c.get("model")]) for c in pci_controllers(devices)
              if c.get("model") in CONTROLLER_KINDS and wants_address(c)]
    for dev, flags in wanted + endpoints(devices, pcie):
        function = USB2_FUNCTIONS.get(dev.get("model")) if dev.get("type") == "usb" else None
        if function is None:
            spot = aset.reserve_next(flags)
        else:
            spot = _usb2_spot(devices, dev, aset, flags, function)
        if write:
            set_address(dev, *spot, multifunction=function == 0)


def _usb2_spot(devices, controller, aset, flags, function):
    """A USB2 controller shares the slot of its set's placed member."""
    for other in devices.findall("controller[@type='usb']"):
        spot = address_of(other)
        if other.get("model") in USB2_FUNCTIONS and spot is not None \
                and other.get("index", "0") == controller.get("index", "0"):
            aset.reserve(spot[0], spot[1], function, flags)
            return spot[0], spot[1], function
    return aset.reserve_next(flags, function)


def _mark_multifunction(devices):
    """Function 0 of a slot with other functions in use is multifunction."""
    spots = {}
    for dev in devices:
        spot = address_of(dev) if isinstance(dev.tag, str) else None
        if spot is not None:
            spots.setdefault(spot[:2], []).append((spot[2], dev.find("address")))
    for functions in spots.values():
        if any(function for function, _ in functions):
            for function, addr in functions:
                if function == 0 and addr.get("multifunction") is None:
                    addr.set("multifunction", "on")


def describe(devices):
    """Give each PCI controller its <model name> and the <target> numbers
    libvirt fills in (chassis and port numbers, an expander's bus number);
    a pci-bridge must sit on a bus below its own index."""
    for c in pci_controllers(devices):
        model = c.get("model")
        name = MODEL_NAMES.get(model)
        if name is None:
            continue
        if c.find("model") is None:
            c.insert(0, etree.Element("model", name=name))
        spot = address_of(c) or (0, 0, 0)
        index = c.get("index", "0")
        if model == "pci-bridge":
            _target_defaults(c, chassisNr=index)
            if int(index) <= spot[0]:
                raise VirtError(CONFIG_UNSUPPORTED, "PCI controller at index %s (0x%02x) has "
                                "bus='0x%02x', but index must be larger than bus"
                                % (index, int(index), spot[0]))
        elif model == "pcie-root-port":
            _target_defaults(c, chassis=index, port="0x%x" % (spot[1] * 8 + spot[2]))
        elif model == "pcie-switch-downstream-port":
            _target_defaults(c, chassis=index, port="0x%x" % spot[1])
        elif model in EXPANDERS:
            target = c.find("target")
            if target is None or target.get("busNr") is None:
                _target_defaults(c, busNr=str(_new_bus_number(devices, spot[0])))


def _new_bus_number(devices, bus):
    """Two below the lowest bus number in use (one for the expander, one
    for its built-in bridge)."""
    numbers = [int(t.get("busNr")) for t in devices.findall("controller[@type='pci']/target")
               if t.get("busNr") is not None]
    lowest = min(numbers + [256])
    if lowest <= 2:
        raise VirtError(CONFIG_UNSUPPORTED, "No free busNr lower than current lowest busNr "
                        "is available to auto-assign to bus %d. Must be manually assigned"
                        % bus)
    return lowest - 2


def _target_defaults(controller, **defaults):
    """Fill the <target> attributes not given, in libvirt's order."""
    target = controller.find("target")
    if target is None:
        target = etree.Element("target")
        controller.find("model").addnext(target)
    values = dict(defaults)
    values.update(target.attrib)
    target.attrib.clear()
    for name in [n for n in TARGET_ORDER if n in values] + \
            [n for n in values if n not in TARGET_ORDER]:
        target.set(name, values[name])
