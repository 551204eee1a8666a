"""Host objects of the QEMU driver (issue 8, item 4): node devices and
interfaces read from this host's sysfs, secrets stored mode 0600, and
network filters, through the real entry point."""
import os
import shutil
import stat

import pytest


@pytest.fixture
def netns(request):
    """virtsh run inside a fresh network namespace, whose sysfs shows only the
    devices made here: lo, a bridge br0 and the veth pair vh0/vg0 (vh0 in br0)."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("network namespaces need root and iproute2")
    space = request.getfixturevalue("ns")
    space.run("ip", "link", "add", "br0", "type", "bridge")
    space.run("ip", "link", "add", "vh0", "type", "veth", "peer", "name", "vg0")
    space.run("ip", "link", "set", "vh0", "master", "br0", "up")
    space.run("ip", "link", "set", "br0", "up")
    return space.virtsh


def test_nodedev_list_dumpxml_and_info(host, netns):
    names = netns("nodedev-list").stdout.split()
    assert "computer" in names and names == sorted(names)
    nets = netns("nodedev-list", "--cap", "net").stdout.split()
    assert [n.split("_")[1] for n in nets] == ["br0", "lo", "vg0", "vh0"]
    lo = [n for n in nets if n.startswith("net_lo_")][0]
    assert lo == "net_lo_00_00_00_00_00_00"

    tree = netns("nodedev-list", "--tree").stdout.splitlines()
    assert tree[0] == "computer" and tree[1] == "  |"
    assert "  +- %s" % lo in tree

    xml = netns("nodedev-dumpxml", lo).stdout
    assert xml.startswith("<device>\n  <name>%s</name>\n  <path>/sys/devices/virtual/net/lo"
                          "</path>\n  <parent>computer</parent>\n" % lo)
    assert "<interface>lo</interface>" in xml and "<capability type='80203'/>" in xml
    assert "<link state='down'/>" in xml            # lo of a fresh namespace is down

    info = netns("nodedev-info", lo).stdout
    assert info.splitlines()[:5] == ["Name:           %s" % lo, "Parent:         computer",
                                     "Active:         yes", "Persistent:     no",
                                     "Autostart:      no"]
    root = netns("nodedev-info", "computer").stdout
    assert "Persistent:     yes" in root
    assert "<capability type='system'>" in netns("nodedev-dumpxml", "computer").stdout
    missing = netns("nodedev-dumpxml", "nosuchdev", check=False)
    assert missing.returncode == 1
    assert "no node device with matching name 'nosuchdev'" in missing.stderr


@pytest.mark.skipif(not os.path.isdir("/sys/bus/pci/devices")
                    or not os.listdir("/sys/bus/pci/devices"), reason="no PCI devices")
def test_pci_nodedev_shows_its_ids(host):
    address = sorted(os.listdir("/sys/bus/pci/devices"))[0]
    name = "pci_" + address.replace(":", "_").replace(".", "_")
    with open("/sys/bus/pci/devices/%s/vendor" % address) as f:
        vendor = f.read().strip()
    xml = host.virtsh("nodedev-dumpxml", name).stdout
    assert "<capability type='pci'>" in xml and "<vendor id='%s'/>" % vendor in xml
    assert name in host.virtsh("nodedev-list", "--cap", "pci").stdout.split()


def test_iface_list_and_dumpxml(netns):
    rows = netns("iface-list", "--all").stdout.splitlines()
    assert rows[0].split() == ["Name", "State", "MAC", "Address"]
    states = {r.split()[0]: r.split()[1] for r in rows[2:] if r}
    assert set(states) == {"br0", "lo", "vg0", "vh0"}
    active = [r.split()[0] for r in netns("iface-list").stdout.splitlines()[2:] if r]
    inactive = [r.split()[0] for r in netns("iface-list", "--inactive").stdout.splitlines()[2:]
                if r]
    assert sorted(active + inactive) == ["br0", "lo", "vg0", "vh0"]
    assert "lo" in inactive

    mac = netns("iface-mac", "vg0").stdout.strip()
    assert netns("iface-name", mac).stdout.strip() == "vg0"
    assert netns("iface-dumpxml", "lo").stdout == (
        "<interface type='ethernet' name='lo'>\n  <mtu size='65536'/>\n"
        "  <link state='down'/>\n  <mac address='00:00:00:00:00:00'/>\n</interface>\n\n")
    bridge = netns("iface-dumpxml", "br0").stdout
    assert bridge.startswith("<interface type='bridge' name='br0'>\n  <mtu size='1500'/>")
    assert "  <bridge>\n    <interface type='ethernet' name='vh0'>" in bridge
    missing = netns("iface-dumpxml", "nosuch0", check=False)
    assert "couldn't find interface named 'nosuch0'" in missing.stderr


SECRET = """<secret ephemeral='no' private='%s'>
  <description>disk key</description>
  <usage type='volume'><volume>%s</volume></usage>
</secret>
"""


def _define_secret(host, private="no", volume="/img/a.qcow2", name="s.xml"):
    path = os.path.join(host.root, name)
    with open(path, "w") as f:
        f.write(SECRET % (private, volume))
    out = host.virtsh("secret-define", path).stdout
    assert out.startswith("Secret ") and out.endswith(" created\n\n")
    return out.split()[1]


def test_secret_lifecycle_and_file_modes(host):
    uuid = _define_secret(host)
    assert host.virtsh("secret-set-value", uuid, "--base64", "c2VjcmV0").stdout == \
        "Secret value set\n\n"
    assert host.virtsh("secret-get-value", uuid).stdout == "c2VjcmV0\n"
    directory = os.path.join(host.root, "etc", "secrets")
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    for entry in os.listdir(directory):
        assert stat.S_IMODE(os.stat(os.path.join(directory, entry)).st_mode) == 0o600
    with open(os.path.join(directory, uuid + ".base64")) as f:
        assert f.read() == "c2VjcmV0"

    rows = host.virtsh("secret-list").stdout.splitlines()
    assert rows[2].split() == [uuid, "volume", "/img/a.qcow2"]
    xml = host.virtsh("secret-dumpxml", uuid).stdout
    assert xml.startswith("<secret ephemeral='no' private='no'>\n  <uuid>%s</uuid>" % uuid)
    assert host.virtsh("secret-list", "--private").stdout.count("\n") == 3

    clash = os.path.join(host.root, "clash.xml")
    with open(clash, "w") as f:
        f.write(SECRET % ("no", "/img/a.qcow2"))
    proc = host.virtsh("secret-define", clash, check=False)
    assert proc.stderr.endswith("a secret with UUID %s already defined for use with "
                                "/img/a.qcow2\n" % uuid)

    assert host.virtsh("secret-undefine", uuid).stdout == "Secret %s deleted\n\n" % uuid
    assert os.listdir(directory) == []
    proc = host.virtsh("secret-get-value", uuid, check=False)
    assert proc.returncode == 1
    assert "no secret with matching uuid '%s'" % uuid in proc.stderr


def test_private_secret_and_missing_value(host):
    uuid = _define_secret(host, private="yes", volume="/img/p.qcow2")
    proc = host.virtsh("secret-get-value", uuid, check=False)
    assert proc.stderr.endswith("error: Invalid secret: secret is private\n")
    host.virtsh("secret-set-value", uuid, "--base64", "eA==")
    proc = host.virtsh("secret-get-value", uuid, check=False)
    assert proc.returncode == 1 and proc.stderr.endswith("secret is private\n")
    other = _define_secret(host, volume="/img/q.qcow2", name="q.xml")
    proc = host.virtsh("secret-get-value", other, check=False)
    assert proc.stderr.endswith("secret '%s' does not have a value\n" % other)


def test_nwfilter_define_list_dumpxml_undefine(host):
    path = os.path.join(host.root, "f.xml")
    with open(path, "w") as f:
        f.write("<filter name='no-spoof' chain='ipv4'>"
                "<uuid>aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee</uuid>"
                "<rule action='drop' direction='out'><ip srcipaddr='10.0.0.1'/></rule>"
                "</filter>")
    assert host.virtsh("nwfilter-list").stdout.count("\n") == 3
    host.virtsh("nwfilter-define", path)
    rows = host.virtsh("nwfilter-list").stdout.splitlines()
    assert rows[2].split() == ["aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "no-spoof"]
    xml = host.virtsh("nwfilter-dumpxml", "no-spoof").stdout
    assert xml.startswith("<filter name='no-spoof' chain='ipv4'>\n"
                          "  <uuid>aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee</uuid>\n")
    host.virtsh("nwfilter-undefine", "no-spoof")
    proc = host.virtsh("nwfilter-dumpxml", "no-spoof", check=False)
    assert proc.returncode == 1 and "no-spoof" in proc.stderr
