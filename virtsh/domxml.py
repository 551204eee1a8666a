"""Device facts read from a domain's XML, for the listing commands
(domblklist, domiflist, domif-getlink, domdisplay, detach-* ...), which
virsh also answers from the XML rather than through a dedicated API."""
from virtsh.errors import CommandError

XML_SECURE, XML_INACTIVE = 1, 2


def domain_tree(dom, inactive=False, secure=False):
    """The lxml root of the domain's XML (persistent one if *inactive*)."""
    from lxml import etree
    flags = (XML_INACTIVE if inactive else 0) | (XML_SECURE if secure else 0)
    return etree.fromstring(dom.xml_desc(flags).encode())


def attr_of(elem, child, name, default="-"):
    """Attribute *name* of child *child* of *elem*, or *default*."""
    found = elem.find(child)
    value = found.get(name) if found is not None else None
    return value if value else default


def disk_source_text(disk):
    """What virsh shows as a disk's source: path, device, dir, name or
    volume, ``-`` when empty."""
    source = disk.find("source")
    if source is not None:
        for name in ("file", "dev", "dir", "name", "volume"):
            if source.get(name):
                return source.get(name)
    return "-"


def has_source(disk):
    return disk_source_text(disk) != "-"


def find_disk(tree, path, removable=False):
    """The <disk> whose target or source is *path* (virsh's
    virshFindDisk); only CD-ROMs and floppies when *removable*."""
    disks = tree.findall("devices/disk")
    if not disks:
        raise CommandError("Failed to get disk information")
    for disk in disks:
        if removable and disk.get("device") not in ("cdrom", "floppy"):
            continue
        target = disk.find("target")
        if (target is not None and target.get("dev") == path) or \
                disk_source_text(disk) == path:
            return disk
    raise CommandError("No disk found whose source path or target is %s" % path)


def find_interface(tree, device):
    """The <interface> whose target device or MAC address is *device*."""
    for net in tree.findall("devices/interface"):
        if attr_of(net, "target", "dev", None) == device or \
                (attr_of(net, "mac", "address", "") or "").lower() == device.lower():
            return net
    return None


def element_text(elem):
    """An element serialized as libxml2 dumps a node of a document (virsh's
    --print-xml of detach commands): double quotes, inner layout kept."""
    from lxml import etree
    return etree.tostring(elem, encoding="unicode", with_tail=False)
