"""Test driver: the domain APIs of the connection (mixed into TestConnection).

Domains live in ``self._domain_records`` (uuid -> DomainRecord, in
definition order).  Ids count up from 1 for every start, as in libvirt's
test driver.
"""
import os

from virtsh.drivers import domain as D
from virtsh.drivers.errors import (
    VirtError, NO_DOMAIN, OPERATION_FAILED, OPERATION_INVALID, XML_ERROR, check_flags)
from virtsh.drivers.test import xmldefaults
from virtsh.drivers.test.domain import DomainRecord, TestDomain

NS_TEST = "http://libvirt.org/schemas/domain/test/1.0"

# The default node's domain, as libvirt formats it (inactive form).
DEFAULT_DOMAIN_XML = """<domain type='test'>
  <name>test</name>
  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
  <memory unit='KiB'>8388608</memory>
  <currentMemory unit='KiB'>2097152</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='i686'>hvm</type>
    <boot dev='hd'/>
  </os>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <source file='/guest/diskimage1'/>
      <target dev='vda' bus='virtio'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </disk>
    <interface type='network'>
      <mac address='aa:bb:cc:dd:ee:ff'/>
      <source network='default'/>
      <target dev='testnet0'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
    </interface>
    <memballoon model='virtio'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
    </memballoon>
  </devices>
</domain>
"""
# (max memory KiB, current memory KiB, vCPUs, title) of that domain
DEFAULT_DOMAIN_SUMMARY = (8388608, 2097152, 2, None)


class DomainsMixin:
    """The domains part of TestConnection."""

    # --- node loading -----------------------------------------------------
    def _init_domains(self, root):
        self._domain_records = {}
        self._last_domain_id = 0
        if root is None:
            rec = DomainRecord("test", "6695eb01-f6a4-8304-79aa-97f2502e193f",
                               xml=DEFAULT_DOMAIN_XML, summary=DEFAULT_DOMAIN_SUMMARY)
            self._add_record(rec)
            rec.start(self._next_domain_id())
            rec.reason = D.REASON_UNKNOWN
            return
        for elem in root.findall("domain"):
            self._load_node_domain(elem)

    def _load_node_domain(self, elem):
        """Add a ``<domain>`` of a node file with its test: extras."""
        from lxml import etree
        from virtsh.xmlconf import domain as xd
        extras = [c for c in elem if isinstance(c.tag, str) and c.tag.startswith("{%s}" % NS_TEST)]
        for c in extras:
            elem.remove(c)
        etree.cleanup_namespaces(elem)

        def extra(name):
            return [c for c in extras if etree.QName(c).localname == name]

        runstate = D.RUNNING
        if extra("runstate"):
            text = (extra("runstate")[0].text or "").strip()
            if not text.isdigit():
                raise VirtError(XML_ERROR, "invalid runstate")
            runstate = int(text)
            if runstate > D.PMSUSPENDED:
                raise VirtError(XML_ERROR, "runstate '%d' out of range'" % runstate)
        transient = bool(extra("transient"))
        managed_save = bool(extra("hasmanagedsave"))
        if transient and runstate == D.SHUTOFF:
            raise VirtError(XML_ERROR, "transient domain cannot have runstate 'shutoff'")
        if managed_save and runstate != D.SHUTOFF:
            raise VirtError(XML_ERROR, "domain with managedsave data can only "
                            "have runstate 'shutoff'")
        defn = xd.parse(etree.tostring(elem, encoding="unicode"))
        xmldefaults.apply(defn.tree)
        rec = DomainRecord(defn.name, defn.uuid, config=defn)
        self._check_unique(defn)
        self._add_record(rec)
        rec.snapshot_elems = extra("domainsnapshot")
        rec.managed_save = managed_save
        if runstate != D.SHUTOFF:
            rec.start(self._next_domain_id())
        if transient:
            rec.persistent = False
        rec.state, rec.reason = runstate, D.REASON_UNKNOWN

    # --- records ----------------------------------------------------------
    def _next_domain_id(self):
        self._last_domain_id += 1
        return self._last_domain_id

    def _add_record(self, rec):
        self._domain_records[rec.uuid] = rec

    def _remove_domain(self, rec):
        self._domain_records.pop(rec.uuid, None)

    def _rename_domain(self, rec, new_name):
        for other in self._domain_records.values():
            if other.name == new_name:
                raise VirtError(OPERATION_INVALID, "domain with name '%s' already exists"
                                % new_name)
        rec.touch()
        rec.config.tree.find("name").text = new_name
        rec.name = new_name

    def _handle(self, rec):
        return TestDomain(self, rec)

    def _check_unique(self, defn, live=False):
        """libvirt's virDomainObjListAdd checks; returns the record a
        definition with the same UUID updates, or None."""
        rec = self._domain_records.get(defn.uuid)
        if rec is not None:
            if rec.name != defn.name:
                raise VirtError(OPERATION_FAILED, "domain '%s' is already defined "
                                "with uuid %s" % (rec.name, rec.uuid))
            if live and rec.active:
                raise VirtError(OPERATION_INVALID, "domain '%s' is already active"
                                % rec.name)
            if live and not rec.persistent:
                raise VirtError(OPERATION_INVALID, "domain '%s' is already being started"
                                % rec.name)
            return rec
        for other in self._domain_records.values():
            if other.name == defn.name:
                raise VirtError(OPERATION_FAILED, "domain '%s' already exists with "
                                "uuid %s" % (defn.name, other.uuid))
        return None

    # --- APIs -------------------------------------------------------------
    def list_all_domains(self, flags=0):
        return [self._handle(rec) for rec in self._domain_records.values()
                if _matches(rec, flags)]

    def lookup_domain_by_name(self, name):
        for rec in self._domain_records.values():
            if rec.name == name:
                return self._handle(rec)
        raise VirtError(NO_DOMAIN, "no domain with matching name '%s'" % name)

    def lookup_domain_by_id(self, id_):
        for rec in self._domain_records.values():
            if rec.active and rec.id == id_:
                return self._handle(rec)
        raise VirtError(NO_DOMAIN, "no domain with matching id %d" % id_)

    def lookup_domain_by_uuid(self, uuid):
        key = _canonical_uuid(uuid)
        rec = self._domain_records.get(key)
        if rec is None:
            raise VirtError(NO_DOMAIN, "no domain with matching uuid '%s'" % key)
        return self._handle(rec)

    def define_domain(self, xml, flags=0):
        check_flags(flags, D.DEFINE_VALIDATE, "testDomainDefineXMLFlags")
        defn = self._parse_new(xml, flags & D.DEFINE_VALIDATE)
        if "\n" in defn.name:
            raise VirtError(XML_ERROR, "invalid char in name: \n", raw=True)
        rec = self._check_unique(defn)
        if rec is None:
            rec = DomainRecord(defn.name, defn.uuid, config=defn)
            self._add_record(rec)
        else:
            rec.touch()
            rec.set_config(defn)
            rec.persistent = True
        return self._handle(rec)

    def create_domain(self, xml, flags=0):
        check_flags(flags, D.START_VALIDATE, "testDomainCreateXML")
        defn = self._parse_new(xml, flags & D.START_VALIDATE)
        rec = self._check_unique(defn, live=True)
        if rec is None:
            rec = DomainRecord(defn.name, defn.uuid, config=defn)
            rec.persistent = False
            self._add_record(rec)
            rec.start(self._next_domain_id())
        else:
            rec.start(self._next_domain_id())
            rec._live = defn
        return self._handle(rec)

    def _parse_new(self, xml, validate):
        from virtsh.xmlconf import domain as xd
        defn = xd.parse(xml, xd.PARSE_VALIDATE if validate else 0)
        xmldefaults.apply(defn.tree)
        return defn

    def restore_domain(self, path, xml=None, flags=0):
        check_flags(flags, 0, "testDomainRestoreFlags")
        from virtsh.drivers.test import saveimage
        if xml:
            from virtsh.drivers.errors import ARGUMENT_UNSUPPORTED
            raise VirtError(ARGUMENT_UNSUPPORTED, "xml modification unsupported")
        defn = saveimage.read(os.path.abspath(path))
        xmldefaults.apply(defn.tree)
        rec = self._check_unique(defn, live=True)
        if rec is None:
            rec = DomainRecord(defn.name, defn.uuid, config=defn)
            rec.persistent = False
            self._add_record(rec)
            rec.start(self._next_domain_id(), D.RUNNING_RESTORED)
        else:
            rec.start(self._next_domain_id(), D.RUNNING_RESTORED)
            rec._live = defn
        return self._handle(rec)

    def save_image_get_xml(self, path, flags=0):
        check_flags(flags, 1, "testDomainSaveImageGetXMLDesc")
        from virtsh import xmlconf
        from virtsh.drivers.test import saveimage
        from virtsh.xmlconf import domain as xd
        return xd.format(saveimage.read(os.path.abspath(path)), xmlconf.XML_SECURE)

    def save_image_define_xml(self, path, xml, flags=0):
        check_flags(flags, D.SAVE_RUNNING | D.SAVE_PAUSED, "testDomainSaveImageDefineXML")
        from virtsh.drivers.test import saveimage
        from virtsh.xmlconf import domain as xd
        path = os.path.abspath(path)
        saveimage.read(path)
        defn = xd.parse(xml)
        xmldefaults.set_arch(defn.tree)
        saveimage.write(path, defn)


def _canonical_uuid(text):
    digits = text.replace("-", "").lower()
    return "%s-%s-%s-%s-%s" % (digits[:8], digits[8:12], digits[12:16],
                               digits[16:20], digits[20:])


def _matches(rec, flags):
    """Whether a record passes virConnectListAllDomains' filter *flags*."""
    def group(yes, no, value):
        if flags & (yes | no) in (0, yes | no):
            return True
        return bool(flags & yes) == value

    other = rec.state not in (D.RUNNING, D.PAUSED, D.SHUTOFF)
    states = flags & (D.LIST_RUNNING | D.LIST_PAUSED | D.LIST_SHUTOFF | D.LIST_OTHER)
    if states and not ((flags & D.LIST_RUNNING and rec.state == D.RUNNING) or
                       (flags & D.LIST_PAUSED and rec.state == D.PAUSED) or
                       (flags & D.LIST_SHUTOFF and rec.state == D.SHUTOFF) or
                       (flags & D.LIST_OTHER and other)):
        return False
    return (group(D.LIST_ACTIVE, D.LIST_INACTIVE, rec.active) and
            group(D.LIST_PERSISTENT, D.LIST_TRANSIENT, rec.persistent) and
            group(D.LIST_MANAGEDSAVE, D.LIST_NO_MANAGEDSAVE, rec.managed_save) and
            group(D.LIST_AUTOSTART, D.LIST_NO_AUTOSTART, rec.autostart) and
            group(D.LIST_HAS_SNAPSHOT, D.LIST_NO_SNAPSHOT, rec.snapshot_count() > 0) and
            group(D.LIST_HAS_CHECKPOINT, D.LIST_NO_CHECKPOINT, rec.checkpoint_count() > 0))
