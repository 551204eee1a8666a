"""LxcConnection: Linux containers as domains, without a daemon.

Definitions and runtime state live in the URI's directory tree (paths.py)
through the QEMU driver's state store; a running container has a forked
supervisor (supervisor.py) as the parent of its init.
"""
import os

from virtsh.drivers import domain as D
from virtsh.drivers.connection import Connection
from virtsh.drivers.errors import VirtError, DOM_EXIST, NO_DOMAIN, OPERATION_FAILED
from virtsh.drivers.lxc import paths
from virtsh.drivers.lxc.domain import LxcDomain
from virtsh.drivers.lxc.runtime import LxcStore

LIB_VERSION = 9000000


class LxcConnection(Connection):
    """A connection to the LXC driver of one directory tree."""

    def __init__(self, uri, readonly=False):
        super().__init__(uri, readonly)
        self.tree = paths.for_uri(uri)
        self.tree.ensure()
        self.store = LxcStore(self.tree)

    # --- the connection itself -------------------------------------------
    def get_uri(self):
        return str(self.uri)

    def get_type(self):
        return "LXC"

    def get_version(self):
        """The host kernel's version, as libvirt's LXC driver reports it."""
        numbers = (os.uname().release.split("-")[0].split(".") + ["0", "0"])[:3]
        major, minor, micro = (int("".join(c for c in n if c.isdigit()) or 0)
                               for n in numbers)
        return major * 1000000 + minor * 1000 + micro

    def get_lib_version(self):
        return LIB_VERSION

    def get_hostname(self):
        return os.uname().nodename

    def is_alive(self):
        return True

    def set_keep_alive(self, interval, count):
        return None

    def get_node_info(self):
        from virtsh.drivers.qemu import host
        return host.node_info()

    def get_free_memory(self):
        from virtsh.drivers.qemu import host
        return host.meminfo()["MemFree"] * 1024

    # --- domains ----------------------------------------------------------
    def _domain(self, name):
        dom = LxcDomain(self, name)
        return dom if dom.exists() else None

    def _domains(self):
        return [d for d in (self._domain(n) for n in self.store.names()) if d]

    def list_all_domains(self, flags=0):
        return [d for d in self._domains() if d.matches(flags)]

    def lookup_domain_by_name(self, name):
        dom = self._domain(name) if "/" not in name and not name.startswith(".") else None
        if dom is None:
            raise VirtError(NO_DOMAIN, "no domain with matching name '%s'" % name)
        return dom

    def lookup_domain_by_id(self, id_):
        for dom in self._domains():
            if dom.id() == id_:
                return dom
        raise VirtError(NO_DOMAIN, "no domain with matching id %d" % id_)

    def lookup_domain_by_uuid(self, uuid):
        wanted = uuid.replace("-", "").lower()
        for dom in self._domains():
            if dom.uuid().replace("-", "") == wanted:
                return dom
        raise VirtError(NO_DOMAIN, "no domain with matching uuid '%s'" % uuid)

    def prepare_definition(self, xml):
        """Parse *xml* and apply the LXC driver's defaults: a DomainDef."""
        from virtsh.xmlconf import domain as xd
        from virtsh.drivers.lxc import defaults, lxcns
        defn = xd.parse(xml)
        raw = xd.parse_document(xml)
        defaults.apply(defn.tree, raw)
        lxcns.keep(defn.tree, raw)
        return defn

    def _check_unique(self, name, uuid, allow_active=True):
        """libvirt's errors for a name or UUID that belongs to another domain."""
        existing = self._domain(name)
        if existing is not None and existing.uuid() != uuid:
            raise VirtError(DOM_EXIST, "domain '%s' already exists with uuid %s"
                            % (name, existing.uuid()))
        for other in self._domains():
            if other.uuid() == uuid and other.name() != name:
                state = "active" if other.is_active() else "defined with uuid %s" % uuid
                raise VirtError(OPERATION_FAILED, "domain '%s' is already %s"
                                % (other.name(), state))
        if not allow_active and existing is not None and existing.is_active():
            raise VirtError(OPERATION_FAILED, "domain '%s' is already active" % name)
        return existing

    def define_domain(self, xml, flags=0):
        from virtsh.drivers.lxc import lxcns
        defn = self.prepare_definition(xml)
        with self.store.lock(defn.name):
            self._check_unique(defn.name, defn.uuid)
            self.store.write_config(defn.name, lxcns.format(defn, 0x2))
        return LxcDomain(self, defn.name)

    def create_domain(self, xml, flags=0):
        defn = self.prepare_definition(xml)
        with self.store.lock(defn.name):
            existing = self._check_unique(defn.name, defn.uuid, allow_active=False)
            dom = LxcDomain(self, defn.name)
            dom.start_locked(defn.tree, transient=existing is None,
                             paused=bool(flags & D.START_PAUSED))
        return dom

    def domain_xml_from_native(self, native_format, native_config, flags=0):
        from virtsh.drivers.lxc import native
        return native.to_domain_xml(native_format, native_config)
