"""libvirt's generic post-parse step for a canonical domain tree.

What libvirt fills in on every define, whatever the driver: memory sizes in
KiB, ``<vcpu placement='static'>``, the default boot device, clock and
lifecycle actions, controller indexes and the controllers devices imply,
drive addresses, the console that mirrors the first serial port, graphics
listens, the video device graphics need.  Each step is one small function;
``apply`` runs them in libvirt's order.
"""
from lxml import etree

from virtsh.drivers.errors import VirtError, XML_ERROR
from virtsh.xmlconf import bitmap, numbers
from virtsh.xmlconf.tree import attr, child, insert, set_attrs

DEV = "domain/devices"
# libvirt's VIR_DOMAIN_MEMORY_PARAM_UNLIMITED, in KiB: "no limit".
MEMORY_UNLIMITED = 9007199254740991


def apply(root):
    genid(root)
    memory(root)
    sizes(root)
    vcpu(root)
    bitmaps(root)
    numatune(root, root.find("vcpu").get("placement"))
    cpu(root)
    features(root)
    cputune(root)
    lifecycle(root)
    devs = child(root, "domain", "devices")
    disks(devs)
    usb_masters(devs)
    controller_order(devs)
    usb_companions(devs)
    chardevs(root, devs)
    interfaces(devs)
    hostdevs(devs)
    filesystems(devs)
    shmems(devs)
    boot_loadparms(devs)
    graphics(devs)
    video(devs)
    implicit_controllers(devs)
    controller_indexes(devs)
    for a in devs.iter("address"):
        address(a)
    boot(root)
    return root


# -- memory and CPUs ---------------------------------------------------------

def _kib(elem, what, unit_attr="unit"):
    value = numbers.scaled_kib(elem.text, elem.get(unit_attr), "./%s[1]" % what)
    elem.text = str(value)
    return value


def genid(root):
    g = root.find("genid")
    if g is not None and not (g.text or "").strip():
        import uuid
        g.text = str(uuid.uuid4())


def memory(root):
    mem = root.find("memory")
    cells = root.findall("cpu/numa/cell")
    total = 0
    for cell in cells:
        if cell.get("memory") is not None:
            kib = numbers.scaled_kib(cell.get("memory"), cell.get("unit"), "memory")
            set_attrs(cell, "domain/cpu/numa/cell", {"memory": str(kib), "unit": "KiB"})
            total += kib
    if mem is not None:
        _kib(mem, "memory")
        set_attrs(mem, "domain/memory", {"unit": "KiB"})
    for target in root.findall("devices/memory/target"):
        size = target.find("size")
        if size is not None:
            total_dev = numbers.scaled_kib(size.text, size.get("unit"), "size")
            total += total_dev
    if total and cells and mem is None:
        mem = child(root, "domain", "memory")
        mem.text = str(total)
        set_attrs(mem, "domain/memory", {"unit": "KiB"})
    if mem is None:
        raise VirtError(XML_ERROR, "Memory size must be specified via <memory> or in the "
                        "<numa> configuration")
    maxmem = root.find("maxMemory")
    if maxmem is not None:
        _kib(maxmem, "maxMemory")
        set_attrs(maxmem, "domain/maxMemory", {"unit": "KiB"})
    cur = root.find("currentMemory")
    if cur is None:
        cur = child(root, "domain", "currentMemory", {"unit": "KiB"}, mem.text)
    else:
        value = _kib(cur, "currentMemory")
        if value == 0 or value > int(mem.text):
            cur.text = mem.text
        cur.attrib.clear()
        cur.set("unit", "KiB")
    tune = root.find("memtune")
    for tag in ("hard_limit", "soft_limit", "swap_hard_limit", "min_guarantee"):
        e = root.find("memtune/" + tag)
        if e is not None:
            if _kib(e, tag) >= MEMORY_UNLIMITED:
                tune.remove(e)
                continue
            e.attrib.clear()
            e.set("unit", "KiB")
    if tune is not None and not len(tune):
        root.remove(tune)


_BITMAPS = (("vcpu", "cpuset"), ("cputune/vcpupin", "cpuset"),
            ("cputune/emulatorpin", "cpuset"), ("cputune/iothreadpin", "cpuset"),
            ("numatune/memory", "nodeset"), ("numatune/memnode", "nodeset"),
            ("cpu/numa/cell", "cpus"), ("memoryBacking/hugepages/page", "nodeset"),
            ("cputune/vcpusched", "vcpus"), ("cputune/iothreadsched", "iothreads"),
            ("cputune/cachetune", "vcpus"), ("cputune/memorytune", "vcpus"),
            ("devices/memory/source/nodemask", None))


def bitmaps(root):
    """Sets of CPUs and nodes in libvirt's canonical spelling."""
    for path, name in _BITMAPS:
        for e in root.findall(path):
            value = e.get(name) if name else e.text
            if value is None:
                continue
            value = bitmap.normalize(value, name or e.tag)
            if name:
                e.set(name, value)
            else:
                e.text = value


def numatune(root, placement):
    if placement == "auto" and root.find("numatune") is None:
        tune = child(root, "domain", "numatune")
        insert(tune, "domain/numatune", "memory", {"mode": "strict", "placement": "auto"})
    m = root.find("numatune/memory")
    if m is not None and m.get("placement") == "auto":
        m.attrib.pop("nodeset", None)
    if m is not None and m.get("placement") is None and m.get("nodeset") is None:
        if placement == "auto":
            attr(m, "domain/numatune/memory", "placement", "auto")


# Elements holding a size: path -> attribute holding it (None: the text).
_SIZES = {
    "memoryBacking/hugepages/page": "size",
    "devices/memory/target/size": None, "devices/memory/target/requested": None,
    "devices/memory/target/block": None, "devices/memory/source/pagesize": None,
    "features/hpt/maxpagesize": None, "features/tcg/tb-cache": None,
    "devices/controller/target/pcihole64": None, "devices/controller/pcihole64": None,
}


def sizes(root):
    for path, name in _SIZES.items():
        for e in root.findall(path):
            value = e.get(name) if name else e.text
            if value is None:
                continue
            kib = numbers.scaled_kib(value, e.get("unit"), name or e.tag)
            if name:
                e.set(name, str(kib))
            else:
                e.text = str(kib)
            e.set("unit", "KiB")


def vcpu(root):
    v = root.find("vcpu")
    if v is None:
        v = child(root, "domain", "vcpu", text="1")
    if not v.text:
        v.text = "1"
    count = numbers.parse_uint(v.text, 10)
    if count is None:
        raise VirtError(XML_ERROR, "maximum vcpus count must be an integer")
    v.text = str(count)
    auto_memory = root.find("numatune/memory[@placement='auto']") is not None
    if v.get("placement") is None or (auto_memory and v.get("cpuset") is None):
        attr(v, "domain/vcpu", "placement", "auto" if auto_memory else "static")
    if v.get("current") is not None and v.get("current") == v.text:
        del v.attrib["current"]


def cpu(root):
    c = root.find("cpu")
    if c is None:
        return
    for i, cell in enumerate(c.findall("numa/cell")):
        if cell.get("id") is None:
            attr(cell, "domain/cpu/numa/cell", "id", str(i))
    numa = c.find("numa")
    if numa is not None:
        sort_children(numa, "cell", "id")
    model = c.find("model")
    mode = c.get("mode")
    if mode in ("host-model", "host-passthrough", "maximum"):
        if model is not None and model.text and model.get("fallback") is None:
            attr(model, "domain/cpu/model", "fallback", "allow")
        if model is not None and not model.text:
            model.attrib.pop("fallback", None)
            if not model.attrib:
                c.remove(model)
        return
    if model is None and c.find("vendor") is None and c.find("feature") is None:
        return
    attrs = {"mode": "custom"}
    if c.get("match") is None:
        attrs["match"] = "exact"
    set_attrs(c, "domain/cpu", attrs)
    if model is not None and model.text and model.get("fallback") is None:
        attr(model, "domain/cpu/model", "fallback", "allow")


# Features whose bare element means state='on'.
_ON_FEATURES = ("pmu", "vmcoreinfo", "pvspinlock")


def features(root):
    for tag in _ON_FEATURES:
        f = root.find("features/" + tag)
        if f is not None and f.get("state") is None:
            f.set("state", "on")
    hv = root.find("features/hyperv")
    if hv is not None and hv.get("mode") is None:
        hv.set("mode", "custom")


def sort_children(parent, tag, key):
    """Sort *parent*'s <tag> children by the number in attribute *key*."""
    items = parent.findall(tag)
    if len(items) < 2:
        return
    ordered = sorted(items, key=lambda e: numbers.parse_uint(e.get(key), 10) or 0)
    if ordered == items:
        return
    anchor = items[0].getprevious()
    for e in items:
        parent.remove(e)
    pos = 0 if anchor is None else list(parent).index(anchor) + 1
    for i, e in enumerate(ordered):
        parent.insert(pos + i, e)


def cputune(root):
    """Pins sorted by id; scheduler settings one per vCPU or I/O thread."""
    tune = root.find("cputune")
    if tune is None:
        return
    sort_children(tune, "iothreadpin", "iothread")
    nvcpus = numbers.parse_uint(root.findtext("vcpu"), 10) or 1
    for ct in tune.findall("cachetune") + tune.findall("memorytune"):
        vcpus = {n for n in bitmap.parse(ct.get("vcpus")) if n < nvcpus}
        if not vcpus:
            tune.remove(ct)
        else:
            ct.set("vcpus", bitmap.format(vcpus))
    for tag, key in (("vcpusched", "vcpus"), ("iothreadsched", "iothreads")):
        for e in tune.findall(tag):
            ids = sorted(bitmap.parse(e.get(key)))
            if len(ids) < 2:
                continue
            for n in reversed(ids):
                new = etree.fromstring(etree.tostring(e))
                new.set(key, str(n))
                e.addnext(new)
            tune.remove(e)
        sort_children(tune, tag, key)


def lifecycle(root):
    child(root, "domain", "clock", {"offset": "utc"})
    child(root, "domain", "on_poweroff", text="destroy")
    child(root, "domain", "on_reboot", text="restart")
    child(root, "domain", "on_crash", text="destroy")


def boot(root):
    os_ = child(root, "domain", "os")
    menu = os_.find("bootmenu")
    if menu is not None and menu.get("enable") != "yes":
        menu.attrib.pop("timeout", None)
    loader = os_.find("loader")
    if loader is not None and loader.text and loader.get("type") is None \
            and os_.get("firmware") is None:
        attr(loader, "domain/os/loader", "type", "rom")
    if (os_.findtext("type") or "hvm") != "hvm":
        return
    if os_.find("boot") is not None:
        return
    if root.find("devices//boot") is not None:
        return
    insert(os_, "domain/os", "boot", {"dev": "hd"})


# -- disks -----------------------------------------------------------------

_DISK_PREFIXES = ("ubd", "xvd", "hd", "sd", "vd", "fd", "mmc", "nvme")


def disk_index(name):
    """libvirt's virDiskNameToIndex: 'sda' -> 0, 'hdb' -> 1, 'vdaa' -> 26."""
    if not name:
        return -1
    for p in _DISK_PREFIXES:
        if name.startswith(p):
            rest = name[len(p):]
            break
    else:
        return -1
    idx = 0
    n = 0
    for ch in rest:
        if not ("a" <= ch <= "z"):
            break
        idx = (idx + (1 if n else 0)) * 26 + (ord(ch) - 97)
        n += 1
    if n == 0 or (rest[n:] and not rest[n:].isdigit()):
        return -1
    return idx


_BUS_BY_PREFIX = (("hd", "ide"), ("sd", "scsi"), ("vd", "virtio"), ("xvd", "xen"),
                  ("ubd", "uml"), ("fd", "fdc"))


def disks(devs):
    items = devs.findall("disk")
    if not items:
        return
    ordered = []
    for d in items:
        t = d.find("target")
        bus = t.get("bus") if t is not None else None
        idx = disk_index(t.get("dev") if t is not None else None)
        at = -1
        for i in range(len(ordered) - 1, -1, -1):
            obus, oidx, _ = ordered[i]
            if obus == bus and oidx > idx:
                at = i
            elif obus == bus and at == -1:
                at = i + 1
        entry = (bus, idx, d)
        if at == -1:
            ordered.append(entry)
        else:
            ordered.insert(at, entry)
    pos = list(devs).index(items[0])
    for d in items:
        devs.remove(d)
    for i, (_, _, d) in enumerate(ordered):
        devs.insert(pos + i, d)
    for d in devs.findall("disk"):
        disk_defaults(d)


def disk_defaults(d):
    path = DEV + "/disk"
    if d.get("device") is None:
        attr(d, path, "device", "disk")
    t = d.find("target")
    if t is None:
        return
    dev = t.get("dev") or ""
    if t.get("bus") is None:
        bus = "ide"
        if d.get("device") == "floppy":
            bus = "fdc"
        else:
            for prefix, b in _BUS_BY_PREFIX:
                if dev.startswith(prefix):
                    bus = b
                    break
        attr(t, path + "/target", "bus", bus)
    bus = t.get("bus")
    if d.get("device") == "cdrom" and d.find("readonly") is None:
        insert(d, path, "readonly")
    src = d.find("source")
    iscsi_lun(src)
    if src is None and d.get("type") in ("network", "volume"):
        d.set("type", "file")
    if t.get("tray") == "closed":
        del t.attrib["tray"]
    if d.get("type") == "vhostuser" and d.get("snapshot") is None:
        attr(d, path, "snapshot", "no")
    if src is not None and src.get("protocol") == "gluster":
        for h in src.findall("host"):
            if h.get("transport") in (None, "tcp") and h.get("port") is None:
                attr(h, path + "/source/host", "port", "24007")
    addr = d.find("address")
    idx = disk_index(dev)
    if addr is None and bus in _DRIVE_LAYOUT and idx >= 0:
        ctrl, b, unit = _DRIVE_LAYOUT[bus](idx)
        insert(d, path, "address", {"type": "drive", "controller": str(ctrl),
                                    "bus": str(b), "target": "0", "unit": str(unit)})


_DRIVE_LAYOUT = {
    "ide": lambda i: (i // 4, (i % 4) // 2, i % 2),
    "fdc": lambda i: (i // 2, 0, i % 2),
    "scsi": lambda i: (i // 7, 0, i % 7),
    "sata": lambda i: (i // 6, 0, i % 6),
}


# -- controllers -------------------------------------------------------------

def _ctrl_index(c):
    n = numbers.parse_uint(c.get("index"), 10)
    return -1 if n is None else n


_ICH9 = ("ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3")
_COMPANION_PORT = {"ich9-uhci1": "0", "ich9-uhci2": "2", "ich9-uhci3": "4"}


def usb_companions(devs):
    """ICH9 USB controllers without an index join the set before them."""
    path = DEV + "/controller"
    prev = None
    groups = {}
    top = -1
    usbs = devs.findall("controller[@type='usb']")
    for c in usbs:
        model = c.get("model")
        if _ctrl_index(c) < 0:
            pidx = _ctrl_index(prev) if prev is not None else -1
            if model in _ICH9 and prev is not None and prev.get("model") in _ICH9 \
                    and model not in groups.get(pidx, ()):
                idx = pidx
            else:
                top += 1
                idx = top
            attr(c, path, "index", str(idx))
        groups.setdefault(_ctrl_index(c), set()).add(model)
        top = max(top, _ctrl_index(c))
        prev = c


def usb_masters(devs):
    """ICH9 UHCI companions get their EHCI master's start port."""
    for c in devs.findall("controller[@type='usb']"):
        model = c.get("model")
        if model in _COMPANION_PORT and c.find("master") is None:
            insert(c, DEV + "/controller", "master", {"startport": _COMPANION_PORT[model]})


def controller_order(devs):
    """Controllers sorted as libvirt inserts them: by type, then index."""
    items = devs.findall("controller")
    if not items:
        return
    ordered = []
    for c in items:
        ctype, idx = c.get("type"), _ctrl_index(c)
        master = c.find("master") is not None
        at = -1
        for i in range(len(ordered) - 1, -1, -1):
            cur = ordered[i]
            if cur.get("type") != ctype:
                continue
            cidx = _ctrl_index(cur)
            if idx == -1:
                at = i + 1
                break
            if cidx > idx:
                at = i
            elif not master and cur.find("master") is not None and cidx == idx:
                at = i
            elif at == -1:
                at = i + 1
        if at == -1:
            ordered.append(c)
        else:
            ordered.insert(at, c)
    pos = list(devs).index(items[0])
    for c in items:
        devs.remove(c)
    for i, c in enumerate(ordered):
        devs.insert(pos + i, c)


def controller_indexes(devs):
    used = {}
    for c in devs.findall("controller"):
        i = _ctrl_index(c)
        if i >= 0:
            used.setdefault(c.get("type"), set()).add(i)
    for c in devs.findall("controller"):
        if _ctrl_index(c) < 0:
            taken = used.setdefault(c.get("type"), set())
            i = 0
            while i in taken:
                i += 1
            taken.add(i)
            attr(c, DEV + "/controller", "index", str(i))


def add_controller(devs, ctype, index, model=None):
    """Add controller *ctype*/*index* unless present, after the others."""
    for c in devs.findall("controller"):
        if c.get("type") == ctype and _ctrl_index(c) == index:
            return
    insert(devs, DEV, "controller", {"type": ctype, "index": str(index), "model": model})


def boot_loadparms(devs):
    for b in devs.iterfind("*/boot[@loadparm]"):
        b.set("loadparm", b.get("loadparm").upper())


def filesystems(devs):
    for f in devs.findall("filesystem"):
        vals = {}
        if f.get("type") is None:
            vals["type"] = "mount"
        if f.get("accessmode") is None and f.get("type") in (None, "mount") \
                and f.find("driver[@type='virtiofs']") is None:
            vals["accessmode"] = "passthrough"
        for mode in ("fmode", "dmode"):
            n = numbers.parse_uint(f.get(mode), 8)
            if n is not None:
                vals[mode] = "0%o" % n
        set_attrs(f, DEV + "/filesystem", vals)


def iscsi_lun(src):
    """An iSCSI source without a LUN means LUN 0."""
    if src is not None and src.get("protocol") == "iscsi" and src.get("name") \
            and "/" not in src.get("name"):
        src.set("name", src.get("name") + "/0")


def scsi_hostdev_addresses(devs):
    """SCSI host devices without an address take the next free drive unit."""
    used = set()
    for e in devs.findall("disk") + devs.findall("hostdev"):
        a = e.find("address")
        bus = e.find("target").get("bus") if e.tag == "disk" else "scsi"
        if a is not None and a.get("type") == "drive" and bus == "scsi":
            used.add((numbers.parse_uint(a.get("controller"), 10) or 0,
                      numbers.parse_uint(a.get("unit"), 10) or 0))
    for h in devs.findall("hostdev[@type='scsi']"):
        if h.find("address") is not None:
            continue
        ctrl = unit = 0
        while (ctrl, unit) in used:
            unit += 1
            if unit == 7:
                ctrl, unit = ctrl + 1, 0
        used.add((ctrl, unit))
        insert(h, DEV + "/hostdev", "address", {"type": "drive", "controller": str(ctrl),
                                                "bus": "0", "target": "0", "unit": str(unit)})


def shmems(devs):
    for sh in devs.findall("shmem"):
        if sh.find("model") is None:
            insert(sh, DEV + "/shmem", "model", {"type": "ivshmem"})
        size = sh.find("size")
        if size is not None:
            kib = numbers.scaled_kib(size.text, size.get("unit"), "./size[1]", default_unit="b")
            size.text = str(kib >> 10)
            size.attrib.clear()
            size.set("unit", "M")


def hostdevs(devs):
    scsi_hostdev_addresses(devs)
    for h in devs.findall("hostdev"):
        iscsi_lun(h.find("source"))
        if h.get("mode", "subsystem") == "subsystem" and h.get("type") in ("pci", "usb", "scsi", "mdev") \
                and h.get("managed") is None and h.get("type") != "mdev":
            attr(h, DEV + "/hostdev", "managed", "no")
        if h.get("type") == "mdev" and h.get("managed") is None:
            attr(h, DEV + "/hostdev", "managed", "no")


def implicit_controllers(devs):
    """The controllers that disks and other devices sit on."""
    for d in devs.findall("disk"):
        addr = d.find("address")
        bus = d.find("target").get("bus") if d.find("target") is not None else None
        ctype = {"ide": "ide", "fdc": "fdc", "scsi": "scsi", "sata": "sata"}.get(bus)
        if ctype and addr is not None and addr.get("type") == "drive":
            n = numbers.parse_uint(addr.get("controller"), 10) or 0
            for i in range(n + 1) if ctype == "sata" else (n,):
                add_controller(devs, ctype, i)
    for h in devs.findall("hostdev"):
        addr = h.find("address")
        if h.get("type") == "scsi" and addr is not None and addr.get("type") == "drive":
            first = devs.find("controller[@type='scsi']")
            add_controller(devs, "scsi", numbers.parse_uint(addr.get("controller"), 10) or 0,
                           first.get("model") if first is not None else None)
    for e in devs.findall("channel") + devs.findall("console"):
        t = e.find("target")
        if t is None or t.get("type") != "virtio":
            continue
        a = e.find("address")
        if a is not None and a.get("type") == "virtio-serial":
            add_controller(devs, "virtio-serial",
                           numbers.parse_uint(a.get("controller"), 10) or 0)
        else:
            add_controller(devs, "virtio-serial", 0)
    if devs.find("smartcard") is not None:
        add_controller(devs, "ccid", 0)


# -- character devices -------------------------------------------------------

def chardevs(root, devs):
    hvm = (root.findtext("os/type") or "hvm") == "hvm"
    serials = devs.findall("serial")
    consoles = devs.findall("console")
    mirror_port = "0"
    for i, c in enumerate(consoles):
        t = c.find("target")
        if t is not None:
            attr(t, DEV + "/console/target", "port", str(i))
    _assign_ports(serials, DEV + "/serial")
    for c in devs.iter("serial", "console", "parallel", "channel", "smartcard", "redirdev"):
        proto = c.find("protocol")
        if c.get("type") != "tcp" and proto is not None:
            c.remove(proto)
        elif c.get("type") == "tcp" and proto is None:
            insert(c, DEV + "/" + c.tag, "protocol", {"type": "raw"})
        if c.get("type") == "dbus" and c.tag == "redirdev" and c.find("source") is None:
            insert(c, DEV + "/redirdev", "source", {"channel": "org.qemu.usbredir"})
    for c in devs.iter("serial", "console", "parallel", "channel", "smartcard", "redirdev",
                       "backend"):
        src = c.find("source")
        if c.get("type") == "unix" and src is not None:
            if src.get("path") is None:
                c.remove(src)
            elif src.get("mode") is None:
                attr(src, DEV + "/smartcard/source", "mode", "connect")
    first_serial_type = None
    if serials and serials[0].find("target") is not None:
        first_serial_type = serials[0].find("target").get("type")
    if first_serial_type in ("pci-serial", "usb-serial", "isa-debug"):
        serials = []
    if hvm and (consoles or serials):
        first = consoles[0] if consoles else None
        ttype = None
        if first is not None and first.find("target") is not None:
            ttype = first.find("target").get("type")
        if first is not None and ttype in (None, "serial"):
            if not serials:
                s = _as_chardev(first, "serial")
                t = child(s, DEV + "/serial", "target")
                attr(t, DEV + "/serial/target", "port", "0")
                insert(devs, DEV, "serial")
                devs.replace(devs.find("serial"), s)
                serials = [s]
            mirror = _as_chardev(serials[0], "console")
            devs.replace(first, mirror)
            mirror_port = serials[0].find("target").get("port")
        elif serials:
            mirror = _as_chardev(serials[0], "console")
            mirror_port = serials[0].find("target").get("port")
            if first is not None:
                first.addprevious(mirror)
            else:
                insert(devs, DEV, "console")
                devs.replace(devs.find("console"), mirror)
        else:
            mirror = None
        if mirror is not None:
            t = child(mirror, DEV + "/console", "target")
            set_attrs(t, DEV + "/console/target", {"type": "serial", "port": mirror_port})
    for c in devs.findall("console"):
        t = child(c, DEV + "/console", "target")
        if t.get("type") is None:
            attr(t, DEV + "/console/target", "type", "serial")
    _assign_ports(devs.findall("console"), DEV + "/console")
    _assign_ports(devs.findall("parallel"), DEV + "/parallel")
    for i, sc in enumerate(devs.findall("smartcard")):
        if sc.find("address") is None:
            insert(sc, DEV + "/smartcard", "address",
                   {"type": "ccid", "controller": "0", "slot": str(i)})


def _assign_ports(chardevs, path):
    """A chardev without a port gets one past the highest port in use."""
    used = [numbers.parse_int(c.find("target").get("port"))
            for c in chardevs if c.find("target") is not None]
    top = max([p for p in used if p is not None], default=-1)
    for c in chardevs:
        t = child(c, path, "target")
        if t.get("port") is None:
            top += 1
            attr(t, path + "/target", "port", str(top))


def _as_chardev(elem, tag):
    """A copy of chardev *elem* as ``<tag>``: the same host side, no target."""
    new = etree.fromstring(etree.tostring(elem))
    new.tag = tag
    for e in new.findall("target"):
        new.remove(e)
    return new


# -- graphics and video ------------------------------------------------------

def graphics(devs):
    for g in devs.findall("graphics"):
        gtype = g.get("type")
        if gtype == "vnc":
            _vnc(g)
        elif gtype == "spice":
            _spice(g)


def _yes(value):
    return value == "yes"


def _listen_attr(g, path):
    """The legacy listen attribute mirrors the first address listen."""
    listens = g.findall("listen")
    if not listens:
        addr = g.get("listen") or None
        insert(g, path, "listen", {"type": "address", "address": addr})
    else:
        first = listens[0]
        if first.get("type") == "address" and first.get("address"):
            attr(g, path, "listen", first.get("address"))


def _vnc(g):
    path = DEV + "/graphics"
    listen_socket = g.find("listen[@type='socket']")
    if g.get("socket") is not None or listen_socket is not None:
        if g.find("listen") is None:
            insert(g, path, "listen", {"type": "socket", "socket": g.get("socket")})
        for name in ("port", "autoport"):
            g.attrib.pop(name, None)
        return
    port = numbers.parse_int(g.get("port"))
    autoport = port is None or port == -1
    if g.get("autoport") is not None:
        autoport = _yes(g.get("autoport"))
    if autoport or port == -1:
        port = 0
    set_attrs(g, path, {"port": str(port) if port else ("-1" if autoport else None),
                        "autoport": "yes" if autoport else "no"})
    _listen_attr(g, path)


def _spice(g):
    path = DEV + "/graphics"
    if g.find("listen[@type='socket']") is not None:
        return
    port = numbers.parse_int(g.get("port")) or 0
    tls = numbers.parse_int(g.get("tlsPort")) or 0
    autoport = _yes(g.get("autoport"))
    if autoport:
        port = tls = 0
    shown = port or tls or autoport
    set_attrs(g, path, {"port": str(port) if port else None,
                        "tlsPort": str(tls) if tls else None,
                        "autoport": ("yes" if autoport else "no") if shown else None})
    if not shown:
        for e in g.findall("listen"):
            g.remove(e)
        g.attrib.pop("listen", None)
        insert(g, path, "listen", {"type": "none"})
        return
    _listen_attr(g, path)


_VIDEO_VRAM = {"vga": 16384, "cirrus": 16384, "vmvga": 16384, "xen": 4096,
               "bochs": 16384, "qxl": 65536}


def video(devs):
    path = DEV + "/video"
    needs = any(g.get("type") not in ("egl-headless", "dbus") or True
                for g in devs.findall("graphics"))
    videos = devs.findall("video")
    if needs and not videos and devs.find("graphics") is not None:
        insert(devs, DEV, "video")
        videos = devs.findall("video")
    primary = [v for v in videos if v.find("model[@primary='yes']") is not None]
    if primary and primary[0] is not videos[0]:
        videos[0].addprevious(primary[0])
        videos.remove(primary[0])
        videos.insert(0, primary[0])
    for i, v in enumerate(videos):
        m = child(v, path, "model")
        mtype = m.get("type") or "cirrus"
        vals = {"type": mtype}
        if mtype in _VIDEO_VRAM and m.get("vram") is None:
            vals["vram"] = str(_VIDEO_VRAM[mtype])
        if mtype == "qxl":
            if m.get("ram") is None:
                vals["ram"] = "65536"
        if m.get("heads") is None and mtype != "none":
            vals["heads"] = "1"
        vals["primary"] = "yes" if i == 0 and mtype != "none" else None
        set_attrs(m, path + "/model", vals)


# -- interfaces --------------------------------------------------------------

# Device names the host generates; a definition does not keep them.
_GENERATED_IFNAMES = ("vnet", "vif", "macvtap", "macvlan")


_NIC_MODELS = ("virtio", "e1000", "e1000e", "rtl8139", "ne2k_pci", "pcnet", "virtio-transitional",
               "virtio-non-transitional", "usb-net", "spapr-vlan", "lan9118", "smc91c111",
               "vmxnet3", "igb")


def interfaces(devs):
    """Interfaces get a MAC; host-generated device names are forgotten."""
    path = DEV + "/interface"
    for i in devs.findall("interface"):
        m = i.find("model")
        if m is not None and (m.get("type") or "").lower() in _NIC_MODELS:
            m.set("type", m.get("type").lower())
        if i.get("type") == "hostdev":
            drv = i.find("driver")
            if drv is not None:
                for name in list(drv.attrib):
                    if name != "name":
                        del drv.attrib[name]
                if not drv.attrib and not len(drv):
                    i.remove(drv)
        if i.get("type") in ("hostdev", "vhostuser"):
            for f in i.findall("filterref"):
                i.remove(f)
        if i.find("mac") is None:
            insert(i, path, "mac", {"address": random_mac()})
        t = i.find("target")
        if t is not None and (t.get("dev") or "").startswith(_GENERATED_IFNAMES):
            del t.attrib["dev"]


def random_mac():
    import os
    b = os.urandom(3)
    return "52:54:00:%02x:%02x:%02x" % (b[0], b[1], b[2])


# -- addresses ---------------------------------------------------------------

def _fmt(fmt):
    def conv(value):
        n = numbers.parse_uint(value)
        return value if n is None else fmt % n
    return conv


_ADDRESS_FIELDS = {
    "pci": (("domain", _fmt("0x%04x")), ("bus", _fmt("0x%02x")),
            ("slot", _fmt("0x%02x")), ("function", _fmt("0x%x"))),
    "drive": (("controller", _fmt("%d")), ("bus", _fmt("%d")),
              ("target", _fmt("%d")), ("unit", _fmt("%d"))),
    "ccw": (("cssid", _fmt("0x%x")), ("ssid", _fmt("0x%x")), ("devno", _fmt("0x%04x"))),
    "virtio-serial": (("controller", _fmt("%d")), ("bus", _fmt("%d")), ("port", _fmt("%d"))),
    "ccid": (("controller", _fmt("%d")), ("slot", _fmt("%d"))),
    "spapr-vio": (("reg", _fmt("0x%08x")),),
    "isa": (("iobase", _fmt("0x%x")), ("irq", _fmt("0x%x"))),
    "dimm": (("slot", _fmt("%d")), ("base", _fmt("0x%x"))),
}

# Address types whose fields are all printed once any is set.
_ALL_FIELDS = ("pci", "drive", "ccw", "virtio-serial", "ccid")
_ALWAYS_ALL = ("drive", "virtio-serial", "ccid", "ccw")


def address(a):
    atype = a.get("type")
    fields = _ADDRESS_FIELDS.get(atype)
    if not fields:
        return
    given = [name for name, _ in fields if a.get(name) is not None]
    if atype in _ALL_FIELDS and (given or atype in _ALWAYS_ALL):
        vals = {name: conv(a.get(name) or "0") for name, conv in fields}
    else:
        vals = {name: conv(a.get(name)) for name, conv in fields if a.get(name) is not None}
    if atype == "pci" and given and not any(int(v, 16) for v in vals.values()
                                            if v is not None and v.startswith("0x")):
        vals = dict.fromkeys(vals)
    set_attrs(a, "domain/devices/disk/address", vals)
    z = a.find("zpci")
    if z is not None:
        set_attrs(z, "domain/devices/hostdev/address/zpci",
                  {"uid": _fmt("0x%04x")(z.get("uid") or "0"),
                   "fid": _fmt("0x%08x")(z.get("fid") or "0")})
