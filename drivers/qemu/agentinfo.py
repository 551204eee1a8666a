"""What qemu-ga's replies become in libvirt's API: file systems with the
domain's disk targets, interfaces with their addresses, the typed
parameters of virDomainGetGuestInfo, the vCPU plan of a guest vCPU count.
Pure functions of the replies (and the live <domain> tree)."""
from virtsh.drivers import domain as D
from virtsh.drivers.errors import (VirtError, INTERNAL_ERROR, INVALID_ARG,
                                   OPERATION_UNSUPPORTED)

IP_TYPES = {"ipv4": D.IP_ADDR_IPV4, "ipv6": D.IP_ADDR_IPV6}


def _pci(addr):
    """(domain, bus, slot, function) of a <address type='pci'> element."""
    return tuple(int(addr.get(k, "0"), 16) for k in ("domain", "bus", "slot", "function"))


def disk_target(root, disk):
    """The target (vda ...) of the domain disk a guest-get-fsinfo or
    guest-get-disks "disk" entry names, by its PCI address (libvirt's
    virDomainDiskByAddress), else by serial; None when none matches."""
    pci = disk.get("pci-controller") or {}
    where = tuple(pci.get(k, -1) for k in ("domain", "bus", "slot", "function"))
    for elem in root.findall("devices/disk"):
        addr = elem.find("address")
        if addr is None:
            continue
        if addr.get("type") == "pci" and _pci(addr) == where:
            return elem.find("target").get("dev")
        if addr.get("type") == "drive":
            ctl = root.find("devices/controller[@index='%s']" % addr.get("controller", "0"))
            ctl_addr = ctl.find("address") if ctl is not None else None
            if ctl_addr is not None and ctl_addr.get("type") == "pci" \
                    and _pci(ctl_addr) == where \
                    and [int(addr.get(k, "0")) for k in ("bus", "target", "unit")] \
                    == [disk.get("bus"), disk.get("target"), disk.get("unit")]:
                return elem.find("target").get("dev")
    serial = disk.get("serial")
    for elem in root.findall("devices/disk"):
        if serial and elem.findtext("serial") == serial:
            return elem.find("target").get("dev")
    return None


def file_systems(root, reply):
    """guest-get-fsinfo's answer in mount order (qemu-ga lists the latest
    mount first): dicts with mountpoint, name, type, bytes and disks, each
    disk a dict with its domain target ("alias"), serial and device."""
    out = []
    for entry in reversed(reply):
        disks = [{"alias": disk_target(root, d), "serial": d.get("serial"),
                  "device": d.get("dev")} for d in entry.get("disk", [])]
        out.append({"mountpoint": entry["mountpoint"], "name": entry["name"],
                    "type": entry["type"], "total": entry.get("total-bytes"),
                    "used": entry.get("used-bytes"), "disks": disks})
    return out


def interfaces(reply):
    """guest-network-get-interfaces' answer as (name, MAC, [(type, address,
    prefix)]), an alias interface (eth0:1) folded into its parent."""
    found = {}
    for entry in reply:
        if "name" not in entry:
            raise VirtError(INTERNAL_ERROR, "qemu agent didn't provide 'name' field")
        name = entry["name"].split(":", 1)[0]
        if name not in found:
            found[name] = (name, entry.get("hardware-address"), [])
        for ip in entry.get("ip-addresses") or ():
            kind = ip.get("ip-address-type")
            if kind not in IP_TYPES:
                raise VirtError(INTERNAL_ERROR, "unknown ip address type '%s'" % kind)
            found[name][2].append((IP_TYPES[kind], ip.get("ip-address"), ip.get("prefix", 0)))
    return list(found.values())


# --- virDomainGetGuestInfo's typed parameters ---------------------------------

def user_params(reply):
    params = [("user.count", len(reply))]
    for i, user in enumerate(reply):
        params.append(("user.%d.name" % i, user["user"]))
        if user.get("domain"):
            params.append(("user.%d.domain" % i, user["domain"]))
        params.append(("user.%d.login-time" % i, int(user.get("login-time", 0) * 1000)))
    return params


OS_FIELDS = ("id", "name", "pretty-name", "version", "version-id", "machine", "variant",
             "variant-id", "kernel-release", "kernel-version")


def os_params(reply):
    return [("os.%s" % key, reply[key]) for key in OS_FIELDS if reply.get(key)]


def timezone_params(reply):
    params = [("timezone.name", reply["zone"])] if reply.get("zone") else []
    return params + [("timezone.offset", reply.get("offset", 0))]


def fs_params(systems):
    params = [("fs.count", len(systems))]
    for i, fs in enumerate(systems):
        key = "fs.%d." % i
        params += [(key + "mountpoint", fs["mountpoint"]), (key + "name", fs["name"]),
                   (key + "fstype", fs["type"])]
        if fs["total"] is not None:
            params.append((key + "total-bytes", fs["total"]))
        if fs["used"] is not None:
            params.append((key + "used-bytes", fs["used"]))
        params.append((key + "disk.count", len(fs["disks"])))
        for j, disk in enumerate(fs["disks"]):
            for field in ("alias", "serial", "device"):
                if disk[field]:
                    params.append(("%sdisk.%d.%s" % (key, j, field), disk[field]))
    return params


def disk_params(root, reply):
    params = [("disk.count", len(reply))]
    for i, disk in enumerate(reply):
        key = "disk.%d." % i
        params += [(key + "name", disk["name"]), (key + "partition", bool(disk["partition"]))]
        deps = disk.get("dependencies") or []
        if deps:
            params.append((key + "dependency.count", len(deps)))
            params += [("%sdependency.%d.name" % (key, j), dep) for j, dep in enumerate(deps)]
        address = disk.get("address")
        if address:
            if address.get("serial"):
                params.append((key + "serial", address["serial"]))
            alias = disk_target(root, address)
            if alias:
                params.append((key + "alias", alias))
        if disk.get("alias"):
            params.append((key + "guest_alias", disk["alias"]))
    return params


def interface_params(found):
    params = [("if.count", len(found))]
    for i, (name, mac, addrs) in enumerate(found):
        key = "if.%d." % i
        params.append((key + "name", name))
        if mac:
            params.append((key + "hwaddr", mac))
        params.append((key + "addr.count", len(addrs)))
        for j, (kind, addr, prefix) in enumerate(addrs):
            sub = "%saddr.%d." % (key, j)
            params += [(sub + "type", "ipv6" if kind == D.IP_ADDR_IPV6 else "ipv4"),
                       (sub + "addr", addr), (sub + "prefix", prefix)]
    return params


# --- vCPUs ------------------------------------------------------------------

def vcpu_params(reply):
    """guestvcpus' parameters: every vCPU, those online, those that can go offline."""
    from virtsh.xmlconf import bitmap
    return [("vcpus", bitmap.format(c["logical-id"] for c in reply)),
            ("online", bitmap.format(c["logical-id"] for c in reply if c["online"])),
            ("offlinable", bitmap.format(c["logical-id"] for c in reply
                                         if c.get("can-offline")))]


def vcpu_plan(reply, count):
    """The guest-set-vcpus list that leaves *count* vCPUs online (libvirt's
    qemuAgentUpdateCPUInfo: vCPU 0 stays when every online one could go)."""
    cpus = [dict(c) for c in reply]
    online = [c for c in cpus if c["online"]]
    offlinable = [c for c in online if c.get("can-offline")]
    if any(not c["online"] and not c.get("can-offline") for c in cpus):
        raise VirtError(INTERNAL_ERROR, "Invalid data provided by guest agent")
    cpu0 = [c for c in online if c["logical-id"] == 0]
    if len(offlinable) == len(online) and cpu0 and cpu0[0].get("can-offline"):
        cpu0[0]["can-offline"] = False
        offlinable.remove(cpu0[0])
    if count > len(cpus):
        raise VirtError(INTERNAL_ERROR, "guest agent reports less cpu than requested")
    if count < len(online) - len(offlinable):
        raise VirtError(INVALID_ARG, "Cannot offline enough CPUs")
    changes, now = [], len(online)
    for cpu in cpus:
        if now > count and cpu["online"] and cpu.get("can-offline"):
            changes.append({"logical-id": cpu["logical-id"], "online": False})
            now -= 1
        elif now < count and not cpu["online"]:
            changes.append({"logical-id": cpu["logical-id"], "online": True})
            now += 1
    return changes


def vcpu_changes(reply, cpumap, state):
    """The guest-set-vcpus list that turns the vCPUs of *cpumap* on or off."""
    from virtsh.xmlconf import bitmap
    wanted = bitmap.parse(cpumap)
    changes = []
    for cpu in reply:
        ident = cpu["logical-id"]
        if ident not in wanted:
            continue
        if not state and not cpu.get("can-offline"):
            raise VirtError(OPERATION_UNSUPPORTED, "vCPU '%u' is not offlinable" % ident)
        changes.append({"logical-id": ident, "online": bool(state)})
        wanted.discard(ident)
    if wanted:
        raise VirtError(INVALID_ARG, "guest is missing vCPUs '%s'" % bitmap.format(wanted))
    return changes

