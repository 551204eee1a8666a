"""The QEMU driver's own defaults, applied after parsing a definition.

libvirt's QEMU driver fills in what a definition leaves open: the full
machine type behind an alias ("pc" -> "pc-i440fx-7.2"), the default CPU
model, the controllers every machine has (USB, PCI root, SATA on q35), a
serial port behind a console, PS/2 input, the audio backend, a video card
for graphics, the memory balloon, NIC MACs and models, disk drivers and
drive addresses, and PCI addresses for everything on a PCI bus.  This
module does the same on the parsed tree, in place.
"""
import random

from lxml import etree

from virtsh.drivers.errors import VirtError, CONFIG_UNSUPPORTED, XML_ERROR
from virtsh.drivers.qemu import caps as capsmod

# libvirt's order of device kinds inside <devices>.
DEVICE_ORDER = ("emulator", "disk", "controller", "lease", "filesystem",
                "interface", "smartcard", "serial", "parallel", "console",
                "channel", "input", "tpm", "graphics", "sound", "audio",
                "video", "hostdev", "redirdev", "redirfilter", "hub",
                "watchdog", "memballoon", "rng", "panic", "shmem", "memory",
                "iommu", "vsock", "crypto")

# Disk target prefix -> bus when <target bus> is absent.
_BUS_OF_PREFIX = (("hd", "ide"), ("sd", "scsi"), ("vd", "virtio"),
                  ("xvd", "xen"), ("fd", "fdc"), ("ubd", "uml"))


def is_q35(machine):
    return machine.startswith("pc-q35") or machine == "q35"


def is_i440fx(machine):
    return machine == "pc" or machine.startswith("pc-i440fx") or machine.startswith("pc-")


def apply(root, caps, conf, raw=None):
    """Fill in the driver defaults of the <domain> tree *root* (in place).

    *raw* is the document as written: controllers the generic post-parse
    step implied (not in *raw*) stay after the driver's default ones, as
    libvirt runs the driver's step first."""
    os_type = root.find("os/type")
    if os_type is None:
        raise VirtError(XML_ERROR, "missing os type")
    arch = os_type.get("arch") or caps["arch"]
    os_type.set("arch", arch)
    machine = os_type.get("machine") or capsmod.default_machine(caps)
    if not capsmod.has_machine(caps, machine):
        raise VirtError(CONFIG_UNSUPPORTED,
                        "Emulator '%s' does not support machine type '%s'"
                        % (caps["emulator"], machine))
    machine = capsmod.canonical_machine(caps, machine)
    os_type.set("machine", machine)
    x86 = arch in ("x86_64", "i686")
    if x86:
        _default_cpu_model(root, caps["arch"])
    _cpu_check(root, caps)
    _memory_from_numa(root)
    devices = _devices(root)
    _controllers(devices, machine, _implied_controllers(devices, raw))
    _disks(devices, machine)
    _nics(devices)
    _serial_console(devices)
    if x86:
        _inputs(devices)
    _graphics(devices, conf)
    _default_audio(devices)
    _qxl_vgamem(devices)
    if devices.find("graphics") is not None and devices.find("video") is None:
        video = etree.Element("video")
        etree.SubElement(video, "model", type="cirrus", vram="16384", heads="1",
                         primary="yes")
        insert_device(devices, video)
    if devices.find("memballoon") is None:
        insert_device(devices, etree.Element("memballoon", model="virtio"))
    if is_q35(machine):
        _pci_q35(devices)
    elif is_i440fx(machine):
        _pci_i440fx(devices)
    _virtio_serial_ports(devices)
    _usb_ports(devices)
    return root


def _qxl_vgamem(devices):
    """QXL cards get QEMU's 16 MiB of VGA memory (vgamem, after vram)."""
    for model in devices.findall("video/model[@type='qxl']"):
        if model.get("vgamem") is not None:
            continue
        attrs = list(model.attrib.items())
        model.attrib.clear()
        for key, value in attrs:
            model.set(key, value)
            if key == "vram":
                model.set("vgamem", "16384")
        if model.get("vgamem") is None:
            model.set("vgamem", "16384")


def _default_audio(devices):
    """An audio backend for the guest: spice's with spice graphics, none
    otherwise; SDL and D-Bus displays bring their own (no default)."""
    if devices.find("audio") is not None:
        return
    kinds = [g.get("type") for g in devices.findall("graphics")]
    if "sdl" in kinds or "dbus" in kinds:
        return
    kind = "spice" if "spice" in kinds else "none"
    insert_device(devices, etree.Element("audio", id="1", type=kind))


def insert_device(devices, elem):
    """Insert *elem* after the last device of its kind or of an earlier kind."""
    rank = DEVICE_ORDER.index(elem.tag)
    position = 0
    for i, child in enumerate(devices):
        if isinstance(child.tag, str) and child.tag in DEVICE_ORDER \
                and DEVICE_ORDER.index(child.tag) <= rank:
            position = i + 1
    devices.insert(position, elem)
    return elem


def _devices(root):
    devices = root.find("devices")
    if devices is None:
        devices = etree.SubElement(root, "devices")
    return devices


def _default_cpu_model(root, arch):
    """x86 guests without a CPU model get the emulator's default one
    (qemu64 of qemu-system-x86_64, qemu32 of qemu-system-i386)."""
    cpu = root.find("cpu")
    if cpu is not None and (cpu.get("mode", "custom") != "custom"
                            or cpu.find("model") is not None):
        return
    if cpu is None:
        cpu = etree.Element("cpu")
        anchor = next(e for e in (root.find("features"), root.find("os")) if e is not None)
        anchor.addnext(cpu)
    rest = dict(cpu.attrib)
    cpu.attrib.clear()
    cpu.set("mode", "custom")
    cpu.set("match", rest.pop("match", "exact"))
    cpu.set("check", rest.pop("check", "none"))
    rest.pop("mode", None)
    for key, value in rest.items():
        cpu.set(key, value)
    model = etree.Element("model", fallback="forbid")
    model.text = "qemu64" if arch == "x86_64" else "qemu32"
    cpu.insert(0, model)


def _memory_from_numa(root):
    """With NUMA cells, the memory size is theirs plus the DIMMs'."""
    from virtsh.drivers.qemu.command import scale_kib
    cells = root.findall("cpu/numa/cell")
    memory = root.find("memory")
    if not cells or memory is None:
        return
    total = sum(scale_kib(int(c.get("memory", "0")), c.get("unit", "KiB")) for c in cells)
    for size in root.findall("devices/memory/target/size"):
        total += scale_kib(int(size.text), size.get("unit", "KiB"))
    memory.text = str(total)
    memory.set("unit", "KiB")


def _cpu_check(root, caps):
    """How strictly the guest CPU is checked, when the definition says not:
    none for host-passthrough (and TCG custom models), partial otherwise."""
    cpu = root.find("cpu")
    if cpu is None or cpu.get("check") is not None:
        return
    mode = cpu.get("mode", "custom")
    if mode == "custom" and cpu.find("model") is None:
        return
    if mode in ("host-passthrough", "maximum") or \
            (mode == "custom" and root.get("type") == "qemu"):
        check = "none"
    else:
        check = "partial"
    attrs = list(cpu.attrib.items())
    cpu.attrib.clear()
    for key, value in attrs:
        cpu.set(key, value)
        if key == ("match" if cpu.get("match") else "mode"):
            cpu.set("check", check)
    if cpu.get("check") is None:
        cpu.set("check", check)
    if mode in ("host-passthrough", "maximum") and cpu.get("migratable") is None:
        cpu.set("migratable", "on" if caps["arch"] == "x86_64" else "off")


def _controller(devices, type_, index="0"):
    for c in devices.findall("controller"):
        if c.get("type") == type_ and c.get("index", "0") == index:
            return c
    return None


def add_controller(devices, type_, index="0", model=None, before=()):
    """Add a controller where libvirt would: ahead of the first one of its
    type with a higher index, else after all controllers (but ahead of
    those in *before*)."""
    elem = etree.Element("controller", type=type_, index=index)
    if model:
        elem.set("model", model)
    higher = [c for c in devices.findall("controller") if c.get("type") == type_
              and int(c.get("index", "0")) > int(index)]
    if higher:
        higher[0].addprevious(elem)
    elif before:
        before[0].addprevious(elem)
    else:
        insert_device(devices, elem)
    return elem


def _implied_controllers(devices, raw):
    """The controllers of *devices* that the written document did not have."""
    if raw is None:
        return []
    written = {(c.get("type"), c.get("index", "0")) for c in raw.iter("controller")}
    return [c for c in devices.findall("controller")
            if (c.get("type"), c.get("index", "0")) not in written]


def _controllers(devices, machine, implied):
    q35 = is_q35(machine)
    usb = _controller(devices, "usb")
    if usb is None:
        add_controller(devices, "usb", model="qemu-xhci" if q35 else "piix3-uhci",
                       before=implied)
    elif usb.get("model") is None:
        usb.set("model", "qemu-xhci" if q35 else "piix3-uhci")
    if q35 and _controller(devices, "sata") is None:
        add_controller(devices, "sata", before=implied)
    if _controller(devices, "pci") is None:
        add_controller(devices, "pci", model="pcie-root" if q35 else "pci-root",
                       before=implied)
    for scsi in devices.findall("controller[@type='scsi']"):
        if scsi.get("model") is None:
            scsi.set("model", "lsilogic")


def _disk_bus(disk):
    target = disk.find("target")
    dev = target.get("dev", "") if target is not None else ""
    bus = target.get("bus") if target is not None else None
    if bus is None:
        bus = next((b for p, b in _BUS_OF_PREFIX if dev.startswith(p)), "ide")
        if target is not None:
            target.set("bus", bus)
    return bus, dev


def _disk_index(dev):
    """hda -> 0, hdc -> 2, sdaa -> 26 (libvirt's virDiskNameToIndex)."""
    stem = dev[3:] if dev.startswith(("xvd", "ubd")) else dev[2:]
    index = 0
    for ch in stem:
        if not "a" <= ch <= "z":
            break
        index = index * 26 + (ord(ch) - ord("a") + 1)
    return index - 1


def _disks(devices, machine):
    q35 = is_q35(machine)
    for disk in devices.findall("disk"):
        bus, dev = _disk_bus(disk)
        raw_default = disk.get("type", "file") != "volume"
        drv = disk.find("driver")
        if drv is None:
            drv = etree.Element("driver", name="qemu")
            disk.insert(0, drv)
        drv.set("name", drv.get("name", "qemu"))
        if drv.get("type") is None and raw_default:
            drv.set("type", "raw")
        if disk.find("address") is not None:
            continue
        idx = max(_disk_index(dev), 0)
        if bus == "ide" and q35:
            bus = "sata"
        if bus == "ide":
            addr = dict(controller=str(idx // 4), bus=str(idx % 4 // 2),
                        target="0", unit=str(idx % 2))
            if _controller(devices, "ide", addr["controller"]) is None:
                add_controller(devices, "ide", addr["controller"])
        elif bus == "sata":
            addr = dict(controller=str(idx // 6), bus="0", target="0", unit=str(idx % 6))
            if _controller(devices, "sata", addr["controller"]) is None:
                add_controller(devices, "sata", addr["controller"])
        elif bus == "scsi":
            addr = dict(controller=str(idx // 7), bus="0", target="0", unit=str(idx % 7))
            if _controller(devices, "scsi", addr["controller"]) is None:
                add_controller(devices, "scsi", addr["controller"], model="lsilogic")
        elif bus == "fdc":
            addr = dict(controller="0", bus="0", target="0", unit=str(idx))
        else:
            continue
        etree.SubElement(disk, "address", type="drive", **addr)


def random_mac():
    return "52:54:00:%02x:%02x:%02x" % tuple(random.randrange(256) for _ in range(3))


def _nics(devices):
    for nic in devices.findall("interface"):
        if nic.find("mac") is None:
            nic.insert(0, etree.Element("mac", address=random_mac()))
        if nic.find("model") is None:
            mac = nic.find("mac")
            model = etree.Element("model", type="rtl8139")
            after = nic.find("target") if nic.find("target") is not None else \
                nic.find("source") if nic.find("source") is not None else mac
            after.addnext(model)


def _serial_console(devices):
    serials = devices.findall("serial")
    for serial in serials:
        _serial_target(serial)
    consoles = devices.findall("console")
    if consoles and not serials:
        first = consoles[0]
        target = first.find("target")
        if target is None or target.get("type", "serial") == "serial":
            serial = etree.Element("serial", type=first.get("type", "pty"))
            for child in first:
                if child.tag in ("source", "protocol", "log"):
                    serial.append(etree.fromstring(etree.tostring(child)))
            insert_device(devices, serial)
            _serial_target(serial)
    for console in devices.findall("console"):
        target = console.find("target")
        if target is None:
            target = etree.SubElement(console, "target")
        target.set("type", target.get("type", "serial"))
        target.set("port", target.get("port", "0"))


def _serial_target(serial):
    target = serial.find("target")
    if target is None:
        target = etree.SubElement(serial, "target")
    target.set("type", target.get("type", "isa-serial"))
    port = target.get("port", "0")
    target.attrib.pop("port", None)
    target.set("port", port)
    if target.find("model") is None and target.get("type") == "isa-serial":
        etree.SubElement(target, "model", name="isa-serial")


def _inputs(devices):
    present = {(i.get("type"), i.get("bus")) for i in devices.findall("input")}
    for kind in ("mouse", "keyboard"):
        if (kind, "ps2") not in present:
            insert_device(devices, etree.Element("input", type=kind, bus="ps2"))


def _graphics(devices, conf):
    """Autoport graphics get port -1 (the listen address is filled in at
    start, from qemu.conf, as libvirt does)."""
    for g in devices.findall("graphics"):
        if g.get("type") != "vnc":
            continue
        if g.get("port") is None and g.get("autoport", "yes") == "yes":
            attrs = dict(g.attrib)
            g.attrib.clear()
            g.set("type", attrs.pop("type"))
            g.set("port", "-1")
            g.set("autoport", attrs.pop("autoport", "yes"))
            for k, v in attrs.items():
                g.set(k, v)


# --- virtio-serial and USB ports -----------------------------------------------

def _virtio_serial_ports(devices):
    """virtio channels without a port get the next free one of their
    virtio-serial controller (0 unless their address names another)."""
    channels = [c for c in devices.findall("channel")
                if c.find("target") is not None and c.find("target").get("type") == "virtio"]
    used = {}
    for channel in channels:
        addr = channel.find("address")
        if addr is not None and addr.get("port", "0") != "0":
            used.setdefault(addr.get("controller", "0"), set()).add(int(addr.get("port")))
    for channel in channels:
        addr = channel.find("address")
        if addr is not None and addr.get("port", "0") != "0":
            continue
        controller = addr.get("controller", "0") if addr is not None else "0"
        taken = used.setdefault(controller, set())
        port = 1
        while port in taken:
            port += 1
        taken.add(port)
        if addr is None:
            addr = etree.SubElement(channel, "address", type="virtio-serial")
        addr.set("controller", controller)
        addr.set("bus", addr.get("bus", "0"))
        addr.set("port", str(port))


# Ports of USB controller models (their root hub).
_USB_PORTS = {"piix3-uhci": 2, "piix4-uhci": 2, "ich9-ehci1": 6, "qemu-xhci": 15,
              "nec-xhci": 4, "ich9-uhci1": 6}


def _usb_devices(devices):
    """Devices on USB without an address, in libvirt's assignment order."""
    out = [h for h in devices.findall("hub") if h.get("type") == "usb"]
    out += [i for i in devices.findall("input") if i.get("bus") == "usb"]
    out += [s for s in devices.findall("sound") if s.get("model") == "usb"]
    out += [d for d in devices.findall("disk")
            if d.find("target") is not None and d.find("target").get("bus") == "usb"]
    out += [h for h in devices.findall("hostdev") if h.get("type") == "usb"]
    out += [r for r in devices.findall("redirdev") if r.get("bus") == "usb"]
    return [d for d in out if d.find("address") is None]


def _usb_ports(devices):
    """USB devices get the next free port of bus 0, while it has ports."""
    usb = _controller(devices, "usb")
    if usb is None or usb.get("model") == "none":
        return
    capacity = int(usb.get("ports") or _USB_PORTS.get(usb.get("model"), 0))
    used = {a.get("port") for a in devices.iter("address")
            if a.get("type") == "usb" and a.get("bus", "0") == "0"}
    port = 1
    for dev in _usb_devices(devices):
        while str(port) in used:
            port += 1
        if port > capacity:
            return
        used.add(str(port))
        etree.SubElement(dev, "address", type="usb", bus="0", port=str(port))


# --- PCI addresses ----------------------------------------------------------

def _pci_address(bus, slot, function=0, multifunction=False):
    elem = etree.Element("address", type="pci", domain="0x0000",
                         bus="0x%02x" % bus, slot="0x%02x" % slot,
                         function="0x%x" % function)
    if multifunction:
        elem.set("multifunction", "on")
    return elem


def _needs_pci(dev):
    """No address yet, or a PCI one with nothing filled in."""
    addr = dev.find("address")
    return addr is None or (addr.get("type") == "pci" and addr.get("slot") is None)


def _set_address(dev, address):
    old = dev.find("address")
    if old is not None:
        dev.remove(old)
    dev.append(address)


def _pci_devices(devices):
    """Devices that want a PCI slot, in libvirt's assignment order."""
    wanted = []
    for fs in devices.findall("filesystem"):
        wanted.append(fs)
    for nic in devices.findall("interface"):
        if nic.get("type") != "hostdev":
            wanted.append(nic)
    wanted.extend(s for s in devices.findall("sound")
                  if s.get("model") not in ("pcspk", "sb16", "usb"))
    for c in devices.findall("controller"):
        if c.get("type") in ("scsi", "virtio-serial", "sata") or \
                (c.get("type") == "usb" and c.get("model") not in ("piix3-uhci", "none")):
            wanted.append(c)
    for disk in devices.findall("disk"):
        target = disk.find("target")
        if target is not None and target.get("bus") == "virtio":
            wanted.append(disk)
    wanted.extend(devices.findall("hostdev"))
    balloon = devices.find("memballoon")
    if balloon is not None and balloon.get("model") == "virtio":
        wanted.append(balloon)
    wanted.extend(devices.findall("rng"))
    videos = devices.findall("video")
    wanted.extend(videos[1:])
    return [d for d in wanted if _needs_pci(d)]


def _pci_i440fx(devices):
    used = set()
    for addr in devices.iter("address"):
        if addr.get("type") == "pci" and addr.get("slot") is not None \
                and int(addr.get("bus", "0"), 16) == 0:
            used.add(int(addr.get("slot"), 16))
    used.add(1)
    ide = _controller(devices, "ide")
    if ide is not None and _needs_pci(ide):
        _set_address(ide, _pci_address(0, 1, 1))
    usb = _controller(devices, "usb")
    if usb is not None and usb.get("model") == "piix3-uhci" and _needs_pci(usb):
        _set_address(usb, _pci_address(0, 1, 2))
    video = devices.find("video")
    if video is not None and _needs_pci(video):
        slot = 2 if 2 not in used else _free_slot(used)
        used.add(slot)
        _set_address(video, _pci_address(0, slot))
    for dev in _pci_devices(devices):
        slot = _free_slot(used)
        used.add(slot)
        _set_address(dev, _pci_address(0, slot))


def _free_slot(used):
    slot = 1
    while slot in used:
        slot += 1
    return slot


def _pci_q35(devices):
    sata = _controller(devices, "sata")
    if sata is not None and _needs_pci(sata):
        _set_address(sata, _pci_address(0, 0x1f, 2))
    next_root_slot = 1
    video = devices.find("video")
    if video is not None and _needs_pci(video):
        _set_address(video, _pci_address(0, 1))
        next_root_slot = 2
    endpoints = _pci_devices(devices)
    if not endpoints:
        return
    ports = [c for c in devices.findall("controller")
             if c.get("type") == "pci" and c.get("model") == "pcie-root-port"]
    index = max([int(c.get("index", "0")) for c in devices.findall("controller")
                 if c.get("type") == "pci"] + [0])
    count = len(endpoints) + 1
    for n in range(count):
        index += 1
        slot, func = next_root_slot + n // 8, n % 8
        port = add_controller(devices, "pci", str(index), model="pcie-root-port")
        etree.SubElement(port, "model", name="pcie-root-port")
        etree.SubElement(port, "target", chassis=str(index), port="0x%x" % (slot * 8 + func))
        multi = func == 0 and count - n > 1
        port.append(_pci_address(0, slot, func, multi))
        ports.append(port)
    for dev, port in zip(endpoints, ports[-count:]):
        _set_address(dev, _pci_address(int(port.get("index")), 0))
