"""Host objects of the QEMU driver (issue 8, item 4): node devices and
interfaces read from this host's sysfs, secrets stored mode 0600, and
network filters, through the real entry point."""
import os
import stat

import pytest

NETDEVS = sorted(os.listdir("/sys/class/net")) if os.path.isdir("/sys/class/net") else []
needs_sysfs = pytest.mark.skipif(not NETDEVS, reason="no /sys/class/net")


def _mac(ifname):
    with open("/sys/class/net/%s/address" % ifname) as f:
        return f.read().strip()


def _nodedev_name(ifname):
    return "net_%s_%s" % (ifname, _mac(ifname).replace(":", "_"))


@needs_sysfs
def test_nodedev_list_dumpxml_and_info(host):
    names = host.virtsh("nodedev-list").stdout.split()
    assert "computer" in names and names == sorted(names)
    assert set(host.virtsh("nodedev-list", "--cap", "net").stdout.split()) == \
        {_nodedev_name(i) for i in NETDEVS}

    tree = host.virtsh("nodedev-list", "--tree").stdout.splitlines()
    assert tree[0] == "computer" and tree[1] == "  |"
    assert "  +- %s" % _nodedev_name("lo") in tree

    xml = host.virtsh("nodedev-dumpxml", _nodedev_name("lo")).stdout
    assert xml.startswith("<device>\n  <name>%s</name>\n  <path>/sys/devices/virtual/net/lo"
                          "</path>\n  <parent>computer</parent>\n" % _nodedev_name("lo"))
    assert "<interface>lo</interface>" in xml and "<capability type='80203'/>" in xml

    info = host.virtsh("nodedev-info", _nodedev_name("lo")).stdout
    assert info.splitlines()[:3] == ["Name:           %s" % _nodedev_name("lo"),
                                     "Parent:         computer", "Active:         yes"]
    missing = host.virtsh("nodedev-dumpxml", "nosuchdev", check=False)
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


@needs_sysfs
def test_iface_list_and_dumpxml(host):
    def operstate(i):
        with open("/sys/class/net/%s/operstate" % i) as f:
            return f.read().strip()
    up = [i for i in NETDEVS if operstate(i) == "up"]
    rows = host.virtsh("iface-list", "--all").stdout.splitlines()
    assert rows[0].split() == ["Name", "State", "MAC", "Address"]
    assert [r.split() for r in rows[2:] if r] == [
        [i, "active" if i in up else "inactive", _mac(i)] for i in NETDEVS]
    assert [r.split()[0] for r in host.virtsh("iface-list").stdout.splitlines()[2:]
            if r] == up
    with open("/sys/class/net/lo/mtu") as f:
        mtu = f.read().strip()
    assert host.virtsh("iface-dumpxml", "lo").stdout == (
        "<interface type='ethernet' name='lo'>\n  <mtu size='%s'/>\n"
        "  <link state='%s'/>\n  <mac address='%s'/>\n</interface>\n\n"
        % (mtu, operstate("lo"), _mac("lo")))
    missing = host.virtsh("iface-dumpxml", "nosuch0", check=False)
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
