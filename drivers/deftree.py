"""Looking up and editing devices and tuning in a domain definition tree.

Drivers change definitions in place (pinning, tuning, IOThreads).
Where a new element goes does not matter: xmlconf.domain.format prints
children in libvirt's order.  lxml is imported on first use only: the
driver module is on the start-up path.
"""
from virtsh.drivers import cpusets
from virtsh.drivers.errors import VirtError, INVALID_ARG
from virtsh.drivers.macaddr import looks_like_mac


def child(parent, tag):
    """The *tag* child of *parent*, appended when missing."""
    from lxml import etree
    found = parent.find(tag)
    return found if found is not None else etree.SubElement(parent, tag)


def drop_if_empty(parent, tag):
    """Remove child *tag* of *parent* once it has no attributes or children."""
    elem = parent.find(tag)
    if elem is not None and not len(elem) and not elem.attrib \
            and not (elem.text or "").strip():
        parent.remove(elem)


def disks(tree):
    """The <disk> elements of a definition."""
    return tree.findall("devices/disk")


def disk_source(disk):
    """The path (or network name) of a disk's source, None when empty."""
    src = disk.find("source")
    if src is None:
        return None
    for attr in ("file", "dev", "dir", "name", "volume"):
        if src.get(attr):
            return src.get(attr)
    return None


def find_disk(tree, path):
    """libvirt's virDomainDiskByName: by target, then by source path."""
    for disk in disks(tree):
        target = disk.find("target")
        if target is not None and target.get("dev") == path:
            return disk
    for disk in disks(tree):
        if disk_source(disk) == path:
            return disk
    return None


def find_net(tree, device):
    """libvirt's virDomainNetFind: by MAC address or by host device name."""
    nets = tree.findall("devices/interface")
    if looks_like_mac(device):
        wanted = device.lower()
        found = [n for n in nets if (n.find("mac") is not None and
                                     n.find("mac").get("address", "").lower() == wanted)]
    else:
        found = [n for n in nets if n.find("target") is not None
                 and n.find("target").get("dev") == device]
    if not found:
        raise VirtError(INVALID_ARG, "'%s' is not a known interface" % device)
    return found[0]


def vcpu_counts(tree):
    """(maximum, current) vCPUs."""
    v = tree.find("vcpu")
    if v is None:
        return 1, 1
    maximum = int(v.text.strip())
    return maximum, int(v.get("current", maximum))


def default_cpumask(tree, host_cpus):
    """Where vCPUs and threads run unless pinned: <vcpu cpuset>, else every
    host CPU."""
    v = tree.find("vcpu")
    if v is not None and v.get("cpuset"):
        return cpusets.parse(v.get("cpuset"))
    return set(range(host_cpus))


def iothread_ids(tree):
    """IOThread ids: <iothreadids>, else 1..<iothreads>."""
    ids = [int(t.get("id")) for t in tree.findall("iothreadids/iothread")]
    if not ids:
        count = tree.findtext("iothreads")
        ids = list(range(1, int(count) + 1)) if count and count.strip() else []
    return ids


def pin_of(tree, tag, key, value):
    """The cputune pin element *tag* whose attribute *key* is *value*."""
    for pin in tree.findall("cputune/" + tag):
        if pin.get(key) == str(value):
            return pin
    return None


def set_pin(tree, tag, key, value, cpus):
    """Pin (vcpupin, emulatorpin, iothreadpin) to the CPU set *cpus*."""
    from lxml import etree
    cputune = child(tree, "cputune")
    pin = pin_of(tree, tag, key, value) if key else cputune.find(tag)
    if pin is None:
        pin = etree.Element(tag)
        if key:
            pin.set(key, str(value))
        cputune.append(pin)
    pin.set("cpuset", cpusets.format(cpus))


def number(elem, default=0):
    """The integer text of *elem*, *default* when absent or empty."""
    if elem is None or not (elem.text or "").strip():
        return default
    return int(elem.text.strip())

