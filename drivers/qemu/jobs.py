"""Long domain jobs (save, managed save, dump) that other processes watch.

The process running a job owns the guest's QMP monitor for its length
(QEMU serves one client at a time), so it records what QEMU reports in
``run/NAME.job`` as it polls: ``domjobinfo`` in another process reads
that file, ``domjobabort`` leaves ``run/NAME.job-abort`` for the owner to
act on (it cancels the job through QMP at its next poll).  A job that
succeeded leaves its last statistics in ``run/NAME.job-completed`` for
``domjobinfo --completed``, which forgets them unless asked to keep them.
"""
import json
import os
import time

from virtsh.drivers import domain as D
from virtsh.drivers import files

OPERATION_SAVE, OPERATION_DUMP = 2, 8       # virDomainJobOperation
LABELS = {OPERATION_SAVE: "domain save", OPERATION_DUMP: "domain core dump"}
JOB_STATS_COMPLETED, JOB_STATS_KEEP_COMPLETED = 1, 2
UPDATE_EVERY = 0.1                          # seconds between records of progress
ABORT_TAKEN_WITHIN = 10.0                   # seconds domjobabort waits for the owner


class Job:
    """The record of a job this process runs on domain *name*."""

    def __init__(self, store, name, operation):
        from virtsh.drivers.qemu.store import proc_start_time
        self.store, self.name = store, name
        self.record = {"operation": operation, "started": time.time(), "info": {},
                       "owner": [os.getpid(), proc_start_time(os.getpid())]}
        self._written = 0.0
        files.remove(self._path("job-abort"), self._path("job-completed"))
        self._write()

    def _path(self, kind):
        return self.store.run(self.name, kind)

    def _write(self):
        files.write_atomic(self._path("job"), json.dumps(self.record), durable=False)
        self._written = time.monotonic()

    def update(self, info):
        """Record what QEMU reports now (at most every UPDATE_EVERY seconds)."""
        self.record["info"] = info
        if time.monotonic() - self._written >= UPDATE_EVERY:
            self._write()

    def take_abort_request(self):
        """Whether another process asked to abort this job; taking the
        request tells that process the job is being cancelled."""
        try:
            os.unlink(self._path("job-abort"))
            return True
        except FileNotFoundError:
            return False

    def aborted(self):
        """libvirt's error for the job cancelled at another process's request."""
        from virtsh.drivers.errors import VirtError, OPERATION_ABORTED
        return VirtError(OPERATION_ABORTED, "job '%s' canceled by client"
                         % LABELS[self.record["operation"]])

    def complete(self, info):
        """The job succeeded: keep its final statistics."""
        self.record["info"] = info
        self.record["ended"] = time.time()
        files.write_atomic(self._path("job-completed"), json.dumps(self.record),
                           durable=False)

    def end(self):
        files.remove(self._path("job"), self._path("job-abort"))


def _read(store, name, kind):
    text = files.read_text(store.run(name, kind))
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def running(store, name):
    """The record of the job running on *name*, None if there is none (or
    its owner died without cleaning up)."""
    from virtsh.drivers.qemu.store import process_alive
    record = _read(store, name, "job")
    if record is None or not process_alive(*record["owner"]):
        return None
    return record


def request_abort(store, name):
    """Ask the owner of the running job to cancel it; False: no job.  A
    dump (QEMU's dump-guest-memory) cannot be cancelled."""
    record = running(store, name)
    if record is None:
        return False
    if record["operation"] == OPERATION_DUMP:
        from virtsh.drivers.errors import VirtError, OPERATION_INVALID
        raise VirtError(OPERATION_INVALID, "cannot abort memory-only dump")
    request = store.run(name, "job-abort")
    files.write_atomic(request, "abort", durable=False)
    deadline = time.monotonic() + ABORT_TAKEN_WITHIN
    while os.path.exists(request) and time.monotonic() < deadline \
            and running(store, name) is not None:
        time.sleep(0.01)        # as virsh's returns: once the cancel is under way
    return True


def stats(dom, flags):
    """(job type, statistics) of the running job, or of the last completed
    one with JOB_STATS_COMPLETED."""
    store, name = dom.store, dom.name()
    if flags & JOB_STATS_COMPLETED:
        if not dom.exists():
            raise dom._gone()
        record = _read(store, name, "job-completed")
        if record is None:
            return D.JOB_NONE, []
        if not flags & JOB_STATS_KEEP_COMPLETED:
            files.remove(store.run(name, "job-completed"))
        return D.JOB_COMPLETED, params(record, record["ended"])
    dom._running_status()
    record = running(store, name)
    if record is None:
        return D.JOB_NONE, []
    return D.JOB_UNBOUNDED, params(record, time.time())


def params(record, now):
    """libvirt's typed statistics of a job record, *now* being its end or
    the present."""
    info, operation = record["info"], record["operation"]
    elapsed = int((now - record["started"]) * 1000)
    if operation == OPERATION_DUMP:
        total, done = info.get("total", 0), info.get("completed", 0)
        return [("operation", operation), ("time_elapsed", elapsed),
                ("memory_total", total), ("memory_processed", done),
                ("memory_remaining", total - done)]
    from virtsh.drivers.qemu.migration import job_params
    out = job_params(info, record["started"])[2:]
    # libvirt reports a bandwidth only once QEMU measured one
    return [("operation", operation), ("time_elapsed", elapsed)] + \
        [(k, v) for k, v in out if k != "memory_bps" or v]
