"""What starting a domain decides for its VNC and SPICE displays.

libvirt's start-time rules, applied to the live definition before the
command line is built: a listen address left empty becomes qemu.conf's
``*_listen``, or, with ``*_auto_unix_socket = 1``, a unix socket in the
domain's directory (``LIB/domain-ID-NAME/vnc.sock``); a socket listen
without a path gets that path too; SPICE with autoport gets free ports
from ``remote_display_port_min``..``max`` (QEMU's VNC server finds its
own port).  Passwords are handed to QEMU over QMP, never on its command
line.
"""
import os

from virtsh.drivers.errors import VirtError, CONFIG_UNSUPPORTED, INTERNAL_ERROR

KINDS = ("vnc", "spice")
PRETEND_SPICE_PORT, PRETEND_SPICE_TLS_PORT = 5901, 5902     # domxml-to-native


def domain_dir(lib_dir, dom_id, name):
    """The per-run directory of a domain (libvirt's short name: the id and
    at most 20 characters of the name)."""
    return os.path.join(lib_dir, "domain-%d-%s" % (dom_id, name[:20]))


def setup_listens(root, conf, run_dir):
    """Fill the listens of VNC and SPICE displays as a start does; whether
    one of them is a socket in *run_dir* (the directory must then exist)."""
    in_dir = False
    for g in root.findall("devices/graphics"):
        kind = g.get("type")
        listen = g.find("listen")
        if kind not in KINDS or listen is None:
            continue
        path = os.path.join(run_dir, "%s.sock" % kind)
        if listen.get("type") == "address" and not listen.get("address"):
            if conf.get("%s_auto_unix_socket" % kind):
                _listen_on_socket(g, listen, path)
                in_dir = True
            else:
                address = conf.get("%s_listen" % kind) or "127.0.0.1"
                listen.set("address", address)
                g.set("listen", address)
        elif listen.get("type") == "socket" and not listen.get("socket"):
            _listen_on_socket(g, listen, path)
            in_dir = True
    return in_dir


def _listen_on_socket(g, listen, path):
    listen.attrib.clear()
    listen.set("type", "socket")
    listen.set("socket", path)
    for name in ("port", "tlsPort", "autoport", "listen"):
        g.attrib.pop(name, None)
    if g.get("type") == "vnc":
        g.set("socket", path)


def allocate_spice_ports(root, conf, pretend=False):
    """Give SPICE displays with autoport their plain (and, with TLS, their
    TLS) port; *pretend*: libvirt's fixed stand-ins, nothing probed."""
    low = int(conf.get("remote_display_port_min", 5900))
    high = int(conf.get("remote_display_port_max", 65535))
    taken = set()
    for g in root.findall("devices/graphics[@type='spice']"):
        listen = g.find("listen")
        if g.get("autoport") != "yes" or listen is None \
                or listen.get("type") not in ("address", "network"):
            continue
        modes = [c.get("mode") for c in g.findall("channel")] + [g.get("defaultMode")]
        wants_tls = bool(conf.get("spice_tls")) or "secure" in modes
        if wants_tls and not conf.get("spice_tls"):
            raise VirtError(CONFIG_UNSUPPORTED,
                            "Auto allocation of spice TLS port requested but spice "
                            "TLS is disabled in qemu.conf")
        if pretend:
            g.set("port", str(PRETEND_SPICE_PORT))
            if wants_tls:
                g.set("tlsPort", str(PRETEND_SPICE_TLS_PORT))
            continue
        port = free_port(low, high, taken)
        taken.add(port)
        g.set("port", str(port))
        if wants_tls:
            tls = free_port(low, high, taken)
            taken.add(tls)
            g.set("tlsPort", str(tls))


def free_port(low, high, taken=()):
    """The first port of *low*..*high* not in *taken* that nothing on this
    host listens on (IPv4 and IPv6 wildcard binds succeed)."""
    for port in range(low, high + 1):
        if port not in taken and _bindable(port):
            return port
    raise VirtError(INTERNAL_ERROR, "Unable to find an unused port in range "
                    "'display' (%d-%d)" % (low, high))


def _bindable(port):
    import socket
    for family, address in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
        try:
            sock = socket.socket(family, socket.SOCK_STREAM)
        except OSError:
            continue            # no IPv6 on this host
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind((address, port))
        except OSError:
            return False
        finally:
            sock.close()
    return True


def password(g, conf):
    """The password of display *g*: its own, else qemu.conf's (None: none)."""
    return g.get("passwd") or conf.get("%s_password" % g.get("type")) or None


def set_passwords(root, conf, mon):
    """Hand each display's password to QEMU (set_password, expire_password)."""
    for g in root.findall("devices/graphics"):
        kind = g.get("type")
        secret = password(g, conf) if kind in KINDS else None
        if secret is None:
            continue
        args = {"protocol": kind, "password": secret}
        if g.get("connected"):
            args["connected"] = g.get("connected")
        mon.cmd("set_password", **args)
        mon.cmd("expire_password", protocol=kind, time=_expiry(g.get("passwdValidTo")))


def _expiry(valid_to):
    """QMP's expiry time of a passwdValidTo (UTC ``YYYY-MM-DDTHH:MM:SS``)."""
    if not valid_to:
        return "never"
    import calendar
    import time
    return "%d" % calendar.timegm(time.strptime(valid_to[:19], "%Y-%m-%dT%H:%M:%S"))
