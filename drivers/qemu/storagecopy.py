"""Migration with non-shared storage: the disks travel over NBD.

The steps follow libvirt with QEMU 7.2:

  source, after begin     the facts of the disks to copy (capacity, format,
                          backing file), for the destination to create them
  destination, prepare    the missing images created (with
                          MIGRATE_NON_SHARED_INC only the top image, over the
                          shared backing file), QEMU started ``-incoming
                          defer``, an NBD server exporting each copied disk
                          writable (``nbd-server-start``, ``block-export-add``)
  source, before perform  a ``blockdev-mirror`` (sync full, or top) of each
                          disk into its export; the client waits until all
                          mirrors are ready, then the memory migrates
  source, after perform   the mirrors completed without pivot (``block-job-
                          cancel`` of a ready mirror writes the last changes
                          first) and their NBD nodes removed
  destination, finish     NBD server stopped before the guest resumes

A disk is copied when --migrate-disks names it, or by default when it has
a source and is neither read-only nor shareable.  The mirror jobs are
named after the disk's drive alias (``drive-virtio-disk0``), like the
export, so a cancelled migration finds them without any record.
"""
import os
import time

from virtsh.drivers import domain as D
from virtsh.drivers import files
from virtsh.drivers.errors import (VirtError, INVALID_ARG, OPERATION_FAILED, OPERATION_INVALID,
                                   OPERATION_UNSUPPORTED)
from virtsh.drivers.qemu.running import RunningBase

COPY_FLAGS = D.MIGRATE_NON_SHARED_DISK | D.MIGRATE_NON_SHARED_INC
SYNC_WRITES = 1 << 18               # VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES
JOB_PREFIX = "drive-"
NODE_PREFIX = "migration-"
SETTLE_SECONDS = 60


def copies_storage(flags):
    return bool(flags & COPY_FLAGS) and not flags & D.MIGRATE_OFFLINE


def check_begin(flags, params):
    """libvirt's refusals of storage options at the begin phase."""
    if flags & COPY_FLAGS and flags & D.MIGRATE_TUNNELLED:
        raise VirtError(OPERATION_UNSUPPORTED, "migration of non-shared storage is not "
                        "supported with tunnelled migration and this QEMU")
    if not flags & COPY_FLAGS and params.get("migrate_disks"):
        raise VirtError(OPERATION_UNSUPPORTED, "use of 'VIR_MIGRATE_PARAM_MIGRATE_DISKS' "
                        "requires use of 'VIR_MIGRATE_NON_SHARED_DISK' or "
                        "'VIR_MIGRATE_NON_SHARED_INC' flag")


def _source(disk):
    src = disk.find("source")
    return None if src is None else (src.get("file") or src.get("dev"))


def copied_disks(root, params):
    """The <disk> elements of *root* whose contents the migration copies."""
    named = [d for d in (params.get("migrate_disks") or "").split(",") if d]
    targets = [d.find("target").get("dev") for d in root.findall("devices/disk")]
    for dev in named:
        if dev not in targets:
            raise VirtError(INVALID_ARG, "disk target %s not found" % dev)
    out = []
    for disk in root.findall("devices/disk"):
        dev = disk.find("target").get("dev")
        readonly = disk.find("readonly") is not None or \
            disk.get("device") in ("cdrom", "floppy")
        if named:
            if dev not in named:
                continue
            if readonly or not _source(disk):
                raise VirtError(OPERATION_UNSUPPORTED, "Cannot migrate empty or "
                                "read-only disk %s" % dev)
        elif readonly or not _source(disk) or disk.find("shareable") is not None:
            continue
        out.append(disk)
    return out


def _drive(disk):
    """The drive alias of a live <disk>: the mirror's job id and export name."""
    return JOB_PREFIX + disk.find("alias").get("name")


def _top_node(inserted_by_qdev, disk):
    alias = disk.find("alias").get("name")
    for qdev in (alias, "/machine/peripheral/%s/virtio-backend" % alias):
        if qdev in inserted_by_qdev:
            return inserted_by_qdev[qdev]
    raise VirtError(OPERATION_INVALID, "disk '%s' does not have an active block backend"
                    % disk.find("target").get("dev"))


def _inserted(qmp):
    """{qdev id: the 'inserted' medium of query-block} of every drive;
    *qmp* runs a QMP command."""
    return {b["qdev"]: b["inserted"] for b in qmp("query-block")
            if b.get("qdev") and "inserted" in b}


# --- destination ------------------------------------------------------------
def precreate(root, params, flags):
    """Create the images the destination lacks; the paths created."""
    if not copies_storage(flags):
        return []
    from virtsh.drivers.qemu.snapshots import _qemu_img
    facts = {f["target"]: f for f in params.get("storage_disks") or ()}
    created = []
    try:
        for disk in copied_disks(root, params):
            path, fact = _source(disk), facts.get(disk.find("target").get("dev"))
            if fact is None or disk.get("type", "file") != "file" or os.path.exists(path):
                continue
            driver = disk.find("driver")
            fmt = (driver.get("type") if driver is not None else None) or fact["format"]
            args = ["create", "-q", "-f", fmt]
            if flags & D.MIGRATE_NON_SHARED_INC and fact.get("backing"):
                args += ["-b", fact["backing"], "-F", fact["backing_format"] or "raw"]
            _qemu_img(*args, path, str(fact["capacity"]))
            created.append(path)
    except BaseException:
        files.remove(*created)
        raise
    return created


def serve(dom, listen, params):
    """Export the copied disks of the incoming *dom* from an NBD server;
    where the source finds it ({"host", "port"} or {"socket"}), or None
    when there is nothing to copy."""
    from virtsh.drivers.qemu.migration import _free_port, _connect_host
    disks = copied_disks(dom._live_root(), params)
    if not disks:
        return None
    uri = params.get("disks_uri")
    if uri and uri.startswith("unix://"):
        where = {"socket": uri[len("unix://"):]}
        addr = {"type": "unix", "data": {"path": where["socket"]}}
    else:
        host, port = listen, params.get("disks_port")
        if uri:
            host, port = _tcp_address(uri, port)
        if port is not None and not 0 <= port <= 65535:
            raise VirtError(INVALID_ARG, "nbd port must be in range 0-65535")
        port = port or _free_port(host)
        where = {"host": _connect_host(host), "port": port}
        addr = {"type": "inet", "data": {"host": host.strip("[]"), "port": str(port)}}
    mon = dom._monitor()
    try:
        mon.cmd("nbd-server-start", addr=addr)     # QEMU's legacy address form
        inserted = _inserted(mon.cmd)
        for disk in disks:
            node = _top_node(inserted, disk)["node-name"]
            mon.cmd("block-export-add", type="nbd", id="libvirt-nbd-" + node,
                    name=_drive(disk), writable=True, **{"node-name": node})
    finally:
        mon.close()
    return where


def _tcp_address(uri, port):
    from urllib.parse import urlsplit
    parts = urlsplit(uri)
    if parts.scheme != "tcp":
        raise VirtError(INVALID_ARG, "Unsupported scheme in disks URI: %s" % parts.scheme)
    if not parts.hostname:
        raise VirtError(INVALID_ARG, "URI with tcp scheme did not provide a server "
                        "part: %s" % uri)
    return parts.hostname, parts.port or port


def stop_serving(mon):
    """End the destination's NBD server (the guest is about to run)."""
    _quietly(mon, "nbd-server-stop")


# --- source ---------------------------------------------------------------------
def drop_mirrors(mon):
    """Cancel (forcibly) whatever copy a migration left running and detach
    its NBD nodes: the guest stays on this host."""
    ours = [j for j in mon.cmd("query-block-jobs") if j["device"].startswith(JOB_PREFIX)]
    for job in ours:
        if job.get("status") != "concluded":
            _quietly(mon, "block-job-cancel", device=job["device"], force=True)
    _settle(mon, [j["device"] for j in ours])
    _detach(mon)


def _quietly(mon, command, **arguments):
    try:
        mon.cmd(command, **arguments)
    except VirtError:
        pass


def _settle(mon, names):
    """Wait for the jobs *names* to conclude and dismiss them; {name: error}."""
    errors = {}
    deadline = time.monotonic() + SETTLE_SECONDS
    while names:
        jobs = {j["device"]: j for j in mon.cmd("query-block-jobs")}
        for name in list(names):
            job = jobs.get(name)
            if job is None or job.get("status") == "concluded":
                if job is not None:
                    if job.get("error"):
                        errors[name] = job["error"]
                    _quietly(mon, "job-dismiss", id=name)
                names.remove(name)
        if names and time.monotonic() > deadline:
            raise VirtError(OPERATION_FAILED, "disk copies of the migration did not end")
        if names:
            time.sleep(0.05)
    return errors


def _detach(mon):
    nodes = [n["node-name"] for n in mon.cmd("query-named-block-nodes")
             if n.get("node-name", "").startswith(NODE_PREFIX)]
    for suffix in ("-format", "-storage"):
        for node in nodes:
            if node.endswith(suffix):
                _quietly(mon, "blockdev-del", **{"node-name": node})


def _mirror_state(jobs, job):
    """(JOB_* kind or None while it runs, disk statistics) of the mirrors
    the migration *job* record lists, from query-block-jobs' *jobs*."""
    total = processed = 0
    ready, kind, errmsg = True, None, None
    for dev, name in sorted(job["mirrors"].items()):
        entry = jobs.get(name)
        if entry is None or entry.get("status") in ("concluded", "aborting", "null"):
            if kind is None:
                kind = D.JOB_FAILED
                errmsg = "migration of disk %s failed%s" % (
                    dev, ": " + entry["error"] if entry and entry.get("error") else "")
            continue
        total += entry["len"]
        processed += entry["offset"]
        ready = ready and entry.get("ready", False)
    if job.get("aborted"):
        kind = D.JOB_CANCELLED
    # a mirror that is not ready has something left to copy by definition
    remaining = 0 if ready else max(total - processed, 1)
    stats = [("disk_total", total), ("disk_processed", processed),
             ("disk_remaining", remaining)]
    if errmsg and kind == D.JOB_FAILED:
        stats.append(("errmsg", errmsg))
    return kind, stats


class StorageCopyMixin(RunningBase):
    """The source's side of the storage copy (part of QemuDomain)."""

    def migrate_storage_disks(self, params=None, flags=0):
        self._running_status()
        mon = self._monitor()
        try:
            inserted = _inserted(mon.cmd)
        finally:
            mon.close()
        out = []
        for disk in copied_disks(self._live_root(), params or {}):
            image = _top_node(inserted, disk).get("image", {})
            out.append({"target": disk.find("target").get("dev"),
                        "capacity": image.get("virtual-size", 0),
                        "format": image.get("format", "raw"),
                        "backing": image.get("full-backing-filename")
                        or image.get("backing-filename"),
                        "backing_format": image.get("backing-filename-format")})
        return out

    def migrate_storage_start(self, target, params=None, flags=0):
        from virtsh.drivers.qemu.migration import read_job, _write_job
        params = params or {}
        nbd = target["nbd"]
        if "socket" in nbd:
            server = {"type": "unix", "path": nbd["socket"]}
        else:
            host = nbd.get("host") or target["uri"].split(":", 1)[1].rsplit(":", 1)[0]
            server = {"type": "inet", "host": host.strip("[]"), "port": str(nbd["port"])}
        with self.store.lock(self.name()):
            status = self._running_status()
            if read_job(self.store, self.name()):
                raise VirtError(OPERATION_INVALID, "another migration job is already "
                                "running for domain '%s'" % self.name())
            mon = self._monitor()
            try:
                inserted = _inserted(mon.cmd)
                mirrors = {}
                try:
                    for disk in copied_disks(self._live_root(), params):
                        dev = disk.find("target").get("dev")
                        mirrors[dev] = self._mirror(mon, disk, _top_node(inserted, disk),
                                                    server, params, flags)
                except BaseException:
                    drop_mirrors(mon)
                    raise
            finally:
                mon.close()
            _write_job(self.store, self.name(), {
                "started": time.time(), "mirrors": mirrors,
                "was_running": status["state"] == D.RUNNING})

    def _mirror(self, mon, disk, top, server, params, flags):
        from virtsh.drivers.qemu.migration import _qemu_speed
        dev, name = disk.find("target").get("dev"), _drive(disk)
        storage, fmt = NODE_PREFIX + dev + "-storage", NODE_PREFIX + dev + "-format"
        mon.cmd("blockdev-add", driver="nbd", server=server, export=name,
                **{"node-name": storage})
        mon.cmd("blockdev-add", driver="raw", file=storage, **{"node-name": fmt})
        args = {"job-id": name, "device": top["node-name"], "target": fmt,
                "sync": "top" if flags & D.MIGRATE_NON_SHARED_INC else "full",
                "auto-dismiss": False}
        if flags & SYNC_WRITES:
            args["copy-mode"] = "write-blocking"
        if params.get("bandwidth"):
            args["speed"] = _qemu_speed(params["bandwidth"])
        mon.cmd("blockdev-mirror", **args)
        return name

    def migrate_storage_finish(self, flags=0):
        from virtsh.drivers.qemu.migration import read_job, _write_job
        with self.store.lock(self.name()):
            job = read_job(self.store, self.name()) or {}
            mirrors = job.pop("mirrors", {})
            mon = self._monitor()
            try:
                for name in mirrors.values():
                    _quietly(mon, "block-job-cancel", device=name)
                errors = _settle(mon, list(mirrors.values()))
                _detach(mon)
            finally:
                mon.close()
            _write_job(self.store, self.name(), job)
        for dev, name in sorted(mirrors.items()):
            if name in errors:
                raise VirtError(OPERATION_FAILED, "migration of disk %s failed: %s"
                                % (dev, errors[name]))

    def _storage_job_stats(self, job):
        """Job statistics while disks are mirrored: their figures, and the
        memory's once it migrates too (data_* covers both, as libvirt's)."""
        from virtsh.drivers.qemu.migration import JOB_TYPES, job_params
        mon = self._monitor()
        try:
            jobs = {j["device"]: j for j in mon.cmd("query-block-jobs")}
            info, pending = {}, 0
            if "memory" in job:
                info = mon.cmd("query-migrate")
            else:       # the memory is all to come: progress counts it from the start
                pending = mon.cmd("query-memory-size-summary")["base-memory"]
        finally:
            mon.close()
        kind, disk = _mirror_state(jobs, job)
        stats = dict(job_params(info, job["started"]))
        if kind is None:
            kind = JOB_TYPES.get(info.get("status"), D.JOB_UNBOUNDED)
        figures = dict(disk)
        for part, memory in (("total", pending), ("processed", 0), ("remaining", pending)):
            stats["data_" + part] = (stats.get("memory_" + part, 0) + memory
                                     + figures["disk_" + part])
        stats.update(disk)
        return kind, list(stats.items())

    def _abort_storage_copy(self, job):
        """domjobabort while the disks are being mirrored (memory not yet)."""
        from virtsh.drivers.qemu.migration import _write_job
        with self.store.lock(self.name()):
            job["aborted"] = True
            _write_job(self.store, self.name(), job)
        mon = self._monitor()
        try:
            for name in job["mirrors"].values():
                _quietly(mon, "block-job-cancel", device=name, force=True)
        finally:
            mon.close()
