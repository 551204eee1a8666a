"""Issue 8's "done when", end to end: a Linux guest boots from a qcow2 volume
of a dir pool, gets a DHCP lease on a NAT network (in a network namespace
the test creates), virtsh reports that lease, and the guest reaches the
network's gateway.  Everything runs through virtsh's real entry point."""
import ipaddress
import os
import shutil
import subprocess
import time

import pytest

import linux_guest
from netns_env import NAT_XML, needs_netns
from qemu_env import QEMU, needs_qemu

TOOLS = ("qemu-img", "mkfs.ext2", "debugfs")
MISSING = [t for t in TOOLS if shutil.which(t) is None]
pytestmark = needs_netns + [
    needs_qemu,
    pytest.mark.skipif(bool(MISSING), reason="missing tools: %s" % ", ".join(MISSING)),
    pytest.mark.skipif(not linux_guest.disk_boot_available(),
                       reason="needs busybox-static and a /boot kernel with virtio "
                              "and ext4 modules")]

MAC = "52:54:00:5e:00:08"
GATEWAY = "10.91.0.1"
# what the guest runs from its volume; udhcpc's script sets the address
GUEST_PROGRAM = """
echo "ROOT $(grep ' / ' /proc/mounts | grep -v rootfs)" > /dev/ttyS0
ip link set eth0 up
udhcpc -i eth0 -n -q -t 30 -T 1 -s /sbin/lease -x hostname:voluest
echo "$(ip -4 -o addr show eth0)" > /marker
sync
ping -c 2 -W 3 %s >/dev/null && reached=REACHED || reached=LOST
echo GATEWAY-$reached > /dev/ttyS0
""" % GATEWAY
LEASE_SCRIPT = """#!/bin/busybox sh
[ "$1" = bound ] && ifconfig $interface $ip netmask $subnet
exit 0
"""
DEVICES = """
    <disk type='volume' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source pool='p' volume='root.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='network'>
      <mac address='%s'/>
      <source network='lab'/>
      <model type='virtio'/>
    </interface>
""" % MAC


def console(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def wait_for_console(path, texts, timeout):
    """The console text once it shows one of *texts*."""
    deadline = time.monotonic() + timeout
    while not any(t in console(path) for t in texts):
        if time.monotonic() > deadline:
            raise AssertionError("guest console never said %s:\n%s" % (texts, console(path)))
        time.sleep(0.3)
    return console(path)


def fill_volume_with_root(host, volume):
    """Put an ext2 root filesystem (busybox and GUEST_PROGRAM) into the qcow2
    volume vol-create-as made, keeping the volume's own file and format."""
    tree = linux_guest.build_root_tree(os.path.join(host.root, "tree"), GUEST_PROGRAM,
                                       {"sbin/lease": LEASE_SCRIPT})
    raw = os.path.join(host.root, "root.raw")
    subprocess.run(["mkfs.ext2", "-q", "-d", tree, raw, "24M"], check=True)
    subprocess.run(["qemu-img", "convert", "-n", "-f", "raw", "-O", "qcow2", raw, volume],
                   check=True)
    os.unlink(raw)


def file_on_volume(host, volume, name):
    """The text of /NAME inside the qcow2 volume's filesystem (read offline)."""
    raw = os.path.join(host.root, "after.raw")
    subprocess.run(["qemu-img", "convert", "-f", "qcow2", "-O", "raw", volume, raw],
                   check=True)
    return subprocess.run(["debugfs", "-R", "cat /" + name, raw], capture_output=True,
                          text=True, check=True).stdout


def test_guest_boots_from_a_pool_volume_and_gets_a_lease_on_a_nat_network(ns, host):
    ns.define(NAT_XML % {"name": "lab", "mode": "nat", "prefix": "10.91.0"})
    assert ns.virtsh("net-start", "lab").stdout == "Network lab started\n\n"
    ns.virtsh("pool-define-as", "p", "dir", "--target", os.path.join(host.root, "pool"))
    ns.virtsh("pool-build", "p")
    ns.virtsh("pool-start", "p")
    assert ns.virtsh("vol-create-as", "p", "root.qcow2", "32M", "--format",
                     "qcow2").stdout == "Vol root.qcow2 created\n\n"
    volume = ns.virtsh("vol-path", "--pool", "p", "root.qcow2").stdout.strip()
    fill_volume_with_root(host, volume)

    initrd = linux_guest.build_disk_loader(os.path.join(host.root, "loader.gz"))
    serial = os.path.join(host.root, "serial.log")
    xml = linux_guest.guest_xml("g", "qemu", QEMU, initrd, serial)
    xml_path = os.path.join(host.root, "g.xml")
    with open(xml_path, "w") as f:
        f.write(xml.replace("  </devices>", DEVICES + "  </devices>"))
    ns.virtsh("define", xml_path)
    ns.virtsh("start", "g")
    assert "master virbr0" in ns.run("ip", "-o", "link", "show", "vnet0").stdout

    text = wait_for_console(serial, ("GATEWAY-", "ROOT-MOUNT-FAILED"), 150)
    assert "ROOT /dev/vda / ext4 rw" in text and "GATEWAY-REACHED" in text, text

    rows = ns.virtsh("domifaddr", "g", "--source", "lease").stdout.splitlines()
    assert rows[0].split() == ["Name", "MAC", "address", "Protocol", "Address"]
    name, mac, protocol, address = rows[2].split()
    assert (name, mac, protocol) == ("vnet0", MAC, "ipv4")
    assert ipaddress.ip_interface(address) in ipaddress.ip_network("10.91.0.0/24")
    assert 10 <= int(address.split("/")[0].split(".")[3]) <= 20      # the DHCP range
    leases = ns.virtsh("net-dhcp-leases", "lab").stdout.splitlines()
    assert [r.split()[2:6] for r in leases[2:] if r.strip()] == [
        [MAC, "ipv4", address, "voluest"]]

    refused = ns.virtsh("vol-delete", "--pool", "p", "root.qcow2", check=False)
    assert refused.stderr.endswith("storage volume 'root.qcow2' is in use by domain "
                                   "'g'\n")
    ns.virtsh("destroy", "g")
    assert "vnet0" not in ns.links()
    # the guest wrote its address onto the volume it booted from
    assert "inet %s " % address in file_on_volume(host, volume, "marker")
