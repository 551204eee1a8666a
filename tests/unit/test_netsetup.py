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
    assert rules.startswith("table inet virtsh_vb9\ndelete table inet virtsh_vb9\n"
                            "table inet virtsh_vb9 {\n")
    assert "ip saddr 10.5.0.0/24 ip daddr != 10.5.0.0/24 masquerade" in rules
    assert 'oifname "vb9" ip daddr 10.5.0.0/24 ct state related,established accept' in rules


def test_routed_network_accepts_both_ways_without_nat():
    defn = _net("<forward mode='route'/>")
    rules = netsetup._ruleset(defn, netsetup.ipv4_networks(defn), "route")
    assert "masquerade" not in rules
    assert 'oifname "vb9" ip daddr 10.5.0.0/24 accept' in rules


V6 = "<ip family='ipv6' address='fd00:5::1' prefix='64'/>"


def test_nat_routes_ipv6_unless_told_to_masquerade_it():
    defn = _net(ip="<ip address='10.5.0.1' prefix='24'/>" + V6)
    rules = netsetup._ruleset(defn, netsetup.ip_networks(defn), "nat")
    assert 'iifname "vb9" ip6 saddr fd00:5::/64 accept' in rules
    assert 'oifname "vb9" ip6 daddr fd00:5::/64 accept' in rules
    assert "ip6 saddr fd00:5::/64 ip6 daddr" not in rules
    assert "ip saddr 10.5.0.0/24 ip daddr != 10.5.0.0/24 masquerade" in rules

    defn = _net("<forward mode='nat'><nat ipv6='yes'/></forward>", V6)
    rules = netsetup._ruleset(defn, netsetup.ip_networks(defn), "nat")
    assert 'oifname "vb9" ip6 daddr fd00:5::/64 ct state related,established accept' \
        in rules
    assert "ip6 saddr fd00:5::/64 ip6 daddr != fd00:5::/64 masquerade" in rules


def test_ipv6_prefix_defaults_to_64_and_is_kept_apart_from_ipv4():
    defn = _net(ip="<ip address='10.5.0.1' prefix='24'/>"
                   "<ip family='ipv6' address='fd00:6::1'/>")
    assert [str(i) for i, _ in netsetup.ip_networks(defn)] == ["10.5.0.1/24",
                                                             "fd00:6::1/64"]
    assert [str(i) for i, _ in netsetup.ipv4_networks(defn)] == ["10.5.0.1/24"]


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
        (1795682548, "52:54:00:aa:bb:cc", "10.5.0.13", "guest1", "01:52:54:00:aa:bb:cc",
         None),
        (1795682549, "52:54:00:aa:bb:cd", "10.5.0.14", None, None, None)]


def test_ipv6_lease_lines_take_their_mac_from_the_duid(tmp_path):
    files = netsetup.NetworkFiles(str(tmp_path), "n")
    (tmp_path / "n.leases").write_text(
        "duid 00:01:00:01:32:9a:ca:3a:52:54:00:59:46:32\n"
        "1795697420 11189094 fd00:93::159 * 00:01:00:01:32:9a:ca:3c:52:54:00:aa:bb:66\n"
        "1795697421 7 fd00:93::160 six 00:03:00:01:52:54:00:aa:bb:67\n"
        "1795697422 8 fd00:93::161 * 00:04:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00\n")
    assert netsetup.read_leases(files) == [
        (1795697420, "52:54:00:aa:bb:66", "fd00:93::159", None,
         "00:01:00:01:32:9a:ca:3c:52:54:00:aa:bb:66", "11189094"),
        (1795697421, "52:54:00:aa:bb:67", "fd00:93::160", "six",
         "00:03:00:01:52:54:00:aa:bb:67", "7"),
        (1795697422, None, "fd00:93::161", None,
         "00:04:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00", "8")]


def test_no_lease_file_means_no_leases(tmp_path):
    assert netsetup.read_leases(netsetup.NetworkFiles(str(tmp_path), "n")) == []


def test_bridge_mode_needs_no_host_changes():
    defn = network.parse("<network><name>b</name><forward mode='bridge'/>"
                         "<bridge name='br-x'/></network>")
    netsetup.check_can_start(defn)              # never refuses: nothing is created
    assert netsetup.mode_of(defn) not in netsetup.MANAGED_MODES


def test_static_hosts_file_has_both_families(tmp_path):
    defn = _net(ip="<ip address='10.5.0.1' prefix='24'><dhcp>"
                   "<host mac='52:54:00:00:00:07' name='seven' ip='10.5.0.7'/></dhcp></ip>"
                   "<ip family='ipv6' address='fd00:5::1' prefix='64'><dhcp>"
                   "<host id='0:3:0:1:0:16:3e:11:22:33' name='peter' ip='fd00:5::22'/>"
                   "<host name='paul' ip='fd00:5::21'/></dhcp></ip>")
    files = netsetup.NetworkFiles(str(tmp_path), "n")
    netsetup._write_hosts(defn, files)
    assert (tmp_path / "n.hostsfile").read_text() == (
        "52:54:00:00:00:07,10.5.0.7,seven\n"
        "id:0:3:0:1:0:16:3e:11:22:33,peter,[fd00:5::22]\n"
        "paul,[fd00:5::21]\n")
