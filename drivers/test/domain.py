"""Test driver: one domain's state (DomainRecord) and its API (TestDomain).

A DomainRecord is what libvirt's virDomainObj is: the persistent
definition (``config``, None for a transient domain), the live one while
running (``live``), state and reason numbers, id, autostart, managed save.
Definitions are xmlconf DomainDefs, parsed lazily: the default node's
domain starts as plain numbers (``summary``) plus XML text, so ``list`` and
``dominfo`` never parse XML.

TestDomain is the handle a connection hands out; like libvirt's
virDomainPtr it names a domain by UUID and finds the record on each call.
"""
import time

from virtsh.drivers import domain as D
from virtsh.drivers.domain import Domain
from virtsh.drivers.test.devices import DomainDevicesMixin
from virtsh.drivers.test.snapshots import DomainSnapshotsMixin
from virtsh.drivers.errors import (
    VirtError, INTERNAL_ERROR, INVALID_ARG, NO_DOMAIN,
    OPERATION_INVALID, XML_ERROR, check_flags)

MAX_VCPUS = 32          # the test driver's virConnectGetMaxVcpus

_UNIT_BYTES = {"b": 1, "bytes": 1, "KB": 1000, "k": 1024, "KiB": 1024,
               "MB": 1000**2, "M": 1024**2, "MiB": 1024**2,
               "GB": 1000**3, "G": 1024**3, "GiB": 1024**3,
               "TB": 1000**4, "T": 1024**4, "TiB": 1024**4}


class DomainRecord:
    """The state of one domain of a test connection."""

    def __init__(self, name, uuid, xml=None, config=None, summary=None):
        self.name = name
        self.uuid = uuid
        self.id = -1
        self.state = D.SHUTOFF
        self.reason = D.REASON_UNKNOWN
        self.persistent = True
        self.autostart = False
        self.managed_save = False
        self.snapshot_elems = []        # raw <test:domainsnapshot> elements of a node file
        self.moments = None             # snapshots and checkpoints: drivers/test/snapshots.py
        self.guest = None               # guest clock and frozen filesystems: drivers/test/guest.py
        self._xml = xml                 # definition text not parsed yet
        self._config = config
        self._live = None
        self.summary = summary          # (max KiB, current KiB, vcpus, title) while unparsed

    # --- definitions ------------------------------------------------------
    def _parse_pending(self):
        if self._xml is not None:
            from virtsh.xmlconf import domain as xd
            self._config = xd.parse(self._xml)
            self._xml = None
            if self.active:
                self._live = self._config.copy()
            self.summary = None

    @property
    def config(self):
        """The persistent definition (None for a transient domain)."""
        self._parse_pending()
        return self._config if self.persistent else None

    @property
    def live(self):
        """The running definition (None while shut off)."""
        self._parse_pending()
        return self._live

    @property
    def current(self):
        """The definition in force: live while running, else persistent."""
        self._parse_pending()
        return self._live if self.active else self._config

    def set_config(self, defn):
        self._parse_pending()
        self._config = defn

    def unparsed_xml(self, live_id):
        """The definition as xmlconf would format it, straight from the text
        kept unparsed (which is xmlconf's inactive form), or None once the
        definition has been parsed.  Spares ``dumpxml`` of the default node
        the XML libraries; tests/unit/test_test_driver_fast_xml.py proves it
        matches xmlconf's formatting."""
        text = self._xml
        if text is None or live_id is None:
            return text
        end = text.index("'", text.index("type='") + 6) + 1
        return "%s id='%d'%s" % (text[:end], live_id, text[end:])

    def touch(self):
        """Forget the unparsed summary before a definition changes."""
        self._parse_pending()
        self.summary = None

    @property
    def active(self):
        return self.state != D.SHUTOFF

    def defs(self, flags, what="domain"):
        """libvirt's virDomainObjGetDefs: [live, config] as AFFECT_* flags
        select them (either may be None), with its errors."""
        live_flag = bool(flags & D.AFFECT_LIVE)
        config_flag = bool(flags & D.AFFECT_CONFIG)
        if not live_flag and not config_flag:
            live_flag, config_flag = self.active, not self.active
        if live_flag and not self.active:
            raise VirtError(OPERATION_INVALID, "domain is not running")
        if config_flag and not self.persistent:
            raise VirtError(OPERATION_INVALID,
                            "transient domains do not have any persistent config")
        self._parse_pending()
        return (self._live if live_flag else None,
                self._config if config_flag else None)

    # --- state changes ----------------------------------------------------
    def start(self, next_id, reason=D.RUNNING_BOOTED):
        """Run: the live definition starts as a copy of the persistent one
        (an unparsed definition gets its copy when parsed)."""
        if self._xml is None and self._config is not None:
            self._live = self._config.copy()
        self.state, self.reason = D.RUNNING, reason
        self.id = next_id
        self.managed_save = False

    def stop(self, reason):
        """Shut off: the live definition is dropped (testDomainShutdownState)."""
        if self._live is not None and not self.persistent:
            self._config = self._live
        self._live = None
        self.state, self.reason = D.SHUTOFF, reason
        self.id = -1

    def snapshot_count(self):
        """How many snapshots the domain has (without loading them)."""
        if self.moments is None:
            return len(self.snapshot_elems)
        return len(self.moments.snapshots)

    def checkpoint_count(self):
        """How many checkpoints the domain has."""
        return 0 if self.moments is None else len(self.moments.checkpoints)

    # --- figures without parsing ------------------------------------------
    def figures(self):
        """(max memory KiB, current memory KiB, current vCPUs)."""
        if self.summary is not None:
            return self.summary[:3]
        tree = self.current.tree
        return (memory_kib(tree.find("memory")),
                memory_kib(tree.find("currentMemory")),
                vcpus(tree)[1])


def memory_kib(elem):
    """The value of a memory element in KiB (0 when absent)."""
    if elem is None or not (elem.text or "").strip():
        return 0
    return int(elem.text.strip()) * _UNIT_BYTES[elem.get("unit", "KiB")] // 1024


def vcpus(tree):
    """(maximum, current) vCPUs of a definition tree."""
    v = tree.find("vcpu")
    if v is None:
        return 1, 1
    maximum = int(v.text.strip())
    return maximum, int(v.get("current", maximum))


def set_vcpus(tree, maximum=None, current=None):
    """Store vCPU counts in canonical form (``current=`` only when lower)."""
    v = tree.find("vcpu")
    old_max, old_cur = vcpus(tree)
    maximum = old_max if maximum is None else maximum
    current = old_cur if current is None else current
    current = min(current, maximum)
    v.text = str(maximum)
    if current < maximum:
        v.set("current", str(current))
    elif "current" in v.attrib:
        del v.attrib["current"]


def set_memory(tree, tag, kib):
    elem = tree.find(tag)
    elem.text = str(kib)
    elem.set("unit", "KiB")


class TestDomain(DomainDevicesMixin, DomainSnapshotsMixin, Domain):
    """A handle on a domain of a TestConnection."""

    def __init__(self, conn, record):
        super().__init__(conn)
        self._uuid = record.uuid
        self._name = record.name
        self._id = record.id

    def _rec(self):
        rec = self.conn._domain_records.get(self._uuid)
        if rec is None:
            raise VirtError(NO_DOMAIN, "no domain with matching uuid '%s' (%s)"
                            % (self._uuid, self._name))
        return rec

    def _active_rec(self):
        rec = self._rec()
        if not rec.active:
            raise VirtError(OPERATION_INVALID, "domain is not running")
        return rec

    # --- identity ---------------------------------------------------------
    def name(self):
        return self._name

    def uuid(self):
        return self._uuid

    def id(self):
        return self._id

    def os_type(self):
        self._rec()
        return "linux"

    def is_active(self):
        return self._rec().active

    def is_persistent(self):
        return self._rec().persistent

    def is_updated(self):
        self._rec()
        return False

    # --- state and info ---------------------------------------------------
    def state(self):
        rec = self._rec()
        return rec.state, rec.reason

    def info(self):
        rec = self._rec()
        maximum, current, nvcpus = rec.figures()
        return (rec.state, maximum, current, nvcpus, time.time_ns() // 1000 * 1000)

    def xml_desc(self, flags=0):
        from virtsh import xmlconf
        check_flags(flags, xmlconf.XML_SECURE | xmlconf.XML_INACTIVE |
                    xmlconf.XML_MIGRATABLE, "testDomainGetXMLDesc")
        rec = self._rec()
        live_id = rec.id if rec.active and not flags & xmlconf.XML_INACTIVE else None
        text = rec.unparsed_xml(live_id)
        if text is not None:
            return text
        from virtsh.xmlconf import domain as xd
        if flags & xmlconf.XML_INACTIVE and rec.config is not None:
            return xd.format(rec.config, flags)
        return xd.format(rec.current, flags, live_id)

    def autostart(self):
        return self._rec().autostart

    def set_autostart(self, enabled):
        self._rec().autostart = bool(enabled)

    def has_managed_save(self):
        return self._rec().managed_save

    def security_label(self):
        rec = self._rec()
        return ("libvirt-test", True) if rec.active else ("", False)

    def security_model(self):
        return ("testSecurity", "")

    # --- lifecycle --------------------------------------------------------
    def create(self, flags=0):
        check_flags(flags, 0, "testDomainCreateWithFlags")
        rec = self._rec()
        if rec.active:
            raise VirtError(INTERNAL_ERROR, "Domain '%s' is already running" % rec.name)
        rec.start(self.conn._next_domain_id())
        self._id = rec.id

    def _stopped(self, rec, reason):
        rec.stop(reason)
        self._id = -1
        if not rec.persistent:
            self.conn._remove_domain(rec)

    def shutdown(self, flags=0):
        check_flags(flags, 0, "testDomainShutdownFlags")
        rec = self._rec()
        if not rec.active:
            raise VirtError(INTERNAL_ERROR, "domain '%s' not running" % rec.name)
        self._lifecycle(rec, "on_poweroff")

    def reboot(self, flags=0):
        check_flags(flags, 31, "testDomainReboot")
        self._lifecycle(self._active_rec(), "on_reboot")

    def _lifecycle(self, rec, action_tag):
        """Apply the domain's <on_poweroff>/<on_reboot> action."""
        default = "restart" if action_tag == "on_reboot" else "destroy"
        action = default
        if rec.summary is None:
            action = rec.current.tree.findtext(action_tag) or default
        if action in ("restart", "rename-restart"):
            rec.state, rec.reason = D.RUNNING, D.RUNNING_BOOTED
        else:
            self._stopped(rec, D.SHUTOFF_SHUTDOWN)

    def reset(self, flags=0):
        check_flags(flags, 0, "testDomainReset")
        self._active_rec()

    def destroy(self, flags=0):
        check_flags(flags, 1, "testDomainDestroyFlags")
        self._stopped(self._active_rec(), D.SHUTOFF_DESTROYED)

    def suspend(self):
        rec = self._rec()
        if rec.state in (D.SHUTOFF, D.PAUSED):
            raise VirtError(INTERNAL_ERROR, "domain '%s' not running" % rec.name)
        rec.state, rec.reason = D.PAUSED, D.PAUSED_USER

    def resume(self):
        rec = self._rec()
        if rec.state != D.PAUSED:
            raise VirtError(INTERNAL_ERROR, "domain '%s' not paused" % rec.name)
        rec.state, rec.reason = D.RUNNING, D.RUNNING_UNPAUSED

    def undefine(self, flags=0):
        check_flags(flags, D.UNDEFINE_MANAGED_SAVE | D.UNDEFINE_SNAPSHOTS_METADATA,
                    "testDomainUndefineFlags")
        rec = self._rec()
        if rec.managed_save and not flags & D.UNDEFINE_MANAGED_SAVE:
            raise VirtError(OPERATION_INVALID, "Refusing to undefine while domain "
                            "managed save image exists")
        if not rec.active and rec.snapshot_count() and \
                not flags & D.UNDEFINE_SNAPSHOTS_METADATA:
            raise VirtError(OPERATION_INVALID, "cannot delete inactive domain "
                            "with %d snapshots" % rec.snapshot_count())
        rec.managed_save = False
        if rec.active:
            rec.persistent = False
        else:
            self.conn._remove_domain(rec)

    def rename(self, new_name, flags=0):
        rec = self._rec()
        if rec.active:
            raise VirtError(OPERATION_INVALID, "cannot rename active domain")
        if not rec.persistent:
            raise VirtError(OPERATION_INVALID, "cannot rename a transient domain")
        if "/" in new_name:
            raise VirtError(XML_ERROR, "name %s cannot contain '/'" % new_name)
        self.conn._rename_domain(rec, new_name)
        self._name = new_name

    def save(self, path, xml=None, flags=0):
        check_flags(flags, 0, "testDomainSaveFlags")
        from virtsh.drivers.test import saveimage
        if xml:
            from virtsh.drivers.errors import ARGUMENT_UNSUPPORTED
            raise VirtError(ARGUMENT_UNSUPPORTED, "xml modification unsupported")
        rec = self._active_rec()
        saveimage.write(path, rec.current)
        self._stopped(rec, D.SHUTOFF_SAVED)

    def managed_save(self, flags=0):
        check_flags(flags, D.SAVE_BYPASS_CACHE | D.SAVE_RUNNING | D.SAVE_PAUSED,
                    "testDomainManagedSave")
        rec = self._active_rec()
        if not rec.persistent:
            raise VirtError(OPERATION_INVALID, "cannot do managed save for transient domain")
        self._stopped(rec, D.SHUTOFF_SAVED)
        rec.managed_save = True

    def managed_save_remove(self, flags=0):
        self._rec().managed_save = False

    def inject_nmi(self, flags=0):
        self._rec()

    def send_process_signal(self, pid, signum, flags=0):
        if not 0 <= signum <= 64:
            raise VirtError(INVALID_ARG, "signum value %d is out of range" % signum)
        self._active_rec()

    def migrate_to_uri(self, dest_uri, params=None, flags=0):
        from virtsh.drivers.errors import ARGUMENT_UNSUPPORTED
        raise VirtError(ARGUMENT_UNSUPPORTED,
                        "p2p migration is not supported by the source host")

    # --- resources --------------------------------------------------------
    def set_memory(self, kib, flags=0):
        check_flags(flags, D.AFFECT_LIVE | D.AFFECT_CONFIG | D.MEM_MAXIMUM,
                    "testDomainSetMemoryFlags")
        rec = self._rec()
        rec.touch()
        live, config = rec.defs(flags)
        if flags & D.MEM_MAXIMUM:
            if live is not None:
                raise VirtError(OPERATION_INVALID, "cannot resize the maximum "
                                "memory on an active domain")
            for defn in (config,):
                set_memory(defn.tree, "memory", kib)
                if memory_kib(defn.tree.find("currentMemory")) > kib:
                    set_memory(defn.tree, "currentMemory", kib)
            return
        for defn in (live, config):
            if defn is None:
                continue
            if kib > memory_kib(defn.tree.find("memory")):
                raise VirtError(INVALID_ARG, "cannot set memory higher than max memory")
            set_memory(defn.tree, "currentMemory", kib)

    def set_vcpus(self, count, flags=0):
        check_flags(flags, D.AFFECT_LIVE | D.AFFECT_CONFIG | D.VCPU_MAXIMUM,
                    "testDomainSetVcpusFlags")
        if count > MAX_VCPUS:
            raise VirtError(INVALID_ARG, "requested cpu amount exceeds maximum "
                            "supported amount (%d > %d)" % (count, MAX_VCPUS))
        rec = self._rec()
        rec.touch()
        live, config = rec.defs(flags & ~D.VCPU_MAXIMUM)
        if live is not None and vcpus(live.tree)[0] < count:
            raise VirtError(INVALID_ARG, "requested cpu amount exceeds maximum "
                            "(%d > %d)" % (count, vcpus(live.tree)[0]))
        if config is not None and not flags & D.VCPU_MAXIMUM and \
                vcpus(config.tree)[0] < count:
            raise VirtError(INVALID_ARG, "requested cpu amount exceeds maximum "
                            "(%d > %d)" % (count, vcpus(config.tree)[0]))
        if live is not None:
            set_vcpus(live.tree, current=count)
        if config is not None:
            if flags & D.VCPU_MAXIMUM:
                set_vcpus(config.tree, maximum=count)
            else:
                set_vcpus(config.tree, current=count)

    def vcpus_flags(self, flags=0):
        check_flags(flags, D.AFFECT_LIVE | D.AFFECT_CONFIG | D.VCPU_MAXIMUM,
                    "testDomainGetVcpusFlags")
        rec = self._rec()
        live, config = rec.defs(flags & ~(D.VCPU_MAXIMUM | D.VCPU_GUEST))
        maximum, current = vcpus((live or config).tree)
        return maximum if flags & D.VCPU_MAXIMUM else current

    def max_vcpus(self):
        return self.vcpus_flags(D.AFFECT_LIVE | D.VCPU_MAXIMUM)

    # --- metadata ---------------------------------------------------------
    def metadata(self, type_, uri=None, flags=0):
        check_flags(flags, D.AFFECT_LIVE | D.AFFECT_CONFIG, "testDomainGetMetadata")
        from virtsh.drivers import metadata
        rec = self._rec()
        if rec.summary is not None and type_ == D.METADATA_TITLE and not flags:
            if rec.summary[3] is None:
                raise metadata.not_present()
            return rec.summary[3]
        live, config = rec.defs(flags)
        return metadata.get((live or config).tree, type_, uri)

    def set_metadata(self, type_, value, key=None, uri=None, flags=0):
        check_flags(flags, D.AFFECT_LIVE | D.AFFECT_CONFIG, "testDomainSetMetadata")
        from virtsh.drivers import metadata
        rec = self._rec()
        rec.touch()
        live, config = rec.defs(flags)
        for defn in (live, config):
            if defn is not None:
                metadata.set(defn.tree, type_, value, key, uri)
