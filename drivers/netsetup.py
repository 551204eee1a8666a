"""The host side of a running virtual network: bridge, addresses, dnsmasq, nftables.

``bring_up(defn, files)`` builds what a network definition asks for and
``tear_down(defn, files)`` removes it again; both are idempotent enough
that a failed start is undone by calling ``tear_down``.  Everything runs
the host's own tools (ip, dnsmasq, nft), so a test can confine it all to
a network namespace by running virtsh inside one.
"""
import os

from virtsh.drivers.errors import (
    VirtError, CONFIG_UNSUPPORTED, INTERNAL_ERROR, SYSTEM_ERROR)

MANAGED_MODES = (None, "nat", "route", "open")   # modes where we own the bridge


class NetworkFiles:
    """Where one running network keeps its dnsmasq files."""

    def __init__(self, state_dir, name):
        join = os.path.join
        self.conf = join(state_dir, name + ".dnsmasq.conf")
        self.pid = join(state_dir, name + ".dnsmasq.pid")
        self.leases = join(state_dir, name + ".leases")
        self.hosts = join(state_dir, name + ".hostsfile")


def run(argv, what):
    """Run a host tool; VirtError with its message when it fails."""
    import subprocess
    try:
        proc = subprocess.run(argv, capture_output=True, text=True)
    except FileNotFoundError:
        raise VirtError(INTERNAL_ERROR, "%s: %s is not installed" % (what, argv[0])) from None
    if proc.returncode:
        detail = (proc.stderr or proc.stdout).strip()
        raise VirtError(INTERNAL_ERROR, "%s: %s" % (what, detail))
    return proc.stdout


def mode_of(defn):
    forward = defn.tree.find("forward")
    return None if forward is None else forward.get("mode")


def ip_networks(defn):
    """(interface address, <ip> element) of each <ip> of *defn*, IPv4 and
    IPv6, with libvirt's default prefixes."""
    from virtsh.xmlconf.network import ip_interface
    found = []
    for ip in defn.tree.findall("ip"):
        try:
            found.append((ip_interface(ip), ip))
        except ValueError:          # no address, or a netmask that is not one
            continue
    return found


def ipv4_networks(defn):
    """ip_networks() of the IPv4 family only."""
    return [(iface, ip) for iface, ip in ip_networks(defn) if iface.version == 4]


def nat_ipv6(defn):
    """Whether a NAT network masquerades IPv6 too (<nat ipv6='yes'/>);
    otherwise its IPv6 subnets are routed."""
    return defn.tree.find("forward/nat[@ipv6='yes']") is not None


def host_links():
    """The names of the host's network devices."""
    try:
        return set(os.listdir("/sys/class/net"))
    except OSError:
        return set()


def routed_subnets():
    """(device, ip_network) of each IPv4 route of the host."""
    import ipaddress
    found = []
    try:
        with open("/proc/net/route") as f:
            lines = f.read().splitlines()[1:]
    except OSError:
        return found
    for line in lines:
        fields = line.split()
        if len(fields) < 8:
            continue
        dest = ipaddress.IPv4Address(int(fields[1], 16).to_bytes(4, "little"))
        mask = ipaddress.IPv4Address(int(fields[7], 16).to_bytes(4, "little"))
        if int(mask):
            found.append((fields[0], ipaddress.ip_network("%s/%s" % (dest, mask),
                                                          strict=False)))
    return found


def validate(defn):
    """What the host's networking cannot do with a definition, refused at
    define time as libvirt's network driver does."""
    mode = mode_of(defn)
    if mode not in MANAGED_MODES and defn.tree.find("ip") is not None:
        raise VirtError(CONFIG_UNSUPPORTED, "Unsupported <ip> element in network %s "
                        "with forward mode='%s'" % (defn.name, mode))
    served = [iface.version for iface, ip in ip_networks(defn)
              if ip.find("dhcp") is not None]
    for version in (4, 6):
        if served.count(version) > 1:
            raise VirtError(CONFIG_UNSUPPORTED, "Multiple IPv%d dhcp sections found -- "
                            "dhcp is supported only for a single IPv%d address on each "
                            "network" % (version, version))


def check_can_start(defn):
    """libvirt's checks before touching the host: root, free bridge, free subnet."""
    if mode_of(defn) not in MANAGED_MODES:
        return
    if os.geteuid() != 0:
        raise VirtError(INTERNAL_ERROR, "network '%s' needs a host bridge, which only "
                        "root can create: use qemu:///system" % defn.name)
    if defn.bridge in host_links():
        raise VirtError(SYSTEM_ERROR, "Unable to create bridge %s: File exists"
                        % defn.bridge)
    for iface, _ in ipv4_networks(defn):
        for device, subnet in routed_subnets():
            if subnet == iface.network:
                raise VirtError(INTERNAL_ERROR, "Network is already in use by "
                                "interface %s" % device)


def bring_up(defn, files):
    """Create the bridge, its addresses, the NAT rules and dnsmasq."""
    mode = mode_of(defn)
    if mode not in MANAGED_MODES:
        return
    bridge = defn.bridge
    what = "cannot set up bridge '%s'" % bridge
    mac = defn.tree.find("mac")
    conf = defn.tree.find("bridge")
    run(["ip", "link", "add", bridge, "type", "bridge",
         "stp_state", "1" if conf.get("stp", "on") == "on" else "0",
         "forward_delay", str(int(conf.get("delay", "0")) * 100)], what)
    if mac is not None:
        run(["ip", "link", "set", bridge, "address", mac.get("address")], what)
    nets = ip_networks(defn)
    if any(iface.version == 6 for iface, _ in nets):
        _ipv6_bridge_settings(bridge)
    for iface, _ in nets:
        run(["ip", "addr", "add", str(iface), "dev", bridge], what)
    run(["ip", "link", "set", bridge, "up"], what)
    if nets and mode != "open":
        if mode:
            for version in {iface.version for iface, _ in nets}:
                _enable_forwarding(version)
        _nft(_ruleset(defn, nets, mode))
    if nets:
        _start_dnsmasq(defn, files, nets)


def tear_down(defn, files):
    """Undo bring_up; missing pieces are not an error."""
    if mode_of(defn) not in MANAGED_MODES:
        return
    _stop(_read_pid(files.pid))
    for path in (files.conf, files.pid, files.hosts):
        try:
            os.unlink(path)
        except OSError:
            pass
    import subprocess
    subprocess.run(["nft", "delete", "table", "inet", _table(defn)],
                   capture_output=True)
    if defn.bridge in host_links():
        subprocess.run(["ip", "link", "del", defn.bridge], capture_output=True)


def dnsmasq_running(files):
    pid = _read_pid(files.pid)
    if not pid:
        return False
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def reload_hosts(defn, files):
    """Rewrite the static DHCP hosts and make dnsmasq read them again."""
    _write_hosts(defn, files)
    import signal
    pid = _read_pid(files.pid)
    if pid:
        try:
            os.kill(pid, signal.SIGHUP)
        except OSError:
            pass


def apply_live_update(defn, files, section):
    """Make the running dnsmasq follow a live net-update of *section*: a
    static DHCP host needs only a re-read (SIGHUP), anything else that
    dnsmasq serves (ranges, DNS records) a restart with the new config."""
    if section == "ip-dhcp-host":
        reload_hosts(defn, files)
    elif section.startswith(("ip-dhcp", "dns")) and dnsmasq_running(files):
        _stop(_read_pid(files.pid))
        _start_dnsmasq(defn, files, ip_networks(defn))


def _stop(pid):
    """SIGTERM dnsmasq and wait (up to 2 s) until it is gone."""
    import signal
    import time
    if not pid:
        return
    try:
        os.kill(pid, signal.SIGTERM)
        for _ in range(200):
            os.kill(pid, 0)
            time.sleep(0.01)
    except OSError:
        pass


def _read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().strip() or 0)
    except (OSError, ValueError):
        return 0


def _table(defn):
    return "virtsh_%s" % defn.bridge


def _sysctl(path, value, what):
    try:
        with open("/proc/sys/net/" + path, "w") as f:
            f.write(value + "\n")
    except OSError as e:
        raise VirtError(SYSTEM_ERROR, "cannot %s: %s" % (what, os.strerror(e.errno))) \
            from None


def _enable_forwarding(version):
    if version == 6:
        _sysctl("ipv6/conf/all/forwarding", "1", "enable IPv6 forwarding")
    else:
        _sysctl("ipv4/ip_forward", "1", "enable IPv4 forwarding")


def _ipv6_bridge_settings(bridge):
    """As libvirt: IPv6 on for the bridge, and the bridge, being the
    guests' router, takes no router advertisements itself."""
    _sysctl("ipv6/conf/%s/disable_ipv6" % bridge, "0", "enable IPv6 on '%s'" % bridge)
    _sysctl("ipv6/conf/%s/accept_ra" % bridge, "0", "disable router advertisements "
            "on '%s'" % bridge)


def _ruleset(defn, nets, mode):
    """nftables (one inet table for both families): let the guests out
    (and replies in); NAT mode masquerades IPv4, and IPv6 only with
    <nat ipv6='yes'/> (else IPv6 is routed); an isolated network (no
    mode) forwards nothing."""
    table = _table(defn)
    masqueraded = [iface.network for iface, _ in nets if mode == "nat"
                   and (iface.version == 4 or nat_ipv6(defn))]
    # declaring then deleting the table first makes loading it idempotent
    lines = ["table inet %s" % table, "delete table inet %s" % table,
             "table inet %s {" % table,
             "  chain forward {",
             "    type filter hook forward priority filter; policy accept;"]
    for iface, _ in (nets if mode else ()):
        subnet, family = iface.network, _family(iface)
        inbound = " ct state related,established" if subnet in masqueraded else ""
        lines += ['    iifname "%s" %s saddr %s accept' % (defn.bridge, family, subnet),
                  '    oifname "%s" %s daddr %s%s accept' % (defn.bridge, family, subnet,
                                                            inbound)]
    lines += ['    iifname "%s" reject' % defn.bridge,
              '    oifname "%s" reject' % defn.bridge]
    lines += ["  }"]
    if masqueraded:
        lines += ["  chain postrouting {",
                  "    type nat hook postrouting priority srcnat; policy accept;"]
        for subnet in masqueraded:
            family = "ip" if subnet.version == 4 else "ip6"
            lines += ["    %s saddr %s %s daddr != %s masquerade"
                      % (family, subnet, family, subnet)]
        lines += ["  }"]
    lines += ["}"]
    return "\n".join(lines) + "\n"


def _family(iface):
    """nftables' word for an address's family."""
    return "ip" if iface.version == 4 else "ip6"


def _nft(ruleset):
    import subprocess
    try:
        proc = subprocess.run(["nft", "-f", "-"], input=ruleset, capture_output=True,
                              text=True)
    except FileNotFoundError:
        raise VirtError(INTERNAL_ERROR, "cannot add firewall rules: nft is not "
                        "installed") from None
    if proc.returncode:
        raise VirtError(INTERNAL_ERROR, "cannot add firewall rules: %s"
                        % proc.stderr.strip())


def _write_hosts(defn, files):
    """dnsmasq's dhcp-hostsfile: "mac,ip,name" for IPv4 hosts, and
    "id:DUID,name,[ip]" for IPv6 ones (which have no MAC)."""
    lines = []
    for host in defn.tree.findall("ip/dhcp/host"):
        if ":" in (host.get("ip") or ""):
            fields = (["id:" + host.get("id")] if host.get("id") else []) \
                + ([host.get("name")] if host.get("name") else []) \
                + ["[%s]" % host.get("ip")]
        else:
            fields = [host.get(k) for k in ("mac", "ip", "name") if host.get(k)]
        lines.append(",".join(fields))
    with open(files.hosts, "w") as f:
        f.write("".join(line + "\n" for line in lines))


def _start_dnsmasq(defn, files, nets):
    import ipaddress
    conf = ["strict-order", "pid-file=%s" % files.pid, "except-interface=lo",
            "bind-dynamic", "interface=%s" % defn.bridge, "user=root",
            "dhcp-leasefile=%s" % files.leases,
            "dhcp-hostsfile=%s" % files.hosts]
    domain = defn.tree.find("domain")
    if domain is not None and domain.get("name"):
        conf += ["domain=%s" % domain.get("name"), "expand-hosts"]
    size = 0
    for iface, ip in nets:
        # IPv4 ranges carry the netmask, IPv6 ones the prefix length
        mask = iface.netmask if iface.version == 4 else iface.network.prefixlen
        for rng in ip.findall("dhcp/range"):
            conf.append("dhcp-range=%s,%s,%s" % (rng.get("start"), rng.get("end"), mask))
            size += int(ipaddress.ip_address(rng.get("end"))) \
                - int(ipaddress.ip_address(rng.get("start"))) + 1
        if ip.find("dhcp") is not None and not ip.findall("dhcp/range"):
            conf.append("dhcp-range=%s,static" % iface.network.network_address)
        elif iface.version == 6 and ip.find("dhcp") is None:
            conf.append("dhcp-range=%s,ra-only" % iface.ip)
    if size:
        conf += ["dhcp-no-override", "dhcp-authoritative", "dhcp-lease-max=%d" % size]
    if any(iface.version == 6 for iface, _ in nets):
        conf.append("enable-ra")            # router advertisements for SLAAC/DHCPv6
    for host in defn.tree.findall("dns/host"):
        for name in host.findall("hostname"):
            conf.append("host-record=%s,%s" % (name.text, host.get("ip")))
    with open(files.conf, "w") as f:
        f.write("".join(line + "\n" for line in conf))
    _write_hosts(defn, files)
    if not os.path.exists(files.leases):
        open(files.leases, "a").close()
    run(["dnsmasq", "--conf-file=%s" % files.conf], "cannot start dnsmasq")


def read_leases(files):
    """dnsmasq's lease file: (expiry, mac, ip, hostname, clientid, iaid)
    tuples.  An IPv4 line is "expiry mac ip hostname clientid"; an IPv6
    one "expiry iaid ip hostname duid", whose MAC comes from the DUID when
    that embeds one (iaid is None for IPv4)."""
    found = []
    try:
        with open(files.leases) as f:
            lines = f.read().splitlines()
    except OSError:
        return found
    for line in lines:
        fields = line.split()
        if len(fields) < 5 or not fields[0].isdigit():
            continue
        hostname = None if fields[3] == "*" else fields[3]
        clientid = None if fields[4] == "*" else fields[4]
        if ":" in fields[2]:
            found.append((int(fields[0]), duid_mac(clientid), fields[2], hostname,
                          clientid, fields[1]))
        elif ":" in fields[1]:
            found.append((int(fields[0]), fields[1], fields[2], hostname, clientid, None))
    return found


def duid_mac(duid):
    """The Ethernet MAC inside a DHCPv6 DUID of type link-layer (with or
    without time), or None: "00:01:00:01:<4 time bytes>:MAC", "00:03:00:01:MAC"."""
    parts = (duid or "").lower().split(":")
    if parts[:4] == ["00", "01", "00", "01"] and len(parts) == 14:
        return ":".join(parts[8:])
    if parts[:4] == ["00", "03", "00", "01"] and len(parts) == 10:
        return ":".join(parts[4:])
    return None


def plug_tap(bridge, tap, mac=None):
    """Create tap device *tap* and join it to *bridge*: the host end of a
    guest NIC on a virtual network (QEMU opens it with ifname=TAP,
    script=no).  libvirt gives the tap the guest's MAC with the first
    byte set to 0xfe, so the bridge never takes the guest's address."""
    what = "cannot plug '%s' into bridge '%s'" % (tap, bridge)
    run(["ip", "tuntap", "add", "dev", tap, "mode", "tap"], what)
    try:
        if mac:
            run(["ip", "link", "set", tap, "address", "fe" + mac[2:]], what)
        run(["ip", "link", "set", tap, "master", bridge, "up"], what)
    except VirtError:
        unplug_tap(tap)
        raise


def unplug_tap(tap):
    """Remove a tap made by plug_tap (gone already is fine)."""
    import subprocess
    subprocess.run(["ip", "link", "del", tap], capture_output=True)
