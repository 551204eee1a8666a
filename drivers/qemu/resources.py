"""Memory and vCPUs of QEMU guests: balloon, vCPU hotplug, pinning.

A mixin of QemuDomain.  The persistent definition changes through
edits.editing; a running guest changes through QMP (``balloon``,
``device_add`` of a CPU, thread affinity) and its live definition records
what QEMU reports.
"""
import os

from virtsh.drivers import domain as D
from virtsh.drivers.errors import (VirtError, INVALID_ARG, OPERATION_INVALID,
                                   OPERATION_FAILED)
from virtsh.drivers.qemu import edits
from virtsh.drivers.qemu.running import RunningBase

AFFECT = D.AFFECT_LIVE | D.AFFECT_CONFIG


def memory_kib(root, tag):
    from virtsh.drivers.qemu.command import memory_kib as kib
    return kib(root, tag) or 0


def set_memory_elem(root, tag, kib):
    from lxml import etree
    elem = root.find(tag)
    if elem is None:
        elem = etree.SubElement(root, tag)
    elem.text = str(kib)
    elem.set("unit", "KiB")


def vcpu_counts(root):
    """(maximum, current) vCPUs of a definition."""
    v = root.find("vcpu")
    if v is None:
        return 1, 1
    maximum = int(v.text.strip())
    return maximum, int(v.get("current", maximum))


def set_vcpu_counts(root, maximum=None, current=None):
    """Store vCPU counts as libvirt does (``current=`` only when lower)."""
    from lxml import etree
    v = root.find("vcpu")
    if v is None:
        v = etree.SubElement(root, "vcpu", placement="static")
    old_max, old_cur = vcpu_counts(root)
    maximum = old_max if maximum is None else maximum
    current = min(old_cur if current is None else current, maximum)
    v.text = str(maximum)
    if current < maximum:
        v.set("current", str(current))
    else:
        v.attrib.pop("current", None)


def refresh_balloon(root, mon):
    """Record the balloon size QEMU reports as the live currentMemory."""
    if root.find("devices/memballoon[@model='none']") is not None:
        return
    try:
        actual = mon.cmd("query-balloon")["actual"]
    except VirtError:
        return
    set_memory_elem(root, "currentMemory", actual // 1024)


def setup_balloon(root, mon):
    """At start: ask the balloon for currentMemory, record what QEMU says."""
    if root.find("devices/memballoon[@model='none']") is not None:
        return
    current = memory_kib(root, "currentMemory")
    if current and current < memory_kib(root, "memory"):
        try:
            mon.cmd("balloon", value=current * 1024)
        except VirtError:
            pass
    refresh_balloon(root, mon)


def _thread_stat(pid, tid):
    """(cpu time ns, host CPU last run on) of a thread of *pid*."""
    try:
        with open("/proc/%d/task/%d/stat" % (pid, tid), "rb") as f:
            stat = f.read()
    except OSError:
        return 0, 0
    fields = stat[stat.rindex(b")") + 2:].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks * 1000000000 // os.sysconf("SC_CLK_TCK"), int(fields[36])


class ResourcesMixin(RunningBase):
    """setmem, setmaxmem, setvcpus, vcpucount, vcpuinfo, vcpupin, emulatorpin."""

    # --- memory -------------------------------------------------------------
    def set_memory(self, kib, flags=0):
        if kib == 0:
            raise VirtError(INVALID_ARG, "memory in virDomainSetMemoryFlags must "
                            "not be zero", raw=True)
        with edits.editing(self, flags & AFFECT) as defs:
            if flags & D.MEM_MAXIMUM:
                if defs.live is not None:
                    raise VirtError(OPERATION_INVALID, "cannot resize the maximum "
                                    "memory on an active domain")
                root = defs.config
                set_memory_elem(root, "memory", kib)
                if memory_kib(root, "currentMemory") > kib:
                    set_memory_elem(root, "currentMemory", kib)
                return
            for root in defs.selected():
                if kib > memory_kib(root, "memory"):
                    raise VirtError(INVALID_ARG, "cannot set memory higher than max memory")
            if defs.config is not None:
                set_memory_elem(defs.config, "currentMemory", kib)
            if defs.live is not None:
                if defs.live.find("devices/memballoon[@model='none']") is not None:
                    raise VirtError(OPERATION_INVALID, "Unable to change memory of active "
                                    "domain without the balloon device and guest OS "
                                    "balloon driver")
                mon = self._monitor()
                try:
                    mon.cmd("balloon", value=kib * 1024)
                    refresh_balloon(defs.live, mon)
                finally:
                    mon.close()

    # --- vCPU counts ----------------------------------------------------------
    def set_vcpus(self, count, flags=0):
        if flags & D.VCPU_GUEST:
            return self._set_vcpus_by_agent(count, flags)
        if count == 0:
            raise VirtError(INVALID_ARG, "argument unsupported: cannot set vcpus to 0")
        with edits.editing(self, flags & AFFECT) as defs:
            if defs.live is not None and flags & D.VCPU_MAXIMUM:
                raise VirtError(INVALID_ARG, "maximum vcpu count of a live domain "
                                "can't be modified")
            for root in defs.selected():
                limit = vcpu_counts(root)[0]
                if not (flags & D.VCPU_MAXIMUM and root is defs.config) and count > limit:
                    raise VirtError(INVALID_ARG, "requested vcpus is greater than max "
                                    "allowable vcpus for the %s domain: %d > %d"
                                    % ("live" if root is defs.live else "persistent",
                                       count, limit))
            if defs.live is not None:
                self._hotplug_vcpus(defs.live, count)
            if defs.config is not None:
                if flags & D.VCPU_MAXIMUM:
                    set_vcpu_counts(defs.config, maximum=count)
                else:
                    set_vcpu_counts(defs.config, current=count)

    def _hotplug_vcpus(self, live, count):
        """Plug or unplug CPU devices until *count* vCPUs are online."""
        mon = self._monitor()
        try:
            cpus = mon.cmd("query-hotpluggable-cpus")
            cpus.sort(key=lambda c: tuple(sorted(c["props"].items())))
            online = [c for c in cpus if c.get("qom-path")]
            offline = [c for c in cpus if not c.get("qom-path")]
            if count > len(online):
                for n, cpu in enumerate(offline[:count - len(online)], len(online)):
                    mon.cmd("device_add", driver=cpu["type"], id="vcpu%d" % n,
                            **cpu["props"])
            elif count < len(online):
                for n in range(len(online) - 1, count - 1, -1):
                    path = online[n]["qom-path"]
                    if not path.startswith("/machine/peripheral/"):
                        raise VirtError(OPERATION_INVALID,
                                        "vcpu '%d' can't be unplugged" % n)
                    mon.cmd("device_del", id=path.rsplit("/", 1)[1])
                    self._wait_device_deleted(mon, path)
            present = len([c for c in mon.cmd("query-hotpluggable-cpus")
                           if c.get("qom-path")])
        finally:
            mon.close()
        set_vcpu_counts(live, current=present)

    @staticmethod
    def _wait_device_deleted(mon, path, timeout=5.0):
        import time
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not any(c.get("qom-path") == path
                       for c in mon.cmd("query-hotpluggable-cpus")):
                return
            time.sleep(0.1)
        raise VirtError(OPERATION_FAILED, "vcpu unplug request timed out. Unplug "
                        "result must be manually inspected in the domain")

    def vcpus_flags(self, flags=0):
        if flags & D.VCPU_GUEST:
            return self._vcpus_by_agent(flags)
        edits.one_of(flags)
        defs = edits.read(self, flags & AFFECT)
        maximum, current = vcpu_counts(defs.selected()[0])
        return maximum if flags & D.VCPU_MAXIMUM else current

    def max_vcpus(self):
        return self.vcpus_flags(D.AFFECT_LIVE | D.VCPU_MAXIMUM)

    # --- vCPU threads and pinning -------------------------------------------
    def _host_cpus(self):
        return os.cpu_count() or 1

    def _affinity(self, root, tag, key=None, value=None):
        from virtsh.drivers import cpusets
        for pin in root.findall("cputune/" + tag):
            if key is None or pin.get(key) == str(value):
                return cpusets.parse(pin.get("cpuset"))
        v = root.find("vcpu")
        if v is not None and v.get("cpuset"):
            return cpusets.parse(v.get("cpuset"))
        return set(range(self._host_cpus()))

    def vcpus_info(self):
        status = self._status()
        if status is None:
            if not self.exists():
                raise self._gone()
            raise VirtError(OPERATION_INVALID, "cannot list vcpus for an inactive domain")
        mon = self._monitor()
        try:
            threads = mon.cmd("query-cpus-fast")
        finally:
            mon.close()
        out = []
        for cpu in sorted(threads, key=lambda c: c["cpu-index"]):
            tid = cpu["thread-id"]
            cpu_time, host_cpu = _thread_stat(status["pid"], tid)
            try:
                affinity = os.sched_getaffinity(tid)
            except OSError:
                affinity = set(range(self._host_cpus()))
            out.append((cpu["cpu-index"], D.VCPU_RUNNING, cpu_time, host_cpu, affinity))
        return out

    def vcpu_pin_info(self, flags=0):
        edits.one_of(flags)
        root = edits.read(self, flags & AFFECT).selected()[0]
        return [self._affinity(root, "vcpupin", "vcpu", n)
                for n in range(vcpu_counts(root)[0])]

    def pin_vcpu(self, vcpu, cpus, flags=0):
        from virtsh.drivers.deftree import set_pin
        if not cpus:
            raise VirtError(INVALID_ARG, "Empty cpu list for pinning")
        with edits.editing(self, flags & AFFECT) as defs:
            for root in defs.selected():
                if vcpu >= vcpu_counts(root)[0]:
                    raise VirtError(INVALID_ARG, "vcpu %d is out of range of %s cpu "
                                    "count %d" % (vcpu, "live" if root is defs.live
                                                  else "persistent", vcpu_counts(root)[0]))
            if defs.live is not None:
                tid = self._vcpu_thread(vcpu)
                _set_affinity(tid, cpus)
            for root in defs.selected():
                set_pin(root, "vcpupin", "vcpu", vcpu, cpus)

    def pin_vcpu_live(self, vcpu, cpus):
        self.pin_vcpu(vcpu, cpus, D.AFFECT_LIVE)

    def _vcpu_thread(self, vcpu):
        mon = self._monitor()
        try:
            threads = mon.cmd("query-cpus-fast")
        finally:
            mon.close()
        for cpu in threads:
            if cpu["cpu-index"] == vcpu:
                return cpu["thread-id"]
        raise VirtError(INVALID_ARG, "vcpu %d is not online" % vcpu)

    def emulator_pin_info(self, flags=0):
        edits.one_of(flags)
        root = edits.read(self, flags & AFFECT).selected()[0]
        return self._affinity(root, "emulatorpin")

    def pin_emulator(self, cpus, flags=0):
        from virtsh.drivers.deftree import set_pin
        if not cpus:
            raise VirtError(INVALID_ARG, "Empty cpu list for pinning")
        with edits.editing(self, flags & AFFECT) as defs:
            if defs.live is not None:
                mon = self._monitor()
                try:
                    vcpus, iothreads = guest_threads(mon)
                finally:
                    mon.close()
                special = set(vcpus.values()) | set(iothreads.values())
                for tid in emulator_threads(defs.status["pid"], special):
                    _set_affinity(tid, cpus)
            for root in defs.selected():
                set_pin(root, "emulatorpin", None, None, cpus)


def guest_threads(mon):
    """({vCPU index: thread id}, {I/O thread id: thread id}) of a running QEMU."""
    vcpus = {c["cpu-index"]: c["thread-id"] for c in mon.cmd("query-cpus-fast")}
    iothreads = {int(t["id"][8:]): t["thread-id"] for t in mon.cmd("query-iothreads")
                 if t["id"].startswith("iothread") and t["id"][8:].isdigit()}
    return vcpus, iothreads


def emulator_threads(pid, special):
    """QEMU's threads that are neither vCPUs nor I/O threads (*special*)."""
    try:
        tids = [int(t) for t in os.listdir("/proc/%d/task" % pid)]
    except OSError:
        return [pid]
    return [t for t in tids if t not in special]


def pin_at_start(root, mon, pid):
    """Pin QEMU's threads as ``<vcpu cpuset>``, ``<vcpupin>``,
    ``<iothreadpin>`` and ``<emulatorpin>`` say, as a start does in libvirt
    (the cpuset of ``<vcpu>`` is everyone's default)."""
    from virtsh.drivers import cpusets
    vcpu = root.find("vcpu")
    default = cpusets.parse(vcpu.get("cpuset")) if vcpu is not None and \
        vcpu.get("cpuset") else None
    pins = {(p.tag, p.get("vcpu") or p.get("iothread")): cpusets.parse(p.get("cpuset"))
            for p in root.findall("cputune/*")
            if p.tag in ("vcpupin", "emulatorpin", "iothreadpin") and p.get("cpuset")}
    if default is None and not pins:
        return
    vcpus, iothreads = guest_threads(mon)
    for kind, threads in (("vcpupin", vcpus), ("iothreadpin", iothreads)):
        for n, tid in threads.items():
            cpus = pins.get((kind, str(n)), default)
            if cpus:
                _set_affinity(tid, cpus)
    cpus = pins.get(("emulatorpin", None), default)
    if cpus:
        special = set(vcpus.values()) | set(iothreads.values())
        for tid in emulator_threads(pid, special):
            _set_affinity(tid, cpus)


def _set_affinity(tid, cpus):
    try:
        os.sched_setaffinity(tid, cpus)
    except OSError as e:
        raise VirtError(OPERATION_FAILED, "cannot set CPU affinity on process %d: %s"
                        % (tid, e.strerror)) from None
