"""Storage pools and volumes of the QEMU driver on this host (issue 8, items 1-2):
dir pools with raw and qcow2 volumes made by qemu-img, every pool and volume
command through the real entry point, and libvirt's errors for bad input."""
import os
import shutil
import stat
import subprocess
import sys

import pytest

needs_qemu_img = pytest.mark.skipif(shutil.which("qemu-img") is None,
                                    reason="qemu-img is not installed")


def _dir_pool(host, name="p", persistent=True):
    target = os.path.join(host.root, "pools", name)
    if persistent:
        host.virtsh("pool-define-as", name, "dir", "--target", target)
        host.virtsh("pool-build", name)
        host.virtsh("pool-start", name)
    else:
        host.virtsh("pool-create-as", name, "dir", "--target", target, "--build")
    return target


def _names(proc):
    return [line.split()[0] for line in proc.stdout.splitlines()[2:] if line.strip()]


def test_dir_pool_lifecycle_and_listing(host):
    target = os.path.join(host.root, "pools", "p")
    out = host.virtsh("pool-define-as", "p", "dir", "--target", target).stdout
    assert out == "Pool p defined\n\n"
    assert host.virtsh("pool-build", "p").stdout == "Pool p built\n\n"
    assert os.path.isdir(target)
    host.virtsh("pool-start", "p")
    _dir_pool(host, "t", persistent=False)
    host.virtsh("pool-autostart", "p")

    assert _names(host.virtsh("pool-list")) == ["p", "t"]
    assert _names(host.virtsh("pool-list", "--transient")) == ["t"]
    assert _names(host.virtsh("pool-list", "--persistent")) == ["p"]
    assert _names(host.virtsh("pool-list", "--autostart")) == ["p"]
    assert _names(host.virtsh("pool-list", "--no-autostart")) == ["t"]
    assert _names(host.virtsh("pool-list", "--type", "logical")) == []
    assert _names(host.virtsh("pool-list", "--type", "dir")) == ["p", "t"]

    info = host.virtsh("pool-info", "p").stdout
    assert "State:          running" in info and "Autostart:      yes" in info
    xml = host.virtsh("pool-dumpxml", "p").stdout
    assert "<path>%s</path>" % target in xml and "<mode>0711</mode>" in xml
    assert "<capacity unit='bytes'>0</capacity>" in \
        host.virtsh("pool-dumpxml", "p", "--inactive").stdout
    host.virtsh("pool-refresh", "p")

    host.virtsh("pool-destroy", "t")
    assert host.virtsh("pool-info", "t", check=False).returncode == 1
    host.virtsh("pool-destroy", "p")
    assert _names(host.virtsh("pool-list", "--inactive")) == ["p"]
    host.virtsh("pool-delete", "p")
    assert not os.path.exists(target)
    host.virtsh("pool-undefine", "p")
    assert _names(host.virtsh("pool-list", "--all")) == []
    assert os.listdir(os.path.join(host.root, "etc", "storage", "autostart")) == []


def test_pool_edit_changes_the_definition(host):
    _dir_pool(host)
    host.virtsh("pool-destroy", "p")
    editor = os.path.join(host.root, "editor.sh")
    with open(editor, "w") as f:
        f.write("#!/bin/sh\nsed -i 's|pools/p<|pools/q<|' \"$1\"\n")
    os.chmod(editor, 0o755)
    proc = subprocess.run([sys.executable, "-m", "virtsh", "-c", host.uri, "pool-edit", "p"],
                          env=dict(os.environ, EDITOR=editor), capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "pools/q</path>" in host.virtsh("pool-dumpxml", "p").stdout


def test_pool_on_a_file_fails_and_leaves_nothing(host):
    path = os.path.join(host.root, "plainfile")
    open(path, "w").close()
    proc = host.virtsh("pool-create-as", "bad", "dir", "--target", path, check=False)
    assert proc.returncode == 1
    assert proc.stderr == ("error: Failed to create pool bad\n"
                           "error: cannot open directory '%s': Not a directory\n" % path)
    assert _names(host.virtsh("pool-list", "--all")) == []


def test_pool_capabilities_and_source_discovery(host):
    caps = host.virtsh("pool-capabilities").stdout
    assert "<pool type='dir' supported='yes'>" in caps
    assert "<pool type='zfs' supported='no'>" in caps
    proc = host.virtsh("find-storage-pool-sources", "dir", check=False)
    assert proc.returncode == 1
    assert "pool type 'dir' does not support source discovery" in proc.stderr
    proc = host.virtsh("find-storage-pool-sources-as", "netfs", check=False)
    assert proc.stderr.endswith("hostname must be specified for netfs sources\n")


@needs_qemu_img
def test_volumes_raw_qcow2_and_backing_chain(host):
    target = _dir_pool(host)
    printed = host.virtsh("vol-create-as", "p", "x.img", "1M", "--print-xml").stdout
    assert "<capacity>1048576</capacity>" in printed
    assert not os.path.exists(os.path.join(target, "x.img"))

    assert host.virtsh("vol-create-as", "p", "base.img", "1M").stdout == \
        "Vol base.img created\n\n"
    host.virtsh("vol-create-as", "p", "disk.qcow2", "8M", "--format", "qcow2",
                "--prealloc-metadata")
    host.virtsh("vol-create-as", "p", "top.qcow2", "8M", "--format", "qcow2",
                "--backing-vol", "disk.qcow2", "--backing-vol-format", "qcow2")
    info = subprocess.run(["qemu-img", "info", os.path.join(target, "top.qcow2")],
                          capture_output=True, text=True).stdout
    assert "backing file: %s" % os.path.join(target, "disk.qcow2") in info
    assert stat.S_IMODE(os.stat(os.path.join(target, "top.qcow2")).st_mode) == 0o600

    xml = host.virtsh("vol-dumpxml", "--pool", "p", "top.qcow2").stdout
    assert "<format type='qcow2'/>" in xml
    assert "<backingStore>\n    <path>%s</path>" % os.path.join(target, "disk.qcow2") in xml
    details = host.virtsh("vol-list", "p", "--details").stdout.splitlines()
    assert details[0].split() == ["Name", "Path", "Type", "Capacity", "Allocation"]
    assert [r.split()[0] for r in details[2:] if r] == ["base.img", "disk.qcow2",
                                                        "top.qcow2"]
    vinfo = host.virtsh("vol-info", "--pool", "p", "disk.qcow2").stdout
    assert "Capacity:       8.00 MiB" in vinfo
    # --prealloc-metadata on a fully allocated volume: qemu-img's falloc
    assert os.stat(os.path.join(target, "disk.qcow2")).st_blocks * 512 >= 8 << 20
    assert os.stat(os.path.join(target, "top.qcow2")).st_blocks * 512 < 1 << 20

    path = os.path.join(target, "base.img")
    assert host.virtsh("vol-path", "--pool", "p", "base.img").stdout == path + "\n\n"
    assert host.virtsh("vol-key", "--pool", "p", "base.img").stdout == path + "\n\n"
    assert host.virtsh("vol-name", path).stdout == "base.img\n\n"
    assert host.virtsh("vol-pool", path).stdout == "p\n\n"


@needs_qemu_img
def test_volume_copy_resize_wipe_upload_download_delete(host):
    target = _dir_pool(host)
    host.virtsh("vol-create-as", "p", "a.img", "1M")
    src = os.path.join(host.root, "payload")
    with open(src, "wb") as f:
        f.write(b"virtsh payload")
    host.virtsh("vol-upload", "--pool", "p", "a.img", src)
    out = os.path.join(host.root, "back")
    host.virtsh("vol-download", "--pool", "p", "a.img", out, "--length", "14")
    with open(out, "rb") as f:
        assert f.read() == b"virtsh payload"

    host.virtsh("vol-clone", "--pool", "p", "a.img", "b.img")
    with open(os.path.join(target, "b.img"), "rb") as f:
        assert f.read(14) == b"virtsh payload"
    xml = host.virtsh("vol-dumpxml", "--pool", "p", "a.img").stdout
    xml_path = os.path.join(host.root, "c.xml")
    with open(xml_path, "w") as f:
        f.write(xml.replace("a.img", "c.qcow2").replace("'raw'", "'qcow2'"))
    host.virtsh("vol-create-from", "p", xml_path, "a.img", "--inputpool", "p")
    assert "file format: qcow2" in subprocess.run(
        ["qemu-img", "info", os.path.join(target, "c.qcow2")],
        capture_output=True, text=True).stdout
    vol_xml = os.path.join(host.root, "d.xml")
    with open(vol_xml, "w") as f:
        f.write("<volume><name>d.img</name><capacity unit='KiB'>64</capacity></volume>")
    host.virtsh("vol-create", "p", vol_xml)
    assert os.path.getsize(os.path.join(target, "d.img")) == 65536

    host.virtsh("vol-resize", "--pool", "p", "a.img", "2M")
    assert os.path.getsize(os.path.join(target, "a.img")) == 2 * 1024 * 1024
    shrink = host.virtsh("vol-resize", "--pool", "p", "a.img", "1M", check=False)
    assert shrink.returncode == 1 and "shrink" in shrink.stderr
    host.virtsh("vol-wipe", "--pool", "p", "a.img")
    with open(os.path.join(target, "a.img"), "rb") as f:
        assert f.read(14) == bytes(14)
    host.virtsh("vol-delete", "--pool", "p", "b.img")
    assert not os.path.exists(os.path.join(target, "b.img"))


@needs_qemu_img
def test_image_formats_are_told_by_their_headers(host):
    _dir_pool(host)
    sizes = {"vmdk": 3145728, "vdi": 3145728, "vpc": 3168256, "qed": 3145728,
             "qcow": 3145728}                        # vpc rounds to its geometry
    for fmt, size in sizes.items():
        host.virtsh("vol-create-as", "p", "a." + fmt, "3M", "--format", fmt)
        xml = host.virtsh("vol-dumpxml", "--pool", "p", "a." + fmt).stdout
        assert "<format type='%s'/>" % fmt in xml
        assert "<capacity unit='bytes'>%d</capacity>" % size in xml
    proc = host.virtsh("vol-create-as", "p", "w.img", "1M", "--format", "bogus",
                       check=False)
    assert proc.stderr == ("error: Failed to create vol w.img\n"
                           "error: unsupported configuration: unknown volume format "
                           "type bogus\n")


@needs_qemu_img
def test_resize_allocation_rules(host):
    target = _dir_pool(host)
    host.virtsh("vol-create-as", "p", "r.img", "1M", "--allocation", "0")
    host.virtsh("vol-create-as", "p", "q.qcow2", "1M", "--format", "qcow2")
    host.virtsh("vol-resize", "--pool", "p", "r.img", "2M", "--allocate")
    assert os.stat(os.path.join(target, "r.img")).st_blocks * 512 >= 2 << 20

    def refused(*args):
        proc = host.virtsh("vol-resize", "--pool", "p", *args, check=False)
        assert proc.returncode == 1
        return proc.stderr.splitlines()[1]
    assert refused("q.qcow2", "2M", "--allocate") == (
        "error: Operation not supported: preallocate is only supported for raw type "
        "volume")
    assert refused("q.qcow2", "1K", "--shrink") == (
        "error: invalid argument: can't shrink capacity below existing allocation")
    assert refused("r.img", "100T", "--allocate") == (
        "error: operation failed: Not enough space left in storage pool")
    assert refused("r.img", "100T") == (
        "error: Failed to truncate file '%s': File too large"
        % os.path.join(target, "r.img"))


def test_volume_larger_than_the_space_left(host):
    target = _dir_pool(host)
    proc = host.virtsh("vol-create-as", "p", "huge.img", "100T", check=False)
    assert proc.returncode == 1
    assert proc.stderr == ("error: Failed to create vol huge.img\n"
                           "error: cannot extend file '%s': File too large\n"
                           % os.path.join(target, "huge.img"))
    assert os.listdir(target) == []


def test_volume_that_does_not_fit_in_the_space_left(host):
    _root_tool("mount")
    small = os.path.join(host.root, "small")
    os.makedirs(small)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8M", "tmpfs", small]).returncode:
        pytest.skip("cannot mount a tmpfs")
    try:
        host.virtsh("pool-create-as", "s", "dir", "--target", small)
        proc = host.virtsh("vol-create-as", "s", "big.img", "64M", check=False)
        assert proc.returncode == 1
        assert proc.stderr == ("error: Failed to create vol big.img\n"
                               "error: cannot allocate 67108864 bytes in file '%s': No "
                               "space left on device\n" % os.path.join(small, "big.img"))
        assert os.listdir(small) == []
        host.virtsh("vol-create-as", "s", "sparse.img", "64M", "--allocation", "0")
        host.virtsh("pool-destroy", "s")
    finally:
        subprocess.run(["umount", small], capture_output=True)


def test_existing_volume_name_is_refused(host):
    _dir_pool(host)
    host.virtsh("vol-create-as", "p", "a.img", "1M")
    proc = host.virtsh("vol-create-as", "p", "a.img", "1M", check=False)
    assert proc.stderr.endswith("storage volume 'a.img' exists already\n")


def test_raw_volumes_refuse_metadata_preallocation_and_backing_stores(host):
    target = _dir_pool(host)
    host.virtsh("vol-create-as", "p", "b.img", "1M")
    proc = host.virtsh("vol-create-as", "p", "pre.img", "1M", "--prealloc-metadata",
                       check=False)
    assert proc.stderr == ("error: Failed to create vol pre.img\n"
                           "error: unsupported configuration: metadata preallocation is "
                           "not supported for raw volumes\n")
    proc = host.virtsh("vol-create-as", "p", "c.img", "1M", "--backing-vol", "b.img",
                       check=False)
    assert proc.stderr.endswith("error: this function is not supported by the connection "
                                "driver: backing storage not supported for raw volumes\n")
    assert os.listdir(target) == ["b.img"]


def _root_tool(*tools):
    missing = [t for t in tools if shutil.which(t) is None]
    if os.geteuid() != 0:
        pytest.skip("needs root (loop devices, mount)")
    if missing:
        pytest.skip("%s not installed" % ", ".join(missing))


@pytest.fixture
def loop_device(host):
    _root_tool("losetup")
    image = os.path.join(host.root, "disk.img")
    with open(image, "wb") as f:
        f.truncate(64 * 1024 * 1024)
    dev = subprocess.run(["losetup", "-f", "--show", image], capture_output=True,
                         text=True)
    if dev.returncode:
        pytest.skip("no loop device: %s" % dev.stderr.strip())
    yield dev.stdout.strip()
    subprocess.run(["umount", os.path.join(host.root, "mnt")], capture_output=True)
    subprocess.run(["losetup", "-d", dev.stdout.strip()], capture_output=True)


def test_fs_pool_on_a_loop_device(host, loop_device):
    _root_tool("mkfs.ext4", "mount")
    mnt = os.path.join(host.root, "mnt")
    host.virtsh("pool-define-as", "fsp", "fs", "--source-dev", loop_device,
                "--target", mnt)
    host.virtsh("pool-build", "fsp", "--overwrite")
    host.virtsh("pool-start", "fsp")
    with open("/proc/mounts") as f:
        assert "%s %s ext4" % (loop_device, mnt) in f.read()
    host.virtsh("vol-create-as", "fsp", "v.img", "4M")
    assert "Capacity:       " in host.virtsh("pool-info", "fsp").stdout
    host.virtsh("pool-destroy", "fsp")
    with open("/proc/mounts") as f:
        assert mnt not in f.read()
    assert not os.path.exists(os.path.join(mnt, "v.img"))
    host.virtsh("pool-start", "fsp")
    assert _names(host.virtsh("vol-list", "fsp")) == ["v.img"]
    host.virtsh("pool-destroy", "fsp")


def test_logical_pool_on_a_loop_device(host, loop_device):
    _root_tool("lvm", "pvcreate", "vgcreate")
    vg = "vgvirtsh%d" % os.getpid()
    host.virtsh("pool-define-as", "lv", "logical", "--source-dev", loop_device,
                "--source-name", vg, "--target", "/dev/" + vg)
    try:
        host.virtsh("pool-build", "lv")
        host.virtsh("pool-start", "lv")
        sources = host.virtsh("find-storage-pool-sources", "logical").stdout
        assert "<device path='%s'/>\n    <name>%s</name>" % (loop_device, vg) in sources
        assert "Capacity:       60.00 MiB" in host.virtsh("pool-info", "lv").stdout
        made = host.virtsh("vol-create-as", "lv", "lv1", "8M", check=False)
        if made.returncode == 0:        # needs the kernel's device-mapper
            assert _names(host.virtsh("vol-list", "lv")) == ["lv1"]
            host.virtsh("vol-delete", "--pool", "lv", "lv1")
        host.virtsh("pool-destroy", "lv")
        host.virtsh("pool-delete", "lv")
        assert vg not in subprocess.run(["vgs"], capture_output=True, text=True).stdout
    finally:
        subprocess.run(["vgremove", "-f", vg], capture_output=True)
        subprocess.run(["pvremove", "-y", loop_device], capture_output=True)



@needs_qemu_img
def test_guest_runs_on_a_qcow2_volume_which_then_cannot_be_deleted(host):
    from qemu_env import DOMAIN_TYPE, QEMU
    if QEMU is None:
        pytest.skip("qemu-system-x86_64 is not installed")
    _dir_pool(host)
    host.virtsh("vol-create-as", "p", "base.qcow2", "16M", "--format", "qcow2")
    host.virtsh("vol-create-as", "p", "disk.qcow2", "16M", "--format", "qcow2",
                "--backing-vol", "base.qcow2", "--backing-vol-format", "qcow2")
    path = host.virtsh("vol-path", "--pool", "p", "disk.qcow2").stdout.strip()
    host.define("""<domain type='%s'><name>g</name><memory unit='MiB'>64</memory>
  <vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>%s</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
      <source file='%s'/><target dev='vda' bus='virtio'/></disk>
  </devices></domain>""" % (DOMAIN_TYPE, QEMU, path))
    host.virtsh("start", "g")
    pid = host.status("g")["pid"]
    fds = "/proc/%d/fd" % pid
    opened = {os.readlink(os.path.join(fds, fd)) for fd in os.listdir(fds)}
    assert path in opened
    proc = host.virtsh("vol-delete", "--pool", "p", "disk.qcow2", check=False)
    assert proc.returncode == 1
    assert proc.stderr == ("error: Failed to delete vol disk.qcow2\n"
                           "error: Requested operation is not valid: storage volume "
                           "'disk.qcow2' is in use by domain 'g'\n")
    assert os.path.exists(path)
    host.virtsh("destroy", "g")
    host.virtsh("vol-delete", "--pool", "p", "disk.qcow2")
    assert not os.path.exists(path)


def test_volume_disks_translate_to_their_files(host):
    from lxml import etree
    from virtsh import drivers
    from virtsh.drivers.errors import VirtError
    target = _dir_pool(host)
    host.virtsh("vol-create-as", "p", "d.img", "1M")
    conn = drivers.open(host.uri)
    root = etree.fromstring(
        "<domain><devices><disk type='volume' device='disk'>"
        "<source pool='p' volume='d.img'/><target dev='vda'/></disk></devices></domain>")
    conn.translate_volume_disks(root)
    disk = root.find("devices/disk")
    assert disk.get("type") == "file"
    assert disk.find("source").get("file") == os.path.join(target, "d.img")
    missing = etree.fromstring(
        "<domain><devices><disk type='volume'><source pool='p' volume='nope'/></disk>"
        "</devices></domain>")
    with pytest.raises(VirtError, match="no storage vol with matching name 'nope'"):
        conn.translate_volume_disks(missing)


def test_autostart_pool_starts_on_the_first_connection_after_a_boot(host):
    _dir_pool(host, "auto")
    _dir_pool(host, "manual")
    host.virtsh("pool-autostart", "auto")
    state = os.path.join(host.root, "run", "storage")
    with open(os.path.join(state, ".boot_id"), "w") as f:
        f.write("an-earlier-boot")           # as if the host had rebooted since
    rows = host.virtsh("pool-list", "--all").stdout.splitlines()[2:]
    assert [r.split()[:2] for r in rows if r] == [["auto", "active"],
                                                  ["manual", "inactive"]]
    host.virtsh("pool-destroy", "auto")       # same boot: stays stopped
    assert "inactive" in host.virtsh("pool-list", "--all").stdout.splitlines()[2]


def _mounts():
    with open("/proc/mounts") as f:
        return f.read()


def test_netfs_pool_on_an_unknown_server_fails_and_stays_inactive(host):
    _root_tool("mount.nfs")
    mnt = os.path.join(host.root, "nfsmnt")
    host.virtsh("pool-define-as", "n", "netfs", "--source-host", "nfs.invalid",
                "--source-path", "/nowhere", "--target", mnt)
    assert host.virtsh("pool-build", "n").stdout == "Pool n built\n\n"
    proc = host.virtsh("pool-start", "n", check=False)
    assert proc.returncode == 1
    assert proc.stderr == (
        "error: Failed to start pool n\n"
        "error: internal error: Child process (/bin/mount -o nodev,nosuid,noexec "
        "nfs.invalid:/nowhere %s) unexpected exit status 32: mount.nfs: Failed to "
        "resolve server nfs.invalid: Name or service not known\n\n" % mnt)
    assert _names(host.virtsh("pool-list", "--inactive")) == ["n"]
    assert " %s " % mnt not in _mounts()


def test_fs_pool_errors_name_the_device_and_the_mount_command(host):
    _root_tool("mount")
    mnt = os.path.join(host.root, "m")
    host.virtsh("pool-define-as", "f", "fs", "--source-dev", "/dev/virtsh-none",
                "--target", mnt)
    proc = host.virtsh("pool-build", "f", "--overwrite", check=False)
    assert proc.stderr == ("error: Failed to build pool f\n"
                           "error: Requested operation is not valid: Source device does "
                           "not exist when formatting pool 'f'\n")
    proc = host.virtsh("pool-start", "f", check=False)
    assert proc.stderr.startswith(
        "error: Failed to start pool f\n"
        "error: internal error: Child process (/bin/mount -o nodev,nosuid,noexec -t auto "
        "/dev/virtsh-none %s) unexpected exit status 32: mount: " % mnt)
    assert _names(host.virtsh("pool-list", "--inactive")) == ["f"]


def _nfs_missing():
    """Why no local NFS server and client can run here, or None."""
    if os.geteuid() != 0:
        return "an NFS server needs root"
    tools = [t for t in ("exportfs", "rpc.nfsd", "rpc.mountd", "mount.nfs")
             if shutil.which(t) is None]
    if tools:
        return "not installed: %s (Debian: nfs-kernel-server)" % ", ".join(tools)
    with open("/proc/filesystems") as f:
        known = f.read().split()
    for fs in ("nfsd", "nfs"):
        if fs not in known:
            probe = subprocess.run(["modprobe", fs], capture_output=True, text=True)
            if probe.returncode:
                return "this kernel has no '%s' filesystem: %s" % (fs, probe.stderr.strip())
    try:
        with open("/proc/fs/nfsd/threads") as f:
            if int(f.read() or 0):
                return "the host already runs an NFS server"
    except OSError:
        pass
    return None


@pytest.fixture
def nfs_export(host):
    """A directory exported over NFSv4 by a kernel NFS server started here."""
    reason = _nfs_missing()
    if reason:
        pytest.skip(reason)
    export = os.path.join(host.root, "export")
    os.makedirs(export)
    if not os.path.ismount("/proc/fs/nfsd"):
        subprocess.run(["mount", "-t", "nfsd", "nfsd", "/proc/fs/nfsd"], check=True)
    client = "127.0.0.1:" + export
    subprocess.run(["exportfs", "-o", "rw,no_root_squash,insecure,no_subtree_check,fsid=%d"
                    % os.getpid(), client], check=True)
    mountd = subprocess.Popen(["rpc.mountd", "-F", "-N", "3"], stderr=subprocess.DEVNULL)
    try:
        subprocess.run(["rpc.nfsd", "-N", "3", "2"], check=True)
        yield export
    finally:
        subprocess.run(["rpc.nfsd", "0"], capture_output=True)
        mountd.terminate()
        mountd.wait()
        subprocess.run(["exportfs", "-u", client], capture_output=True)


def test_netfs_pool_mounts_a_local_nfs_export(host, nfs_export):
    mnt = os.path.join(host.root, "nfsmnt")
    host.virtsh("pool-define-as", "n", "netfs", "--source-host", "127.0.0.1",
                "--source-path", nfs_export, "--target", mnt)
    host.virtsh("pool-build", "n")
    try:
        host.virtsh("pool-start", "n")
        assert "127.0.0.1:%s %s nfs" % (nfs_export, mnt) in _mounts()
        host.virtsh("vol-create-as", "n", "v.img", "1M")
        assert os.path.getsize(os.path.join(nfs_export, "v.img")) == 1 << 20
        host.virtsh("pool-destroy", "n")
        assert " %s " % mnt not in _mounts()
        assert _names(host.virtsh("pool-list", "--inactive")) == ["n"]
    finally:
        subprocess.run(["umount", "-f", mnt], capture_output=True)


def _pool_xml(host, name, path):
    xml = os.path.join(host.root, name + ".xml")
    with open(xml, "w") as f:
        f.write("<pool type='dir'><name>%s</name><target><path>%s</path></target></pool>"
                % (name, path))
    return xml


def test_pools_from_xml_listing_formats_and_a_shared_directory_refused(host):
    shared = os.path.join(host.root, "shared")
    os.makedirs(shared)
    xml = _pool_xml(host, "x", shared)
    assert host.virtsh("pool-define", xml).stdout == "Pool x defined from %s\n\n" % xml
    other = _pool_xml(host, "y", os.path.join(host.root, "other"))
    os.makedirs(os.path.join(host.root, "other"))
    assert host.virtsh("pool-create", other).stdout == "Pool y created from %s\n\n" % other

    clash = _pool_xml(host, "z", shared + "/")
    for command, verb in (("pool-create", "create"), ("pool-define", "define")):
        proc = host.virtsh(command, clash, check=False)
        assert proc.returncode == 1
        assert proc.stderr == ("error: Failed to %s pool from %s\n"
                               "error: operation failed: Storage source conflict with "
                               "pool: 'x'\n" % (verb, clash))
    assert host.virtsh("pool-list", "--all", "--name").stdout.split() == ["x", "y"]

    rows = host.virtsh("pool-list", "--all", "--details").stdout.splitlines()
    assert rows[0].split() == ["Name", "State", "Autostart", "Persistent", "Capacity",
                               "Allocation", "Available"]
    assert rows[2].split() == ["x", "inactive", "no", "yes", "-", "-", "-"]
    assert rows[3].split()[:4] == ["y", "running", "no", "no"]
    uuid = host.virtsh("pool-uuid", "y").stdout.strip()
    assert host.virtsh("pool-list", "--transient", "--uuid").stdout.split() == [uuid]
