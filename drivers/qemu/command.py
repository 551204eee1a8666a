"""The QEMU command line of a domain: a pure function of its definition.

``build(root, caps, runtime)`` turns the (defaults-applied) <domain> tree
and the emulator's capabilities into an argv list, in libvirt's layout
(``-device`` options as JSON, ``-blockdev`` node names, ids like
``net0``/``serial0``), so ``domxml-to-native`` output compares with
libvirt's.  Nothing here runs anything or touches the disk.
"""
from virtsh.drivers.errors import VirtError, CONFIG_UNSUPPORTED
from virtsh.drivers.qemu import jsontext


class Runtime:
    """What only a start knows: monitor file descriptors, accelerator."""

    def __init__(self, events_fd=None, command_fd=None, monitor_path=None,
                 kvm=True, conf=None):
        self.events_fd = events_fd          # listening socket (supervisor)
        self.command_fd = command_fd        # listening socket (commands)
        self.monitor_path = monitor_path    # or a path (domxml-to-native)
        self.kvm = kvm
        self.conf = conf or {}              # qemu.conf (display passwords, TLS)


def _js(obj):
    return jsontext.dumps(obj, compact=True)


def memory_kib(root, tag="memory"):
    elem = root.find(tag)
    if elem is None or not (elem.text or "").strip():
        return None
    return scale_kib(int(elem.text.strip()), elem.get("unit", "KiB"))


_UNITS = {"b": 1, "bytes": 1, "k": 1024, "kib": 1024, "kb": 1000,
          "m": 1024 ** 2, "mib": 1024 ** 2, "mb": 1000 ** 2,
          "g": 1024 ** 3, "gib": 1024 ** 3, "gb": 1000 ** 3,
          "t": 1024 ** 4, "tib": 1024 ** 4, "tb": 1000 ** 4}


def scale_kib(value, unit):
    return value * _UNITS.get(unit.lower(), 1024) // 1024


def _pci_bus(addr, root_bus):
    bus = int(addr.get("bus", "0"), 16)
    slot = int(addr.get("slot", "0"), 16)
    func = int(addr.get("function", "0"), 16)
    out = {"bus": "pci.%d" % bus if bus else root_bus}
    if addr.get("multifunction") == "on":
        out["multifunction"] = True             # libvirt's order: ahead of addr
    out["addr"] = "0x%x" % slot if func == 0 else "0x%x.0x%x" % (slot, func)
    return out


def _placement(dev):
    """The bus and addr properties of a device on PCI."""
    addr = dev.find("address")
    if addr is not None and addr.get("type") == "pci":
        root = dev.getroottree().getroot()
        machine = root.find("os/type").get("machine", "")
        return _pci_bus(addr, "pcie.0" if "q35" in machine else "pci.0")
    return {}


def _pflash(os_elem):
    """-blockdev pairs (storage, format) of a pflash loader and its NVRAM
    store: flash 0 the firmware code, flash 1 the guest's variables."""
    loader = os_elem.find("loader") if os_elem is not None else None
    if loader is None or loader.get("type") != "pflash" or not (loader.text or "").strip():
        return []
    nvram = os_elem.find("nvram")
    flashes = [(loader.text.strip(), loader.get("readonly") == "yes")]
    if nvram is not None and (nvram.text or "").strip() and nvram.get("type") in (None, "file"):
        flashes.append((nvram.text.strip(), False))
    args = []
    for i, (path, readonly) in enumerate(flashes):
        node = "libvirt-pflash%d" % i
        args += ["-blockdev", _js({"driver": "file", "filename": path,
                                   "node-name": node + "-storage", "auto-read-only": True,
                                   "discard": "unmap"}),
                 "-blockdev", _js({"node-name": node + "-format", "read-only": readonly,
                                   "driver": "raw", "file": node + "-storage"})]
    return args


def build(root, caps, runtime):
    """The argv (list of str) that starts the domain *root*."""
    argv = [caps["emulator"]]
    add = argv.extend
    name = root.findtext("name")
    add(["-name", "guest=%s,debug-threads=on" % name.replace(",", ",,"), "-S"])
    os_type = root.find("os/type")
    machine = os_type.get("machine")
    ram_id = "pc.ram" if machine.startswith("pc") else "ram"
    pflash = _pflash(root.find("os"))
    add(pflash)
    add(["-machine", "%s,usb=off,dump-guest-core=off,memory-backend=%s%s"
         % (machine, ram_id, "".join(",pflash%d=libvirt-pflash%d-format" % (i, i)
                                     for i in range(len(pflash) // 4)))])
    kvm = root.get("type") == "kvm"
    if kvm and not runtime.kvm:
        raise VirtError(CONFIG_UNSUPPORTED,
                        "Domain requires KVM, but it is not available. "
                        "Check that virtualization is enabled in the host "
                        "BIOS, and host configuration is setup to load the "
                        "kvm modules.")
    add(["-accel", "kvm" if kvm else "tcg"])
    cpu = root.find("cpu")
    if cpu is not None:
        mode = cpu.get("mode", "custom")
        model = cpu.findtext("model")
        if mode == "host-passthrough" or (mode == "host-model" and kvm):
            add(["-cpu", "host"])
        elif model:
            add(["-cpu", model])
    mem = -(-memory_kib(root) // 1024) * 1024     # QEMU takes whole MiB on x86
    add(["-m", str(mem // 1024),
         "-object", _js({"qom-type": "memory-backend-ram", "id": ram_id,
                         "size": mem * 1024}),
         "-overcommit", "mem-lock=off"])
    vcpus = int(root.findtext("vcpu", "1").strip())
    current = root.find("vcpu").get("current") if root.find("vcpu") is not None else None
    smp = "%d" % int(current) if current else "%d" % vcpus
    if current:
        smp += ",maxcpus=%d" % vcpus
    add(["-smp", "%s,sockets=%d,cores=1,threads=1" % (smp, vcpus)])
    from virtsh.drivers.qemu.iothreads import iothread_ids
    for ident in iothread_ids(root):
        add(["-object", _js({"qom-type": "iothread", "id": "iothread%d" % ident})])
    add(["-uuid", root.findtext("uuid")])
    devices = root.find("devices")
    if devices.find("graphics") is None:
        add(["-display", "none"])
    add(["-no-user-config", "-nodefaults"])
    add(_monitors(runtime))
    offset = (root.find("clock").get("offset") if root.find("clock") is not None
              else "utc")
    add(["-rtc", "base=%s" % ("localtime" if offset == "localtime" else "utc")])
    add(["-no-shutdown"])
    if root.find("features/acpi") is None:
        add(["-no-acpi"])
    if root.findtext("on_reboot", "restart").strip() == "destroy":
        add(["-no-reboot"])
    _boot(root, add)
    controllers = devices.findall("controller")
    pci = sorted((c for c in controllers if c.get("type") == "pci"),
                 key=lambda c: int(c.get("index", "0")))
    for c in pci + [c for c in controllers if c.get("type") != "pci"]:
        add(_controller(c))
    _disks(root, devices, add)
    for i, nic in enumerate(devices.findall("interface")):
        add(_nic(nic, i))
    for i, serial in enumerate(devices.findall("serial")):
        add(_serial(serial, i))
    for i, channel in enumerate(devices.findall("channel")):
        add(_channel(channel, i))
    audio_id = None
    audio = devices.find("audio")
    if audio is not None:
        audio_id = "audio%s" % audio.get("id", "1")
        add(["-audiodev", _js({"id": audio_id, "driver": audio.get("type", "none")})])
    for g in devices.findall("graphics"):
        add(_graphics(g, audio_id, runtime.conf))
    for i, video in enumerate(devices.findall("video")):
        add(_video(video, i))
    from virtsh.drivers.qemu import usbredir
    for i, redir in enumerate(devices.findall("redirdev[@bus='usb']")):
        dev = usbredir.device(redir, i)
        add(["-chardev", usbredir.backend(redir, dev["chardev"]), "-device", _js(dev)])
    balloon = devices.find("memballoon")
    if balloon is not None and balloon.get("model") == "virtio":
        dev = {"driver": "virtio-balloon-pci", "id": "balloon0"}
        dev.update(_placement(balloon))
        add(["-device", _js(dev)])
    add(["-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,"
                     "resourcecontrol=deny",
         "-msg", "timestamp=on"])
    from virtsh.drivers.qemu import qemuns
    add(qemuns.extra_args(root))
    return argv


def _monitors(runtime):
    out = []
    if runtime.events_fd is not None:
        out += ["-chardev", "socket,id=charevents,fd=%d,server=on,wait=off" % runtime.events_fd,
                "-mon", "chardev=charevents,id=events,mode=control"]
    if runtime.command_fd is not None:
        where = "fd=%d" % runtime.command_fd
    else:
        where = "path=%s" % runtime.monitor_path
    out += ["-chardev", "socket,id=charmonitor,%s,server=on,wait=off" % where,
            "-mon", "chardev=charmonitor,id=monitor,mode=control"]
    return out


def _boot(root, add):
    if root.find("os/boot") is not None or root.find("os/kernel") is None:
        menu = root.find("os/bootmenu")
        bios = root.find("os/bios")
        opts = []
        if menu is not None and menu.get("enable") in ("yes", "no"):
            opts.append("menu=%s" % ("on" if menu.get("enable") == "yes" else "off"))
        if bios is not None and bios.get("rebootTimeout") is not None:
            opts.append("reboot-timeout=%s" % bios.get("rebootTimeout"))
        if menu is not None and menu.get("timeout") is not None:
            opts.append("splash-time=%s" % menu.get("timeout"))
        add(["-boot", ",".join(opts + ["strict=on"])])
    kernel = root.findtext("os/kernel")
    if kernel:
        add(["-kernel", kernel])
        initrd = root.findtext("os/initrd")
        if initrd:
            add(["-initrd", initrd])
        cmdline = root.findtext("os/cmdline")
        if cmdline:
            add(["-append", cmdline])


_USB_DRIVERS = {"piix3-uhci": "piix3-usb-uhci", "qemu-xhci": "qemu-xhci",
                "nec-xhci": "nec-usb-xhci", "ich9-ehci1": "ich9-usb-ehci1"}


def _controller(c):
    kind, model, index = c.get("type"), c.get("model"), c.get("index", "0")
    from virtsh.drivers.qemu.usbredir import companion
    if kind == "usb" and model in _USB_DRIVERS:
        dev = {"driver": _USB_DRIVERS[model], "id": "usb" if index == "0" else "usb%s" % index}
    elif kind == "usb" and companion(c):
        dev = companion(c)
    elif kind == "scsi":
        driver = {"virtio-scsi": "virtio-scsi-pci", "lsilogic": "lsi"}.get(model or "lsilogic", model)
        dev = {"driver": driver, "id": "scsi%s" % index}
    elif kind == "pci":
        dev = _pci_controller(c, model, index)
        if dev is None:
            return []
    elif kind == "virtio-serial":
        dev = {"driver": "virtio-serial-pci", "id": "virtio-serial%s" % index}
    else:
        return []
    dev.update(_placement(c))
    return ["-device", _js(dev)]


def _pci_controller(c, model, index):
    """The -device of a PCI controller that is a QEMU device (the roots are
    the machine's own): its <model name>, then what it takes from <target>."""
    name = c.find("model").get("name") if c.find("model") is not None else None
    target = c.find("target")
    if name is None:
        return None
    dev = {"driver": name}
    if model in ("pcie-root-port", "pcie-switch-downstream-port"):
        if target is None or target.get("port") is None or target.get("chassis") is None:
            return None
        dev.update(port=int(target.get("port"), 16), chassis=int(target.get("chassis")))
    elif model == "pci-bridge" and target is not None and target.get("chassisNr"):
        dev["chassis_nr"] = int(target.get("chassisNr"))
    elif model in ("pci-expander-bus", "pcie-expander-bus") and target is not None:
        dev["bus_nr"] = int(target.get("busNr"))
    dev["id"] = "pci.%s" % index
    node = (target.findtext("node") or "").strip() if target is not None else ""
    if node and model in ("pci-expander-bus", "pcie-expander-bus"):
        dev["numa_node"] = int(node)
    return dev


def _disks(root, devices, add):
    disks = devices.findall("disk")
    boot_disk = root.find("os/boot[@dev='hd']") is not None
    boot_cd = root.find("os/boot[@dev='cdrom']") is not None
    node = len([d for d in disks if _source(d)])
    for disk in disks:
        target = disk.find("target")
        bus, dev = target.get("bus"), target.get("dev")
        device = disk.get("device", "disk")
        source = _source(disk)
        readonly = disk.find("readonly") is not None or device == "cdrom"
        fmt = disk.find("driver").get("type", "raw") if disk.find("driver") is not None else "raw"
        drive = None
        if source:
            storage = "libvirt-%d-storage" % node
            drive = "libvirt-%d-format" % node
            node -= 1
            add(["-blockdev", _js({"driver": "host_device" if disk.get("type") == "block" else "file",
                                   "filename": source, "node-name": storage,
                                   "auto-read-only": True, "discard": "unmap"}),
                 "-blockdev", _js({"node-name": drive, "read-only": readonly,
                                   "driver": fmt, "file": storage})])
        addr = disk.find("address")
        if bus == "virtio":
            spec = {"driver": "virtio-blk-pci"}
            spec.update(_placement(disk))
            if drive:
                spec["drive"] = drive
            spec["id"] = "virtio-disk%d" % _index(dev)
        elif bus in ("ide", "sata"):
            ctl, unit = int(addr.get("controller", "0")), int(addr.get("unit", "0"))
            busno = int(addr.get("bus", "0"))
            spec = {"driver": "ide-cd" if device == "cdrom" else "ide-hd",
                    "bus": "ide.%d" % (busno if bus == "ide" else unit),
                    "unit": unit if bus == "ide" else 0}
            if drive:
                spec["drive"] = drive
            spec["id"] = "%s%d-%d-%d" % ("ide" if bus == "ide" else "sata", ctl, busno, unit)
        elif bus == "scsi":
            unit = int(addr.get("unit", "0"))
            spec = {"driver": "scsi-cd" if device == "cdrom" else "scsi-hd",
                    "bus": "scsi%s.0" % addr.get("controller", "0"),
                    "scsi-id": unit, "device_id": "drive-scsi0-0-0-%d" % unit}
            if drive:
                spec["drive"] = drive
            spec["id"] = "scsi0-0-0-%d" % unit
        else:
            raise VirtError(CONFIG_UNSUPPORTED, "disk bus '%s' is not supported" % bus)
        if (boot_disk and device == "disk") or (boot_cd and device == "cdrom"):
            spec["bootindex"] = 1
            boot_disk = boot_disk and device != "disk"
            boot_cd = boot_cd and device != "cdrom"
        add(["-device", _js(spec)])


def _source(disk):
    src = disk.find("source")
    if src is None:
        return None
    return src.get("file") or src.get("dev")


def _index(dev):
    stem = dev[2:]
    n = 0
    for ch in stem:
        n = n * 26 + ord(ch) - ord("a") + 1
    return n - 1


_NIC_DRIVERS = {"virtio": "virtio-net-pci", "e1000": "e1000", "e1000e": "e1000e",
                "rtl8139": "rtl8139"}


def _nic(nic, i):
    kind = nic.get("type")
    if kind == "user":
        netdev = {"type": "user", "id": "hostnet%d" % i}
    elif kind in ("ethernet", "network", "bridge"):
        target = nic.find("target")
        dev = target.get("dev") if target is not None else None
        if kind == "ethernet" and not dev:
            raise VirtError(CONFIG_UNSUPPORTED, "ethernet interface needs a target device")
        # a network or bridge NIC has its tap named at start (not by to-native)
        netdev = {"type": "tap", "ifname": dev, "script": "no", "downscript": "no",
                  "id": "hostnet%d" % i} if dev else {"type": "tap", "id": "hostnet%d" % i}
    else:
        raise VirtError(CONFIG_UNSUPPORTED,
                        "interface type '%s' is not supported by this driver" % kind)
    model = nic.find("model").get("type") if nic.find("model") is not None else "rtl8139"
    dev = {"driver": _NIC_DRIVERS.get(model, model), "netdev": "hostnet%d" % i,
           "id": "net%d" % i, "mac": nic.find("mac").get("address")}
    dev.update(_placement(nic))
    return ["-netdev", _js(netdev), "-device", _js(dev)]


def _serial(serial, i):
    kind = serial.get("type", "pty")
    chardev = "charserial%d" % i
    if kind == "pty":
        backend = "pty,id=%s" % chardev
    elif kind == "file":
        backend = "file,id=%s,path=%s" % (chardev, serial.find("source").get("path"))
    elif kind == "null":
        backend = "null,id=%s" % chardev
    elif kind == "unix":
        source = serial.find("source")
        backend = "socket,id=%s,path=%s" % (chardev, source.get("path"))
        if source.get("mode", "bind") == "bind":
            backend += ",server=on,wait=off"
    else:
        raise VirtError(CONFIG_UNSUPPORTED, "serial type '%s' is not supported" % kind)
    port = int(serial.find("target").get("port", str(i)))
    return ["-chardev", backend,
            "-device", _js({"driver": "isa-serial", "chardev": chardev,
                            "id": "serial%d" % i, "index": port})]


def _channel(channel, i):
    """A virtio channel: its socket chardev and its virtio-serial port
    (other channel kinds are not supported yet and add nothing)."""
    target, source = channel.find("target"), channel.find("source")
    if target is None or target.get("type") != "virtio":
        return []
    chardev = "charchannel%d" % i
    name = target.get("name")
    if channel.get("type") == "spicevmc":         # the SPICE agent's channel
        backend = "spicevmc,id=%s,name=vdagent" % chardev
        name = name or "com.redhat.spice.0"
    elif channel.get("type") == "unix" and source is not None and source.get("path"):
        backend = "socket,id=%s,path=%s" % (chardev, source.get("path"))
        if source.get("mode", "bind") == "bind":
            backend += ",server=on,wait=off"
    else:
        return []
    addr = channel.find("address")
    port = {"driver": "virtserialport",
            "bus": "virtio-serial%s.%s" % (addr.get("controller", "0"), addr.get("bus", "0")),
            "nr": int(addr.get("port")), "chardev": chardev, "id": "channel%d" % i}
    if name:
        port["name"] = name
    return ["-chardev", backend, "-device", _js(port)]


def _graphics(g, audio_id, conf):
    kind = g.get("type")
    if kind == "vnc":
        return _vnc(g, audio_id, conf)
    if kind == "spice":
        from virtsh.drivers.qemu.spiceargs import spice_option
        return ["-spice", spice_option(g, conf)]
    raise VirtError(CONFIG_UNSUPPORTED, "graphics type '%s' is not supported" % kind)


def escape_commas(text):
    """A value inside a QEMU option list (a comma doubles)."""
    return text.replace(",", ",,")


def _vnc(g, audio_id, conf):
    listen = g.find("listen")
    kind = listen.get("type") if listen is not None else "address"
    if kind == "socket":
        display = "vnc=unix:%s" % escape_commas(listen.get("socket"))
    elif kind == "none":
        display = "none"
    else:
        address = (listen.get("address") if listen is not None else None) \
            or g.get("listen", "127.0.0.1")
        host = "[%s]" % address if ":" in address else address
        if g.get("autoport", "yes" if g.get("port", "-1") == "-1" else "no") == "yes":
            display = "%s:0,to=100" % host
        else:
            port = int(g.get("port", "0"))
            if not 5900 <= port <= 65535:
                raise VirtError(CONFIG_UNSUPPORTED, "vnc port must be in range [5900,65535]")
            display = "%s:%d" % (host, port - 5900)
    from virtsh.drivers.qemu.displays import password
    if kind != "none" and password(g, conf):
        display += ",password=on"
    if audio_id:
        display += ",audiodev=%s" % audio_id
    return ["-vnc", display]


_VIDEO_DRIVERS = {"cirrus": "cirrus-vga", "vga": "VGA", "virtio": "virtio-vga",
                  "qxl": "qxl-vga", "bochs": "bochs-display"}


def _video(video, i):
    model = video.find("model").get("type") if video.find("model") is not None else "cirrus"
    if model == "none":
        return []
    dev = {"driver": _VIDEO_DRIVERS.get(model, model), "id": "video%d" % i}
    if model == "qxl":
        dev.update(_qxl(video.find("model"), primary=i == 0))
    dev.update(_placement(video))
    return ["-device", _js(dev)]


def _qxl(model, primary):
    """The QXL card's outputs and memory sizes (KiB in the XML)."""
    def kib(name, default):
        return int(model.get(name, default))
    out = {"driver": "qxl-vga" if primary else "qxl",
           "max_outputs": int(model.get("heads", "1")),
           "ram_size": kib("ram", 65536) * 1024, "vram_size": kib("vram", 65536) * 1024,
           "vram64_size_mb": kib("vram64", 0) // 1024, "vgamem_mb": kib("vgamem", 16384) // 1024}
    resolution = model.find("resolution")
    if resolution is not None:
        out.update(xres=int(resolution.get("x")), yres=int(resolution.get("y")))
    return out
