"""A save run by one virtsh process, watched and aborted from another.

The save goes into a FIFO that the test reads only in part, so QEMU's
stream stalls and the job stays active for as long as the test needs."""
import os
import subprocess
import sys
import threading
import time

from qemu_env import guest_xml, needs_qemu

pytestmark = needs_qemu


class StalledReader(threading.Thread):
    """Reads *limit* bytes of a FIFO, then stops reading (the writer blocks)
    until ``resume`` lets it read on to the end, as a disk would."""

    def __init__(self, path, limit=200000):
        super().__init__(daemon=True)
        self.path, self.limit = path, limit
        self.resumed = threading.Event()

    def run(self):
        fd = os.open(self.path, os.O_RDONLY)
        got = 0
        while got < self.limit or self.resumed.wait():
            data = os.read(fd, 65536)
            if not data:
                break
            got += len(data)
        os.close(fd)

    def resume(self):
        self.resumed.set()


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def background_save(host, name, path):
    return subprocess.Popen([sys.executable, "-m", "virtsh", "-c", host.uri, "save", name,
                             path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_save_is_seen_and_aborted_from_another_process(host):
    host.define(guest_xml("job1"))
    host.virtsh("start", "job1")
    fifo = os.path.join(host.root, "state.fifo")
    os.mkfifo(fifo)
    reader = StalledReader(fifo)
    reader.start()
    saving = background_save(host, "job1", fifo)
    try:
        # the job shows at once, QEMU's first figures a poll later
        assert wait_for(lambda: "Memory total:" in host.virtsh("domjobinfo", "job1").stdout)
        info = host.virtsh("domjobinfo", "job1").stdout
        assert "Operation:        Save" in info and "Memory total:" in info
        assert host.virtsh("domstate", "job1", "--reason").stdout.strip() == \
            "paused (saving)"
        host.virtsh("domjobabort", "job1")
        reader.resume()
        out, err = saving.communicate(timeout=60)
    finally:
        if saving.poll() is None:
            saving.kill()
    assert saving.returncode == 1
    assert "operation aborted: job 'domain save' canceled by client" in err
    assert host.virtsh("domstate", "job1", "--reason").stdout.strip() == \
        "running (save canceled)"
    assert host.virtsh("domjobinfo", "job1").stdout.split() == ["Job", "type:", "None"]
    assert not os.path.exists(fifo)
    refused = host.virtsh("domjobabort", "job1", check=False)
    assert "no job is active on the domain" in refused.stderr


def test_completed_save_statistics_are_kept_once(host):
    host.define(guest_xml("job2"))
    host.virtsh("start", "job2")
    host.virtsh("save", "job2", os.path.join(host.root, "job2.save"))
    kept = host.virtsh("domjobinfo", "job2", "--completed", "--keep-completed").stdout
    assert kept.startswith("Job type:         Completed")
    assert "Operation:        Save" in kept and "Total downtime:" in kept
    assert host.virtsh("domjobinfo", "job2", "--completed").stdout == kept
    assert "None" in host.virtsh("domjobinfo", "job2", "--completed").stdout
    gone = host.virtsh("domjobinfo", "job2", check=False)
    assert "domain is not running" in gone.stderr
