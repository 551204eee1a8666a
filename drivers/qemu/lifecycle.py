"""Starting and stopping QEMU for a domain, and talking to a running one.

Every function here runs with the domain's lock held by the caller.
"""
import errno
import os
import time
from _signal import SIGKILL, SIGTERM     # (signal.py loads enum: ~1.5 ms a destroy)

from virtsh.drivers import domain as D
from virtsh.drivers import files
from virtsh.drivers.errors import (VirtError, INTERNAL_ERROR, SYSTEM_ERROR,
                                   OPERATION_FAILED)
from virtsh.drivers.qemu import store as S

PAUSED_STARTING_UP = 11


def check_sources(root):
    """libvirt's error for a disk whose source file does not exist."""
    for disk in root.findall("devices/disk"):
        src = disk.find("source")
        path = src is not None and (src.get("file") or src.get("dev"))
        if not path or src.get("startupPolicy") == "optional":
            continue
        try:
            os.stat(path)
        except OSError as e:
            raise VirtError(SYSTEM_ERROR,
                            "Cannot access storage file '%s' (as uid:%d, gid:%d): %s"
                            % (path, os.getuid(), os.getgid(),
                               os.strerror(e.errno))) from None


def _bind_listener(path):
    import socket
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    directory = os.open(os.path.dirname(path), os.O_RDONLY | os.O_DIRECTORY)
    try:
        sock.bind(_short(directory, path))
    finally:
        os.close(directory)
    os.chmod(path, 0o600)
    sock.listen(8)
    return sock


def _short(dirfd, path):
    """A path for a unix socket that fits the 108-byte limit."""
    if len(path) < 100:
        return path
    return "/proc/self/fd/%d/%s" % (dirfd, os.path.basename(path))


def connect_unix(path, what="monitor"):
    """A stream socket connected to the unix socket at *path* (the QEMU
    *what* socket, as the error says)."""
    import socket
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    directory = os.open(os.path.dirname(path), os.O_RDONLY | os.O_DIRECTORY)
    try:
        sock.connect(_short(directory, path))
    except OSError as e:
        sock.close()
        raise VirtError(OPERATION_FAILED, "failed to connect to %s socket: %s"
                        % (what, e.strerror)) from None
    finally:
        os.close(directory)
    return sock


def connect_monitor(store, name, timeout=30.0):
    """A QMP session on the domain's command monitor."""
    from virtsh.drivers.qemu.qmp import Monitor
    return Monitor(connect_unix(store.run(name, "monitor")), timeout=timeout)


def adopt_if_orphaned(store, name, status):
    """Give a running QEMU whose supervisor is gone a new supervisor."""
    if S.process_alive(status.get("supervisor", 0), status.get("supervisor_start")):
        return
    from virtsh.drivers.qemu import supervisor
    with store.lock(name):
        status = store.status(name)
        if status is None or S.process_alive(status.get("supervisor", 0),
                                             status.get("supervisor_start")):
            return
        try:
            sock = connect_unix(store.run(name, "events"))
        except VirtError:
            return
        supervisor.adopt(store, name, status, sock)


def start(store, name, root, caps, conf, paused=False, transient=False, extra_args=(),
          host=None):
    """Start QEMU for the live definition *root*; the new status dict.

    *host* (the connection) resolves storage volumes and virtual networks.
    On failure nothing is left behind: no QEMU, no runtime files, no taps."""
    from virtsh.drivers.qemu import live, nvram
    check_sources(_for_argv(root, host))
    nvram.prepare(root)
    live.name_taps(root)
    taps = live.plug_taps(root, host.network_bridge) if host is not None else []
    try:
        status = _start(store, name, root, caps, conf, paused, transient, extra_args,
                        host, taps)
    except BaseException:
        live.unplug_taps(taps)
        raise
    return status


def _for_argv(root, host):
    """A copy of *root* whose volume disks name their files, as QEMU needs."""
    if host is None or root.find("devices/disk[@type='volume']") is None:
        return root
    import copy
    argv_root = copy.deepcopy(root)
    host.translate_volume_disks(argv_root)
    return argv_root


def _start(store, name, root, caps, conf, paused, transient, extra_args, host, taps):
    from virtsh.drivers.qemu import channels, command, displays, live, supervisor
    dom_id = store.next_id()
    chan_dir = channels.directory(store.tree.lib, dom_id, name)
    if channels.fill_paths(root, chan_dir):
        from virtsh.drivers.files import make_private_dirs
        make_private_dirs(chan_dir)
    run_dir = displays.domain_dir(store.tree.lib, dom_id, name)
    if displays.setup_listens(root, conf, run_dir):
        from virtsh.drivers.files import make_private_dirs
        make_private_dirs(run_dir)
    displays.allocate_spice_ports(root, conf)
    events_theirs = _bind_listener(store.run(name, "events"))
    events_ours = connect_unix(store.run(name, "events"))
    listener = _bind_listener(store.run(name, "monitor"))
    runtime = command.Runtime(events_fd=events_theirs.fileno(),
                              command_fd=listener.fileno(), kvm=caps["kvm"], conf=conf)
    try:
        argv = command.build(_for_argv(root, host), caps, runtime) + list(extra_args)
    except VirtError:
        events_ours.close(), events_theirs.close(), listener.close()
        files.remove(store.run(name, "monitor"), store.run(name, "events"))
        raise
    files.remove(store.run(name, "ending"), store.run(name, "reboot"),
                 store.run(name, channels.STATE_FILE))
    log_fd = os.open(store.log(name), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.write(log_fd, ("%s: starting up\n%s\n" % (time.strftime("%Y-%m-%d %H:%M:%S"),
                                                 " ".join(argv))).encode())
    log_start = os.lseek(log_fd, 0, os.SEEK_END)
    from virtsh.drivers.qemu import qemuns
    env = dict(os.environ, LC_ALL="C", **qemuns.extra_env(root))
    proc, watching = supervisor.spawn(store, name, argv, env,
                            (events_theirs.detach(), listener.detach()),
                            events_ours, log_fd)
    if "error" in proc:
        files.remove(store.run(name, "monitor"))
        raise VirtError(SYSTEM_ERROR, "Cannot find QEMU binary %s" % proc["error"])
    status = {"id": dom_id, "pid": proc["pid"], "start_time": proc["start_time"],
              "supervisor": proc["supervisor"],
              "supervisor_start": proc["supervisor_start"],
              "state": D.PAUSED, "reason": PAUSED_STARTING_UP,
              "transient": transient, "started": time.time(), "taps": taps}
    files.write_atomic(store.run(name, "pid"), "%d" % proc["pid"], durable=False)
    from virtsh.xmlconf import domain as xd
    if transient:                       # before it is listed: its UUID is taken
        store.uuid_index().record_start(name, root.findtext("uuid"))
    # a transient guest is listed from here on: other processes need its XML
    files.write_atomic(store.run(name, "xml"), qemuns.format(xd.DomainDef(root), 1),
                       durable=False)
    store.write_status(name, status)
    try:
        mon = connect_monitor(store, name)
    except VirtError:
        supervisor.wait_watching(watching, 0)
        _abandon(store, name, status)
        raise VirtError(INTERNAL_ERROR, "QEMU unexpectedly closed the monitor (vm='%s'): %s"
                        % (name, _log_tail(store.log(name), log_start))) from None
    try:
        live.assign_aliases(root)
        live.record_dac_label(root)
        status["cpu_orig"] = live.record_cpu(root, mon, store.tree.cache)
        live.record_backing(root)
        from virtsh.drivers.qemu import cgroups
        status["cgroup"] = cgroups.setup(store, name, status, root, mon)
        from virtsh.drivers.qemu.resources import pin_at_start
        pin_at_start(root, mon, status["pid"])
        chardevs = mon.cmd("query-chardev")
        live.record_ptys(root, chardevs)
        channels.record_initial(root, chardevs)
        if root.find("devices/graphics[@type='vnc']") is not None:
            live.record_vnc(root, mon.cmd("query-vnc"))
        displays.set_passwords(root, conf, mon)
        from virtsh.drivers.qemu.resources import setup_balloon
        setup_balloon(root, mon)
        live.taps_up(root)
        if not paused:
            mon.cmd("cont")
    except VirtError:
        supervisor.wait_watching(watching, 0)
        _abandon(store, name, status)
        raise
    finally:
        mon.close()
    supervisor.wait_watching(watching)
    files.write_atomic(store.run(name, "xml"), qemuns.format(xd.DomainDef(root), 1),
                       durable=False)       # 1: secure, the live XML keeps passwords
    status["state"], status["reason"] = ((D.PAUSED, D.PAUSED_USER) if paused
                                         else (D.RUNNING, D.RUNNING_BOOTED))
    status["changed"] = time.time()     # the supervisor ignores the events of before
    store.write_status(name, status)
    files.remove(store.run(name, "shutoff"))
    _log_started(store, name, status["pid"], paused)
    return status


def _log_started(store, name, pid, paused):
    """Log the start as libvirt reports it: after the supervisor logged the
    resume of the first ``cont`` (running), or followed by the pause."""
    from virtsh.drivers.qemu import eventlog as E
    if not paused:
        E.wait_for(store, name, lambda r: r.get("pid") == pid and r.get("id") == E.LIFECYCLE
                   and r.get("args") == [E.RESUMED, E.RESUMED_UNPAUSED])
    E.lifecycle(store, name, pid, E.STARTED, E.STARTED_BOOTED)
    if paused:
        E.lifecycle(store, name, pid, E.SUSPENDED, E.SUSPENDED_PAUSED)


def _log_tail(path, offset):
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read().decode(errors="replace").strip()


def _abandon(store, name, status):
    """Undo a start that failed half-way: stop QEMU, reason 'failed'."""
    stop(store, name, status, "failed", S.SHUTOFF_FAILED)


def stop(store, name, status, ending, reason, graceful=False):
    """Stop QEMU (SIGTERM, then SIGKILL after 10 s) and settle the domain."""
    files.write_atomic(store.run(name, "ending"), ending, durable=False)
    pid, started = status["pid"], status.get("start_time")
    if S.process_alive(pid, started):
        try:
            os.kill(pid, SIGTERM)
        except ProcessLookupError:
            pass
        if not S.wait_process_exit(pid, started, 10.0):
            if graceful:
                raise VirtError(SYSTEM_ERROR, "Failed to terminate process %d with SIGTERM: %s"
                                % (pid, os.strerror(errno.EBUSY)))
            try:
                os.kill(pid, SIGKILL)
            except ProcessLookupError:
                pass
            S.wait_process_exit(pid, started, 5.0)
    store.finish(name, reason)


def monitor_command(store, name, command, **arguments):
    """Run one QMP command on a running domain."""
    mon = connect_monitor(store, name)
    try:
        return mon.cmd(command, **arguments)
    finally:
        mon.close()
