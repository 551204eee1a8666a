"""The ``-spice`` option of a <graphics type='spice'>, in libvirt's order.

Where the server listens (a unix socket, a plain and/or TLS port, or
nowhere: ``port=0``), then the mouse mode, ticketing (a password is set
over QMP after the start, so only its absence shows: disable-ticketing),
TLS and the per-channel security, the compression and streaming
settings, clipboard and file transfer, OpenGL, and always seamless
migration.
"""
from virtsh.drivers.errors import VirtError, CONFIG_UNSUPPORTED

_COMPRESSIONS = (("image", "image-compression"), ("jpeg", "jpeg-wan-compression"),
                 ("zlib", "zlib-glz-wan-compression"), ("playback", "playback-compression"))


def spice_option(g, conf):
    from virtsh.drivers.qemu.command import escape_commas
    from virtsh.drivers.qemu.displays import password
    opts = []
    listen = g.find("listen")
    kind = listen.get("type") if listen is not None else "none"
    plain = secure = False
    if kind == "socket":
        opts.append("unix,addr=%s" % escape_commas(listen.get("socket")))
        plain = True
    elif kind in ("address", "network"):
        port, tls_port = int(g.get("port") or 0), int(g.get("tlsPort") or 0)
        if port > 0:
            opts.append("port=%d" % port)
            plain = True
        if tls_port > 0:
            if not conf.get("spice_tls"):
                raise VirtError(CONFIG_UNSUPPORTED, "spice TLS port set in XML "
                                "configuration, but TLS is disabled in qemu.conf")
            opts.append("tls-port=%d" % tls_port)
            secure = True
        if (plain or secure) and listen.get("address"):
            opts.append("addr=%s" % escape_commas(listen.get("address")))
    else:
        opts.append("port=0")       # QEMU wants a port or a socket: a dummy one
        plain = True
    mouse = g.find("mouse")
    if mouse is not None and mouse.get("mode") in ("server", "client"):
        opts.append("agent-mouse=%s" % ("off" if mouse.get("mode") == "server" else "on"))
    if not password(g, conf):
        opts.append("disable-ticketing=on")
    if secure:
        opts.append("x509-dir=%s" % escape_commas(conf.get("spice_tls_x509_cert_dir")))
    opts += _channel_modes(g, plain, secure)
    for tag, name in _COMPRESSIONS:
        value = g.find(tag).get("compression") if g.find(tag) is not None else None
        if value:
            opts.append("%s=%s" % (name, value))
    streaming = g.find("streaming")
    if streaming is not None and streaming.get("mode"):
        opts.append("streaming-video=%s" % streaming.get("mode"))
    clipboard = g.find("clipboard")
    if clipboard is not None and clipboard.get("copypaste") == "no":
        opts.append("disable-copy-paste=on")
    transfer = g.find("filetransfer")
    if transfer is not None and transfer.get("enable") == "no":
        opts.append("disable-agent-file-xfer=on")
    gl = g.find("gl")
    if gl is not None and gl.get("enable") == "yes":
        opts.append("gl=on")
        if gl.get("rendernode"):
            opts.append("rendernode=%s" % escape_commas(gl.get("rendernode")))
    opts.append("seamless-migration=on")
    return ",".join(opts)


def _channel_modes(g, plain, secure):
    """The default and per-channel tls-/plaintext-channel options, refused
    where the connection they need is not offered."""
    out = []
    default = g.get("defaultMode")
    if default == "secure":
        if not secure:
            raise VirtError(CONFIG_UNSUPPORTED, "spice defaultMode secure requested in "
                            "XML configuration, but TLS connection is not available")
        out.append("tls-channel=default")
    elif default == "insecure":
        if not plain:
            raise VirtError(CONFIG_UNSUPPORTED, "spice defaultMode insecure requested in "
                            "XML configuration, but plaintext connection is not available")
        out.append("plaintext-channel=default")
    for channel in g.findall("channel"):      # in libvirt's order since the define
        mode, name = channel.get("mode"), channel.get("name")
        if mode == "secure":
            if not secure:
                raise VirtError(CONFIG_UNSUPPORTED, "spice secure channels set in XML "
                                "configuration, but TLS connection is not available")
            out.append("tls-channel=%s" % name)
        elif mode == "insecure":
            if not plain:
                raise VirtError(CONFIG_UNSUPPORTED, "spice insecure channels set in XML "
                                "configuration, but plain port is not provided")
            out.append("plaintext-channel=%s" % name)
    return out
