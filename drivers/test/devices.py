"""Test driver: vCPU/IOThread pinning, tuning, statistics and guest queries.

``DomainDevicesMixin`` is mixed into TestDomain (drivers/test/domain.py)
and uses its record (``self._rec()``, ``rec.defs(flags)``, ``rec.current``).
``DomainStatsMixin`` is mixed into TestConnection (``domstats``).
Behaviour, numbers and messages follow libvirt's test driver: counters
derived from the clock, a fixed guest clock of 627319920 s, two fake file
systems per guest, bandwidth and throttling kept in the definition.
"""
import time

from virtsh.drivers import domain as D
from virtsh.drivers.errors import (
    VirtError, ARGUMENT_UNSUPPORTED, CONFIG_UNSUPPORTED, INVALID_ARG,
    OPERATION_INVALID, OPERATION_UNSUPPORTED, SYSTEM_ERROR)
from virtsh.drivers import cpusets
from virtsh.drivers.macaddr import looks_like_mac

GUEST_CLOCK = 627319920          # testDomainObjPrivateAlloc's seconds
TOTAL_CPU_TIME = 48772617035     # ns, testDomainGetCPUStats
DISK_CAPACITY = 1099506450432
DISK_ALLOCATION = 1099511627776
BLOCK_IOTUNE_MAX = 10 ** 15
SAVE_MAGIC = b"TestGuestMagic\0"
NUMA_MODES = ("strict", "preferred", "interleave", "restrictive")
PERF_EVENTS = (
    "cmt", "mbmt", "mbml", "cpu_cycles", "instructions", "cache_references",
    "cache_misses", "branch_instructions", "branch_misses", "bus_cycles",
    "stalled_cycles_frontend", "stalled_cycles_backend", "ref_cpu_cycles",
    "cpu_clock", "task_clock", "page_faults", "context_switches",
    "cpu_migrations", "page_faults_min", "page_faults_maj",
    "alignment_faults", "emulation_faults")
BLKIO_DEVICE_PARAMS = (("device_weight", "weight"),
                       ("device_read_iops_sec", "read_iops_sec"),
                       ("device_write_iops_sec", "write_iops_sec"),
                       ("device_read_bytes_sec", "read_bytes_sec"),
                       ("device_write_bytes_sec", "write_bytes_sec"))
MEMORY_PARAMS = ("hard_limit", "soft_limit", "swap_hard_limit")
BANDWIDTH_PARAMS = (("inbound", "average"), ("inbound", "peak"),
                    ("inbound", "burst"), ("inbound", "floor"),
                    ("outbound", "average"), ("outbound", "peak"),
                    ("outbound", "burst"))
IOTUNE_PARAMS = (
    "total_bytes_sec", "read_bytes_sec", "write_bytes_sec", "total_iops_sec",
    "read_iops_sec", "write_iops_sec", "total_bytes_sec_max",
    "read_bytes_sec_max", "write_bytes_sec_max", "total_iops_sec_max",
    "read_iops_sec_max", "write_iops_sec_max", "size_iops_sec", "group_name",
    "total_bytes_sec_max_length", "read_bytes_sec_max_length",
    "write_bytes_sec_max_length", "total_iops_sec_max_length",
    "read_iops_sec_max_length", "write_iops_sec_max_length")
LIFECYCLE_TAGS = ("on_poweroff", "on_reboot", "on_crash")
LIFECYCLE_ACTIONS = ("destroy", "restart", "rename-restart", "preserve",
                     "coredump-destroy", "coredump-restart")
FILE_SYSTEMS = ("/", "/boot")


def unsupported_flags(flags, function):
    """virCheckFlags' error (printed without a prefix)."""
    return VirtError(INVALID_ARG, "unsupported flags (0x%x) in function %s"
                     % (flags, function), raw=True)


def check_flags(flags, allowed, function):
    if flags & ~allowed:
        raise unsupported_flags(flags & ~allowed, function)


def one_def(rec, flags):
    """libvirt's virDomainObjGetOneDef: the one definition *flags* select."""
    live, config = rec.defs(flags)
    return live if live is not None else config


def check_params(params, known):
    """virTypedParamsValidate: every name must be one of *known*."""
    for name, _ in params:
        if name not in known:
            raise VirtError(ARGUMENT_UNSUPPORTED, "parameter '%s' not supported" % name)


# --- definition lookups ---------------------------------------------------
def disks(tree):
    return tree.findall("devices/disk")


def disk_source(disk):
    """The path (or network name) of a disk's source, None when empty."""
    src = disk.find("source")
    if src is None:
        return None
    for attr in ("file", "dev", "dir", "name", "volume"):
        if src.get(attr):
            return src.get(attr)
    return None


def find_disk(tree, path):
    """libvirt's virDomainDiskByName: by target, then by source path."""
    for disk in disks(tree):
        target = disk.find("target")
        if target is not None and target.get("dev") == path:
            return disk
    for disk in disks(tree):
        if disk_source(disk) == path:
            return disk
    return None


def find_net(tree, device):
    """libvirt's virDomainNetFind: by MAC address or by host device name."""
    nets = tree.findall("devices/interface")
    if looks_like_mac(device):
        wanted = device.lower()
        found = [n for n in nets if (n.find("mac") is not None and
                                     n.find("mac").get("address", "").lower() == wanted)]
    else:
        found = [n for n in nets if n.find("target") is not None
                 and n.find("target").get("dev") == device]
    if not found:
        raise VirtError(INVALID_ARG, "'%s' is not a known interface" % device)
    return found[0]


def vcpu_counts(tree):
    v = tree.find("vcpu")
    if v is None:
        return 1, 1
    maximum = int(v.text.strip())
    return maximum, int(v.get("current", maximum))


def default_cpumask(tree, host_cpus):
    v = tree.find("vcpu")
    if v is not None and v.get("cpuset"):
        return cpusets.parse(v.get("cpuset"))
    return set(range(host_cpus))


def iothread_ids(tree):
    ids = [int(t.get("id")) for t in tree.findall("iothreadids/iothread")]
    if not ids:
        count = tree.findtext("iothreads")
        ids = list(range(1, int(count) + 1)) if count and count.strip() else []
    return ids


def pin_of(tree, tag, key, value):
    for pin in tree.findall("cputune/" + tag):
        if pin.get(key) == str(value):
            return pin
    return None


def set_pin(tree, tag, key, value, cpus):
    from virtsh.drivers.test.xmltree import child
    from lxml import etree
    cputune = child(tree, "cputune")
    pin = pin_of(tree, tag, key, value) if key else cputune.find(tag)
    if pin is None:
        pin = etree.Element(tag)
        if key:
            pin.set(key, str(value))
        cputune.append(pin)
    pin.set("cpuset", cpusets.format(cpus))


def number(elem, default=0):
    if elem is None or not (elem.text or "").strip():
        return default
    return int(elem.text.strip())


class DomainDevicesMixin:
    """Device, vCPU, tuning and statistics APIs of TestDomain."""

    # --- host figures -------------------------------------------------------
    def _node_info(self):
        try:
            return self.conn.get_node_info()
        except VirtError:
            return ("i686", 3145728, 16, 1400, 2, 2, 2, 2)

    def _host_cpus(self):
        """libvirt's VIR_NODEINFO_MAXCPUS of the test node."""
        info = self._node_info()
        return info[4] * info[5] * info[6] * info[7]

    def _guest(self, rec):
        """Per-domain guest state of libvirt's testDomainObjPrivate:
        the guest clock and which of the two file systems are frozen."""
        guest = rec.__dict__.get("guest")
        if guest is None:
            guest = rec.__dict__["guest"] = {"clock": (GUEST_CLOCK, 0),
                                             "frozen": set()}
        return guest

    # --- vCPUs ----------------------------------------------------------------
    def _vcpu_affinity(self, tree, vcpu):
        pin = pin_of(tree, "vcpupin", "vcpu", vcpu)
        if pin is not None:
            return cpusets.parse(pin.get("cpuset"))
        return default_cpumask(tree, self._host_cpus())

    def vcpus_info(self):
        rec = self._rec()
        if not rec.active:
            raise VirtError(OPERATION_INVALID, "cannot list vcpus for an inactive domain")
        tree = rec.current.tree
        cpu_time = time.time_ns() // 1000 // 10
        result = []
        for vcpu in range(vcpu_counts(tree)[1]):
            cpus = self._vcpu_affinity(tree, vcpu)
            result.append((vcpu, D.VCPU_RUNNING, cpu_time, max(cpus), cpus))
        return result

    def vcpu_pin_info(self, flags=0):
        tree = one_def(self._rec(), flags).tree
        return [self._vcpu_affinity(tree, v) for v in range(vcpu_counts(tree)[0])]

    def pin_vcpu(self, vcpu, cpus, flags=0):
        check_flags(flags, 0, "testDomainPinVcpuFlags")
        rec = self._rec()
        if not rec.active:
            raise VirtError(OPERATION_INVALID, "cannot pin vcpus on an inactive domain")
        tree = rec.live.tree
        if vcpu >= vcpu_counts(tree)[1]:
            raise VirtError(INVALID_ARG, "requested vcpu '%d' is not present in "
                            "the domain" % vcpu)
        set_pin(tree, "vcpupin", "vcpu", vcpu, cpus)

    def emulator_pin_info(self, flags=0):
        tree = one_def(self._rec(), flags).tree
        pin = tree.find("cputune/emulatorpin")
        if pin is not None:
            return cpusets.parse(pin.get("cpuset"))
        return default_cpumask(tree, self._host_cpus())

    def pin_emulator(self, cpus, flags=0):
        rec = self._rec()
        rec.touch()
        tree = one_def(rec, flags).tree
        if not cpus:
            raise VirtError(INVALID_ARG, "Empty cpu list for pinning")
        set_pin(tree, "emulatorpin", None, None, cpus)

    # --- IOThreads ----------------------------------------------------------
    def iothread_info(self, flags=0):
        import os
        tree = one_def(self._rec(), flags).tree
        every = default_cpumask(tree, os.cpu_count() or 1)
        result = []
        for ident in iothread_ids(tree):
            pin = pin_of(tree, "iothreadpin", "iothread", ident)
            result.append((ident, cpusets.parse(pin.get("cpuset")) if pin is not None
                           else every))
        return result

    def add_iothread(self, iothread_id, flags=0):
        from virtsh.drivers.test.xmltree import child
        from lxml import etree
        rec = self._rec()
        rec.touch()
        for defn in rec.defs(flags):
            if defn is None:
                continue
            tree = defn.tree
            ids = iothread_ids(tree)
            if iothread_id in ids:
                raise VirtError(INVALID_ARG, "an IOThread is already using "
                                "iothread_id '%d'" % iothread_id)
            holder = child(tree, "iothreadids")
            if not len(holder):
                for ident in ids:
                    etree.SubElement(holder, "iothread", id=str(ident))
            etree.SubElement(holder, "iothread", id=str(iothread_id))
            child(tree, "iothreads").text = str(len(ids) + 1)

    def del_iothread(self, iothread_id, flags=0):
        rec = self._rec()
        rec.touch()
        for defn in rec.defs(flags):
            if defn is None:
                continue
            tree = defn.tree
            ids = iothread_ids(tree)
            if iothread_id not in ids:
                raise VirtError(INVALID_ARG, "cannot find IOThread '%d' in "
                                "iothreadids list" % iothread_id)
            for elem in tree.findall("iothreadids/iothread"):
                if elem.get("id") == str(iothread_id):
                    elem.getparent().remove(elem)
            pin = pin_of(tree, "iothreadpin", "iothread", iothread_id)
            if pin is not None:
                pin.getparent().remove(pin)
            self._set_iothread_count(tree, len(ids) - 1)

    @staticmethod
    def _set_iothread_count(tree, count):
        from virtsh.drivers.test.xmltree import drop_if_empty
        if count:
            tree.find("iothreads").text = str(count)
            return
        for tag in ("iothreads", "iothreadids"):
            elem = tree.find(tag)
            if elem is not None:
                tree.remove(elem)
        drop_if_empty(tree, "cputune")

    def _require_iothread(self, tree, iothread_id):
        if iothread_id not in iothread_ids(tree):
            raise VirtError(INVALID_ARG, "cannot find IOThread '%d' in iothreadids "
                            "list" % iothread_id)

    def pin_iothread(self, iothread_id, cpus, flags=0):
        rec = self._rec()
        rec.touch()
        for defn in rec.defs(flags):
            if defn is not None:
                self._require_iothread(defn.tree, iothread_id)
                set_pin(defn.tree, "iothreadpin", "iothread", iothread_id, cpus)

    def set_iothread_params(self, iothread_id, params, flags=0):
        check_params(params, ("poll_max_ns", "poll_grow", "poll_shrink",
                              "thread_pool_min", "thread_pool_max"))
        rec = self._rec()
        for defn in rec.defs(flags):
            if defn is not None:
                self._require_iothread(defn.tree, iothread_id)

    # --- scheduler and perf -------------------------------------------------
    def scheduler_type(self):
        self._rec()
        return "fair", 1

    def scheduler_params(self, flags=0):
        # libvirt adds VIR_TYPED_PARAM_STRING_OKAY (4) to what callers pass
        check_flags(flags | 4 if flags else 0, 0, "testDomainGetSchedulerParametersFlags")
        self._rec()
        return [("weight", 50)]

    def set_scheduler_params(self, params, flags=0):
        check_flags(flags, 0, "testDomainSetSchedulerParametersFlags")
        check_params(params, ("weight",))
        self._rec()

    def perf_events(self, flags=0):
        tree = one_def(self._rec(), flags).tree
        enabled = {e.get("name") for e in tree.findall("perf/event")
                   if e.get("enabled") == "yes"}
        return [(name, name in enabled) for name in PERF_EVENTS]

    def set_perf_events(self, params, flags=0):
        from virtsh.drivers.test.xmltree import child
        from lxml import etree
        check_params(params, PERF_EVENTS)
        rec = self._rec()
        rec.touch()
        perf = child(one_def(rec, flags).tree, "perf")
        for name, on in params:
            event = next((e for e in perf.findall("event") if e.get("name") == name),
                         None)
            if event is None:
                event = etree.SubElement(perf, "event", name=name)
            event.set("enabled", "yes" if on else "no")

    # --- block I/O, memory and NUMA tuning ------------------------------------
    def blkio_params(self, flags=0):
        tree = one_def(self._rec(), flags).tree
        params = [("weight", number(tree.find("blkiotune/weight")))]
        devices = tree.findall("blkiotune/device")
        for name, tag in BLKIO_DEVICE_PARAMS:
            pairs = ["%s,%s" % (d.findtext("path"), d.findtext(tag)) for d in devices
                     if number(d.find(tag))]
            params.append((name, ",".join(pairs)))
        return params

    def set_blkio_params(self, params, flags=0):
        from virtsh.drivers.test.xmltree import child
        check_params(params, ["weight"] + [n for n, _ in BLKIO_DEVICE_PARAMS])
        rec = self._rec()
        rec.touch()
        tree = one_def(rec, flags).tree
        tags = dict(BLKIO_DEVICE_PARAMS)
        for name, value in params:
            blkiotune = child(tree, "blkiotune")
            if name == "weight":
                child(blkiotune, "weight").text = str(value)
            else:
                self._set_blkio_devices(blkiotune, tags[name], value, name)

    @staticmethod
    def _set_blkio_devices(blkiotune, tag, text, name):
        from lxml import etree
        words = text.split(",") if text else []
        if len(words) % 2:
            raise VirtError(INVALID_ARG, "unable to parse blkio device '%s'" % text)
        for path, value in zip(words[::2], words[1::2]):
            if not value.isdigit():
                raise VirtError(INVALID_ARG, "invalid value '%s' for parameter '%s' of "
                                "device '%s'" % (value, name, path))
            device = next((d for d in blkiotune.findall("device")
                           if d.findtext("path") == path), None)
            if device is None:
                device = etree.SubElement(blkiotune, "device")
                etree.SubElement(device, "path").text = path
            elem = device.find(tag)
            if elem is None:
                elem = etree.SubElement(device, tag)
            elem.text = value

    def memory_params(self, flags=0):
        tree = one_def(self._rec(), flags).tree
        result = []
        for name in MEMORY_PARAMS:
            elem = tree.find("memtune/" + name)
            if elem is None:
                result.append((name, D.MEMORY_PARAM_UNLIMITED))
            else:
                from virtsh.drivers.test.domain import memory_kib
                result.append((name, memory_kib(elem)))
        return result

    def set_memory_params(self, params, flags=0):
        from virtsh.drivers.test.xmltree import child
        check_params(params, MEMORY_PARAMS)
        rec = self._rec()
        rec.touch()
        tree = one_def(rec, flags).tree
        values = dict(params)
        current = dict(self.memory_params(flags))
        hard = values.get("hard_limit", current["hard_limit"])
        swap = values.get("swap_hard_limit", current["swap_hard_limit"])
        if ("hard_limit" in values or "swap_hard_limit" in values) and hard > swap:
            raise VirtError(INVALID_ARG, "memory hard_limit tunable value must be "
                            "lower than or equal to swap_hard_limit")
        for name in MEMORY_PARAMS:
            if name not in values:
                continue
            memtune = child(tree, "memtune")
            elem = child(memtune, name)
            if values[name] >= D.MEMORY_PARAM_UNLIMITED:
                memtune.remove(elem)
            else:
                elem.text = str(values[name])
                elem.set("unit", "KiB")
        from virtsh.drivers.test.xmltree import drop_if_empty
        drop_if_empty(tree, "memtune")

    def numa_params(self, flags=0):
        tree = one_def(self._rec(), flags).tree
        memory = tree.find("numatune/memory")
        mode = memory.get("mode", "strict") if memory is not None else "strict"
        nodeset = memory.get("nodeset", "") if memory is not None else ""
        return [("numa_mode", NUMA_MODES.index(mode)), ("numa_nodeset", nodeset)]

    def set_numa_params(self, params, flags=0):
        from virtsh.drivers.test.xmltree import child
        check_params(params, ("numa_mode", "numa_nodeset"))
        rec = self._rec()
        rec.touch()
        live, config = rec.defs(flags)
        tree = (live if live is not None else config).tree
        values = dict(params)
        mode = values.get("numa_mode")
        if mode is not None and not 0 <= mode < len(NUMA_MODES):
            raise VirtError(INVALID_ARG, "unsupported numatune mode: '%d'" % mode)
        nodeset = values.get("numa_nodeset")
        if nodeset is not None and not cpusets.parse(nodeset):
            raise VirtError(OPERATION_INVALID, "Invalid nodeset of 'numatune': %s"
                            % nodeset)
        memory = tree.find("numatune/memory")
        old_mode = memory.get("mode", "strict") if memory is not None else None
        if live is not None and mode is not None and old_mode is not None \
                and NUMA_MODES[mode] != old_mode:
            raise VirtError(OPERATION_INVALID, "can't change numatune mode for "
                            "running domain")
        if memory is None and nodeset is None:
            placement = tree.find("vcpu")
            if placement is None or placement.get("placement", "static") == "static":
                raise VirtError(CONFIG_UNSUPPORTED, "nodeset for NUMA memory tuning "
                                "must be set if 'placement' is 'static'")
        memory = child(child(tree, "numatune"), "memory")
        if mode is not None:
            memory.set("mode", NUMA_MODES[mode])
        elif "mode" not in memory.attrib:
            memory.set("mode", "strict")
        if nodeset is not None:
            memory.set("nodeset", cpusets.format(cpusets.parse(nodeset)))

    # --- interface bandwidth and disk throttling ------------------------------
    def interface_params(self, device, flags=0):
        net = find_net(one_def(self._rec(), flags).tree, device)
        result = []
        for direction, attr in BANDWIDTH_PARAMS:
            elem = net.find("bandwidth/" + direction)
            value = int(elem.get(attr, 0)) if elem is not None else 0
            result.append(("%s.%s" % (direction, attr), value))
        return result

    def set_interface_params(self, device, params, flags=0):
        from virtsh.drivers.test.xmltree import child
        from lxml import etree
        known = ["%s.%s" % p for p in BANDWIDTH_PARAMS]
        check_params(params, known)
        rec = self._rec()
        rec.touch()
        net = find_net(one_def(rec, flags).tree, device)
        values = dict(params)
        for direction, mandatory in (("inbound", ("average", "floor")),
                                     ("outbound", ("average",))):
            given = {k.split(".", 1)[1]: v for k, v in values.items()
                     if k.startswith(direction + ".")}
            specified = any(k in given for k in mandatory)
            if not given:
                continue
            bandwidth = child(net, "bandwidth")
            old = bandwidth.find(direction)
            if old is not None and (specified or any(given.values())):
                bandwidth.remove(old)
            if any(given.get(k) for k in mandatory):
                rate = etree.SubElement(bandwidth, direction)
                for attr in ("average", "peak", "burst", "floor"):
                    if given.get(attr):
                        rate.set(attr, str(given[attr]))
            ordered = sorted(bandwidth, key=lambda e: e.tag != "inbound")
            bandwidth[:] = ordered
            if not len(bandwidth):
                net.remove(bandwidth)

    def block_iotune(self, disk, flags=0):
        tree = one_def(self._rec(), flags).tree
        found = find_disk(tree, disk)
        if found is None:
            raise VirtError(INVALID_ARG, "disk '%s' was not found in the domain "
                            "config" % disk)
        iotune = found.find("iotune")
        result = []
        for name in IOTUNE_PARAMS:
            elem = iotune.find(name) if iotune is not None else None
            if name == "group_name":
                result.append((name, elem.text if elem is not None else ""))
            else:
                result.append((name, number(elem)))
        return result

    def set_block_iotune(self, disk, params, flags=0):
        check_params(params, IOTUNE_PARAMS)
        rec = self._rec()
        rec.touch()
        tree = one_def(rec, flags).tree
        found = find_disk(tree, disk)
        if found is None:
            raise VirtError(INVALID_ARG, "missing persistent configuration for "
                            "disk '%s'" % disk)
        info = dict(self.block_iotune(disk, flags))
        for name, value in params:
            if name != "group_name" and value > BLOCK_IOTUNE_MAX:
                raise VirtError(ARGUMENT_UNSUPPORTED, "block I/O throttle limit value "
                                "must be no more than %d" % BLOCK_IOTUNE_MAX)
            info[name] = value
        for kind in ("bytes_sec", "iops_sec", "bytes_sec_max", "iops_sec_max"):
            if info["total_" + kind] and (info["read_" + kind] or info["write_" + kind]):
                raise VirtError(INVALID_ARG, "total and read/write of %s cannot be "
                                "set at the same time" % kind)
        for name in ("total_bytes_sec", "read_bytes_sec", "write_bytes_sec",
                     "total_iops_sec", "read_iops_sec", "write_iops_sec"):
            if info[name] > info[name + "_max"]:
                raise VirtError(INVALID_ARG, "%s cannot be set higher than %s_max "
                                % (name, name))
        self._store_iotune(found, info)

    @staticmethod
    def _store_iotune(disk, info):
        
        from lxml import etree
        old = disk.find("iotune")
        if old is not None:
            disk.remove(old)
        iotune = etree.Element("iotune")
        for name in IOTUNE_PARAMS:
            if info[name]:
                etree.SubElement(iotune, name).text = str(info[name])
        if len(iotune):
            disk.append(iotune)

    # --- lifecycle actions and memory period ----------------------------------
    def set_lifecycle_action(self, type_, action, flags=0):
        check_flags(flags, D.AFFECT_LIVE | D.AFFECT_CONFIG, "testDomainSetLifecycleAction")
        if type_ != D.LIFECYCLE_CRASH and action in (D.ACTION_COREDUMP_DESTROY,
                                                     D.ACTION_COREDUMP_RESTART):
            raise VirtError(CONFIG_UNSUPPORTED, "Lifecycle event '%s' doesn't support "
                            "'%s' action" % (("poweroff", "reboot", "crash")[type_],
                                             LIFECYCLE_ACTIONS[action]))
        rec = self._rec()
        rec.touch()
        for defn in rec.defs(flags):
            if defn is not None:
                from virtsh.drivers.test.xmltree import child
                child(defn.tree, LIFECYCLE_TAGS[type_]).text = \
                    LIFECYCLE_ACTIONS[action]

    def set_memory_stats_period(self, period, flags=0):
        rec = self._rec()
        rec.touch()
        tree = one_def(rec, flags).tree
        balloon = tree.find("devices/memballoon")
        if balloon is None or balloon.get("model") == "none":
            from virtsh.drivers.errors import INTERNAL_ERROR
            raise VirtError(INTERNAL_ERROR, "No memory balloon device configured, "
                            "can not set the collection period")
        from virtsh.drivers.test.xmltree import child
        child(balloon, "stats").set("period", str(period))

    # --- statistics -----------------------------------------------------------
    def block_stats(self, path):
        if not path:
            raise VirtError(OPERATION_UNSUPPORTED,
                            "summary statistics are not supported yet")
        rec = self._active_rec()
        if find_disk(rec.current.tree, path) is None:
            raise VirtError(INVALID_ARG, "invalid path: %s" % path)
        base = time.time_ns() // 1000
        return [("rd_req", base // 10), ("rd_bytes", base // 20),
                ("wr_req", base // 30), ("wr_bytes", base // 40),
                ("errs", base // 2000000)]

    def interface_stats(self, device):
        rec = self._active_rec()
        find_net(rec.current.tree, device)
        base = time.time_ns() // 1000
        return [("rx_bytes", base // 10), ("rx_packets", base // 100),
                ("rx_errs", base // 1000000), ("rx_drop", base // 2000000),
                ("tx_bytes", base // 20), ("tx_packets", base // 110),
                ("tx_errs", base // 3000000), ("tx_drop", base // 4000000)]

    def memory_stats(self, flags=0):
        check_flags(flags, 0, "testDomainMemoryStats")
        rec = self._active_rec()
        balloon = rec.current.tree.find("devices/memballoon")
        if balloon is None or balloon.get("model") == "none":
            return []
        cur = rec.figures()[1]
        return [(D.MEMORY_STAT_ACTUAL_BALLOON, cur), (D.MEMORY_STAT_SWAP_IN, 0),
                (D.MEMORY_STAT_SWAP_OUT, 0), (D.MEMORY_STAT_MAJOR_FAULT, 0),
                (D.MEMORY_STAT_MINOR_FAULT, 0), (D.MEMORY_STAT_UNUSED, cur // 2),
                (D.MEMORY_STAT_AVAILABLE, cur), (D.MEMORY_STAT_USABLE, cur // 2),
                (D.MEMORY_STAT_LAST_UPDATE, GUEST_CLOCK),
                (D.MEMORY_STAT_DISK_CACHES, cur // 8),
                (D.MEMORY_STAT_HUGETLB_PGALLOC, 0), (D.MEMORY_STAT_HUGETLB_PGFAIL, 0),
                (D.MEMORY_STAT_RSS, cur // 2)]

    def block_info(self, path, flags=0):
        check_flags(flags, 0, "testDomainGetBlockInfo")
        disk = find_disk(self._rec().current.tree, path)
        if disk is None:
            raise VirtError(INVALID_ARG, "invalid path %s not assigned to domain" % path)
        if disk_source(disk) is None:
            raise VirtError(INVALID_ARG, "disk '%s' does not currently have a source "
                            "assigned" % path)
        return DISK_CAPACITY, DISK_ALLOCATION, DISK_ALLOCATION

    def disk_errors(self, flags=0):
        rec = self._active_rec()
        return [(d.find("target").get("dev"), i % 2 + 1)
                for i, d in enumerate(disks(rec.current.tree))]

    def control_info(self, flags=0):
        seconds = self._guest(self._active_rec())["clock"][0]
        if 0 < seconds < 10000:
            return D.CONTROL_JOB, 0, seconds
        if 10000 <= seconds < 30000:
            return D.CONTROL_OCCUPIED, 0, seconds - 10000
        if 30000 <= seconds < 60000:
            return D.CONTROL_ERROR, (0, 1, 2, 3)[seconds % 4], seconds - 30000
        return D.CONTROL_OK, 0, 0

    def cpu_stats(self, start_cpu, ncpus, flags=0):
        self._active_rec()
        if start_cpu == -1:
            return [("cpu_time", TOTAL_CPU_TIME), ("user_time", 5540000000),
                    ("system_time", 6460000000)]
        total = self._node_info()[6]
        if ncpus == 0:
            return total
        if start_cpu >= total:
            raise VirtError(INVALID_ARG, "start_cpu %d larger than maximum of %d"
                            % (start_cpu, total - 1))
        per_cpu = TOTAL_CPU_TIME // total
        return [[("cpu_time", per_cpu + i), ("vcpu_time", per_cpu + i - 1234567890)]
                for i in range(start_cpu, min(total, start_cpu + ncpus))]

    # --- guest ----------------------------------------------------------------
    def get_time(self, flags=0):
        rec = self._rec()
        if rec.state != D.RUNNING:
            raise VirtError(OPERATION_INVALID, "domain is not running")
        return self._guest(rec)["clock"]

    def set_time(self, seconds, nseconds, flags=0):
        check_flags(flags, D.TIME_SYNC, "testDomainSetTime")
        self._guest(self._active_rec())["clock"] = (seconds, nseconds)

    def hostname(self, flags=0):
        check_flags(flags, 0, "testDomainGetHostname")
        return "%shost" % self._active_rec().name

    def fs_info(self, flags=0):
        rec = self._active_rec()
        for disk in disks(rec.current.tree):
            if disk.get("device", "disk") == "disk":
                dev = disk.find("target").get("dev")
                return [("/", dev + "1", "ext4", [dev]), ("/boot", dev + "2", "ext4", [dev])]
        return []

    def _mounts(self, mountpoints):
        for mount in mountpoints:
            if mount not in FILE_SYSTEMS:
                raise VirtError(OPERATION_INVALID, "mount point not found: %s" % mount)
        return set(mountpoints or FILE_SYSTEMS)

    def fs_freeze(self, mountpoints=(), flags=0):
        frozen = self._guest(self._active_rec())["frozen"]
        wanted = self._mounts(mountpoints)
        newly = wanted - frozen
        frozen |= wanted
        return len(newly)

    def fs_thaw(self, mountpoints=(), flags=0):
        frozen = self._guest(self._active_rec())["frozen"]
        wanted = self._mounts(mountpoints)
        thawed = wanted & frozen
        frozen -= wanted
        return len(thawed)

    def fs_trim(self, mountpoint=None, minimum=0, flags=0):
        self._active_rec()
        if mountpoint:
            self._mounts([mountpoint])

    def set_user_password(self, user, password, flags=0):
        check_flags(flags, 1, "testDomainSetUserPassword")
        self._active_rec()

    def interface_addresses(self, source=0, flags=0):
        if source > D.IFADDR_SOURCE_ARP:
            raise VirtError(ARGUMENT_UNSUPPORTED, "Unknown IP address data source %d"
                            % source)
        rec = self._active_rec()
        result = []
        for i, net in enumerate(rec.current.tree.findall("devices/interface")):
            target = net.find("target")
            mac = net.find("mac")
            name = target.get("dev") if target is not None else ""
            hwaddr = mac.get("address") if mac is not None else ""
            if net.get("type") == "network":
                offset = 20 * (rec.id - 1) + i + 1
                addr = self._network_address(net.find("source").get("network"), offset)
            else:
                addr = (D.IP_ADDR_IPV4, "192.168.0.%d" % (i + 1), 24)
            result.append((name, hwaddr, [addr]))
        return result

    def _network_address(self, network, offset):
        """The address libvirt's test driver makes up for an interface on
        *network*: its first DHCP range start (or its own address) + offset."""
        import ipaddress
        from lxml import etree
        root = etree.fromstring(self.conn.lookup_network_by_name(network).xml_desc())
        ip = root.find("ip")
        if ip.get("prefix"):
            prefix = int(ip.get("prefix"))
        elif ip.get("netmask"):
            prefix = ipaddress.ip_network("0.0.0.0/" + ip.get("netmask")).prefixlen
        else:
            prefix = 24 if ip.get("family") != "ipv6" else 64
        start = ip.find("dhcp/range")
        base = ipaddress.ip_address(start.get("start") if start is not None
                                    else ip.get("address"))
        kind = D.IP_ADDR_IPV6 if base.version == 6 else D.IP_ADDR_IPV4
        return kind, str(base + offset), prefix

    def screenshot(self, screen=0, flags=0):
        check_flags(flags, 0, "testDomainScreenshot")
        self._rec()
        from virtsh.drivers.test import screenshot
        return "image/png", screenshot.PNG

    def send_key(self, codeset, holdtime, keycodes, flags=0):
        check_flags(flags, 0, "testDomainSendKey")
        self._active_rec()

    def core_dump(self, path, flags=0):
        self.core_dump_with_format(path, D.CORE_DUMP_FORMAT_RAW, flags)

    def core_dump_with_format(self, path, dumpformat, flags=0):
        check_flags(flags, D.DUMP_CRASH, "testDomainCoreDumpWithFormat")
        rec = self._active_rec()
        try:
            with open(path, "wb") as f:
                f.write(SAVE_MAGIC)
        except OSError as e:
            raise VirtError(SYSTEM_ERROR, "domain '%s' coredump: failed to open %s: %s"
                            % (rec.name, path, e.strerror)) from None
        if dumpformat != D.CORE_DUMP_FORMAT_RAW:
            raise VirtError(OPERATION_UNSUPPORTED,
                            "kdump-compressed format is not supported here")
        if flags & D.DUMP_CRASH:
            self._stopped(rec, 3)        # VIR_DOMAIN_SHUTOFF_CRASHED

    def launch_security_info(self, flags=0):
        # libvirt asks every driver with VIR_TYPED_PARAM_STRING_OKAY (0x4),
        # which the test driver does not accept.
        raise unsupported_flags(flags | 4, "testDomainGetLaunchSecurityInfo")


class DomainStatsMixin:
    """``virConnectGetAllDomainStats`` of TestConnection (only the state
    group, as libvirt's test driver) and domain event registration."""

    SUPPORTED_STATS = D.STATS_STATE
    LIST_FLAGS = 0xffff

    def get_all_domain_stats(self, stats=0, flags=0):
        return self.domain_list_get_stats(
            self.list_all_domains(flags & self.LIST_FLAGS), stats, flags)

    def domain_list_get_stats(self, domains, stats=0, flags=0):
        extra = stats & ~self.SUPPORTED_STATS
        if extra and flags & D.STATS_ENFORCE_STATS:
            raise VirtError(ARGUMENT_UNSUPPORTED, "Stats types bits 0x%x are not "
                            "supported by this daemon" % extra)
        wanted = stats & self.SUPPORTED_STATS if stats else self.SUPPORTED_STATS
        records = []
        for dom in domains:
            fields = []
            if wanted & D.STATS_STATE:
                state, reason = dom.state()
                fields += [("state.state", state), ("state.reason", reason)]
            records.append((dom, fields))
        return records

    # --- events ---------------------------------------------------------------
    def domain_event_register(self, domain, event_id, callback):
        """Remember *callback*; the test node raises no events of its own
        while a single command waits, as with libvirt in one process."""
        callbacks = self.__dict__.setdefault("_event_callbacks", {})
        callback_id = len(callbacks) + 1
        callbacks[callback_id] = (domain, event_id, callback)
        return callback_id

    def domain_event_deregister(self, callback_id):
        callbacks = self.__dict__.get("_event_callbacks", {})
        if callbacks.pop(callback_id, None) is None:
            raise VirtError(INVALID_ARG, "could not find event callback %d for "
                            "deregistration" % callback_id)
