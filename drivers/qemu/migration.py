"""Live migration for the QEMU driver: the source's and destination's phases.

The client (drivers/migrate.py) runs the phases over two connections, so
each one here is a short call that leaves state on disk for the next:

  begin    (source)       the migratable XML of the running guest
  prepare  (destination)  QEMU started with ``-incoming defer``, listening
  perform  (source)       QMP ``migrate`` started; run/NAME.migration records
                          the job, job_stats reports ``query-migrate``
  finish   (destination)  the arrived guest resumed (and defined if asked)
  confirm  (source)       QEMU stopped (reason migrated), or resumed when the
                          migration failed or was cancelled

``MigrationMixin`` is part of QemuDomain, ``IncomingMixin`` of QemuConnection.
"""
import json
import os
import time

from virtsh.drivers import domain as D
from virtsh.drivers import files
from virtsh.drivers.errors import (VirtError, OPERATION_INVALID, OPERATION_FAILED,
                                   INVALID_ARG, OVERFLOW)
from virtsh.drivers.qemu import storagecopy
from virtsh.drivers.qemu.running import RunningBase
from virtsh.drivers.qemu.storagecopy import StorageCopyMixin

from virtsh.xmlconf import XML_SECURE, XML_INACTIVE, XML_MIGRATABLE
PORT_RANGE = range(49152, 49216)            # libvirt's migration_port_min..max
MIB = 1 << 20
QEMU_MAX_SPEED_MIB = (1 << 63) // MIB - 1   # what "unlimited" reads as
ACTIVE = ("setup", "active", "pre-switchover", "device", "postcopy-active",
          "postcopy-paused", "postcopy-recover", "wait-unplug", "cancelling")
OPERATION_MIGRATION_IN, OPERATION_MIGRATION_OUT = 4, 5
JOB_TYPES = {"completed": D.JOB_COMPLETED, "failed": D.JOB_FAILED,
             "cancelled": D.JOB_CANCELLED}


# --- the job record ---------------------------------------------------------
def _job_path(store, name):
    return store.run(name, "migration")


def read_job(store, name):
    """The migration job recorded for *name* (None: no migration)."""
    text = files.read_text(_job_path(store, name))
    return json.loads(text) if text else None


def _write_job(store, name, job):
    """Record *job* as driven by this process: should it die before the
    job ends, settle_abandoned undoes what it left half-way."""
    from virtsh.drivers.qemu import store as S
    job = dict(job, owner=os.getpid(), owner_start=S.proc_start_time(os.getpid()))
    files.write_atomic(_job_path(store, name), json.dumps(job), durable=False)


def status_locked(store, name):
    """The status of *name* while its lock is held; a QEMU found gone in
    the middle of a migration phase is settled as "failed" (not "crashed",
    Store.status's guess), without waiting for its supervisor."""
    from virtsh.drivers.qemu import store as S
    text = files.read_text(store.run(name, "status"))
    if not text:
        return None
    status = json.loads(text)
    if status.get("pid") and S.process_alive(status["pid"], status.get("start_time")):
        return status
    store.finish(name, store.ending_reason(name, S.SHUTOFF_FAILED))
    return None


def _capabilities(flags):
    """QMP migration capabilities both ends must agree on, from *flags*."""
    return [{"capability": cap, "state": bool(flags & bit)} for cap, bit in (
        ("xbzrle", D.MIGRATE_COMPRESSED), ("auto-converge", D.MIGRATE_AUTO_CONVERGE),
        ("postcopy-ram", D.MIGRATE_POSTCOPY), ("multifd", D.MIGRATE_PARALLEL))]


def _tcp_uri(uri):
    """QEMU's form (tcp:HOST:PORT) of a migration URI (tcp://HOST:PORT too)."""
    if uri.startswith("tcp://"):
        uri = "tcp:" + uri[len("tcp://"):].rstrip("/")
    if not uri.startswith("tcp:"):
        raise VirtError(INVALID_ARG, "unsupported scheme %s in migration URI %s"
                        % (uri.split(":", 1)[0], uri))
    return uri


def job_params(info, started):
    """libvirt's typed job statistics from QEMU's query-migrate answer."""
    ram = info.get("ram", {})
    elapsed = int((time.time() - started) * 1000)
    out = [("operation", OPERATION_MIGRATION_OUT), ("time_elapsed", elapsed)]
    if ram:
        out += [("data_total", ram.get("total", 0)),
                ("data_processed", ram.get("transferred", 0)),
                ("data_remaining", ram.get("remaining", 0)),
                ("memory_total", ram.get("total", 0)),
                ("memory_processed", ram.get("transferred", 0)),
                ("memory_remaining", ram.get("remaining", 0)),
                ("memory_constant", ram.get("duplicate", 0)),
                ("memory_normal", ram.get("normal", 0)),
                ("memory_normal_bytes", ram.get("normal-bytes", 0)),
                ("memory_bps", int(ram.get("mbps", 0) * 1e6 / 8)),
                ("memory_dirty_rate", ram.get("dirty-pages-rate", 0)),
                ("memory_page_size", ram.get("page-size", 4096)),
                ("memory_iteration", ram.get("dirty-sync-count", 0)),
                ("memory_postcopy_requests", ram.get("postcopy-requests", 0))]
    if "downtime" in info:
        out.append(("downtime", info["downtime"]))
    elif "expected-downtime" in info:
        out.append(("downtime", info["expected-downtime"]))
    if "setup-time" in info:
        out.append(("setup_time", info["setup-time"]))
    if "error-desc" in info:
        out.append(("errmsg", info["error-desc"]))
    return out


def unfill_graphics(live, original):
    """Undo in *live* what starting the guest chose for its displays, as
    libvirt's migratable XML does; *original* is the definition the guest
    was started from (None: unknown, every listen address counts as chosen)."""
    before = original.findall("devices/graphics") if original is not None else []
    for i, g in enumerate(live.findall("devices/graphics")):
        if g.get("type") not in ("vnc", "spice"):
            continue
        given = before[i] if i < len(before) else None
        given_socket = given is not None and (given.get("socket") or given.find(
            "listen[@type='socket']") is not None)
        if given_socket and not (given.get("socket")
                                 or given.find("listen[@type='socket']").get("socket")):
            g.attrib.pop("socket", None)        # a path the start generated
            for listen in g.findall("listen[@type='socket']"):
                listen.attrib.pop("socket", None)
        if g.get("socket") and not given_socket:
            del g.attrib["socket"]
            g.set("autoport", "yes")
        for listen in g.findall("listen"):
            if listen.get("type") == "socket" and not given_socket:
                listen.set("type", "address")
                listen.attrib.pop("socket", None)
                if g.get("type") == "spice":    # as libvirt: even from autoport='no'
                    g.set("autoport", "yes")
            given_listen = given.find("listen") if given is not None else None
            given_address = given is not None and (given.get("listen") or (
                given_listen is not None and given_listen.get("address")))
            if (listen.get("type") == "address" and listen.get("address")
                    and not given_address and (given is not None or original is None)):
                del listen.attrib["address"]
                g.attrib.pop("listen", None)
        if g.get("autoport") == "yes" and g.get("type") == "spice":
            g.attrib.pop("port", None)
            g.attrib.pop("tlsPort", None)
        elif g.get("autoport") == "yes":
            g.set("port", "-1")
            if g.get("tlsPort"):
                g.set("tlsPort", "-1")
        # keep libvirt's attribute order: type, port, autoport, listen
        attrs = dict(g.attrib)
        g.attrib.clear()
        for key in ("type", "port", "tlsPort", "autoport"):
            if key in attrs:
                g.set(key, attrs.pop(key))
        for key, value in attrs.items():
            g.set(key, value)


def _cancel_and_wait(mon):
    """Cancel the outgoing migration, if one runs, and wait for it to end;
    QEMU's final migration status."""
    info = mon.cmd("query-migrate")
    if info.get("status") in ACTIVE:
        mon.cmd("migrate_cancel")
        deadline = time.monotonic() + 10
        while (info.get("status") in ACTIVE and time.monotonic() < deadline):
            time.sleep(0.02)
            info = mon.cmd("query-migrate")
    return info.get("status")


def _resume_after_failure(store, name, mon, was_running):
    """Leave the guest as it was before the migration began; the job record
    goes last (a reader that finds none finds the final state)."""
    if was_running:
        if mon.cmd("query-status").get("status") != "running":
            mon.cmd("cont")
        store.update_state(name, D.RUNNING, D.RUNNING_MIGRATION_CANCELED)
    files.remove(_job_path(store, name))


# --- a migration whose driving process died ----------------------------------
def settle_abandoned(store, name):
    """Undo the migration job of *name* if the process driving it (the
    client, or the remote helper serving it) is gone: the destination
    drops its incoming guest, the source cancels and resumes its own.  A
    source whose QEMU had already handed the guest over stays paused: the
    destination may have resumed it, and two running copies would be
    worse than a paused one.  Called by the supervisors while they idle
    and by commands; whether a job was settled (here, or meanwhile by
    someone else: the status has changed)."""
    if not _abandoned(read_job(store, name)):
        return False
    from virtsh.drivers.qemu import lifecycle, store as S
    with store.lock(name):
        job = read_job(store, name)
        if not _abandoned(job):
            return True
        status = status_locked(store, name)
        if status is None:
            files.remove(_job_path(store, name), *job.get("created", ()))
        elif job.get("incoming"):
            lifecycle.stop(store, name, status, "failed", S.SHUTOFF_FAILED)
            files.remove(_job_path(store, name), *job.get("created", ()))
        else:
            _recover_source(store, name, job)
    return True


def _abandoned(job):
    from virtsh.drivers.qemu import store as S
    return bool(job and job.get("owner")) and not S.process_alive(
        job["owner"], job.get("owner_start"))


def _recover_source(store, name, job):
    from virtsh.drivers.qemu import lifecycle
    mon = lifecycle.connect_monitor(store, name)
    try:
        outcome = _cancel_and_wait(mon)
        storagecopy.drop_mirrors(mon)
        if outcome == "completed":
            store.update_state(name, D.PAUSED, D.PAUSED_MIGRATION)
            files.remove(_job_path(store, name))
        else:
            _resume_after_failure(store, name, mon, bool(job.get("was_running")))
    finally:
        mon.close()


# --- source side --------------------------------------------------------------
class MigrationMixin(StorageCopyMixin, RunningBase):
    """The source's phases and the tunables of an outgoing migration."""

    def migrate_begin(self, params=None, flags=0):
        params = params or {}
        if flags & D.MIGRATE_OFFLINE:
            if flags & (D.MIGRATE_NON_SHARED_DISK | D.MIGRATE_NON_SHARED_INC):
                raise VirtError(OPERATION_INVALID,
                                "offline migration cannot handle non-shared storage")
            if not flags & D.MIGRATE_PERSIST_DEST:
                raise VirtError(OPERATION_INVALID, "offline migration must be "
                                "specified with the persistent flag set")
            if not self.is_persistent():
                if not self.exists():
                    raise self._gone()
                raise VirtError(OPERATION_INVALID, "cannot migrate a transient domain "
                                "offline")
            xml = self.xml_desc(XML_SECURE | XML_INACTIVE | XML_MIGRATABLE)
        else:
            self._running_status()
            if read_job(self.store, self.name()):
                raise VirtError(OPERATION_INVALID, "another migration job is already "
                                "running for domain '%s'" % self.name())
            storagecopy.check_begin(flags, params)
            xml = self._migratable_live_xml()
        wanted = params.get("destination_xml")
        if wanted:
            from virtsh.drivers.qemu.saverestore import checked_xml
            xml = checked_xml(self.conn, xml, wanted)
        return xml

    def _migratable_live_xml(self, flags=XML_SECURE | XML_MIGRATABLE):
        """The running definition for the destination: what this host
        filled in at start (ports, qemu.conf's listen addresses, automatic
        sockets) goes back to "choose for yourself"."""
        import copy
        from virtsh.drivers.qemu import qemuns
        from virtsh.xmlconf import domain as xd
        live = copy.deepcopy(self._definition(True).tree)
        self._undo_start_choices(live)      # before the migratable rules see it
        from virtsh.drivers.qemu.live import defined_cpu, drop_detected_chains
        drop_detected_chains(defined_cpu(live, self._status()))
        return qemuns.format(xd.DomainDef(live), flags)

    def _undo_start_choices(self, live):
        """unfill_graphics of the live tree *live* against the definition
        the guest was started from (for migration and save images)."""
        from virtsh.xmlconf import domain as xd
        original = None
        if self.is_persistent():
            original = xd.parse_document(self.store.config_xml(self.name()))
        unfill_graphics(live, original)

    def migrate(self, dest_conn, params=None, flags=0):
        from virtsh.drivers import migrate
        return migrate.migrate(self, dest_conn, params, flags)

    def migrate_to_uri(self, dest_uri, params=None, flags=0):
        """Peer to peer: this host opens the destination and drives."""
        from virtsh import drivers
        from virtsh.drivers import migrate
        migrate.migrate(self, drivers.open(dest_uri), params, flags)

    def migrate_perform(self, target, params=None, flags=0):
        params = params or {}
        self._running_status()
        with self.store.lock(self.name()):
            status = status_locked(self.store, self.name())
            if status is None:
                raise VirtError(OPERATION_INVALID, "domain is not running")
            was_running = status["state"] == D.RUNNING
            mon = self._monitor()
            try:
                mon.cmd("migrate-set-capabilities", capabilities=_capabilities(flags))
                tunables = {"max-bandwidth": _qemu_speed(
                    params.get("bandwidth") or self.migrate_get_max_speed())}
                postcopy_speed = params.get("bandwidth.postcopy") or \
                    self.migrate_get_max_speed(1)
                if postcopy_speed:
                    tunables["max-postcopy-bandwidth"] = _qemu_speed(postcopy_speed)
                if flags & D.MIGRATE_PARALLEL and "parallel.connections" in params:
                    tunables["multifd-channels"] = params["parallel.connections"]
                mon.cmd("migrate-set-parameters", **tunables)
                job = read_job(self.store, self.name()) or {"started": time.time()}
                job.update(was_running=was_running, memory=True)   # disks may be mirrored
                _write_job(self.store, self.name(), job)
                if was_running and not flags & D.MIGRATE_LIVE:
                    mon.cmd("stop")
                    self.store.update_state(self.name(), D.PAUSED, D.PAUSED_MIGRATION)
                try:
                    mon.cmd("migrate", uri=_tcp_uri(target["uri"]))
                except VirtError:
                    _resume_after_failure(self.store, self.name(), mon, was_running)
                    raise
            finally:
                mon.close()

    def migrate_confirm(self, params=None, flags=0, cancelled=False):
        from virtsh.drivers.qemu import lifecycle
        with self.store.lock(self.name()):
            job = read_job(self.store, self.name())
            status = status_locked(self.store, self.name())
            if flags & D.MIGRATE_OFFLINE and not cancelled:
                self._undefine_source(flags)
                return
            if status is None:
                files.remove(_job_path(self.store, self.name()))
                if cancelled:
                    raise VirtError(OPERATION_FAILED, "domain '%s' is not running any "
                                    "more" % self.name())
                self._undefine_source(flags)
                return
            if cancelled:
                mon = self._monitor()
                try:
                    _cancel_and_wait(mon)
                    storagecopy.drop_mirrors(mon)
                    _resume_after_failure(self.store, self.name(), mon,
                                          bool(job and job["was_running"]))
                finally:
                    mon.close()
                return
            files.remove(_job_path(self.store, self.name()))
            lifecycle.stop(self.store, self.name(), status, "migrated", D.SHUTOFF_MIGRATED)
            self._undefine_source(flags)

    def _undefine_source(self, flags):
        if flags & D.MIGRATE_UNDEFINE_SOURCE and self.is_persistent():
            self.store.remove_definition(self.name())

    # --- the job while it runs ---------------------------------------------
    def job_stats(self, flags=0):
        job = read_job(self.store, self.name())
        if job is None:
            return super().job_stats(flags)
        if job.get("mirrors"):
            return self._storage_job_stats(job)
        info = self._qmp_once("query-migrate")
        kind = JOB_TYPES.get(info.get("status"), D.JOB_UNBOUNDED)
        return kind, job_params(info, job["started"])

    def abort_job(self):
        self.abort_job_flags(0)

    def abort_job_flags(self, flags=0):
        self._running_status()
        job = read_job(self.store, self.name())
        if job is None:
            from virtsh.drivers.qemu import jobs        # a save or dump, perhaps
            if not jobs.request_abort(self.store, self.name()):
                raise VirtError(OPERATION_INVALID, "no job is active on the domain")
            return
        if job.get("mirrors") and "memory" not in job:
            self._abort_storage_copy(job)
        else:
            self._qmp_once("migrate_cancel")

    def migrate_start_post_copy(self, flags=0):
        self._running_status()
        if read_job(self.store, self.name()) is None:
            raise VirtError(OPERATION_INVALID, "post-copy can only be started while "
                            "outgoing migration is in progress")
        self._qmp_once("migrate-start-postcopy")

    # --- tunables ---------------------------------------------------------
    def _parameters(self):
        return self._qmp_once("query-migrate-parameters")

    def migrate_set_max_downtime(self, downtime_ms, flags=0):
        self._qmp_once("migrate-set-parameters", **{"downtime-limit": downtime_ms})

    def migrate_get_max_downtime(self, flags=0):
        return self._parameters()["downtime-limit"]

    # The speed limits are kept beside the domain (as libvirt keeps them in
    # its private data, unlimited by default) and applied when a migration
    # starts; a running migration is slowed down or sped up at once.
    def _speed_path(self, postcopy):
        return self.store.run(self.name(), "postcopy-speed" if postcopy else "speed")

    def migrate_set_max_speed(self, bandwidth, flags=0):
        if not self.exists():
            raise self._gone()
        if bandwidth > QEMU_MAX_SPEED_MIB:
            raise VirtError(OVERFLOW, "bandwidth must be less than %d"
                            % (QEMU_MAX_SPEED_MIB + 1))
        postcopy = bool(flags & 1)
        files.write_atomic(self._speed_path(postcopy), str(bandwidth), durable=False)
        if read_job(self.store, self.name()) is not None:
            key = "max-postcopy-bandwidth" if postcopy else "max-bandwidth"
            self._qmp_once("migrate-set-parameters", **{key: _qemu_speed(bandwidth)})

    def migrate_get_max_speed(self, flags=0):
        if not self.exists():
            raise self._gone()
        postcopy = bool(flags & 1)
        text = files.read_text(self._speed_path(postcopy))
        return int(text) if text else (0 if postcopy else QEMU_MAX_SPEED_MIB)


# --- destination side ---------------------------------------------------------
class IncomingMixin:
    """The destination's phases (part of QemuConnection)."""

    def migrate_prepare(self, xml, params=None, flags=0):
        from virtsh.drivers.qemu import qemuns
        from virtsh.drivers.qemu.domain import QemuDomain
        params = params or {}
        defn = self.prepare_definition(xml)
        if params.get("destination_name"):
            defn.tree.find("name").text = params["destination_name"]
        name = defn.tree.findtext("name")
        with self.store.lock(name):
            existing = self._check_unique(name, defn.uuid, allow_active=False)
            if flags & D.MIGRATE_OFFLINE:
                persistent = params.get("persistent_xml")
                defined = self.prepare_definition(persistent) if persistent else defn
                self.store.write_config(name, qemuns.format(defined, XML_INACTIVE))
                return {"uri": None, "name": name}
            dom = QemuDomain(self, name)
            listen = params.get("listen_address") or "0.0.0.0"
            wanted = params.get("migrate_uri")
            port = int(_tcp_uri(wanted).rsplit(":", 1)[1]) if wanted else _free_port(listen)
            _write_job(self.store, name, {"incoming": True, "started": time.time()})
            created = storagecopy.precreate(defn.tree, params, flags)
            try:
                dom.start_locked(defn.tree, paused=True, transient=existing is None,
                                 extra_args=("-incoming", "defer"))
            except BaseException:
                files.remove(*created, _job_path(self.store, name))
                raise
            nbd = None
            try:
                dom._qmp("migrate-set-capabilities", capabilities=_capabilities(flags))
                if flags & D.MIGRATE_PARALLEL and "parallel.connections" in params:
                    dom._qmp("migrate-set-parameters",
                             **{"multifd-channels": params["parallel.connections"]})
                port = _listen_incoming(dom, listen, port, chosen=not wanted)
                if storagecopy.copies_storage(flags):
                    nbd = storagecopy.serve(dom, listen, params)
            except BaseException:
                self._discard_incoming(dom)
                files.remove(*created)
                raise
            _write_job(self.store, name, {"incoming": True, "started": time.time(),
                                          "created": created, "nbd": bool(nbd)})
        return {"uri": wanted, "host": _connect_host(listen), "port": port, "name": name,
                "nbd": nbd}

    def migrate_finish(self, name, params=None, flags=0, cancelled=False):
        from virtsh.drivers.qemu import qemuns
        from virtsh.drivers.qemu.domain import QemuDomain
        from virtsh.drivers.qemu.saverestore import _wait_incoming
        params = params or {}
        dom = QemuDomain(self, name)
        if flags & D.MIGRATE_OFFLINE:
            return None if cancelled else dom
        with self.store.lock(name):
            job = read_job(self.store, name) or {}
            files.remove(_job_path(self.store, name))
            if cancelled:
                self._discard_incoming(dom)
                files.remove(*job.get("created", ()))
                return None
            if status_locked(self.store, name) is None:
                raise VirtError(OPERATION_FAILED, "domain '%s' stopped during the incoming "
                                "migration" % name)
            mon = dom._monitor()
            try:
                _wait_incoming(mon)
                if job.get("nbd"):
                    storagecopy.stop_serving(mon)
                if not flags & D.MIGRATE_PAUSED:
                    mon.cmd("cont")
            except VirtError:
                mon.close()
                self._discard_incoming(dom)
                raise
            mon.close()
            if flags & D.MIGRATE_PAUSED:
                self.store.update_state(name, D.PAUSED, D.PAUSED_USER)
            else:
                self.store.update_state(name, D.RUNNING, D.RUNNING_MIGRATED)
            if flags & D.MIGRATE_PERSIST_DEST:
                persistent = params.get("persistent_xml") or self.store.live_xml(name)
                self.store.write_config(name, qemuns.format(
                    self.prepare_definition(persistent), XML_INACTIVE))
                status = self.store.status(name)
                status["transient"] = False
                self.store.write_status(name, status)
        return dom

    def _discard_incoming(self, dom):
        from virtsh.drivers.qemu import lifecycle, store as S
        status = status_locked(self.store, dom.name())
        if status is not None:
            lifecycle.stop(self.store, dom.name(), status, "failed", S.SHUTOFF_FAILED)


def _qemu_speed(mib):
    """QEMU's max-bandwidth (bytes/s) for a limit in MiB/s (QEMU takes at
    most 2^53 - 1)."""
    return min(mib * MIB, (1 << 53) - 1)


def _listen_incoming(dom, listen, port, chosen):
    """Have the incoming QEMU listen on *port*; the port it listens on.

    A port we *chose* was free when checked, but another process may bind
    it before QEMU does (concurrent migrations): then try the next free
    one, as QEMU accepts migrate-incoming again after a failed attempt."""
    host = "[%s]" % listen if ":" in listen else listen
    tried = set()
    for attempt in range(5):
        try:
            dom._qmp("migrate-incoming", uri="tcp:%s:%d" % (host, port))
            return port
        except VirtError as e:
            if not chosen or attempt == 4 or "Address already in use" not in str(e):
                raise
            tried.add(port)
            port = _free_port(listen, tried)


def _free_port(listen, tried=()):
    import socket
    family = socket.AF_INET6 if ":" in listen else socket.AF_INET
    for port in PORT_RANGE:
        if port in tried:
            continue
        with socket.socket(family) as s:
            try:
                s.bind((listen, port))
                return port
            except OSError:
                continue
    raise VirtError(OPERATION_FAILED, "Unable to find an unused port in range "
                    "'migration' (%d-%d)" % (PORT_RANGE[0], PORT_RANGE[-1]))


def _connect_host(listen):
    """The address the source is told to connect to (None: the client picks
    the destination's host name, see drivers/migrate.py)."""
    if listen in ("0.0.0.0", "::", "[::]"):
        return None
    return "[%s]" % listen if ":" in listen else listen
