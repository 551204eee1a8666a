"""libvirt's post-parse defaults for disks, controllers and host devices.

Disk order and buses, drive addresses, controller order and indexes, the
controllers other devices imply, host device and filesystem defaults.
"""
from virtsh.drivers.errors import VirtError, INTERNAL_ERROR
from virtsh.xmlconf import numbers
from virtsh.xmlconf.tree import attr, insert, set_attrs

DEV = "domain/devices"


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
    if d.get("type") is None:
        attr(d, path, "type", "file")
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
    if addr is None and bus in _DRIVE_LAYOUT and idx < 0:
        raise VirtError(INTERNAL_ERROR, "Invalid harddisk device name: %s" % dev)
    if addr is None and bus in _DRIVE_LAYOUT:
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
    for c in devs.findall("controller"):
        if c.get("type") is None:
            attr(c, DEV + "/controller", "type", "ide")
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
