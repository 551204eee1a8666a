"""Migration with storage copy between two qemu:///embed roots, locally and
over the test sshd: the disks travel over NBD while the guest runs, a Linux
guest's writes land on the destination's image and go on there, and
cancelling while the disks copy leaves the guest at the source and nothing
at the destination."""
import json
import os
import signal
import subprocess
import sys

import pytest

import linux_guest
from qemu_env import QEMU, guest_xml, needs_qemu, wait_for
import test_migrate
from test_migrate import last_count

dest = test_migrate.dest                # the destination host's fixture

pytestmark = needs_qemu
VIRTIO_BLK = linux_guest.DISK_BOOT_MODULES[:6]     # up to virtio_blk
MIB = 1 << 20


needs_linux = pytest.mark.skipif(
    not linux_guest.disk_boot_available(),
    reason="needs busybox-static, a kernel in /boot and its virtio_blk module")

# The guest stamps its disk (1 MiB in) and its serial port with a growing count.
WRITER = ("for m in %s; do insmod /lib/$m; done; i=0; while true; do i=$((i+1)); "
          "echo MARK $i | dd of=/dev/vda bs=512 seek=2048 conv=fsync 2>/dev/null; "
          "echo COUNT $i > /dev/ttyS0; sleep 0.2; done"
          % " ".join(os.path.basename(m) for m in VIRTIO_BLK))


def disk_xml(path, dev="vda", extra=""):
    return ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
            "<source file='%s'/><target dev='%s' bus='virtio'/>%s</disk>" % (path, dev, extra))


def image(path, size="16M", backing=None):
    args = ["qemu-img", "create", "-q", "-f", "qcow2", path, size]
    if backing:
        args[5:5] = ["-b", backing, "-F", "qcow2"]
    subprocess.run(args, check=True)
    return path


def fill(path, pattern, offset, length):
    subprocess.run(["qemu-io", "-c", "write -P %d %d %d" % (pattern, offset, length), path],
                   check=True, capture_output=True)


def holds(path, pattern, offset, length):
    """Whether the guest sees byte *pattern* over the range (backing files included)."""
    return subprocess.run(["qemu-io", "-r", "-U", "-c", "read -P %d %d %d"
                           % (pattern, offset, length), path],
                          capture_output=True).returncode == 0


def marker(path):
    """The count the guest last stamped on the image *path*."""
    raw = path + ".raw"
    subprocess.run(["qemu-img", "convert", "-U", "-O", "raw", path, raw], check=True)
    with open(raw, "rb") as f:
        f.seek(MIB)
        words = f.read(32).split(b"\n")[0].split()
    os.unlink(raw)
    return int(words[1]) if words[:1] == [b"MARK"] else 0


def moved_xml(host, name, replacements):
    """The guest's migratable XML with paths moved for the destination
    (both "hosts" are this machine: the two QEMUs must not share files)."""
    xml = host.virtsh("dumpxml", name, "--migratable").stdout
    for old, new in replacements.items():
        xml = xml.replace(old, new)
    path = os.path.join(host.root, "dest-%s.xml" % name)
    with open(path, "w") as f:
        f.write(xml)
    return path


def writing_linux(host, name="writer"):
    """Boot the disk-stamping guest on *host*: (serial log, disk image)."""
    initrd = linux_guest.build_initramfs(os.path.join(host.root, "initrd.gz"),
                                         after_ready=WRITER,
                                         extra_entries=linux_guest.module_entries(VIRTIO_BLK))
    serial = os.path.join(host.root, "serial.log")
    disk = image(os.path.join(host.root, "data.qcow2"))
    xml = linux_guest.guest_xml(name, "qemu", QEMU, initrd, serial)
    host.define(xml.replace("</devices>", disk_xml(disk) + "</devices>"))
    host.virtsh("start", name)
    wait_for(lambda: last_count(serial) >= 3, 300, "the guest to write")
    return serial, disk


def _still_at_source(host, dest, name, created):
    assert host.state(name).startswith("running")
    assert dest.virtsh("list", "--all", "--name").stdout.strip() == ""
    assert not os.path.exists(created)


@needs_linux
def test_copy_storage_all_moves_the_disk_and_the_guest_writes_on(host, dest):
    serial, disk = writing_linux(host)
    dest_serial, dest_disk = (os.path.join(dest.root, "serial.log"),
                              os.path.join(dest.root, "data.qcow2"))
    xml = moved_xml(host, "writer", {serial: dest_serial, disk: dest_disk})
    result = host.virtsh("migrate", "writer", dest.uri, "--live", "--copy-storage-all",
                         "--verbose", "--xml", xml)
    progress = [line for line in result.stderr.split("\n") if line]
    assert progress[-1] == "Migration: [100 %]"
    assert dest.state("writer") == "running (migrated)"
    assert host.state("writer") == "shut off (migrated)"
    info = json.loads(subprocess.run(["qemu-img", "info", "-U", "--output=json", dest_disk],
                                     capture_output=True, check=True).stdout)
    assert (info["format"], info["virtual-size"]) == ("qcow2", 16 * MIB)
    stopped_at = last_count(serial)
    assert marker(dest_disk) >= stopped_at - 1      # what it wrote here went over
    wait_for(lambda: last_count(dest_serial) > stopped_at + 3, 240,
             "the guest to write on at the destination")
    dest.virtsh("destroy", "writer")
    assert marker(dest_disk) > stopped_at            # and it writes to its new disk
    assert marker(disk) <= stopped_at


def test_copy_storage_all_over_ssh(host, dest, tmp_path):
    from sshd_env import Sshd, missing_reason
    if missing_reason():
        pytest.skip(missing_reason())
    disk = image(os.path.join(host.root, "data.qcow2"))
    fill(disk, 0x5a, 3 * MIB, MIB)
    host.define(guest_xml("far", extra_devices=disk_xml(disk)))
    host.virtsh("start", "far")
    dest_disk = os.path.join(dest.root, "data.qcow2")
    xml = moved_xml(host, "far", {disk: dest_disk})
    sshd = Sshd(str(tmp_path))
    try:
        far = sshd.uri(path="/embed", driver="qemu", root=dest.root)
        host.virtsh("migrate", "far", far, "--live", "--copy-storage-all", "--xml", xml)
        assert dest.state("far") == "running (migrated)"
        assert host.state("far") == "shut off (migrated)"
        assert holds(dest_disk, 0x5a, 3 * MIB, MIB)
        assert dest.virtsh("domblklist", "far").stdout.split()[-1] == dest_disk
        # and back, the far host being the source, driven from here
        back_disk = os.path.join(host.root, "back.qcow2")
        xml = moved_xml(dest, "far", {dest_disk: back_disk})
        moved = subprocess.run([sys.executable, "-m", "virtsh", "-c", far, "migrate", "far",
                                host.uri, "--live", "--copy-storage-all", "--xml", xml],
                               capture_output=True, text=True, timeout=120)
        assert moved.returncode == 0, moved.stderr
        assert host.state("far") == "running (migrated)"
        assert holds(back_disk, 0x5a, 3 * MIB, MIB)
    finally:
        sshd.stop()


def test_copy_storage_inc_copies_only_the_top_image(host, dest):
    base = image(os.path.join(host.root, "base.qcow2"), "32M")
    fill(base, 0x42, 2 * MIB, 8 * MIB)
    top = image(os.path.join(host.root, "top.qcow2"), "32M", backing=base)
    fill(top, 0x17, 16 * MIB, MIB)
    host.define(guest_xml("inc", extra_devices=disk_xml(top)))
    host.virtsh("start", "inc")
    dest_top = os.path.join(dest.root, "top.qcow2")
    xml = moved_xml(host, "inc", {top: dest_top})
    host.virtsh("migrate", "inc", dest.uri, "--live", "--copy-storage-inc", "--xml", xml,
                "--copy-storage-synchronous-writes", "--disks-port", str(free_port()))
    assert dest.state("inc") == "running (migrated)"
    info = json.loads(subprocess.run(["qemu-img", "info", "-U", "--output=json", dest_top],
                                     capture_output=True, check=True).stdout)
    assert info["backing-filename"] == base          # the shared base, not a copy
    assert holds(dest_top, 0x17, 16 * MIB, MIB) and holds(dest_top, 0x42, 2 * MIB, 8 * MIB)
    assert info["actual-size"] < 4 * MIB              # the base's 8 MiB stayed there


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _slow_copy(host, dest, name):
    """A running guest whose 40 MiB disk copies at 1 MiB/s: (migrate
    command, the destination's image path)."""
    disk = image(os.path.join(host.root, name + ".qcow2"), "64M")
    fill(disk, 0x33, 0, 40 * MIB)
    host.define(guest_xml(name, extra_devices=disk_xml(disk)), name=name + ".xml")
    host.virtsh("start", name)
    dest_disk = os.path.join(dest.root, name + ".qcow2")
    xml = moved_xml(host, name, {disk: dest_disk})
    return ([sys.executable, "-m", "virtsh", "-c", host.uri, "migrate", name, dest.uri,
             "--live", "--copy-storage-all", "--bandwidth", "1", "--xml", xml], dest_disk)


def _copying(host, name):
    info = host.virtsh("domjobinfo", name, check=False).stdout
    return "File total:" in info and "Memory processed" not in info


def test_cancel_while_the_disks_copy_leaves_the_guest_at_the_source(host, dest):
    command, dest_disk = _slow_copy(host, dest, "slow")
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: _copying(host, "slow"), 90, "the disk copy")
    info = host.virtsh("domjobinfo", "slow").stdout
    assert "\nOperation:        Outgoing migration\n" in info
    assert "\nFile total:       64.000 MiB\n" in info
    assert os.path.exists(dest_disk)
    host.virtsh("domjobabort", "slow")
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (
        1, "error: operation aborted: migration out job: canceled by client\n")
    _still_at_source(host, dest, "slow", dest_disk)
    assert host.virtsh("domjobinfo", "slow").stdout.startswith("Job type:         None")

    # Ctrl-C in the client cancels just the same
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: _copying(host, "slow"), 90, "the disk copy")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and "canceled by client" in err, err
    _still_at_source(host, dest, "slow", dest_disk)


def test_refusals_leave_the_guest_at_the_source(host, dest):
    disk = image(os.path.join(host.root, "data.qcow2"))
    cdrom = ("<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
             "<source file='%s'/><target dev='hdc' bus='ide'/><readonly/></disk>"
             % image(os.path.join(host.root, "cd.iso")))
    host.define(guest_xml("stay", extra_devices=disk_xml(disk) + cdrom))
    host.virtsh("start", "stay")
    refused = host.virtsh("migrate", "stay", dest.uri, "--live", "--copy-storage-all",
                          "--migrate-disks", "vda,hdc", check=False)
    assert (refused.returncode, refused.stderr) == (
        1, "error: Operation not supported: Cannot migrate empty or read-only disk hdc\n")
    refused = host.virtsh("migrate", "stay", dest.uri, "--live", "--copy-storage-all",
                          "--migrate-disks", "vdz", check=False)
    assert (refused.returncode, refused.stderr) == (
        1, "error: invalid argument: disk target vdz not found\n")
    refused = host.virtsh("migrate", "stay", dest.uri, "--live", "--migrate-disks", "vda",
                          check=False)
    assert (refused.returncode, refused.stderr) == (
        1, "error: Operation not supported: use of 'VIR_MIGRATE_PARAM_MIGRATE_DISKS' "
        "requires use of 'VIR_MIGRATE_NON_SHARED_DISK' or 'VIR_MIGRATE_NON_SHARED_INC' "
        "flag\n")
    # a destination path whose directory does not exist cannot be created
    xml = moved_xml(host, "stay", {disk: "/nonexistent/data.qcow2"})
    refused = host.virtsh("migrate", "stay", dest.uri, "--live", "--copy-storage-all",
                          "--xml", xml, check=False)
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: ") and "/nonexistent/data.qcow2" in refused.stderr
    assert "Traceback" not in refused.stderr
    _still_at_source(host, dest, "stay", "/nonexistent/data.qcow2")
    assert host.virtsh("domjobinfo", "stay").stdout.startswith("Job type:         None")
