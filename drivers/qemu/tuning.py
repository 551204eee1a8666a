"""Tuning of QEMU guests: disk I/O throttling and resizing, and the
scheduler, block I/O, memory and NUMA tuning of their control groups.

Mixins of QemuDomain.  ``<iotune>`` of a disk is kept in the definitions
and, on a running guest, applied with ``block_set_io_throttle``; a disk
grows with ``block_resize`` (running) or ``qemu-img resize`` (inactive).
``<cputune>``, ``<blkiotune>``, ``<memtune>`` and ``<numatune>`` are kept
in the definitions too; on a running guest they are written to its cgroup
files and the values in force are read back from there (tunables.py).
"""
from virtsh.drivers import domain as D
from virtsh.drivers.deftree import child, drop_if_empty, number
from virtsh.drivers.errors import (VirtError, ARGUMENT_UNSUPPORTED,
                                   INVALID_ARG, OPERATION_INVALID)
from virtsh.drivers.qemu import edits, tunables as T
from virtsh.drivers.qemu.running import RunningBase
from virtsh.drivers.tuningdefs import (
    BLKIO_DEVICE_PARAMS, NUMA_MODES, check_nodeset_given, numa_request, set_blkio_devices)

AFFECT = D.AFFECT_LIVE | D.AFFECT_CONFIG
IOTUNE_MAX = 10 ** 15
BLOCK_RESIZE_BYTES = 1
# libvirt's parameter name -> QEMU's block_set_io_throttle argument
IOTUNE_QMP = (
    ("total_bytes_sec", "bps"), ("read_bytes_sec", "bps_rd"),
    ("write_bytes_sec", "bps_wr"), ("total_iops_sec", "iops"),
    ("read_iops_sec", "iops_rd"), ("write_iops_sec", "iops_wr"),
    ("total_bytes_sec_max", "bps_max"), ("read_bytes_sec_max", "bps_rd_max"),
    ("write_bytes_sec_max", "bps_wr_max"), ("total_iops_sec_max", "iops_max"),
    ("read_iops_sec_max", "iops_rd_max"), ("write_iops_sec_max", "iops_wr_max"),
    ("size_iops_sec", "iops_size"), ("group_name", "group"),
    ("total_bytes_sec_max_length", "bps_max_length"),
    ("read_bytes_sec_max_length", "bps_rd_max_length"),
    ("write_bytes_sec_max_length", "bps_wr_max_length"),
    ("total_iops_sec_max_length", "iops_max_length"),
    ("read_iops_sec_max_length", "iops_rd_max_length"),
    ("write_iops_sec_max_length", "iops_wr_max_length"))
IOTUNE_PARAMS = tuple(name for name, _ in IOTUNE_QMP)


def _disk(root, name, live=False):
    from virtsh.drivers.qemu.stats import _find_disk
    disk = _find_disk(root, name)
    if disk is None:
        raise VirtError(INVALID_ARG, "disk '%s' not found in domain" % name if live else
                        "disk '%s' was not found in the domain config" % name)
    return disk


def iotune_of(disk):
    """The (name, value) parameters of a disk's <iotune>, libvirt's order."""
    iotune = disk.find("iotune")
    out = []
    for name in IOTUNE_PARAMS:
        text = iotune.findtext(name) if iotune is not None else None
        if name == "group_name":
            out.append((name, text or ""))
        else:
            out.append((name, int(text) if text and text.strip() else 0))
    return out


def store_iotune(disk, values):
    from lxml import etree
    old = disk.find("iotune")
    if old is not None:
        disk.remove(old)
    iotune = etree.Element("iotune")
    for name in IOTUNE_PARAMS:
        if values[name]:
            etree.SubElement(iotune, name).text = str(values[name])
    if len(iotune):
        disk.append(iotune)


def check_iotune(values):
    """libvirt's consistency rules for throttling values."""
    for kind in ("bytes_sec", "iops_sec", "bytes_sec_max", "iops_sec_max"):
        if values["total_" + kind] and (values["read_" + kind] or values["write_" + kind]):
            raise VirtError(INVALID_ARG, "total and read/write of %s cannot be set at "
                            "the same time" % kind)
    for name in ("total_bytes_sec", "read_bytes_sec", "write_bytes_sec",
                 "total_iops_sec", "read_iops_sec", "write_iops_sec"):
        if values[name + "_max"] and values[name] > values[name + "_max"]:
            raise VirtError(INVALID_ARG, "%s cannot be set higher than %s_max"
                            % (name, name))
        if values[name + "_max_length"] and not values[name + "_max"]:
            raise VirtError(INVALID_ARG, "%s_max_length cannot be set without %s_max"
                            % (name, name))


class TuningMixin(RunningBase):
    """blkdeviotune and blockresize."""

    def block_iotune(self, disk, flags=0):
        edits.one_of(flags)
        defs = edits.read(self, flags & AFFECT)
        return iotune_of(_disk(defs.selected()[0], disk, defs.live is not None))

    def set_block_iotune(self, disk, params, flags=0):
        for name, value in params:
            if name not in IOTUNE_PARAMS:
                raise VirtError(ARGUMENT_UNSUPPORTED, "parameter '%s' not supported"
                                % name)
            if name != "group_name" and value > IOTUNE_MAX:
                raise VirtError(ARGUMENT_UNSUPPORTED, "block I/O throttle limit value "
                                "must be no more than %d" % IOTUNE_MAX)
        with edits.editing(self, flags & AFFECT) as defs:
            for root in defs.selected():
                elem = _disk(root, disk, root is defs.live)
                values = dict(iotune_of(elem))
                values.update(params)
                check_iotune(values)
                if root is defs.live:
                    self._throttle(elem, values)
                store_iotune(elem, values)

    def _throttle(self, disk, values):
        alias = disk.find("alias")
        if alias is None or disk.find("source") is None:
            raise VirtError(OPERATION_INVALID, "disk '%s' does not have an active block "
                            "backend" % disk.find("target").get("dev"))
        name = alias.get("name")
        qdevs = [b["qdev"] for b in self._qmp_once("query-block")
                 if b.get("qdev") in (name, "/machine/peripheral/%s/virtio-backend" % name)]
        arguments = {"id": qdevs[0] if qdevs else name}
        for name, qmp_name in IOTUNE_QMP:
            if name == "group_name":
                if values[name]:
                    arguments[qmp_name] = values[name]
            elif values[name] or qmp_name in ("bps", "bps_rd", "bps_wr", "iops",
                                              "iops_rd", "iops_wr"):
                arguments[qmp_name] = values[name]
        self._qmp_once("block_set_io_throttle", **arguments)

    def block_resize(self, disk, size, flags=0):
        from virtsh.drivers.qemu.snapshots import _qemu_img
        from virtsh.drivers.qemu.stats import image_sizes
        nbytes = size if flags & BLOCK_RESIZE_BYTES else size * 1024
        active = self.is_active()
        root = edits.read(self, D.AFFECT_LIVE if active else D.AFFECT_CONFIG).selected()[0]
        elem = _disk(root, disk)
        src = elem.find("source")
        path = src is not None and (src.get("file") or src.get("dev"))
        if not path:
            raise VirtError(INVALID_ARG, "disk '%s' does not currently have a source "
                            "assigned" % disk)
        if not active:
            if nbytes < image_sizes(path)[0]:
                raise VirtError(OPERATION_INVALID, "can't shrink a disk image")
            driver = elem.find("driver")
            _qemu_img("resize", "-f", driver.get("type", "raw") if driver is not None
                      else "raw", path, str(nbytes))
            return
        if elem.get("device") in ("cdrom", "floppy"):
            raise VirtError(OPERATION_INVALID, "block resize is supported only with 'disk' "
                            "and 'lun' devices")
        alias = elem.find("alias").get("name")
        nodes = [b for b in self._qmp_once("query-block")
                 if b.get("qdev") in (alias, "/machine/peripheral/%s/virtio-backend" % alias)]
        node = nodes[0]["inserted"]["node-name"] if nodes and "inserted" in nodes[0] \
            else None
        if node is None:
            raise VirtError(OPERATION_INVALID, "disk '%s' does not have an active block "
                            "backend" % disk)
        self._qmp_once("block_resize", **{"node-name": node, "size": nbytes})


class CgroupTuningMixin(RunningBase):
    """schedinfo, blkiotune, memtune and numatune."""

    def _group(self, status, controller):
        from virtsh.drivers.qemu import cgroups
        group = cgroups.of_status(status)
        if group is None:
            raise cgroups.not_mounted(controller)
        return group

    def _tuning(self, flags, controller):
        """(definitions read for *flags*, the running guest's group or None)."""
        edits.one_of(flags)
        defs = edits.read(self, flags & AFFECT)
        group = self._group(defs.status, controller) if defs.live is not None else None
        return defs, group

    # --- scheduler ------------------------------------------------------------
    def scheduler_type(self):
        status = self._status()
        if status is not None:
            self._group(status, "cpu")
        elif not self.exists():
            raise self._gone()
        return "posix", len(T.SCHED_PARAMS)

    def scheduler_params(self, flags=0):
        defs, group = self._tuning(flags, "cpu")
        if group is not None:
            return T.read_sched(group)
        cputune = defs.config.find("cputune")
        return [(param, number(cputune.find(tag)) if cputune is not None else 0)
                for param, tag, _ in T.SCHED]

    def set_scheduler_params(self, params, flags=0):
        tags = {p: tag for p, tag, _ in T.SCHED}
        with edits.editing(self, flags & AFFECT) as defs:
            group = self._group(defs.status, "cpu") if defs.live is not None else None
            for name, value in params:
                if name not in tags:
                    raise VirtError(ARGUMENT_UNSUPPORTED, "parameter '%s' not supported"
                                    % name)
                T.check_sched(name, value, group is not None and bool(group.v2))
            for name, value in params:
                if group is not None and value:
                    T.write_sched(group, name, value)
                for root in defs.selected():
                    if value or root is defs.config:
                        _set_child(root, "cputune", tags[name], value or None)

    # --- block I/O -------------------------------------------------------------
    def blkio_params(self, flags=0):
        defs, group = self._tuning(flags, "blkio")
        root = defs.selected()[0]
        devices = root.findall("blkiotune/device")
        if group is not None:
            weight = T.read_blkio_weight(group)

            def value(device, tag):
                return T.read_blkio_device(group, device.findtext("path"), tag)
        else:
            weight = number(root.find("blkiotune/weight"))

            def value(device, tag):
                return number(device.find(tag))
        out = [("weight", weight)]
        for name, tag in BLKIO_DEVICE_PARAMS:
            pairs = [(d.findtext("path"), value(d, tag)) for d in devices]
            out.append((name, ",".join("%s,%d" % p for p in pairs if p[1])))
        return out

    def set_blkio_params(self, params, flags=0):
        tags = dict(BLKIO_DEVICE_PARAMS)
        with edits.editing(self, flags & AFFECT) as defs:
            group = self._group(defs.status, "blkio") if defs.live is not None else None
            for name, value in params:
                if name != "weight" and name not in tags:
                    raise VirtError(ARGUMENT_UNSUPPORTED, "parameter '%s' not supported"
                                    % name)
                for root in defs.selected():
                    blkiotune = child(root, "blkiotune")
                    if name == "weight":
                        if root is defs.live:
                            T.write_blkio_weight(group, value)
                        child(blkiotune, "weight").text = str(value)
                        continue
                    set_blkio_devices(blkiotune, tags[name], value, name)
                    if root is defs.live:
                        words = value.split(",") if value else []
                        for path, number_text in zip(words[::2], words[1::2]):
                            T.write_blkio_value(group, path, tags[name], int(number_text))
                    drop_if_empty(root, "blkiotune")

    # --- memory ----------------------------------------------------------------
    def memory_params(self, flags=0):
        defs, group = self._tuning(flags, "memory")
        if group is not None:
            return T.read_memory(group)
        from virtsh.drivers.qemu.resources import memory_kib
        root = defs.config
        return [(name, memory_kib(root, "memtune/" + name)
                 if root.find("memtune/" + name) is not None else D.MEMORY_PARAM_UNLIMITED)
                for name, _, _ in T.MEMORY]

    def set_memory_params(self, params, flags=0):
        names = [name for name, _, _ in T.MEMORY]
        values = dict(params)
        for name in values:
            if name not in names:
                raise VirtError(ARGUMENT_UNSUPPORTED, "parameter '%s' not supported"
                                % name)
        with edits.editing(self, flags & AFFECT) as defs:
            group = self._group(defs.status, "memory") if defs.live is not None else None
            for root in defs.selected():
                flags_one = D.AFFECT_LIVE if root is defs.live else D.AFFECT_CONFIG
                current = dict(self.memory_params(flags_one))
                hard = values.get("hard_limit", current["hard_limit"])
                swap = values.get("swap_hard_limit", current["swap_hard_limit"])
                if ("hard_limit" in values or "swap_hard_limit" in values) and hard > swap:
                    raise VirtError(INVALID_ARG, "memory hard_limit tunable value must "
                                    "be lower than or equal to swap_hard_limit")
            if group is not None:
                T.write_memory(group, values)
            for root in defs.selected():
                for name, kib in values.items():
                    unlimited = kib >= D.MEMORY_PARAM_UNLIMITED
                    elem = _set_child(root, "memtune", name, None if unlimited else kib)
                    if elem is not None:
                        elem.set("unit", "KiB")

    # --- NUMA --------------------------------------------------------------------
    def numa_params(self, flags=0):
        defs, _ = self._tuning(flags, "cpuset")
        memory = defs.selected()[0].find("numatune/memory")
        mode = memory.get("mode", "strict") if memory is not None else "strict"
        nodeset = memory.get("nodeset", "") if memory is not None else ""
        return [("numa_mode", NUMA_MODES.index(mode)), ("numa_nodeset", nodeset)]

    def set_numa_params(self, params, flags=0):
        values = dict(params)
        for name in values:
            if name not in ("numa_mode", "numa_nodeset"):
                raise VirtError(ARGUMENT_UNSUPPORTED, "parameter '%s' not supported"
                                % name)
        mode, nodeset = numa_request(values)
        with edits.editing(self, flags & AFFECT) as defs:
            for root in defs.selected():
                memory = root.find("numatune/memory")
                old_mode = memory.get("mode", "strict") if memory is not None else "strict"
                new_mode = NUMA_MODES[mode] if mode is not None else old_mode
                if root is defs.live:
                    if mode is not None and new_mode != old_mode:
                        raise VirtError(OPERATION_INVALID, "can't change numatune mode "
                                        "for running domain")
                    if nodeset is not None and new_mode != "strict":
                        raise VirtError(OPERATION_INVALID, "change of nodeset for running "
                                        "domain requires strict numa mode")
                check_nodeset_given(root, memory, nodeset)
                if root is defs.live and nodeset is not None:
                    T.write_nodeset(self._group(defs.status, "cpuset"), nodeset)
                memory = child(child(root, "numatune"), "memory")
                memory.set("mode", new_mode)
                if nodeset is not None:
                    memory.set("nodeset", nodeset)


def _set_child(root, parent_tag, tag, value):
    """Set (value None: remove) *parent_tag*/*tag* of *root*; the element or None."""
    parent = child(root, parent_tag)
    elem = parent.find(tag)
    if value is None:
        if elem is not None:
            parent.remove(elem)
        drop_if_empty(root, parent_tag)
        return None
    elem = child(parent, tag)
    elem.text = str(value)
    return elem
