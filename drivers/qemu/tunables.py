"""What a guest's ``<cputune>``, ``<memtune>``, ``<blkiotune>`` and
``<numatune>`` mean in its control group files (see cgroups.py).

``apply`` writes a live definition's settings when the guest starts; the
``read_*`` functions report the values in force from the cgroup files
(as libvirt's QEMU driver does), the ``write_*`` ones change them.
"""
import os

from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError, INVALID_ARG, OPERATION_INVALID
from virtsh.drivers.deftree import number
from virtsh.drivers.qemu.cgroups import UNLIMITED_BYTES, not_mounted

# scheduler parameter -> (<cputune> child, the sub-groups it applies to)
SCHED = (("cpu_shares", "shares", ""), ("vcpu_period", "period", "vcpu"),
         ("vcpu_quota", "quota", "vcpu"), ("emulator_period", "emulator_period", "emulator"),
         ("emulator_quota", "emulator_quota", "emulator"),
         ("global_period", "global_period", ""), ("global_quota", "global_quota", ""),
         ("iothread_period", "iothread_period", "iothread"),
         ("iothread_quota", "iothread_quota", "iothread"))
SCHED_PARAMS = tuple(p for p, _, _ in SCHED)
PERIOD_RANGE = (1000, 1000000)
QUOTA_RANGE = (1000, 17592186044415)
SHARES_RANGE = {1: (2, 262144), 2: (1, 10000)}
# memtune parameter -> (v1 file, v2 file)
MEMORY = (("hard_limit", "memory.limit_in_bytes", "memory.max"),
          ("soft_limit", "memory.soft_limit_in_bytes", "memory.high"),
          ("swap_hard_limit", "memory.memsw.limit_in_bytes", "memory.swap.max"))
# blkiotune device element -> v1 throttle file
THROTTLE = (("read_iops_sec", "blkio.throttle.read_iops_device"),
            ("write_iops_sec", "blkio.throttle.write_iops_device"),
            ("read_bytes_sec", "blkio.throttle.read_bps_device"),
            ("write_bytes_sec", "blkio.throttle.write_bps_device"))


# --- start ------------------------------------------------------------------------
def apply(group, root):
    """Write the tuning of the live definition *root* into a new group."""
    cputune = root.find("cputune")
    for param, tag, _ in SCHED:
        value = number(cputune.find(tag)) if cputune is not None else 0
        if value:
            write_sched(group, param, value)
    from virtsh.drivers.qemu.resources import memory_kib
    limits = {param: memory_kib(root, "memtune/" + param) for param, _, _ in MEMORY
              if root.find("memtune/" + param) is not None}
    if limits:
        write_memory(group, limits)
    weight = number(root.find("blkiotune/weight"))
    if weight:
        write_blkio_weight(group, weight)
    for device in root.findall("blkiotune/device"):
        write_blkio_device(group, device)
    memory = root.find("numatune/memory")
    if memory is not None and memory.get("nodeset") and \
            memory.get("mode", "strict") in ("strict", "restrictive"):
        write_nodeset(group, memory.get("nodeset"))


def _subgroups(group, kind):
    """The sub-groups of a kind ("" is the guest's own group)."""
    if not kind:
        return [group]
    if group.v2:
        return [group] if kind != "iothread" else []
    if kind == "emulator":
        sub = group.child(kind)
        return [sub] if any(os.path.isdir(d) for d in sub.dirs()) else []
    found = set()
    for d in group.dirs():
        if os.path.isdir(d):
            found.update(e.name for e in os.scandir(d) if e.is_dir()
                         and e.name.startswith(kind) and e.name[len(kind):].isdigit())
    return [group.child(n) for n in sorted(found, key=lambda n: int(n[len(kind):]))]


# --- CPU ----------------------------------------------------------------------------
def check_sched(param, value, v2):
    """libvirt's ranges of the scheduler parameters (0 changes nothing)."""
    if param == "cpu_shares":
        low, high = SHARES_RANGE[2 if v2 else 1]
        if value and not low <= value <= high:
            raise VirtError(INVALID_ARG, "shares '%d' must be in range [%d, %d]"
                            % (value, low, high))
        return
    low, high = PERIOD_RANGE if param.endswith("_period") else QUOTA_RANGE
    if (value > 0 and value < low) or value > high:
        raise VirtError(INVALID_ARG, "value of '%s' is out of range [%d, %d]"
                        % (param, low, high))


def write_sched(group, param, value):
    kind = dict((p, k) for p, _, k in SCHED)[param]
    for sub in _subgroups(group, kind):
        if param == "cpu_shares":
            sub.set("cpu", "cpu.shares", value, "cpu.weight")
        elif group.v2:
            quota, period = (sub.get("cpu", "", "cpu.max") or "max 100000").split()
            if param.endswith("_period"):
                period = value
            else:
                quota = "max" if value < 0 else value
            sub.set("cpu", "", "%s %s" % (quota, period), "cpu.max")
        else:
            sub.set("cpu", "cpu.cfs_period_us" if param.endswith("_period")
                    else "cpu.cfs_quota_us", value)


def read_sched(group):
    """The scheduler parameters in force, in libvirt's order."""
    out = []
    for param, _, kind in SCHED:
        subs = _subgroups(group, kind) or [group]       # no I/O threads: the guest's
        sub = subs[0]
        if param == "cpu_shares":
            text = sub.get("cpu", "cpu.shares", "cpu.weight")
        elif group.v2:
            quota, period = (sub.get("cpu", "", "cpu.max") or "max 100000").split()
            text = period if param.endswith("_period") else ("-1" if quota == "max"
                                                             else quota)
        else:
            text = sub.get("cpu", "cpu.cfs_period_us" if param.endswith("_period")
                           else "cpu.cfs_quota_us")
        if text is None:
            raise not_mounted("cpu")
        out.append((param, int(text)))
    return out


# --- memory ---------------------------------------------------------------------------
def _limit_text(kib, v2):
    if kib >= D.MEMORY_PARAM_UNLIMITED:
        return "max" if v2 else "-1"
    return str(kib * 1024)


def write_memory(group, values):
    """Set memory limits (KiB); the v1 swap limit may never be below the
    hard limit, so the one that makes room goes first."""
    files = {p: (v1, v2) for p, v1, v2 in MEMORY}
    swap_first = "swap_hard_limit" in values and \
        values["swap_hard_limit"] >= dict(read_memory(group))["hard_limit"]
    order = sorted(values, key=lambda p: (p == "swap_hard_limit") != swap_first)
    for param in order:
        v1, v2 = files[param]
        if group.file("memory", v1, v2) is None and param == "swap_hard_limit":
            continue                    # no swap accounting on this host
        group.set("memory", v1, _limit_text(values[param], group.v2), v2)


def read_memory(group):
    out = []
    for param, v1, v2 in MEMORY:
        text = group.get("memory", v1, v2)
        if text is None and param != "swap_hard_limit":
            raise not_mounted("memory")
        if text in (None, "max") or int(text) >= UNLIMITED_BYTES:
            out.append((param, D.MEMORY_PARAM_UNLIMITED))
        else:
            out.append((param, int(text) // 1024))
    return out


# --- block I/O ----------------------------------------------------------------------------
def _weight_file(group):
    for v1, v2 in (("blkio.weight", "io.weight"), ("blkio.bfq.weight", "io.bfq.weight")):
        if group.file("blkio" if not group.v2 else "io", v1, v2):
            return v1, v2
    return None


def write_blkio_weight(group, weight):
    names = _weight_file(group)
    if names is None:
        raise VirtError(OPERATION_INVALID, "blkio weight is valid only for cfq or "
                        "bfq schedulers")
    group.set("blkio" if not group.v2 else "io", names[0],
              weight if not group.v2 else "default %d" % weight, names[1])


def read_blkio_weight(group):
    names = _weight_file(group)
    if names is None:
        raise not_mounted("blkio")
    text = group.get("blkio" if not group.v2 else "io", *names)
    return int(text.split()[-1]) if text.split() else 0


def device_number(path):
    """"MAJOR:MINOR" of a host block device."""
    import stat
    try:
        st = os.stat(path)
    except OSError as e:
        raise VirtError(OPERATION_INVALID, "Unable to stat %s: %s"
                        % (path, os.strerror(e.errno))) from None
    if not stat.S_ISBLK(st.st_mode):
        raise VirtError(OPERATION_INVALID, "path '%s' must be a block device" % path)
    return "%d:%d" % (os.major(st.st_rdev), os.minor(st.st_rdev))


def write_blkio_device(group, device):
    """Write the settings of one ``<blkiotune><device>``."""
    for tag in ("weight",) + tuple(t for t, _ in THROTTLE):
        if device.find(tag) is not None:
            write_blkio_value(group, device.findtext("path"), tag, number(device.find(tag)))


def write_blkio_value(group, path, tag, value):
    """Set one device's weight or throttle (0: back to the default)."""
    if group.v2:
        raise VirtError(OPERATION_INVALID, "blkio device tuning is not supported "
                        "on this host's cgroups")
    name = dict(THROTTLE).get(tag, "blkio.weight_device")
    if group.file("blkio", name) is None:
        if tag == "weight":
            raise VirtError(OPERATION_INVALID, "blkio device weight is valid only for "
                            "cfq scheduler")
        raise not_mounted("blkio")
    group.set("blkio", name, "%s %d" % (device_number(path), value))


def read_blkio_device(group, path, tag):
    """The value of *tag* (weight, read_bytes_sec ...) in force for *path*."""
    name = dict(THROTTLE).get(tag, "blkio.weight_device")
    text = group.get("blkio", name) or ""
    try:
        dev = device_number(path)
    except VirtError:
        return 0
    for line in text.splitlines():
        key, _, value = line.partition(" ")
        if key == dev:
            return int(value)
    return 0


# --- NUMA ----------------------------------------------------------------------------------
def write_nodeset(group, nodeset):
    """Memory nodes of the guest, its emulator and each vCPU."""
    targets = [group] + _subgroups(group, "emulator") + _subgroups(group, "vcpu") \
        + _subgroups(group, "iothread")
    for sub in targets:
        sub.set("cpuset", "cpuset.mems", nodeset)
