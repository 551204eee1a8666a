"""Domain: one guest of a connection, and libvirt's domain constants.

Drivers subclass Domain and override the APIs they support (see
drivers/base.py).  Add an API here, in its section, before a driver
implements it.  State and reason numbers are libvirt's.  Where libvirt has
a plain API and a ``...Flags`` twin, the ``@api`` name is the one virsh calls
without options (``virDomainDestroy``), so read-only errors read as virsh's.
"""
from virtsh.drivers.base import ApiObject, api

# virDomainState
NOSTATE, RUNNING, BLOCKED, PAUSED, SHUTDOWN, SHUTOFF, CRASHED, PMSUSPENDED = range(8)

# Reasons (virDomainRunningReason, virDomainPausedReason,
# virDomainShutoffReason): the ones drivers set.
REASON_UNKNOWN = 0
RUNNING_BOOTED, RUNNING_RESTORED, RUNNING_UNPAUSED = 1, 3, 5
PAUSED_USER = 1
SHUTOFF_SHUTDOWN, SHUTOFF_DESTROYED, SHUTOFF_SAVED = 1, 2, 5
RUNNING_FROM_SNAPSHOT, PAUSED_FROM_SNAPSHOT, SHUTOFF_FROM_SNAPSHOT = 4, 7, 7

# virDomainMigrateFlags
(MIGRATE_LIVE, MIGRATE_PEER2PEER, MIGRATE_TUNNELLED, MIGRATE_PERSIST_DEST,
 MIGRATE_UNDEFINE_SOURCE, MIGRATE_PAUSED, MIGRATE_NON_SHARED_DISK,
 MIGRATE_NON_SHARED_INC, MIGRATE_CHANGE_PROTECTION, MIGRATE_UNSAFE,
 MIGRATE_OFFLINE, MIGRATE_COMPRESSED, MIGRATE_ABORT_ON_ERROR,
 MIGRATE_AUTO_CONVERGE, MIGRATE_RDMA_PIN_ALL, MIGRATE_POSTCOPY,
 MIGRATE_TLS, MIGRATE_PARALLEL) = (1 << i for i in range(18))
RUNNING_MIGRATED, RUNNING_MIGRATION_CANCELED = 2, 6
PAUSED_MIGRATION, SHUTOFF_MIGRATED = 2, 4

# virConnectListAllDomainsFlags
LIST_ACTIVE = 1 << 0
LIST_INACTIVE = 1 << 1
LIST_PERSISTENT = 1 << 2
LIST_TRANSIENT = 1 << 3
LIST_RUNNING = 1 << 4
LIST_PAUSED = 1 << 5
LIST_SHUTOFF = 1 << 6
LIST_OTHER = 1 << 7
LIST_MANAGEDSAVE = 1 << 8
LIST_NO_MANAGEDSAVE = 1 << 9
LIST_AUTOSTART = 1 << 10
LIST_NO_AUTOSTART = 1 << 11
LIST_HAS_SNAPSHOT = 1 << 12
LIST_NO_SNAPSHOT = 1 << 13
LIST_HAS_CHECKPOINT = 1 << 14
LIST_NO_CHECKPOINT = 1 << 15

# virDomainModificationImpact, and the flags sharing its bits
AFFECT_CURRENT, AFFECT_LIVE, AFFECT_CONFIG = 0, 1, 2
MEM_MAXIMUM = 4
VCPU_MAXIMUM, VCPU_GUEST, VCPU_HOTPLUGGABLE = 4, 8, 16

# virDomainUndefineFlagsValues
UNDEFINE_MANAGED_SAVE = 1
UNDEFINE_SNAPSHOTS_METADATA = 2
UNDEFINE_NVRAM = 4
UNDEFINE_KEEP_NVRAM = 8
UNDEFINE_CHECKPOINTS_METADATA = 16
UNDEFINE_TPM = 32
UNDEFINE_KEEP_TPM = 64

# virDomainDefineFlags / virDomainCreateFlags
DEFINE_VALIDATE = 1
START_PAUSED, START_AUTODESTROY, START_BYPASS_CACHE = 1, 2, 4
START_FORCE_BOOT, START_VALIDATE, START_RESET_NVRAM = 8, 16, 32

# virDomainSaveRestoreFlags
SAVE_BYPASS_CACHE, SAVE_RUNNING, SAVE_PAUSED, SAVE_RESET_NVRAM = 1, 2, 4, 8

# virDomainMetadataType
METADATA_DESCRIPTION, METADATA_TITLE, METADATA_ELEMENT = 0, 1, 2

# --- devices, tuning and statistics (see the sections of Domain) ---------
# virDomainDeviceModifyFlags: AFFECT_* plus
DEVICE_MODIFY_FORCE = 4

# virDomainMemoryStatTags
(MEMORY_STAT_SWAP_IN, MEMORY_STAT_SWAP_OUT, MEMORY_STAT_MAJOR_FAULT,
 MEMORY_STAT_MINOR_FAULT, MEMORY_STAT_UNUSED, MEMORY_STAT_AVAILABLE,
 MEMORY_STAT_ACTUAL_BALLOON, MEMORY_STAT_RSS, MEMORY_STAT_USABLE,
 MEMORY_STAT_LAST_UPDATE, MEMORY_STAT_DISK_CACHES,
 MEMORY_STAT_HUGETLB_PGALLOC, MEMORY_STAT_HUGETLB_PGFAIL) = range(13)

# virVcpuState
VCPU_OFFLINE, VCPU_RUNNING, VCPU_BLOCKED = range(3)

# virDomainDiskErrorCode
DISK_ERROR_NONE, DISK_ERROR_UNSPEC, DISK_ERROR_NO_SPACE = range(3)

# virDomainControlState and virDomainControlErrorReason
CONTROL_OK, CONTROL_JOB, CONTROL_OCCUPIED, CONTROL_ERROR = range(4)
CONTROL_ERROR_REASON_NONE, CONTROL_ERROR_REASON_UNKNOWN = 0, 1
CONTROL_ERROR_REASON_MONITOR, CONTROL_ERROR_REASON_INTERNAL = 2, 3

# virDomainLifecycle and virDomainLifecycleAction
LIFECYCLE_POWEROFF, LIFECYCLE_REBOOT, LIFECYCLE_CRASH = range(3)
(ACTION_DESTROY, ACTION_RESTART, ACTION_RESTART_RENAME, ACTION_PRESERVE,
 ACTION_COREDUMP_DESTROY, ACTION_COREDUMP_RESTART) = range(6)

# virIPAddrType and virDomainInterfaceAddressesSource
IP_ADDR_IPV4, IP_ADDR_IPV6 = 0, 1
IFADDR_SOURCE_LEASE, IFADDR_SOURCE_AGENT, IFADDR_SOURCE_ARP = range(3)

# virKeycodeSet
(KEYCODE_SET_LINUX, KEYCODE_SET_XT, KEYCODE_SET_ATSET1, KEYCODE_SET_ATSET2,
 KEYCODE_SET_ATSET3, KEYCODE_SET_OSX, KEYCODE_SET_XT_KBD, KEYCODE_SET_USB,
 KEYCODE_SET_WIN32, KEYCODE_SET_QNUM) = range(10)

# virDomainCoreDumpFormat and virDomainCoreDumpFlags
(CORE_DUMP_FORMAT_RAW, CORE_DUMP_FORMAT_KDUMP_ZLIB, CORE_DUMP_FORMAT_KDUMP_LZO,
 CORE_DUMP_FORMAT_KDUMP_SNAPPY, CORE_DUMP_FORMAT_WIN_DMP) = range(5)
DUMP_CRASH, DUMP_LIVE, DUMP_BYPASS_CACHE, DUMP_RESET, DUMP_MEMORY_ONLY = 1, 2, 4, 8, 16

# virDomainTimeFlags, virDomainGetHostnameFlags
TIME_SYNC = 1

# virDomainNumatuneMemMode
NUMATUNE_STRICT, NUMATUNE_PREFERRED, NUMATUNE_INTERLEAVE, NUMATUNE_RESTRICTIVE = range(4)

# virDomainJobType
(JOB_NONE, JOB_BOUNDED, JOB_UNBOUNDED, JOB_COMPLETED, JOB_FAILED,
 JOB_CANCELLED) = range(6)

# virDomainStatsTypes and virConnectGetAllDomainStatsFlags
(STATS_STATE, STATS_CPU_TOTAL, STATS_BALLOON, STATS_VCPU, STATS_INTERFACE,
 STATS_BLOCK, STATS_PERF, STATS_IOTHREAD, STATS_MEMORY, STATS_DIRTYRATE,
 STATS_VM) = (1 << i for i in range(11))
STATS_NOWAIT = 1 << 29
STATS_BACKING = 1 << 30
STATS_ENFORCE_STATS = 1 << 31

# Unlimited value of memory tuning parameters (KiB)
MEMORY_PARAM_UNLIMITED = 9007199254740991


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

    @api("virDomainGetMessages")
    def messages(self, flags=0):
        """Taint and deprecation messages (list of str), as dominfo shows."""

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
    @api("virDomainCreate", write=True)
    def create(self, flags=0):
        """Start a defined domain."""

    @api("virDomainShutdown", write=True)
    def shutdown(self, flags=0):
        """Ask the guest to power off."""

    @api("virDomainReboot", write=True)
    def reboot(self, flags=0):
        """Ask the guest to reboot."""

    @api("virDomainReset", write=True)
    def reset(self, flags=0):
        """Reset the virtual hardware."""

    @api("virDomainDestroy", write=True)
    def destroy(self, flags=0):
        """Stop the domain at once."""

    @api("virDomainSuspend", write=True)
    def suspend(self):
        """Pause the domain's vCPUs."""

    @api("virDomainResume", write=True)
    def resume(self):
        """Resume a paused domain."""

    @api("virDomainUndefine", write=True)
    def undefine(self, flags=0):
        """Remove the persistent definition."""

    @api("virDomainRename", write=True)
    def rename(self, new_name, flags=0):
        """Give an inactive domain a new name."""

    @api("virDomainSave", write=True)
    def save(self, path, xml=None, flags=0):
        """Save the running domain's state to *path* and stop it."""

    @api("virDomainManagedSave", write=True)
    def managed_save(self, flags=0):
        """Save to the driver-managed image and stop."""

    @api("virDomainManagedSaveRemove", write=True)
    def managed_save_remove(self, flags=0):
        """Delete the managed save image."""

    @api("virDomainManagedSaveGetXMLDesc")
    def managed_save_xml(self, flags=0):
        """The domain XML stored in the managed save image."""

    @api("virDomainManagedSaveDefineXML", write=True)
    def managed_save_define_xml(self, xml, flags=0):
        """Replace the domain XML stored in the managed save image."""

    @api("virDomainPMSuspendForDuration", write=True)
    def pm_suspend(self, target, duration=0, flags=0):
        """Suspend the guest to memory, disk or both."""

    @api("virDomainPMWakeup", write=True)
    def pm_wakeup(self, flags=0):
        """Wake a guest suspended with pm_suspend."""

    @api("virDomainInjectNMI", write=True)
    def inject_nmi(self, flags=0):
        """Send a non-maskable interrupt to the guest."""

    @api("virDomainSendProcessSignal", write=True)
    def send_process_signal(self, pid, signum, flags=0):
        """Send signal *signum* to process *pid* of the guest."""

    # --- migration --------------------------------------------------------
    @api("virDomainMigrateToURI3", write=True)
    def migrate_to_uri(self, dest_uri, params=None, flags=0):
        """Migrate to the host named by *dest_uri* (peer to peer)."""

    @api("virDomainMigrate3", write=True)
    def migrate(self, dest_conn, params=None, flags=0):
        """Migrate to the connection *dest_conn*; returns the new Domain."""

    # The phases of a client-driven migration (drivers/migrate.py runs them).
    @api("virDomainMigrateBegin3Params", write=True)
    def migrate_begin(self, params=None, flags=0):
        """Phase 1 at the source: the XML the destination is to start."""

    @api("virDomainMigratePerform3Params", write=True)
    def migrate_perform(self, target, params=None, flags=0):
        """Phase 3 at the source: start sending the guest to *target* (what
        prepare answered); returns at once, job_stats follows the job."""

    # Storage copy (MIGRATE_NON_SHARED_*), around perform: libvirt does it
    # inside its begin and perform phases.
    @api("virDomainMigrateBegin3Params", write=True)
    def migrate_storage_disks(self, params=None, flags=0):
        """The disks the migration copies, for the destination to create:
        list of {target, capacity, format, backing, backing_format}."""

    @api("virDomainMigratePerform3Params", write=True)
    def migrate_storage_start(self, target, params=None, flags=0):
        """Start mirroring the disks into the NBD server *target* names;
        job_stats reports disk_remaining 0 once every mirror is in step."""

    @api("virDomainMigratePerform3Params", write=True)
    def migrate_storage_finish(self, flags=0):
        """After the memory went over: let the mirrors copy their last
        writes and detach them from the destination."""

    @api("virDomainMigrateConfirm3Params", write=True)
    def migrate_confirm(self, params=None, flags=0, cancelled=False):
        """Phase 5 at the source: stop the guest that moved (and undefine it
        with MIGRATE_UNDEFINE_SOURCE), or keep it running if *cancelled*."""

    @api("virDomainMigrateSetMaxDowntime", write=True)
    def migrate_set_max_downtime(self, downtime_ms, flags=0):
        """Set the maximum tolerable downtime of a live migration."""

    @api("virDomainMigrateGetMaxDowntime")
    def migrate_get_max_downtime(self, flags=0):
        """The maximum tolerable downtime of a live migration, in ms."""

    @api("virDomainMigrateGetCompressionCache")
    def migrate_get_compression_cache(self, flags=0):
        """The migration compression cache size in bytes."""

    @api("virDomainMigrateSetCompressionCache", write=True)
    def migrate_set_compression_cache(self, size, flags=0):
        """Set the migration compression cache size in bytes."""

    @api("virDomainMigrateSetMaxSpeed", write=True)
    def migrate_set_max_speed(self, bandwidth, flags=0):
        """Set the maximum migration bandwidth (MiB/s)."""

    @api("virDomainMigrateGetMaxSpeed", write=True)    # libvirt refuses it read-only
    def migrate_get_max_speed(self, flags=0):
        """The maximum migration bandwidth (MiB/s)."""

    @api("virDomainMigrateStartPostCopy", write=True)
    def migrate_start_post_copy(self, flags=0):
        """Switch a running migration to post-copy."""

    # --- resources --------------------------------------------------------
    @api("virDomainSetMemory", write=True)
    def set_memory(self, kib, flags=0):
        """Set the current (or, with MEM_MAXIMUM, maximum) memory."""

    @api("virDomainSetVcpus", write=True)
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

    @api("virDomainAttachDevice", write=True)
    def attach_device_current(self, xml):
        """Add a device to the domain as it is now (no flags: the legacy
        call virsh makes when no --live/--config/--current is given)."""

    @api("virDomainDetachDevice", write=True)
    def detach_device_current(self, xml):
        """Remove a device from the domain as it is now (legacy call)."""

    @api("virDomainDetachDeviceAlias", write=True)
    def detach_device_alias(self, alias, flags=0):
        """Remove the device whose <alias name=...> is *alias*."""

    # --- vCPUs and threads -------------------------------------------------
    # Host CPU sets cross the API as Python sets of CPU numbers.
    @api("virDomainGetVcpus")
    def vcpus_info(self):
        """Running vCPUs: list of (number, state, cpu_time_ns, host_cpu,
        affinity set)."""

    @api("virDomainGetVcpuPinInfo")
    def vcpu_pin_info(self, flags=0):
        """The affinity set of every vCPU of the definition *flags* selects."""

    @api("virDomainPinVcpuFlags", write=True)
    def pin_vcpu(self, vcpu, cpus, flags=0):
        """Pin vCPU *vcpu* to the host CPUs in set *cpus*."""

    @api("virDomainPinVcpu", write=True)
    def pin_vcpu_live(self, vcpu, cpus):
        """Pin a vCPU of the running domain (the legacy call virsh makes
        when no --live/--config/--current is given)."""

    @api("virDomainGetEmulatorPinInfo")
    def emulator_pin_info(self, flags=0):
        """The affinity set of the emulator threads."""

    @api("virDomainPinEmulator", write=True)
    def pin_emulator(self, cpus, flags=0):
        """Pin the emulator threads to the host CPUs in set *cpus*."""

    @api("virDomainSetVcpu", write=True)
    def set_vcpu(self, cpumap, state, flags=0):
        """Enable (state 1) or disable (0) the vCPUs listed in *cpumap*."""

    @api("virDomainGetGuestVcpus", write=True)
    def guest_vcpus(self, flags=0):
        """The guest agent's view of its vCPUs: list of (name, value)."""

    @api("virDomainSetGuestVcpus", write=True)
    def set_guest_vcpus(self, cpumap, state, flags=0):
        """Have the guest agent online/offline the vCPUs in *cpumap*."""

    @api("virDomainGetIOThreadInfo")
    def iothread_info(self, flags=0):
        """IOThreads: list of (id, affinity set)."""

    @api("virDomainAddIOThread", write=True)
    def add_iothread(self, iothread_id, flags=0):
        """Add IOThread *iothread_id*."""

    @api("virDomainDelIOThread", write=True)
    def del_iothread(self, iothread_id, flags=0):
        """Remove IOThread *iothread_id*."""

    @api("virDomainPinIOThread", write=True)
    def pin_iothread(self, iothread_id, cpus, flags=0):
        """Pin IOThread *iothread_id* to the host CPUs in set *cpus*."""

    @api("virDomainSetIOThreadParams", write=True)
    def set_iothread_params(self, iothread_id, params, flags=0):
        """Tune IOThread *iothread_id* (params: list of (name, value))."""

    # --- tuning ------------------------------------------------------------
    # Typed parameters cross the API as lists of (name, value) pairs; the
    # value's Python type (bool, int, float, str) is the parameter's type.
    @api("virDomainGetSchedulerType")
    def scheduler_type(self):
        """(scheduler name, number of parameters)."""

    @api("virDomainGetSchedulerParametersFlags")
    def scheduler_params(self, flags=0):
        """The scheduler's parameters."""

    @api("virDomainSetSchedulerParametersFlags", write=True)
    def set_scheduler_params(self, params, flags=0):
        """Change scheduler parameters."""

    @api("virDomainGetBlkioParameters")
    def blkio_params(self, flags=0):
        """Block I/O tuning parameters."""

    @api("virDomainSetBlkioParameters", write=True)
    def set_blkio_params(self, params, flags=0):
        """Change block I/O tuning parameters."""

    @api("virDomainGetMemoryParameters")
    def memory_params(self, flags=0):
        """Memory tuning parameters (KiB)."""

    @api("virDomainSetMemoryParameters", write=True)
    def set_memory_params(self, params, flags=0):
        """Change memory tuning parameters (KiB)."""

    @api("virDomainGetNumaParameters")
    def numa_params(self, flags=0):
        """NUMA tuning parameters (numa_mode, numa_nodeset)."""

    @api("virDomainSetNumaParameters", write=True)
    def set_numa_params(self, params, flags=0):
        """Change NUMA tuning parameters."""

    @api("virDomainGetInterfaceParameters")
    def interface_params(self, device, flags=0):
        """Bandwidth parameters of interface *device* (name or MAC)."""

    @api("virDomainSetInterfaceParameters", write=True)
    def set_interface_params(self, device, params, flags=0):
        """Change bandwidth parameters of interface *device*."""

    @api("virDomainGetBlockIoTune")
    def block_iotune(self, disk, flags=0):
        """I/O throttling parameters of *disk* (target or source)."""

    @api("virDomainSetBlockIoTune", write=True)
    def set_block_iotune(self, disk, params, flags=0):
        """Change I/O throttling parameters of *disk*."""

    @api("virDomainGetPerfEvents")
    def perf_events(self, flags=0):
        """Perf event names with whether each is enabled."""

    @api("virDomainSetPerfEvents", write=True)
    def set_perf_events(self, params, flags=0):
        """Enable or disable perf events (params: (name, bool))."""

    @api("virDomainSetLifecycleAction", write=True)
    def set_lifecycle_action(self, type_, action, flags=0):
        """Set the action on poweroff/reboot/crash (LIFECYCLE_*, ACTION_*)."""

    @api("virDomainSetMemoryStatsPeriod", write=True)
    def set_memory_stats_period(self, period, flags=0):
        """Set the balloon statistics collection period in seconds."""

    @api("virDomainAgentSetResponseTimeout", write=True)
    def set_agent_timeout(self, timeout, flags=0):
        """Set how long to wait for the guest agent (seconds, or -2/-1/0)."""

    # --- statistics ----------------------------------------------------------
    @api("virDomainBlockStats")
    def block_stats(self, path):
        """Legacy I/O counters of disk *path*: list of (name, value) with
        names rd_req, rd_bytes, wr_req, wr_bytes, errs."""

    @api("virDomainBlockStatsFlags")
    def block_stats_flags(self, path, flags=0):
        """I/O counters of disk *path* as typed parameters (rd_operations,
        rd_bytes, wr_operations, wr_bytes, flush_operations, *_total_times,
        errs)."""

    @api("virDomainInterfaceStats")
    def interface_stats(self, device):
        """Traffic counters of interface *device*: list of (name, value)."""

    @api("virDomainMemoryStats")
    def memory_stats(self, flags=0):
        """Balloon statistics: list of (tag number, value)."""

    @api("virDomainGetBlockInfo")
    def block_info(self, path, flags=0):
        """(capacity, allocation, physical) of disk *path* in bytes."""

    @api("virDomainGetDiskErrors")
    def disk_errors(self, flags=0):
        """Disks with an I/O error: list of (target, DISK_ERROR_*)."""

    @api("virDomainGetControlInfo")
    def control_info(self, flags=0):
        """(CONTROL_* state, details, milliseconds in that state)."""

    @api("virDomainGetJobStats")
    def job_stats(self, flags=0):
        """(JOB_* type, list of (name, value)) of the current job."""

    @api("virDomainGetJobInfo")
    def job_info(self):
        """Legacy job information: (JOB_* type, list of (name, value))."""

    @api("virDomainAbortJob", write=True)
    def abort_job(self):
        """Abort the current job."""

    @api("virDomainAbortJobFlags", write=True)
    def abort_job_flags(self, flags=0):
        """Abort the current job (ABORT_JOB_POSTCOPY: a post-copy migration)."""

    @api("virDomainGetCPUStats")
    def cpu_stats(self, start_cpu, ncpus, flags=0):
        """CPU times: with start_cpu -1 the totals (list of (name, ns)),
        else one list per host CPU from start_cpu; with ncpus 0 the
        number of host CPUs."""

    @api("virDomainStartDirtyRateCalc", write=True)
    def start_dirty_rate_calc(self, seconds, flags=0):
        """Start measuring the memory dirty rate for *seconds*."""

    # --- block jobs ----------------------------------------------------------
    @api("virDomainBlockCommit", write=True)
    def block_commit(self, disk, base=None, top=None, bandwidth=0, flags=0):
        """Merge a backing chain layer into a lower one."""

    @api("virDomainBlockCopy", write=True)
    def block_copy(self, disk, dest_xml, params=None, flags=0):
        """Copy a disk to a new destination."""

    @api("virDomainBlockRebase", write=True)
    def block_rebase(self, disk, base=None, bandwidth=0, flags=0):
        """Pull a backing chain into a disk, or copy it (legacy API)."""

    @api("virDomainBlockPull", write=True)
    def block_pull(self, disk, bandwidth=0, flags=0):
        """Pull the whole backing chain into *disk*."""

    @api("virDomainGetBlockJobInfo")
    def block_job_info(self, disk, flags=0):
        """(type, bandwidth, cur, end) of the block job on *disk*, or None."""

    @api("virDomainBlockJobAbort", write=True)
    def block_job_abort(self, disk, flags=0):
        """Cancel or pivot the block job on *disk*."""

    @api("virDomainBlockJobSetSpeed", write=True)
    def block_job_set_speed(self, disk, bandwidth, flags=0):
        """Limit the block job on *disk*."""

    @api("virDomainBlockResize", write=True)
    def block_resize(self, disk, size, flags=0):
        """Resize *disk* to *size* (KiB, or bytes with BLOCK_RESIZE_BYTES)."""

    @api("virDomainSetBlockThreshold", write=True)
    def set_block_threshold(self, disk, threshold, flags=0):
        """Ask for an event when *disk* is written beyond *threshold*."""

    # --- guest and console ---------------------------------------------------
    # Queries marked write=True are refused on read-only connections by
    # libvirt too (they reach into the guest or its console).
    @api("virDomainGetTime", write=True)
    def get_time(self, flags=0):
        """(seconds, nanoseconds) of the guest clock."""

    @api("virDomainSetTime", write=True)
    def set_time(self, seconds, nseconds, flags=0):
        """Set the guest clock (TIME_SYNC: from the host's RTC)."""

    @api("virDomainGetHostname", write=True)
    def hostname(self, flags=0):
        """The guest's host name."""

    @api("virDomainGetFSInfo", write=True)
    def fs_info(self, flags=0):
        """Mounted file systems: list of (mountpoint, name, type, [targets])."""

    @api("virDomainFSFreeze", write=True)
    def fs_freeze(self, mountpoints=(), flags=0):
        """Freeze file systems (all when empty); the number frozen."""

    @api("virDomainFSThaw", write=True)
    def fs_thaw(self, mountpoints=(), flags=0):
        """Thaw file systems (all when empty); the number thawed."""

    @api("virDomainFSTrim", write=True)
    def fs_trim(self, mountpoint=None, minimum=0, flags=0):
        """Discard unused blocks of a mounted file system."""

    @api("virDomainGetGuestInfo", write=True)
    def guest_info(self, types=0, flags=0):
        """Guest agent information: list of (name, value)."""

    @api("virDomainAuthorizedSSHKeysGet", write=True)
    def ssh_keys(self, user, flags=0):
        """The authorized SSH keys of guest user *user*."""

    @api("virDomainAuthorizedSSHKeysSet", write=True)
    def set_ssh_keys(self, user, keys, flags=0):
        """Add (or with flags, remove/replace) authorized SSH keys."""

    @api("virDomainSetUserPassword", write=True)
    def set_user_password(self, user, password, flags=0):
        """Set the password of guest user *user*."""

    @api("virDomainInterfaceAddresses")
    def interface_addresses(self, source=0, flags=0):
        """Interfaces with their addresses: list of (name, MAC,
        [(IP_ADDR_* type, address, prefix)])."""

    @api("virDomainScreenshot", write=True)
    def screenshot(self, screen=0, flags=0):
        """(MIME type, image bytes) of the console screen."""

    @api("virDomainSendKey", write=True)
    def send_key(self, codeset, holdtime, keycodes, flags=0):
        """Send key codes (of KEYCODE_SET_*) to the guest."""

    @api("virDomainCoreDump", write=True)
    def core_dump(self, path, flags=0):
        """Dump the guest's memory to *path*."""

    @api("virDomainCoreDumpWithFormat", write=True)
    def core_dump_with_format(self, path, dumpformat, flags=0):
        """Dump the guest's memory to *path* in CORE_DUMP_FORMAT_*."""

    @api("virDomainOpenConsole", write=True)
    def open_console(self, dev_name=None, flags=0):
        """A stream attached to the guest console."""

    @api("virDomainGetLaunchSecurityInfo", write=True)
    def launch_security_info(self, flags=0):
        """Launch security (SEV) parameters: list of (name, value)."""

    @api("virDomainSetLaunchSecurityState", write=True)
    def set_launch_security_state(self, params, flags=0):
        """Inject a launch secret (params: list of (name, value))."""

    @api("virDomainQemuMonitorCommand", write=True)
    def qemu_monitor_command(self, command, flags=0):
        """Run a QEMU monitor command; its reply text."""

    @api("virDomainQemuAgentCommand", write=True)
    def qemu_agent_command(self, command, timeout, flags=0):
        """Run a guest agent command; its reply text."""

    @api("virDomainLxcOpenNamespace", write=True)
    def lxc_open_namespace(self, flags=0):
        """File descriptors of the container's namespaces."""

    @api("virDomainFDAssociate", write=True)
    def fd_associate(self, name, fds, flags=0):
        """Associate file descriptors *fds* with *name* for later use."""

    # --- metadata ---------------------------------------------------------
    @api("virDomainGetMetadata")
    def metadata(self, type_, uri=None, flags=0):
        """Title, description or a namespaced element."""

    @api("virDomainSetMetadata", write=True)
    def set_metadata(self, type_, value, key=None, uri=None, flags=0):
        """Set (or, with value None, remove) metadata."""

    # --- snapshots, checkpoints and backups ---------------------------------
    # The objects are drivers.snapshot's DomainSnapshot / DomainCheckpoint;
    # flags are that module's SNAPSHOT_* / CHECKPOINT_* / BACKUP_* values.
    @api("virDomainSnapshotCreateXML", write=True)
    def snapshot_create_xml(self, xml, flags=0):
        """Take (or, with REDEFINE, record) a snapshot; the DomainSnapshot."""

    @api("virDomainListAllSnapshots")
    def list_all_snapshots(self, flags=0):
        """The snapshots matching the SNAPSHOT_LIST_* flags."""

    @api("virDomainSnapshotNum")
    def snapshot_num(self, flags=0):
        """How many snapshots match the SNAPSHOT_LIST_* flags."""

    @api("virDomainSnapshotLookupByName")
    def snapshot_lookup_by_name(self, name, flags=0):
        """The DomainSnapshot called *name*."""

    @api("virDomainHasCurrentSnapshot")
    def has_current_snapshot(self, flags=0):
        """Whether the domain has a current snapshot."""

    @api("virDomainSnapshotCurrent")
    def snapshot_current(self, flags=0):
        """The current DomainSnapshot."""

    @api("virDomainCheckpointCreateXML", write=True)
    def checkpoint_create_xml(self, xml, flags=0):
        """Create (or, with REDEFINE, record) a checkpoint; the DomainCheckpoint."""

    @api("virDomainListAllCheckpoints")
    def list_all_checkpoints(self, flags=0):
        """The checkpoints matching the CHECKPOINT_LIST_* flags."""

    @api("virDomainCheckpointLookupByName")
    def checkpoint_lookup_by_name(self, name, flags=0):
        """The DomainCheckpoint called *name*."""

    @api("virDomainBackupBegin", write=True)
    def backup_begin(self, backup_xml, checkpoint_xml=None, flags=0):
        """Start a backup job described by *backup_xml*."""

    @api("virDomainBackupGetXMLDesc")
    def backup_xml_desc(self, flags=0):
        """The XML of the running backup job."""
