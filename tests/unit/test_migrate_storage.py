"""Which disks a storage-copy migration moves, and how the mirrors' state
reads as the job's, without QEMU (the integration tests run the real copy)."""
import pytest
from lxml import etree

from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError
from virtsh.drivers.qemu import storagecopy

DOMAIN = """<domain><devices>
  <disk type='file' device='disk'><source file='/i/a.qcow2'/><target dev='vda'/></disk>
  <disk type='file' device='disk'><source file='/i/b.raw'/><target dev='vdb'/><shareable/></disk>
  <disk type='file' device='disk'><source file='/i/c.raw'/><target dev='vdc'/><readonly/></disk>
  <disk type='file' device='cdrom'><target dev='hdc'/></disk>
</devices></domain>"""


def targets(params):
    root = etree.fromstring(DOMAIN)
    return [d.find("target").get("dev") for d in storagecopy.copied_disks(root, params)]


def test_by_default_only_writable_unshared_disks_with_a_source_move():
    assert targets({}) == ["vda"]


def test_migrate_disks_names_them_and_may_take_a_shared_one():
    assert targets({"migrate_disks": "vdb,vda"}) == ["vda", "vdb"]


@pytest.mark.parametrize("named, message", [
    ("vdc", "Operation not supported: Cannot migrate empty or read-only disk vdc"),
    ("hdc", "Operation not supported: Cannot migrate empty or read-only disk hdc"),
    ("vda,sdz", "invalid argument: disk target sdz not found")])
def test_disks_that_cannot_move_are_refused(named, message):
    with pytest.raises(VirtError) as caught:
        targets({"migrate_disks": named})
    assert str(caught.value) == message


def test_migrate_disks_needs_a_storage_copy_flag():
    storagecopy.check_begin(D.MIGRATE_NON_SHARED_DISK, {"migrate_disks": "vda"})
    with pytest.raises(VirtError) as caught:
        storagecopy.check_begin(D.MIGRATE_LIVE, {"migrate_disks": "vda"})
    assert "requires use of 'VIR_MIGRATE_NON_SHARED_DISK'" in str(caught.value)


def mirror(offset, length, ready=False, status="running", error=None):
    entry = {"offset": offset, "len": length, "ready": ready, "status": status}
    if error:
        entry["error"] = error
    return entry


JOB = {"mirrors": {"vda": "drive-virtio-disk0", "vdb": "drive-virtio-disk1"}}


def test_disks_are_in_step_only_when_every_mirror_is_ready():
    kind, stats = storagecopy._mirror_state({
        "drive-virtio-disk0": mirror(100, 100, ready=True),
        "drive-virtio-disk1": mirror(100, 100)}, JOB)
    # all copied, but the second mirror is not ready yet: not in step
    assert kind is None and dict(stats)["disk_remaining"] == 1
    kind, stats = storagecopy._mirror_state({
        "drive-virtio-disk0": mirror(100, 100, ready=True),
        "drive-virtio-disk1": mirror(50, 50, ready=True)}, JOB)
    assert kind is None
    assert dict(stats) == {"disk_total": 150, "disk_processed": 150, "disk_remaining": 0}


def test_a_failed_or_vanished_mirror_fails_the_job_naming_the_disk():
    kind, stats = storagecopy._mirror_state({
        "drive-virtio-disk0": mirror(10, 100),
        "drive-virtio-disk1": mirror(5, 100, status="concluded", error="Connection reset")},
        JOB)
    assert kind == D.JOB_FAILED
    assert dict(stats)["errmsg"] == "migration of disk vdb failed: Connection reset"
    kind, stats = storagecopy._mirror_state({"drive-virtio-disk1": mirror(5, 100)}, JOB)
    assert (kind, dict(stats)["errmsg"]) == (D.JOB_FAILED, "migration of disk vda failed")


def test_an_aborted_copy_reads_as_cancelled():
    kind, _ = storagecopy._mirror_state({}, dict(JOB, aborted=True))
    assert kind == D.JOB_CANCELLED
