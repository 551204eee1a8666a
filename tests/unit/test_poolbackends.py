"""Which pool definitions libvirt treats as the same storage (and so
refuses to define or start a second time under another name)."""
from virtsh.drivers import poolbackends
from virtsh.xmlconf import storage


def _pool(kind, source="", target="/srv/pool"):
    return storage.parse_pool("<pool type='%s'><name>p</name><source>%s</source>"
                              "<target><path>%s</path></target></pool>"
                              % (kind, source, target))


def test_dir_pools_clash_on_the_same_directory():
    assert poolbackends.same_storage(_pool("dir"), _pool("dir", target="/srv/pool/"))
    assert not poolbackends.same_storage(_pool("dir"), _pool("dir", target="/srv/other"))


def test_netfs_pools_clash_on_the_same_export_of_the_same_host():
    export = "<host name='nfs1'/><dir path='/export'/>"
    assert poolbackends.same_storage(_pool("netfs", export),
                                     _pool("netfs", export, target="/mnt/b"))
    assert not poolbackends.same_storage(
        _pool("netfs", export), _pool("netfs", "<host name='nfs2'/><dir path='/export'/>"))
    assert not poolbackends.same_storage(_pool("netfs", export), _pool("dir"))


def test_device_pools_clash_on_a_shared_device_whatever_their_type():
    fs = _pool("fs", "<device path='/dev/loop7'/>")
    logical = _pool("logical", "<device path='/dev/loop7'/><name>vg</name>")
    assert poolbackends.same_storage(fs, logical)
    assert not poolbackends.same_storage(fs, _pool("fs", "<device path='/dev/loop8'/>"))


def _mount(kind, source, target="/mnt"):
    return poolbackends.BACKENDS[kind].mount_argv(_pool(kind, source, target))


def test_mount_commands_are_libvirts():
    export = "<host name='localhost'/><dir path='/var/lib/libvirt/images'/>"
    assert _mount("netfs", export) == [
        "mount", "-o", "nodev,nosuid,noexec", "localhost:/var/lib/libvirt/images", "/mnt"]
    assert _mount("netfs", export + "<format type='nfs'/><protocol ver='3'/>") == [
        "mount", "-o", "nodev,nosuid,noexec,nfsvers=3", "-t", "nfs",
        "localhost:/var/lib/libvirt/images", "/mnt"]
    assert _mount("netfs", "<host name='example.com'/><dir path='samba_share'/>"
                  "<format type='cifs'/>") == [
        "mount", "-o", "nodev,nosuid,noexec,guest", "-t", "cifs",
        "//example.com/samba_share", "/mnt"]
    assert _mount("netfs", "<host name='example.com'/><dir path='/volume'/>"
                  "<format type='glusterfs'/>") == [
        "mount", "-o", "nodev,nosuid,noexec,direct-io-mode=1", "-t", "glusterfs",
        "example.com:/volume", "/mnt"]
    assert _mount("fs", "<device path='/dev/sda6'/><format type='ext3'/>") == [
        "mount", "-o", "nodev,nosuid,noexec", "-t", "ext3", "/dev/sda6", "/mnt"]


def test_a_failing_tool_gives_libvirts_child_process_error():
    import pytest
    from virtsh.drivers.errors import VirtError
    with pytest.raises(VirtError) as failed:
        poolbackends.run(["mount", "-o", "nodev", "/dev/virtsh-none", "/nonexistent"],
                         "mounting")
    assert failed.value.detail.startswith(
        "Child process (/bin/mount -o nodev /dev/virtsh-none /nonexistent) unexpected "
        "exit status ")
    assert "mount" in failed.value.detail.split(": ", 1)[1]       # mount's own message
