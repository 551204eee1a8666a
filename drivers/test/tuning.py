"""Test driver: scheduler, perf, block I/O, memory, NUMA and bandwidth
tuning, disk throttling and lifecycle actions of a domain.

``DomainTuningMixin`` is part of TestDomain (through DomainDevicesMixin);
every setting lives in the domain's definition tree, so dumpxml shows it,
as with libvirt's test driver.
"""
from virtsh.drivers import domain as D
from virtsh.drivers.errors import (
    VirtError, ARGUMENT_UNSUPPORTED, CONFIG_UNSUPPORTED, INVALID_ARG, OPERATION_INVALID)
from virtsh.drivers.test.apichecks import check_flags, check_params, one_def
from virtsh.drivers.deftree import child, drop_if_empty, find_disk, find_net, number
from virtsh.drivers.tuningdefs import (
    BLKIO_DEVICE_PARAMS, NUMA_MODES, check_nodeset_given, numa_request, set_blkio_devices)

BLOCK_IOTUNE_MAX = 10 ** 15
PERF_EVENTS = (
    "cmt", "mbmt", "mbml", "cpu_cycles", "instructions", "cache_references",
    "cache_misses", "branch_instructions", "branch_misses", "bus_cycles",
    "stalled_cycles_frontend", "stalled_cycles_backend", "ref_cpu_cycles",
    "cpu_clock", "task_clock", "page_faults", "context_switches",
    "cpu_migrations", "page_faults_min", "page_faults_maj",
    "alignment_faults", "emulation_faults")
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


class DomainTuningMixin:
    """Tuning APIs of TestDomain."""

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
                set_blkio_devices(blkiotune, tags[name], value, name)
        drop_if_empty(tree, "blkiotune")

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
        drop_if_empty(tree, "memtune")

    def numa_params(self, flags=0):
        tree = one_def(self._rec(), flags).tree
        memory = tree.find("numatune/memory")
        mode = memory.get("mode", "strict") if memory is not None else "strict"
        nodeset = memory.get("nodeset", "") if memory is not None else ""
        return [("numa_mode", NUMA_MODES.index(mode)), ("numa_nodeset", nodeset)]

    def set_numa_params(self, params, flags=0):
        check_params(params, ("numa_mode", "numa_nodeset"))
        rec = self._rec()
        rec.touch()
        live, config = rec.defs(flags)
        tree = (live if live is not None else config).tree
        mode, nodeset = numa_request(params)
        memory = tree.find("numatune/memory")
        old_mode = memory.get("mode", "strict") if memory is not None else None
        if live is not None and mode is not None and old_mode is not None \
                and NUMA_MODES[mode] != old_mode:
            raise VirtError(OPERATION_INVALID, "can't change numatune mode for "
                            "running domain")
        check_nodeset_given(tree, memory, nodeset)
        memory = child(child(tree, "numatune"), "memory")
        if mode is not None:
            memory.set("mode", NUMA_MODES[mode])
        elif "mode" not in memory.attrib:
            memory.set("mode", "strict")
        if nodeset is not None:
            memory.set("nodeset", nodeset)

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
        child(balloon, "stats").set("period", str(period))
