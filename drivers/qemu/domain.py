"""QemuDomain: one domain of a QemuConnection, read from disk on each call.

Like libvirt's virDomainPtr it is a handle (the name); the state lives in
the files of store.py and, while running, in QEMU itself.
"""
import os

from virtsh.drivers import domain as D
from virtsh.drivers import files
from virtsh.drivers.domain import Domain
from virtsh.drivers.errors import VirtError, NO_DOMAIN, OPERATION_INVALID
from virtsh.drivers.lazymixins import lazy_mixins
from virtsh.drivers.qemu import quickfacts, store as S

from virtsh.xmlconf import XML_INACTIVE, XML_MIGRATABLE

# The API mixins, imported when a command first needs one (lazymixins.py).
MIXINS = tuple(("virtsh.drivers.qemu." + module, cls) for module, cls in (
    ("migration", "MigrationMixin"), ("hotplug", "HotplugMixin"),
    ("resources", "ResourcesMixin"), ("stats", "StatsMixin"), ("guest", "GuestMixin"),
    ("saverestore", "SaveMixin"), ("metadata", "MetadataMixin"),
    ("snapshots", "SnapshotsMixin"), ("tuning", "TuningMixin"),
    ("tuning", "CgroupTuningMixin"),
    ("blockjobs", "BlockJobsMixin"), ("iothreads", "IOThreadsMixin")))


class QemuDomain(S.AutostartLinks, lazy_mixins(Domain, MIXINS)):
    """A guest of the QEMU driver."""

    def __init__(self, conn, name):
        super().__init__(conn)
        self._name = name
        self._defs = {}
        self._adopted = False       # orphan check done (once per handle)

    # --- records ----------------------------------------------------------
    @property
    def store(self):
        return self.conn.store

    def exists(self):
        return (os.path.exists(self.store.config(self._name))
                or self.store.status(self._name) is not None)

    def _status(self):
        """The runtime status (None: not running); a QEMU found without its
        supervisor is adopted by a new one on the way, and a migration whose
        driving process died is undone."""
        status = self.store.status(self._name)
        if status is not None and not self._adopted:
            self._adopted = True
            if not S.process_alive(status.get("supervisor", 0), status.get("supervisor_start")):
                from virtsh.drivers.qemu import lifecycle
                lifecycle.adopt_if_orphaned(self.store, self._name, status)
            if os.path.exists(self.store.run(self._name, "migration")):     # its job file
                from virtsh.drivers.qemu import migration
                if migration.settle_abandoned(self.store, self._name):
                    status = self.store.status(self._name)
        return status

    def _require_active(self):
        status = self._status()
        if status is None:
            if not self.exists():
                raise self._gone()
            raise VirtError(OPERATION_INVALID, "domain is not running")
        return status

    def _gone(self):
        return VirtError(NO_DOMAIN, "no domain with matching name '%s'" % self._name)

    def _definition_text(self, live):
        """The live (if running and *live*) or persistent XML."""
        text = self.store.live_xml(self._name) if live else None
        if text is None:
            text = self.store.config_xml(self._name)
        if text is None:
            text = self.store.live_xml(self._name)
        if text is None:
            raise self._gone()
        return text

    def _definition(self, live):
        """The live (if running and *live*) or persistent DomainDef."""
        from virtsh.xmlconf import domain as xd
        text = self._definition_text(live)
        key = hash(text)
        if key not in self._defs:
            # Stored documents are already complete and canonical: read them
            # as they are (defaults again would, e.g., reset a live VNC port).
            self._defs[key] = xd.DomainDef(xd.parse_document(text))
        return self._defs[key]

    # --- identity ---------------------------------------------------------
    def name(self):
        return self._name

    def uuid(self):
        return (quickfacts.uuid(self._definition_text(live=True))
                or self._definition(live=True).uuid)

    def id(self):
        status = self._status()
        return status["id"] if status else -1

    def os_type(self):
        return (quickfacts.os_type(self._definition_text(live=True))
                or self._definition(True).tree.findtext("os/type") or "hvm")

    def is_active(self):
        return self._status() is not None

    def is_persistent(self):
        return os.path.exists(self.store.config(self._name))

    def is_updated(self):
        return False

    # --- state and info ---------------------------------------------------
    def state(self):
        status = self._status()
        if status is None:
            if not self.exists():
                raise self._gone()
            return D.SHUTOFF, self.store.shutoff_reason(self._name)
        return S.state_of(status)

    def info(self):
        status = self._status()
        max_kib, cur_kib, vcpus = self._sizes(live=status is not None)
        if status is None:
            return D.SHUTOFF, max_kib, cur_kib, vcpus, 0
        return (status["state"], max_kib, cur_kib, vcpus, S.cpu_time_ns(status["pid"]))

    def has_managed_save(self):
        return os.path.exists(self.store.managed_save_path(self._name))

    def _sizes(self, live):
        """(maximum memory KiB, current memory KiB, vCPUs): read from the
        text of the definition, parsed only when that does not tell."""
        found = quickfacts.sizes(self._definition_text(live))
        if found is not None:
            return found
        from virtsh.drivers.qemu.command import memory_kib
        root = self._definition(live).tree
        max_kib = memory_kib(root)
        vcpu = root.find("vcpu")
        return (max_kib, memory_kib(root, "currentMemory") or max_kib,
                int(vcpu.get("current") or vcpu.text) if vcpu is not None else 1)

    def messages(self, flags=0):
        if self._status() is not None and os.geteuid() == 0:
            return ["tainted: running with undesirable elevated privileges"]
        return []

    def xml_desc(self, flags=0):
        from virtsh.drivers.qemu import qemuns
        status = self._status()
        live = status is not None and not flags & XML_INACTIVE
        if live and flags & XML_MIGRATABLE:     # what the start chose is undone
            return self._migratable_live_xml(flags)
        return qemuns.format(self._definition(live), flags,
                             live_id=status["id"] if live else None)

    def security_label(self):
        return ("", False)

    def security_model(self):
        return ("none", "0")

    # --- lifecycle --------------------------------------------------------
    def _qmp(self, command, **arguments):
        """Run a QMP command on the running domain (lock held by the caller)."""
        from virtsh.drivers.qemu import lifecycle
        return lifecycle.monitor_command(self.store, self._name, command, **arguments)

    def create(self, flags=0):
        with self.store.lock(self._name):
            if self._status() is not None:
                raise VirtError(OPERATION_INVALID, "domain is already running")
            if not self.is_persistent():
                raise self._gone()
            # (the check first: the save mixins load only when an image is there)
            if not (self.has_managed_save() and self.start_from_managed_save(flags)):
                # the stored definition is complete already (defaults applied at define)
                root = self._definition(live=False).copy().tree
                self.start_locked(root, paused=bool(flags & D.START_PAUSED), transient=False)
        if flags & D.START_AUTODESTROY:
            self.conn.destroy_on_close(self._name)

    def start_locked(self, root, paused, transient, extra_args=()):
        """Start QEMU for *root* (the domain's lock is held by the caller)."""
        from virtsh.drivers.qemu import lifecycle
        caps = self.conn.caps(root.findtext("devices/emulator").strip())
        try:
            lifecycle.start(self.store, self._name, root, caps, self.conn.conf,
                            paused=paused, transient=transient, extra_args=extra_args,
                            host=self.conn)
        except VirtError:
            if not transient and self.is_persistent():
                files.write_atomic(self.store.run(self._name, "shutoff"),
                                   str(S.SHUTOFF_FAILED), durable=False)
            raise

    def destroy(self, flags=0):
        from virtsh.drivers.qemu import lifecycle
        with self.store.lock(self._name):
            status = self._require_active()
            lifecycle.stop(self.store, self._name, status, "destroyed",
                           S.SHUTOFF_DESTROYED, graceful=bool(flags & 1))

    def shutdown(self, flags=0):
        if self._power_by_agent(flags, reboot=False):
            return
        with self.store.lock(self._name):
            self._require_active()
            self._qmp("system_powerdown")

    def reboot(self, flags=0):
        if self._power_by_agent(flags, reboot=True):
            return
        with self.store.lock(self._name):
            self._require_active()
            files.write_atomic(self.store.run(self._name, "reboot"), "1", durable=False)
            self._qmp("system_powerdown")

    def reset(self, flags=0):
        with self.store.lock(self._name):
            self._require_active()
            self._qmp("system_reset")

    def suspend(self):
        with self.store.lock(self._name):
            self._require_active()
            self._qmp("stop")
            self.store.update_state(self._name, D.PAUSED, D.PAUSED_USER)

    def resume(self):
        with self.store.lock(self._name):
            status = self._require_active()
            if status["state"] == D.RUNNING:
                raise VirtError(OPERATION_INVALID, "domain is already running")
            self._qmp("cont")
            self.store.update_state(self._name, D.RUNNING, D.RUNNING_UNPAUSED)

    def undefine(self, flags=0):
        with self.store.lock(self._name):
            if not self.is_persistent():
                if not self.exists():
                    raise self._gone()
                raise VirtError(OPERATION_INVALID, "cannot undefine transient domain")
            if self.has_managed_save():
                if not flags & D.UNDEFINE_MANAGED_SAVE:
                    raise VirtError(OPERATION_INVALID, "Refusing to undefine while "
                                    "domain managed save image exists")
                self.managed_save_remove()
            snapshots = self.snapshot_count()
            if snapshots:
                if not flags & D.UNDEFINE_SNAPSHOTS_METADATA:
                    raise VirtError(OPERATION_INVALID, "cannot delete inactive domain "
                                    "with %d snapshots" % snapshots)
                self._snapshots().drop()
            from virtsh.drivers.qemu import nvram
            nvram.on_undefine(self._definition(live=False).tree, flags)
            status = self._status()
            if status is not None:
                status["transient"] = True
                self.store.write_status(self._name, status)
            self.store.remove_definition(self._name)
            from virtsh.drivers.qemu import eventlog as E
            E.definition_event(self.store, self._name, E.UNDEFINED, E.UNDEFINED_REMOVED)

    # --- filters of list_all_domains ---------------------------------------
    def matches(self, flags):
        """Whether this domain passes virConnectListAllDomains' *flags*.
        Each property is read only when a flag asks about it: listing
        1,000 domains must not open their snapshot directories."""
        status = self._status()
        state = status["state"] if status is not None else D.SHUTOFF
        groups = (
            (D.LIST_ACTIVE | D.LIST_INACTIVE,
             lambda: D.LIST_ACTIVE if status is not None else D.LIST_INACTIVE),
            (D.LIST_PERSISTENT | D.LIST_TRANSIENT,
             lambda: D.LIST_PERSISTENT if self.is_persistent() else D.LIST_TRANSIENT),
            (D.LIST_RUNNING | D.LIST_PAUSED | D.LIST_SHUTOFF | D.LIST_OTHER,
             lambda: {D.RUNNING: D.LIST_RUNNING, D.PAUSED: D.LIST_PAUSED,
                      D.SHUTOFF: D.LIST_SHUTOFF}.get(state, D.LIST_OTHER)),
            (D.LIST_MANAGEDSAVE | D.LIST_NO_MANAGEDSAVE,
             lambda: D.LIST_MANAGEDSAVE if self.has_managed_save() else D.LIST_NO_MANAGEDSAVE),
            (D.LIST_AUTOSTART | D.LIST_NO_AUTOSTART,
             lambda: D.LIST_AUTOSTART if self.autostart() else D.LIST_NO_AUTOSTART),
            (D.LIST_HAS_SNAPSHOT | D.LIST_NO_SNAPSHOT,
             lambda: D.LIST_HAS_SNAPSHOT if self.snapshot_count() else D.LIST_NO_SNAPSHOT),
            (D.LIST_HAS_CHECKPOINT | D.LIST_NO_CHECKPOINT, lambda: D.LIST_NO_CHECKPOINT),
        )
        return all(flags & mine() for mask, mine in groups if flags & mask)
