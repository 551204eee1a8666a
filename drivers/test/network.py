"""Test driver: the network APIs of the connection (mixed into TestConnection).

Networks live in ``self._networks`` (name -> NetworkRecord, in definition
order).  The default node's network is kept as text and parsed only when
something needs more than its name and UUID.
"""
from virtsh.drivers import network as N
from virtsh.drivers.errors import (
    VirtError, INTERNAL_ERROR, NO_NETWORK, OPERATION_FAILED, OPERATION_INVALID,
    check_flags)
from virtsh.drivers.listing import wanted
from virtsh.drivers.test.handles import RecordHandle

DEFAULT_NETWORK_XML = """<network>
  <name>default</name>
  <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>
  <forward mode='nat'/>
  <bridge name='virbr0' stp='on' delay='0'/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.122.2' end='192.168.122.254'/>
    </dhcp>
  </ip>
</network>
"""


class NetworkRecord:
    """One network of the test node: its definitions and state."""

    __slots__ = ("name", "uuid", "_xml", "_def", "_bridge", "config", "active",
                 "persistent", "autostart")

    def __init__(self, name, uuid, xml=None, definition=None, bridge=None):
        self.name = name
        self.uuid = uuid
        self._xml = xml
        self._def = definition
        self._bridge = bridge       # known without parsing _xml
        self.config = None          # the next persistent definition, if changed
        self.active = False
        self.persistent = True
        self.autostart = False

    @property
    def definition(self):
        """The live (or only) definition, parsed on first use."""
        if self._def is None:
            from virtsh.xmlconf import network
            self._def = network.parse(self._xml)
        return self._def

    @definition.setter
    def definition(self, value):
        self._def = value
        self._xml = None

    @property
    def bridge(self):
        if self._def is None and self._bridge is not None:
            return self._bridge
        return self.definition.bridge


class TestNetwork(RecordHandle, N.Network):
    """A handle on a test-node network (looked up again on every call)."""

    def _rec(self):
        return self.conn._network_by_name(self._name)

    def is_active(self):
        return self._rec().active

    def is_persistent(self):
        return self._rec().persistent

    def autostart(self):
        return self._rec().autostart

    def set_autostart(self, enabled):
        self._rec().autostart = bool(enabled)

    def bridge_name(self):
        rec = self._rec()
        bridge = rec.bridge
        if not bridge:
            raise VirtError(INTERNAL_ERROR, "network '%s' does not have a bridge name."
                            % rec.name)
        return bridge

    def xml_desc(self, flags=0):
        check_flags(flags, 0, "testNetworkGetXMLDesc")
        rec = self._rec()
        if rec._def is None:
            return rec._xml
        from virtsh.xmlconf import network
        return network.format(rec.definition)

    def create(self):
        rec = self._rec()
        if rec.active:
            raise VirtError(OPERATION_INVALID, "Network '%s' is already running"
                            % rec.name)
        rec.active = True

    def destroy(self):
        rec = self._rec()
        rec.active = False
        if not rec.persistent:
            self.conn._networks.pop(rec.name, None)
        elif rec.config is not None:
            rec.definition, rec.config = rec.config, None

    def undefine(self):
        rec = self._rec()
        if rec.active:
            raise VirtError(OPERATION_INVALID, "Network '%s' is still running"
                            % rec.name)
        self.conn._networks.pop(rec.name, None)

    def update(self, command, section, parent_index, xml, flags=0):
        from virtsh.xmlconf import netupdate
        check_flags(flags, N.UPDATE_AFFECT_LIVE | N.UPDATE_AFFECT_CONFIG,
                    "testNetworkUpdate")
        rec = self.conn._network_by_uuid(self._uuid)
        if not flags & (N.UPDATE_AFFECT_LIVE | N.UPDATE_AFFECT_CONFIG):
            flags |= N.UPDATE_AFFECT_LIVE if rec.active else N.UPDATE_AFFECT_CONFIG
        if flags & N.UPDATE_AFFECT_CONFIG and not rec.persistent:
            raise VirtError(OPERATION_INVALID, "cannot change persistent config "
                            "of a transient network")
        if flags & N.UPDATE_AFFECT_LIVE and not rec.active:
            raise VirtError(OPERATION_INVALID, "network is not running")
        targets = []
        if flags & N.UPDATE_AFFECT_LIVE:
            targets.append("live")
        if flags & N.UPDATE_AFFECT_CONFIG:
            targets.append("config")
        command, section = N.UPDATE_COMMANDS[command], N.UPDATE_SECTIONS[section]
        for which in targets:
            if which == "config" and rec.active:
                base = rec.config or rec.definition
                rec.config = netupdate.apply(base.copy(), command, section,
                                             parent_index, xml)
            else:
                rec.definition = netupdate.apply(rec.definition.copy(), command,
                                                 section, parent_index, xml)


class NetworkMixin:
    """The networks part of TestConnection."""

    # --- node loading -----------------------------------------------------
    def _init_networks(self, root):
        self._networks = {}
        if root is None:
            rec = NetworkRecord("default", "dd8fe884-6c02-601e-7551-cca97df1c5df",
                                xml=DEFAULT_NETWORK_XML, bridge="virbr0")
            rec.active = True
            self._networks[rec.name] = rec
            return
        from lxml import etree
        from virtsh.xmlconf import network
        for elem in root.findall("network"):
            defn = network.parse(etree.tostring(elem))
            rec = self._assign_network(defn, live=False)
            rec.active = True

    # --- records ----------------------------------------------------------
    def _network_by_name(self, name):
        rec = self._networks.get(name)
        if rec is None:
            raise VirtError(NO_NETWORK, "no network with matching name '%s'" % name)
        return rec

    def _network_by_uuid(self, uuid):
        key = uuid.replace("-", "").lower()
        for rec in self._networks.values():
            if rec.uuid.replace("-", "").lower() == key:
                return rec
        raise VirtError(NO_NETWORK, "no network with matching uuid '%s'" % uuid)

    def _assign_network(self, defn, live, check_live=False):
        """libvirt's virNetworkObjAssignDef: add *defn* or replace the
        definition of the network with the same name and UUID."""
        existing = None
        for rec in self._networks.values():
            if rec.uuid == defn.uuid:
                existing = rec
                break
        if existing is not None:
            if existing.name != defn.name:
                raise VirtError(OPERATION_FAILED, "network '%s' is already defined "
                                "with uuid %s" % (existing.name, existing.uuid))
            if check_live and existing.active:
                raise VirtError(OPERATION_INVALID, "network is already active as '%s'"
                                % existing.name)
            if live or not existing.active:
                existing.definition = defn
            else:
                existing.config = defn
            if not live:
                existing.persistent = True
            return existing
        other = self._networks.get(defn.name)
        if other is not None:
            raise VirtError(OPERATION_FAILED, "network '%s' already exists with uuid %s"
                            % (defn.name, other.uuid))
        rec = NetworkRecord(defn.name, defn.uuid, definition=defn)
        rec.persistent = not live
        self._networks[rec.name] = rec
        return rec

    # --- APIs -------------------------------------------------------------
    def list_all_networks(self, flags=0):
        check_flags(flags, 0x3f, "testConnectListAllNetworks")
        result = []
        for rec in self._networks.values():
            if not wanted(flags, N.LIST_ACTIVE, N.LIST_INACTIVE, rec.active):
                continue
            if not wanted(flags, N.LIST_PERSISTENT, N.LIST_TRANSIENT, rec.persistent):
                continue
            if not wanted(flags, N.LIST_AUTOSTART, N.LIST_NO_AUTOSTART, rec.autostart):
                continue
            result.append(TestNetwork(self, rec))
        return result

    def lookup_network_by_name(self, name):
        return TestNetwork(self, self._network_by_name(name))

    def lookup_network_by_uuid(self, uuid):
        return TestNetwork(self, self._network_by_uuid(uuid))

    def define_network(self, xml, flags=0):
        from virtsh.xmlconf import network
        check_flags(flags, 1, "testNetworkDefineXMLFlags")
        return TestNetwork(self, self._assign_network(network.parse(xml), live=False))

    def create_network(self, xml, flags=0):
        from virtsh.xmlconf import network
        check_flags(flags, 0, "testNetworkCreateXMLFlags")
        rec = self._assign_network(network.parse(xml), live=True, check_live=True)
        rec.active = True
        return TestNetwork(self, rec)

