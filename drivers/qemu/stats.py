"""Statistics of QEMU guests: disks, NICs, memory, CPU time, jobs.

A mixin of QemuDomain.  Counters come from QMP (``query-blockstats``,
``query-balloon``, the balloon's ``guest-stats``), from the host (tap
device counters in sysfs, QEMU's threads in /proc) and, for sizes of disk
images, from the image files themselves, as libvirt does for local files.
"""
import os

from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError, INTERNAL_ERROR, INVALID_ARG
from virtsh.drivers.qemu import edits
from virtsh.drivers.qemu.running import RunningBase

QCOW2_MAGIC = b"QFI\xfb"
UNKNOWN = 1 << 63               # QEMU's guest-stats value for "not reported"


def _find_disk(root, path):
    """libvirt's virDomainDiskByName: by target, then by source path."""
    disks = root.findall("devices/disk")
    for disk in disks:
        target = disk.find("target")
        if target is not None and target.get("dev") == path:
            return disk
    for disk in disks:
        if _source(disk) == path:
            return disk
    return None


def _source(disk):
    src = disk.find("source")
    if src is None:
        return None
    return src.get("file") or src.get("dev")


def image_sizes(path):
    """(capacity, allocation, physical) in bytes of a local image file or
    block device: the guest-visible size, the bytes in use on the host,
    the file's size."""
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        physical = f.seek(0, os.SEEK_END)
        f.seek(0)
        header = f.read(32)
    capacity = physical
    if header[:4] == QCOW2_MAGIC:
        capacity = int.from_bytes(header[24:32], "big")
    import stat
    allocation = physical if stat.S_ISBLK(st.st_mode) else st.st_blocks * 512
    return capacity, allocation, physical


def _qdev_matches(entry, alias):
    qdev = entry.get("qdev", "")
    return qdev == alias or qdev.startswith("/machine/peripheral/%s/" % alias)


def _tap_counters(dev):
    """rx/tx counters of a host tap device, seen from the guest (swapped)."""
    base = "/sys/class/net/%s/statistics/" % dev

    def read(name):
        try:
            with open(base + name) as f:
                return int(f.read())
        except OSError:
            raise VirtError(INTERNAL_ERROR, "Interface '%s' not found" % dev) from None
    return [("rx_bytes", read("tx_bytes")), ("rx_packets", read("tx_packets")),
            ("rx_errs", read("tx_errors")), ("rx_drop", read("tx_dropped")),
            ("tx_bytes", read("rx_bytes")), ("tx_packets", read("rx_packets")),
            ("tx_errs", read("rx_errors")), ("tx_drop", read("rx_dropped"))]


_GUEST_STATS = (("stat-swap-in", D.MEMORY_STAT_SWAP_IN),
                ("stat-swap-out", D.MEMORY_STAT_SWAP_OUT),
                ("stat-major-faults", D.MEMORY_STAT_MAJOR_FAULT),
                ("stat-minor-faults", D.MEMORY_STAT_MINOR_FAULT),
                ("stat-free-memory", D.MEMORY_STAT_UNUSED),
                ("stat-total-memory", D.MEMORY_STAT_AVAILABLE),
                ("stat-available-memory", D.MEMORY_STAT_USABLE),
                ("stat-disk-caches", D.MEMORY_STAT_DISK_CACHES),
                ("stat-htlb-pgalloc", D.MEMORY_STAT_HUGETLB_PGALLOC),
                ("stat-htlb-pgfail", D.MEMORY_STAT_HUGETLB_PGFAIL))
_IN_PAGES = {D.MEMORY_STAT_SWAP_IN, D.MEMORY_STAT_SWAP_OUT,
             D.MEMORY_STAT_MAJOR_FAULT, D.MEMORY_STAT_MINOR_FAULT,
             D.MEMORY_STAT_HUGETLB_PGALLOC, D.MEMORY_STAT_HUGETLB_PGFAIL}


def _rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _threads_by_cpu(pid):
    """{host cpu: cpu time ns} of QEMU's threads, by the CPU each last ran on."""
    from virtsh.drivers.qemu.resources import _thread_stat
    out = {}
    try:
        tids = [int(t) for t in os.listdir("/proc/%d/task" % pid)]
    except OSError:
        return out
    for tid in tids:
        ns, cpu = _thread_stat(pid, tid)
        out[cpu] = out.get(cpu, 0) + ns
    return out


class StatsMixin(RunningBase):
    """domblkstat, domifstat, dommemstat, domblkinfo, cpu-stats, domjobinfo ..."""

    def _live_root(self):
        return edits.read(self, D.AFFECT_LIVE).live

    # --- disks ----------------------------------------------------------------
    def block_stats_flags(self, path, flags=0):
        self._running_status()
        root = self._live_root()
        disk = _find_disk(root, path) if path else None
        if path and disk is None:
            raise VirtError(INVALID_ARG, "invalid path: %s" % path)
        mon = self._monitor()
        try:
            entries = mon.cmd("query-blockstats")
        finally:
            mon.close()
        alias = disk.find("alias").get("name") if disk is not None and \
            disk.find("alias") is not None else None
        picked = [e["stats"] for e in entries
                  if alias is None or _qdev_matches(e, alias)]
        if not picked:
            raise VirtError(INTERNAL_ERROR, "cannot find statistics for device '%s'"
                            % path)
        total = {}
        for stats in picked:
            for key, value in stats.items():
                if isinstance(value, int) and not isinstance(value, bool):
                    total[key] = total.get(key, 0) + value
        return [("rd_operations", total.get("rd_operations", 0)),
                ("rd_bytes", total.get("rd_bytes", 0)),
                ("wr_operations", total.get("wr_operations", 0)),
                ("wr_bytes", total.get("wr_bytes", 0)),
                ("flush_operations", total.get("flush_operations", 0)),
                ("rd_total_times", total.get("rd_total_time_ns", 0)),
                ("wr_total_times", total.get("wr_total_time_ns", 0)),
                ("flush_total_times", total.get("flush_total_time_ns", 0))]

    def block_stats(self, path):
        stats = dict(self.block_stats_flags(path))
        return [("rd_req", stats["rd_operations"]), ("rd_bytes", stats["rd_bytes"]),
                ("wr_req", stats["wr_operations"]), ("wr_bytes", stats["wr_bytes"]),
                ("errs", -1)]

    def block_info(self, path, flags=0):
        active = self.is_active()
        root = edits.read(self, D.AFFECT_LIVE if active else D.AFFECT_CONFIG).selected()[0]
        disk = _find_disk(root, path)
        if disk is None:
            raise VirtError(INVALID_ARG, "invalid path %s not assigned to domain" % path)
        source = _source(disk)
        if source is None:
            raise VirtError(INVALID_ARG, "disk '%s' does not currently have a source "
                            "assigned" % path)
        try:
            return image_sizes(source)
        except OSError as e:
            from virtsh.drivers.errors import SYSTEM_ERROR
            raise VirtError(SYSTEM_ERROR, "cannot stat file '%s': %s"
                            % (source, e.strerror)) from None

    def disk_errors(self, flags=0):
        self._running_status()
        root = self._live_root()
        mon = self._monitor()
        try:
            blocks = mon.cmd("query-block")
        finally:
            mon.close()
        codes = {"failed": D.DISK_ERROR_UNSPEC, "nospace": D.DISK_ERROR_NO_SPACE}
        out = []
        for disk in root.findall("devices/disk"):
            alias = disk.find("alias")
            for block in blocks:
                if alias is not None and _qdev_matches(block, alias.get("name")) and \
                        block.get("io-status") in codes:
                    out.append((disk.find("target").get("dev"), codes[block["io-status"]]))
        return out

    # --- interfaces -------------------------------------------------------------
    def interface_stats(self, device):
        from virtsh.drivers.macaddr import looks_like_mac
        self._running_status()
        root = self._live_root()
        nets = root.findall("devices/interface")
        if looks_like_mac(device):
            found = [n for n in nets if n.find("mac") is not None and
                     n.find("mac").get("address", "").lower() == device.lower()]
        else:
            found = [n for n in nets if n.find("target") is not None
                     and n.find("target").get("dev") == device]
        if not found:
            raise VirtError(INVALID_ARG, "'%s' is not a known interface" % device)
        target = found[0].find("target")
        if target is None or not target.get("dev"):
            raise VirtError(INTERNAL_ERROR, "Interface name not provided")
        return _tap_counters(target.get("dev"))

    # --- memory -------------------------------------------------------------------
    def memory_stats(self, flags=0):
        status = self._running_status()
        root = self._live_root()
        out = []
        if root.find("devices/memballoon[@model='none']") is None:
            mon = self._monitor()
            try:
                actual = mon.cmd("query-balloon")["actual"] // 1024
                try:
                    guest = mon.cmd("qom-get", path="/machine/peripheral/balloon0",
                                    property="guest-stats")
                except VirtError:
                    guest = {}
            finally:
                mon.close()
            stats = guest.get("stats", {})
            for key, tag in _GUEST_STATS:
                value = stats.get(key, -1)
                if 0 <= value < UNKNOWN:
                    out.append((tag, value if tag in _IN_PAGES else value // 1024))
            out.append((D.MEMORY_STAT_ACTUAL_BALLOON, actual))
            out.append((D.MEMORY_STAT_LAST_UPDATE, guest.get("last-update", 0)))
        out.append((D.MEMORY_STAT_RSS, _rss_kib(status["pid"])))
        return out

    def set_memory_stats_period(self, period, flags=0):
        with edits.editing(self, flags & (D.AFFECT_LIVE | D.AFFECT_CONFIG)) as defs:
            for root in defs.selected():
                balloon = root.find("devices/memballoon")
                if balloon is None or balloon.get("model") == "none":
                    raise VirtError(INVALID_ARG, "No memory balloon device configured, "
                                    "can not set the collection period")
            if defs.live is not None:
                mon = self._monitor()
                try:
                    mon.cmd("qom-set", path="/machine/peripheral/balloon0",
                            property="guest-stats-polling-interval", value=period)
                finally:
                    mon.close()
            from lxml import etree
            for root in defs.selected():
                balloon = root.find("devices/memballoon")
                stats = balloon.find("stats")
                if stats is None:
                    stats = etree.SubElement(balloon, "stats")
                stats.set("period", str(period))

    # --- CPU time -------------------------------------------------------------------
    def cpu_stats(self, start_cpu, ncpus, flags=0):
        from virtsh.drivers.qemu.store import cpu_time_ns
        status = self._running_status()
        if start_cpu == -1:
            pid = status["pid"]
            try:
                with open("/proc/%d/stat" % pid, "rb") as f:
                    stat = f.read()
                fields = stat[stat.rindex(b")") + 2:].split()
                tick = 1000000000 // os.sysconf("SC_CLK_TCK")
                user, system = int(fields[11]) * tick, int(fields[12]) * tick
            except OSError:
                user = system = 0
            return [("cpu_time", cpu_time_ns(pid)), ("user_time", user),
                    ("system_time", system)]
        total = os.cpu_count() or 1
        if ncpus == 0:
            return total
        if start_cpu >= total:
            raise VirtError(INVALID_ARG, "start_cpu %d larger than maximum of %d"
                            % (start_cpu, total - 1))
        by_cpu = _threads_by_cpu(status["pid"])
        return [[("cpu_time", by_cpu.get(cpu, 0))]
                for cpu in range(start_cpu, min(total, start_cpu + ncpus))]

    # --- jobs and the monitor ---------------------------------------------------------
    def job_stats(self, flags=0):
        from virtsh.drivers.qemu import jobs
        return jobs.stats(self, flags)

    def job_info(self):
        return self.job_stats()

    def control_info(self, flags=0):
        self._running_status()
        return D.CONTROL_OK, 0, 0
