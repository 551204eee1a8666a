"""libvirt's parse-time and post-parse checks of a domain definition.

Each check is a small function over the canonical tree that raises
VirtError with libvirt's wording; ``run`` calls them all.  The checks that
need the input as written (before defaults) run from ``run_raw``.
"""
import functools

from virtsh.drivers.errors import (VirtError, XML_ERROR, CONFIG_UNSUPPORTED,
                                   INTERNAL_ERROR, XML_DETAIL)
from virtsh.xmlconf import bitmap, numbers
from virtsh.xmlconf.domain_order import ENUMS, REQUIRED
from virtsh.xmlconf.tree import by_tag

# Attributes the schema requires but libvirt fills in when missing.
DEFAULTED = frozenset((
    ("domain/devices/serial", "type"), ("domain/devices/console", "type"),
    ("domain/devices/parallel", "type"), ("domain/devices/channel", "type"),
    ("domain/devices/interface", "type"), ("domain/devices/disk", "type"),
    ("domain/devices/filesystem", "type"), ("domain/devices/controller", "index"),
    ("domain/devices/controller", "type"),
))
# Where libvirt insists on the schema's required attributes: device elements
# and these.
REQUIRED_CHECKED = frozenset((
    "domain/clock/timer", "domain/cputune/emulatorsched", "domain/cputune/vcpusched",
    "domain/cputune/iothreadsched", "domain/cpu/cache", "domain/os/boot", "domain/iothreadids/iothread", "domain/perf/event",
    "domain/vcpus/vcpu", "domain/sysinfo", "domain/devices/disk/boot",
    "domain/devices/interface/boot", "domain/devices/hostdev/boot",
    "domain/devices/redirdev/boot",
))

# Enumerations libvirt rejects with "Invalid value for attribute": (element
# path, attribute) -> allowed values.  Most come from the schema (domain_order.
# ENUMS); these are the ones where libvirt is stricter than its schema.
STRICTER_ENUMS = {
    ("devices/interface/backend", "type"): ("default",),
}


def _fail(code, msg):
    raise VirtError(code, msg)


def _raw(msg):
    raise VirtError(XML_DETAIL, msg)


# Enumerations libvirt checks in words of its own: (element path, attribute)
# -> (allowed values, error code, message).
OWN_ENUMS = {
    ("domain/devices/panic", "model"): (("default", "isa", "pseries", "hyperv", "s390"),
                                        CONFIG_UNSUPPORTED, "unknown panic model '%s'"),
}

# Enumerations libvirt compares without regard to case.
CASELESS = frozenset((("domain/devices/interface/model", "type"),))


class ValueChecks:
    """The checks of values and required attributes, element by element,
    for a walk over the document that happens anyway (canon.canonicalize's
    *visit*): the first failure waits for run_raw, where libvirt's order of
    checks puts it."""

    __slots__ = ("failure",)

    def __init__(self):
        self.failure = None

    def __call__(self, elem, path):
        rules = _RULES[path] if path in _RULES else _rules(path)
        if rules is not None and self.failure is None:
            try:
                check_values(elem, path, rules)
            except VirtError as e:
                self.failure = e


def check_values(elem, path, rules):
    """Every attribute and text of *elem* with a fixed set of values holds
    one of them, and every attribute libvirt requires is there (*rules*:
    what _rules gives for *path*)."""
    required, enums, texts = rules
    for name in required:
        if elem.get(name) is None:
            _fail(XML_ERROR, "Missing required attribute '%s' in element '%s'"
                  % (name, elem.tag))
    if enums:
        for name, value in elem.items():
            allowed = enums.get(name)
            if allowed is not None and value not in allowed:
                _bad_value(elem, path, name, value, allowed)
    if texts is not None and elem.text is not None and elem.text.strip() not in texts:
        _fail(XML_ERROR, "Invalid value for element '%s': '%s'" % (elem.tag, elem.text))


def _bad_value(elem, path, name, value, allowed):
    own = OWN_ENUMS.get((path, name))
    if own is not None:
        _fail(own[1], own[2] % value)
    if (path, name) in CASELESS and value.lower() in allowed:
        return
    _fail(XML_ERROR, "Invalid value for attribute '%s' in element '%s': '%s'."
          % (name, elem.tag, value))


_RULES = {}     # path -> _rules(path); the paths of the order tables, a bounded set


def _rules(path):
    """What check_values looks at in an element at *path*: the attributes
    it requires, {attribute: allowed values}, the allowed texts (or None);
    None when there is nothing to check."""
    required = ()
    if path.count("/") == 2 and path.startswith("domain/devices/") or path in REQUIRED_CHECKED:
        required = tuple(name for name in REQUIRED.get(path, ())
                         if (path, name) not in DEFAULTED)
    enums = dict(_enums_by_path().get(path, {}))
    texts = enums.pop(None, None)
    rules = _RULES[path] = (required, enums, texts) if required or enums or texts else None
    return rules


@functools.lru_cache(maxsize=None)
def _enums_by_path():
    """path -> {attribute (None: the text): allowed values}."""
    table = {}
    for (where, name), allowed in ENUMS.items():
        table.setdefault(where, {})[name] = allowed
    for (where, name), own in OWN_ENUMS.items():
        table.setdefault(where, {})[name] = own[0]
    return table


_OS_TYPES = ("hvm", "xen", "linux", "exe", "xenpvh")
_ARCHES = ("aarch64", "alpha", "armv6l", "armv7l", "armv7b", "cris", "i686", "ia64", "lm32",
           "loongarch64", "m68k", "microblaze", "microblazeel", "mips", "mipsel", "mips64",
           "mips64el", "openrisc", "parisc", "parisc64", "ppc", "ppcle", "ppc64", "ppc64le",
           "ppcemb", "riscv32", "riscv64", "s390", "s390x", "sh4", "sh4eb", "sparc", "sparc64",
           "unicore32", "x86_64", "xtensa", "xtensaeb")


# Controller models per controller type.
CONTROLLER_MODELS = {
    "pci": ("pci-root", "pcie-root", "pci-bridge", "dmi-to-pci-bridge", "pcie-root-port",
            "pcie-switch-upstream-port", "pcie-switch-downstream-port", "pci-expander-bus",
            "pcie-expander-bus", "pcie-to-pci-bridge"),
    "scsi": ("auto", "buslogic", "lsilogic", "lsisas1068", "vmpvscsi", "ibmvscsi",
             "virtio-scsi", "lsisas1078", "virtio-transitional", "virtio-non-transitional",
             "ncr53c90", "am53c974", "dc390"),
    "usb": ("piix3-uhci", "piix4-uhci", "ehci", "ich9-ehci1", "ich9-uhci1", "ich9-uhci2",
            "ich9-uhci3", "vt82c686b-uhci", "pci-ohci", "nec-xhci", "qusb1", "qusb2",
            "qemu-xhci", "none"),
    "ide": ("piix3", "piix4", "ich6"),
    "virtio-serial": ("virtio", "virtio-transitional", "virtio-non-transitional"),
    "isa": (),
}

# The attribute naming a disk's source, per disk type.
_SOURCE_ATTR = {"file": "file", "block": "dev", "dir": "dir"}


def _basics(root, top, kinds, os_parts):
    """What every definition needs: a type, an OS type, valid names of things.
    *top*, *kinds*, *os_parts*: the children of the root, <devices>, <os>
    by tag."""
    if root.get("type") is None:
        _fail(INTERNAL_ERROR, "missing domain type attribute")
    ostype = os_parts["type"][0] if "type" in os_parts else None
    if ostype is None or not (ostype.text or "").strip():
        _fail(XML_ERROR, "an os <type> must be specified")
    if ostype.text.strip() not in _OS_TYPES:
        _fail(CONFIG_UNSUPPORTED, "unknown OS type '%s'" % ostype.text.strip())
    arch = ostype.get("arch")
    if arch is not None and arch not in _ARCHES:
        _fail(CONFIG_UNSUPPORTED, "Unknown architecture %s" % arch)
    for b in os_parts.get("boot", ()):
        if b.get("dev") is None:
            _fail(XML_ERROR, "Missing required attribute 'dev' in element 'boot'")
    controllers = kinds.get("controller", ())
    usbs = [c for c in controllers if c.get("type") == "usb"]
    for c in usbs:
        # only a master given in the document needs its companion set
        if c.find("master") is not None:
            idx = c.get("index")
            if not any(m.get("index") == idx and m.find("master") is None for m in usbs):
                _raw("No master USB controller specified")
    numa = top["cpu"][0].find("numa") if "cpu" in top else None
    if numa is not None and numa.find("cell") is None:
        _fail(XML_ERROR, "NUMA topology defined without NUMA cells")
    if "devices" not in top:
        return
    devs = top["devices"][0]
    for c in controllers:
        if c.get("index") is not None and numbers.parse_uint(c.get("index"), 10) is None:
            _fail(XML_ERROR, "Invalid value for attribute 'index' in element 'controller': "
                  "'%s'. Expected non-negative integer value" % c.get("index"))
    orders = set()
    for b in devs.iterfind("*/boot[@order]"):
        if b.get("order") in orders:
            _fail(CONFIG_UNSUPPORTED, "boot order '%s' used for more than one device"
                  % b.get("order"))
        orders.add(b.get("order"))
    for c in controllers:
        models = CONTROLLER_MODELS.get(c.get("type", "ide"))
        if c.get("model") is not None and models is not None and c.get("model") not in models:
            _fail(CONFIG_UNSUPPORTED, "Unknown model type '%s'" % c.get("model"))
    for h in kinds.get("hostdev", ()):
        if h.find("source") is None and h.get("mode", "subsystem") == "subsystem":
            _fail(XML_ERROR, "Missing <source> element in hostdev device")
    for rng in kinds.get("rng", ()):
        for b in rng.iterchildren("backend"):
            if b.get("model") is None:
                _fail(XML_ERROR, "missing RNG device backend model")
    for ch in kinds.get("channel", ()):
        t = ch.find("target")
        if t is None or t.get("type") is None:
            _fail(XML_ERROR, "target type must be specified for channel device")
    for a in devs.iterfind("*/address"):
        if a.get("type") is None:
            _fail(INTERNAL_ERROR, "No type specified for device address")
        if a.get("type") == "ccw":
            given = [a.get(k) is not None for k in ("cssid", "ssid", "devno")]
            if any(given) and not all(given):
                _fail(INTERNAL_ERROR, "Invalid partial specification for virtio ccw address")
    for fs in kinds.get("filesystem", ()):
        t = fs.find("target")
        if t is None or t.get("dir") is None:
            src = fs.find("source")
            name = None if src is None else (src.get("dir") or src.get("file") or
                                             src.get("name") or src.get("socket"))
            _raw("missing target information for device %s" % name)
    balloons = kinds.get("memballoon", ())
    if len(balloons) > 1:
        _fail(INTERNAL_ERROR, "only a single memory balloon device is supported")
    for b in balloons:
        if b.get("model") is None:
            _fail(XML_ERROR, "Missing required attribute 'model' in element 'memballoon'")
    for g in kinds.get("graphics", ()):
        if g.get("type") is None:
            _fail(XML_ERROR, "Missing required attribute 'type' in element 'graphics'")
    for d in kinds.get("disk", ()):
        t = d.find("target")
        src = d.find("source")
        path_attr = _SOURCE_ATTR.get(d.get("type", "file"))
        if d.get("device", "disk") in ("disk", "lun") and t is not None and \
                (src is None or not src.attrib and not len(src) or
                 path_attr is not None and src.get(path_attr) is None):
            _raw("missing source information for device %s" % t.get("dev"))


def run_raw(root, values, features=frozenset()):
    """Checks on the document as given (before libvirt's defaults);
    *values*: the ValueChecks its canonicalisation ran; *features* as for
    run()."""
    if values.failure is not None:
        raise values.failure
    top = by_tag(root)
    kinds = by_tag(top["devices"][0]) if "devices" in top else {}
    os_parts = by_tag(top["os"][0]) if "os" in top else {}
    _basics(root, top, kinds, os_parts)
    for s in kinds.get("shmem", ()):
        msi = s.find("msi")
        if msi is not None and msi.get("enabled") != "no" and s.find("server") is None:
            _fail(XML_ERROR, "msi option is only supported with a server")
    for (path, name), allowed in STRICTER_ENUMS.items():
        for e in root.findall(path) if _may_have(top, kinds, path) else ():
            value = e.get(name) if name else (e.text or "").strip()
            if value is not None and value not in allowed:
                tag = path.rsplit("/", 1)[-1]
                if name:
                    _fail(XML_ERROR, "Invalid value for attribute '%s' in element '%s': '%s'."
                          % (name, tag, value))
                _fail(XML_ERROR, "Invalid value for element '%s': '%s'" % (tag, value))
    for d in root.findall("devices/interface/driver[@queues]") if "interface" in kinds else ():
        q = d.get("queues")
        if numbers.parse_uint(q, 10) is None:
            _fail(XML_ERROR, "Invalid value for attribute 'queues' in element 'driver': "
                  "'%s'. Expected non-negative integer value" % q)
    for tag in _CHARDEVS.intersection(kinds):
        for c in kinds[tag]:
            if tag != "rng" and c.get("type") != "udp" and len(c.findall("source")) > 1:
                _fail(XML_ERROR, "only one source element is allowed for character device")
    for a in root.iter("address"):
        _pci_address(a)
        if a.get("type") == "usb" and a.get("port") is not None:
            parts = a.get("port").split(".")
            if len(parts) > 4 or any(numbers.parse_uint(p, 10) is None for p in parts):
                _fail(INTERNAL_ERROR, "Cannot parse <address> 'port' attribute")
    for d in kinds.get("disk", ()):
        if d.find("target") is None or not d.find("target").get("dev"):
            src = d.find("source")
            name = None
            if src is not None:
                name = src.get("file") or src.get("dev") or src.get("dir") or src.get("name")
            _raw("missing target information for device %s" % name)
    if "boot" in os_parts and root.find("devices//boot") is not None:
        _fail(CONFIG_UNSUPPORTED,
              "per-device boot elements cannot be used together with os/boot elements")
    if "cputune" in top:
        _resctrl(root)
    if "video" in kinds and len(root.findall("devices/video/model[@primary='yes']")) > 1:
        _fail(CONFIG_UNSUPPORTED, "Only one primary video device is supported")
    for src in root.iter("source"):
        if src.get("fdgroup") is not None and FEATURE_DISK_FD not in features:
            t = src.getparent().find("target")
            dev = t.get("dev") if t is not None else None
            _fail(CONFIG_UNSUPPORTED, "driver does not support FD passing for disk '%s'" % dev)
    sysuuid = root.find("sysinfo/system/entry[@name='uuid']") if "sysinfo" in top else None
    if sysuuid is not None and root.findtext("uuid") and \
            (sysuuid.text or "").replace("-", "").lower() != root.findtext("uuid").replace("-", "").lower():
        _raw("UUID mismatch between <uuid> and <sysinfo>")


def _may_have(top, kinds, path):
    """Whether the root's children and the devices (by tag) may hold
    elements at *path* ("devices/interface/backend")."""
    first, _, rest = path.partition("/")
    if first != "devices":
        return first in top
    return rest.partition("/")[0] in kinds


def _pci_address(a):
    if a.get("type") != "pci":
        return
    limits = (("domain", 0xFFFF, "domain='0x%x', must be <= 0x%X"),
              ("bus", 0xFF, "bus='0x%x', must be <= 0x%X"),
              ("slot", 0x1F, "slot='0x%x', must be <= 0x%X"),
              ("function", 7, "function=0x%x, must be <= %d"))
    for name, top, fmt in limits:
        n = numbers.parse_uint(a.get(name))
        if n is not None and n > top:
            _fail(XML_ERROR, "Invalid PCI address " + fmt % (n, top))


# What a driver can do that the generic checks must not refuse (libvirt's
# per-driver parser features): disks opened from passed file descriptors,
# and a USB controller the driver adds when the document has none.
FEATURE_DISK_FD = "disk-fd"
FEATURE_DEFAULT_USB = "default-usb"


# Device kinds a check of character devices looks at.
_CHARDEVS = frozenset(("serial", "console", "parallel", "channel", "smartcard", "redirdev",
                       "rng"))


def run(root, features=frozenset()):
    """Checks on the canonical tree, after libvirt's defaults; *features*
    (xmlconf.domain.FEATURE_*) are what the parsing driver supports.
    A check runs only when the elements it looks at are there."""
    top = by_tag(root)
    devs = top["devices"][0]
    kinds = by_tag(devs)
    if "disk" in kinds:
        _disks(devs)
    if "controller" in kinds:
        _controllers(devs)
    if "controller" in kinds or "redirdev" in kinds:
        _usb(devs, FEATURE_DEFAULT_USB in features)
    if not kinds.keys().isdisjoint(_CHARDEVS):
        _chardevs(devs)
    if "graphics" in kinds:
        _graphics(devs)
    if "hostdev" in kinds:
        _hostdevs(devs)
    if "video" in kinds:
        _video(devs)
    if "cpu" in top or "numatune" in top or "memoryBacking" in top or "memory" in kinds:
        _numa(root)
    _firmware(top["os"][0])
    if "panic" in kinds or "seclabel" in top:
        _misc(root, devs)


def _drive(a):
    return tuple(a.get(k) for k in ("controller", "bus", "target", "unit"))


def _disks(devs):
    seen = {}
    addrs = {}
    for d in devs.findall("disk"):
        t = d.find("target")
        dev, bus = t.get("dev"), t.get("bus")
        src = d.find("source")
        src_name = None
        if src is not None:
            src_name = src.get("file") or src.get("dev") or src.get("dir") or src.get("name")
        if dev in seen:
            _fail(XML_ERROR, "target '%s' duplicated for disk sources '%s' and '%s'"
                  % (dev, seen[dev] or "<null>", src_name or "<null>"))
        seen[dev] = src_name
        if d.get("device") == "lun" and d.get("type") not in ("block", "network", "volume"):
            _fail(CONFIG_UNSUPPORTED,
                  "disk device='lun' is only valid for block type disk source")
        a = d.find("address")
        if a is not None and bus in ("fdc", "ide", "sata", "scsi") and a.get("type") != "drive":
            _fail(CONFIG_UNSUPPORTED, "Invalid address type '%s' for the disk '%s' with the "
                  "bus type '%s'" % (a.get("type"), dev, bus))
        if a is not None and a.get("type") == "drive":
            key = (bus,) + _drive(a)
            if key in addrs:
                _fail(CONFIG_UNSUPPORTED, "Found duplicate drive address for disk with target "
                      "name '%s' controller='%s' bus='%s' target='%s' unit='%s'"
                      % ((dev,) + _drive(a)))
            addrs[key] = dev
            if bus == "scsi":
                for h in devs.findall("hostdev[@type='scsi']"):
                    ha = h.find("address")
                    if ha is not None and _drive(ha) == _drive(a):
                        _fail(CONFIG_UNSUPPORTED, "using disk target name '%s' conflicts with "
                              "SCSI host device address controller='%s' bus='%s' "
                              "target='%s' unit='%s'" % ((dev,) + _drive(a)))
        secret = d.find("auth/secret")
        if secret is None:
            secret = d.find("source/auth/secret")
        if secret is not None:
            stype = secret.get("type")
            if stype is None:
                _fail(CONFIG_UNSUPPORTED, "unknown secret type '<null>'")
            protocol = src.get("protocol") if src is not None else None
            if protocol == "iscsi" and stype != "iscsi" or protocol == "rbd" and stype != "ceph":
                _fail(CONFIG_UNSUPPORTED, "invalid secret type '%s'" % stype)


def _controllers(devs):
    seen = set()
    for c in devs.findall("controller"):
        key = (c.get("type"), c.get("index"))
        if key in seen and not (c.get("type") == "usb" and c.find("master") is not None) \
                and not any(o.get("type") == "usb" and o.get("index") == c.get("index")
                            and o.find("master") is not None and o is not c
                            for o in devs.findall("controller")):
            _fail(XML_ERROR, "Multiple '%s' controllers with index '%s'" % key)
        seen.add(key)
        if c.get("type") == "pci":
            idx = c.get("index")
            if idx == "0" and c.find("target/node") is not None:
                _fail(CONFIG_UNSUPPORTED, "The PCI controller with index=0 can't be "
                      "associated with a NUMA node")
            t = c.find("target")
            if t is not None and t.get("index") is not None and \
                    c.get("model") == "pci-root":
                n = numbers.parse_uint(t.get("index"), 10)
                if n is not None and n > 30:
                    _fail(CONFIG_UNSUPPORTED, "PCI controller target index '%d' out of range "
                          "- must be 0-30" % n)


def _usb(devs, default_usb):
    usbs = devs.findall("controller[@type='usb']")
    disabled = any(c.get("model") == "none" for c in usbs)
    if (disabled or not (usbs or default_usb)) and devs.find("redirdev[@bus='usb']") is not None:
        _fail(CONFIG_UNSUPPORTED,
              "cannot add redirected USB device: USB is disabled for this domain")
    if disabled:
        if devs.find("hub[@type='usb']") is not None:
            _fail(CONFIG_UNSUPPORTED, "Can't add USB hub: USB is disabled for this domain")
        if devs.find("input[@bus='usb']") is not None:
            _fail(CONFIG_UNSUPPORTED, "Can't add USB input device. USB bus is disabled")
        if len(usbs) > 1:
            _raw("Can't add another USB controller: USB is disabled for this domain")


def _chardevs(devs):
    for c in devs.findall("console")[1:]:
        t = c.find("target")
        if t is not None and t.get("type") == "serial":
            _fail(CONFIG_UNSUPPORTED, "Only the first console can be a serial port")
    for c in devs.iter("serial", "console", "parallel", "channel", "smartcard",
                       "redirdev", "backend"):
        ctype = c.get("type")
        src = c.find("source")
        if c.tag == "backend" and c.getparent().tag != "rng":
            continue
        if ctype == "tcp":
            if src is None or src.get("host") is None:
                _fail(INTERNAL_ERROR, "Missing source host attribute for char device")
            if src.get("service") is None:
                _fail(INTERNAL_ERROR, "Missing source service attribute for char device")
        elif ctype == "unix" and c.tag == "backend":
            if src is None or src.get("path") is None:
                _fail(INTERNAL_ERROR, "Missing source path attribute for char device")
        elif ctype in ("dev", "file", "pipe") and c.tag != "smartcard":
            if src is None or src.get("path") is None:
                _fail(INTERNAL_ERROR, "Missing source path attribute for char device")


def _graphics(devs):
    for g in devs.findall("graphics"):
        for lst in g.findall("listen"):
            if lst.get("type") == "network" and lst.get("network") is None:
                _fail(XML_ERROR, "'network' attribute is required for listen type 'network'")
        first = g.find("listen")
        sock = g.get("socket")
        if sock is not None and first is not None and first.get("type") == "socket" \
                and first.get("socket") not in (None, sock):
            _fail(CONFIG_UNSUPPORTED, "graphics 'socket' attribute '%s' must match 'socket' "
                  "attribute of first listen element (found '%s')" % (sock, first.get("socket")))


def _hostdev_key(h):
    src = h.find("source")
    if src is None:
        return None
    a = src.find("address")
    adapter = src.find("adapter")
    if h.get("type") == "mdev":
        return ("mdev", a.get("uuid") if a is not None else None)
    if a is None:
        return None
    return (h.get("type"), adapter.get("name") if adapter is not None else None,
            tuple(sorted(a.attrib.items())))


def _hostdevs(devs):
    seen = set()
    ramfb = 0
    scsi_addrs = set()
    for h in devs.findall("hostdev"):
        if h.get("type") == "mdev":
            a = h.find("source/address")
            if a is None or a.get("uuid") is None:
                _fail(CONFIG_UNSUPPORTED, "Missing 'uuid' attribute for element <address>")
            ta = h.find("address")
            if ta is not None and h.get("model") == "vfio-pci" and ta.get("type") != "pci":
                _fail(XML_ERROR, "Unsupported address type '%s' with mediated device model "
                      "'vfio-pci'" % ta.get("type"))
            if h.get("ramfb") == "on":
                ramfb += 1
                if ramfb > 1:
                    _fail(CONFIG_UNSUPPORTED, "Only one vgpu device can have 'ramfb' enabled")
        key = _hostdev_key(h)
        if key is not None:
            if key in seen:
                _fail(XML_ERROR, "Hostdev already exists in the domain configuration")
            seen.add(key)
        a = h.find("address")
        if h.get("type") == "scsi" and a is not None and a.get("type") == "drive":
            k = _drive(a)
            if k in scsi_addrs:
                _fail(CONFIG_UNSUPPORTED, "SCSI host address controller='%s' bus='%s' "
                      "target='%s' unit='%s' in use by another SCSI host device" % k)
            scsi_addrs.add(k)


def _video(devs):
    videos = devs.findall("video")
    types = [v.find("model").get("type") for v in videos]
    if "none" in types and len(videos) > 1:
        _fail(CONFIG_UNSUPPORTED,
              "a 'none' video type must be the only video device defined for the domain")
    for v in videos:
        if v.find("model").get("type") == "ramfb" and v.find("address") is not None:
            _fail(CONFIG_UNSUPPORTED, "address not supported for video type ramfb")


def _numa(root):
    cpu = root.find("cpu")
    if cpu is not None and cpu.get("check") is not None and cpu.find("model") is None \
            and cpu.get("mode", "custom") == "custom":
        _fail(CONFIG_UNSUPPORTED, "check attribute specified for CPU with no model")
    mem = root.find("numatune/memory")
    if mem is not None and mem.get("placement") == "static" and mem.get("nodeset") is None:
        _fail(CONFIG_UNSUPPORTED, "nodeset for NUMA memory tuning must be set if 'placement' "
              "is 'static'")
    cells = root.findall("cpu/numa/cell")
    ncpus = sum(len(bitmap.parse(c.get("cpus"))) for c in cells if c.get("cpus"))
    if cells and ncpus > (numbers.parse_uint(root.findtext("vcpu"), 10) or 0):
        _fail(INTERNAL_ERROR, "Number of CPUs in <numa> exceeds the <vcpu> count")
    ids = {c.get("id") for c in cells}
    if root.find("numatune/memnode") is not None and not cells:
        _fail(XML_ERROR, "Element 'memnode' is invalid without any guest NUMA cells")
    for page in root.findall("memoryBacking/hugepages/page[@nodeset]"):
        for node in sorted(bitmap.parse(page.get("nodeset"))):
            if str(node) not in ids:
                _raw("hugepages: node %d not found" % node)
    for m in root.findall("devices/memory"):
        node = m.findtext("target/node")
        if node is not None and not cells:
            _raw("can't add memory backend as guest has no NUMA nodes configured")
        if node is not None and cells and (numbers.parse_uint(node, 10) or 0) >= len(cells):
            _raw("can't add memory backend for guest node '%s' as the guest has only '%d' "
                 "NUMA nodes configured" % (node.strip(), len(cells)))


def _firmware(os_):
    parts = by_tag(os_)
    if "loader" not in parts and "firmware" not in parts:
        return
    loader = os_.find("loader")
    fw = os_.get("firmware")
    feats = {f.get("name"): f.get("enabled") for f in os_.findall("firmware/feature")}
    if feats.get("enrolled-keys") == "yes" and feats.get("secure-boot") == "no":
        _raw("firmware feature 'enrolled-keys' cannot be enabled when firmware feature "
             "'secure-boot' is disabled")
    if loader is not None and loader.get("stateless") == "no":
        if fw == "bios":
            _raw("Only EFI firmware permits NVRAM")
        if fw is None and loader.get("type") != "pflash":
            _raw("Only pflash loader type permits NVRAM")
    if loader is not None and fw is None and not (loader.text or "").strip() and \
            loader.get("type") == "pflash":
        _raw("no loader path specified and firmware auto selection disabled")
    nvram = os_.find("nvram")
    if loader is not None and loader.get("stateless") == "yes" and nvram is not None \
            and nvram.get("template") is not None:
        _raw("NVRAM template is not permitted when loader is stateless")


def _resctrl(root):
    vcpu_sets = []
    for tune in root.findall("cputune/cachetune") + root.findall("cputune/memorytune"):
        vcpus = bitmap.parse(tune.get("vcpus"))
        for other_tag, other in vcpu_sets:
            if other == vcpus and other_tag == tune.tag == "cachetune":
                _fail(XML_ERROR, "Identical vcpus in cachetunes found")
            if other & vcpus and other != vcpus:
                _fail(XML_ERROR, "Overlapping vcpus in resctrls")
        vcpu_sets.append((tune.tag, vcpus))
        allocs = {}
        for cache in tune.findall("cache"):
            key = (cache.get("level"), cache.get("id"))
            types = allocs.setdefault(key, set())
            ctype = cache.get("type")
            if ctype in types or ("both" in types) or (ctype == "both" and types):
                _fail(XML_ERROR, "Colliding cache allocations for cache level '%s' id '%s', "
                      "type '%s'" % (cache.get("level"), cache.get("id"), ctype))
            types.add(ctype)
        nodes = set()
        for node in tune.findall("node"):
            if node.get("id") in nodes:
                _fail(XML_ERROR, "Memory Bandwidth already defined for node %s" % node.get("id"))
            nodes.add(node.get("id"))


def _misc(root, devs):
    panic_models = set()
    for p in devs.findall("panic"):
        model = p.get("model") or "default"
        if model in panic_models:
            _fail(XML_ERROR, "Multiple panic devices with model '%s'" % model)
        panic_models.add(model)
    models = set()
    for s in root.findall("seclabel"):
        model = s.get("model")
        if model in models:
            _raw("seclabel for model %s is already provided" % model)
        models.add(model)

