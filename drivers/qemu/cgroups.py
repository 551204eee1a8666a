"""The control groups of a running QEMU guest, laid out as libvirt lays them out.

A guest gets one group per controller under the partition ``/machine``:
``/machine/qemu-ID-NAME.libvirt-qemu`` (``qemu-embed-HASH-ID-NAME`` for an
embedded driver), or ``/machine.slice/machine-qemu\\x2dID\\x2dNAME.scope/libvirt``
on a host run by systemd.  Inside it, QEMU's process sits in ``emulator``
and each vCPU thread (each I/O thread) in its own ``vcpuN`` (``iothreadN``),
so that CPU bandwidth applies per vCPU as with libvirt (cgroup v1; on v2,
whose groups take whole processes, QEMU stays in the guest's group).  As
with libvirt, all guests together then weigh as one group against the
host's other processes: busy guests cannot starve the commands that
manage them (50 guests spinning in their firmware made 50 parallel
starts 6x slower when each guest weighed as a process, or with the
kernel's autogroups as a session).  Only root can
create groups there; an unprivileged driver uses its own cgroup when it
was delegated (cgroup v2), else the guest runs without one and the tuning
APIs report libvirt's "not mounted" errors.

The generic directory handling (v1, v2, hybrid hosts) is the LXC driver's
``Cgroup``; this module adds sub-groups and the files tuning reads and writes.
"""
import errno
import hashlib
import os

from virtsh.drivers.errors import VirtError, OPERATION_INVALID, SYSTEM_ERROR
from virtsh.drivers.lxc.cgroups import Cgroup, mounts
from virtsh.drivers.qemu import cgroupdirs

CONTROLLERS = ("cpu", "cpuacct", "cpuset", "memory", "blkio", "devices", "freezer",
               "pids")
PARTITION = "/machine"
UNLIMITED_BYTES = 1 << 62       # a v1 limit this high (PAGE_COUNTER_MAX) is "no limit"


def machine_name(tree, dom_id, name):
    """libvirt's machine name of a guest (ids restart per embedded root, so
    the root's hash keeps the guests of two roots apart)."""
    safe = "".join(c for c in name if c.isalnum() or c in "-.")
    root = os.path.dirname(os.path.dirname(tree.run))
    if tree.conf_file == os.path.join(root, "etc", "qemu.conf"):     # embedded
        digest = hashlib.sha256(("qemu-" + root).encode()).hexdigest()[:8]
        return ("qemu-embed-%s-%d-%s" % (digest, dom_id, safe))[:64]
    return ("qemu-%d-%s" % (dom_id, safe))[:64]


def _systemd():
    return os.path.isdir("/run/systemd/system")


def _escape(name):
    return name.replace("-", "\\x2d")


def _partition_dir():
    return "machine.slice" if _systemd() else PARTITION.strip("/")


def group_path(tree, dom_id, name):
    """The guest's group relative to a controller's root."""
    machine = machine_name(tree, dom_id, name)
    if _systemd():
        return "%s/machine-%s.scope/libvirt" % (_partition_dir(), _escape(machine))
    return "%s/%s.libvirt-qemu" % (_partition_dir(), machine)


class Group(Cgroup):
    """A guest's group, or one of its sub-groups (emulator, vcpuN ...)."""

    def child(self, sub):
        return Group(self.relpath + "/" + sub, self.v1, self.v2)

    def create(self):
        super().create()
        if not self.v2 and "cpuset" in self.v1:
            self._inherit_cpuset()

    def _inherit_cpuset(self):
        """A new v1 cpuset has no CPUs nor memory nodes: copy its parent's,
        from the top down."""
        point = self.v1["cpuset"]
        here = point
        for part in self.relpath.split("/"):
            parent, here = here, os.path.join(here, part)
            for name in ("cpuset.cpus", "cpuset.mems"):
                if not self._read(os.path.join(here, name)).strip():
                    _write(os.path.join(here, name), self._read(os.path.join(parent, name)))

    def _read(self, path):
        return super()._read(path) or ""

    def file(self, controller, v1_name, v2_name=None):
        """The path of a controller's file, None if the host has no such file."""
        path = self._file(controller, v1_name, v2_name or v1_name)
        return path if path and os.path.exists(path) else None

    def get(self, controller, v1_name, v2_name=None):
        path = self.file(controller, v1_name, v2_name)
        return self._read(path).strip() if path else None

    def set(self, controller, v1_name, value, v2_name=None):
        path = self.file(controller, v1_name, v2_name)
        if path is None:
            raise not_mounted(controller)
        _write(path, str(value))

    def place(self, pid, threads):
        """Move QEMU (*pid*) into ``emulator`` and its *threads* ({sub-group:
        thread id}) into theirs (v1; v2 groups take whole processes: QEMU
        goes into the guest's group)."""
        if self.v2:
            self.attach(pid)
            return
        for sub, ident, name in [("emulator", pid, "cgroup.procs")] + \
                [(sub, tid, "tasks") for sub, tid in threads.items()]:
            for d in self.child(sub).dirs():
                _write(os.path.join(d, name), str(ident))

    def remove_tree(self):
        """Remove the group and its sub-groups, deepest first."""
        for d in self.dirs():
            cgroupdirs.remove_tree(d)


def not_mounted(controller):
    """libvirt's error for tuning through a controller the guest lacks."""
    names = {"cpu": "CPU", "blkio": "blkio", "memory": "memory", "cpuset": "cpuset"}
    return VirtError(OPERATION_INVALID, "cgroup %s controller is not mounted"
                     % names.get(controller, controller))


def _write(path, text):
    try:
        with open(path, "w") as f:
            f.write(text)
    except OSError as e:
        if e.errno == errno.EINVAL:
            raise VirtError(SYSTEM_ERROR, "Unable to write to '%s': Invalid argument"
                            % path) from None
        raise VirtError(SYSTEM_ERROR, "Unable to write to '%s': %s"
                        % (path, os.strerror(e.errno))) from None


def _hierarchies(privileged):
    """(v1, v2) mount points this driver may create groups in."""
    v1, v2 = mounts(CONTROLLERS)
    if privileged:
        return v1, v2
    if v2 and not (v1 and v1.get("memory")):
        return {}, v2
    return {}, None


def _own_group(v2):
    """The unified cgroup of this process, when it may create groups in it."""
    with open("/proc/self/cgroup") as f:
        for line in f:
            if line.startswith("0::"):
                path = os.path.join(v2, line[3:].strip().lstrip("/"))
                if os.access(path, os.W_OK) and os.access(
                        os.path.join(path, "cgroup.subtree_control"), os.W_OK):
                    return os.path.relpath(path, v2)
    return None


def setup(store, name, status, root, mon):
    """Create the guest's groups, apply the tuning of the live definition
    *root*, move QEMU and its vCPU and I/O threads in; the group as
    recorded in the status (None: the guest runs without one)."""
    privileged = store.tree.privileged
    v1, v2 = _hierarchies(privileged)
    if not v1 and not v2:
        return None
    relpath = group_path(store.tree, status["id"], name)
    if not privileged:
        own = _own_group(v2)
        if own is None:
            return None
        relpath = os.path.join(own, "virtsh", machine_name(store.tree, status["id"], name))
    group = Group(relpath, v1, v2)
    if privileged:
        collect_stale(v1, v2)
    threads = _threads(mon) if not group.v2 else {}
    try:
        group.remove_tree()
        group.create()
        for sub in ["emulator"] + list(threads) if not group.v2 else []:
            group.child(sub).create()
    except OSError:                 # a read-only or foreign hierarchy: run without
        group.remove_tree()
        return None
    try:
        from virtsh.drivers.qemu import tunables
        tunables.apply(group, root)
        group.place(status["pid"], threads)
    except (OSError, VirtError) as e:
        group.remove_tree()
        if isinstance(e, VirtError):
            raise
        raise VirtError(SYSTEM_ERROR, "Unable to move QEMU into cgroup '%s': %s"
                        % (group.relpath, e.strerror)) from None
    _set_partition(root)
    return group.to_json()


def collect_stale(v1, v2, age=30.0):
    """Remove the groups of guests that ended unseen (QEMU and its
    supervisor killed together): no process left in them for *age* seconds."""
    import time
    partition = _partition_dir()
    entries = []
    for d in Group(partition, v1, v2).dirs():
        try:
            entries = list(os.scandir(d))
            break
        except OSError:
            continue
    for entry in entries:
        if not (entry.name.endswith((".libvirt-qemu", ".scope")) and "qemu" in entry.name):
            continue
        group = Group(os.path.join(partition, entry.name), v1, v2)
        try:
            stale = entry.stat().st_mtime < time.time() - age and not _busy(group)
        except OSError:
            continue
        if stale:
            group.remove_tree()


def _busy(group):
    """Whether a process is in *group* or one of its sub-groups."""
    if group.pids():
        return True
    return any(_busy(group.child(e.name)) for d in group.dirs() if os.path.isdir(d)
               for e in os.scandir(d) if e.is_dir())


def _threads(mon):
    """{"vcpuN": thread id, "iothreadN": thread id} of a running QEMU."""
    from virtsh.drivers.qemu.resources import guest_threads
    vcpus, iothreads = guest_threads(mon)
    out = {"vcpu%d" % n: tid for n, tid in vcpus.items()}
    out.update(("iothread%d" % n, tid) for n, tid in iothreads.items())
    return out


def _set_partition(root):
    from lxml import etree
    if root.find("resource/partition") is None:
        resource = root.find("resource")
        if resource is None:
            resource = etree.SubElement(root, "resource")
        etree.SubElement(resource, "partition").text = PARTITION


def of_status(status):
    """The group of a running guest's status, or None."""
    data = status.get("cgroup") if status else None
    return Group.from_json(data) if data else None
