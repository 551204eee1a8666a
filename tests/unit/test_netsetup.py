"""The pure parts of the network plumbing: nftables rules per forward mode,
dnsmasq's lease file, and the subnet/bridge checks before a start."""
from virtsh.drivers import netsetup
from virtsh.xmlconf import network


def _net(forward="<forward mode='nat'/>", ip="<ip address='10.5.0.1' prefix='24'/>"):
    return network.parse("<network><name>n</name>%s<bridge name='vb9'/>%s</network>"
                         % (forward, ip))


def test_nat_masquerades_only_traffic_leaving_the_subnet():
    defn = _net()
    rules = netsetup._ruleset(defn, netsetup.ipv4_networks(defn), "nat")
    assert rules.startswith("table ip virtsh_vb9\ndelete table ip virtsh_vb9\n"
                            "table ip virtsh_vb9 {\n")
    assert "ip saddr 10.5.0.0/24 ip daddr != 10.5.0.0/24 masquerade" in rules
    assert 'oifname "vb9" ip daddr 10.5.0.0/24 ct state related,established accept' in rules


def test_routed_network_accepts_both_ways_without_nat():
    defn = _net("<forward mode='route'/>")
    rules = netsetup._ruleset(defn, netsetup.ipv4_networks(defn), "route")
    assert "masquerade" not in rules
    assert 'oifname "vb9" ip daddr 10.5.0.0/24 accept' in rules


def test_isolated_network_forwards_nothing():
    defn = _net("")
    rules = netsetup._ruleset(defn, netsetup.ipv4_networks(defn), None)
    assert "accept\n" not in rules.replace("policy accept;", "")
    assert 'iifname "vb9" reject' in rules and 'oifname "vb9" reject' in rules


def test_netmask_and_prefix_give_the_same_subnet():
    a = netsetup.ipv4_networks(_net(ip="<ip address='10.6.0.1' netmask='255.255.0.0'/>"))
    b = netsetup.ipv4_networks(_net(ip="<ip address='10.6.0.1' prefix='16'/>"))
    assert str(a[0][0]) == str(b[0][0]) == "10.6.0.1/16"


def test_lease_file_lines(tmp_path):
    files = netsetup.NetworkFiles(str(tmp_path), "n")
    (tmp_path / "n.leases").write_text(
        "1795682548 52:54:00:aa:bb:cc 10.5.0.13 guest1 01:52:54:00:aa:bb:cc\n"
        "1795682549 52:54:00:aa:bb:cd 10.5.0.14 * *\n"
        "duid 00:01:00:01:2c:aa\n")
    assert netsetup.read_leases(files) == [
        (1795682548, "52:54:00:aa:bb:cc", "10.5.0.13", "guest1", "01:52:54:00:aa:bb:cc"),
        (1795682549, "52:54:00:aa:bb:cd", "10.5.0.14", None, None)]


def test_no_lease_file_means_no_leases(tmp_path):
    assert netsetup.read_leases(netsetup.NetworkFiles(str(tmp_path), "n")) == []


def test_bridge_mode_needs_no_host_changes():
    defn = network.parse("<network><name>b</name><forward mode='bridge'/>"
                         "<bridge name='br-x'/></network>")
    netsetup.check_can_start(defn)              # never refuses: nothing is created
    assert netsetup.mode_of(defn) not in netsetup.MANAGED_MODES
