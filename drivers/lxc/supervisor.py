"""The per-container supervisor: parent of the container for its whole life.

``spawn`` forks twice (the supervisor leads its own session, away from
the command that started it).  The supervisor creates the cgroup, the
console pty and the veth pairs, forks the container (container.py),
reports the init pid back through a pipe, then keeps the console drained
(into run/NAME.console) and waits for the container to end: a reboot
(asked by ``reboot``, or init killed by SIGHUP as reboot(2) does in a pid
namespace) starts it afresh; otherwise it settles the domain: shut-off
reason, cgroup and veths removed, runtime files cleared.
"""
import json
import os
import select

from virtsh.drivers.lxc import container, runtime


def spawn(store, name, plan, cgroup, memory_kib):
    """Start the supervisor and the container: the supervisor's report
    ({"init": pid ...} or {"error": message})."""
    rfd, wfd = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked processes
        try:
            os.close(rfd)
            os.setsid()
            if os.fork():
                os._exit(0)
            _supervise(store, name, plan, cgroup, memory_kib, wfd)
        finally:
            os._exit(0)
    os.close(wfd)
    os.waitpid(child, 0)
    with os.fdopen(rfd, "rb") as pipe:
        try:
            return json.loads(pipe.readline() or b"{}")
        except ValueError:
            return {}


def _isolate(keep):
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


def _supervise(store, name, plan, cgroup, memory_kib, wfd):  # pragma: no cover
    from virtsh.drivers.qemu.store import proc_start_time
    _isolate({wfd})
    me = os.getpid()
    try:
        cgroup.create()
        cgroup.set_memory_limit(memory_kib)
        master, slave = os.openpty()        # the container's /dev/console
        inner = os.ttyname(slave)
        if plan["uidmap"]:      # the console belongs to the container's root
            os.fchown(slave, _host_id(plan["uidmap"]), _host_id(plan["gidmap"]))
        host_master, host_slave = _host_pty()
        pty = os.ttyname(host_slave)
        child, init = launch(plan, cgroup, inner)
    except LaunchError as e:
        runtime.cleanup(cgroup, [n["host"] for n in plan["nets"]])
        _report(wfd, {"error": str(e)})
        return
    except OSError as e:
        runtime.cleanup(cgroup, [n["host"] for n in plan["nets"]])
        _report(wfd, {"error": e.strerror or str(e)})
        return
    _report(wfd, {"supervisor": me, "supervisor_start": proc_start_time(me),
                  "init": init, "init_start": proc_start_time(init), "pty": pty})
    console = os.open(store.run(name, "console"),
                      os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
    while True:
        code = _follow(child, master, console, host_master)
        if runtime.reboot_wanted(store, name, code):
            try:
                runtime.remove_veths(plan)
                child, init = launch(plan, cgroup, inner)
            except (LaunchError, OSError):
                break
            if not runtime.rebooted(store, name, me, init):
                break
            continue
        break
    runtime.settle(store, name, me, code)


def _report(wfd, info):
    os.write(wfd, json.dumps(info).encode() + b"\n")
    os.close(wfd)


def _host_pty():
    """The pty ``console`` attaches to (its slave is the live XML's tty): raw,
    and kept open here so that output with no client attached is dropped."""
    import tty
    host_master, host_slave = os.openpty()
    tty.setraw(host_slave)
    os.set_blocking(host_master, False)
    return host_master, host_slave


def _follow(child, master, console, host_master):  # pragma: no cover
    """Relay the console (container <-> host pty, and into the console file)
    until the container's first process ends; its exit code."""
    pidfd = os.pidfd_open(child)
    poller = select.poll()
    for fd in (pidfd, master, host_master):
        poller.register(fd, select.POLLIN)
    try:
        while True:
            for fd, _ in poller.poll():
                if fd == pidfd:
                    _, status = os.waitpid(child, 0)
                    _drain(master, console, host_master)
                    return os.waitstatus_to_exitcode(status)
                try:
                    data = os.read(fd, 65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                if not data:
                    poller.unregister(fd)
                elif fd == master:
                    os.write(console, data)
                    _write_some(host_master, data)
                else:
                    _write_some(master, data)
    finally:
        os.close(pidfd)


def _drain(master, console, host_master):
    """Keep what the container wrote just before it ended."""
    while select.select([master], [], [], 0)[0]:
        try:
            data = os.read(master, 65536)
        except OSError:
            return
        if not data:
            return
        os.write(console, data)
        _write_some(host_master, data)


def _write_some(fd, data):
    """Write what the pty takes now; with nobody reading, the rest is dropped."""
    try:
        os.write(fd, data)
    except (BlockingIOError, OSError):
        pass


class LaunchError(Exception):
    """The container could not be started (the message is libvirt's)."""


def launch(plan, cgroup, pty):
    """Fork the container's first process and see it through to init's exec:
    (first process pid, init's host pid)."""
    control_r, control_w = os.pipe()
    report_r, report_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover
        os.close(control_w)
        os.close(report_r)
        container.first_process(plan, cgroup, pty, control_r, report_w)
        os._exit(container.EXIT_SETUP)
    os.close(control_r)
    os.close(report_w)
    init, error = None, None
    with os.fdopen(report_r, "r") as report:
        for line in report:
            word, _, rest = line.rstrip("\n").partition(" ")
            if word == "userns":
                error = _write_maps(pid, plan)
            elif word == "netns" and plan["nets"] and "sharenet" not in plan["shares"]:
                error = _host_network(plan, pid)
            elif word == "init":
                init = int(rest)
            elif word == "error":
                error = error or rest
            if error:
                break
            if word in ("userns", "netns"):
                os.write(control_w, b"go\n")
    os.close(control_w)
    if error or init is None:
        import signal
        for victim in filter(None, (init, pid)):
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(pid, 0)
        raise LaunchError(error or "container setup failed")
    return pid, init


def _host_id(idmap):
    """The host id that id 0 of the container maps to."""
    return next(target for start, target, _ in idmap if start == 0)


def _write_maps(pid, plan):
    for kind in ("uid", "gid"):
        path = "/proc/%d/%s_map" % (pid, kind)
        text = "".join("%d %d %d\n" % entry for entry in plan[kind + "map"])
        try:
            with open(path, "w") as f:
                f.write(text)
        except OSError as e:
            return "unable write to %s: %s" % (path, e.strerror)
    return None


def _host_network(plan, pid):
    from virtsh.drivers.lxc import netdev
    try:
        netdev.create_host_ends(plan["nets"], pid)
    except netdev.NetError as e:
        return str(e)
    return None
