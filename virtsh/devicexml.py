"""Device XML built from command options (attach-disk, attach-interface).

virsh writes these documents itself, in its own element order (a
``<target>`` before the ``<mac>`` of an interface, for one), and
``--print-xml`` shows them verbatim; so they are built as text here,
not through xmlconf.  Bad option values raise virsh's CommandError.
"""
from virtsh.errors import CommandError

DISK_SOURCE_TYPES = ("file", "block", "network")
DISK_MODES = ("readonly", "shareable")
NET_TYPES = ("user", "ethernet", "vhostuser", "server", "client", "mcast",
             "network", "bridge", "internal", "direct", "hostdev", "udp",
             "vdpa", "null", "vds")
SOURCE_MODES = ("server", "client")

# Address kinds of virsh's --address option and the number base of each field.
_ADDRESS_FIELDS = {
    "pci": (16, 16, 16, 16),
    "scsi": (10, 10, 10),
    "ide": (10, 10, 10),
    "sata": (10, 10, 10),
    "ccw": (16, 16, 16),
    "usb": (10, 10),
}


def escape(value):
    """libvirt's virBufferEscapeString for attribute values."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&apos;").replace('"', "&quot;"))


def attr(name, value):
    """`` name='value'`` (escaped), or nothing when value is None."""
    return "" if value is None else " %s='%s'" % (name, escape(value))


def element(name, attrs, children=()):
    """Lines of an element: self-closing, or wrapping indented *children*;
    nothing at all when it has neither (libvirt's virXMLFormatElement)."""
    if not attrs and not children:
        return []
    if not children:
        return ["<%s%s/>" % (name, attrs)]
    return (["<%s%s>" % (name, attrs)] + ["  " + line for line in children]
            + ["</%s>" % name])


# --- addresses --------------------------------------------------------------
def parse_address(text, multifunction=False):
    """(kind, numbers) of ``pci:0000.00.0a.0``, ``scsi:0.0.1`` ...; None if
    malformed (virsh's virshAddressParse)."""
    kind, sep, rest = text.partition(":")
    bases = _ADDRESS_FIELDS.get(kind)
    if not sep or bases is None:
        return None
    parts = rest.split(".")
    if len(parts) != len(bases):
        return None
    numbers = []
    for part, base in zip(parts, bases):
        number = _strtoul(part, base)
        if number is None:
            return None
        numbers.append(number)
    return kind, numbers, multifunction


def _strtoul(text, base):
    digits = text.strip()
    if base == 16 and digits[:2].lower() == "0x":
        digits = digits[2:]
    try:
        value = int(digits, base)
    except ValueError:
        return None
    return value if value >= 0 and digits else None


def format_address(address):
    """The <address> element of a parsed address (virshAddressFormat)."""
    kind, n, multifunction = address
    if kind == "pci":
        text = ("<address type='pci' domain='0x%04x' bus='0x%02x' slot='0x%02x' "
                "function='0x%x'" % tuple(n))
        return text + (" multifunction='on'/>" if multifunction else "/>")
    if kind in ("scsi", "ide", "sata"):
        return "<address type='drive' controller='%d' bus='%d' unit='%d'/>" % tuple(n)
    if kind == "ccw":
        return "<address type='ccw' cssid='0x%02x' ssid='0x%x' devno='0x%04x'/>" % tuple(n)
    return "<address type='usb' bus='%d' port='%d'/>" % tuple(n)


def disk_address(text, target, multifunction):
    """The <address> line of attach-disk's --address, checked against the
    target's bus prefix as virsh does."""
    address = parse_address(text, multifunction)
    if address is None:
        raise CommandError("Invalid address.")
    kind = address[0]
    if target.startswith("vd") and kind not in ("pci", "ccw"):
        raise CommandError("expecting a pci:0000.00.00.00 or ccw:00.0.0000 address.")
    if target.startswith("sd") and kind not in ("scsi", "usb", "sata"):
        raise CommandError("expecting a scsi:00.00.00 or usb:00.00 or sata:00.00.00 "
                           "address.")
    if target.startswith("hd") and kind != "ide":
        raise CommandError("expecting an ide:00.00.00 address.")
    return format_address(address)


# --- disks ------------------------------------------------------------------
def disk_xml(source, target, *, sourcetype=None, device=None, driver=None,
             subdriver=None, iothread=None, cache=None, io=None, mode=None,
             serial=None, wwn=None, alias=None, rawio=False, address=None,
             multifunction=False, targetbus=None, protocol=None, host_name=None,
             host_transport=None, host_socket=None, is_block_device=None):
    """The <disk> document of attach-disk.  *is_block_device(path)* tells
    whether a source path is a block device (virsh stats the file)."""
    if sourcetype is not None and sourcetype not in DISK_SOURCE_TYPES:
        raise CommandError("Unknown source type: '%s'" % sourcetype)
    if sourcetype is None:
        if protocol:
            sourcetype = "network"
        elif driver not in ("file", "tap") and source and is_block_device \
                and is_block_device(source):
            sourcetype = "block"
        else:
            sourcetype = "file"
    if (sourcetype == "network") != bool(protocol):
        raise CommandError("--source-protocol option requires --sourcetype network")
    if mode is not None and mode not in DISK_MODES:
        raise CommandError("No support for %s in command 'attach-disk'" % mode)
    if wwn is not None and not valid_wwn(wwn):
        raise CommandError("internal error: Malformed wwn: %s" % wwn)

    children = element("driver", attr("name", driver) + attr("type", subdriver)
                       + attr("iothread", iothread) + attr("cache", cache)
                       + attr("io", io))
    children += _disk_source(sourcetype, source, protocol, host_name,
                             host_transport, host_socket)
    children.append("<target dev='%s'%s/>" % (target, " bus='%s'" % targetbus
                                               if targetbus else ""))
    if mode:
        children.append("<%s/>" % mode)
    if serial:
        children.append("<serial>%s</serial>" % serial)
    if alias:
        children.append("<alias name='%s'/>" % alias)
    if wwn:
        children.append("<wwn>%s</wwn>" % wwn)
    if address:
        children.append(disk_address(address, target, multifunction))
    attrs = " type='%s'" % sourcetype + attr("device", device)
    if rawio:
        attrs += " rawio='yes'"
    return "\n".join(element("disk", attrs, children)) + "\n"


def _disk_source(sourcetype, source, protocol, host_name, transport, socket):
    if sourcetype == "file":
        return element("source", attr("file", source))
    if sourcetype == "block":
        return element("source", attr("dev", source))
    host_attrs = attr("transport", transport) + attr("socket", socket)
    if host_name:
        name, colon, port = host_name.partition(":")
        host_attrs += attr("name", name) + (attr("port", port) if colon else "")
    return element("source", attr("protocol", protocol) + attr("name", source),
                   element("host", host_attrs))


def valid_wwn(text):
    """libvirt's virValidateWWN: 16 hex digits, optionally after ``0x``."""
    digits = text[2:] if text[:2].lower() == "0x" else text
    return len(digits) == 16 and all(c in "0123456789abcdefABCDEF" for c in digits)


# --- interfaces ---------------------------------------------------------------
def parse_rate(text):
    """(average, peak, burst, floor) of ``average,peak,burst,floor``."""
    fields = text.split(",")
    if len(fields) > 4:
        raise CommandError("Rate string '%s' has too many fields" % text)
    values = []
    for name, field in zip(("average", "peak", "burst", "floor"), fields + [""] * 4):
        if field == "":
            values.append(0)
            continue
        number = _strtoul(field, 10) if field.strip().isdigit() else None
        if number is None:
            raise CommandError("field '%s' is malformed" % name)
        values.append(number)
    return tuple(values)


def interface_xml(type_, source, *, target=None, mac=None, script=None,
                  model=None, alias=None, inbound=None, outbound=None,
                  managed=False, source_mode=None):
    """The <interface> document of attach-interface."""
    if type_ not in NET_TYPES:
        raise CommandError("No support for %s in command 'attach-interface'" % type_)
    if source_mode is not None and source_mode not in SOURCE_MODES:
        raise CommandError("Invalid source mode: %s" % source_mode)
    rate_in = parse_rate(inbound) if inbound is not None else None
    if rate_in is not None and not rate_in[0] and not rate_in[3]:
        raise CommandError("either inbound average or floor is mandatory")
    rate_out = parse_rate(outbound) if outbound is not None else None
    if rate_out is not None and not rate_out[0]:
        raise CommandError("outbound average is mandatory")
    if rate_out is not None and rate_out[3]:
        raise CommandError("outbound floor is unsupported yet")

    lines = ["<interface type='%s'%s>" % (type_, " managed='yes'" if managed else "")]
    body = _interface_source(type_, source, source_mode)
    for tag, name, value in (("target", "dev", target), ("mac", "address", mac),
                             ("script", "path", script), ("model", "type", model),
                             ("alias", "name", alias)):
        if value is not None:
            body.append("<%s %s='%s'/>" % (tag, name, value))
    if inbound is not None or outbound is not None:
        body += ["<bandwidth>"] + ["  " + line for line in
                                   _rates(rate_in, rate_out)] + ["</bandwidth>"]
    lines += ["  " + line for line in body]
    lines.append("</interface>")
    return "\n".join(lines) + "\n"


def _interface_source(type_, source, source_mode):
    if type_ in ("network", "bridge"):
        return ["<source %s='%s'/>" % (type_, source)]
    if type_ == "direct":
        return ["<source dev='%s'/>" % source]
    if type_ == "hostdev":
        address = parse_address("pci:" + source)
        if address is None:
            raise CommandError("cannot parse pci address '%s' for network interface"
                               % source)
        return ["<source>", "  " + format_address(address), "</source>"]
    if type_ == "vhostuser":
        if source_mode is None:
            raise CommandError("source-mode is mandatory")
        return ["<source type='unix' path='%s' mode='%s'/>" % (source, source_mode)]
    raise CommandError("No support for %s in command 'attach-interface'" % type_)


def _rates(rate_in, rate_out):
    lines = []
    if rate_in is not None and (rate_in[0] or rate_in[3]):
        lines.append("<inbound%s/>" % "".join(
            " %s='%d'" % (name, value) for name, value
            in zip(("average", "peak", "burst", "floor"), rate_in) if value))
    if rate_out is not None and rate_out[0]:
        lines.append("<outbound%s/>" % "".join(
            " %s='%d'" % (name, value) for name, value
            in zip(("average", "peak", "burst"), rate_out) if value))
    return lines
