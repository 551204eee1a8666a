"""Connection: one open hypervisor, the root of every other object.

Each method is a libvirt API (named in its ``@api``).  Drivers subclass this
and override what they support; the rest raise libvirt's "not supported"
error.  Add an API here, in its section, before a driver implements it.
"""
from virtsh.drivers.base import ApiObject, api


class Connection(ApiObject):
    """An open connection; drivers subclass it."""

    def __init__(self, uri, readonly=False):
        self.uri = uri              # a drivers.uri.URI
        self.readonly = readonly

    def _connection(self):
        return self

    # --- the connection itself -------------------------------------------
    def close(self):
        """Release what the connection holds (no-op by default)."""

    @api("virConnectGetURI")
    def get_uri(self):
        """The canonical URI of this connection."""

    @api("virConnectGetType")
    def get_type(self):
        """The hypervisor's name ("Test", "QEMU" ...)."""

    @api("virConnectGetVersion")
    def get_version(self):
        """The hypervisor's version as major*1000000 + minor*1000 + micro."""

    @api("virConnectGetLibVersion")
    def get_lib_version(self):
        """The library version, same encoding as get_version."""

    @api("virConnectGetHostname")
    def get_hostname(self):
        """The host's name."""

    @api("virConnectSetKeepAlive")
    def set_keep_alive(self, interval, count):
        """Start keepalive probing of the peer."""

    @api("virConnectIsAlive")
    def is_alive(self):
        """Whether the connection still works."""

    # --- host -------------------------------------------------------------
    @api("virConnectGetCapabilities")
    def get_capabilities(self):
        """The capabilities XML."""

    @api("virConnectGetDomainCapabilities")
    def get_domain_capabilities(self, emulator=None, arch=None, machine=None,
                                virttype=None, flags=0):
        """The domain capabilities XML."""

    @api("virConnectGetSysinfo")
    def get_sysinfo(self, flags=0):
        """The host's sysinfo XML."""

    @api("virNodeGetInfo")
    def get_node_info(self):
        """(model, memory KiB, cpus, mhz, nodes, sockets, cores, threads)."""

    @api("virConnectGetMaxVcpus")
    def get_max_vcpus(self, type_=None):
        """Maximum vCPUs of a guest of this type."""

    @api("virNodeGetCellsFreeMemory")
    def get_cells_free_memory(self, start_cell, max_cells):
        """Free memory in bytes of each NUMA cell from start_cell."""

    @api("virNodeGetFreeMemory")
    def get_free_memory(self):
        """Free memory of the host in bytes."""

    @api("virNodeGetCPUStats")
    def get_cpu_stats(self, cpu_num=-1, flags=0):
        """Dict of host CPU times in ns (all CPUs when cpu_num is -1)."""

    @api("virNodeGetMemoryStats")
    def get_memory_stats(self, cell_num=-1, flags=0):
        """Dict of host memory figures in KiB."""

    # --- domains ----------------------------------------------------------
    @api("virConnectListAllDomains")
    def list_all_domains(self, flags=0):
        """Every domain matching the ConnectListAllDomains flags."""

    @api("virDomainLookupByName")
    def lookup_domain_by_name(self, name):
        """The Domain called *name*."""

    @api("virDomainLookupByID")
    def lookup_domain_by_id(self, id_):
        """The running Domain with this id."""

    @api("virDomainLookupByUUIDString")
    def lookup_domain_by_uuid(self, uuid):
        """The Domain with this UUID (string form)."""

    @api("virDomainDefineXMLFlags", write=True)
    def define_domain(self, xml, flags=0):
        """Define (or redefine) a persistent domain; returns the Domain."""

    @api("virDomainCreateXML", write=True)
    def create_domain(self, xml, flags=0):
        """Start a transient domain; returns the Domain."""

    @api("virDomainRestoreFlags", write=True)
    def restore_domain(self, path, xml=None, flags=0):
        """Restore a domain saved to *path*."""

    @api("virDomainSaveImageGetXMLDesc")
    def save_image_get_xml(self, path, flags=0):
        """The domain XML stored in a save image."""

    @api("virDomainSaveImageDefineXML", write=True)
    def save_image_define_xml(self, path, xml, flags=0):
        """Replace the domain XML stored in a save image."""

    @api("virConnectDomainXMLFromNative")
    def domain_xml_from_native(self, native_format, native_config, flags=0):
        """Domain XML from a native configuration."""

    @api("virConnectDomainXMLToNative")
    def domain_xml_to_native(self, native_format, xml, flags=0):
        """A native configuration (e.g. qemu-argv) from domain XML."""
