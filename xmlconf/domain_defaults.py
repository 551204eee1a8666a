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
from virtsh.xmlconf.tree import attr, by_tag, child, insert, set_attrs
from virtsh.xmlconf.uuids import random_uuid
from virtsh.xmlconf.defaults_disks import (
    boot_loadparms, controller_indexes, controller_order, disks, filesystems, hostdevs,
    implicit_controllers, shmems, usb_companions, usb_masters)
from virtsh.xmlconf.defaults_devices import (
    address, chardevs, graphics, host_pci_addresses, inputs, interfaces, panics, tpms,
    video, watchdogs)

DEV = "domain/devices"
# libvirt's VIR_DOMAIN_MEMORY_PARAM_UNLIMITED, in KiB: "no limit".
MEMORY_UNLIMITED = 9007199254740991


def apply(root):
    # Most steps look for elements a document lacks: each runs only when
    # the kinds it handles are there (gathered once; a step that adds an
    # element another step looks at runs before it and under its guard).
    top = by_tag(root)
    if "genid" in top:
        genid(top["genid"][0])
    memory(root, top)
    sizes(root, top)
    v = vcpu(root, top)
    bitmaps(root, top)
    numatune(root, v.get("placement"), top)
    if "cpu" in top:
        cpu(top["cpu"][0])
    if "features" in top:
        features(top["features"][0])
    if "cputune" in top:
        cputune(top["cputune"][0], v)
    added = lifecycle(root, top)
    devs = top["devices"][0] if "devices" in top else \
        insert(root, "domain", "devices", after=added)
    devices(root, devs)
    boot(top["os"][0] if "os" in top else insert(root, "domain", "os"), devs)
    return root


_CHARDEVS = frozenset(("serial", "console", "parallel", "channel", "smartcard", "redirdev",
                       "rng"))
_ON_CONTROLLERS = frozenset(("disk", "hostdev", "channel", "console", "serial", "smartcard"))


def devices(root, devs):
    """The device steps, in libvirt's order."""
    kinds = {c.tag for c in devs}
    if "disk" in kinds:
        disks(devs)
    if "controller" in kinds:
        usb_masters(devs)
        controller_order(devs)
        usb_companions(devs)
    if not kinds.isdisjoint(_CHARDEVS) or next(devs.iter("backend"), None) is not None:
        chardevs(root, devs)        # (a unix backend of any device loses a pathless source)
    if "input" in kinds:
        inputs(root, devs)
    if "interface" in kinds:
        interfaces(devs)
    if "hostdev" in kinds:
        hostdevs(devs)
    if "filesystem" in kinds:
        filesystems(devs)
    if "shmem" in kinds:
        shmems(devs)
    boot_loadparms(devs)
    if "graphics" in kinds:
        graphics(devs)
    if "graphics" in kinds or "video" in kinds:
        video(devs)
    if "watchdog" in kinds:
        watchdogs(devs)
    if "panic" in kinds:
        panics(devs)
    if "tpm" in kinds:
        tpms(devs)
    if "controller" in kinds:
        controller_indexes(devs)
    if not kinds.isdisjoint(_ON_CONTROLLERS):
        implicit_controllers(devs)
    for a in devs.iter("address"):
        address(a)
    if "hostdev" in kinds:
        host_pci_addresses(devs)


# -- memory and CPUs ---------------------------------------------------------

def _kib(elem, what, unit_attr="unit"):
    value = numbers.scaled_kib(elem.text, elem.get(unit_attr), "./%s[1]" % what)
    elem.text = str(value)
    return value


def genid(g):
    if not (g.text or "").strip():
        g.text = random_uuid()


def _first(top, tag):
    found = top.get(tag)
    return found[0] if found else None


def memory(root, top):
    mem = _first(top, "memory")
    cells = root.findall("cpu/numa/cell") if "cpu" in top else ()
    total = 0
    for cell in cells:
        if cell.get("memory") is not None:
            kib = numbers.scaled_kib(cell.get("memory"), cell.get("unit"), "memory")
            set_attrs(cell, "domain/cpu/numa/cell", {"memory": str(kib), "unit": "KiB"})
            total += kib
    if mem is not None:
        _kib(mem, "memory")
        set_attrs(mem, "domain/memory", {"unit": "KiB"})
    for target in root.findall("devices/memory/target") if "devices" in top else ():
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
    maxmem = _first(top, "maxMemory")
    if maxmem is not None:
        _kib(maxmem, "maxMemory")
        set_attrs(maxmem, "domain/maxMemory", {"unit": "KiB"})
    cur = _first(top, "currentMemory")
    if cur is None:
        cur = insert(root, "domain", "currentMemory", {"unit": "KiB"}, mem.text)
    else:
        value = _kib(cur, "currentMemory")
        if value == 0 or value > int(mem.text):
            cur.text = mem.text
        cur.attrib.clear()
        cur.set("unit", "KiB")
    tune = _first(top, "memtune")
    for tag in ("hard_limit", "soft_limit", "swap_hard_limit", "min_guarantee"):
        e = tune.find(tag) if tune is not None else None
        if e is not None:
            if _kib(e, tag) >= MEMORY_UNLIMITED:
                tune.remove(e)
                continue
            e.attrib.clear()
            e.set("unit", "KiB")
    if tune is not None and not len(tune):
        root.remove(tune)


def _by_first_step(paths):
    """(first step, path, name) for each (path, name) of *paths*: an entry
    matters only when the root has its first step, and most documents have
    few of the elements these tables name."""
    return tuple((path.partition("/")[0], path, name) for path, name in paths)


# Elements holding a set of CPUs or nodes: path -> attribute (None: the text).
_BITMAPS = _by_first_step((
    ("vcpu", "cpuset"), ("cputune/vcpupin", "cpuset"),
    ("cputune/emulatorpin", "cpuset"), ("cputune/iothreadpin", "cpuset"),
    ("numatune/memory", "nodeset"), ("numatune/memnode", "nodeset"),
    ("cpu/numa/cell", "cpus"), ("memoryBacking/hugepages/page", "nodeset"),
    ("cputune/vcpusched", "vcpus"), ("cputune/iothreadsched", "iothreads"),
    ("cputune/cachetune", "vcpus"), ("cputune/memorytune", "vcpus"),
    ("devices/memory/source/nodemask", None)))


def bitmaps(root, top):
    """Sets of CPUs and nodes in libvirt's canonical spelling."""
    for first, path, name in _BITMAPS:
        for e in root.findall(path) if first in top else ():
            value = e.get(name) if name else e.text
            if value is None:
                continue
            value = bitmap.normalize(value, name or e.tag)
            if name:
                e.set(name, value)
            else:
                e.text = value


def numatune(root, placement, top):
    if placement != "auto" and "numatune" not in top:
        return
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
_SIZES = _by_first_step((
    ("memoryBacking/hugepages/page", "size"),
    ("devices/memory/target/size", None), ("devices/memory/target/requested", None),
    ("devices/memory/target/block", None), ("devices/memory/source/pagesize", None),
    ("features/hpt/maxpagesize", None), ("features/tcg/tb-cache", None),
    ("devices/controller/target/pcihole64", None), ("devices/controller/pcihole64", None)))


def sizes(root, top):
    for first, path, name in _SIZES:
        for e in root.findall(path) if first in top else ():
            value = e.get(name) if name else e.text
            if value is None:
                continue
            kib = numbers.scaled_kib(value, e.get("unit"), name or e.tag)
            if name:
                e.set(name, str(kib))
            else:
                e.text = str(kib)
            e.set("unit", "KiB")


def vcpu(root, top):
    """The vCPU count and placement; returns <vcpu>."""
    v = _first(top, "vcpu")
    if v is None:
        v = insert(root, "domain", "vcpu", text="1")
    if not v.text:
        v.text = "1"
    count = numbers.parse_uint(v.text, 10)
    if count is None:
        raise VirtError(XML_ERROR, "maximum vcpus count must be an integer")
    v.text = str(count)
    auto_memory = "numatune" in top and \
        root.find("numatune/memory[@placement='auto']") is not None
    if v.get("placement") is None or (auto_memory and v.get("cpuset") is None):
        attr(v, "domain/vcpu", "placement", "auto" if auto_memory else "static")
    if v.get("current") is not None and v.get("current") == v.text:
        del v.attrib["current"]
    return v


def cpu(c):
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


def features(feats):
    for tag in _ON_FEATURES:
        f = feats.find(tag)
        if f is not None and f.get("state") is None:
            f.set("state", "on")
    hv = feats.find("hyperv")
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


def cputune(tune, vcpu_elem):
    """Pins sorted by id; scheduler settings one per vCPU or I/O thread."""
    sort_children(tune, "iothreadpin", "iothread")
    nvcpus = numbers.parse_uint(vcpu_elem.text, 10) or 1
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


def lifecycle(root, top):
    """The clock and lifecycle actions; returns the last one insert()ed (a
    search for the place of a later kind can start after it), or None."""
    added = None
    clock = _first(top, "clock")
    if clock is None:
        added = insert(root, "domain", "clock", {"offset": "utc"})
    elif clock.get("offset") is None:
        attr(clock, "domain/clock", "offset", "utc")
    for tag, default in (("on_poweroff", "destroy"), ("on_reboot", "restart"),
                         ("on_crash", "destroy")):
        e = _first(top, tag)
        if e is None:
            added = insert(root, "domain", tag, text=default, after=added)
        else:
            added = None
            if not (e.text or "").strip():
                e.text = default
    return added


def boot(os_, devs):
    parts = by_tag(os_)
    menu = _first(parts, "bootmenu")
    if menu is not None and menu.get("enable") != "yes":
        menu.attrib.pop("timeout", None)
    loader = _first(parts, "loader")
    if loader is not None and loader.text and loader.get("type") is None \
            and os_.get("firmware") is None:
        attr(loader, "domain/os/loader", "type", "rom")
    ostype = _first(parts, "type")
    if ((ostype.text if ostype is not None else None) or "hvm") != "hvm":
        return
    if "boot" in parts:
        return
    if next(devs.iter("boot"), None) is not None:
        return
    insert(os_, "domain/os", "boot", {"dev": "hd"})
