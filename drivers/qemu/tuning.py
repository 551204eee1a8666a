"""Disk tuning of QEMU guests: I/O throttling and resizing.

A mixin of QemuDomain.  ``<iotune>`` of a disk is kept in the definitions
and, on a running guest, applied with ``block_set_io_throttle``; a disk
grows with ``block_resize`` (running) or ``qemu-img resize`` (inactive).
"""
from virtsh.drivers import domain as D
from virtsh.drivers.errors import (VirtError, ARGUMENT_UNSUPPORTED, INVALID_ARG,
                                   OPERATION_INVALID)
from virtsh.drivers.qemu import edits
from virtsh.drivers.qemu.running import RunningBase

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
