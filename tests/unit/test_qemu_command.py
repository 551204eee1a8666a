"""The QEMU driver's definition pipeline without running QEMU: its
defaults, its checks, its QEMU XML namespace and the argv builder.

Where libvirt's own command line for the same document is stored in the
conformance corpus, the options this builder covers must be identical.
"""
import json
import os
import shlex

import pytest

from virtsh.drivers.errors import VirtError
from virtsh.drivers.qemu import command, defaults, qemuns, validate
from virtsh.xmlconf import domain as xd

CAPS = {
    "emulator": "/usr/bin/qemu-system-x86_64", "arch": "x86_64", "kvm": True,
    "version": 7002022,
    "machines": [
        {"name": "pc-i440fx-7.2", "alias": "pc", "default": True, "max_cpus": 255,
         "deprecated": False},
        {"name": "pc-q35-7.2", "alias": "q35", "default": False, "max_cpus": 288,
         "deprecated": False},
        {"name": "pc-i440fx-4.2", "alias": None, "default": False, "max_cpus": 255,
         "deprecated": False},
    ],
}
CONF = {"vnc_listen": "127.0.0.1"}
CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared",
                      "conformance", "xml")

BASIC = """<domain type='kvm'>
  <name>vm1</name>
  <uuid>18b8ace7-1721-4266-8105-800c45ec3e7f</uuid>
  <memory unit='MiB'>128</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64' machine='%s'>hvm</type><boot dev='hd'/></os>
  <features><acpi/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/images/vm1.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='user'><mac address='52:54:00:64:77:9b'/><model type='virtio'/></interface>
    <console type='pty'/>
    <graphics type='vnc' autoport='yes'/>
  </devices>
</domain>"""


def prepared(xml):
    defn = xd.parse(xml)
    defaults.apply(defn.tree, CAPS, CONF, xd.parse_document(xml))
    return defn.tree


def argv_of(xml, **runtime):
    return command.build(prepared(xml), CAPS, command.Runtime(**runtime))


def options(argv, name):
    return [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == name]


def devices(argv):
    return [json.loads(d) if d.startswith("{") else d for d in options(argv, "-device")]


def test_machine_alias_is_expanded_and_defaults_added():
    root = prepared(BASIC % "pc")
    assert root.find("os/type").get("machine") == "pc-i440fx-7.2"
    kinds = [(c.get("type"), c.get("model")) for c in root.findall("devices/controller")]
    assert kinds == [("usb", "piix3-uhci"), ("pci", "pci-root")]
    assert root.find("devices/serial/target").get("type") == "isa-serial"
    assert root.find("devices/memballoon").get("model") == "virtio"
    assert root.find("devices/video/model").get("type") == "cirrus"


def test_unknown_machine_is_refused():
    with pytest.raises(VirtError) as err:
        prepared(BASIC % "pc-bogus-1.0")
    assert "does not support machine type 'pc-bogus-1.0'" in str(err.value)


def test_i440fx_pci_slots_follow_libvirt_order():
    root = prepared(BASIC % "pc")
    slot = {dev.tag: dev.find("address").get("slot")
            for dev in root.find("devices") if dev.find("address") is not None
            and dev.find("address").get("type") == "pci" and dev.tag != "controller"}
    # video is pinned to slot 2, then NICs, disks, balloon in that order
    assert slot == {"video": "0x02", "interface": "0x03", "disk": "0x04",
                    "memballoon": "0x05"}


def test_q35_devices_sit_behind_root_ports():
    root = prepared(BASIC % "q35")
    ports = [c for c in root.findall("devices/controller")
             if c.get("model") == "pcie-root-port"]
    # NIC, usb controller, disk, balloon, plus one spare port for hotplug
    assert len(ports) == 5
    assert ports[0].find("address").get("multifunction") == "on"
    assert root.find("devices/interface/address").get("bus") == "0x01"


def test_argv_of_a_small_guest():
    argv = argv_of(BASIC % "pc", events_fd=7, command_fd=8)
    assert argv[0] == "/usr/bin/qemu-system-x86_64"
    assert "-S" in argv and "-no-shutdown" in argv
    assert options(argv, "-machine") == [
        "pc-i440fx-7.2,usb=off,dump-guest-core=off,memory-backend=pc.ram"]
    assert options(argv, "-m") == ["128"]
    assert options(argv, "-smp") == ["2,sockets=2,cores=1,threads=1"]
    assert options(argv, "-accel") == ["kvm"]
    assert "socket,id=charmonitor,fd=8,server=on,wait=off" in options(argv, "-chardev")
    assert "socket,id=charevents,fd=7,server=on,wait=off" in options(argv, "-chardev")
    blockdevs = [json.loads(b) for b in options(argv, "-blockdev")]
    assert blockdevs[0]["filename"] == "/images/vm1.qcow2"
    assert blockdevs[1]["driver"] == "qcow2"
    drivers = [d["driver"] for d in devices(argv)]
    assert drivers == ["piix3-usb-uhci", "virtio-blk-pci", "virtio-net-pci",
                       "isa-serial", "cirrus-vga", "virtio-balloon-pci"]
    assert devices(argv)[1]["bootindex"] == 1
    assert options(argv, "-vnc") == ["127.0.0.1:0,to=100,audiodev=audio1"]
    assert "-display" not in argv


def test_kvm_guest_without_kvm_is_refused():
    with pytest.raises(VirtError) as err:
        argv_of(BASIC % "pc", monitor_path="/run/m.sock", kvm=False)
    assert "Domain requires KVM" in str(err.value)


def test_unsupported_interface_type_is_a_clear_error():
    xml = (BASIC % "pc").replace("<interface type='user'>",
                                 "<interface type='vhostuser'>")
    with pytest.raises(VirtError):
        argv_of(xml, monitor_path="/run/m.sock")


# Cases whose whole device list this builder reproduces.
LIBVIRT_CASES = ["minimal", "disk-virtio", "graphics-vnc", "serial-pty-chardev",
                 "balloon-device", "machine-aliases1", "net-virtio-netdev",
                 "disk-boot-cdrom", "pci-many", "clock-localtime-basis-localtime"]


@pytest.mark.skipif(not os.path.isdir(CORPUS), reason="conformance corpus not present")
@pytest.mark.parametrize("case", LIBVIRT_CASES)
def test_matches_libvirts_command_line(case):
    folder = os.path.join(CORPUS, case)
    expected = shlex.split(open(os.path.join(folder, "qemu.args")).read())
    expected = expected[next(i for i, a in enumerate(expected) if a.startswith("/usr/bin/qemu")):]
    xml = open(os.path.join(folder, "in.xml")).read()
    ours = argv_of(xml.replace("/usr/bin/qemu-system-i386", "/usr/bin/qemu-system-x86_64"),
                   monitor_path="/m.sock")
    for name in ("-machine", "-m", "-smp", "-device"):
        assert options(ours, name) == options(expected, name), name


# --- checks and the QEMU namespace -------------------------------------------

NS = "xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'"


def check(xml):
    validate.check(prepared(xml), {"spice_tls": 0})


@pytest.mark.parametrize("change, message", [
    (("<devices>", "<devices><controller type='pci' index='0' model='pcie-root'/>"),
     "XML error: The PCI controller with index='0' must be model='pci-root' for this "
     "machine type, but model='pcie-root' was found instead"),
    (("<features><acpi/>", "<features><acpi/><smm state='on'><tseg unit='MiB'>48</tseg></smm>"),
     "unsupported configuration: SMM TSEG is only supported with q35 machine type"),
    (("<target dev='vda'", "<target dev='vda1'"),
     "unsupported configuration: invalid disk target 'vda1', partitions can't appear "
     "in disk targets"),
    (("<devices>", "<devices><controller type='usb' index='0' model='qemu-xhci' ports='16'/>"),
     "unsupported configuration: 'qemu-xhci' controller only supports up to '15' ports"),
    (("<graphics type='vnc' autoport='yes'/>",
      "<graphics type='spice' port='5903' tlsPort='5904' autoport='no'/>"),
     "unsupported configuration: spice TLS port set in XML configuration, but TLS is "
     "disabled in qemu.conf"),
])
def test_configurations_qemu_cannot_run(change, message):
    xml = (BASIC % "pc").replace(*change)
    with pytest.raises(VirtError) as err:
        check(xml)
    assert str(err.value) == message


def test_a_plain_guest_passes():
    check(BASIC % "pc")
    check(BASIC % "q35")


COMMANDLINE = """<domain type='kvm' %s>
  <name>ns</name>
  <memory>65536</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <qemu:commandline>
    <qemu:arg value='-boot'/>
    <qemu:arg value='menu=off'/>
    <qemu:env name='NS' value='ns'/>
  </qemu:commandline>
</domain>""" % NS.replace("qemu=", "q=").replace("xmlns:q", "xmlns:qemu")


def test_qemu_namespace_is_kept_printed_and_applied():
    root = prepared(COMMANDLINE)
    qemuns.keep(root, xd.parse_document(COMMANDLINE))
    text = qemuns.format(xd.DomainDef(root), 2)
    assert text.startswith("<domain type='kvm' %s>\n" % NS)
    assert text.endswith("  <qemu:commandline>\n"
                         "    <qemu:arg value='-boot'/>\n"
                         "    <qemu:arg value='menu=off'/>\n"
                         "    <qemu:env name='NS' value='ns'/>\n"
                         "  </qemu:commandline>\n</domain>\n")
    assert command.build(root, CAPS, command.Runtime(monitor_path="/m"))[-2:] == [
        "-boot", "menu=off"]
    assert qemuns.extra_env(root) == {"NS": "ns"}
    # read back from its own output, it prints the same
    again = xd.DomainDef(xd.parse_document(text))
    assert qemuns.format(again, 2) == text


def test_usb_and_virtio_serial_ports_are_assigned_in_order():
    xml = (BASIC % "pc").replace("<console type='pty'/>", """<console type='pty'/>
    <controller type='usb' index='0' model='piix3-uhci'/>
    <channel type='pty'><target type='virtio' name='a'/></channel>
    <channel type='pty'><target type='virtio' name='b'/>
      <address type='virtio-serial' controller='0' bus='0' port='1'/></channel>
    <input type='tablet' bus='usb'/>
    <redirdev bus='usb' type='tcp'><source mode='connect' host='h' service='4000'/></redirdev>
    <redirdev bus='usb' type='tcp'><source mode='connect' host='h' service='4001'/></redirdev>""")
    root = prepared(xml)
    ports = [c.find("address").get("port") for c in root.findall("devices/channel")]
    assert ports == ["2", "1"]           # port 1 was taken explicitly
    usb = [(d.tag, d.find("address").get("port") if d.find("address") is not None else None)
           for d in root.find("devices") if d.tag in ("input", "redirdev")
           and d.get("bus") == "usb"]
    # piix3-uhci has two ports for three devices: a hub is added, takes
    # port 1 (hubs first) and offers the rest after the root's ports
    assert usb == [("input", "2"), ("redirdev", "1.1"), ("redirdev", "1.2")]
    assert root.find("devices/hub/address").get("port") == "1"


def test_ethernet_nic_opens_its_named_tap():
    xml = (BASIC % "pc").replace(
        "<interface type='user'><mac address='52:54:00:64:77:9b'/>",
        "<interface type='ethernet'><mac address='52:54:00:64:77:9b'/><target dev='vt0'/>")
    argv = argv_of(xml, monitor_path="/m")
    assert json.loads(options(argv, "-netdev")[0]) == {
        "type": "tap", "ifname": "vt0", "script": "no", "downscript": "no", "id": "hostnet0"}
