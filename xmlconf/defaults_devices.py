"""libvirt's post-parse defaults for the other devices.

Character devices (ports, the console mirroring the first serial port),
inputs, graphics listens and ports, video models, interfaces, and the
printed form of device addresses.
"""
import functools

from lxml import etree

from virtsh.drivers.errors import VirtError, XML_ERROR
from virtsh.xmlconf import numbers
from virtsh.xmlconf.tree import assign, attr, child, insert, merged_attrs, set_attrs

DEV = "domain/devices"


# -- character devices -------------------------------------------------------

def inputs(root, devs):
    """Input devices default to the machine's native bus."""
    arch = root.find("os/type").get("arch")
    native = "ps2" if arch in (None, "i686", "x86_64") else "usb"
    for i in devs.findall("input"):
        if i.get("bus") is None and i.get("type") in ("mouse", "keyboard", "tablet"):
            attr(i, DEV + "/input", "bus", native if i.get("type") != "tablet" else "usb")


def chardevs(root, devs):
    hvm = (root.findtext("os/type") or "hvm") == "hvm"
    for c in devs.iterchildren("serial", "console", "parallel", "channel"):
        if c.get("type") is None:
            attr(c, DEV + "/" + c.tag, "type", "pty")
    serials = devs.findall("serial")
    consoles = devs.findall("console")
    mirror_port = "0"
    for i, c in enumerate(consoles):
        t = c.find("target")
        if t is not None:
            attr(t, DEV + "/console/target", "port", str(i))
    _assign_ports(serials, DEV + "/serial")
    chardevs = [(c, DEV + "/" + c.tag) for c in devs.iterchildren(
        "serial", "console", "parallel", "channel", "smartcard", "redirdev")]
    chardevs += [(b, DEV + "/rng/backend") for b in devs.findall("rng/backend")
                 if b.get("model") == "egd"]
    for c, path in chardevs:
        proto = c.find("protocol")
        if c.get("type") != "tcp" and proto is not None:
            c.remove(proto)
        elif c.get("type") == "tcp" and proto is None:
            insert(c, path, "protocol", {"type": "raw"})
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


_SPICE_CHANNELS = ("main", "display", "inputs", "cursor", "playback", "record",
                   "smartcard", "usbredir")


def _spice_channel_order(g):
    """libvirt keeps one mode per SPICE channel and prints them in its
    channel order, whatever the document's."""
    channels = g.findall("channel")
    if len(channels) < 2:
        return
    ranked = sorted(channels, key=lambda c: _SPICE_CHANNELS.index(c.get("name"))
                    if c.get("name") in _SPICE_CHANNELS else len(_SPICE_CHANNELS))
    anchor = channels[0].getprevious()
    for c in channels:
        g.remove(c)
    for i, c in enumerate(ranked):
        if anchor is None:
            g.insert(i, c)
        else:
            anchor.addnext(c)
            anchor = c


def _spice(g):
    path = DEV + "/graphics"
    _spice_channel_order(g)
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


def watchdogs(devs):
    """A watchdog that names no action resets the guest when it fires."""
    for w in devs.findall("watchdog"):
        if w.get("action") is None:
            attr(w, DEV + "/watchdog", "action", "reset")


def tpms(devs):
    """A passed-through TPM is the host's first unless it names another."""
    for backend in devs.findall("tpm/backend[@type='passthrough']"):
        device = child(backend, DEV + "/tpm/backend", "device")
        if device.get("path") is None:
            attr(device, DEV + "/tpm/backend/device", "path", "/dev/tpm0")


def panics(devs):
    """model='default' is no model: the driver picks the machine's own."""
    for p in devs.findall("panic[@model='default']"):
        del p.attrib["model"]


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
        if i.get("type") is None:
            attr(i, path, "type", "user")
        for frames in i.findall("coalesce/rx/frames"):
            if not numbers.parse_uint(frames.get("max"), 10):
                frames.getparent().remove(frames)
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
        mac = i.find("mac")
        if mac is None:
            insert(i, path, "mac", {"address": random_mac()})
        elif mac.get("address") is None:
            attr(mac, path + "/mac", "address", random_mac())
        t = i.find("target")
        if t is not None and (t.get("dev") or "").startswith(_GENERATED_IFNAMES):
            del t.attrib["dev"]


def random_mac():
    import os
    b = os.urandom(3)
    return "52:54:00:%02x:%02x:%02x" % (b[0], b[1], b[2])


# -- addresses ---------------------------------------------------------------

def _fmt(fmt):
    def conv(value, name="", tag="address"):
        n = numbers.parse_uint(value)
        if n is None:
            raise VirtError(XML_ERROR, "Invalid value for attribute '%s' in element '%s': "
                            "'%s'. Expected non-negative integer value" % (name, tag, value))
        return fmt % n
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


def host_pci_addresses(devs):
    """A host PCI device's source address is printed in full."""
    fields = _ADDRESS_FIELDS["pci"]
    for h in devs.iterfind("hostdev[@type='pci']"):
        src = h.find("source")
        if src is None:
            src = insert(h, "domain/devices/hostdev", "source")
        if src.find("address") is None:
            insert(src, "domain/devices/hostdev/source", "address")
    for a in devs.iterfind("hostdev[@type='pci']/source/address"):
        set_attrs(a, "domain/devices/hostdev/source/address",
                  {name: conv(a.get(name, "0"), name) for name, conv in fields})


def address(a):
    """An address in libvirt's printed form."""
    items = tuple(a.items())
    printed = _printed_address(items)
    if printed != items:
        assign(a, printed)
    z = a.find("zpci") if len(a) else None
    if z is not None:
        set_attrs(z, "domain/devices/hostdev/address/zpci",
                  {"uid": _fmt("0x%04x")(z.get("uid", "0"), "uid", "zpci"),
                   "fid": _fmt("0x%08x")(z.get("fid", "0"), "fid", "zpci")})


@functools.lru_cache(maxsize=4096)
def _printed_address(items):
    """The printed attributes of an address with attribute *items* (a
    tuple): documents hold the same few addresses over and over."""
    attrs = dict(items)
    atype = attrs.get("type")
    fields = _ADDRESS_FIELDS.get(atype)
    if not fields:
        return items
    given = [name for name, _ in fields if attrs.get(name) is not None]
    if atype in _ALL_FIELDS and (given or atype in _ALWAYS_ALL):
        vals = {name: conv(attrs.get(name, "0"), name) for name, conv in fields}
    else:
        vals = {name: conv(attrs.get(name), name) for name, conv in fields
                if attrs.get(name) is not None}
    if atype == "pci" and given and not any(int(vals[k], 16) for k in ("domain", "bus", "slot")):
        vals = dict.fromkeys(vals)  # libvirt treats slot 0 on bus 0 as "no address"
    return tuple(merged_attrs("domain/devices/disk/address", items, vals))
