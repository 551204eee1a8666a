"""PCI buses of a guest beyond the root bus: bridges and expander buses.

libvirt gives every PCI controller the QEMU device model it stands for
and its target numbers, fills gaps in the controller indexes with
bridges, places controllers ahead of endpoint devices, and adds bridges
when the slots run out.  This module does that for the i440fx machine
(a conventional PCI root bus); defaults.py calls it while addressing.
"""
from lxml import etree

# The QEMU device behind each PCI controller model (libvirt's <model name>).
MODEL_NAMES = {"pci-bridge": "pci-bridge", "dmi-to-pci-bridge": "i82801b11-bridge",
               "pci-expander-bus": "pxb", "pcie-expander-bus": "pxb-pcie",
               "pcie-switch-upstream-port": "x3130-upstream",
               "pcie-switch-downstream-port": "xio3130-downstream"}

# Slots (first, last) endpoint devices may use on a bus of each model.
BUS_SLOTS = {"pci-root": (1, 31), "pci-bridge": (1, 31), "pci-expander-bus": (0, 31),
             "dmi-to-pci-bridge": (0, 31)}

ROOTS = ("pci-root", "pcie-root")
EXPANDERS = ("pci-expander-bus", "pcie-expander-bus")


def pci_controllers(devices):
    return [c for c in devices.findall("controller") if c.get("type") == "pci"]


def index_of(elem):
    return int(elem.get("index", "0"))


def describe(devices):
    """Give each PCI controller its <model name> and the <target> numbers
    libvirt fills in (a bridge's chassis, an expander's bus number)."""
    controllers = pci_controllers(devices)
    bus_numbers = [int(c.find("target").get("busNr")) for c in controllers
                   if c.get("model") in EXPANDERS and c.find("target") is not None
                   and c.find("target").get("busNr") is not None]
    for c in controllers:
        name = MODEL_NAMES.get(c.get("model"))
        if name is None:
            continue
        if c.find("model") is None:
            c.insert(0, etree.Element("model", name=name))
        target = c.find("target")
        if c.get("model") == "pci-bridge":
            _target(c).set("chassisNr", _keep(target, "chassisNr", c.get("index")))
        elif c.get("model") in EXPANDERS and (target is None or target.get("busNr") is None):
            number = min(bus_numbers + [256]) - 2     # below the others, room for one bus
            bus_numbers.append(number)
            _target(c).set("busNr", str(number))


def _target(controller):
    target = controller.find("target")
    if target is None:
        target = etree.SubElement(controller, "target")
    return target


def _keep(target, name, default):
    value = target.get(name) if target is not None else None
    return value if value is not None else default


def fill_index_gaps(devices):
    """Bridges for the indexes below the highest bus in use that no
    controller has (a device on bus 7 needs buses 1 to 7), appended
    after the other controllers."""
    wanted = [index_of(c) for c in pci_controllers(devices)]
    wanted += [int(a.get("bus", "0"), 16) for a in devices.iter("address")
               if a.get("type") == "pci" and a.get("bus") is not None
               and a.getparent().getparent() is devices]
    present = {index_of(c) for c in pci_controllers(devices)}
    for index in range(1, max(wanted + [0]) + 1):
        if index not in present:
            last = devices.findall("controller")[-1]
            last.addnext(etree.Element("controller", type="pci", index=str(index),
                                       model="pci-bridge"))


def buses(devices):
    """[(index, model)] of the buses devices can sit on, by index."""
    return sorted((index_of(c), c.get("model")) for c in pci_controllers(devices)
                  if c.get("model") in BUS_SLOTS)


def plan(wanting, bus_list, taken):
    """{device: (bus, slot)} for the devices in *wanting*, in order, each
    on the first free slot of the first bus that takes it; None when
    some device finds no slot."""
    taken = set(taken)
    placed = {}
    for dev in wanting:
        spot = _first_free(dev, bus_list, taken)
        if spot is None:
            return None
        taken.add(spot)
        placed[dev] = spot
    return placed


def _first_free(dev, bus_list, taken):
    for bus, model in bus_list:
        if dev.tag == "controller" and dev.get("type") == "pci" \
                and not _may_host(dev, bus, model):
            continue
        first, last = BUS_SLOTS[model]
        for slot in range(first, last + 1):
            if (bus, slot) not in taken:
                return bus, slot
    return None


def _may_host(controller, bus, model):
    """A controller sits on a bus numbered below its own index; an
    expander bus only on the root bus."""
    if controller.get("model") in EXPANDERS:
        return model in ROOTS
    return bus < index_of(controller)
