"""LxcDomain: one container of an LxcConnection, read from disk on each call.

A handle (the name), like libvirt's virDomainPtr.  Its files are the
QEMU driver's state store's (see runtime.py).
"""
import os
import signal
import time

from virtsh.drivers import domain as D
from virtsh.drivers import files
from virtsh.drivers.domain import Domain
from virtsh.drivers.errors import (VirtError, NO_DOMAIN, OPERATION_INVALID, INTERNAL_ERROR,
                                   OPERATION_FAILED)
from virtsh.drivers.qemu import store as S

from virtsh.xmlconf import XML_INACTIVE


class LxcDomain(S.AutostartLinks, Domain):
    """A container of the LXC driver."""

    def __init__(self, conn, name):
        super().__init__(conn)
        self._name = name

    # --- records ----------------------------------------------------------
    def exists(self):
        return self.is_persistent() or self._status() is not None

    def is_persistent(self):
        return os.path.exists(self.store.config(self._name))

    def _gone(self):
        return VirtError(NO_DOMAIN, "no domain with matching name '%s'" % self._name)

    def _require_active(self):
        status = self._status()
        if status is None:
            if not self.exists():
                raise self._gone()
            raise VirtError(OPERATION_INVALID, "domain is not running")
        return status

    @property
    def store(self):
        return self.conn.store

    def _status(self):
        return self.store.status(self._name)

    def _definition(self, live):
        from virtsh.xmlconf import domain as xd
        text = (self.store.live_xml(self._name) if live else None) \
            or self.store.config_xml(self._name) or self.store.live_xml(self._name)
        if text is None:
            raise self._gone()
        return xd.DomainDef(xd.parse_document(text))

    def _cgroup(self, status):
        from virtsh.drivers.lxc.cgroups import Cgroup
        return Cgroup.from_json(status["cgroup"])

    # --- identity and state ---------------------------------------------------
    def name(self):
        return self._name

    def uuid(self):
        return self._definition(live=True).uuid

    def id(self):
        status = self._status()
        return status["id"] if status else -1

    def os_type(self):
        return "exe"

    def is_active(self):
        return self._status() is not None

    def is_updated(self):
        return False

    def has_managed_save(self):
        return False

    def security_label(self):
        return ("", False)

    def security_model(self):
        return ("none", "0")

    def state(self):
        status = self._status()
        if status is None:
            if not self.exists():
                raise self._gone()
            return D.SHUTOFF, self.store.shutoff_reason(self._name)
        return S.state_of(status)

    def info(self):
        from virtsh.drivers.qemu.command import memory_kib
        status = self._status()
        root = self._definition(status is not None).tree
        max_kib = memory_kib(root)
        vcpu = root.find("vcpu")
        vcpus = int(vcpu.get("current") or vcpu.text) if vcpu is not None else 1
        if status is None:
            cur_kib = memory_kib(root, "currentMemory") or max_kib
            return D.SHUTOFF, max_kib, cur_kib, vcpus, 0
        cgroup = self._cgroup(status)
        return status["state"], max_kib, cgroup.memory_kib(), vcpus, cgroup.cpu_time_ns()

    def xml_desc(self, flags=0):
        from virtsh.drivers.lxc import lxcns
        status = self._status()
        live = status is not None and not flags & XML_INACTIVE
        return lxcns.format(self._definition(live), flags,
                            live_id=status["id"] if live else None)

    # --- lifecycle --------------------------------------------------------
    def create(self, flags=0):
        with self.store.lock(self._name):
            if self._status() is not None:
                raise VirtError(OPERATION_INVALID, "domain is already running")
            if not self.is_persistent():
                raise self._gone()
            from lxml import etree      # stored: already complete, no defaults again
            root = etree.fromstring(self.store.config_xml(self._name).encode())
            self.start_locked(root, transient=False, paused=bool(flags & D.START_PAUSED))

    def start_locked(self, root, transient, paused=False):
        """Start the container of the definition *root* (the caller holds the lock)."""
        from virtsh.drivers.lxc import lifecycle
        try:
            lifecycle.start(self.conn, self._name, root, transient, paused)
        except VirtError:
            if not transient and self.is_persistent():
                files.write_atomic(self.store.run(self._name, "shutoff"),
                                   str(S.SHUTOFF_FAILED), durable=False)
            raise

    def destroy(self, flags=0):
        from virtsh.drivers.lxc import lifecycle
        with self.store.lock(self._name):
            lifecycle.stop(self.store, self._name, self._require_active(),
                           "destroyed", S.SHUTOFF_DESTROYED)

    def shutdown(self, flags=0):
        """Ask init to end: SIGTERM (libvirt's signal mode)."""
        with self.store.lock(self._name):
            status = self._require_active()
            self._signal_init(status, signal.SIGTERM)

    def reboot(self, flags=0):
        """Start the container afresh: every process is killed, init runs again."""
        with self.store.lock(self._name):
            status = self._require_active()
            files.write_atomic(self.store.run(self._name, "reboot"), "1", durable=False)
            self._cgroup(status).kill_all()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            current = self._status()
            if current is None or current.get("init") != status.get("init"):
                return
            time.sleep(0.01)

    def _signal_init(self, status, signum):
        try:
            os.kill(status["init"], signum)
        except ProcessLookupError:
            raise VirtError(OPERATION_FAILED, "Failed to send signal %d to init" % signum) \
                from None

    def suspend(self):
        with self.store.lock(self._name):
            status = self._require_active()
            if not self._cgroup(status).set_frozen(True):
                raise VirtError(OPERATION_FAILED, "Suspend operation failed")
            self.store.update_state(self._name, D.PAUSED, D.PAUSED_USER)

    def resume(self):
        with self.store.lock(self._name):
            status = self._require_active()
            if status["state"] != D.PAUSED:
                raise VirtError(OPERATION_INVALID, "domain is not paused")
            if not self._cgroup(status).set_frozen(False):
                raise VirtError(OPERATION_FAILED, "Resume operation failed")
            self.store.update_state(self._name, D.RUNNING, D.RUNNING_UNPAUSED)

    def undefine(self, flags=0):
        with self.store.lock(self._name):
            if not self.is_persistent():
                if not self.exists():
                    raise self._gone()
                raise VirtError(OPERATION_INVALID, "cannot undefine transient domain")
            self.store.remove_definition(self._name)

    def snapshot_count(self):
        return 0            # containers have no snapshots

    def matches(self, flags):
        """Whether this domain passes virConnectListAllDomains' *flags*."""
        from virtsh.drivers.listing import wanted
        status = self._status()
        state = status["state"] if status else D.SHUTOFF
        states = {D.RUNNING: D.LIST_RUNNING, D.PAUSED: D.LIST_PAUSED,
                  D.SHUTOFF: D.LIST_SHUTOFF}
        by_state = D.LIST_RUNNING | D.LIST_PAUSED | D.LIST_SHUTOFF | D.LIST_OTHER
        return (wanted(flags, D.LIST_ACTIVE, D.LIST_INACTIVE, status is not None)
                and wanted(flags, D.LIST_PERSISTENT, D.LIST_TRANSIENT, self.is_persistent())
                and (not flags & by_state or flags & states.get(state, D.LIST_OTHER))
                and wanted(flags, D.LIST_NO_MANAGEDSAVE, D.LIST_MANAGEDSAVE, True)
                and wanted(flags, D.LIST_AUTOSTART, D.LIST_NO_AUTOSTART, self.autostart())
                and wanted(flags, D.LIST_NO_SNAPSHOT, D.LIST_HAS_SNAPSHOT, True)
                and wanted(flags, D.LIST_NO_CHECKPOINT, D.LIST_HAS_CHECKPOINT, True))

    # --- inside the container ------------------------------------------------
    def interface_addresses(self, source=0, flags=0):
        from virtsh.drivers.lxc import netdev
        status = self._require_active()
        out = []
        for name, mac, addrs in netdev.guest_addresses(status["init"]):
            out.append((name, mac, [(D.IP_ADDR_IPV6 if family == "inet6" else D.IP_ADDR_IPV4,
                                     address, prefix) for family, address, prefix in addrs]))
        return out

    def lxc_open_namespace(self, flags=0):
        """Open fds of the container's namespaces (user first, when it has its own)."""
        status = self._require_active()
        kinds = ["ipc", "mnt", "net", "pid", "uts"]
        ours = os.stat("/proc/self/ns/user").st_ino
        if os.stat("/proc/%d/ns/user" % status["init"]).st_ino != ours:
            kinds.insert(0, "user")
        try:
            return [os.open("/proc/%d/ns/%s" % (status["init"], kind), os.O_RDONLY)
                    for kind in kinds]
        except OSError as e:
            raise VirtError(INTERNAL_ERROR, "Unable to open namespaces: %s" % e.strerror) \
                from None

    def open_console(self, dev_name=None, flags=0):
        """A read/write fd on the container's console pty (console0, the only one)."""
        import termios
        status = self._require_active()
        if dev_name not in (None, "console0"):
            raise VirtError(INTERNAL_ERROR, "cannot find console device '%s'" % dev_name)
        fd = os.open(status["pty"], os.O_RDWR | os.O_NOCTTY)
        termios.tcflush(fd, termios.TCIFLUSH)       # no output of before we came
        return fd

    def set_memory(self, kib, flags=0):
        """Change the memory limit of the running container (and/or its config)."""
        from virtsh.drivers.lxc import lifecycle
        with self.store.lock(self._name):
            lifecycle.set_memory(self, kib, flags)
