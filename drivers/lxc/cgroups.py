"""A container's control group, on cgroup v1, v2 or a hybrid host.

v1 (and hybrid, whose v2 hierarchy carries no controllers): one directory
per controller under its mount point; v2: one directory in the unified
tree, with the controllers enabled on the way down.  The group is
PARTITION/NAME.SUFFIX (libvirt's ``/machine/NAME.libvirt-lxc``).
"""
import errno
import os
import signal
import time

V1_CONTROLLERS = ("cpu", "cpuacct", "memory", "freezer", "pids", "devices", "blkio")
V2_CONTROLLERS = ("cpu", "memory", "pids", "io")


def mounts(controllers=V1_CONTROLLERS):
    """(v1 {controller: mount point} of *controllers*, v2 mount point with
    controllers or None)."""
    v1, v2 = {}, None
    with open("/proc/self/mountinfo") as f:
        for line in f:
            left, _, right = line.partition(" - ")
            fstype, _, options = right.split()[:3]
            point = left.split()[4]
            if fstype == "cgroup":
                for opt in options.split(","):
                    if opt in controllers:
                        v1.setdefault(opt, point)
            elif fstype == "cgroup2" and os.path.exists(os.path.join(point, "cgroup.controllers")):
                with open(os.path.join(point, "cgroup.controllers")) as c:
                    if c.read().split():
                        v2 = point
    return v1, v2


class Cgroup:
    """The control group of one container (its directories may not exist yet)."""

    def __init__(self, relpath, v1=None, v2=None):
        if v1 is None and v2 is None:
            v1, v2 = mounts()
        self.relpath = relpath.strip("/")
        self.v1 = v1 if not v2 or v1.get("memory") else {}
        self.v2 = None if self.v1 else v2

    def to_json(self):
        return {"relpath": self.relpath, "v1": self.v1, "v2": self.v2}

    @classmethod
    def from_json(cls, data):
        return cls(data["relpath"], data.get("v1") or {}, data.get("v2"))

    def dirs(self):
        if self.v2:
            return [os.path.join(self.v2, self.relpath)]
        return sorted({os.path.join(p, self.relpath) for p in self.v1.values()})

    def _file(self, v1_controller, v1_name, v2_name):
        if self.v2:
            return os.path.join(self.v2, self.relpath, v2_name)
        point = self.v1.get(v1_controller)
        return point and os.path.join(point, self.relpath, v1_name)

    # --- life --------------------------------------------------------------
    def create(self):
        if self.v2:
            self._enable_v2()
        for d in self.dirs():
            os.makedirs(d, exist_ok=True)

    def _enable_v2(self):
        parts = self.relpath.split("/")
        current = self.v2
        for part in parts:
            try:
                with open(os.path.join(current, "cgroup.controllers")) as f:
                    available = f.read().split()
                wanted = " ".join("+" + c for c in V2_CONTROLLERS if c in available)
                if wanted:
                    with open(os.path.join(current, "cgroup.subtree_control"), "w") as f:
                        f.write(wanted)
            except OSError:
                pass
            current = os.path.join(current, part)
            os.makedirs(current, exist_ok=True)

    def attach(self, pid):
        """Move *pid* (and its future children) into the group."""
        for d in self.dirs():
            with open(os.path.join(d, "cgroup.procs"), "w") as f:
                f.write(str(pid))

    def pids(self):
        out = set()
        for d in self.dirs():
            try:
                with open(os.path.join(d, "cgroup.procs")) as f:
                    out.update(int(p) for p in f.read().split())
            except OSError:
                pass
        return out

    def kill_all(self, timeout=5.0):
        """SIGKILL every process of the group (thawing it first)."""
        deadline = time.monotonic() + timeout
        self.set_frozen(False)
        while True:
            pids = self.pids()
            if not pids or time.monotonic() > deadline:
                return not pids
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)

    def remove(self):
        for d in self.dirs():
            for _ in range(100):
                try:
                    os.rmdir(d)
                    break
                except FileNotFoundError:
                    break
                except OSError as e:
                    if e.errno != errno.EBUSY:
                        break
                    time.sleep(0.01)

    # --- resources ------------------------------------------------------------
    def _read(self, path):
        try:
            with open(path) as f:
                return f.read()
        except (OSError, TypeError):
            return None

    def set_memory_limit(self, kib):
        path = self._file("memory", "memory.limit_in_bytes", "memory.max")
        if path:
            with open(path, "w") as f:
                f.write(str(kib * 1024))

    def memory_kib(self):
        text = self._read(self._file("memory", "memory.usage_in_bytes", "memory.current"))
        return int(text) // 1024 if text else 0

    def cpu_time_ns(self):
        if self.v2:
            text = self._read(self._file("cpu", "", "cpu.stat")) or ""
            for line in text.splitlines():
                key, _, value = line.partition(" ")
                if key == "usage_usec":
                    return int(value) * 1000
            return 0
        text = self._read(self._file("cpuacct", "cpuacct.usage", ""))
        return int(text) if text else 0

    def set_frozen(self, frozen):
        """Freeze (or thaw) every process; waits until the kernel is done."""
        if self.v2:
            path = os.path.join(self.v2, self.relpath, "cgroup.freeze")
            value, done = ("1", "frozen 1") if frozen else ("0", "frozen 0")
            events = os.path.join(self.v2, self.relpath, "cgroup.events")
        else:
            path = self._file("freezer", "freezer.state", "")
            value = done = "FROZEN" if frozen else "THAWED"
            events = path
        if not path or not os.path.exists(path):
            return False
        with open(path, "w") as f:
            f.write(value)
        for _ in range(500):
            if done in (self._read(events) or ""):
                return True
            time.sleep(0.002)
        return False
