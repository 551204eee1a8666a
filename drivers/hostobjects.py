"""Host-side objects of a connection: interfaces, node devices, secrets,
network filters and their bindings.

Drivers subclass them and override the APIs they support (see
drivers/base.py); the flag values are libvirt's.
"""
from virtsh.drivers.base import ApiObject, api

# virConnectListAllInterfacesFlags
IFACE_LIST_INACTIVE, IFACE_LIST_ACTIVE = 1 << 0, 1 << 1
# virInterfaceXMLFlags
IFACE_XML_INACTIVE = 1

# virConnectListAllNodeDeviceFlags: one bit per capability, then the state bits.
NODEDEV_CAPS = ("system", "pci", "usb_device", "usb", "net", "scsi_host",
                "scsi_target", "scsi", "storage", "fc_host", "vports",
                "scsi_generic", "drm", "mdev_types", "mdev", "ccw", "css",
                "vdpa", "ap_card", "ap_queue", "ap_matrix", "vpd")
NODEDEV_LIST_INACTIVE = 1 << 30
NODEDEV_LIST_ACTIVE = 1 << 31


def nodedev_cap_flag(cap):
    """The ListAllNodeDevices flag of capability *cap* (0 if unknown)."""
    try:
        return 1 << NODEDEV_CAPS.index(cap)
    except ValueError:
        return 0


# virConnectListAllSecretsFlags
SECRET_LIST_EPHEMERAL, SECRET_LIST_NO_EPHEMERAL = 1 << 0, 1 << 1
SECRET_LIST_PRIVATE, SECRET_LIST_NO_PRIVATE = 1 << 2, 1 << 3
# virSecretUsageType
SECRET_USAGE_TYPES = ("none", "volume", "ceph", "iscsi", "tls", "vtpm")


class Interface(ApiObject):
    """A host network interface; drivers subclass it."""

    def __init__(self, conn):
        self.conn = conn

    def name(self):
        raise NotImplementedError

    def mac(self):
        """The MAC address string ("" when it has none)."""
        raise NotImplementedError

    @api("virInterfaceIsActive")
    def is_active(self):
        """Whether the interface is up."""

    @api("virInterfaceGetXMLDesc")
    def xml_desc(self, flags=0):
        """The interface XML (flags: IFACE_XML_INACTIVE)."""

    @api("virInterfaceCreate", write=True)
    def create(self, flags=0):
        """Bring the interface up."""

    @api("virInterfaceDestroy", write=True)
    def destroy(self, flags=0):
        """Bring the interface down."""

    @api("virInterfaceUndefine", write=True)
    def undefine(self):
        """Remove the interface's definition."""


class NodeDevice(ApiObject):
    """A host device; drivers subclass it."""

    def __init__(self, conn):
        self.conn = conn

    def name(self):
        raise NotImplementedError

    @api("virNodeDeviceGetParent")
    def parent(self):
        """The parent device's name (None for the root)."""

    @api("virNodeDeviceGetXMLDesc")
    def xml_desc(self, flags=0):
        """The device XML."""

    @api("virNodeDeviceListCaps")
    def list_caps(self):
        """The device's capability names."""

    @api("virNodeDeviceIsActive")
    def is_active(self):
        """Whether the device is present/started."""

    @api("virNodeDeviceIsPersistent")
    def is_persistent(self):
        """Whether the device has a persistent definition."""

    @api("virNodeDeviceGetAutostart")
    def autostart(self):
        """Whether a defined device starts with the host."""

    @api("virNodeDeviceSetAutostart", write=True)
    def set_autostart(self, enabled):
        """Mark or unmark the device for autostart."""

    @api("virNodeDeviceDestroy", write=True)
    def destroy(self):
        """Destroy a created device (a vHBA, a mediated device)."""

    @api("virNodeDeviceCreate", write=True)
    def create(self, flags=0):
        """Start a defined device."""

    @api("virNodeDeviceUndefine", write=True)
    def undefine(self, flags=0):
        """Remove a defined device's definition."""

    @api("virNodeDeviceDettach", write=True)
    def detach(self):
        """Detach the device from its host driver for assignment."""

    @api("virNodeDeviceDetachFlags", write=True)
    def detach_flags(self, driver, flags=0):
        """Detach the device, binding it to *driver* (e.g. "vfio")."""

    @api("virNodeDeviceReAttach", write=True)
    def reattach(self):
        """Give the device back to its host driver."""

    @api("virNodeDeviceReset", write=True)
    def reset(self):
        """Reset the device."""


class Secret(ApiObject):
    """A secret; drivers subclass it."""

    def __init__(self, conn):
        self.conn = conn

    def uuid(self):
        raise NotImplementedError

    def usage_type(self):
        """The usage type number (SECRET_USAGE_TYPES index)."""
        raise NotImplementedError

    def usage_id(self):
        """What the secret is for ("" for none)."""
        raise NotImplementedError

    @api("virSecretGetXMLDesc")
    def xml_desc(self, flags=0):
        """The secret XML."""

    @api("virSecretGetValue")
    def value(self, flags=0):
        """The secret's value (bytes)."""

    @api("virSecretSetValue", write=True)
    def set_value(self, value, flags=0):
        """Set the secret's value (bytes)."""

    @api("virSecretUndefine", write=True)
    def undefine(self):
        """Remove the secret."""


class NWFilter(ApiObject):
    """A network filter; drivers subclass it."""

    def __init__(self, conn):
        self.conn = conn

    def name(self):
        raise NotImplementedError

    def uuid(self):
        raise NotImplementedError

    @api("virNWFilterGetXMLDesc")
    def xml_desc(self, flags=0):
        """The filter XML."""

    @api("virNWFilterUndefine", write=True)
    def undefine(self):
        """Remove the filter."""


class NWFilterBinding(ApiObject):
    """A network filter bound to a port; drivers subclass it."""

    def __init__(self, conn):
        self.conn = conn

    def port_dev(self):
        raise NotImplementedError

    def filter_name(self):
        raise NotImplementedError

    @api("virNWFilterBindingGetXMLDesc")
    def xml_desc(self, flags=0):
        """The binding XML."""

    @api("virNWFilterBindingDelete", write=True)
    def delete(self):
        """Remove the binding."""
