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
    inputs(root, devs)
    interfaces(devs)
    hostdevs(devs)
    filesystems(devs)
    shmems(devs)
    boot_loadparms(devs)
    graphics(devs)
    video(devs)
    watchdogs(devs)
    panics(devs)
    tpms(devs)
    controller_indexes(devs)
    implicit_controllers(devs)
    for a in devs.iter("address"):
        address(a)
    host_pci_addresses(devs)
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
        e = tune.find(tag) if tune is not None else None
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


def _present(root, paths):
    """The entries of *paths* (path, ...) whose first step *root* has:
    most documents have few of the elements these tables name."""
    tags = {c.tag for c in root}
    return [entry for entry in paths if entry[0].partition("/")[0] in tags]


def bitmaps(root):
    """Sets of CPUs and nodes in libvirt's canonical spelling."""
    for path, name in _present(root, _BITMAPS):
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
    for path, name in _present(root, _SIZES.items()):
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
    clock = child(root, "domain", "clock")
    if clock.get("offset") is None:
        attr(clock, "domain/clock", "offset", "utc")
    for tag, default in (("on_poweroff", "destroy"), ("on_reboot", "restart"),
                         ("on_crash", "destroy")):
        e = child(root, "domain", tag)
        if not (e.text or "").strip():
            e.text = default


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
