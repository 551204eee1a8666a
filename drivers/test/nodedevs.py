"""Test driver: the node device APIs (part of HostMixin).

Devices live in ``self._nodedevs`` (name -> DevRecord).  Creating a
device mocks a vHBA as libvirt's test driver does: it copies
``scsi_host11`` as ``scsi_host12`` with the new WWNN/WWPN; destroying
removes a vHBA and quietly leaves any other device alone.
"""

from virtsh.drivers import hostobjects as H
from virtsh.drivers.errors import (
    VirtError, INTERNAL_ERROR, NO_NODE_DEVICE, check_flags)

_COMPUTER_XML = """<device>
  <name>computer</name>
  <capability type='system'>
    <hardware>
      <vendor>Libvirt</vendor>
      <version>Test driver</version>
      <serial>123456</serial>
      <uuid>11111111-2222-3333-4444-555555555555</uuid>
    </hardware>
    <firmware>
      <vendor>Libvirt</vendor>
      <version>Test Driver</version>
      <release_date>01/22/2007</release_date>
    </firmware>
  </capability>
</device>
"""

# The default node's SCSI hosts: name, parent, host, unique_id, wwnn, wwpn,
# fabric_wwn, whether it can create vports.
_SCSI_HOSTS = (
    ("scsi_host1", "computer", 1, 0, "2000000012341234", "1000000012341234",
     "2000000043214321", True),
    ("scsi_host2", "computer", 2, 1, "2000000056785678", "1000000056785678",
     "2000000087658765", True),
    ("scsi_host11", "scsi_host1", 11, 10, "2000000034563456", "1000000034563456",
     "2000000043214321", False),
)
VHBA_TEMPLATE, VHBA_NAME = "scsi_host11", "scsi_host12"


def _scsi_host_xml(name, parent, host, unique_id, wwnn, wwpn, fabric, vports):
    vport_ops = ("    <capability type='vport_ops'>\n"
                 "      <max_vports>0</max_vports>\n"
                 "      <vports>0</vports>\n"
                 "    </capability>\n") if vports else ""
    return ("<device>\n  <name>%s</name>\n  <parent>%s</parent>\n"
            "  <capability type='scsi_host'>\n    <host>%d</host>\n"
            "    <unique_id>%d</unique_id>\n    <capability type='fc_host'>\n"
            "      <wwnn>%s</wwnn>\n      <wwpn>%s</wwpn>\n"
            "      <fabric_wwn>%s</fabric_wwn>\n    </capability>\n%s"
            "  </capability>\n</device>\n"
            % (name, parent, host, unique_id, wwnn, wwpn, fabric, vport_ops))


class DevRecord:
    """One node device: name, parent, definition (text until parsed)."""

    __slots__ = ("name", "parent", "_xml", "_def")

    def __init__(self, name, parent, xml=None, definition=None):
        self.name = name
        self.parent = parent
        self._xml = xml
        self._def = definition

    @property
    def definition(self):
        if self._def is None:
            from virtsh.xmlconf import nodedev
            self._def = nodedev.parse(self._xml)
        return self._def

    def xml(self):
        if self._def is None:
            return self._xml
        from virtsh.xmlconf import nodedev
        return nodedev.format(self._def)


class TestNodeDevice(H.NodeDevice):
    """A handle on a test-node device."""

    def __init__(self, conn, name, parent):
        super().__init__(conn)
        self._name = name
        self._parent = parent

    def name(self):
        return self._name

    def parent(self):
        return self._parent

    def _rec(self):
        return self.conn._nodedev_by_name(self._name)

    def xml_desc(self, flags=0):
        check_flags(flags, 0, "testNodeDeviceGetXMLDesc")
        return self._rec().xml()

    def list_caps(self):
        return [c.get("type") for c in self._rec().definition.tree.findall("capability")]

    def destroy(self):
        rec = self._rec()
        defn = rec.definition
        if defn.fc_host() is None or defn.parent not in self.conn._nodedevs:
            return          # libvirt reports the problem yet returns success
        del self.conn._nodedevs[rec.name]


class NodeDevicesMixin:
    """The node devices part of TestConnection."""

    def _init_node_devices(self, root):
        self._nodedevs = {}
        if root is None:
            self._nodedevs["computer"] = DevRecord("computer", None, _COMPUTER_XML)
            for spec in _SCSI_HOSTS:
                self._nodedevs[spec[0]] = DevRecord(spec[0], spec[1], _scsi_host_xml(*spec))
            return
        from lxml import etree
        from virtsh.xmlconf import nodedev
        for elem in root.findall("device"):
            defn = nodedev.parse(etree.tostring(elem))
            self._nodedevs[defn.name] = DevRecord(defn.name, defn.parent, definition=defn)

    def _nodedev_by_name(self, name):
        rec = self._nodedevs.get(name)
        if rec is None:
            raise VirtError(NO_NODE_DEVICE, "no node device with matching name '%s'" % name)
        return rec

    def list_all_node_devices(self, flags=0):
        check_flags(flags, (1 << len(H.NODEDEV_CAPS)) - 1, "testConnectListAllNodeDevices")
        result = []
        for rec in self._nodedevs.values():
            caps = rec.definition.caps()
            if flags and not any(flags & H.nodedev_cap_flag(c) for c in caps):
                continue
            result.append(TestNodeDevice(self, rec.name, rec.parent))
        return result

    def lookup_node_device_by_name(self, name):
        rec = self._nodedev_by_name(name)
        return TestNodeDevice(self, rec.name, rec.parent)

    def create_node_device(self, xml, flags=0):
        from virtsh.xmlconf import nodedev
        check_flags(flags, 0, "testNodeDeviceCreateXML")
        defn = nodedev.parse(xml, create=True)
        fc = defn.fc_host()
        if fc is None:
            raise VirtError(INTERNAL_ERROR, "Device is not a fibre channel HBA")
        parent = self._nodedev_by_name(defn.parent) if defn.parent else None
        if parent is None or "vport_ops" not in parent.definition.caps():
            raise VirtError(INTERNAL_ERROR, "Parent device %s is not capable of "
                            "vport operations" % defn.parent)
        rec = self._create_vport(fc.findtext("wwnn") or _random_wwn(),
                                 fc.findtext("wwpn") or _random_wwn())
        return TestNodeDevice(self, rec.name, defn.parent)

    def _create_vport(self, wwnn, wwpn):
        """Mock a new vHBA from the template device (libvirt's test driver)."""
        template = self._nodedevs.get(VHBA_TEMPLATE)
        if template is None:
            raise VirtError(INTERNAL_ERROR, "An error occurred, but the cause is unknown",
                            raw=True)
        defn = template.definition.copy()
        defn.tree.find("name").text = VHBA_NAME
        fc = defn.fc_host()
        fc.find("wwnn").text = wwnn
        fc.find("wwpn").text = wwpn
        rec = DevRecord(VHBA_NAME, defn.parent, definition=defn)
        self._nodedevs[VHBA_NAME] = rec
        return rec

    def _destroy_vport(self):
        if self._nodedevs.pop(VHBA_NAME, None) is None:
            raise VirtError(NO_NODE_DEVICE, "no node device with matching name '%s'"
                            % VHBA_NAME)


def _random_wwn():
    """A WWN as libvirt generates one (its QEMU OUI prefix, random rest)."""
    import random
    return "5001a4a%09x" % random.getrandbits(36)
