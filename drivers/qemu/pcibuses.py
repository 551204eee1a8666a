"""The PCI(e) topology of a guest and libvirt's planner for its addresses.

Every PCI controller offers a bus with slots, and every bus accepts only
some kinds of devices (a pcie-root-port one PCIe device or switch in
slot 0, a switch's upstream port only downstream ports, pcie-root root
ports and bridges but no hot-pluggable endpoints ...).  Every device
that plugs in has a kind (conventional PCI, PCIe, or the controller it
is: pcidevices.py).  libvirt places devices in two passes: a dry run
in which a device that finds no free slot adds the controller it misses
(a pcie-root-port, a pci-bridge, a pcie-root-port with a
pcie-to-pci-bridge for conventional PCI on a PCIe-only guest), then the
real placement over the completed set of buses: PCI controllers first,
in document order, then endpoints in libvirt's order.  When the dry run
would add no bus (a trial on a copy shows it), the planner goes straight
to the real placement.  defaults.py calls ``assign`` for PC and Q35
guests.
"""
from lxml import etree

from virtsh.drivers.errors import VirtError, CONFIG_UNSUPPORTED, INTERNAL_ERROR
from virtsh.xmlconf.tree import by_tag
from virtsh.drivers.qemu.pcidevices import (
    AUTO, AGGREGATE, INTEGRATED, KINDS, PCI_DEVICE, PCIE_DEVICE, ROOT_PORT, UPSTREAM_PORT,
    DOWNSTREAM_PORT, DMI_BRIDGE, PCIE_PCI_BRIDGE, PCI_EXPANDER, PCIE_EXPANDER, PCI_BRIDGE,
    CONTROLLER_KINDS, index_of, pci_spot, set_address, unplaced,
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

    def copy(self):
        other = Bus(self.model, self.accepts)
        other.functions = dict(self.functions)
        other.aggregate = set(self.aggregate)
        return other

    def full(self):
        if len(self.functions) <= self.last - self.first:
            return False            # fewer slots taken than there are
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

    def copy(self, cls=None):
        """The same buses and taken functions, as a new (*cls*) set."""
        other = object.__new__(cls or type(self))
        other.buses = [b.copy() for b in self.buses]
        other.grow = self.grow
        return other

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

    def full(self):
        return all(b.full() for b in self.buses)

    def first_free(self, flags, function=None):
        """(bus, slot, function) of the first free place for a device on
        the buses there are (None: there is none)."""
        for index, bus in enumerate(self.buses):
            if not bus.takes(flags) or (flags & INTEGRATED and index):
                continue
            for slot in range(bus.first, bus.last + 1):
                found = bus.free_function(slot, flags, function)
                if found is not None:
                    return index, slot, found
        return None

    def next_free(self, flags, function=None):
        """(bus, slot, function) of the first free place for a device."""
        spot = self.first_free(flags, function)
        if spot is not None:
            return spot
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


class _NoRoom(Exception):
    """A probe needed a bus the guest does not have."""


class _Probe(AddressSet):
    """A copy of a dry run's address set on which a missing bus ends the
    planning instead of adding one."""

    def _add_buses(self, count, flags):
        raise _NoRoom


# --- the planner ------------------------------------------------------------------

def assign(devices, q35, add_controller, present=None):
    """Give every PCI device of *devices* (a <devices> element) an
    address, adding the controllers libvirt would; *add_controller*
    appends a controller to the document.  *present* is the devices by
    tag, when the caller has gathered them."""
    guest = _Guest(devices, q35, by_tag(devices) if present is None else present)
    dry = guest.address_set(grow=True)
    video = guest.place_chipset(dry)
    endpoints = guest.endpoints()           # without the chipset's devices, placed now
    if guest.settled(dry, video, endpoints):
        final = dry                     # what the real pass would rebuild
        final.grow = False
    else:
        guest.grow(dry, endpoints, add_controller)
        final = guest.address_set(grow=False)
        video = guest.place_chipset(final)
        if video:               # placed by the dry run as an endpoint too
            guest.write(*video)
            endpoints = [e for e in endpoints if e[0] is not video[0]]
    guest.place(final, endpoints, write=True)
    guest.mark_multifunction()
    guest.describe()


# The function of each member of a USB2 set (EHCI with its UHCI companions).
USB2_FUNCTIONS = {"ich9-ehci1": 7, "ich9-uhci1": 0, "ich9-uhci2": 1, "ich9-uhci3": 2}


class _Guest:
    """What the planner knows of a guest: its devices by kind, its PCI
    controllers (in document order, with those it adds) and every
    device's PCI address (gathered in one pass, then kept up to date).

    libvirt plans in two passes: a dry run that adds the buses devices
    miss, then the real placement over the completed buses, which sees
    the addresses the dry run gave the chipset's devices."""

    def __init__(self, devices, q35, present):
        self.devices = devices
        self.q35 = q35
        self.pcie = PCIE_DEVICE | AUTO if q35 else PCI_DEVICE | AUTO
        self.present = present
        self.addresses = {}             # device -> its (first) <address> as written
        for addr in devices.iter("address"):        # one walk, not a find per device
            dev = addr.getparent()
            if dev.getparent() is devices:
                self.addresses.setdefault(dev, addr)
        self.spots = {}                 # device -> (bus, slot, function)
        for dev, addr in self.addresses.items():
            spot = pci_spot(addr)
            if spot is not None:
                self.spots[dev] = spot
        self.chipset = []               # (bus, slot) of the addresses the chipset got
        self.controllers = [c for c in self.present.get("controller", ())
                            if c.get("type") == "pci"]
        self.models = self._models()

    def _models(self):
        """The bus models by index (a missing index is a root port on
        Q35, a pci-bridge on a PC)."""
        by_index = {index_of(c): c.get("model") for c in self.controllers
                    if c.get("model") in BUSES}
        filler = "pcie-root-port" if self.q35 else "pci-bridge"
        count = max(list(by_index) + [0]) + 1
        root = "pcie-root" if self.q35 else "pci-root"
        return [by_index.get(i, root if i == 0 else filler) for i in range(count)]

    def address_set(self, grow):
        """The buses of the guest's controllers with the addresses in use."""
        aset = AddressSet(self.models, grow)
        for dev in self.devices:
            spot = self.spots.get(dev)
            if spot is not None:
                aset.reserve(*spot, connect_flags(dev, self.pcie) or PCI_DEVICE)
        return aset

    def write(self, dev, spot, multifunction=False):
        set_address(dev, *spot, multifunction=multifunction)
        self.spots[dev] = spot

    def wants_address(self, dev):
        """No address yet, or a PCI one with nothing filled in (a device
        the planner placed is in self.spots)."""
        return dev not in self.spots and unplaced(self.addresses.get(dev))

    def has_address(self, dev):
        return dev in self.spots or dev in self.addresses

    def endpoints(self):
        return endpoints(self.present, self.pcie, self.wants_address)

    # --- the dry run ----------------------------------------------------------

    def settled(self, dry, video, endpoints):
        """Whether the dry run would add no bus (tried on a copy of *dry*):
        then the real pass is the placement on *dry* as it stands, the
        chipset placed.  Not when the primary video card found its slot
        taken (the dry run places it twice) or the chipset took a slot a
        root port shares (the real pass sees their addresses in document
        order)."""
        if video or len(dry.buses) != len(self.models) or self._missing_indexes() \
                or any(spot[1] in dry.buses[spot[0]].aggregate for spot in self.chipset):
            return False
        if self._fits_on_root(dry, endpoints):
            return True
        try:
            self._dry_place(dry.copy(_Probe), endpoints)
        except _NoRoom:
            return False
        return True

    def _fits_on_root(self, dry, endpoints):
        """Whether a PC's root bus takes every device the dry run places
        and has a free slot for each, and one for the slot it keeps back:
        then that run surely adds no bus."""
        root = dry.buses[0]
        placed = self._controllers_to_place() + endpoints
        if self.q35 or not root.takes(PCI_DEVICE | AUTO) \
                or not all(root.takes(flags) for _, flags in placed):
            return False
        taken = sum(1 for slot, used in root.functions.items()
                    if used and root.first <= slot <= root.last)
        return root.last - root.first + 1 - taken > len(placed)

    def _missing_indexes(self):
        present = {index_of(c) for c in self.controllers}
        return [i for i in range(1, len(self.models)) if i not in present]

    def _dry_place(self, dry, endpoints):
        """The dry run's placement, with the slots it keeps free."""
        highest = max([index_of(c) for c in self.controllers] + [-1])
        if not self.q35 and not dry.full():
            dry.reserve_next(PCI_DEVICE | AUTO)           # room left for a future bridge
        self.place(dry, endpoints, write=False)
        if self.q35 and highest <= 0 and len(dry.buses) > highest + 1:
            dry.reserve_next(PCIE_DEVICE | AUTO)          # a root port left free for hotplug

    def grow(self, dry, endpoints, add_controller):
        """The dry run: add the controllers of the buses the devices miss."""
        self._dry_place(dry, endpoints)
        present = {index_of(c) for c in self.controllers}
        for index in range(1, len(dry.buses)):
            if index not in present:
                new = add_controller(self.devices, "pci", str(index), dry.buses[index].model)
                self.controllers.append(new)
                if dry.buses[index].model not in ROOTS:
                    dry.reserve_next(connect_flags(new, self.pcie))
        self.models = self._models()

    # --- placement -----------------------------------------------------------

    def place_chipset(self, aset):
        """Place the devices a machine's chipset fixes: Q35's SATA, USB2,
        DMI bridge and audio slots, a PC's PIIX3 functions; the primary
        video card on the first slot after them.  That card's placement
        when its slot is taken, for the caller to write (or not)."""
        if self.q35:
            self._place_q35_chipset(aset)
        else:
            self._place_piix3(aset)
        videos = self.present.get("video")
        if not videos or not self.wants_address(videos[0]) \
                or not connect_flags(videos[0], self.pcie):
            return None
        slot = 1 if self.q35 else 2
        if not aset.in_use(0, slot):
            aset.reserve(0, slot, 0, PCI_DEVICE)
            self._fix(videos[0], 0, slot)
            return None
        return videos[0], aset.reserve_next(connect_flags(videos[0], self.pcie)), False

    def _fix(self, dev, bus, slot, function=0, multifunction=False):
        self.write(dev, (bus, slot, function), multifunction)
        self.chipset.append((bus, slot))

    def _place_q35_chipset(self, aset):
        for c in self.present.get("controller", ()):
            kind, model = c.get("type"), c.get("model")
            if kind == "sata" and c.get("index", "0") == "0" and self.wants_address(c):
                aset.reserve(0, 0x1f, 2, PCIE_DEVICE)
                self._fix(c, 0, 0x1f, 2)
            elif kind == "usb" and model == "ich9-uhci1" and not self.has_address(c):
                slot = next((s for s in (0x1d, 0x1a) if not aset.in_use(0, s)), None)
                if slot is not None:
                    aset.reserve(0, slot, 0, PCIE_DEVICE)
                    self._fix(c, 0, slot, 0, multifunction=True)
            elif kind == "pci" and model == "dmi-to-pci-bridge" and not self.has_address(c) \
                    and not aset.in_use(0, 0x1e):
                aset.reserve(0, 0x1e, 0, PCIE_DEVICE)
                self._fix(c, 0, 0x1e)
        aset.reserve(0, 0x1f, 0, PCIE_DEVICE)      # the ISA bridge and the SMBus
        aset.reserve(0, 0x1f, 3, PCIE_DEVICE)
        if not aset.in_use(0, 0x1b):
            sound = next((s for s in self.present.get("sound", ())
                          if s.get("model") == "ich9" and self.wants_address(s)), None)
            if sound is not None:
                aset.reserve(0, 0x1b, 0, PCIE_DEVICE)
                self._fix(sound, 0, 0x1b)

    def _place_piix3(self, aset):
        for c in self.present.get("controller", ()):
            if c.get("index", "0") != "0":
                continue
            if c.get("type") == "ide":
                function = 1
            elif c.get("type") == "usb" and c.get("model") in ("piix3-uhci", None):
                function = 2
            else:
                continue
            if self.wants_address(c):
                self._fix(c, 0, 1, function)
            aset.reserve(0, 1, function, PCI_DEVICE)
        aset.reserve(0, 1, 0, PCI_DEVICE)          # the ISA bridge and the ACPI function
        aset.reserve(0, 1, 3, PCI_DEVICE)

    def place(self, aset, endpoints, write):
        """Place the PCI controllers in document order, then the
        endpoints; written when *write* (a USB2 set's members follow the
        one placed first)."""
        for dev, flags in self._controllers_to_place() + endpoints:
            function = USB2_FUNCTIONS.get(dev.get("model")) if dev.get("type") == "usb" else None
            if function is None:
                spot = aset.reserve_next(flags)
            else:
                spot = self._usb2_spot(dev, aset, flags, function)
            if write:
                self.write(dev, spot, function == 0)

    def _controllers_to_place(self):
        """[(controller, flags)] of the PCI controllers that want an address."""
        return [(c, CONTROLLER_KINDS[c.get("model")]) for c in self.controllers
                if c.get("model") in CONTROLLER_KINDS and self.wants_address(c)]

    def _usb2_spot(self, controller, aset, flags, function):
        """A USB2 controller shares the slot of its set's placed member."""
        for other in self.present.get("controller", ()):
            spot = self.spots.get(other)
            if other.get("type") == "usb" and other.get("model") in USB2_FUNCTIONS \
                    and spot is not None \
                    and other.get("index", "0") == controller.get("index", "0"):
                aset.reserve(spot[0], spot[1], function, flags)
                return spot[0], spot[1], function
        return aset.reserve_next(flags, function)

    # --- after placement --------------------------------------------------------

    def mark_multifunction(self):
        """Function 0 of a slot with other functions in use is multifunction."""
        slots = {}
        for dev, spot in self.spots.items():
            slots.setdefault(spot[:2], []).append((spot[2], dev))
        for functions in slots.values():
            if any(function for function, _ in functions):
                for function, dev in functions:
                    addr = dev.find("address") if function == 0 else None
                    if addr is not None and addr.get("multifunction") is None:
                        addr.set("multifunction", "on")

    def describe(self):
        describe(self.devices, self.controllers, self.spots)


def describe(devices, controllers, spots):
    """Give each PCI controller (of *controllers*, placed at *spots*) its
    <model name> and the <target> numbers libvirt fills in (chassis and
    port numbers, an expander's bus number); a pci-bridge must sit on a
    bus below its own index."""
    for c in controllers:
        model = c.get("model")
        name = MODEL_NAMES.get(model)
        if name is None:
            continue
        if c.find("model") is None:
            c.insert(0, etree.Element("model", name=name))
        spot = spots.get(c, (0, 0, 0))
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
