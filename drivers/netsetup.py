"""The host side of a running virtual network: bridge, addresses, dnsmasq, nftables.

``bring_up(defn, files)`` builds what a network definition asks for and
``tear_down(defn, files)`` removes it again; both are idempotent enough
that a failed start is undone by calling ``tear_down``.  Everything runs
the host's own tools (ip, dnsmasq, nft), so a test can confine it all to
a network namespace by running virtsh inside one.
"""
import os

from virtsh.drivers.errors import VirtError, INTERNAL_ERROR, SYSTEM_ERROR

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


def ipv4_networks(defn):
    """(interface address, ip_network) of each IPv4 <ip> of *defn*."""
    import ipaddress
    found = []
    for ip in defn.tree.findall("ip"):
        if ip.get("family", "ipv4") != "ipv4" or not ip.get("address"):
            continue
        mask = ip.get("prefix") or ip.get("netmask") or "24"
        iface = ipaddress.ip_interface("%s/%s" % (ip.get("address"), mask))
        found.append((iface, ip))
    return found


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
    nets = ipv4_networks(defn)
    for iface, _ in nets:
        run(["ip", "addr", "add", str(iface), "dev", bridge], what)
    run(["ip", "link", "set", bridge, "up"], what)
    if nets and mode != "open":
        if mode:
            _enable_forwarding()
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
    subprocess.run(["nft", "delete", "table", "ip", _table(defn)],
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
        _start_dnsmasq(defn, files, ipv4_networks(defn))


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


def _enable_forwarding():
    try:
        with open("/proc/sys/net/ipv4/ip_forward", "w") as f:
            f.write("1\n")
    except OSError as e:
        raise VirtError(SYSTEM_ERROR, "cannot enable IPv4 forwarding: %s"
                        % os.strerror(e.errno)) from None


def _ruleset(defn, nets, mode):
    """nftables: let the guests out (and replies in), NAT mode masquerades;
    an isolated network (no mode) forwards nothing."""
    table = _table(defn)
    # declaring then deleting the table first makes loading it idempotent
    lines = ["table ip %s" % table, "delete table ip %s" % table,
             "table ip %s {" % table,
             "  chain forward {",
             "    type filter hook forward priority filter; policy accept;"]
    inbound = " ct state related,established" if mode == "nat" else ""
    for iface, _ in (nets if mode else ()):
        subnet = iface.network
        lines += ['    iifname "%s" ip saddr %s accept' % (defn.bridge, subnet),
                  '    oifname "%s" ip daddr %s%s accept' % (defn.bridge, subnet, inbound)]
    lines += ['    iifname "%s" reject' % defn.bridge,
              '    oifname "%s" reject' % defn.bridge]
    lines += ["  }"]
    if mode == "nat":
        lines += ["  chain postrouting {",
                  "    type nat hook postrouting priority srcnat; policy accept;"]
        for iface, _ in nets:
            subnet = iface.network
            lines += ["    ip saddr %s ip daddr != %s masquerade" % (subnet, subnet)]
        lines += ["  }"]
    lines += ["}"]
    return "\n".join(lines) + "\n"


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
    lines = []
    for host in defn.tree.findall("ip/dhcp/host"):
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
        for rng in ip.findall("dhcp/range"):
            conf.append("dhcp-range=%s,%s,%s" % (rng.get("start"), rng.get("end"),
                                                  iface.netmask))
            size += int(ipaddress.ip_address(rng.get("end"))) \
                - int(ipaddress.ip_address(rng.get("start"))) + 1
        if ip.find("dhcp") is not None and not ip.findall("dhcp/range"):
            conf.append("dhcp-range=%s,static" % iface.network.network_address)
    if size:
        conf += ["dhcp-no-override", "dhcp-authoritative", "dhcp-lease-max=%d" % size]
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
    """dnsmasq's lease file: (expiry, mac, ip, hostname, clientid) tuples."""
    found = []
    try:
        with open(files.leases) as f:
            lines = f.read().splitlines()
    except OSError:
        return found
    for line in lines:
        fields = line.split()
        if len(fields) >= 5 and ":" in fields[1] and "." in fields[2]:
            found.append((int(fields[0]), fields[1], fields[2],
                          None if fields[3] == "*" else fields[3],
                          None if fields[4] == "*" else fields[4]))
    return found


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
