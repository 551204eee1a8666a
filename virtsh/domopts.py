"""Helpers shared by the device, vCPU and tuning commands.

- ``device_flags``: --persistent/--live/--config/--current of the device
  commands (cmdutil.affect_flags has the plain rules);
- typed parameters printed as virsh does (``%-15s: %s``) and parsed from
  ``name=value`` strings;
- host CPU lists: parsed as virsh's vshParseCPUList, shown as ``0-3`` or a
  ``yyyy----`` map limited to the host's CPU count.
"""
from virtsh.drivers import domain as D
from virtsh.errors import CommandError


def exclusive(args, first, second):
    """virsh's VSH_EXCLUSIVE_OPTIONS check."""
    if args.given(first) and args.given(second):
        raise CommandError("Options --%s and --%s are mutually exclusive"
                           % (first, second))


def device_flags(args, dom):
    """Flags of attach/detach/update commands, and whether any was given
    (virsh uses the flag-less API otherwise): --persistent is --config,
    plus --live on a running domain."""
    from virtsh.cmdutil import affect_flags
    exclusive(args, "persistent", "current")
    flags = affect_flags(args)
    if args.flag("persistent"):
        flags |= D.AFFECT_CONFIG
        if dom.is_active():
            flags |= D.AFFECT_LIVE
    return flags, bool(flags or args.flag("current"))


# --- typed parameters ---------------------------------------------------------
def param_text(value):
    """A typed parameter value as virsh prints it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "%f" % value
    return str(value)


def print_params(ctl, params, printer=None):
    """``%-15s: %s`` lines of (name, value) pairs."""
    out = printer or ctl.print
    for name, value in params:
        out("%-15s: %s" % (name, param_text(value)))


def convert_param(name, text, like):
    """Parse *text* for parameter *name* whose current value is *like*
    (libvirt's virTypedParameterAssignFromStr)."""
    from virtsh.args import parse_c_integer
    from virtsh.drivers.errors import VirtError, INVALID_ARG
    if isinstance(like, bool):
        if text.lower() in ("1", "yes", "true"):
            return True
        if text.lower() in ("0", "no", "false"):
            return False
        raise VirtError(INVALID_ARG, "Invalid boolean value for field '%s'" % name)
    if isinstance(like, int):
        value = parse_c_integer(text)
        if value is None or value < 0:
            raise VirtError(INVALID_ARG, "Invalid value for field '%s': expected "
                            "unsigned int" % name)
        return value
    if isinstance(like, float):
        try:
            return float(text)
        except ValueError:
            raise VirtError(INVALID_ARG, "Invalid value for field '%s': expected "
                            "double" % name) from None
    return text


# --- host CPU lists -------------------------------------------------------------
def host_cpu_count(conn):
    """How many host CPUs CPU maps cover (virsh's virshNodeGetCPUCount)."""
    from virtsh.drivers.errors import VirtError
    try:
        return conn.get_cpu_map()[0]
    except VirtError:
        return conn.get_node_info()[2]


def cpu_list_text(cpus, maxcpu):
    """``0-3,6`` of the CPUs below *maxcpu*."""
    from virtsh.drivers import cpusets
    return cpusets.format(c for c in cpus if c < maxcpu)


def cpu_map_text(cpus, maxcpu):
    """``yy--`` map of the CPUs below *maxcpu*."""
    return "".join("y" if c in cpus else "-" for c in range(maxcpu))


def parse_cpu_list(text, maxcpu):
    """The set of CPUs of a --cpulist argument (``r`` = all), with virsh's
    errors."""
    from virtsh.drivers import cpusets
    from virtsh.drivers.errors import VirtError
    if text == "r":
        return set(range(maxcpu))
    try:
        cpus = cpusets.parse(text)
    except VirtError as e:
        raise CommandError("Invalid cpulist '%s'" % text, e) from None
    too_big = [c for c in sorted(cpus) if c >= maxcpu]
    if too_big:
        raise CommandError("CPU %d in cpulist '%s' exceed the maxcpu %d"
                           % (too_big[0], text, maxcpu))
    return cpus


# --- sizes --------------------------------------------------------------------
def pretty_capacity(value):
    """``1.000 TiB``: virsh's vshPrettyCapacity with three decimals."""
    units = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
    size, unit = float(value), 0
    while size >= 1024 and unit < len(units) - 1:
        size /= 1024
        unit += 1
    return "%.3f %s" % (size, units[unit])


# --- names virsh prints ---------------------------------------------------------
MEMORY_STAT_NAMES = ("swap_in", "swap_out", "major_fault", "minor_fault", "unused",
                     "available", "actual", "rss", "usable", "last_update",
                     "disk_caches", "hugetlb_pgalloc", "hugetlb_pgfail")
DISK_ERRORS = {D.DISK_ERROR_NONE: "no error", D.DISK_ERROR_UNSPEC: "unspecified error",
               D.DISK_ERROR_NO_SPACE: "no space"}
CONTROL_STATES = ("ok", "background job", "occupied", "error")
CONTROL_ERRORS = ("none", "unknown", "monitor failure", "internal (locking) error")
BLOCK_STAT_LABELS = {
    "rd_req": " number of read operations:", "rd_bytes": " number of bytes read:",
    "wr_req": " number of write operations:", "wr_bytes": " number of bytes written:",
    "errs": " error count:", "flush_operations": " number of flush operations:",
    "rd_total_times": " total duration of reads (ns):",
    "wr_total_times": " total duration of writes (ns):",
    "flush_total_times": " total duration of flushes (ns):"}
# virDomainBlockStatsFlags parameter -> the name virsh prints
BLOCK_STAT_FIELDS = {"rd_operations": "rd_req", "wr_operations": "wr_req"}
ADDRESS_SOURCES = ("lease", "agent", "arp")
STATS_GROUPS = (("state", D.STATS_STATE), ("cpu-total", D.STATS_CPU_TOTAL),
                ("balloon", D.STATS_BALLOON), ("vcpu", D.STATS_VCPU),
                ("interface", D.STATS_INTERFACE), ("block", D.STATS_BLOCK),
                ("perf", D.STATS_PERF), ("iothread", D.STATS_IOTHREAD),
                ("memory", D.STATS_MEMORY), ("dirtyrate", D.STATS_DIRTYRATE),
                ("vm", D.STATS_VM))
STATS_FLAGS = (("list-active", D.LIST_ACTIVE), ("list-inactive", D.LIST_INACTIVE),
               ("list-persistent", D.LIST_PERSISTENT),
               ("list-transient", D.LIST_TRANSIENT), ("list-running", D.LIST_RUNNING),
               ("list-paused", D.LIST_PAUSED), ("list-shutoff", D.LIST_SHUTOFF),
               ("list-other", D.LIST_OTHER), ("backing", D.STATS_BACKING),
               ("enforce", D.STATS_ENFORCE_STATS), ("nowait", D.STATS_NOWAIT))
