"""The per-domain supervisor: QEMU's parent for the whole life of a guest.

``spawn`` forks twice (the supervisor is re-parented away from the
command that started it and leads its own session), starts QEMU with the
two pre-opened monitor sockets, reports QEMU's pid back through a pipe and
then follows QEMU's events on the first monitor.  ``adopt`` gives a live
QEMU whose supervisor was lost (killed, host session ended ...) a new one
that reconnects to the event monitor; it cannot reap QEMU but sees it end.  When QEMU ends it
settles the domain (unless a command, e.g. destroy, did already): the
shut-off reason (what the ending file says, else
"shutdown" if QEMU announced a shutdown, else "crashed") and the removal
of the runtime files.  A guest reboot asked through ACPI (libvirt's fake
reboot) and the ``on_poweroff`` / ``on_reboot`` actions (restart or
destroy) are carried out here too, and so is the undoing of a migration
whose driving client died (migration.settle_abandoned).  A transient
guest's event log goes with the guest.
"""
import json
import os

from virtsh.drivers import domain as D
from virtsh.drivers import files
from virtsh.drivers.qemu import eventlog as E, qmpevents, store as S

PAUSED_IOERROR = 5      # virDomainPausedReason
LOG_GRACE = 1.0         # seconds event followers get to read a transient guest's end


def spawn(store, name, argv, env, keep_fds, events_sock, log_fd):
    """Start the supervisor and QEMU: (details of QEMU's pid, or {"error"},
    and the pipe to pass to wait_watching).

    *keep_fds* are passed to QEMU; *events_sock* is our end of the event
    monitor; *log_fd* receives QEMU's output.  All of them are handed over:
    spawn closes the caller's copies."""
    starter = (os.getpid(), S.proc_start_time(os.getpid()))
    rfd, wfd = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked processes
        try:
            os.close(rfd)
            os.setsid()
            if os.fork():
                os._exit(0)
            _run(store, name, argv, env, keep_fds, events_sock, log_fd, wfd, starter)
        finally:
            os._exit(0)
    os.close(wfd)
    for fd in keep_fds:     # QEMU's and the supervisor's now, not ours:
        os.close(fd)        # the supervisor must see EOF when QEMU dies
    events_sock.close()
    os.close(log_fd)
    os.waitpid(child, 0)
    pipe = os.fdopen(rfd, "rb")
    try:
        info = json.loads(pipe.readline() or b"{}")
    except ValueError:
        info = {}
    if "pid" not in info:
        pipe.close()
        return info if "error" in info else {"error": "supervisor failed"}, None
    return info, pipe


def wait_watching(pipe, timeout=10.0):
    """Wait until the supervisor follows QEMU's events (it closes *pipe*)."""
    import select
    try:
        select.select([pipe], [], [], timeout)
    finally:
        pipe.close()


def _isolate(keep):
    """Detach from the caller's terminal and pipes; close every other fd.
    A write to a pipe whose reader died (virsh's SIGPIPE default would
    kill the supervisor silently) becomes an error to handle instead."""
    import signal
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    for entry in os.listdir("/proc/self/fd"):
        fd = int(entry)
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _run(store, name, argv, env, keep_fds, events_sock, log_fd, wfd, starter):  # pragma: no cover
    import subprocess
    _isolate(set(keep_fds) | {events_sock.fileno(), log_fd, wfd})
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log_fd,
                                stderr=log_fd, pass_fds=keep_fds, env=env,
                                close_fds=True, cwd="/")
    except OSError as e:
        os.write(wfd, json.dumps({"error": "%s: %s" % (argv[0], e.strerror)}).encode() + b"\n")
        os.close(wfd)
        return
    for fd in keep_fds:
        os.close(fd)
    os.close(log_fd)
    me = os.getpid()
    try:
        os.write(wfd, json.dumps({"pid": proc.pid, "start_time": S.proc_start_time(proc.pid),
                                  "supervisor": me,
                                  "supervisor_start": S.proc_start_time(me)}).encode() + b"\n")
    except BrokenPipeError:
        pass        # the starter died: _Recorded sees it, QEMU is stopped
    recorded = _Recorded(store, name, proc.pid, starter)
    try:
        saw_shutdown = _follow(store, name, events_sock, proc.pid,
                               _idle_duties(store, name,
                                            lambda: proc.poll() is None and recorded()), wfd)
    except Exception:  # whatever happens, the domain must be settled
        saw_shutdown = False
    if proc.poll() is None and not recorded():
        proc.kill()
        proc.wait()
        with store.lock(name):
            if files.read_text(store.run(name, "status")) is None:
                store.finish(name, S.SHUTOFF_FAILED)
        return
    proc.wait()
    _settle(store, name, proc.pid, saw_shutdown)
    _drop_transient_log(store, name)


def _idle_duties(store, name, alive):  # pragma: no cover
    """*alive* for the event loop, which asks it whenever QEMU has been
    quiet a moment: also the time to undo a migration of this guest whose
    driving process died (nobody else would finish or discard it)."""
    def check():
        if not alive():
            return False
        if os.path.exists(store.run(name, "migration")):
            from virtsh.drivers.qemu import migration
            try:
                migration.settle_abandoned(store, name)
            except Exception:       # QEMU going away meanwhile: seen next
                pass
        return alive()
    return check


class _Recorded:
    """Whether the command that started QEMU recorded it in the status
    file, or may still do so; false once that command died first (killed
    half-way through the start): its QEMU would be an orphan nobody lists."""

    def __init__(self, store, name, pid, starter):
        self.store, self.name, self.pid, self.starter = store, name, pid, starter
        self.seen = False

    def __call__(self):
        if not self.seen:
            if S.process_alive(*self.starter):
                return True
            text = files.read_text(self.store.run(self.name, "status"))
            # a status damaged since is rebuilt from the pid file, QEMU kept
            self.seen = text is not None and S._parse_status(text).get(
                "pid", self.pid) == self.pid
        return self.seen


def _settle(store, name, pid, saw_shutdown):  # pragma: no cover
    default = S.SHUTOFF_SHUTDOWN if saw_shutdown else S.SHUTOFF_CRASHED
    with store.lock(name):
        store.finish(name, store.ending_reason(name, default), pid=pid)


def _drop_transient_log(store, name):  # pragma: no cover
    """A transient guest that ended is gone, and its event log with it,
    once followers had time to read the "Stopped" record (unless a guest
    of that name was started or defined meanwhile)."""
    import time
    time.sleep(LOG_GRACE)
    with store.lock(name):
        if not (os.path.exists(store.config(name))
                or os.path.exists(store.run(name, "status"))):
            files.remove(E.path(store, name), E.path(store, name) + ".old")


def adopt(store, name, status, events_sock):
    """Start a supervisor for the running QEMU of *status*, recorded in the
    status file at once (the caller holds the domain's lock).

    *events_sock* is connected to the domain's event monitor (and handed
    over: closed here).  The event monitor serves one client at a time: a
    supervisor whose adopting command died before recording it steps
    aside, so that the one recorded later gets the monitor."""
    starter = (os.getpid(), S.proc_start_time(os.getpid()))
    rfd, wfd = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked processes
        try:
            os.close(rfd)
            os.setsid()
            if os.fork():
                os._exit(0)
            _isolate({events_sock.fileno(), wfd})
            me = os.getpid()
            try:
                os.write(wfd, json.dumps({"supervisor": me, "supervisor_start":
                                          S.proc_start_time(me)}).encode() + b"\n")
            except BrokenPipeError:
                pass    # the adopting command died: _Adopted tells whether to go on
            pid, started = status["pid"], status.get("start_time")
            recorded = _Adopted(store, name, me, starter)
            try:
                saw_shutdown = _follow(store, name, events_sock, pid, _idle_duties(
                    store, name, lambda: S.process_alive(pid, started) and recorded()), wfd)
            except Exception:  # the domain must be settled whatever happens
                saw_shutdown = False
            if S.process_alive(pid, started) and not recorded():
                return      # another supervisor follows this guest
            S.wait_process_exit(pid, started, 30.0)
            _settle(store, name, pid, saw_shutdown)
            _drop_transient_log(store, name)
        finally:
            os._exit(0)
    os.close(wfd)
    events_sock.close()
    os.waitpid(child, 0)
    pipe = os.fdopen(rfd, "rb")
    try:
        status.update(json.loads(pipe.readline() or b"{}"))
    except ValueError:
        pass
    store.write_status(name, status)
    wait_watching(pipe)         # nothing QEMU says from now on is missed


class _Adopted:
    """Whether an adopting supervisor is the one the status file names, or
    its adopting command may still record it."""

    def __init__(self, store, name, me, starter):
        self.store, self.name, self.me, self.starter = store, name, me, starter

    def __call__(self):
        if S.process_alive(*self.starter):
            return True
        text = files.read_text(self.store.run(self.name, "status")) or "{}"
        # (a damaged status names nobody: go on until a command rebuilds it)
        return S._parse_status(text).get("supervisor", self.me) == self.me


def _follow(store, name, events_sock, pid, alive, wfd):  # pragma: no cover
    """Handle QEMU's events until it ends; whether it announced a SHUTDOWN.

    *wfd* (the pipe to the starting command) is closed once the event
    monitor is negotiated, so no event of the guest's life is missed.
    Pauses and resumes QEMU makes on its own (an I/O error, a monitor
    command from outside) are recorded in the status; those of virtsh's
    own commands are recorded by the commands already."""
    from virtsh.drivers.errors import VirtError
    from virtsh.drivers.qemu.qmp import Monitor
    try:
        if not _greeted(events_sock, alive):
            return False
        mon = Monitor(events_sock, timeout=None)
    except VirtError:
        return False
    finally:
        os.close(wfd)
    saw_shutdown = stopping = False
    io_error = False
    for event in mon.events(alive):
        kind, data = event.get("event"), event.get("data", {})
        _log(store, name, pid, event)
        if kind == "BLOCK_IO_ERROR" and data.get("action") == "stop":
            io_error = True
        elif kind == "STOP" and not stopping:
            E.lifecycle(store, name, pid, E.SUSPENDED,
                        E.SUSPENDED_IOERROR if io_error else E.SUSPENDED_PAUSED)
            store.follow_state(name, pid, D.PAUSED, PAUSED_IOERROR if io_error else 0,
                               unless=D.PAUSED, when=_event_time(event))
        elif kind == "RESUME" and not stopping:
            io_error = False
            E.lifecycle(store, name, pid, E.RESUMED, E.RESUMED_UNPAUSED)
            store.follow_state(name, pid, D.RUNNING, D.RUNNING_UNPAUSED, unless=D.RUNNING,
                               when=_event_time(event))
        elif kind == "RESUME":
            stopping = False            # back from a restart we asked for
        elif kind == "VSERPORT_CHANGE":
            from virtsh.drivers.qemu import channels
            try:
                channels.record_change(store, name, data.get("id", ""), bool(data.get("open")))
            except OSError:
                pass        # a full disk loses the port's state, never the guest
        elif kind == "GUEST_PANICKED":
            stopping = True
            E.lifecycle(store, name, pid, E.CRASHED, 0)
            if _action(store, name, "on_crash") in ("restart", "rename-restart"):
                mon.send("system_reset")
                mon.send("cont")
            else:
                files.write_atomic(store.run(name, "ending"), "crashed", durable=False)
                mon.send("quit")
        elif kind == "SHUTDOWN":
            saw_shutdown = stopping = True
            if data.get("reason") in ("host-signal", "host-qmp-quit"):
                _record_ending(store, name, pid, "shutdown")
                continue
            reboot = store.run(name, "reboot")
            if os.path.exists(reboot):          # a reboot asked through ACPI
                os.unlink(reboot)
                restart = True
            else:
                restart = _action(store, name, "on_reboot" if data.get("reason") == "guest-reset"
                                  else "on_poweroff") == "restart"
            if restart:
                mon.send("system_reset")
                mon.send("cont")
                saw_shutdown = False
            else:
                if data.get("reason") == "guest-shutdown":
                    E.lifecycle(store, name, pid, E.SHUTDOWN, E.SHUTDOWN_GUEST)
                _record_ending(store, name, pid, "shutdown")
                mon.send("quit")
    mon.close()
    return saw_shutdown


def _greeted(sock, alive):  # pragma: no cover
    """Wait for QEMU's greeting on the event monitor while *alive*() (the
    monitor may be serving another client, which keeps it forever)."""
    import select
    while not select.select([sock], [], [], 0.2)[0]:
        if not alive():
            return False
    return True


def _record_ending(store, name, pid, why):  # pragma: no cover
    """Write the ending file as *why* unless a command (destroy ...) wrote
    its own first, or settled the domain already: whoever settles it,
    should QEMU's end be seen by a command before this supervisor, then
    gives the reason it knows."""
    with store.lock(name):
        ending = store.run(name, "ending")
        status = S._parse_status(files.read_text(store.run(name, "status")) or "{}")
        if status.get("pid") == pid and not os.path.exists(ending):
            try:
                files.write_atomic(ending, why, durable=False)
            except OSError:
                pass        # a full disk: the settling default stands


def _log(store, name, pid, event):  # pragma: no cover
    """Record a QMP event and the domain events it means in the event log
    (a full disk loses events, never the guest)."""
    try:
        E.append(store, name, pid, qmp=event)
        for event_id, args in qmpevents.derive(
                event.get("event"), event.get("data", {}),
                lambda target: _disk_source(store, name, target)):
            E.domain_event(store, name, pid, event_id, *args)
    except OSError:
        pass


def _disk_source(store, name, target):  # pragma: no cover
    """The source path of the live definition's disk *target* (or alias)."""
    import xml.etree.ElementTree as ET
    try:
        root = ET.fromstring(store.live_xml(name) or "<domain/>")
    except ET.ParseError:
        return None
    for disk in root.iterfind("devices/disk"):
        tgt, alias, src = disk.find("target"), disk.find("alias"), disk.find("source")
        names = {tgt.get("dev") if tgt is not None else None,
                 alias.get("name") if alias is not None else None}
        if target in names and src is not None:
            return src.get("file") or src.get("dev") or src.get("name")
    return None


def _event_time(event):
    """When QEMU sent *event* (seconds since the epoch, as time.time())."""
    stamp = event.get("timestamp", {})
    return stamp.get("seconds", 0) + stamp.get("microseconds", 0) / 1e6


def _action(store, name, kind):  # pragma: no cover
    """The live definition's lifecycle action (on_poweroff ...)."""
    import re
    found = re.search(r"<%s>([^<]+)</%s>" % (kind, kind), store.live_xml(name) or "")
    return found.group(1).strip() if found else "destroy"
