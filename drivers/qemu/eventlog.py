"""Each domain's event log: how events reach virtsh processes that wait.

There is no daemon to broadcast events, so whoever sees one (the
supervisor for QEMU's QMP events, a command for the state changes it
makes) appends it as one JSON line to run/qemu/events/NAME.eventlog, and
``event`` / ``qemu-monitor-event`` follow those files.  A line is written
with a single O_APPEND write, so concurrent writers never interleave.
The file outlives the domain's run (a follower must see "Stopped"); when
it grows past LIMIT it is moved aside and a new one begun, so a
persistent guest's log stays bounded.  A transient guest's log goes a
moment after the guest (the supervisor removes it).

Records: {"time": seconds, "pid": QEMU's pid, and either
"qmp": the raw QMP event, or "id": a domain event id and "args": the
arguments libvirt passes to that event's callback}.
"""
import os
import time

from virtsh.drivers import files
from virtsh.drivers.qemu import jsontext

LIMIT = 256 * 1024
SUFFIX = ".eventlog"
DEFINITIONS = "definitions.log"     # no domain's log: those end in SUFFIX

# virDomainEventID values used by the QEMU driver.
LIFECYCLE, REBOOT, RTC_CHANGE, WATCHDOG, IO_ERROR = 0, 1, 2, 3, 4
IO_ERROR_REASON, BLOCK_JOB, TRAY_CHANGE, PMWAKEUP, PMSUSPEND = 6, 8, 10, 11, 12
BALLOON_CHANGE, DEVICE_REMOVED, BLOCK_JOB_2 = 13, 15, 16

# virDomainEventType and the details used here.
DEFINED, UNDEFINED = 0, 1
DEFINED_ADDED, DEFINED_UPDATED, UNDEFINED_REMOVED = 0, 1, 0
STARTED, SUSPENDED, RESUMED, STOPPED, SHUTDOWN, PMSUSPENDED, CRASHED = 2, 3, 4, 5, 6, 7, 8
STARTED_BOOTED = 0
SUSPENDED_PAUSED, SUSPENDED_IOERROR = 0, 2
RESUMED_UNPAUSED = 0
SHUTDOWN_GUEST = 1
# virDomainShutoffReason -> virDomainEventStoppedDetailType
STOPPED_DETAIL = {1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6}


def folder(run_dir):
    """Where the logs of a run directory's domains are (a folder of their
    own: listing the run directory stays quick however many there are)."""
    return os.path.join(run_dir, "events")


def path(store, name):
    return os.path.join(folder(store.tree.run), name + SUFFIX)


def append(store, name, pid, **record):
    """Add one record to *name*'s log."""
    _append(path(store, name), pid, record)


def definition_event(store, name, event, detail):
    """Log a Defined or Undefined event of *name*.  These go to one log of
    all domains (DEFINITIONS): defining a domain creates no file for it."""
    _append(os.path.join(folder(store.tree.run), DEFINITIONS), None,
            {"domain": name, "id": LIFECYCLE, "args": [event, detail]})


def _append(target, pid, record):
    record["time"], record["pid"] = time.time(), pid
    try:
        if os.stat(target).st_size > LIMIT:
            os.replace(target, target + ".old")
    except FileNotFoundError:
        pass
    fd = files.open_creating(target, os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, jsontext.dumps(record, compact=True).encode() + b"\n")
    finally:
        os.close(fd)


def domain_event(store, name, pid, event_id, *args):
    append(store, name, pid, id=event_id, args=list(args))


def lifecycle(store, name, pid, event, detail):
    domain_event(store, name, pid, LIFECYCLE, event, detail)


def wait_for(store, name, wanted, timeout=2.0):
    """Wait until a record satisfying *wanted* is in *name*'s log (a
    command that must log after the supervisor); whether it came."""
    deadline = time.monotonic() + timeout
    offset = 0                          # records before it were looked at
    while True:
        try:
            with open(path(store, name), "rb") as f:
                if os.fstat(f.fileno()).st_size < offset:
                    offset = 0          # the log was rotated
                f.seek(offset)
                chunk = f.read()
        except OSError:
            chunk = b""
        complete = chunk[:chunk.rfind(b"\n") + 1]
        offset += len(complete)
        for line in complete.splitlines():
            try:
                if wanted(jsontext.loads(line.decode(errors="replace"))):
                    return True
            except ValueError:          # a record torn by a full disk
                continue
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.002)


class Follower:
    """Reads what is appended to the logs of a run directory from now on."""

    def __init__(self, run_dir):
        self.run_dir = folder(run_dir)
        self._seen = {}                 # log -> (inode, offset)
        for log, st in self._logs():
            self._seen[log] = (st.st_ino, st.st_size)

    def _logs(self):
        try:
            entries = os.listdir(self.run_dir)
        except FileNotFoundError:
            return
        for entry in entries:
            if (entry.endswith(SUFFIX) and not entry.startswith(".")) or entry == DEFINITIONS:
                try:
                    st = os.stat(os.path.join(self.run_dir, entry))
                except FileNotFoundError:
                    continue
                yield entry, st

    def poll(self):
        """New records since the last poll: [(domain name, record)], oldest first."""
        out = []
        for log, st in list(self._logs()):
            inode, offset = self._seen.get(log, (st.st_ino, 0))
            if inode != st.st_ino:
                offset = 0              # moved aside: a new log began
            if st.st_size <= offset and inode == st.st_ino:
                continue
            with open(os.path.join(self.run_dir, log), "rb") as f:
                f.seek(offset)
                data = f.read()
            complete = data[:data.rfind(b"\n") + 1]
            self._seen[log] = (st.st_ino, offset + len(complete))
            for line in complete.splitlines():
                try:
                    record = jsontext.loads(line.decode(errors="replace"))
                except ValueError:
                    continue
                out.append((record.pop("domain") if log == DEFINITIONS
                            else log[:-len(SUFFIX)], record))
        out.sort(key=lambda item: item[1].get("time", 0))
        return out
