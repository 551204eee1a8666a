"""Block jobs of running QEMU guests: copy, commit, pull, and their control.

A mixin of QemuDomain.  Jobs are QEMU's (``blockdev-mirror``,
``block-commit``, ``block-stream``), named ``<kind>-<target>`` so a later
virtsh process finds them again with ``query-block-jobs``; what a pivot
needs to rewrite the live definition (the copy's destination) is kept in
``run/qemu/NAME.blockjobs``.  A copy or an active commit stays "ready"
until ``blockjob --pivot`` (switch the disk over) or ``--abort`` (leave
it as it was).
"""
import json
import os
import time

from virtsh.drivers import domain as D
from virtsh.drivers.errors import (VirtError, BLOCK_COPY_ACTIVE, INVALID_ARG,
                                   OPERATION_FAILED, OPERATION_INVALID,
                                   OPERATION_UNSUPPORTED)
from virtsh.drivers.qemu import edits
from virtsh.drivers.qemu.running import RunningBase

# virDomainBlockRebaseFlags / virDomainBlockCommitFlags / virDomainBlockCopyFlags
REBASE_SHALLOW, REBASE_REUSE_EXT, REBASE_COPY = 1, 2, 8
REBASE_RELATIVE, REBASE_COPY_DEV, REBASE_BANDWIDTH_BYTES = 16, 32, 64
COMMIT_SHALLOW, COMMIT_DELETE, COMMIT_ACTIVE = 1, 2, 4
COMMIT_RELATIVE, COMMIT_BANDWIDTH_BYTES = 8, 16
COPY_SHALLOW, COPY_REUSE_EXT = 1, 2
PULL_BANDWIDTH_BYTES = 64
JOB_ABORT_ASYNC, JOB_ABORT_PIVOT = 1, 2
JOB_INFO_BANDWIDTH_BYTES = 1
JOB_SPEED_BANDWIDTH_BYTES = 1
MIB = 1024 * 1024
LABELS = {"pull": "Block Pull", "copy": "Block Copy", "commit": "Block Commit",
          "active-commit": "Active Block Commit"}


def _speed(bandwidth, in_bytes):
    if bandwidth and not in_bytes and bandwidth > (1 << 63) // MIB:
        raise VirtError(INVALID_ARG, "bandwidth must be less than %d" % ((1 << 63) // MIB))
    return bandwidth if in_bytes else bandwidth * MIB


def _own_nodes(mon, top):
    """The nodes virtsh added for the top image *top*: its format node and
    the protocol node below it (to delete once the disk has moved on)."""
    nodes = {n["node-name"]: n for n in mon.cmd("query-named-block-nodes")}
    out = [top]
    filename = nodes.get(top, {}).get("file")
    for name, node in nodes.items():
        if name != top and name.startswith("libvirt-") and node.get("file") == filename \
                and node.get("drv") in ("file", "host_device"):
            out.append(name)
    return out


class BlockJobsMixin(RunningBase):
    """blockcopy, blockcommit, blockpull and blockjob."""

    # --- bookkeeping ----------------------------------------------------------------
    def _jobs_path(self):
        return self.store.run(self.name(), "blockjobs")

    def _job_records(self):
        from virtsh.drivers import files
        try:
            return json.loads(files.read_text(self._jobs_path(), "{}"))
        except ValueError:
            return {}

    def _save_job_records(self, records):
        from virtsh.drivers import files
        files.write_atomic(self._jobs_path(), json.dumps(records), durable=False)

    def _disk_and_node(self, mon, path):
        """(live <disk>, its top format node name) of the disk *path* names."""
        from virtsh.drivers.qemu.stats import _find_disk
        self._running_status()
        live = edits.read(self, D.AFFECT_LIVE).live
        disk = _find_disk(live, path)
        if disk is None:
            raise VirtError(INVALID_ARG, "disk '%s' not found in domain" % path)
        alias = disk.find("alias").get("name")
        for block in mon.cmd("query-block"):
            if block.get("qdev") in (alias, "/machine/peripheral/%s/virtio-backend" % alias):
                if "inserted" in block:
                    return disk, block["inserted"]["node-name"]
        raise VirtError(OPERATION_INVALID, "disk '%s' does not have an active block "
                        "backend" % path)

    def _running_job(self, mon, target):
        for job in mon.cmd("query-block-jobs"):
            if job["device"].endswith("-" + target) and job["device"].split("-")[0] in \
                    ("pull", "copy", "commit", "active"):
                return job
        return None

    def _start(self, path, starter):
        """Run *starter(mon, disk, node, target)* unless the disk has a job."""
        with self.store.lock(self.name()):
            mon = self._monitor_for(path)
            try:
                disk, node = self._disk_and_node(mon, path)
                target = disk.find("target").get("dev")
                if self._running_job(mon, target) is not None:
                    raise VirtError(BLOCK_COPY_ACTIVE, "disk '%s' already in active "
                                    "block job" % target)
                starter(mon, disk, node, target)
            finally:
                mon.close()

    # --- starting jobs ------------------------------------------------------------------
    def block_pull(self, disk, bandwidth=0, flags=0):
        self.block_rebase(disk, None, bandwidth,
                          REBASE_BANDWIDTH_BYTES if flags & PULL_BANDWIDTH_BYTES else 0)

    def block_rebase(self, disk, base=None, bandwidth=0, flags=0):
        in_bytes = bool(flags & REBASE_BANDWIDTH_BYTES)
        if flags & REBASE_COPY:
            from lxml import etree
            dest = etree.Element("disk", type="block" if flags & REBASE_COPY_DEV else "file")
            etree.SubElement(dest, "source",
                             **{"dev" if flags & REBASE_COPY_DEV else "file": base})
            copy_flags = ((COPY_SHALLOW if flags & REBASE_SHALLOW else 0) |
                          (COPY_REUSE_EXT if flags & REBASE_REUSE_EXT else 0))
            return self.block_copy(disk, etree.tostring(dest).decode(),
                                   [("bandwidth", _speed(bandwidth, in_bytes))],
                                   copy_flags)
        speed = _speed(bandwidth, in_bytes)

        def pull(mon, elem, node, target):
            args = {"job-id": "pull-%s" % target, "device": node}
            if base:
                args["base-node"] = self._node_of_file(mon, base)
            if speed:
                args["speed"] = speed
            mon.cmd("block-stream", **args)
        self._start(disk, pull)

    def _node_of_file(self, mon, path):
        for node in mon.cmd("query-named-block-nodes"):
            if node.get("file") == path and node.get("drv") not in ("file", "host_device"):
                return node["node-name"]
        raise VirtError(INVALID_ARG, "could not find image '%s' in chain" % path)

    def block_commit(self, disk, base=None, top=None, bandwidth=0, flags=0):
        speed = _speed(bandwidth, bool(flags & COMMIT_BANDWIDTH_BYTES))
        if flags & COMMIT_DELETE:
            raise VirtError(OPERATION_UNSUPPORTED, "deletion of committed images is not "
                            "supported yet")

        def commit(mon, elem, node, target):
            top_node = self._node_of_file(mon, top) if top else node
            active = top_node == node
            if active and not flags & COMMIT_ACTIVE:
                raise VirtError(INVALID_ARG, "commit of '%s' active layer requires "
                                "active flag" % target)
            args = {"job-id": "%s-%s" % ("active" if active else "commit", target),
                    "device": node}
            if not active:
                args["top-node"] = top_node
            if base:
                args["base-node"] = self._node_of_file(mon, base)
            if speed:
                args["speed"] = speed
            mon.cmd("block-commit", **args)
            if active:
                records = self._job_records()
                records[target] = {"type": elem.get("type", "file"),
                                   "old": _own_nodes(mon, node)}
                self._save_job_records(records)
        self._start(disk, commit)

    def block_copy(self, disk, dest_xml, params=None, flags=0):
        from virtsh.drivers.qemu.hotplug import _Plug, parse_device
        from virtsh.drivers.qemu.snapshots import _qemu_img
        from virtsh.drivers.qemu.stats import image_sizes
        dest = parse_device(dest_xml)
        src = dest.find("source")
        path = src is not None and (src.get("file") or src.get("dev"))
        if not path:
            raise VirtError(INVALID_ARG, "destination of the copy needs a source path")
        params = dict(params or ())
        speed = params.get("bandwidth", 0)
        driver = dest.find("driver")
        fmt = driver.get("type") if driver is not None and driver.get("type") else None
        shallow = bool(flags & COPY_SHALLOW)

        def copy(mon, elem, node, target):
            from lxml import etree
            from virtsh.xmlconf import domain as xd
            source = elem.find("source").get("file") or elem.find("source").get("dev")
            src_fmt = elem.find("driver").get("type", "raw") \
                if elem.find("driver") is not None else "raw"
            out_fmt = fmt or src_fmt
            if not flags & COPY_REUSE_EXT:
                if os.path.exists(path) and dest.get("type") != "block":
                    raise VirtError(OPERATION_INVALID, "destination file '%s' exists"
                                    % path)
                size = str(image_sizes(source)[0])
                _qemu_img("create", "-q", "-f", out_fmt, path, size)
            copy_disk = xd.copy_tree(elem)
            copy_disk.set("type", dest.get("type", "file"))
            for old in copy_disk.findall("source"):
                copy_disk.remove(old)
            etree.SubElement(copy_disk, "source",
                             **{"dev" if dest.get("type") == "block" else "file": path})
            copy_disk.find("driver").set("type", out_fmt)
            plug = _Plug(mon, edits.read(self, D.AFFECT_LIVE).live)
            blockdevs, _ = plug._disk_args(copy_disk)
            for spec in blockdevs:
                mon.cmd("blockdev-add", **spec)
            args = {"job-id": "copy-%s" % target, "device": node,
                    "target": blockdevs[-1]["node-name"],
                    "sync": "top" if shallow else "full"}
            if speed:
                args["speed"] = speed
            mon.cmd("blockdev-mirror", **args)
            records = self._job_records()
            records[target] = {"dest": path, "format": out_fmt,
                               "type": dest.get("type", "file"),
                               "nodes": [b["node-name"] for b in reversed(blockdevs)],
                               "old": _own_nodes(mon, node)}
            self._save_job_records(records)
        self._start(disk, copy)

    # --- following and ending jobs ---------------------------------------------------------
    def block_job_info(self, disk, flags=0):
        mon = self._monitor_for(disk)
        try:
            elem, _ = self._disk_and_node(mon, disk)
            job = self._running_job(mon, elem.find("target").get("dev"))
        finally:
            mon.close()
        if job is None:
            return None
        kind = job["device"].split("-")[0]
        kind = "active-commit" if kind == "active" else kind
        speed = job.get("speed", 0)
        if not flags & JOB_INFO_BANDWIDTH_BYTES:
            speed //= MIB
        cur, end = job.get("offset", 0), job.get("len", 0)
        if job.get("ready"):            # libvirt shows a ready job as complete
            end = cur = max(end, 1)
        return LABELS[kind], speed, cur, end

    def _monitor_for(self, disk):
        self._running_status()
        return self._monitor()

    def block_job_set_speed(self, disk, bandwidth, flags=0):
        speed = _speed(bandwidth, bool(flags & JOB_SPEED_BANDWIDTH_BYTES))
        with self.store.lock(self.name()):
            mon = self._monitor_for(disk)
            try:
                elem, _ = self._disk_and_node(mon, disk)
                job = self._job_or_error(mon, elem)
                mon.cmd("block-job-set-speed", device=job["device"], speed=speed)
            finally:
                mon.close()

    def _job_or_error(self, mon, elem):
        target = elem.find("target").get("dev")
        job = self._running_job(mon, target)
        if job is None:
            raise VirtError(OPERATION_INVALID, "disk '%s' does not have an active block "
                            "job" % target)
        return job

    def block_job_abort(self, disk, flags=0):
        with self.store.lock(self.name()):
            mon = self._monitor_for(disk)
            try:
                elem, _ = self._disk_and_node(mon, disk)
                target = elem.find("target").get("dev")
                job = self._job_or_error(mon, elem)
                if flags & JOB_ABORT_PIVOT:
                    if not job.get("ready"):
                        raise VirtError(BLOCK_COPY_ACTIVE, "disk '%s' not ready for "
                                        "pivot yet" % target)
                    mon.cmd("job-complete", id=job["device"])
                else:
                    mon.cmd("block-job-cancel", device=job["device"], force=True)
                if flags & JOB_ABORT_ASYNC:
                    return
                self._wait_gone(mon, job["device"])
                record = self._job_records().pop(target, None)
                if flags & JOB_ABORT_PIVOT:
                    self._pivot_definition(mon, elem, target, record)
                    for node in (record or {}).get("old", ()):
                        try:
                            mon.cmd("blockdev-del", **{"node-name": node})
                        except VirtError:
                            pass
                elif record and "nodes" in record:
                    for node in record["nodes"]:
                        try:
                            mon.cmd("blockdev-del", **{"node-name": node})
                        except VirtError:
                            pass
                records = self._job_records()
                records.pop(target, None)
                self._save_job_records(records)
            finally:
                mon.close()

    @staticmethod
    def _wait_gone(mon, job_id, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            jobs = {j["id"]: j for j in mon.cmd("query-jobs")}
            job = jobs.get(job_id)
            if job is None:
                return
            if job["status"] == "concluded":
                mon.cmd("job-dismiss", id=job_id)
                if job.get("error"):
                    raise VirtError(OPERATION_FAILED, "block job failed: %s" % job["error"])
                return
            time.sleep(0.05)
        raise VirtError(OPERATION_FAILED, "block job '%s' did not end" % job_id)

    def _pivot_definition(self, mon, elem, target, record):
        """Point the live <disk> at the image QEMU now uses for it."""
        from lxml import etree
        from virtsh.drivers.qemu.stats import _find_disk
        alias = elem.find("alias").get("name")
        inserted = next((b["inserted"] for b in mon.cmd("query-block")
                         if b.get("qdev") in (alias, "/machine/peripheral/%s/virtio-backend"
                                              % alias) and "inserted" in b), None)
        if inserted is None:
            return
        kind = record["type"] if record else elem.get("type", "file")
        with edits.editing(self, D.AFFECT_LIVE, lock=False) as defs:
            disk = _find_disk(defs.live, target)
            disk.set("type", kind)
            for old in disk.findall("source"):
                disk.remove(old)
            source = etree.Element("source", **{"dev" if kind == "block" else "file":
                                               inserted["file"]})
            driver = disk.find("driver")
            driver.set("type", inserted.get("drv", driver.get("type", "raw")))
            driver.addnext(source)
            from virtsh.drivers.qemu.live import refresh_backing
            refresh_backing(disk)
