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

    @api("virConnectGetDomainCapabilities", write=True)    # libvirt refuses it read-only
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

    @api("virNodeGetFreePages")
    def get_free_pages(self, pages, start_cell, cell_count, flags=0):
        """Free pages of each size in *pages* (KiB), cell by cell: a flat list."""

    @api("virNodeAllocPages", write=True)
    def alloc_pages(self, pages, start_cell, cell_count, flags=0):
        """Set (or with ALLOC_PAGES_ADD grow) the huge page pools; {size: count}."""

    @api("virNodeGetCPUMap")
    def get_cpu_map(self, flags=0):
        """(present CPU count, list of online flags, online count)."""

    @api("virNodeGetMemoryParameters")
    def get_memory_parameters(self, flags=0):
        """Dict of the host's memory tunables (shm_pages_to_scan ...)."""

    @api("virNodeSetMemoryParameters", write=True)
    def set_memory_parameters(self, params, flags=0):
        """Change host memory tunables."""

    @api("virNodeSuspendForDuration", write=True)
    def suspend_for_duration(self, target, duration, flags=0):
        """Suspend the host (target: 0 mem, 1 disk, 2 hybrid) for *duration* s."""

    @api("virNodeGetSEVInfo", write=True)    # libvirt refuses it read-only
    def get_sev_info(self, flags=0):
        """Dict of the host's AMD SEV parameters."""

    @api("virConnectGetCPUModelNames")
    def get_cpu_model_names(self, arch, flags=0):
        """The CPU model names known for *arch* (None: any model is accepted)."""

    @api("virConnectBaselineCPU")
    def baseline_cpu(self, xml_cpus, flags=0):
        """The CPU XML all of *xml_cpus* can run."""

    @api("virConnectCompareCPU")
    def compare_cpu(self, xml, flags=0):
        """How the host CPU compares to *xml* (a CPU_COMPARE_* number)."""

    @api("virConnectBaselineHypervisorCPU", write=True)    # libvirt refuses it read-only
    def baseline_hypervisor_cpu(self, emulator, arch, machine, virttype,
                                xml_cpus, flags=0):
        """Like baseline_cpu, for what the hypervisor can provide."""

    @api("virConnectCompareHypervisorCPU", write=True)    # libvirt refuses it read-only
    def compare_hypervisor_cpu(self, emulator, arch, machine, virttype, xml,
                               flags=0):
        """Like compare_cpu, against what the hypervisor can provide."""

    # --- networks ---------------------------------------------------------
    @api("virConnectListAllNetworks")
    def list_all_networks(self, flags=0):
        """Every Network matching the drivers.network.LIST_* flags."""

    @api("virNetworkLookupByName")
    def lookup_network_by_name(self, name):
        """The Network called *name*."""

    @api("virNetworkLookupByUUID")
    def lookup_network_by_uuid(self, uuid):
        """The Network with this UUID (string form)."""

    @api("virNetworkDefineXMLFlags", write=True)
    def define_network(self, xml, flags=0):
        """Define (or redefine) a persistent network; returns the Network."""

    @api("virNetworkCreateXMLFlags", write=True)
    def create_network(self, xml, flags=0):
        """Start a transient network; returns the Network."""

    # --- storage ----------------------------------------------------------
    @api("virConnectListAllStoragePools")
    def list_all_storage_pools(self, flags=0):
        """Every StoragePool matching the drivers.storage.LIST_* flags."""

    @api("virStoragePoolLookupByName")
    def lookup_storage_pool_by_name(self, name):
        """The StoragePool called *name*."""

    @api("virStoragePoolLookupByUUID")
    def lookup_storage_pool_by_uuid(self, uuid):
        """The StoragePool with this UUID (string form)."""

    @api("virStoragePoolDefineXML", write=True)
    def define_storage_pool(self, xml, flags=0):
        """Define a persistent pool; returns the StoragePool."""

    @api("virStoragePoolCreateXML", write=True)
    def create_storage_pool(self, xml, flags=0):
        """Start a transient pool; returns the StoragePool."""

    @api("virConnectFindStoragePoolSources", write=True)    # libvirt refuses it read-only
    def find_storage_pool_sources(self, pool_type, spec=None, flags=0):
        """XML ``<sources>`` of the pools of *pool_type* found on the host."""

    @api("virConnectGetStoragePoolCapabilities")
    def get_storage_pool_capabilities(self, flags=0):
        """The storage pool capabilities XML."""

    @api("virStorageVolLookupByKey")
    def lookup_storage_vol_by_key(self, key):
        """The StorageVol with this key, in any active pool."""

    @api("virStorageVolLookupByPath")
    def lookup_storage_vol_by_path(self, path):
        """The StorageVol with this path, in any active pool."""

    # --- interfaces -------------------------------------------------------
    @api("virConnectListAllInterfaces")
    def list_all_interfaces(self, flags=0):
        """Every Interface matching the IFACE_LIST_* flags."""

    @api("virInterfaceLookupByName")
    def lookup_interface_by_name(self, name):
        """The Interface called *name*."""

    @api("virInterfaceLookupByMACString")
    def lookup_interface_by_mac(self, mac):
        """The Interface with this MAC address."""

    @api("virInterfaceDefineXML", write=True)
    def define_interface(self, xml, flags=0):
        """Define (or redefine) an interface; returns the Interface."""

    @api("virInterfaceChangeBegin", write=True)
    def interface_change_begin(self, flags=0):
        """Snapshot the interface configuration for a later rollback."""

    @api("virInterfaceChangeCommit", write=True)
    def interface_change_commit(self, flags=0):
        """Keep the changes made since interface_change_begin."""

    @api("virInterfaceChangeRollback", write=True)
    def interface_change_rollback(self, flags=0):
        """Go back to the configuration of interface_change_begin."""

    # --- node devices -----------------------------------------------------
    @api("virConnectListAllNodeDevices")
    def list_all_node_devices(self, flags=0):
        """Every NodeDevice matching the NODEDEV_* flags."""

    @api("virNodeDeviceLookupByName")
    def lookup_node_device_by_name(self, name):
        """The NodeDevice called *name*."""

    @api("virNodeDeviceLookupSCSIHostByWWN")
    def lookup_node_device_by_wwn(self, wwnn, wwpn, flags=0):
        """The SCSI host NodeDevice with these WWNN/WWPN."""

    @api("virNodeDeviceCreateXML", write=True)
    def create_node_device(self, xml, flags=0):
        """Create a device (a vHBA, a mediated device); returns the NodeDevice."""

    @api("virNodeDeviceDefineXML", write=True)
    def define_node_device(self, xml, flags=0):
        """Define a persistent device; returns the NodeDevice."""

    # --- secrets ----------------------------------------------------------
    @api("virConnectListAllSecrets")
    def list_all_secrets(self, flags=0):
        """Every Secret matching the SECRET_LIST_* flags."""

    @api("virConnectNumOfSecrets")
    def num_of_secrets(self):
        """How many secrets there are (the old listing API)."""

    @api("virSecretLookupByUUID")
    def lookup_secret_by_uuid(self, uuid):
        """The Secret with this UUID (string form)."""

    @api("virSecretLookupByUsage")
    def lookup_secret_by_usage(self, usage_type, usage_id):
        """The Secret for this usage."""

    @api("virSecretDefineXML", write=True)
    def define_secret(self, xml, flags=0):
        """Define (or redefine) a secret; returns the Secret."""

    # --- network filters --------------------------------------------------
    @api("virConnectListAllNWFilters")
    def list_all_nwfilters(self, flags=0):
        """Every NWFilter."""

    @api("virConnectNumOfNWFilters")
    def num_of_nwfilters(self):
        """How many filters there are (the old listing API)."""

    @api("virNWFilterLookupByName")
    def lookup_nwfilter_by_name(self, name):
        """The NWFilter called *name*."""

    @api("virNWFilterLookupByUUID")
    def lookup_nwfilter_by_uuid(self, uuid):
        """The NWFilter with this UUID (string form)."""

    @api("virNWFilterDefineXML", write=True)
    def define_nwfilter(self, xml, flags=0):
        """Define (or redefine) a filter; returns the NWFilter."""

    @api("virConnectListAllNWFilterBindings")
    def list_all_nwfilter_bindings(self, flags=0):
        """Every NWFilterBinding."""

    @api("virNWFilterBindingLookupByPortDev")
    def lookup_nwfilter_binding(self, port_dev):
        """The NWFilterBinding of port device *port_dev*."""

    @api("virNWFilterBindingCreateXML", write=True)
    def create_nwfilter_binding(self, xml, flags=0):
        """Create a binding; returns the NWFilterBinding."""

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

    @api("virDomainDefineXML", write=True)
    def define_domain(self, xml, flags=0):
        """Define (or redefine) a persistent domain; returns the Domain."""

    @api("virDomainCreateXML", write=True)
    def create_domain(self, xml, flags=0):
        """Start a transient domain; returns the Domain."""

    @api("virDomainRestore", write=True)
    def restore_domain(self, path, xml=None, flags=0):
        """Restore a domain saved to *path*."""

    @api("virDomainSaveImageGetXMLDesc", write=True)    # libvirt refuses it read-only
    def save_image_get_xml(self, path, flags=0):
        """The domain XML stored in a save image."""

    @api("virDomainSaveImageDefineXML", write=True)
    def save_image_define_xml(self, path, xml, flags=0):
        """Replace the domain XML stored in a save image."""

    @api("virConnectDomainXMLFromNative", write=True)    # libvirt refuses it read-only
    def domain_xml_from_native(self, native_format, native_config, flags=0):
        """Domain XML from a native configuration."""

    @api("virConnectDomainXMLToNative", write=True)    # libvirt refuses it read-only
    def domain_xml_to_native(self, native_format, xml, flags=0):
        """A native configuration (e.g. qemu-argv) from domain XML."""

    # --- incoming migration (the destination's phases) -------------------
    @api("virDomainMigratePrepare3Params", write=True)
    def migrate_prepare(self, xml, params=None, flags=0):
        """Phase 2: start the domain of *xml* waiting for its state; a dict
        telling the source where to send it ({"uri": ...})."""

    @api("virDomainMigrateFinish3Params", write=True)
    def migrate_finish(self, name, params=None, flags=0, cancelled=False):
        """Phase 4: run the domain that arrived (None if *cancelled*: it is
        discarded)."""

    # --- domain statistics and events ------------------------------------
    @api("virConnectGetAllDomainStats")
    def get_all_domain_stats(self, stats=0, flags=0):
        """Statistics of every domain the flags select: list of (Domain,
        [(field, value)]); *stats* are domain.STATS_* groups (0: all)."""

    @api("virDomainListGetStats")
    def domain_list_get_stats(self, domains, stats=0, flags=0):
        """Statistics of the given domains, as get_all_domain_stats."""

    @api("virConnectDomainEventRegisterAny")
    def domain_event_register(self, domain, event_id, callback):
        """Call *callback(domain, event_id, details)* on domain events; the
        callback id."""

    @api("virConnectDomainEventDeregisterAny")
    def domain_event_deregister(self, callback_id):
        """Stop the callback registered as *callback_id*."""

    @api("virConnectDomainQemuMonitorEventRegister")
    def qemu_monitor_event_register(self, domain, event, callback, flags=0):
        """Call *callback(domain, event, seconds, micros, details)* on QEMU
        monitor events named *event* (all when None); the callback id."""

    @api("virDomainQemuAttach", write=True)
    def qemu_attach(self, pid, flags=0):
        """Adopt a QEMU process started outside; returns the Domain."""
