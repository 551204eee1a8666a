"""Bad input to the QEMU driver: libvirt's error, exit 1, nothing left over."""
import os
import subprocess

from qemu_env import guest_xml, needs_qemu

pytestmark = needs_qemu


def qemu_processes_of(root):
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if root in line and "qemu-system" in line]


def test_missing_emulator(host):
    xml = guest_xml("vm1").replace("<emulator>/usr/bin/", "<emulator>/nonexistent/bin/")
    path = os.path.join(host.root, "bad.xml")
    with open(path, "w") as f:
        f.write(xml)
    for command in ("define", "create"):
        proc = host.virtsh(command, path, check=False)
        assert proc.returncode == 1
        assert "error: Cannot check QEMU binary /nonexistent/" in proc.stderr
        assert ": No such file or directory" in proc.stderr
    assert host.virtsh("list", "--all", "--name").stdout.split() == []


def test_taken_name_and_taken_uuid(host):
    host.define(guest_xml("vm1").replace("<name>vm1</name>",
                                         "<name>vm1</name><uuid>b8e48763-9c8a-4dff-99df-619e9707e607</uuid>"))
    other = guest_xml("vm1").replace("<name>vm1</name>",
                                     "<name>vm1</name><uuid>7193a629-41f1-49b5-9ee7-d6a46d804706</uuid>")
    path = os.path.join(host.root, "other.xml")
    with open(path, "w") as f:
        f.write(other)
    proc = host.virtsh("define", path, check=False)
    assert proc.returncode == 1
    assert ("error: operation failed: domain 'vm1' already exists with uuid "
            "b8e48763-9c8a-4dff-99df-619e9707e607") in proc.stderr
    renamed = os.path.join(host.root, "renamed.xml")
    with open(renamed, "w") as f:
        f.write(guest_xml("vm2").replace("<name>vm2</name>",
                                         "<name>vm2</name><uuid>b8e48763-9c8a-4dff-99df-619e9707e607</uuid>"))
    proc = host.virtsh("define", renamed, check=False)
    assert "error: operation failed: domain 'vm1' is already defined with uuid " in proc.stderr


def test_a_running_transient_guest_holds_its_uuid(host):
    uuid = "5f0c8f4e-2d4b-4c59-9c1e-1d2f3a4b5c6d"
    xml = guest_xml("temp").replace("<name>temp</name>", "<name>temp</name><uuid>%s</uuid>" % uuid)
    paths = {}
    for name in ("temp", "other"):
        paths[name] = os.path.join(host.root, name + ".xml")
        with open(paths[name], "w") as f:
            f.write(xml.replace("<name>temp</name>", "<name>%s</name>" % name))
    host.virtsh("create", paths["temp"])
    try:
        proc = host.virtsh("define", paths["other"], check=False)
        assert proc.returncode == 1
        assert "error: operation failed: domain 'temp' is already active" in proc.stderr
        assert host.virtsh("domname", uuid).stdout.strip() == "temp"
    finally:
        host.virtsh("destroy", "temp")
    host.virtsh("define", paths["other"])       # free once the guest is gone
    assert host.virtsh("domname", uuid).stdout.strip() == "other"


def test_missing_disk_leaves_nothing_behind(host):
    missing = os.path.join(host.root, "missing.qcow2")
    disk = ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
            "<source file='%s'/><target dev='vda' bus='virtio'/></disk>" % missing)
    host.define(guest_xml("vm1", disk))
    proc = host.virtsh("start", "vm1", check=False)
    assert proc.returncode == 1
    assert ("error: Cannot access storage file '%s' (as uid:%d, gid:%d): "
            "No such file or directory" % (missing, os.getuid(), os.getgid())) in proc.stderr
    assert host.state("vm1") == "shut off (failed)"
    assert qemu_processes_of(host.root) == []
    assert host.runtime_files() == ["vm1.shutoff"]


def test_qemu_refusing_the_config_is_reported(host):
    host.define(guest_xml("vm1").replace("<vcpu>1</vcpu>", "<vcpu>1</vcpu><cpu mode='custom'>"
                                         "<model>no-such-cpu-model</model></cpu>"))
    proc = host.virtsh("start", "vm1", check=False)
    assert proc.returncode == 1
    assert "error: internal error: QEMU unexpectedly closed the monitor (vm='vm1')" in proc.stderr
    assert host.state("vm1") == "shut off (failed)"
    assert qemu_processes_of(host.root) == []
    assert host.runtime_files() == ["vm1.shutoff"]


def test_read_only_connection_cannot_start(host):
    host.define(guest_xml("vm1"))
    import sys
    proc = subprocess.run([sys.executable, "-m", "virtsh", "-r", "-c", host.uri, "start", "vm1"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "read only access prevents virDomainCreate" in proc.stderr
    assert host.state("vm1") == "shut off (unknown)"
