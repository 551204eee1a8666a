"""Device XML that attach-disk and attach-interface build from options."""
import pytest

from virtsh import devicexml
from virtsh.errors import CommandError


def test_plain_file_disk():
    assert devicexml.disk_xml("/var/lib/images/x.img", "vdb") == (
        "<disk type='file'>\n"
        "  <source file='/var/lib/images/x.img'/>\n"
        "  <target dev='vdb'/>\n"
        "</disk>\n")


def test_disk_with_driver_mode_serial_and_alias():
    xml = devicexml.disk_xml("/x.img", "vdb", targetbus="virtio", driver="qemu",
                             subdriver="qcow2", cache="none", io="native",
                             mode="readonly", serial="S1", alias="ua-d1")
    assert xml == ("<disk type='file'>\n"
                   "  <driver name='qemu' type='qcow2' cache='none' io='native'/>\n"
                   "  <source file='/x.img'/>\n"
                   "  <target dev='vdb' bus='virtio'/>\n"
                   "  <readonly/>\n"
                   "  <serial>S1</serial>\n"
                   "  <alias name='ua-d1'/>\n"
                   "</disk>\n")


def test_block_source_detected_by_the_stat_callback():
    xml = devicexml.disk_xml("/dev/sr0", "hdc", device="cdrom",
                             is_block_device=lambda path: path == "/dev/sr0")
    assert xml.startswith("<disk type='block' device='cdrom'>\n  <source dev='/dev/sr0'/>")
    assert "type='file'" in devicexml.disk_xml("/dev/sr0", "hdc", driver="file",
                                               is_block_device=lambda p: True)


def test_network_disk_splits_host_and_port():
    xml = devicexml.disk_xml("pool/vol", "vdc", protocol="rbd", host_name="mon1:6789")
    assert xml == ("<disk type='network'>\n"
                   "  <source protocol='rbd' name='pool/vol'>\n"
                   "    <host name='mon1' port='6789'/>\n"
                   "  </source>\n"
                   "  <target dev='vdc'/>\n"
                   "</disk>\n")


@pytest.mark.parametrize("address, target, line", [
    ("pci:0000.00.0a.0", "vdb",
     "<address type='pci' domain='0x0000' bus='0x00' slot='0x0a' function='0x0'/>"),
    ("scsi:0.0.1", "sdb", "<address type='drive' controller='0' bus='0' unit='1'/>"),
    ("usb:1.2", "sdb", "<address type='usb' bus='1' port='2'/>"),
    ("ccw:fe.0.1", "vdb", "<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0001'/>"),
])
def test_disk_addresses(address, target, line):
    assert devicexml.disk_address(address, target, False) == line


def test_multifunction_pci_address():
    assert devicexml.disk_address("pci:0.0.a.0", "vdb", True).endswith(
        " multifunction='on'/>")


@pytest.mark.parametrize("options, message", [
    (dict(address="bogus:1"), "Invalid address."),
    (dict(address="scsi:0.0.1"), "expecting a pci:0000.00.00.00 or ccw:00.0.0000 address."),
    (dict(sourcetype="blah"), "Unknown source type: 'blah'"),
    (dict(mode="whatever"), "No support for whatever in command 'attach-disk'"),
    (dict(sourcetype="network"), "--source-protocol option requires --sourcetype network"),
    (dict(wwn="zz"), "internal error: Malformed wwn: zz"),
])
def test_disk_option_errors(options, message):
    with pytest.raises(CommandError) as err:
        devicexml.disk_xml("/x.img", "vdb", **options)
    assert err.value.lines == [message]


def test_attribute_values_are_escaped():
    assert "file='/a&amp;b&apos;c'" in devicexml.disk_xml("/a&b'c", "vdb")


def test_interface_puts_target_before_mac():
    xml = devicexml.interface_xml("bridge", "br0", mac="52:54:00:11:22:33",
                                  model="virtio", target="vnet9", alias="ua-n1")
    assert xml == ("<interface type='bridge'>\n"
                   "  <source bridge='br0'/>\n"
                   "  <target dev='vnet9'/>\n"
                   "  <mac address='52:54:00:11:22:33'/>\n"
                   "  <model type='virtio'/>\n"
                   "  <alias name='ua-n1'/>\n"
                   "</interface>\n")


def test_interface_bandwidth_and_vhostuser():
    xml = devicexml.interface_xml("network", "default", inbound="100,200,,5",
                                  outbound="50", managed=True)
    assert "<interface type='network' managed='yes'>" in xml
    assert ("  <bandwidth>\n    <inbound average='100' peak='200' floor='5'/>\n"
            "    <outbound average='50'/>\n  </bandwidth>\n") in xml
    assert "<source type='unix' path='/run/s' mode='server'/>" in devicexml.interface_xml(
        "vhostuser", "/run/s", source_mode="server")


@pytest.mark.parametrize("args, kwargs, message", [
    (("frobnicate", "x"), {}, "No support for frobnicate in command 'attach-interface'"),
    (("user", "x"), {}, "No support for user in command 'attach-interface'"),
    (("vhostuser", "/s"), {}, "source-mode is mandatory"),
    (("network", "n"), dict(inbound="0"), "either inbound average or floor is mandatory"),
    (("network", "n"), dict(outbound="1,2,3,4"), "outbound floor is unsupported yet"),
    (("network", "n"), dict(inbound="1,2,3,4,5"), "Rate string '1,2,3,4,5' has too many fields"),
    (("network", "n"), dict(inbound="x"), "field 'average' is malformed"),
    (("hostdev", "00.1f.2"), {}, "cannot parse pci address '00.1f.2' for network interface"),
])
def test_interface_option_errors(args, kwargs, message):
    with pytest.raises(CommandError) as err:
        devicexml.interface_xml(*args, **kwargs)
    assert err.value.lines == [message]
