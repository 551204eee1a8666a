"""The QEMU driver's own defaults, applied after parsing a definition.

libvirt's QEMU driver fills in what a definition leaves open: the full
machine type behind an alias ("pc" -> "pc-i440fx-7.2"), the default CPU
model, the controllers every machine has (USB, PCI root, SATA on q35), a
serial port behind a console, PS/2 input, the audio backend, a video card
for graphics, the memory balloon, NIC MACs and models, disk drivers and
drive addresses, and PCI addresses for everything on a PCI bus.  This
module does the same on the parsed tree, in place.
"""
import functools

from lxml import etree

from virtsh.drivers.errors import VirtError, CONFIG_UNSUPPORTED, XML_ERROR
from virtsh.drivers.qemu import caps as capsmod, pcibuses
from virtsh.drivers.qemu.pcidevices import model_of
from virtsh.xmlconf.canon import child_rank
from virtsh.xmlconf.defaults_devices import random_mac
from virtsh.xmlconf.tree import by_tag

# Disk target prefix -> bus when <target bus> is absent.
_BUS_OF_PREFIX = (("hd", "ide"), ("sd", "scsi"), ("vd", "virtio"),
                  ("xvd", "xen"), ("fd", "fdc"), ("ubd", "uml"))


def is_q35(machine):
    return machine.startswith("pc-q35") or machine == "q35"


def is_i440fx(machine):
    return machine == "pc" or machine.startswith("pc-i440fx") or machine.startswith("pc-")


def apply(root, caps, conf, raw=None, nvram_dir=None):
    """Fill in the driver defaults of the <domain> tree *root* (in place).

    *raw* is the document as written: controllers the generic post-parse
    step implied (not in *raw*) stay after the driver's default ones, as
    libvirt runs the driver's step first.  *nvram_dir* is where the
    variable stores of UEFI guests go."""
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
    cpu = _default_cpu_model(root, caps["arch"]) if x86 else root.find("cpu")
    _cpu_check(root, cpu, caps)
    if nvram_dir:
        _nvram_path(root, os_type.getparent(), nvram_dir)
    cells = [] if cpu is None else \
        [c for numa in cpu.iterchildren("numa") for c in numa.iterchildren("cell")]
    if cells:
        _memory_from_numa(root, cells, raw)
        _numa_cpus(root, cells)
    devices = _devices(root)
    # The devices by kind, gathered once and kept up to date as devices
    # are added (but for the PCI controllers the planner adds, which the
    # USB step after it does not look at): by_tag(devices) at each step.
    present = by_tag(devices)
    controllers = present.get("controller", [])
    _controllers(devices, controllers, machine, _implied_controllers(controllers, raw))
    _disks(devices, present.get("disk", ()), machine)
    present["controller"] = list(devices.iterchildren("controller"))
    _nics(present.get("interface", ()))
    _serial_console(devices, present)
    if x86:
        _inputs(devices, present)
    _graphics(present.get("graphics", ()))
    if x86:
        for panic in present.get("panic", ()):
            panic.set("model", panic.get("model", "isa"))
    _luks_engine(devices)
    _shmems(present.get("shmem", ()))
    _tpms(present.get("tpm", ()), arch)
    _seclabel_models(root, conf)
    _default_audio(devices, present)
    _qxl_vgamem(present.get("video", ()))
    if "graphics" in present and "video" not in present:
        video = devices.makeelement("video")
        etree.SubElement(video, "model", type="cirrus", vram="16384", heads="1",
                         primary="yes")
        present["video"] = [insert_device(devices, video)]
    if "memballoon" not in present:
        balloon = devices.makeelement("memballoon", model="virtio")
        present["memballoon"] = [insert_device(devices, balloon)]
    if "channel" in present:
        _drop_default_channel_paths(present["channel"], conf)
        _virtio_serial_ports(devices, present["channel"])   # may add a controller:
        present["controller"] = list(devices.iterchildren("controller"))  # before PCI
    _spapr_vio_addresses(devices, present)
    if is_q35(machine) or is_i440fx(machine):
        _pci_addresses(devices, is_q35(machine), present)
    _usb_ports(devices, present)
    return root


def _luks_engine(devices):
    """LUKS encryption of a disk is QEMU's own unless it says otherwise."""
    for enc in devices.iter("encryption"):
        if enc.get("format") == "luks" and enc.get("engine") is None:
            enc.set("engine", "qemu")


def _shmems(shmems):
    """Shared memory is 4 MiB unless a server provides it; a doorbell
    device (with its server) signals through ioeventfd by default."""
    for shmem in shmems:
        model = shmem.find("model")
        if model is not None and model.get("type") == "ivshmem-doorbell":
            if shmem.find("server") is not None:
                msi = shmem.find("msi")
                if msi is None:
                    msi = etree.SubElement(shmem, "msi")
                msi.set("ioeventfd", msi.get("ioeventfd", "on"))
        elif shmem.find("size") is None:
            size = etree.SubElement(shmem, "size", unit="M")
            size.text = "4"


def _tpms(tpms, arch):
    """TPMs are the machine's usual interface (TIS; sPAPR on POWER); an
    emulated one speaks the version its interface implies (1.2 on TIS)."""
    for tpm in tpms:
        if tpm.get("model") is None:
            tpm.set("model", "tpm-spapr" if arch.startswith("ppc64") else "tpm-tis")
        backend = tpm.find("backend[@type='emulator']")
        if backend is not None and backend.get("version") is None:
            backend.set("version", "2.0" if tpm.get("model") in ("tpm-crb", "tpm-spapr")
                        else "1.2")


def _seclabel_models(root, conf):
    """A domain label naming no model is for the driver's (first) security
    driver; under "none" it can only be the label type 'none'."""
    model = conf.get("security_driver", "none")
    if isinstance(model, list):
        model = model[0] if model else "none"
    for label in root.iterchildren("seclabel"):
        if label.get("model") is not None:
            continue
        label.set("model", model)
        if model == "none":
            label.set("type", "none")
            label.attrib.pop("relabel", None)


def _qxl_vgamem(videos):
    """QXL cards get QEMU's 16 MiB of VGA memory (vgamem, after vram)."""
    for model in (m for v in videos for m in v.iterchildren("model")):
        if model.get("type") != "qxl" or model.get("vgamem") is not None:
            continue
        attrs = list(model.attrib.items())
        model.attrib.clear()
        for key, value in attrs:
            model.set(key, value)
            if key == "vram":
                model.set("vgamem", "16384")
        if model.get("vgamem") is None:
            model.set("vgamem", "16384")


def _default_audio(devices, present):
    """An audio backend for the guest: spice's with spice graphics, none
    otherwise; SDL and D-Bus displays bring their own (no default), and
    displays that are not remote desktops (egl-headless) want none.
    *present* is the guest's devices by tag."""
    if "audio" in present:
        return
    kinds = [g.get("type") for g in present.get("graphics", ())]
    if "sdl" in kinds or "dbus" in kinds:
        return
    if kinds and not {"vnc", "spice"} & set(kinds):
        return
    kind = "spice" if "spice" in kinds else "none"
    present["audio"] = [insert_device(devices, devices.makeelement("audio", id="1", type=kind))]


def insert_device(devices, elem):
    """Insert *elem* after the last device of its kind or of an earlier kind
    (libvirt's order of <devices>, xmlconf/domain_order.py)."""
    ranks = _device_ranks()
    rank = ranks.get(elem.tag, len(ranks))
    position = len(devices)
    for child in reversed(devices):
        if ranks.get(child.tag, rank + 1) <= rank:
            break
        position -= 1
    devices.insert(position, elem)
    return elem


@functools.lru_cache(maxsize=None)
def _device_ranks():
    return child_rank("domain/devices")


def _devices(root):
    devices = next(root.iterchildren("devices"), None)
    if devices is None:
        devices = etree.SubElement(root, "devices")
    return devices


def _default_cpu_model(root, arch):
    """x86 guests without a CPU model get the emulator's default one
    (qemu64 of qemu-system-x86_64, qemu32 of qemu-system-i386); the
    guest's <cpu>."""
    cpu = root.find("cpu")
    if cpu is not None and (cpu.get("mode", "custom") != "custom"
                            or cpu.find("model") is not None):
        return cpu
    if cpu is None:
        cpu = root.makeelement("cpu", mode="custom", match="exact", check="none")
        anchor = root.find("features")
        (root.find("os") if anchor is None else anchor).addnext(cpu)
    else:
        rest = dict(cpu.attrib)
        cpu.attrib.clear()
        cpu.set("mode", "custom")
        cpu.set("match", rest.pop("match", "exact"))
        cpu.set("check", rest.pop("check", "none"))
        rest.pop("mode", None)
        for key, value in rest.items():
            cpu.set(key, value)
    model = cpu.makeelement("model", fallback="forbid")
    model.text = "qemu64" if arch == "x86_64" else "qemu32"
    cpu.insert(0, model)
    return cpu


def _numa_cpus(root, cells):
    """vCPUs no NUMA cell (of *cells*) names belong to the first cell."""
    from virtsh.xmlconf import bitmap
    vcpus = (root.findtext("vcpu") or "").strip()
    if not vcpus.isdigit() or any(c.get("cpus") is None for c in cells):
        return
    named = set()
    for cell in cells:
        named |= set(bitmap.parse(cell.get("cpus")))
    missing = set(range(int(vcpus))) - named
    if missing:
        first = set(bitmap.parse(cells[0].get("cpus"))) | missing
        cells[0].set("cpus", bitmap.format(sorted(first)))


def _memory_from_numa(root, cells, raw):
    """With NUMA cells (*cells*), the memory size is theirs plus the
    DIMMs'; the current size is that too unless the document (*raw*)
    gave a smaller one."""
    from virtsh.drivers.qemu.command import scale_kib
    memory = root.find("memory")
    if memory is None:
        return
    total = sum(scale_kib(int(c.get("memory", "0")), c.get("unit", "KiB")) for c in cells)
    for size in root.findall("devices/memory/target/size"):
        total += scale_kib(int(size.text), size.get("unit", "KiB"))
    memory.text = str(total)
    memory.set("unit", "KiB")
    current = root.find("currentMemory")
    written = raw.find("currentMemory") if raw is not None else None
    if written is not None:
        from virtsh.xmlconf.numbers import scaled_kib
        total = min(total, scaled_kib(written.text, written.get("unit"), "currentMemory")
                    or total)               # 0 is "not set"
    if current is not None:
        current.text = str(total)
        current.set("unit", "KiB")
    _dimm_slots(root.find("devices"))


def _dimm_slots(devices):
    """DIMM and NVDIMM devices without an address take the first free slot."""
    if devices is None:
        return
    dimms = [m for m in devices.findall("memory") if m.get("model") in ("dimm", "nvdimm")]
    taken = {int(a.get("slot")) for m in dimms for a in m.findall("address")
             if a.get("type") == "dimm" and (a.get("slot") or "").isdigit()}
    for dimm in dimms:
        if dimm.find("address") is not None:
            continue
        slot = 0
        while slot in taken:
            slot += 1
        taken.add(slot)
        etree.SubElement(dimm, "address", type="dimm", slot=str(slot))


def _cpu_check(root, cpu, caps):
    """How strictly the guest CPU (*cpu*) is checked, when the definition
    says not: none for host-passthrough (and TCG custom models), partial
    otherwise."""
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
    return _first_controller(devices.iterchildren("controller"), type_, index)


def _first_controller(controllers, type_, index="0"):
    for c in controllers:
        if c.get("type") == type_ and c.get("index", "0") == index:
            return c
    return None


def add_controller(devices, type_, index="0", model=None, before=(), by_index=True):
    """Add a controller where libvirt would: ahead of the first one of its
    type with a higher index (unless not *by_index*), else after all
    controllers (but ahead of those in *before*)."""
    elem = devices.makeelement("controller", type=type_, index=index)
    if model:
        elem.set("model", model)
    higher = [c for c in devices.findall("controller") if c.get("type") == type_
              and int(c.get("index", "0")) > int(index)] if by_index else []
    if higher:
        higher[0].addprevious(elem)
    elif before:
        before[0].addprevious(elem)
    else:
        insert_device(devices, elem)
    return elem


def _implied_controllers(controllers, raw):
    """The *controllers* that the written document did not have."""
    if raw is None:
        return []
    explicit, unnumbered = set(), {}
    for c in raw.iter("controller"):
        if c.get("index") is None:          # numbered by the parser, in order
            unnumbered[c.get("type")] = unnumbered.get(c.get("type"), 0) + 1
        else:
            explicit.add((c.get("type"), c.get("index")))
    implied = []
    for c in controllers:
        kind = c.get("type")
        if (kind, c.get("index", "0")) in explicit:
            continue
        if unnumbered.get(kind):
            unnumbered[kind] -= 1
            continue
        implied.append(c)
    return implied


def _nvram_path(root, os_elem, nvram_dir):
    """Give a read-only pflash loader (old-style UEFI) its own variable
    store, NAME_VARS.fd in the driver's nvram directory, when the
    definition (its <os>, *os_elem*) names none."""
    loader = next(os_elem.iterchildren("loader"), None)
    if loader is None or loader.get("type") != "pflash" or loader.get("readonly") != "yes" \
            or loader.get("stateless") == "yes":
        return
    nvram = os_elem.find("nvram")
    if nvram is None:
        nvram = etree.Element("nvram")
        loader.addnext(nvram)
    if nvram.get("type") in (None, "file") and not (nvram.text or "").strip() and len(nvram) == 0:
        nvram.text = "%s/%s_VARS.fd" % (nvram_dir, root.findtext("name"))


def _controllers(devices, controllers, machine, implied):
    """The machine's own controllers (USB, SATA on q35, the PCI root),
    added to *devices* when *controllers* (those it had) lack them."""
    q35 = is_q35(machine)
    usb = _machine_controller(devices, controllers, "usb", implied,
                              model="qemu-xhci" if q35 else "piix3-uhci")
    if usb.get("model") is None:
        # a controller the document asked for gets the legacy model even
        # on q35; only the one the driver adds for q35 itself is an xHCI
        usb.set("model", "piix3-uhci")
    if q35:
        _machine_controller(devices, controllers, "sata", implied)
    _machine_controller(devices, controllers, "pci", implied,
                        model="pcie-root" if q35 else "pci-root")
    for scsi in controllers:
        if scsi.get("type") == "scsi" and scsi.get("model") is None:
            scsi.set("model", "lsilogic")


def _machine_controller(devices, controllers, type_, implied, model=None):
    """The guest's controller *type_* 0, added when the document has none
    (of *controllers*: each type's step changes only its own type):
    after the declared controllers (whatever their index) and ahead of
    those the generic step implied, as libvirt's driver step runs first
    (one the generic step added gives way to the driver's)."""
    found = _first_controller(controllers, type_)
    if found is not None and found not in implied:
        return found
    if found is not None:
        implied.remove(found)
        devices.remove(found)
    return add_controller(devices, type_, model=model, before=implied, by_index=False)


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


def _disks(devices, disks, machine):
    """Disk buses, drivers and drive addresses (with the controllers
    those need) for *disks*."""
    q35 = is_q35(machine)
    for disk in disks:
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


def _nics(nics):
    for nic in nics:
        if nic.find("mac") is None:
            nic.insert(0, etree.Element("mac", address=random_mac()))
        if nic.find("model") is None and nic.get("type") != "hostdev":
            mac = nic.find("mac")
            # a vDPA device is virtio by nature; others get the emulated default
            model = etree.Element("model", type="virtio" if nic.get("type") == "vdpa"
                                  else "rtl8139")
            after = nic.find("target") if nic.find("target") is not None else \
                nic.find("source") if nic.find("source") is not None else mac
            after.addnext(model)


def _serial_console(devices, present):
    """Serial ports get their target; the first console of a guest
    without serial ports brings one (added to *present*, the devices by
    tag)."""
    serials = present.get("serial", ())
    for serial in serials:
        _serial_target(serial)
    consoles = present.get("console", ())
    if consoles and not serials:
        first = consoles[0]
        target = first.find("target")
        if target is None or target.get("type", "serial") == "serial":
            serial = etree.Element("serial", type=first.get("type", "pty"))
            for child in first:
                if child.tag in ("source", "protocol", "log"):
                    serial.append(etree.fromstring(etree.tostring(child)))
            present["serial"] = [insert_device(devices, serial)]
            _serial_target(serial)
    for console in consoles:
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
    model = _SERIAL_TARGET_MODELS.get(target.get("type"))
    if target.find("model") is None and model:
        etree.SubElement(target, "model", name=model)


# The device model behind each x86 serial target type.
_SERIAL_TARGET_MODELS = {"isa-serial": "isa-serial", "isa-debug": "isa-debugcon",
                         "pci-serial": "pci-serial", "usb-serial": "usb-serial"}


def _inputs(devices, present):
    """x86 guests have a PS/2 mouse and keyboard (added to *present*)."""
    inputs = present.setdefault("input", [])
    kinds = {(i.get("type"), i.get("bus")) for i in inputs}
    for kind in ("mouse", "keyboard"):
        if (kind, "ps2") not in kinds:
            ps2 = devices.makeelement("input", type=kind, bus="ps2")
            inputs.append(insert_device(devices, ps2))


def _graphics(graphics):
    """Autoport graphics get port -1 (the listen address is filled in at
    start, from qemu.conf, as libvirt does)."""
    for g in graphics:
        if g.get("type") != "vnc" or g.find("listen[@type='socket']") is not None:
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

def _virtio_serial_ports(devices, channels):
    """virtio channels (of *channels*) without a port get the next free
    one of their virtio-serial controller (0 unless their address names
    another)."""
    channels = [c for c in channels
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
        if addr is not None and addr.get("controller") is not None:
            controller = addr.get("controller")
            port = _free_port(used.setdefault(controller, set()), 1 << 30)
        else:
            controller, port = _free_virtio_serial_port(devices, used)
        used.setdefault(controller, set()).add(port)
        if addr is None:
            addr = etree.SubElement(channel, "address", type="virtio-serial")
        addr.set("controller", controller)
        addr.set("bus", "0")            # a controller's ports are all on bus 0
        addr.set("port", str(port))


VIRTIO_SERIAL_PORTS = 31      # a virtio-serial controller's ports by default
CHANNEL_TARGET_DIR = "/var/lib/libvirt/qemu/channel/target"


def _drop_default_channel_paths(channels, conf):
    """Forget the socket path of a virtio unix channel when it is one the
    driver would generate at start (libvirt's test: the channel directory
    followed by "NAME." or, anywhere in the path, "domain-X/" and the
    target name), so a renamed or moved guest gets a fresh one."""
    import re
    base = re.escape(conf.get("channel_target_dir", CHANNEL_TARGET_DIR))
    for channel in channels:
        target, source = channel.find("target"), channel.find("source")
        if channel.get("type") != "unix" or target is None or target.get("type") != "virtio" \
                or not target.get("name") or source is None or not source.get("path"):
            continue
        pattern = "^%s/([^/]+\\.)|(domain-[^/]+/)%s$" % (base, re.escape(target.get("name")))
        if re.search(pattern, source.get("path")) and len(source) == 0:
            channel.remove(source)


def _free_port(taken, limit):
    port = 1                    # port 0 is the console's
    while port in taken and port < limit:
        port += 1
    return port if port < limit else None


def _free_virtio_serial_port(devices, used):
    """(controller index, port) of the first free port of the guest's
    virtio-serial controllers; a new controller when all are full."""
    controllers = sorted((int(c.get("index", "0")), c) for c in
                         devices.findall("controller[@type='virtio-serial']"))
    for index, c in controllers:
        port = _free_port(used.get(str(index), set()),
                          int(c.get("ports", VIRTIO_SERIAL_PORTS)))
        if port is not None:
            return str(index), port
    index = controllers[-1][0] + 1 if controllers else 0
    from virtsh.xmlconf.defaults_disks import add_controller
    add_controller(devices, "virtio-serial", index)
    return str(index), 1


# Ports of USB controller models (their root hub).
_USB_PORTS = {"piix3-uhci": 2, "piix4-uhci": 2, "ich9-ehci1": 6, "qemu-xhci": 4,
              "nec-xhci": 4, "ich9-uhci1": 6}


HUB_PORTS = 8                   # ports of a usb-hub


# The kinds of device that can sit on USB, in the order libvirt gives them
# ports, and whether one of them does.
_USB_KINDS = (("hub", lambda d: d.get("type") == "usb"),
              ("hostdev", lambda d: d.get("type") == "usb"),
              ("disk", lambda d: d.find("target") is not None
               and d.find("target").get("bus") == "usb"),
              ("controller", lambda d: d.get("type") == "ccid"),
              ("input", lambda d: d.get("bus") == "usb"),
              ("serial", lambda d: d.find("target") is not None
               and d.find("target").get("type") == "usb-serial"),
              ("sound", lambda d: d.get("model") == "usb"),
              ("redirdev", lambda d: d.get("bus") == "usb"))


def _usb_devices(present):
    """Devices on USB (of *present*, the devices by tag), in libvirt's
    assignment order."""
    return [d for tag, on_usb in _USB_KINDS for d in present.get(tag, ()) if on_usb(d)]


def _usb_ports(devices, present):
    """USB devices without an address get the first free port of bus 0:
    a free port of the root hub, else (breadth first) of the hubs on it;
    a hub, once placed, offers its 8 ports ("1.1" ... "1.8")."""
    controllers = present.get("controller", ())
    usb = _first_controller(controllers, "usb")
    if usb is None or usb.get("model") == "none":
        return
    capacity = int(usb.get("ports") or _USB_PORTS.get(usb.get("model"), 0))
    on_usb = _usb_devices(present)
    if not on_usb and capacity >= 0:
        return                          # no port to give, no hub to add
    if _add_usb_hubs(devices, capacity, on_usb):
        on_usb = _usb_devices(by_tag(devices))
    used, hubs = _reserved_usb_ports(controllers, capacity, on_usb)
    for dev in on_usb:
        addr = dev.find("address")
        if addr is not None and (addr.get("type") != "usb" or addr.get("port")):
            continue
        port = _free_usb_port("", capacity, used, hubs)
        if port is None:
            return
        used.add(port)
        if dev.tag == "hub":
            hubs[port] = HUB_PORTS
        if addr is None:
            addr = etree.SubElement(dev, "address", type="usb", bus="0")
        addr.set("port", port)


def _reserved_usb_ports(controllers, root_ports, on_usb):
    """The ports the bus 0 devices of *on_usb* ask for ({port}, {hub port:
    its ports}); libvirt's errors for a missing bus (of the USB
    *controllers*), a port that does not exist and a port asked for twice."""
    buses = {c.get("index", "0") for c in controllers if c.get("type") == "usb"}
    used, hubs = set(), {}
    for dev in on_usb:
        addr = dev.find("address")
        if addr is None or addr.get("type") != "usb":
            continue
        bus = addr.get("bus", "0")
        if bus not in buses:
            raise VirtError(XML_ERROR, "USB bus %s requested but no controller with "
                            "that index is present" % bus)
        port = addr.get("port")
        if bus != "0" or not port:
            continue
        *parents, last = port.split(".")
        prefix = ".".join(parents)
        limit = hubs.get(prefix) if parents else root_ports
        if limit is None or not last.isdigit() or not 1 <= int(last) <= limit:
            raise VirtError(XML_ERROR, "requested USB port %s not present on USB bus %s"
                            % (port, bus))
        if port in used:
            raise VirtError(XML_ERROR, "Duplicate USB address bus %s port %s" % (bus, port))
        used.add(port)
        if dev.tag == "hub":
            hubs[port] = HUB_PORTS
    return used, hubs


def _add_usb_hubs(devices, root_ports, on_usb):
    """Add the hubs the guest's USB devices (*on_usb*) need when they
    outnumber the ports there are (each new hub takes one port and offers
    8); whether it added any."""
    hubs = sum(1 for d in on_usb if d.tag == "hub")
    available = root_ports + HUB_PORTS * hubs
    if len(on_usb) <= available:
        return False
    for _ in range(-(-(len(on_usb) - available + 1) // (HUB_PORTS - 1))):
        insert_device(devices, etree.Element("hub", type="usb"))
    return True


def _free_usb_port(prefix, capacity, used, hubs):
    """The first free port under the hub at *prefix* ("" is the root)."""
    ports = [prefix + str(n) for n in range(1, capacity + 1)]
    for port in ports:
        if port not in used:
            return port
    for port in ports:
        if port in hubs:
            found = _free_usb_port(port + ".", hubs[port], used, hubs)
            if found is not None:
                return found
    return None


# --- PCI addresses ----------------------------------------------------------

def _pci_addresses(devices, q35, present):
    """PCI addresses for every device on PCI, with the controllers they
    need (libvirt appends those it adds after the other controllers)."""
    def append(devs, type_, index, model):
        return add_controller(devs, type_, index, model=model, by_index=False)
    pcibuses.assign(devices, q35, append, present)


# The register each kind of spapr-vio device starts from (QEMU's defaults).
_SPAPR_VIO_REGS = (("interface", 0x1000), ("controller", 0x2000), ("serial", 0x30000000),
                   ("nvram", 0x3000), ("tpm", 0x4000))


def _spapr_vio_addresses(devices, present):
    """spapr-vlan NICs and ibmvscsi controllers sit on the spapr-vio bus;
    a device there without a register gets the first free one from its
    kind's default, 0x1000 apart; a register given twice is an error.
    *present* is the guest's devices by tag."""
    def vio_address(dev):
        addr = dev.find("address")
        return addr if addr is not None and addr.get("type") == "spapr-vio" else None
    any_vio = any(a.get("type") == "spapr-vio" for a in devices.iter("address"))
    for tag, default in _SPAPR_VIO_REGS:
        for dev in present.get(tag, ()):
            if not any_vio and model_of(dev) not in ("spapr-vlan", "ibmvscsi"):
                continue                # neither on the bus nor meant for it
            addr = dev.find("address")
            if addr is None and model_of(dev) in ("spapr-vlan", "ibmvscsi"):
                addr = etree.SubElement(dev, "address", type="spapr-vio")
            elif addr is None or addr.get("type") != "spapr-vio":
                continue
            taken = {int(other.get("reg"), 16) for other in
                     (vio_address(d) for d in devices if isinstance(d.tag, str) and d is not dev)
                     if other is not None and other.get("reg") is not None}
            if addr.get("reg") is not None:
                if int(addr.get("reg"), 16) in taken:
                    raise VirtError(XML_ERROR, "spapr-vio address %#x already in use"
                                    % int(addr.get("reg"), 16))
                continue
            reg = default
            while reg in taken:
                reg += 0x1000
            addr.set("reg", "0x%08x" % reg)
