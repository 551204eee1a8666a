"""The LXC driver's pure parts: start plans, cgroup files (v1 and v2 trees
laid out in a temp dir), the lxc-tools converter, the console escape."""
import os

import pytest
from lxml import etree

from virtsh.drivers.errors import VirtError
from virtsh.drivers.lxc import native, plan
from virtsh.drivers.lxc.cgroups import Cgroup
from virtsh.consolerelay import escape_byte


def definition(devices, extra=""):
    return etree.fromstring("""<domain type='lxc'><name>c</name>
      <uuid>8369f1ac-7e46-e869-4ca5-759d51478066</uuid><os><type>exe</type>
      <init>/bin/sh</init><initarg>-l</initarg><initenv name='A'>1</initenv></os>%s
      <devices>%s</devices></domain>""" % (extra, devices))


ROOT = "<filesystem type='mount'><source dir='/'/><target dir='/'/></filesystem>"
CONSOLE = "<console type='pty'/>"


def test_plan_reads_init_root_mounts_and_nics():
    got = plan.build(definition(ROOT + CONSOLE + """
        <filesystem type='ram'><source usage='1024'/><target dir='/run'/></filesystem>
        <interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/>
          <ip address='10.0.0.2' prefix='24'/><guest dev='eth3'/></interface>"""), "c")
    assert (got["init"], got["initargs"], got["initenv"]) == ("/bin/sh", ["-l"], [("A", "1")])
    assert got["root"] == "/" and got["mounts"] == [("ram", "1024", "/run", False)]
    nic = got["nets"][0]
    assert (nic["bridge"], nic["guest"], nic["mac"]) == ("br0", "eth3", "52:54:00:00:00:01")
    assert nic["host"].startswith("veth") and nic["ips"] == [("10.0.0.2", "24", None, None)]


@pytest.mark.parametrize("devices, extra, message", [
    (ROOT, "", "At least one PTY console is required"),
    (ROOT + "<console type='file'><source path='/x'/></console>", "",
     "Only PTY console types are supported"),
    (ROOT + CONSOLE, "<idmap><uid start='1' target='1000' count='10'/></idmap>",
     "You must map the root user of container"),
    (ROOT + CONSOLE + "<filesystem type='template'><source name='t'/>"
     "<target dir='/x'/></filesystem>", "", "Unexpected filesystem type template"),
    ("<filesystem type='mount'><source dir='/no/such/dir'/><target dir='/'/></filesystem>"
     + CONSOLE, "", "Failed to resolve symlink at /no/such/dir"),
])
def test_plan_refuses_what_libvirt_refuses(devices, extra, message):
    with pytest.raises(VirtError) as err:
        plan.build(definition(devices, extra), "c")
    assert message in str(err.value)


def test_cgroup_v1_tree(tmp_path):
    mounts = {c: str(tmp_path / c) for c in ("memory", "cpuacct", "freezer")}
    group = Cgroup("machine/c.test", mounts, None)
    group.create()
    assert all(os.path.isdir(os.path.join(m, "machine/c.test")) for m in mounts.values())
    group.set_memory_limit(1024)
    with open(tmp_path / "memory/machine/c.test/memory.limit_in_bytes") as f:
        assert f.read() == str(1024 * 1024)
    (tmp_path / "cpuacct/machine/c.test/cpuacct.usage").write_text("123456\n")
    assert group.cpu_time_ns() == 123456
    assert Cgroup.from_json(group.to_json()).dirs() == group.dirs()


def test_cgroup_v2_tree(tmp_path):
    (tmp_path / "cgroup.controllers").write_text("cpu memory pids\n")
    group = Cgroup("machine/c.test", {}, str(tmp_path))
    group.create()
    assert (tmp_path / "cgroup.subtree_control").read_text() == "+cpu +memory +pids"
    leaf = tmp_path / "machine/c.test"
    (leaf / "cpu.stat").write_text("usage_usec 42\nuser_usec 40\n")
    (leaf / "memory.current").write_text(str(8 * 1024 * 1024))
    assert group.cpu_time_ns() == 42000 and group.memory_kib() == 8192
    group.set_memory_limit(2048)
    assert (leaf / "memory.max").read_text() == str(2048 * 1024)


def test_native_config_lines_and_refusals():
    assert native.parse_config("# c\n\nlxc.utsname = a\nlxc.tty=2\n") == [
        ("lxc.utsname", "a"), ("lxc.tty", "2")]
    with pytest.raises(VirtError, match="lxc.mount.fstab or lxc.mount found"):
        native.to_domain_xml("lxc-tools", "lxc.mount = /etc/fstab\n")
    with pytest.raises(VirtError, match="unsupported config type qemu-argv"):
        native.to_domain_xml("qemu-argv", "")


def test_native_network_and_idmap():
    xml = native.to_domain_xml("lxc-tools", "\n".join([
        "lxc.uts.name = n", "lxc.net.0.type = veth", "lxc.net.0.link = br1",
        "lxc.net.0.name = eth0", "lxc.net.0.flags = up", "lxc.idmap = u 5000 0 10",
        "lxc.idmap = g 5000 0 10"]))
    assert "<source bridge='br1'/>" in xml and "<guest dev='eth0'/>" in xml
    assert "<uid start='0' target='5000' count='10'/>" in xml
    assert "<privnet/>" not in xml


def test_console_escape_sequences():
    assert escape_byte("^]") == b"\x1d"
    assert escape_byte("^a") == b"\x01"
    assert escape_byte("x") == b"x"
