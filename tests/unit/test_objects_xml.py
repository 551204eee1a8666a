"""The non-domain XML vocabularies: libvirt's defaults, element order,
layout quirks and error messages."""
import pytest

from virtsh.drivers.errors import VirtError
from virtsh.xmlconf import (capabilities, interface, netupdate, network, nodedev,
                            nwfilter, objxml, secret, storage)


# --- network --------------------------------------------------------------------

def test_network_defaults_and_order():
    d = network.parse("<network><ip address='10.0.0.1' prefix='24'/><forward/>"
                      "<bridge name='br1'/><name>n</name>"
                      "<uuid>11111111-2222-3333-4444-555555555555</uuid></network>")
    assert network.format(d) == (
        "<network>\n  <name>n</name>\n"
        "  <uuid>11111111-2222-3333-4444-555555555555</uuid>\n"
        "  <forward mode='nat'/>\n"
        "  <bridge name='br1' stp='on' delay='0'/>\n"
        "  <ip address='10.0.0.1' prefix='24'>\n  </ip>\n"
        "</network>\n")
    assert d.bridge == "br1"


def test_network_without_uuid_gets_one_and_bridge_mode_keeps_plain_bridge():
    d = network.parse("<network><name>b</name><forward mode='bridge'/>"
                      "<bridge name='br0' stp='off'/></network>")
    assert len(d.uuid) == 36
    assert "  <bridge name='br0'/>\n" in network.format(d)


@pytest.mark.parametrize("text, message", [
    ("<domain/>", "XML error: expecting root element of 'network', not 'domain'"),
    ("<network/>", "missing name information"),
    ("<network><name>x</name><forward mode='warp'/></network>",
     "unsupported configuration: unknown forwarding type 'warp'"),
])
def test_network_errors(text, message):
    with pytest.raises(VirtError) as e:
        network.parse(text)
    assert str(e.value) == message


def test_net_update_sections():
    d = network.parse("<network><name>n</name><ip address='10.0.0.1' prefix='24'>"
                      "<dhcp><range start='10.0.0.2' end='10.0.0.9'/></dhcp></ip></network>")
    netupdate.apply(d, "add-last", "ip-dhcp-host", -1, "<host mac='52:54:00:00:00:01' ip='10.0.0.5'/>")
    netupdate.apply(d, "add-first", "dns-host", -1, "<host ip='10.0.0.7'><hostname>a</hostname></host>")
    text = network.format(d)
    assert text.index("<dns>") < text.index("<ip ")          # libvirt's order
    assert "      <host mac='52:54:00:00:00:01' ip='10.0.0.5'/>\n" in text
    with pytest.raises(VirtError) as e:
        netupdate.apply(d, "delete", "ip-dhcp-range", -1, "<range start='1.1.1.1' end='1.1.1.2'/>")
    assert "couldn't locate a matching dhcp range entry in network 'n'" in str(e.value)
    with pytest.raises(VirtError) as e:
        netupdate.apply(d, "modify", "bridge", -1, "<bridge/>")
    assert str(e.value) == ("Operation not supported: can't update 'bridge' section "
                            "of network 'n'")


# --- storage --------------------------------------------------------------------

def test_pool_format_prints_sizes_and_an_open_source():
    d = storage.parse_pool("<pool type='dir'><target><path>/p</path></target>"
                           "<name>p</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
                           "<source><dir path='/ignored'/></source></pool>")
    assert storage.format_pool(d, 10, 4, 6) == (
        "<pool type='dir'>\n  <name>p</name>\n"
        "  <uuid>11111111-2222-3333-4444-555555555555</uuid>\n"
        "  <capacity unit='bytes'>10</capacity>\n"
        "  <allocation unit='bytes'>4</allocation>\n"
        "  <available unit='bytes'>6</available>\n"
        "  <source>\n  </source>\n"
        "  <target>\n    <path>/p</path>\n  </target>\n</pool>\n")


@pytest.mark.parametrize("text, message", [
    ("<pool><name>p</name></pool>",
     "XML error: Missing required attribute 'type' in element 'pool'"),
    ("<pool type='tape'><name>p</name></pool>",
     "XML error: Invalid value for attribute 'type' in element 'pool': 'tape'."),
    ("<pool type='dir'><name>p</name></pool>", "XML error: missing storage pool target path"),
    ("<pool type='dir'><target><path>/x</path></target></pool>",
     "XML error: missing pool source name element"),
])
def test_pool_errors(text, message):
    with pytest.raises(VirtError) as e:
        storage.parse_pool(text)
    assert str(e.value) == message


def test_volume_units_default_allocation_and_format():
    v = storage.parse_volume("<volume><name>v</name><capacity unit='G'>2</capacity>"
                             "</volume>", "dir")
    assert (v.capacity, v.allocation) == (2 * 1024 ** 3, 2 * 1024 ** 3)
    v.set_location("/p/v")
    assert storage.format_volume(v) == (
        "<volume type='file'>\n  <name>v</name>\n  <key>/p/v</key>\n"
        "  <capacity unit='bytes'>2147483648</capacity>\n"
        "  <allocation unit='bytes'>2147483648</allocation>\n"
        "  <target>\n    <path>/p/v</path>\n    <format type='raw'/>\n"
        "  </target>\n</volume>\n")
    kb = storage.parse_volume("<volume><name>k</name><capacity unit='KB'>3</capacity>"
                              "<allocation>0</allocation></volume>", "logical")
    assert (kb.capacity, kb.allocation) == (3000, 0)
    assert kb.tree.find("target") is None                 # no default format there


def test_volume_errors():
    with pytest.raises(VirtError) as e:
        storage.parse_volume("<volume><name>v</name></volume>", "dir")
    assert str(e.value) == "XML error: missing capacity element"
    with pytest.raises(VirtError) as e:
        storage.parse_volume("<volume><name>v</name><capacity unit='Q'>1</capacity>"
                             "</volume>", "dir")
    assert "unknown suffix 'Q'" in str(e.value)


# --- interface, node device -------------------------------------------------------

def test_interface_order():
    d = interface.parse("<interface type='ethernet' name='e'><mac address='aa:bb:cc:dd:ee:01'/>"
                        "<link state='up'/><protocol family='ipv4'><dhcp/></protocol>"
                        "<mtu size='1400'/><start mode='onboot'/></interface>")
    assert [c.tag for c in d.tree] == ["start", "mtu", "protocol", "link", "mac"]
    assert d.mac == "aa:bb:cc:dd:ee:01"


def test_nodedev_vport_counters_come_out_zero():
    d = nodedev.parse("<device><name>h</name><capability type='scsi_host'>"
                      "<capability type='vport_ops'><vports>3</vports>"
                      "<max_vports>9</max_vports></capability><unique_id>1</unique_id>"
                      "<host>2</host></capability></device>")
    assert nodedev.format(d) == (
        "<device>\n  <name>h</name>\n  <capability type='scsi_host'>\n"
        "    <host>2</host>\n    <unique_id>1</unique_id>\n"
        "    <capability type='vport_ops'>\n      <max_vports>0</max_vports>\n"
        "      <vports>0</vports>\n    </capability>\n  </capability>\n</device>\n")
    assert d.caps() == ["scsi_host", "vport_ops"]


# --- secret, filter, capabilities, layout -------------------------------------------

def test_secret_defaults():
    d = secret.parse("<secret><usage type='volume'><volume>/v</volume></usage></secret>")
    assert secret.format(d).startswith("<secret ephemeral='no' private='no'>\n  <uuid>")
    assert (d.usage_type, d.usage_id) == ("volume", "/v")


def test_nwfilter_default_chain():
    d = nwfilter.parse("<filter name='f'><uuid>11111111-2222-3333-4444-555555555555</uuid>"
                       "</filter>")
    assert nwfilter.format(d) == ("<filter name='f' chain='root'>\n"
                                  "  <uuid>11111111-2222-3333-4444-555555555555</uuid>\n"
                                  "</filter>\n")


def test_capabilities_layout():
    host = capabilities.Host("i686", ("pae",), (4,), [], [("m", "")])
    text = capabilities.format(host, [capabilities.Guest("hvm", "i686", 32, "/e", ("test",))])
    assert text.startswith("<capabilities>\n\n  <host>\n    <cpu>\n      <arch>i686</arch>\n")
    assert "      <cells num='0'>\n      </cells>\n" in text
    assert "      <doi></doi>\n" in text
    assert text.endswith("  </guest>\n\n</capabilities>\n")


def test_write_expands_only_named_elements():
    root = objxml.element("a", children=[objxml.element("b"),
                                         objxml.element("c", {"x": "'"})])
    assert objxml.write(root, expand=("c",)) == "<a>\n  <b/>\n  <c x='&apos;'>\n  </c>\n</a>\n"
    assert objxml.write(root) == "<a>\n  <b/>\n  <c x='&apos;'/>\n</a>\n"
