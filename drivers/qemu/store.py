"""One connection's domains on disk: definitions, runtime state, locks.

Per domain NAME:
  etc/qemu/NAME.xml          persistent definition (absent: transient)
  etc/qemu/autostart/NAME.xml  symlink when marked for autostart
  run/qemu/NAME.status       JSON: id, QEMU pid and start time, supervisor
                             pid, state and reason (present: active)
  run/qemu/NAME.xml          live definition
  run/qemu/NAME.monitor      QMP socket for commands
  run/qemu/NAME.events       QMP socket the supervisor follows events on
  run/qemu/NAME.pid          QEMU's pid (as libvirt keeps it)
  run/qemu/NAME.ending       why QEMU is being stopped (destroyed, failed ...)
  run/qemu/NAME.reboot       a guest reboot is in progress (fake reboot)
  run/qemu/NAME.shutoff      reason number of the last stop
  run/qemu/NAME.migration    the migration job in flight and who drives it
                             (a NAME too long for one of these: a hash of it)
  run/qemu/domains.lock      one byte per domain, locked while a command
                             operates on it (files.Lock, lock_slot)
  run/qemu/events/NAME.eventlog  events for followers (eventlog.py)
  log/qemu/NAME.log          QEMU's stderr and the command lines
"""
import os
import time

from virtsh.drivers import domain as D
from virtsh.drivers import files
from virtsh.drivers.qemu import jsontext, quickfacts

# virDomainShutoffReason / virDomainPausedReason numbers used here.
SHUTOFF_UNKNOWN, SHUTOFF_SHUTDOWN, SHUTOFF_DESTROYED, SHUTOFF_CRASHED = 0, 1, 2, 3
SHUTOFF_SAVED, SHUTOFF_FAILED = 5, 6
ENDINGS = {"shutdown": SHUTOFF_SHUTDOWN, "destroyed": SHUTOFF_DESTROYED,
           "crashed": SHUTOFF_CRASHED, "saved": SHUTOFF_SAVED,
           "failed": SHUTOFF_FAILED}
SUPERVISOR_GRACE = 2.0      # seconds a supervisor gets to settle its ended QEMU
_SOCKETS = ("monitor", "events")
_SOCKET_NAME_MAX = 80       # bound through /proc/self/fd/N/ (lifecycle._short): < 108 bytes


class Store:
    """Paths and state files of the domains of one directory tree."""

    def __init__(self, tree):
        self.tree = tree

    # --- paths ------------------------------------------------------------
    def config(self, name):
        return os.path.join(self.tree.config, name + ".xml")

    def autostart_link(self, name):
        return os.path.join(self.tree.autostart, name + ".xml")

    def run(self, name, kind):
        """run/qemu/NAME.kind; for a name too long for that (a file name
        holds 255 bytes, a unix socket's address ~100 with its folder)
        a hidden name made of the name's hash."""
        limit = _SOCKET_NAME_MAX if kind in _SOCKETS else 255
        return os.path.join(self.tree.run, files.fitting_name(name, "." + kind, limit))

    def log(self, name):
        return os.path.join(self.tree.log, name + ".log")

    def managed_save_path(self, name):
        return os.path.join(self.tree.lib, "save", name + ".save")

    def lock(self, name):
        return files.Lock(os.path.join(self.tree.run, "domains.lock"), lock_slot(name))

    def driver_lock(self):
        return files.Lock(os.path.join(self.tree.run, "driver.lock"))

    # --- listing ----------------------------------------------------------
    def names(self, active_only=False):
        """Names of every persistent or active domain (*active_only*: of
        those with a status file, the only ones that can be running)."""
        out = set()
        places = ((self.tree.config, ".xml"), (self.tree.run, ".status"))
        for directory, suffix in places[1:] if active_only else places:
            try:
                entries = os.listdir(directory)
            except FileNotFoundError:
                continue
            out.update(e[:-len(suffix)] for e in entries
                       if e.endswith(suffix) and not e.startswith("."))
        return sorted(out)

    # --- definitions --------------------------------------------------------
    def config_xml(self, name):
        return files.read_text(self.config(name))

    def live_xml(self, name):
        text = files.read_text(self.run(name, "xml"))
        if text is not None and "<channel " in text:
            from virtsh.drivers.qemu import channels     # ports the guest opened
            states = channels.read_states(self, name)   # or closed since
            if states:
                text = channels.apply_states(text, states)
        return text

    def uuid_hint(self, name):
        """The UUID in the head of the live, else persistent, XML of *name*
        (stored documents are canonical: <uuid> follows <name>), without
        parsing it; None when not found there (read the document then)."""
        for path in (self.run(name, "xml"), self.config(name)):
            try:
                with open(path, "rb") as f:
                    head = f.read(1024)
            except OSError:
                continue
            return quickfacts.uuid(head.decode(errors="replace"))
        return None

    def uuid_index(self):
        """Which domain holds which UUID (see index.py)."""
        from virtsh.drivers.qemu.index import UuidIndex
        return UuidIndex(self, os.path.join(self.tree.cache, "uuids"))

    def write_config(self, name, xml):
        self.uuid_index().record_write(
            name, xml, lambda: files.write_atomic(self.config(name), xml))

    def remove_definition(self, name):
        """Undefine *name*: its persistent XML, autostart link and last
        shutoff reason (a running guest goes on, transient)."""
        self.uuid_index().record_removal(name, lambda: files.remove(
            self.autostart_link(name), self.config(name), self.run(name, "shutoff")))

    # --- runtime state ----------------------------------------------------
    def status(self, name):
        """The status dict of an active domain, or None when it is not.

        A status whose QEMU has gone (killed from outside, or the
        supervisor lost) is settled here: the domain is stopped with the
        reason recorded in the ending file, else "crashed".  A supervisor
        still alive knows best how its QEMU ended: it is given a moment to
        settle first.  Callers may hold the domain's lock (it is re-entrant)."""
        text = files.read_text(self.run(name, "status"))
        if text is None:
            return None
        status = _parse_status(text)
        if status.get("pid") and process_alive(status["pid"], status.get("start_time")):
            return status
        lock = self.lock(name)
        if not lock.held() and self._supervisor_settles(name, status):
            return None
        with lock:
            text = files.read_text(self.run(name, "status"))
            if text is None:
                return None
            status = _parse_status(text) or self._rebuild_status(name)
            if status.get("pid") and process_alive(status["pid"], status.get("start_time")):
                return status
            self.finish(name, self.ending_reason(name, SHUTOFF_CRASHED))
        return None

    def _supervisor_settles(self, name, status):
        """Whether the live supervisor of *status* settled the domain
        within SUPERVISOR_GRACE seconds (the status file is gone)."""
        supervisor = status.get("supervisor")
        if not supervisor or not process_alive(supervisor, status.get("supervisor_start")):
            return False
        deadline = time.monotonic() + SUPERVISOR_GRACE
        while time.monotonic() < deadline:
            if not os.path.exists(self.run(name, "status")):
                return True
            time.sleep(0.01)
        return False

    def _rebuild_status(self, name):
        """A status for the QEMU named by the pid file when the status file
        is corrupt (lock held): its QEMU, if still ours, stays the guest
        rather than an orphan; {} when there is none."""
        try:
            pid = int(files.read_text(self.run(name, "pid"), ""))
        except ValueError:
            return {}
        started = proc_start_time(pid)
        try:
            ours = os.readlink("/proc/%d/fd/2" % pid) == self.log(name)
        except OSError:
            ours = False
        if started is None or not ours:
            return {}
        parent = parent_pid(pid)
        status = {"id": self.next_id(), "pid": pid, "start_time": started,
                  "supervisor": parent, "supervisor_start": proc_start_time(parent),
                  "state": D.RUNNING, "reason": 0,
                  "transient": not os.path.exists(self.config(name)),
                  "started": time.time(), "taps": [], "changed": time.time()}
        self.write_status(name, status)
        return status

    def write_status(self, name, status):
        files.write_atomic(self.run(name, "status"), jsontext.dumps(status), durable=False)

    def update_state(self, name, state, reason):
        """Record a state a command gave the guest (after QEMU made it so:
        the supervisor then ignores the events that change caused)."""
        status = jsontext.loads(files.read_text(self.run(name, "status")))
        status["state"], status["reason"] = state, reason
        status["changed"] = time.time()
        self.write_status(name, status)

    def follow_state(self, name, pid, state, reason, unless, when=None):
        """Record a state QEMU changed to on its own (the supervisor saw the
        event, sent at *when*), unless the status already says *unless*,
        names another QEMU, or was written by a command after *when* (the
        event was that command's own, seen late)."""
        with self.lock(name):
            text = files.read_text(self.run(name, "status"))
            if text is None:
                return
            status = _parse_status(text)
            if status.get("pid") != pid or status.get("state") == unless:
                return
            if when is not None and when <= status.get("changed", 0):
                return
            status["state"], status["reason"] = state, reason
            self.write_status(name, status)

    def ending_reason(self, name, default):
        text = files.read_text(self.run(name, "ending"))
        return ENDINGS.get((text or "").strip(), default)

    def shutoff_reason(self, name):
        text = files.read_text(self.run(name, "shutoff"))
        try:
            return int(text)
        except (TypeError, ValueError):
            return SHUTOFF_UNKNOWN

    def finish(self, name, reason, pid=None):
        """Clear the runtime files of a domain whose QEMU has ended.

        With *pid*, only if the status still names that QEMU (the domain
        may have been settled, even started again, by someone else)."""
        status = _parse_status(files.read_text(self.run(name, "status"), ""))
        if pid is not None and status.get("pid") != pid:
            return
        if status.get("taps"):
            from virtsh.drivers.qemu import live
            live.unplug_taps(status["taps"])
        if status.get("cgroup"):
            from virtsh.drivers.qemu import cgroupdirs
            cgroupdirs.remove(status["cgroup"])
        if os.path.exists(self.config(name)):
            files.write_atomic(self.run(name, "shutoff"), str(reason), durable=False)
        if status.get("pid"):
            from virtsh.drivers.qemu import eventlog
            eventlog.lifecycle(self, name, status["pid"], eventlog.STOPPED,
                               eventlog.STOPPED_DETAIL.get(reason, 0))
        if status.get("id") is not None:
            from virtsh.drivers.qemu import channels
            from virtsh.drivers.qemu.displays import domain_dir
            for folder in (channels.directory(self.tree.lib, status["id"], name),
                           domain_dir(self.tree.lib, status["id"], name)):
                if os.path.isdir(folder):       # (few guests have them: spare the import)
                    import shutil
                    shutil.rmtree(folder, ignore_errors=True)
        kinds = ("xml", "pid", "monitor", "events", "ending", "reboot", "migration", "status",
                 "vserports")
        files.remove(*(self.run(name, kind) for kind in kinds))
        leftovers = tuple(os.path.basename(files.temp_prefix(self.run(name, kind)))
                          for kind in kinds)
        with os.scandir(self.tree.run) as entries:  # what writers killed half-way left
            files.remove(*[e.path for e in entries if e.name.startswith(leftovers)])

    def next_id(self):
        """A new domain id (1, 2, 3 ... per directory tree)."""
        path = os.path.join(self.tree.run, "driver.nextid")
        with self.driver_lock():
            try:
                value = int(files.read_text(path, "1"))
            except ValueError:
                value = 1
            files.write_atomic(path, str(value + 1), durable=False)
        return value


def lock_slot(name):
    """The byte of domains.lock that stands for *name* (32-bit FNV-1a of
    the name: two names sharing one would only take turns)."""
    return files.fnv1a(name)


def _parse_status(text):
    """The dict of a status file's text; {} when corrupt or truncated."""
    try:
        status = jsontext.loads(text)
    except ValueError:
        return {}
    return status if isinstance(status, dict) else {}


def parent_pid(pid):
    """The parent of *pid* (0 when gone, or when it is init: orphaned)."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            stat = f.read()
    except OSError:
        return 0
    parent = int(stat[stat.rindex(b")") + 2:].split()[1])
    return 0 if parent == 1 else parent


def proc_start_time(pid):
    """The start time (clock ticks since boot) of *pid*, None if gone."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(b")") + 2:].split()
    if fields[0] in (b"Z", b"X"):
        return None
    return int(fields[19])


def process_alive(pid, start_time=None):
    """Whether *pid* runs and is the same process (start time) as recorded."""
    started = proc_start_time(pid)
    return started is not None and (start_time is None or started == start_time)


def cpu_time_ns(pid):
    """User plus system CPU time of *pid* (all its threads) in ns."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            stat = f.read()
    except OSError:
        return 0
    fields = stat[stat.rindex(b")") + 2:].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks * 1000000000 // os.sysconf("SC_CLK_TCK")


def wait_process_exit(pid, start_time, timeout):
    """Wait for a process (not necessarily our child) to end."""
    try:
        fd = os.pidfd_open(pid)
    except OSError:
        return True
    try:
        import select
        if proc_start_time(pid) != start_time and start_time is not None:
            return True
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(int(timeout * 1000)))
    finally:
        os.close(fd)


def state_of(status):
    return status.get("state", D.RUNNING), status.get("reason", 1)


class AutostartLinks:
    """Autostart of a domain kept in a store: a link in the store's
    autostart folder (libvirt's layout); mixed into the local drivers'
    Domain classes, which provide ``store``, ``_name``, ``exists`` and
    ``_gone``."""

    def autostart(self):
        return os.path.lexists(self.store.autostart_link(self._name))

    def set_autostart(self, enabled):
        from virtsh.drivers.errors import VirtError, OPERATION_INVALID
        if not self.is_persistent():
            if not self.exists():
                raise self._gone()
            raise VirtError(OPERATION_INVALID, "cannot set autostart for transient domain")
        link = self.store.autostart_link(self._name)
        if enabled and not os.path.lexists(link):
            os.symlink(self.store.config(self._name), link)
        elif not enabled:
            files.remove(link)
