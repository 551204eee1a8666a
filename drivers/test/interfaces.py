"""Test driver: the host interface APIs (part of HostMixin).

Interfaces live in ``self._ifaces`` (name -> IfaceRecord).  A change
transaction (iface-begin) keeps a copy to roll back to; as in libvirt's
test driver, the copy's interfaces come back inactive.
"""
from virtsh.drivers import hostobjects as H
from virtsh.drivers.errors import (
    VirtError, NO_INTERFACE, OPERATION_INVALID, check_flags)
from virtsh.drivers.listing import wanted

DEFAULT_IFACE_XML = """<interface type='ethernet' name='eth1'>
  <start mode='onboot'/>
  <mtu size='1492'/>
  <protocol family='ipv4'>
    <ip address='192.168.0.5' prefix='24'/>
    <route gateway='192.168.0.1'/>
  </protocol>
  <mac address='aa:bb:cc:dd:ee:ff'/>
</interface>
"""


def _invalid():
    """libvirt's OPERATION_INVALID without a detail."""
    return VirtError(OPERATION_INVALID, "Requested operation is not valid", raw=True)


class IfaceRecord:
    """One interface: definition (text until parsed), MAC, state."""

    __slots__ = ("name", "mac", "_xml", "_def", "active")

    def __init__(self, name, mac, xml=None, definition=None, active=False):
        self.name = name
        self.mac = mac
        self._xml = xml
        self._def = definition
        self.active = active

    @property
    def definition(self):
        if self._def is None:
            from virtsh.xmlconf import interface
            self._def = interface.parse(self._xml)
        return self._def

    def xml(self):
        if self._def is None:
            return self._xml
        from virtsh.xmlconf import interface
        return interface.format(self._def)

    def inactive_copy(self):
        return IfaceRecord(self.name, self.mac, self._xml, self._def)


class TestInterface(H.Interface):
    """A handle on a test-node interface."""

    def __init__(self, conn, rec):
        super().__init__(conn)
        self._name = rec.name
        self._mac = rec.mac

    def name(self):
        return self._name

    def mac(self):
        return self._mac or ""

    def _rec(self):
        return self.conn._iface_by_name(self._name)

    def is_active(self):
        return self._rec().active

    def xml_desc(self, flags=0):
        check_flags(flags, 0, "testInterfaceGetXMLDesc")
        return self._rec().xml()

    def create(self, flags=0):
        check_flags(flags, 0, "testInterfaceCreate")
        rec = self._rec()
        if rec.active:
            raise _invalid()
        rec.active = True

    def destroy(self, flags=0):
        check_flags(flags, 0, "testInterfaceDestroy")
        rec = self._rec()
        if not rec.active:
            raise _invalid()
        rec.active = False

    def undefine(self):
        self.conn._ifaces.pop(self._rec().name)


class InterfacesMixin:
    """The interfaces part of TestConnection."""

    def _init_interfaces(self, root):
        self._ifaces = {}
        self._iface_backup = None
        if root is None:
            self._ifaces["eth1"] = IfaceRecord("eth1", "aa:bb:cc:dd:ee:ff",
                                               xml=DEFAULT_IFACE_XML, active=True)
            return
        from lxml import etree
        from virtsh.xmlconf import interface
        for elem in root.findall("interface"):
            self._assign_interface(interface.parse(etree.tostring(elem))).active = True

    def _assign_interface(self, defn):
        rec = self._ifaces.get(defn.name)
        if rec is None:
            rec = self._ifaces[defn.name] = IfaceRecord(defn.name, defn.mac)
        rec._def, rec._xml, rec.mac = defn, None, defn.mac
        return rec

    def _iface_by_name(self, name):
        rec = self._ifaces.get(name)
        if rec is None:
            raise VirtError(NO_INTERFACE, "no interface with matching name '%s'" % name)
        return rec

    def list_all_interfaces(self, flags=0):
        check_flags(flags, H.IFACE_LIST_ACTIVE | H.IFACE_LIST_INACTIVE,
                    "testConnectListAllInterfaces")
        return [TestInterface(self, rec) for rec in self._ifaces.values()
                if wanted(flags, H.IFACE_LIST_ACTIVE, H.IFACE_LIST_INACTIVE, rec.active)]

    def lookup_interface_by_name(self, name):
        return TestInterface(self, self._iface_by_name(name))

    def lookup_interface_by_mac(self, mac):
        for rec in self._ifaces.values():
            if (rec.mac or "").lower() == mac.lower():
                return TestInterface(self, rec)
        raise VirtError(NO_INTERFACE, "no interface with matching mac '%s'" % mac)

    def define_interface(self, xml, flags=0):
        from virtsh.xmlconf import interface
        check_flags(flags, 1, "testInterfaceDefineXML")
        return TestInterface(self, self._assign_interface(interface.parse(xml)))

    def interface_change_begin(self, flags=0):
        check_flags(flags, 0, "testInterfaceChangeBegin")
        if self._iface_backup is not None:
            raise VirtError(OPERATION_INVALID, "there is another transaction running.")
        self._iface_backup = {n: r.inactive_copy() for n, r in self._ifaces.items()}

    def interface_change_commit(self, flags=0):
        check_flags(flags, 0, "testInterfaceChangeCommit")
        if self._iface_backup is None:
            raise VirtError(OPERATION_INVALID, "no transaction running, nothing to "
                            "be committed.")
        self._iface_backup = None

    def interface_change_rollback(self, flags=0):
        check_flags(flags, 0, "testInterfaceChangeRollback")
        if self._iface_backup is None:
            raise VirtError(OPERATION_INVALID, "no transaction running, nothing to "
                            "rollback.")
        self._ifaces, self._iface_backup = self._iface_backup, None
