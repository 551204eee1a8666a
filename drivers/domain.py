"""Domain: one guest of a connection, and libvirt's domain constants.

Drivers subclass Domain and override the APIs they support (see
drivers/base.py).  Add an API here, in its section, before a driver
implements it.  State and reason numbers are libvirt's.
"""
from virtsh.drivers.base import ApiObject, api

# virDomainState
NOSTATE, RUNNING, BLOCKED, PAUSED, SHUTDOWN, SHUTOFF, CRASHED, PMSUSPENDED = range(8)


class Domain(ApiObject):
    """A guest; drivers subclass it."""

    def __init__(self, conn):
        self.conn = conn

    # --- identity ---------------------------------------------------------
    def name(self):
        """The domain's name."""
        raise NotImplementedError

    def uuid(self):
        """The UUID, string form."""
        raise NotImplementedError

    def id(self):
        """The id of a running domain, -1 otherwise."""
        raise NotImplementedError

    @api("virDomainGetOSType")
    def os_type(self):
        """The guest OS type ("hvm", "linux" ...)."""

    @api("virDomainIsActive")
    def is_active(self):
        """Whether the domain is running (or paused)."""

    @api("virDomainIsPersistent")
    def is_persistent(self):
        """Whether the domain has a persistent definition."""

    @api("virDomainIsUpdated")
    def is_updated(self):
        """Whether the live definition differs from the persistent one."""

    # --- state and info ---------------------------------------------------
    @api("virDomainGetState")
    def state(self):
        """(state, reason) numbers as libvirt defines them."""

    @api("virDomainGetInfo")
    def info(self):
        """(state, max_mem KiB, memory KiB, nr_vcpus, cpu_time ns)."""

    @api("virDomainGetXMLDesc")
    def xml_desc(self, flags=0):
        """The domain XML (flags: XML_SECURE, XML_INACTIVE, XML_UPDATE_CPU,
        XML_MIGRATABLE)."""

    @api("virDomainGetAutostart")
    def autostart(self):
        """Whether the domain starts with the host."""

    @api("virDomainSetAutostart", write=True)
    def set_autostart(self, enabled):
        """Mark or unmark the domain for autostart."""

    @api("virDomainHasManagedSaveImage")
    def has_managed_save(self):
        """Whether a managed save image exists."""

    @api("virDomainGetSecurityLabel")
    def security_label(self):
        """(label, enforcing) of the domain's security driver."""

    @api("virNodeGetSecurityModel")
    def security_model(self):
        """(model, doi) of the host's security driver."""

    # --- lifecycle --------------------------------------------------------
    @api("virDomainCreateWithFlags", write=True)
    def create(self, flags=0):
        """Start a defined domain."""

    @api("virDomainShutdownFlags", write=True)
    def shutdown(self, flags=0):
        """Ask the guest to power off."""

    @api("virDomainReboot", write=True)
    def reboot(self, flags=0):
        """Ask the guest to reboot."""

    @api("virDomainReset", write=True)
    def reset(self, flags=0):
        """Reset the virtual hardware."""

    @api("virDomainDestroyFlags", write=True)
    def destroy(self, flags=0):
        """Stop the domain at once."""

    @api("virDomainSuspend", write=True)
    def suspend(self):
        """Pause the domain's vCPUs."""

    @api("virDomainResume", write=True)
    def resume(self):
        """Resume a paused domain."""

    @api("virDomainUndefineFlags", write=True)
    def undefine(self, flags=0):
        """Remove the persistent definition."""

    @api("virDomainRename", write=True)
    def rename(self, new_name, flags=0):
        """Give an inactive domain a new name."""

    @api("virDomainSaveFlags", write=True)
    def save(self, path, xml=None, flags=0):
        """Save the running domain's state to *path* and stop it."""

    @api("virDomainManagedSave", write=True)
    def managed_save(self, flags=0):
        """Save to the driver-managed image and stop."""

    @api("virDomainManagedSaveRemove", write=True)
    def managed_save_remove(self, flags=0):
        """Delete the managed save image."""

    # --- resources --------------------------------------------------------
    @api("virDomainSetMemoryFlags", write=True)
    def set_memory(self, kib, flags=0):
        """Set the current (or, with MEM_MAXIMUM, maximum) memory."""

    @api("virDomainSetVcpusFlags", write=True)
    def set_vcpus(self, count, flags=0):
        """Set the number of vCPUs."""

    @api("virDomainGetVcpusFlags")
    def vcpus_flags(self, flags=0):
        """The vCPU count selected by flags."""

    @api("virDomainGetMaxVcpus")
    def max_vcpus(self):
        """The maximum number of vCPUs."""

    # --- devices ----------------------------------------------------------
    @api("virDomainAttachDeviceFlags", write=True)
    def attach_device(self, xml, flags=0):
        """Add the device described by *xml*."""

    @api("virDomainDetachDeviceFlags", write=True)
    def detach_device(self, xml, flags=0):
        """Remove the device matching *xml*."""

    @api("virDomainUpdateDeviceFlags", write=True)
    def update_device(self, xml, flags=0):
        """Change the device matching *xml*."""

    # --- metadata ---------------------------------------------------------
    @api("virDomainGetMetadata")
    def metadata(self, type_, uri=None, flags=0):
        """Title, description or a namespaced element."""

    @api("virDomainSetMetadata", write=True)
    def set_metadata(self, type_, value, key=None, uri=None, flags=0):
        """Set (or, with value None, remove) metadata."""
