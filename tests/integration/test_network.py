"""Virtual networks of the QEMU driver (issue 8, item 3): a real Linux bridge,
dnsmasq and nftables, all inside a network namespace each test creates and
removes, so the machine's own network is never touched."""
import os
import shutil
import subprocess
import sys
import time

import pytest

from netns_env import NAT_XML, needs_netns

pytestmark = needs_netns


def _names(proc):
    return [line.split()[0] for line in proc.stdout.splitlines()[2:] if line.strip()]


def test_nat_network_lifecycle(ns):
    out = ns.define(NAT_XML % {"name": "lab", "mode": "nat", "prefix": "10.77.0"})
    assert out.stdout.startswith("Network lab defined from ")
    xml = ns.virtsh("net-dumpxml", "lab").stdout
    assert "<bridge name='virbr0' stp='on' delay='0'/>\n  <mac address='52:54:00:" in xml
    assert _names(ns.virtsh("net-list", "--inactive")) == ["lab"]
    assert ns.virtsh("net-list").stdout.count("\n") == 3          # header only

    assert ns.virtsh("net-start", "lab").stdout == "Network lab started\n\n"
    assert "virbr0" in ns.links()
    assert "inet 10.77.0.1/24" in ns.run("ip", "-4", "addr", "show", "virbr0").stdout
    rules = ns.nft()
    assert "ip saddr 10.77.0.0/24 ip daddr != 10.77.0.0/24 masquerade" in rules
    assert len(ns.dnsmasq_pids()) == 1
    info = ns.virtsh("net-info", "lab").stdout
    assert "Active:         yes" in info and "Bridge:         virbr0" in info
    uuid = ns.virtsh("net-uuid", "lab").stdout.strip()
    assert ns.virtsh("net-name", uuid).stdout.strip() == "lab"

    ns.virtsh("net-autostart", "lab")
    assert _names(ns.virtsh("net-list", "--autostart")) == ["lab"]
    assert _names(ns.virtsh("net-list", "--persistent")) == ["lab"]
    assert _names(ns.virtsh("net-list", "--transient")) == []
    assert _names(ns.virtsh("net-list", "--no-autostart")) == []
    assert ns.virtsh("net-list", "--name").stdout.split() == ["lab"]
    assert ns.virtsh("net-list", "--uuid").stdout.split() == [uuid]
    assert ns.virtsh("net-list", "--table").stdout == ns.virtsh("net-list").stdout

    assert ns.virtsh("net-destroy", "lab").stdout == "Network lab destroyed\n\n"
    assert "virbr0" not in ns.links()
    assert "virtsh" not in ns.nft()
    assert ns.dnsmasq_pids() == []
    assert sorted(os.listdir(os.path.join(ns.host.root, "run", "network"))) == [".boot_id"]
    ns.virtsh("net-undefine", "lab")
    assert _names(ns.virtsh("net-list", "--all")) == []


def test_dhcp_lease_is_reported(ns, host):
    if shutil.which("busybox") is None:
        pytest.skip("busybox (udhcpc) is not installed")
    ns.define(NAT_XML % {"name": "lab", "mode": "nat", "prefix": "10.78.0"}, "net-create")
    with ns.client("virbr0", "52:54:00:aa:bb:cc") as client:
        client("ip", "link", "set", "vg0", "up")
        dhcp = client("busybox", "udhcpc", "-i", "vg0", "-n", "-q", "-t", "10", "-T", "1",
                      "-s", "/bin/true", "-x", "hostname:guest1")
        assert "obtained" in dhcp.stdout + dhcp.stderr
    leases = ns.virtsh("net-dhcp-leases", "lab").stdout.splitlines()
    row = leases[2].split()
    assert row[2:] == ["52:54:00:aa:bb:cc", "ipv4", row[4], "guest1", "01:52:54:00:aa:bb:cc"]
    assert row[4].startswith("10.78.0.") and row[4].endswith("/24")
    assert ns.virtsh("net-dhcp-leases", "lab", "--mac", "52:54:00:00:00:01").stdout \
        .count("\n") == 3

    from virtsh import drivers
    conn = drivers.open(host.uri)
    found = conn.network_leases_for_mac("52:54:00:AA:BB:CC")
    assert [(name, lease["ipaddr"]) for name, lease in found] == [("lab", row[4][:-3])]


def test_guest_tap_joins_the_network_bridge(ns):
    ns.define(NAT_XML % {"name": "lab", "mode": "nat", "prefix": "10.86.0"}, "net-create")
    code = ("from virtsh import drivers; from virtsh.drivers import netsetup; "
            "conn = drivers.open(%r); "
            "netsetup.plug_tap(conn.network_bridge('lab'), 'vnet0', '52:54:00:01:02:03')"
            % ns.host.uri)
    ns.run(sys.executable, "-c", code)
    link = ns.run("ip", "-o", "link", "show", "vnet0").stdout
    assert "master virbr0" in link and "fe:54:00:01:02:03" in link
    ns.run(sys.executable, "-c", "from virtsh.drivers import netsetup; "
           "netsetup.unplug_tap('vnet0')")
    assert "vnet0" not in ns.links()


def test_overlapping_subnet_and_taken_bridge_are_refused(ns):
    ns.define(NAT_XML % {"name": "one", "mode": "nat", "prefix": "10.79.0"}, "net-create")
    before = ns.links()
    path = os.path.join(ns.host.root, "two.xml")
    with open(path, "w") as f:
        f.write(NAT_XML % {"name": "two", "mode": "nat", "prefix": "10.79.0"})
    proc = ns.virtsh("net-create", path, check=False)
    assert proc.returncode == 1
    assert proc.stderr == ("error: Failed to create network from %s\n"
                           "error: internal error: Network is already in use by "
                           "interface virbr0\n" % path)
    ns.run("ip", "link", "add", "taken0", "type", "bridge")
    with open(path, "w") as f:
        f.write("<network><name>three</name><bridge name='taken0'/>"
                "<ip address='10.80.0.1' prefix='24'/></network>")
    proc = ns.virtsh("net-create", path, check=False)
    assert proc.stderr.endswith("error: Unable to create bridge taken0: File exists\n")
    with open(path, "w") as f:
        f.write("<network><name>four</name><bridge name='virbr0'/></network>")
    proc = ns.virtsh("net-define", path, check=False)
    assert proc.stderr.endswith("internal error: bridge name 'virbr0' already in use.\n")
    assert ns.links() == before | {"taken0"}
    assert _names(ns.virtsh("net-list", "--all")) == ["one"]
    assert len(ns.dnsmasq_pids()) == 1


def test_route_open_and_isolated_modes(ns):
    for name, mode, prefix in (("routed", "route", "10.81.0"), ("opened", "open", "10.82.0")):
        ns.define(NAT_XML % {"name": name, "mode": mode, "prefix": prefix}, "net-create")
    ns.define("<network><name>iso</name><ip address='10.83.0.1' prefix='24'/></network>",
              "net-create")
    rules = ns.nft()
    assert "ip daddr 10.81.0.0/24 accept" in rules and "masquerade" not in rules
    assert "10.82.0" not in rules                 # open: no firewall rules at all
    bridges = {ns.virtsh("net-info", n).stdout.split("Bridge:")[1].strip()
               for n in ("routed", "opened", "iso")}
    assert bridges == {"virbr0", "virbr1", "virbr2"} and bridges <= ns.links()
    for name in ("routed", "opened", "iso"):
        ns.virtsh("net-destroy", name)
    assert "virtsh" not in ns.nft() and not bridges & ns.links()


def test_bridge_mode_uses_an_existing_host_bridge(ns):
    ns.run("ip", "link", "add", "br-host", "type", "bridge")
    ns.define("<network><name>hostbr</name><forward mode='bridge'/>"
              "<bridge name='br-host'/></network>")
    ns.virtsh("net-start", "hostbr")
    assert ns.dnsmasq_pids() == []
    assert "<bridge name='br-host'/>" in ns.virtsh("net-dumpxml", "hostbr").stdout
    ns.virtsh("net-destroy", "hostbr")
    assert "br-host" in ns.links()


def test_update_edit_and_ports(ns, host):
    ns.define(NAT_XML % {"name": "lab", "mode": "nat", "prefix": "10.84.0"})
    ns.virtsh("net-start", "lab")
    ns.virtsh("net-update", "lab", "add", "ip-dhcp-host",
              "<host mac='52:54:00:00:00:07' name='seven' ip='10.84.0.7'/>",
              "--live", "--config")
    host_line = "<host mac='52:54:00:00:00:07' name='seven' ip='10.84.0.7'/>"
    assert host_line in ns.virtsh("net-dumpxml", "lab").stdout
    assert host_line in ns.virtsh("net-dumpxml", "lab", "--inactive").stdout
    with open(os.path.join(host.root, "run", "network", "lab.hostsfile")) as f:
        assert f.read() == "52:54:00:00:00:07,10.84.0.7,seven\n"
    dnsmasq = ns.dnsmasq_pids()
    ns.virtsh("net-update", "lab", "add", "dns-host",
              "<host ip='10.84.0.8'><hostname>eight</hostname></host>", "--live")
    with open(os.path.join(host.root, "run", "network", "lab.dnsmasq.conf")) as f:
        assert "host-record=eight,10.84.0.8\n" in f.read()
    assert len(ns.dnsmasq_pids()) == 1 and ns.dnsmasq_pids() != dnsmasq     # restarted

    port = os.path.join(host.root, "port.xml")
    with open(port, "w") as f:
        f.write("<networkport><uuid>11111111-2222-3333-4444-555555555555</uuid>"
                "<owner><name>g</name><uuid>11111111-2222-3333-4444-000000000000</uuid>"
                "</owner><mac address='52:54:00:00:00:09'/></networkport>")
    ns.virtsh("net-port-create", "lab", port)
    assert ns.virtsh("net-port-list", "lab", "--uuid").stdout.split() == [
        "11111111-2222-3333-4444-555555555555"]
    assert "<network>lab</network>" in ns.virtsh(
        "net-port-dumpxml", "lab", "11111111-2222-3333-4444-555555555555").stdout
    ns.virtsh("net-port-delete", "lab", "11111111-2222-3333-4444-555555555555")
    assert ns.virtsh("net-port-list", "lab", "--uuid").stdout.split() == []

    ns.virtsh("net-destroy", "lab")
    editor = os.path.join(host.root, "editor.sh")
    with open(editor, "w") as f:
        f.write("#!/bin/sh\nsed -i 's|10.84.0.20|10.84.0.30|' \"$1\"\n")
    os.chmod(editor, 0o755)
    proc = subprocess.run(["ip", "netns", "exec", ns.name, "env", "EDITOR=" + editor,
                           sys.executable, "-m", "virtsh", "-c", host.uri, "net-edit", "lab"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "end='10.84.0.30'" in ns.virtsh("net-dumpxml", "lab").stdout


@pytest.fixture
def open_dir():
    """A directory every user can write (pytest's tmp_path is root-only)."""
    import tempfile
    path = tempfile.mkdtemp(prefix="vtshsession", dir="/tmp")
    os.chmod(path, 0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_session_network_needing_root_is_refused(open_dir):
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv is not installed")
    xml = os.path.join(open_dir, "n.xml")
    with open(xml, "w") as f:
        f.write(NAT_XML % {"name": "lab", "mode": "nat", "prefix": "10.85.0"})
    env = dict(os.environ, HOME=open_dir)
    for var, sub in (("XDG_CONFIG_HOME", "c"), ("XDG_RUNTIME_DIR", "r"),
                     ("XDG_CACHE_HOME", "k"), ("XDG_DATA_HOME", "d")):
        env[var] = os.path.join(open_dir, sub)
    proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           sys.executable, "-m", "virtsh", "-c", "qemu:///session",
                           "net-create", xml],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[1] == (
        "error: internal error: network 'lab' needs a host bridge, which only root "
        "can create: use qemu:///system")
    left = [f for _, _, files in os.walk(open_dir) for f in files if f.startswith("lab")]
    assert left == []


def test_autostart_network_starts_on_the_first_connection_after_a_boot(ns, host):
    ns.define(NAT_XML % {"name": "auto", "mode": "nat", "prefix": "10.87.0"})
    ns.virtsh("net-autostart", "auto")
    ns.virtsh("net-start", "auto")
    ns.run("ip", "link", "del", "virbr0")     # what a reboot does to it
    with open(os.path.join(host.root, "run", "network", ".boot_id"), "w") as f:
        f.write("an-earlier-boot")
    for pid in ns.dnsmasq_pids():
        os.kill(int(pid), 9)
    assert _names(ns.virtsh("net-list")) == ["auto"]
    assert "virbr0" in ns.links() and len(ns.dnsmasq_pids()) == 1
    ns.virtsh("net-destroy", "auto")
    assert _names(ns.virtsh("net-list")) == []


DUAL_STACK_XML = """<network>
  <name>six</name>
  <forward mode='nat'/>
  <bridge name='virbr6' stp='on' delay='0'/>
  <ip address='10.93.0.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='10.93.0.10' end='10.93.0.20'/>
    </dhcp>
  </ip>
  <ip family='ipv6' address='fd00:93::1' prefix='64'>
    <dhcp>
      <range start='fd00:93::100' end='fd00:93::1ff'/>
    </dhcp>
  </ip>
</network>
"""


def test_ipv6_network_is_routed_served_and_removed(ns, host):
    ns.define(DUAL_STACK_XML)
    dumped = ns.virtsh("net-dumpxml", "six").stdout
    assert DUAL_STACK_XML.split("<ip address=")[1] in dumped       # both <ip> kept as given
    ns.virtsh("net-start", "six")

    addrs = ns.run("ip", "-6", "addr", "show", "virbr6").stdout
    assert "inet6 fd00:93::1/64" in addrs
    assert ns.run("cat", "/proc/sys/net/ipv6/conf/all/forwarding").stdout == "1\n"
    assert ns.run("cat", "/proc/sys/net/ipv6/conf/virbr6/accept_ra").stdout == "0\n"
    with open(os.path.join(host.root, "run", "network", "six.dnsmasq.conf")) as f:
        conf = f.read().splitlines()
    assert "dhcp-range=fd00:93::100,fd00:93::1ff,64" in conf and "enable-ra" in conf
    assert "dhcp-lease-max=267" in conf                   # 11 IPv4 + 256 IPv6 addresses
    rules = ns.nft()
    assert 'iifname "virbr6" ip6 saddr fd00:93::/64 accept' in rules
    assert 'oifname "virbr6" ip6 daddr fd00:93::/64 accept' in rules   # routed, not NAT
    assert "ip6 saddr fd00:93::/64 ip6 daddr != fd00:93::/64 masquerade" not in rules
    assert "ip saddr 10.93.0.0/24 ip daddr != 10.93.0.0/24 masquerade" in rules
    assert len(ns.dnsmasq_pids()) == 1
    assert ns.virtsh("net-dumpxml", "six").stdout == dumped

    with ns.client("virbr6", "52:54:00:aa:bb:66") as client:   # dnsmasq advertises
        client("sysctl", "-qw", "net.ipv6.conf.vg0.accept_ra=2")
        client("ip", "link", "set", "vg0", "up")
        deadline = time.monotonic() + 30
        while "proto ra" not in client("ip", "-6", "route").stdout:
            assert time.monotonic() < deadline, "no router advertisement came"
            time.sleep(0.5)
        routes = client("ip", "-6", "route").stdout
    assert "fd00:93::/64 dev vg0" in routes and "default via fe80::" in routes

    ns.virtsh("net-destroy", "six")
    assert "virbr6" not in ns.links() and "virtsh" not in ns.nft()
    assert ns.dnsmasq_pids() == []
    assert sorted(os.listdir(os.path.join(host.root, "run", "network"))) == [".boot_id"]


def test_dhcpv6_lease_is_reported(ns, host):
    if shutil.which("dhclient") is None:
        pytest.skip("dhclient (isc-dhcp-client) is not installed")
    ns.define(DUAL_STACK_XML, "net-create")
    pid_file = os.path.join(host.root, "dhclient.pid")
    with ns.client("virbr6", "52:54:00:aa:bb:66") as client:
        client("ip", "link", "set", "vg0", "up")
        deadline = time.monotonic() + 30            # DHCPv6 speaks from a link-local
        while "tentative" in client("ip", "-6", "addr", "show", "vg0").stdout \
                or "scope link" not in client("ip", "-6", "addr", "show", "vg0").stdout:
            assert time.monotonic() < deadline, "vg0 got no link-local address"
            time.sleep(0.2)
        try:
            dhcp = client("dhclient", "-6", "-1", "-v", "-sf", "/bin/true", "-pf", pid_file,
                          "-lf", os.path.join(host.root, "dhclient.leases"), "vg0")
            assert dhcp.returncode == 0, dhcp.stderr
        finally:
            if os.path.exists(pid_file):
                with open(pid_file) as f:
                    os.kill(int(f.read()), 9)
    rows = ns.virtsh("net-dhcp-leases", "six").stdout.splitlines()
    assert len(rows) == 4, rows
    row = rows[2].split()
    assert row[2:4] == ["52:54:00:aa:bb:66", "ipv6"]
    assert row[4].startswith("fd00:93::1") and row[4].endswith("/64")
    assert row[5] == "-" and row[6].endswith(":52:54:00:aa:bb:66")     # the client's DUID
    only = ns.virtsh("net-dhcp-leases", "six", "--mac", "52:54:00:AA:BB:66").stdout
    assert only.splitlines()[2] == rows[2]


def test_ipv6_nat_when_asked_and_router_advertisements_only_without_dhcp(ns, host):
    ns.define("<network><name>masq6</name><forward mode='nat'><nat ipv6='yes'/></forward>"
              "<ip family='ipv6' address='fd00:94::1' prefix='64'/></network>", "net-create")
    rules = ns.nft()
    assert "ip6 saddr fd00:94::/64 ip6 daddr != fd00:94::/64 masquerade" in rules
    with open(os.path.join(host.root, "run", "network", "masq6.dnsmasq.conf")) as f:
        conf = f.read().splitlines()
    assert "dhcp-range=fd00:94::1,ra-only" in conf and "enable-ra" in conf
    ns.virtsh("net-destroy", "masq6")
    assert "virtsh" not in ns.nft()
