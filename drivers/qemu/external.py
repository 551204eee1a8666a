"""External disk-only snapshots: a new qcow2 overlay on top of each disk.

Used by snapshots.py.  An inactive domain gets its overlays from
``qemu-img create -b``; a running one gets them plugged with
``blockdev-add`` and switched to with ``blockdev-snapshot``, so the guest
writes to the overlay from then on.  The definitions then name the
overlays as the disks' sources, in both the live and persistent form.
"""
import os

from virtsh.drivers import snapshot as S
from virtsh.drivers.errors import VirtError, CONFIG_UNSUPPORTED, OPERATION_INVALID
from virtsh.drivers.qemu import edits

EXTERNAL = 3                    # xmlconf.snapshot.LOC_EXTERNAL


def _format(disk):
    driver = disk.find("driver")
    return driver.get("type", "raw") if driver is not None else "raw"


def _point_to(disk, path, fmt):
    """Make a <disk> element use the overlay *path* of format *fmt*."""
    from lxml import etree
    source = disk.find("source")
    if source is None:
        source = etree.SubElement(disk, "source")
    for attr in ("file", "dev"):
        source.attrib.pop(attr, None)
    disk.set("type", "file")
    source.set("file", path)
    driver = disk.find("driver")
    if driver is None:
        driver = etree.Element("driver", name="qemu")
        disk.insert(0, driver)
    driver.set("type", fmt)
    if disk.find("backingStore") is not None:      # a live disk: its new chain
        from virtsh.drivers.qemu.live import refresh_backing
        refresh_backing(disk)


def take_disk_only(dom, defn, live, config, flags):
    """Create the overlays of *defn*'s external disks and switch to them."""
    from virtsh.drivers.qemu.snapshots import _qemu_img
    from virtsh.drivers.qemu.stats import _find_disk, image_sizes
    root = live if live is not None else config
    planned = []
    for snap_disk in defn.disks:
        if snap_disk.snapshot != EXTERNAL:
            continue
        disk = _find_disk(root, snap_disk.name)
        src = disk.find("source")
        base = src is not None and (src.get("file") or src.get("dev"))
        if not base:
            raise VirtError(CONFIG_UNSUPPORTED, "cannot snapshot disk '%s' without "
                            "source" % snap_disk.name)
        fmt = snap_disk.driver or "qcow2"
        if fmt != "qcow2":
            raise VirtError(CONFIG_UNSUPPORTED, "unsupported disk snapshot format '%s'"
                            % fmt)
        reuse = bool(flags & S.SNAPSHOT_CREATE_REUSE_EXT)
        if os.path.exists(snap_disk.path) and not reuse:
            raise VirtError(OPERATION_INVALID, "external snapshot file for disk %s "
                            "already exists and is not a block device: %s"
                            % (snap_disk.name, snap_disk.path))
        planned.append((snap_disk, disk, base, reuse))
    for snap_disk, disk, base, reuse in planned:
        if not reuse:
            _qemu_img("create", "-q", "-f", "qcow2", "-F", _format(disk), "-b", base,
                      "-u", snap_disk.path, str(image_sizes(base)[0]))
        snap_disk.driver = "qcow2"
    if live is not None:
        _switch_live(dom, live, planned)
    for snap_disk, disk, _, _ in planned:
        _point_to(disk, snap_disk.path, "qcow2")
    if live is not None:
        edits.save_live(dom, live)
    if config is not None:
        for snap_disk, _, _, _ in planned:
            elem = _find_disk(config, snap_disk.name)
            if elem is not None:
                _point_to(elem, snap_disk.path, "qcow2")
        edits.save_config(dom, config)


def _switch_live(dom, live, planned):
    from virtsh.drivers.qemu.hotplug import _Plug
    from virtsh.xmlconf import domain as xd
    mon = dom._monitor()
    try:
        plug = _Plug(mon, live)
        for snap_disk, disk, _, _ in planned:
            alias = disk.find("alias").get("name")
            top = next(b["inserted"]["node-name"] for b in mon.cmd("query-block")
                       if b.get("qdev") in (alias, "/machine/peripheral/%s/virtio-backend"
                                            % alias) and "inserted" in b)
            overlay = xd.copy_tree(disk)
            _point_to(overlay, snap_disk.path, "qcow2")
            blockdevs, _ = plug._disk_args(overlay)
            blockdevs[-1]["backing"] = None
            blockdevs[-1]["read-only"] = False
            for spec in blockdevs:
                mon.cmd("blockdev-add", **spec)
            mon.cmd("blockdev-snapshot", node=top, overlay=blockdevs[-1]["node-name"])
    finally:
        mon.close()
