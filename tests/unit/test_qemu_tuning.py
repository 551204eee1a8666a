"""The QEMU driver's tuning rules, backing-chain probe and job records,
without a running guest (those are in tests/integration)."""
import json
import os
import struct
import subprocess
import sys
import threading
import time

import pytest
from lxml import etree

from virtsh.drivers.errors import VirtError
from virtsh.drivers.qemu import jobs, live, tunables


@pytest.mark.parametrize("param, value, message", [
    ("cpu_shares", 1, "shares '1' must be in range [2, 262144]"),
    ("vcpu_period", 500, "value of 'vcpu_period' is out of range [1000, 1000000]"),
    ("global_quota", 999, "value of 'global_quota' is out of range [1000, 17592186044415]"),
])
def test_scheduler_values_out_of_libvirts_ranges_are_refused(param, value, message):
    with pytest.raises(VirtError) as err:
        tunables.check_sched(param, value, v2=False)
    assert str(err.value).endswith(message)


@pytest.mark.parametrize("param, value", [("vcpu_quota", -1), ("emulator_period", 0),
                                          ("cpu_shares", 262144)])
def test_unlimited_unchanged_and_top_values_pass(param, value):
    tunables.check_sched(param, value, v2=False)


def qcow2_header(backing=None, fmt=None):
    """A version-3 qcow2 header naming *backing* (and its format)."""
    ext = b""
    if fmt:
        name = fmt.encode()
        ext = struct.pack(">II", live.QCOW2_BACKING_FORMAT, len(name)) + name
        ext += b"\0" * (-len(ext) % 8)
    ext += struct.pack(">II", 0, 0)
    header_length = 104
    name = backing.encode() if backing else b""
    offset = header_length + len(ext) if backing else 0
    head = live.QCOW2_MAGIC + struct.pack(">IQI", 3, offset, len(name))
    head += b"\0" * (100 - len(head)) + struct.pack(">I", header_length)
    return head + ext + name


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def disk_xml(path):
    return etree.fromstring(
        "<domain><devices><disk type='file' device='disk'><driver name='qemu'/>"
        "<source file='%s'/><target dev='vda'/></disk></devices></domain>" % path)


def test_live_disks_show_their_backing_chain(tmp_path):
    write(tmp_path / "base.raw", b"\0" * 512)
    write(tmp_path / "mid.qcow2", qcow2_header("base.raw", "raw"))
    write(tmp_path / "top.qcow2", qcow2_header(str(tmp_path / "mid.qcow2"), "qcow2"))
    root = disk_xml(tmp_path / "top.qcow2")
    live.record_backing(root)
    chain = root.find("devices/disk/backingStore")
    assert chain.find("source").get("file") == str(tmp_path / "mid.qcow2")
    assert chain.find("format").get("type") == "qcow2"
    inner = chain.find("backingStore")
    assert inner.find("source").get("file") == str(tmp_path / "base.raw")
    assert inner.find("format").get("type") == "raw"
    end = inner.find("backingStore")
    assert end is not None and not len(end) and not end.attrib
    live.drop_detected_chains(root)
    assert root.find("devices/disk/backingStore") is None


def test_a_chain_that_loops_ends(tmp_path):
    write(tmp_path / "a.qcow2", qcow2_header("b.qcow2", "qcow2"))
    write(tmp_path / "b.qcow2", qcow2_header("a.qcow2", "qcow2"))
    root = disk_xml(tmp_path / "a.qcow2")
    live.record_backing(root)
    assert len(root.findall(".//backingStore")) == 2


class FakeDomain:
    def __init__(self, store, running=True):
        self.store, self.running = store, running

    def name(self):
        return "vm"

    def exists(self):
        return True

    def _running_status(self):
        if not self.running:
            raise VirtError(55, "domain is not running")


class FakeStore:
    def __init__(self, run):
        self.dir = run

    def run(self, name, kind):
        return os.path.join(self.dir, "%s.%s" % (name, kind))


def test_a_job_record_is_read_by_others_and_its_result_kept_once(tmp_path):
    store = FakeStore(str(tmp_path))
    dom = FakeDomain(store)
    job = jobs.Job(store, "vm", jobs.OPERATION_SAVE)
    info = {"status": "active", "ram": {"total": 100, "transferred": 40, "remaining": 60}}
    job._written = -1e9             # the next update is written at once
    job.update(info)
    kind, params = jobs.stats(dom, 0)
    assert kind == 2 and dict(params)["data_processed"] == 40   # JOB_UNBOUNDED
    assert dict(params)["operation"] == jobs.OPERATION_SAVE
    # domjobabort returns once the job's owner took the request
    asked = []
    asker = threading.Thread(target=lambda: asked.append(jobs.request_abort(store, "vm")))
    asker.start()
    deadline = time.monotonic() + 10
    while not job.take_abort_request() and time.monotonic() < deadline:
        time.sleep(0.01)
    asker.join(10)
    assert asked == [True] and time.monotonic() < deadline
    job.complete(dict(info, status="completed"))
    job.end()
    assert jobs.stats(dom, 0) == (0, [])
    kept = jobs.stats(dom, jobs.JOB_STATS_COMPLETED | jobs.JOB_STATS_KEEP_COMPLETED)
    assert kept[0] == 3 and jobs.stats(dom, jobs.JOB_STATS_COMPLETED) == kept
    assert jobs.stats(dom, jobs.JOB_STATS_COMPLETED) == (0, [])


def test_a_job_whose_owner_died_is_no_job(tmp_path):
    store = FakeStore(str(tmp_path))
    with open(store.run("vm", "job"), "w") as f:
        json.dump({"operation": 2, "started": 0, "info": {}, "owner": [2 ** 22 + 7, 1]}, f)
    assert jobs.running(store, "vm") is None
    assert not jobs.request_abort(store, "vm")


def test_memtune_sizes_beyond_llong_max_bytes_are_refused():
    proc = subprocess.run([sys.executable, "-m", "virtsh", "-c", "test:///default",
                           "memtune", "test", "--hard-limit", "9999999999999999"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr == ("error: Unable to parse integer parameter hard-limit\n"
                           "error: numerical overflow: value too large: 9999999999999999\n")


def test_schedinfo_names_the_type_libvirt_expects():
    proc = subprocess.run([sys.executable, "-m", "virtsh", "-c", "test:///default",
                           "schedinfo", "test", "--set", "weight=abc"],
                          capture_output=True, text=True)
    assert "Invalid value for field 'weight': expected unsigned int" in proc.stderr
