"""The live definition of a running domain: what only QEMU can tell.

Device aliases (libvirt's names, the same ids the command line gives
QEMU), the pty behind each serial port and console, the VNC port picked
by autoport, the listen address qemu.conf gives graphics that name none,
the host tap of ethernet NICs.
"""
import os

from lxml import etree


def assign_aliases(root):
    """Give every device libvirt's alias (``net0``, ``serial0``, ``usb`` ...)."""
    devices = root.find("devices")
    counters = {}

    def next_of(prefix):
        n = counters.get(prefix, 0)
        counters[prefix] = n + 1
        return "%s%d" % (prefix, n)

    for disk in devices.findall("disk"):
        target = disk.find("target")
        addr = disk.find("address")
        bus = target.get("bus")
        if bus == "virtio":
            alias = "virtio-disk%d" % _disk_index(target.get("dev"))
        elif addr is not None and addr.get("type") == "drive":
            alias = "%s%s-%s-%s" % ("sata" if bus == "sata" else bus,
                                    addr.get("controller"), addr.get("bus"),
                                    addr.get("unit"))
        else:
            alias = next_of("disk")
        _set_alias(disk, alias)
    for c in devices.findall("controller"):
        kind, index = c.get("type"), c.get("index", "0")
        if kind == "pci":
            alias = "pcie.0" if c.get("model") == "pcie-root" else "pci.%s" % index
        elif kind in ("sata", "ide") and index == "0":
            alias = "ide"
        elif kind == "usb" and index == "0":
            alias = "usb"
        else:
            alias = "%s%s" % (kind, index)
        _set_alias(c, alias)
    for tag, prefix in (("interface", "net"), ("serial", "serial"),
                        ("input", "input"), ("video", "video"),
                        ("sound", "sound"), ("rng", "rng")):
        counters.pop(prefix, None)
        for dev in devices.findall(tag):
            _set_alias(dev, next_of(prefix))
    for i, console in enumerate(devices.findall("console")):
        _set_alias(console, "serial%d" % i if i == 0 else "console%d" % i)
    balloon = devices.find("memballoon")
    if balloon is not None and balloon.get("model") != "none":
        _set_alias(balloon, "balloon0")


def _disk_index(dev):
    n = 0
    for ch in dev[2:]:
        n = n * 26 + ord(ch) - ord("a") + 1
    return n - 1


def _set_alias(dev, name):
    old = dev.find("alias")
    if old is not None:
        dev.remove(old)
    alias = etree.Element("alias", name=name)
    anchor = dev.find("address")
    if anchor is not None:
        anchor.addprevious(alias)
    else:
        dev.append(alias)


def record_ptys(root, chardevs):
    """Put the pty paths QEMU reported (query-chardev) into the definition."""
    paths = {c["label"]: c["filename"][4:] for c in chardevs
             if c.get("filename", "").startswith("pty:")}
    devices = root.find("devices")
    for i, serial in enumerate(devices.findall("serial")):
        path = paths.get("charserial%d" % i)
        if path and serial.get("type") == "pty":
            _set_source(serial, path)
    for console in devices.findall("console"):
        if console.get("type") == "pty" and paths.get("charserial0"):
            console.set("tty", paths["charserial0"])
            _set_source(console, paths["charserial0"])


def _set_source(dev, path):
    src = dev.find("source")
    if src is None:
        src = etree.Element("source")
        dev.insert(0, src)
    src.set("path", path)


def record_vnc(root, vnc):
    """Put the port QEMU's VNC server listens on into the definition."""
    graphics = root.find("devices/graphics[@type='vnc']")
    if graphics is None or not vnc.get("enabled"):
        return
    service = vnc.get("service")
    if service and service.isdigit() and graphics.get("port", "-1") == "-1":
        graphics.set("port", service)


def record_dac_label(root):
    """The DAC label QEMU runs under (our uid:gid), as libvirt reports it."""
    if root.find("seclabel") is not None:
        return
    label = "+%d:+%d" % (os.getuid(), os.getgid())
    sec = etree.SubElement(root, "seclabel", type="dynamic", model="dac", relabel="yes")
    etree.SubElement(sec, "label").text = label
    etree.SubElement(sec, "imagelabel").text = label


def fill_listen(root, conf):
    """Give graphics without a listen address qemu.conf's (vnc_listen ...)."""
    for g in root.findall("devices/graphics"):
        kind = g.get("type")
        if kind not in ("vnc", "spice"):
            continue
        listen = g.find("listen")
        if listen is None:
            listen = etree.Element("listen", type="address")
            g.insert(0, listen)
        if listen.get("type") != "address" or listen.get("address"):
            continue
        address = g.get("listen") or conf.get("%s_listen" % kind, "127.0.0.1")
        listen.set("address", address)
        g.set("listen", address)


TAP_NIC_TYPES = ("ethernet", "network", "bridge")


def name_taps(root):
    """Tap-backed NICs without a host device name get the next free vnetN."""
    from lxml import etree
    taken = set(os.listdir("/sys/class/net")) if os.path.isdir("/sys/class/net") else set()
    n = 0
    for nic in root.findall("devices/interface"):
        if nic.get("type") not in TAP_NIC_TYPES:
            continue
        target = nic.find("target")
        if target is not None and target.get("dev"):
            continue
        while "vnet%d" % n in taken:
            n += 1
        taken.add("vnet%d" % n)
        if target is None:
            target = etree.Element("target")
            anchor = nic.find("source") if nic.find("source") is not None else nic.find("mac")
            anchor.addnext(target)
        target.set("dev", "vnet%d" % n)


def plug_taps(root, network_bridge):
    """Create the taps of NICs on a virtual network or host bridge and join
    them to their bridge (*network_bridge* maps a network name to its
    bridge); the tap names, for unplugging at stop."""
    from virtsh.drivers import netsetup
    plugged = []
    try:
        for nic in root.findall("devices/interface"):
            source = nic.find("source")
            if nic.get("type") not in ("network", "bridge") or source is None:
                continue
            bridge = (network_bridge(source.get("network")) if nic.get("type") == "network"
                      else source.get("bridge"))
            if nic.get("type") == "network":
                source.set("bridge", bridge)
            tap = nic.find("target").get("dev")
            netsetup.plug_tap(bridge, tap, nic.find("mac").get("address"))
            plugged.append(tap)
    except Exception:
        unplug_taps(plugged)
        raise
    return plugged


def unplug_taps(taps):
    from virtsh.drivers import netsetup
    for tap in taps:
        netsetup.unplug_tap(tap)


def taps_up(root):
    """Bring up the host side of ethernet NICs QEMU created (managed ones)."""
    import subprocess
    for target in root.findall("devices/interface[@type='ethernet']/target"):
        if target.get("managed") != "no" and target.get("dev"):
            subprocess.run(["ip", "link", "set", "dev", target.get("dev"), "up"],
                           capture_output=True)
