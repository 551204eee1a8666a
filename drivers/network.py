"""Network and NetworkPort: virtual networks of a connection.

Drivers subclass them and override the APIs they support (see
drivers/base.py); the flag values are libvirt's.
"""
from virtsh.drivers.base import ApiObject, api

# virConnectListAllNetworksFlags
LIST_INACTIVE = 1 << 0
LIST_ACTIVE = 1 << 1
LIST_PERSISTENT = 1 << 2
LIST_TRANSIENT = 1 << 3
LIST_AUTOSTART = 1 << 4
LIST_NO_AUTOSTART = 1 << 5

# virNetworkXMLFlags
XML_INACTIVE = 1

# virNetworkUpdateCommand and virNetworkUpdateSection (names as virsh takes them)
UPDATE_COMMANDS = ("none", "modify", "delete", "add-last", "add-first")
UPDATE_SECTIONS = ("none", "bridge", "domain", "ip", "ip-dhcp-host",
                   "ip-dhcp-range", "forward", "forward-interface", "forward-pf",
                   "portgroup", "dns-host", "dns-txt", "dns-srv")
# virNetworkUpdateFlags
UPDATE_AFFECT_CURRENT, UPDATE_AFFECT_LIVE, UPDATE_AFFECT_CONFIG = 0, 1, 2


class Network(ApiObject):
    """A virtual network; drivers subclass it."""

    def __init__(self, conn):
        self.conn = conn

    def name(self):
        raise NotImplementedError

    def uuid(self):
        """The UUID, string form."""
        raise NotImplementedError

    @api("virNetworkIsActive")
    def is_active(self):
        """Whether the network is running."""

    @api("virNetworkIsPersistent")
    def is_persistent(self):
        """Whether the network has a persistent definition."""

    @api("virNetworkGetAutostart")
    def autostart(self):
        """Whether the network starts with the host."""

    @api("virNetworkSetAutostart", write=True)
    def set_autostart(self, enabled):
        """Mark or unmark the network for autostart."""

    @api("virNetworkGetBridgeName")
    def bridge_name(self):
        """The name of the host bridge device."""

    @api("virNetworkGetXMLDesc")
    def xml_desc(self, flags=0):
        """The network XML (flags: XML_INACTIVE)."""

    @api("virNetworkCreate", write=True)
    def create(self):
        """Start a defined network."""

    @api("virNetworkDestroy", write=True)
    def destroy(self):
        """Stop the network (a transient one disappears)."""

    @api("virNetworkUndefine", write=True)
    def undefine(self):
        """Remove the persistent definition."""

    @api("virNetworkUpdate", write=True)
    def update(self, command, section, parent_index, xml, flags=0):
        """Change one section of the definition (live and/or config)."""

    @api("virNetworkGetDHCPLeases")
    def dhcp_leases(self, mac=None, flags=0):
        """The DHCP leases: list of dicts (iface, expirytime, type, mac,
        iaid, ipaddr, prefix, hostname, clientid)."""

    @api("virNetworkListAllPorts")
    def list_all_ports(self, flags=0):
        """Every NetworkPort of the network."""

    @api("virNetworkPortLookupByUUID")
    def lookup_port_by_uuid(self, uuid):
        """The NetworkPort with this UUID."""

    @api("virNetworkPortCreateXML", write=True)
    def create_port(self, xml, flags=0):
        """Create a port from XML; returns the NetworkPort."""


class NetworkPort(ApiObject):
    """A port of a network (a guest NIC plugged into it)."""

    def __init__(self, network):
        self.network = network
        self.conn = network.conn

    def uuid(self):
        raise NotImplementedError

    @api("virNetworkPortGetXMLDesc")
    def xml_desc(self, flags=0):
        """The port XML."""

    @api("virNetworkPortDelete", write=True)
    def delete(self, flags=0):
        """Remove the port."""
