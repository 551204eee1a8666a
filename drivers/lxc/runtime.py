"""Runtime state of LXC domains: the state store, adoption and clean-up.

The QEMU driver's Store keeps the files (status JSON, live XML, lock,
shut-off reason); the status's ``pid`` is the supervisor, ``init`` the
container's init as the host sees it.  A container whose supervisor was
lost is adopted by a watcher that settles the domain when init ends.
"""
import json
import os

from virtsh.drivers import files
from virtsh.drivers.qemu import store as S
from virtsh.drivers.lxc.cgroups import Cgroup


class LxcStore(S.Store):
    """Store whose liveness check knows the container can outlive its supervisor."""

    def status(self, name):
        text = files.read_text(self.run(name, "status"))
        if text is None:
            return None
        status = json.loads(text)
        if S.process_alive(status["pid"], status.get("start_time")):
            return status
        if S.process_alive(status.get("init", 0), status.get("init_start")):
            with self.lock(name):
                return adopt(self, name)
        with self.lock(name):
            status = self._read(name)
            if status is None or S.process_alive(status["pid"], status.get("start_time")):
                return status
            cleanup(Cgroup.from_json(status["cgroup"]), status.get("veths", ()))
            self.finish(name, self.ending_reason(name, S.SHUTOFF_CRASHED))
        return None

    def _read(self, name):
        text = files.read_text(self.run(name, "status"))
        return json.loads(text) if text else None


def cleanup(cgroup, veths):
    """Kill what is left of a container and remove its cgroup and host veths."""
    from virtsh.drivers.lxc import netdev
    cgroup.kill_all()
    netdev.remove_host_ends(list(veths))
    cgroup.remove()


def remove_veths(plan):
    from virtsh.drivers.lxc import netdev
    netdev.remove_host_ends([n["host"] for n in plan["nets"]])


def reboot_wanted(store, name, code):
    """Whether the container that ended with *code* is to start again."""
    from virtsh.drivers.lxc import container
    if os.path.exists(store.run(name, "ending")):
        return False
    marker = store.run(name, "reboot")
    if os.path.exists(marker):
        files.remove(marker)
        return True
    if code == container.EXIT_REBOOT:
        return _action(store, name, "on_reboot") == "restart"
    return False


def rebooted(store, name, supervisor, init):
    """Record the new init after a reboot; False when the domain was settled meanwhile."""
    with store.lock(name):
        status = store._read(name)
        if status is None or status["pid"] != supervisor:
            return False
        status["init"], status["init_start"] = init, S.proc_start_time(init)
        store.write_status(name, status)
    return True


def settle(store, name, supervisor, code):
    """The container ended (exit *code* of its first process): stop the domain."""
    default = S.SHUTOFF_SHUTDOWN if code == 0 else S.SHUTOFF_CRASHED
    with store.lock(name):
        status = store._read(name)
        if status is None or status["pid"] != supervisor:
            return
        cleanup(Cgroup.from_json(status["cgroup"]), status.get("veths", ()))
        store.finish(name, store.ending_reason(name, default))


def _action(store, name, kind):
    import re
    found = re.search(r"<%s>([^<]+)</%s>" % (kind, kind), store.live_xml(name) or "")
    return found.group(1).strip() if found else "restart"


def adopt(store, name):
    """Give a container whose supervisor is gone a watcher; its status."""
    status = store._read(name)
    if status is None or S.process_alive(status["pid"], status.get("start_time")):
        return status
    rfd, wfd = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked processes
        try:
            os.close(rfd)
            os.setsid()
            if os.fork():
                os._exit(0)
            me = os.getpid()
            os.write(wfd, json.dumps([me, S.proc_start_time(me)]).encode())
            os.close(wfd)
            _watch(store, name, status, me)
        finally:
            os._exit(0)
    os.close(wfd)
    os.waitpid(child, 0)
    with os.fdopen(rfd, "rb") as pipe:
        status["pid"], status["start_time"] = json.loads(pipe.read())
    store.write_status(name, status)
    return status


def _watch(store, name, status, me):  # pragma: no cover
    from virtsh.drivers.lxc import supervisor
    supervisor._isolate(set())
    init = status["init"]
    while S.process_alive(init, status.get("init_start")):
        S.wait_process_exit(init, status.get("init_start"), 3600)
        current = store._read(name)
        if current is None or current["pid"] != me:
            return
        init = current["init"]
        status = current
    settle(store, name, me, None)
