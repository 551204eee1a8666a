"""domjobinfo's layout of a job's typed statistics, as virsh prints them.

Drivers report libvirt's raw statistic names (time_elapsed, data_total
...); virsh turns the ones it knows into labelled lines with units, in its
own order, and leaves out groups that are absent."""

OPERATIONS = ("Unknown", "Start", "Save", "Restore", "Incoming migration",
              "Outgoing migration", "Snapshot", "Snapshot revert", "Dump", "Backup",
              "Snapshot delete")
UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")


def _capacity(size):
    value, i = float(size), 0
    while value >= 1024 and i < len(UNITS) - 1:
        value /= 1024
        i += 1
    return "%-.3f %s" % (value, UNITS[i])


def _ms(v):
    return "%-12d ms" % v


def _count(unit):
    return lambda v: ("%-12d " + unit) % v


def _number(v):
    return "%-12d" % v


# (statistic, label, how its value is written), in virsh's order; a group
# of data figures is written whole when any of its figures is present.
LINES = (
    ("time_elapsed", "Time elapsed", _ms),
    ("time_elapsed_net", "Time elapsed w/o network", _ms),
    ("time_remaining", "Time remaining", _ms),
    ("data_processed", "Data processed", _capacity),
    ("data_remaining", "Data remaining", _capacity),
    ("data_total", "Data total", _capacity),
    ("memory_processed", "Memory processed", _capacity),
    ("memory_remaining", "Memory remaining", _capacity),
    ("memory_total", "Memory total", _capacity),
    ("memory_bps", "Memory bandwidth", lambda v: _capacity(v) + "/s"),
    ("memory_dirty_rate", "Dirty rate", _count("pages/s")),
    ("memory_page_size", "Page size", _count("bytes")),
    ("memory_iteration", "Iteration", _number),
    ("memory_postcopy_requests", "Postcopy requests", _number),
    ("disk_processed", "File processed", _capacity),
    ("disk_remaining", "File remaining", _capacity),
    ("disk_total", "File total", _capacity),
    ("disk_bps", "File bandwidth", lambda v: _capacity(v) + "/s"),
    ("memory_constant", "Constant pages", _number),
    ("memory_normal", "Normal pages", _number),
    ("memory_normal_bytes", "Normal data", _capacity),
    ("downtime", None, _ms),
    ("downtime_net", "Downtime w/o network", _ms),
    ("setup_time", "Setup time", _ms),
    ("auto_converge_throttle", "Auto converge throttle", lambda v: "%-13d" % v),
)


def is_raw(params):
    """Whether *params* are libvirt's raw statistic names (not labels)."""
    return any(name == "time_elapsed" or name == "operation" for name, _ in params)


def lines(job_completed, params):
    """The lines after "Job type:" for the statistics *params*."""
    values = dict(params)
    out = []
    if "operation" in values:
        op = values["operation"]
        out.append("%-17s %-12s" % ("Operation:", OPERATIONS[op] if 0 <= op < len(
            OPERATIONS) else OPERATIONS[0]))
    for name, label, write in LINES:
        if name not in values:
            continue
        if label is None:
            label = "Total downtime" if job_completed else "Expected downtime"
        out.append("%-17s %s" % (label + ":", write(values[name])))
    if "errmsg" in values:
        out.append("%-17s %s" % ("Error message:", values["errmsg"]))
    return out
