"""libvirt's checks of a network's <ip> elements: at parse time (every
driver) and the host network driver's own refusals at define time."""
import pytest

from virtsh.drivers import netsetup
from virtsh.drivers.errors import VirtError
from virtsh.xmlconf import network


def _parse(ips, forward=""):
    return network.parse("<network><name>n</name>%s%s</network>" % (forward, ips))


def _refused(ips, forward=""):
    with pytest.raises(VirtError) as failed:
        netsetup.validate(_parse(ips, forward))
    return failed.value.message


def _parse_error(ips):
    with pytest.raises(VirtError) as failed:
        _parse(ips)
    return failed.value.message


def test_default_prefix_is_the_address_class_or_64():
    defn = _parse("<ip address='10.1.0.1'/><ip address='172.16.0.1'/>"
                  "<ip address='192.168.1.1'/><ip family='ipv6' address='fd00::1'/>")
    assert [str(network.ip_interface(ip)) for ip in defn.tree.findall("ip")] == [
        "10.1.0.1/8", "172.16.0.1/16", "192.168.1.1/24", "fd00::1/64"]


def test_dhcp_ranges_must_lie_inside_the_network_in_order():
    assert _parse_error("<ip address='10.202.0.1' netmask='255.255.255.0'><dhcp>"
                        "<range start='10.203.0.10' end='10.203.0.20'/></dhcp></ip>") == \
        "internal error: range 10.203.0.10 - 10.203.0.20 is not entirely within " \
        "network 10.202.0.1/24"
    assert _parse_error("<ip address='10.5.0.1' prefix='24'><dhcp>"
                        "<range start='10.5.0.20' end='10.5.0.10'/></dhcp></ip>") == \
        "internal error: range 10.5.0.20 - 10.5.0.10 is reversed "
    assert _parse_error("<ip family='ipv6' address='fd00:5::1' prefix='64'><dhcp>"
                        "<range start='fd00:5::20' end='fd00:5::10'/></dhcp></ip>") == \
        "internal error: range fd00:5::20 - fd00:5::10 start larger than end"
    _parse("<ip address='10.211.0.1'><dhcp><range start='10.212.0.10' "
           "end='10.212.0.20'/></dhcp></ip>")            # inside 10.0.0.0/8


def test_addresses_and_prefixes_must_be_real():
    assert _parse_error("<ip address='bogus' prefix='24'/>") == \
        "XML error: Invalid address 'bogus' in network 'n'"
    assert _parse_error("<ip address='10.1.1.1' prefix='99'/>") == \
        "unsupported configuration: Invalid IPv4 prefix '99' in network 'n'"


def test_host_driver_serves_one_dhcp_per_family_and_no_ip_on_foreign_bridges():
    dhcp = "<dhcp><range start='%s.10' end='%s.20'/></dhcp>"
    two = "".join("<ip address='%s.1' prefix='24'>%s</ip>" % (p, dhcp % (p, p))
                  for p in ("10.209.0", "10.210.0"))
    assert _refused(two) == (
        "unsupported configuration: Multiple IPv4 dhcp sections found -- dhcp is "
        "supported only for a single IPv4 address on each network")
    assert _refused("<ip address='10.8.0.1' prefix='24'/>",
                    "<forward mode='bridge'/><bridge name='br9'/>") == (
        "unsupported configuration: Unsupported <ip> element in network n with "
        "forward mode='bridge'")
    netsetup.validate(_parse(two.replace(dhcp % ("10.210.0", "10.210.0"), "")))
