"""QemuConnection: the QEMU driver's connection, daemonless.

Definitions live as XML files in the URI's directory tree (see paths.py
and store.py); running domains as status files beside a supervisor
process each.  Every process reads the disk afresh, so several virtsh
processes (and the supervisors) share one consistent view.
"""
import os

from virtsh.drivers import bootmark, domain as D
from virtsh.drivers.connection import Connection
from virtsh.drivers.errors import (VirtError, CONFIG_UNSUPPORTED, DOM_EXIST, NO_DOMAIN,
                                   OPERATION_FAILED, INVALID_ARG,
                                   OPERATION_INVALID, SYSTEM_ERROR)
from virtsh.drivers.lazymixins import lazy_mixins
from virtsh.drivers.qemu import conf, paths
from virtsh.drivers.qemu.domain import QemuDomain
from virtsh.drivers.qemu.store import Store

LIB_VERSION = 9000000           # the libvirt release whose behaviour we follow
DEFAULT_EMULATORS = {"x86_64": "/usr/bin/qemu-system-x86_64",
                     "i686": "/usr/bin/qemu-system-i386",
                     "aarch64": "/usr/bin/qemu-system-aarch64"}

# The API mixins, imported when a command first needs one (lazymixins.py).
MIXINS = (("virtsh.drivers.qemu.migration", "IncomingMixin"),
          ("virtsh.drivers.qemu.saverestore", "SaveImagesMixin"),
          ("virtsh.drivers.qemu.domstats", "DomainStatsMixin"),
          ("virtsh.drivers.qemu.events", "EventsMixin"),
          ("virtsh.drivers.localstorage", "LocalStorageMixin"),
          ("virtsh.drivers.localnetwork", "LocalNetworkMixin"),
          ("virtsh.drivers.localhost", "LocalHostMixin"))


class QemuConnection(lazy_mixins(Connection, MIXINS)):
    """A connection to the QEMU driver of one directory tree."""

    def __init__(self, uri, readonly=False):
        super().__init__(uri, readonly)
        self.tree = paths.for_uri(uri)
        self.tree.ensure()
        self.conf = conf.load(self.tree.conf_file)
        self.store = Store(self.tree)
        self._caps = {}
        self._autodestroy = {}
        if not bootmark.seen_this_boot(self._storage_dirs()[1]):
            self._autostart_pools()     # once per boot, as a daemon would
        if not bootmark.seen_this_boot(self._network_dirs()[1]):
            self._autostart_networks()

    # --- the connection itself -------------------------------------------
    def close(self):
        self._destroy_autodestroyed()

    def destroy_on_close(self, name):
        """START_AUTODESTROY: the guest *name* (its current QEMU) lives only
        as long as this connection; the process exiting closes it too."""
        status = self.store.status(name)
        if status is None:
            return
        if not self._autodestroy:
            import atexit
            atexit.register(self._destroy_autodestroyed)
        self._autodestroy[name] = status["pid"]

    def _destroy_autodestroyed(self):
        from virtsh.drivers.qemu import lifecycle, store as S
        for name, pid in self._autodestroy.items():
            with self.store.lock(name):
                status = self.store.status(name)
                if status is not None and status["pid"] == pid:
                    lifecycle.stop(self.store, name, status, "destroyed", S.SHUTOFF_DESTROYED)
        self._autodestroy = {}

    def get_uri(self):
        return str(self.uri)

    def get_type(self):
        return "QEMU"

    def get_version(self):
        return self.caps(self.default_emulator())["version"]

    def get_lib_version(self):
        return LIB_VERSION

    def get_hostname(self):
        import socket
        return socket.gethostname()

    def is_alive(self):
        return True

    def set_keep_alive(self, interval, count):
        return None

    # --- storage, networks, secrets: beside the domains' tree ----------------
    def _host_dirs(self, kind):
        """(config_dir, state_dir) of one kind of host object (ROOT/etc/KIND,
        ROOT/run/KIND for embed)."""
        return (os.path.join(os.path.dirname(self.tree.conf_file), kind),
                os.path.join(os.path.dirname(self.tree.run), kind))

    def _storage_dirs(self):
        return self._host_dirs("storage")

    def _network_dirs(self):
        return self._host_dirs("network")

    # --- host -------------------------------------------------------------
    def get_capabilities(self):
        from virtsh.drivers.qemu import host
        return host.capabilities_xml(self)

    def get_domain_capabilities(self, emulator=None, arch=None, machine=None,
                                virttype=None, flags=0):
        from virtsh.drivers.qemu import host
        return host.domain_capabilities_xml(self, emulator, arch, machine, virttype)

    def get_node_info(self):
        from virtsh.drivers.qemu import host
        return host.node_info()

    def get_free_memory(self):
        from virtsh.drivers.qemu import host
        return host.meminfo()["MemFree"] * 1024

    def get_max_vcpus(self, type_=None):
        from virtsh.drivers.qemu import host
        return host.max_vcpus(type_)

    # --- capabilities of emulators ----------------------------------------
    def default_emulator(self, arch="x86_64"):
        return DEFAULT_EMULATORS.get(arch, "/usr/bin/qemu-system-%s" % arch)

    def caps(self, emulator):
        from virtsh.drivers.qemu import caps
        if emulator not in self._caps:
            self._caps[emulator] = caps.load(emulator, self.tree.cache)
        return self._caps[emulator]

    # --- domains ----------------------------------------------------------
    def _domain(self, name):
        """The QemuDomain called *name*, or None."""
        dom = QemuDomain(self, name)
        return dom if dom.exists() else None

    def list_all_domains(self, flags=0):
        active_only = (flags & (D.LIST_ACTIVE | D.LIST_INACTIVE)) == D.LIST_ACTIVE
        names = self.store.names(active_only)
        domains = [d for d in (self._domain(n) for n in names) if d]
        return [d for d in domains if d.matches(flags)]

    def lookup_domain_by_name(self, name):
        dom = self._domain(name) if "/" not in name and not name.startswith(".") else None
        if dom is None:
            raise VirtError(NO_DOMAIN, "no domain with matching name '%s'" % name)
        return dom

    def lookup_domain_by_id(self, id_):
        for name in self.store.names():
            status = self.store.status(name)
            if status and status["id"] == id_:
                return QemuDomain(self, name)
        raise VirtError(NO_DOMAIN, "no domain with matching id %d" % id_)

    def lookup_domain_by_uuid(self, uuid):
        digits = uuid.replace("-", "").lower()
        dom = self._uuid_holder("-".join((digits[:8], digits[8:12], digits[12:16],
                                          digits[16:20], digits[20:])))
        if dom is None:
            raise VirtError(NO_DOMAIN, "no domain with matching uuid '%s'" % uuid)
        return dom

    def _uuid_holder(self, uuid):
        """The domain holding *uuid* (in its printed form), or None: the one
        the index names, if its definition still says so."""
        name = self.store.uuid_index().holder(uuid)
        dom = self._domain(name) if name is not None else None
        try:
            return dom if dom is not None and dom.uuid() == uuid else None
        except VirtError:               # gone meanwhile (another process)
            return None

    def prepare_definition(self, xml, schema_check=False):
        """Parse *xml* (first checked against the schema if *schema_check*)
        and apply the QEMU driver's defaults: a DomainDef."""
        from virtsh.xmlconf import domain as xd
        from virtsh.drivers.qemu import defaults, qemuns, validate
        defn = xd.parse(xml, xd.PARSE_VALIDATE if schema_check else 0,
                        features={xd.FEATURE_DISK_FD, xd.FEATURE_DEFAULT_USB})
        root = defn.tree
        raw = xd.parse_document(xml)
        _drop_test_nic_names(raw, root)
        arch = root.find("os/type").get("arch") if root.find("os/type") is not None else None
        emulator = root.findtext("devices/emulator")
        if not emulator:
            from lxml import etree
            devices = root.find("devices")
            if devices is None:
                devices = etree.SubElement(root, "devices")
            elem = etree.Element("emulator")
            elem.text = emulator = self.default_emulator(arch or "x86_64")
            devices.insert(0, elem)
        if root.get("type") not in ("qemu", "kvm"):
            raise VirtError(CONFIG_UNSUPPORTED, "Emulator '%s' does not support virt type '%s'"
                            % (emulator.strip(), root.get("type")))
        defaults.apply(root, self.caps(emulator.strip()), self.conf, raw,
                       nvram_dir=self.nvram_dir())
        validate.check(root, self.conf)
        qemuns.keep(root, raw)
        self._check_file_name(defn.name)
        return defn

    def nvram_dir(self):
        """Where the UEFI variable stores of this connection's guests live."""
        return os.path.join(self.tree.lib, "nvram")

    def _check_file_name(self, name):
        """Domain names become file names of the state tree (NAME.xml,
        NAME.status ...): refuse those no such file can carry ('/' is
        refused by the parser already)."""
        if name.startswith("."):        # hidden: the listing would never see it
            raise VirtError(OPERATION_INVALID, "domain name '%s' is not valid" % name)
        if len(name.encode()) + len(".status") > 255:
            raise VirtError(SYSTEM_ERROR, "cannot create config file '%s': "
                            "File name too long" % self.store.config(name))

    def _check_unique(self, name, uuid, allow_active=True, uuid_given=True):
        """libvirt's errors for a name or UUID that belongs to another domain.
        A UUID the parser made up (*uuid_given* False: 122 random bits)
        belongs to no other domain, so the index is not asked about it."""
        existing = self._domain(name)
        if existing is not None and existing.uuid() != uuid:
            raise VirtError(DOM_EXIST, "domain '%s' already exists with uuid %s"
                            % (name, existing.uuid()))
        other = self._uuid_holder(uuid) if uuid_given else None
        if other is not None and other.name() != name:
            if other.is_active():
                raise VirtError(OPERATION_FAILED, "domain '%s' is already active" % other.name())
            raise VirtError(OPERATION_FAILED, "domain '%s' is already defined with uuid %s"
                            % (other.name(), uuid))
        if not allow_active and existing is not None and existing.is_active():
            raise VirtError(OPERATION_FAILED, "domain '%s' is already active" % name)
        return existing

    def define_domain(self, xml, flags=0):
        from virtsh.drivers.qemu import qemuns
        defn = self.prepare_definition(xml, bool(flags & D.DEFINE_VALIDATE))
        name = defn.name
        if "\n" in name:                # as libvirt's define (create allows it)
            raise VirtError(INVALID_ARG, "invalid char in name: \n", raw=True)
        from virtsh.drivers.qemu import eventlog as E
        with self.store.lock(name):
            self._check_unique(name, defn.uuid, uuid_given=_names_uuid(xml))
            existed = os.path.exists(self.store.config(name))
            self.store.write_config(name, qemuns.format(defn, 0x3))    # inactive, secure: keep passwords
            E.definition_event(self.store, name, E.DEFINED,
                               E.DEFINED_UPDATED if existed else E.DEFINED_ADDED)
        return QemuDomain(self, name)

    def create_domain(self, xml, flags=0):
        defn = self.prepare_definition(xml, bool(flags & D.START_VALIDATE))
        name = defn.name
        with self.store.lock(name):
            existing = self._check_unique(name, defn.uuid, allow_active=False,
                                          uuid_given=_names_uuid(xml))
            dom = QemuDomain(self, name)
            dom.start_locked(defn.tree, paused=bool(flags & D.START_PAUSED),
                             transient=existing is None)
        if flags & D.START_AUTODESTROY:
            self.destroy_on_close(name)
        return dom

    def domain_xml_to_native(self, native_format, xml, flags=0):
        from virtsh.drivers.qemu import command, displays
        if native_format != "qemu-argv":
            raise VirtError(INVALID_ARG, "unsupported config type %s" % native_format)
        defn = self.prepare_definition(xml)
        root = defn.tree
        displays.setup_listens(root, self.conf, displays.domain_dir(self.tree.lib, -1, defn.name))
        displays.allocate_spice_ports(root, self.conf, pretend=True)
        from virtsh.drivers.qemu import channels
        channels.fill_paths(root, channels.directory(self.tree.lib, -1, defn.name))
        caps = self.caps(root.findtext("devices/emulator").strip())
        runtime = command.Runtime(monitor_path=os.path.join(
            self.tree.lib, "domain--1-%s" % defn.name, "monitor.sock"), kvm=True,
            conf=self.conf)
        argv = command.build(root, caps, runtime)
        return "LC_ALL=C " + " ".join(_shell_quote(a) for a in argv) + "\n"


def _names_uuid(xml):
    """Whether the document *xml* may give a <uuid> (else the parser made
    one up): an element can only be written as its tag."""
    return ("<uuid" if isinstance(xml, str) else b"<uuid") in xml


def _drop_test_nic_names(raw, root):
    """Remove the test driver's 'testnetN' NIC names xmlconf's generic step
    gave interfaces that had no <target> (QEMU names them only at start)."""
    had_target = [i.find("target") is not None for i in raw.findall("devices/interface")]
    for nic, had in zip(root.findall("devices/interface"), had_target):
        target = nic.find("target")
        if not had and target is not None and (target.get("dev") or "").startswith("testnet"):
            nic.remove(target)


def _shell_quote(arg):
    import shlex
    return shlex.quote(arg)

