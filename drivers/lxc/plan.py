"""What starting a container needs, read from its live definition.

``build(root, name)`` checks the definition the way libvirt's LXC driver
does before it starts anything and returns a plain dict (the *plan*) that
the supervisor and the container's first process follow.
"""
import os

from virtsh.drivers.errors import VirtError, CONFIG_UNSUPPORTED, INTERNAL_ERROR

MOUNTABLE = ("mount", "bind", "ram", "block")


def startup_error(message):
    """The error of a container that failed to come up, as libvirt words it."""
    return VirtError(INTERNAL_ERROR, "guest failed to start: Failure in libvirt_lxc startup: %s"
                     % message)


def build(root, name, nic_prefix="veth"):
    consoles = root.findall("devices/console")
    if not consoles:
        raise VirtError(CONFIG_UNSUPPORTED, "At least one PTY console is required")
    if any(c.get("type") != "pty" for c in consoles):
        raise VirtError(CONFIG_UNSUPPORTED, "Only PTY console types are supported")
    os_elem = root.find("os")
    plan = {
        "name": name, "uuid": root.findtext("uuid"),
        "init": os_elem.findtext("init") or "/sbin/init",
        "initargs": [a.text or "" for a in os_elem.findall("initarg")],
        "initenv": [(e.get("name"), e.text or "") for e in os_elem.findall("initenv")],
        "initdir": os_elem.findtext("initdir") or "/",
        "inituser": os_elem.findtext("inituser"), "initgroup": os_elem.findtext("initgroup"),
        "root": None, "mounts": [], "nets": [],
        "uidmap": _idmap(root, "uid"), "gidmap": _idmap(root, "gid"),
    }
    if root.find("idmap") is not None and not (plan["uidmap"] and plan["gidmap"]):
        raise VirtError(CONFIG_UNSUPPORTED, "You must map the root user of container")
    for fs in root.findall("devices/filesystem"):
        plan_fs(plan, fs)
    used = set(_host_links())
    for index, nic in enumerate(root.findall("devices/interface")):
        plan["nets"].append(_plan_nic(nic, index, used, nic_prefix))
    from virtsh.drivers.lxc import lxcns
    plan["shares"] = lxcns.shares(root)
    return plan


def _idmap(root, kind):
    entries = [(int(e.get("start")), int(e.get("target")), int(e.get("count")))
               for e in root.findall("idmap/" + kind)]
    return entries if any(start == 0 for start, _, _ in entries) else []


def plan_fs(plan, fs):
    kind = fs.get("type") or "mount"
    source, target = fs.find("source"), fs.find("target").get("dir")
    readonly = fs.find("readonly") is not None
    if kind not in MOUNTABLE:
        raise startup_error("Unexpected filesystem type %s" % kind)
    if kind == "ram":
        plan["mounts"].append(("ram", source.get("usage"), target, readonly))
        return
    path = source.get("dir") if kind in ("mount", "bind") else source.get("dev")
    if not os.path.exists(path):
        raise startup_error("Failed to resolve symlink at %s: No such file or directory" % path)
    if target == "/" and kind == "mount":
        plan["root"] = path
    else:
        plan["mounts"].append((kind, path, target, readonly))


def _host_links():
    try:
        return os.listdir("/sys/class/net")
    except OSError:
        return []


def _plan_nic(nic, index, used, prefix):
    kind = nic.get("type")
    if kind not in ("ethernet", "bridge"):
        raise VirtError(CONFIG_UNSUPPORTED, "Unsupported network type %s" % kind)
    if nic.find("script") is not None:
        raise VirtError(CONFIG_UNSUPPORTED, "scripts are not supported on LXC network interfaces")
    host = nic.find("target").get("dev") if nic.find("target") is not None else None
    if not host:
        number = 0
        while "%s%d" % (prefix, number) in used:
            number += 1
        host = "%s%d" % (prefix, number)
    used.add(host)
    guest = nic.find("guest")
    addresses = [(ip.get("address"), ip.get("prefix"), ip.get("family"), ip.get("peer"))
                 for ip in nic.findall("ip")]
    routes = [(r.get("family"), r.get("address"), r.get("prefix"), r.get("gateway"))
              for r in nic.findall("route")]
    host_ips = [(ip.get("address"), ip.get("prefix"), ip.get("family"), ip.get("peer"))
                for ip in nic.findall("source/ip")]
    return {"host": host, "peer": "%sp" % host[:13],
            "guest": guest.get("dev") if guest is not None and guest.get("dev") else "eth%d" % index,
            "mac": nic.find("mac").get("address"),
            "bridge": nic.find("source").get("bridge") if kind == "bridge" else None,
            "ips": addresses, "routes": routes, "host_ips": host_ips}
