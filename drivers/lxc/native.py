"""``domxml-from-native lxc-tools``: an LXC tools container config as domain XML.

Both the old key names (``lxc.network.*``, ``lxc.rootfs``, ``lxc.utsname``,
``lxc.tty``, ``lxc.id_map``) and LXC 3's (``lxc.net.N.*``,
``lxc.rootfs.path``, ``lxc.uts.name``, ``lxc.tty.max``, ``lxc.idmap``) are
read.  The document is built bare and completed by the generic XML layer,
as libvirt's converter leaves the driver's post-parse defaults out.
"""
from xml.sax.saxutils import quoteattr

from virtsh.drivers.errors import VirtError, INVALID_ARG, ARGUMENT_UNSUPPORTED
from virtsh.drivers.lxc.defaults import EMULATOR

# libvirt's capability order (virDomainProcessCapsFeature)
CAPS = ("audit_control", "audit_write", "block_suspend", "chown", "dac_override",
        "dac_read_search", "fowner", "fsetid", "ipc_lock", "ipc_owner", "kill", "lease",
        "linux_immutable", "mac_admin", "mac_override", "mknod", "net_admin",
        "net_bind_service", "net_broadcast", "net_raw", "setgid", "setfcap", "setpcap",
        "setuid", "sys_admin", "sys_boot", "sys_chroot", "sys_module", "sys_nice",
        "sys_pacct", "sys_ptrace", "sys_rawio", "sys_resource", "sys_time",
        "sys_tty_config", "syslog", "wake_alarm")
ARCHES = {"x86": "i686", "i686": "i686", "i386": "i686", "x86_64": "x86_64",
          "amd64": "x86_64", "arm64": "aarch64", "aarch64": "aarch64"}
THROTTLE = {"read_bps_device": "read_bytes_sec", "write_bps_device": "write_bytes_sec",
            "read_iops_device": "read_iops_sec", "write_iops_device": "write_iops_sec"}


def to_domain_xml(native_format, text):
    if native_format != "lxc-tools":
        raise VirtError(INVALID_ARG, "unsupported config type %s" % native_format)
    entries = parse_config(text)
    from virtsh.xmlconf import domain as xd
    defn = xd.parse(_document(entries))
    for fs in defn.tree.iterfind("devices/filesystem"):
        if fs.get("accessmode") is None:
            fs.set("accessmode", "passthrough")
    return xd.format(defn)


def parse_config(text):
    """[(key, value)] of a config file, in order."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if sep:
            out.append((key.strip(), value.strip()))
    return out


def _first(entries, *keys):
    for key, value in entries:
        if key in keys:
            return value
    return None


def _all(entries, *keys):
    return [value for key, value in entries if key in keys]


def _document(entries):
    if _first(entries, "lxc.mount", "lxc.mount.fstab") is not None:
        raise VirtError(ARGUMENT_UNSUPPORTED, "lxc.mount.fstab or lxc.mount found, "
                        "use lxc.mount.entry lines instead")
    name = _first(entries, "lxc.utsname", "lxc.uts.name") or "unnamed"
    cgroup = {key[len("lxc.cgroup."):]: value for key, value in entries
              if key.startswith("lxc.cgroup.")}
    memory = _bytes_kib(cgroup.get("memory.limit_in_bytes")) or 65536
    arch = ARCHES.get(_first(entries, "lxc.arch") or "")
    parts = ["<domain type='lxc'>", "<name>%s</name>" % _esc(name),
             "<memory unit='KiB'>%d</memory>" % memory]
    cpus = cgroup.get("cpuset.cpus")
    parts.append("<vcpu%s>1</vcpu>" % (" cpuset=%s" % quoteattr(cpus) if cpus else ""))
    parts += _tuning(cgroup, entries)
    parts.append("<os><type%s>exe</type><init>/sbin/init</init></os>"
                 % (" arch='%s'" % arch if arch else ""))
    parts += _idmap(entries)
    nets = _networks(entries)
    features = ["<privnet/>"] if not nets and _first(entries, "lxc.network.type") is None \
        and not any(k.startswith("lxc.net.") for k, _ in entries) else []
    dropped = set(" ".join(_all(entries, "lxc.cap.drop")).split())
    features.append("<capabilities policy='allow'>%s</capabilities>"
                    % "".join("<%s state='off'/>" % c for c in CAPS if c in dropped))
    parts.append("<features>%s</features>" % "".join(features))
    parts.append("<devices><emulator>%s</emulator>" % EMULATOR)
    parts += _filesystems(entries, memory)
    parts += [_net_xml(net) for net in nets if net.get("type") not in (None, "none", "empty")]
    ttys = int(_first(entries, "lxc.tty", "lxc.tty.max") or 0)
    parts += ["<console type='pty'><target type='lxc' port='%d'/></console>" % i
              for i in range(ttys)]
    parts.append("</devices></domain>")
    return "".join(parts)


def _esc(text):
    return quoteattr(text)[1:-1]


def _bytes_kib(value):
    return int(value) // 1024 if value and value.isdigit() else None


def _tuning(cgroup, entries):
    parts = []
    if "blkio.weight" in cgroup or any(k.startswith("blkio.") for k in cgroup):
        parts.append(_blkio(entries))
    memtune = [(tag, _bytes_kib(cgroup.get(key))) for tag, key in
               (("hard_limit", "memory.limit_in_bytes"),
                ("soft_limit", "memory.soft_limit_in_bytes"),
                ("swap_hard_limit", "memory.memsw.limit_in_bytes"))]
    if any(v for _, v in memtune):
        parts.append("<memtune>%s</memtune>" % "".join(
            "<%s unit='KiB'>%d</%s>" % (t, v, t) for t, v in memtune if v))
    cputune = [(tag, cgroup.get(key)) for tag, key in
               (("shares", "cpu.shares"), ("period", "cpu.cfs_period_us"),
                ("quota", "cpu.cfs_quota_us"))]
    if any(v for _, v in cputune):
        parts.append("<cputune>%s</cputune>" % "".join(
            "<%s>%s</%s>" % (t, v, t) for t, v in cputune if v))
    if cgroup.get("cpuset.mems"):
        parts.append("<numatune><memory mode='strict' nodeset=%s/></numatune>"
                     % quoteattr(cgroup["cpuset.mems"]))
    return parts


def _blkio(entries):
    devices, weight = {}, None
    for key, value in entries:
        if not key.startswith("lxc.cgroup.blkio."):
            continue
        what = key[len("lxc.cgroup.blkio."):]
        if what == "weight":
            weight = value
            continue
        dev, _, amount = value.partition(" ") if " " in value else value.partition("\t")
        tag = "weight" if what == "device_weight" else THROTTLE.get(what.replace("throttle.", ""))
        if tag:
            devices.setdefault(dev.strip(), []).append((tag, amount.strip()))
    body = "<weight>%s</weight>" % weight if weight else ""
    order = ("weight", "read_iops_sec", "write_iops_sec", "read_bytes_sec", "write_bytes_sec")
    for dev, values in devices.items():
        values.sort(key=lambda tv: order.index(tv[0]))
        body += "<device><path>/dev/block/%s</path>%s</device>" % (
            _esc(dev), "".join("<%s>%s</%s>" % (t, v, t) for t, v in values))
    return "<blkiotune>%s</blkiotune>" % body


def _idmap(entries):
    maps = {"u": [], "g": []}
    for value in _all(entries, "lxc.id_map", "lxc.idmap"):
        fields = value.split()
        if len(fields) == 4 and fields[0] in maps:
            kind, target, start, count = fields
            maps[kind].append("<%sid start='%s' target='%s' count='%s'/>"
                              % (kind, start, target, count))
    if not maps["u"] and not maps["g"]:
        return []
    return ["<idmap>%s</idmap>" % "".join(maps["u"] + maps["g"])]


def _networks(entries):
    """[{key: value}] of the network blocks (a new block at each .type)."""
    nets, indexed = [], {}
    for key, value in entries:
        if key.startswith("lxc.network."):
            sub = key[len("lxc.network."):]
            if sub == "type":
                nets.append({})
            if nets:
                nets[-1][sub] = value
        elif key.startswith("lxc.net."):
            index, _, sub = key[len("lxc.net."):].partition(".")
            sub = {"ipv4.address": "ipv4", "ipv6.address": "ipv6"}.get(sub, sub)
            indexed.setdefault(index, {})[sub] = value
    return nets + [indexed[i] for i in sorted(indexed, key=lambda i: int(i) if i.isdigit() else 0)]


def _ips_routes(net):
    ips, routes = [], []
    for family, default in (("ipv4", "0.0.0.0"), ("ipv6", "::")):
        if net.get(family):
            address, _, prefix = net[family].partition("/")
            ips.append("<ip address=%s family='%s'%s/>" % (
                quoteattr(address), family, " prefix='%s'" % prefix if prefix else ""))
        if net.get(family + ".gateway"):
            routes.append("<route family='%s' address='%s' gateway=%s/>"
                          % (family, default, quoteattr(net[family + ".gateway"])))
    return "".join(ips + routes)


def _net_xml(net):
    kind, link = net.get("type"), net.get("link")
    mac = "<mac address=%s/>" % quoteattr(net["hwaddr"]) if net.get("hwaddr") else ""
    state = "<link state='up'/>" if net.get("flags") == "up" else ""
    if kind == "veth":
        source = "<source bridge=%s/>" % quoteattr(link) if link else ""
        guest = "<guest dev=%s/>" % quoteattr(net["name"]) if net.get("name") else ""
        return "<interface type='%s'>%s%s%s%s%s</interface>" % (
            "bridge" if link else "ethernet", mac, source, _ips_routes(net), guest, state)
    if kind == "macvlan":
        mode = net.get("macvlan.mode", "private")
        return "<interface type='direct'>%s<source dev=%s mode=%s/>%s</interface>" % (
            mac, quoteattr(link or ""), quoteattr(mode), state)
    if kind in ("phys", "vlan"):
        dev = link if kind == "phys" else "%s.%s" % (link, net.get("vlan.id", "0"))
        return ("<hostdev mode='capabilities' type='net'><source><interface>%s</interface>"
                "</source>%s</hostdev>" % (_esc(dev), _ips_routes(net)))
    raise VirtError(INVALID_ARG, "Unsupported network type %s" % kind)


def _filesystems(entries, memory_kib):
    parts = []
    root = _first(entries, "lxc.rootfs", "lxc.rootfs.path")
    if root:
        parts.append("<filesystem type='mount'><source dir=%s/><target dir='/'/></filesystem>"
                     % quoteattr(root))
    for value in _all(entries, "lxc.mount.entry"):
        fields = value.split()
        if len(fields) < 4:
            continue
        source, target, fstype, options = fields[:4]
        target = "/" + target.lstrip("/")
        opts = options.split(",")
        if fstype in ("proc", "sysfs"):
            continue
        if fstype == "tmpfs":
            size = next((o[5:] for o in opts if o.startswith("size=")), None)
            kib = _size_kib(size, memory_kib) if size else memory_kib // 2
            parts.append("<filesystem type='ram'><source usage='%d' units='KiB'/>"
                         "<target dir=%s/></filesystem>" % (kib, quoteattr(target)))
        elif "bind" in opts:
            parts.append("<filesystem type='mount'><source dir=%s/><target dir=%s/>%s"
                         "</filesystem>" % (quoteattr(source), quoteattr(target),
                                            "<readonly/>" if "ro" in opts else ""))
        else:
            parts.append("<filesystem type='block'><source dev=%s/><target dir=%s/>%s"
                         "</filesystem>" % (quoteattr(source), quoteattr(target),
                                            "<readonly/>" if "ro" in opts else ""))
    return parts


def _size_kib(size, memory_kib):
    """A tmpfs size= option (bytes, k/m/g suffix, or % of the memory) in KiB."""
    if size.endswith("%"):
        return memory_kib * int(size[:-1]) // 100
    scale = {"k": 1, "m": 1024, "g": 1024 ** 2}.get(size[-1:].lower())
    return int(size[:-1]) * scale if scale else int(size) // 1024
