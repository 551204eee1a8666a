"""The text virsh's ``event`` prints for each kind of domain event.

A driver hands over an event as (event id, the arguments libvirt's
callback of that id receives); ``describe`` turns that into virsh's
line(s) without the trailing newline.
"""

EVENT_TYPES = (
    "lifecycle", "reboot", "rtc-change", "watchdog", "io-error", "graphics",
    "io-error-reason", "control-error", "block-job", "disk-change", "tray-change",
    "pm-wakeup", "pm-suspend", "balloon-change", "pm-suspend-disk",
    "device-removed", "block-job-2", "tunable", "agent-lifecycle", "device-added",
    "migration-iteration", "job-completed", "device-removal-failed",
    "metadata-change", "block-threshold", "memory-failure",
    "memory-device-size-change")

LIFECYCLE = (
    ("Defined", ("Added", "Updated", "Renamed", "Snapshot")),
    ("Undefined", ("Removed", "Renamed")),
    ("Started", ("Booted", "Migrated", "Restored", "Snapshot", "Event wakeup")),
    ("Suspended", ("Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot",
                   "API error", "Post-copy", "Post-copy Error")),
    ("Resumed", ("Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error")),
    ("Stopped", ("Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed",
                 "Snapshot")),
    ("Shutdown", ("Finished", "Finished after guest request",
                  "Finished after host request")),
    ("PMSuspended", ("Memory", "Disk")),
    ("Crashed", ("Panicked", "Crashloaded")))
WATCHDOG = ("none", "pause", "reset", "poweroff", "shutdown", "debug", "inject-nmi")
IO_ERROR = ("none", "pause", "report")
BLOCK_JOBS = ("Unknown job", "Block Pull", "Block Copy", "Block Commit",
              "Active Block Commit", "Backup")
BLOCK_JOB_STATUS = ("completed", "failed", "canceled", "ready")
DISK_CHANGE = ("changed", "dropped")
TRAY = ("opened", "closed")
AGENT_STATES = ("unknown", "connected", "disconnected")
AGENT_REASONS = ("unknown", "domain started", "channel event")
METADATA = ("description", "title", "element")


def _pick(table, index, default="unknown"):
    return table[index] if 0 <= index < len(table) else default


def _lifecycle(event, detail):
    name, details = LIFECYCLE[event] if 0 <= event < len(LIFECYCLE) else ("unknown", ())
    return ": %s %s" % (name, _pick(details, detail))


def _io_error(path, alias, action, reason=None):
    text = ": %s (%s) %s" % (path, alias, _pick(IO_ERROR, action))
    return text if reason is None else "%s due to %s" % (text, reason)


def _params(params):
    return ":" + "".join("\n\t%s: %s" % (field, value) for field, value in params)


SUFFIXES = {
    "lifecycle": _lifecycle,
    "rtc-change": lambda offset: ": %d" % offset,
    "watchdog": lambda action: ": %s" % _pick(WATCHDOG, action),
    "io-error": _io_error,
    "io-error-reason": _io_error,
    "block-job": lambda disk, job, status: ": %s for %s %s" % (
        _pick(BLOCK_JOBS, job, "Unknown job"), disk, _pick(BLOCK_JOB_STATUS, status)),
    "disk-change": lambda old, new, alias, reason: " disk %s: %s -> %s: %s" % (
        alias, old or "<null>", new or "<null>", _pick(DISK_CHANGE, reason)),
    "tray-change": lambda alias, reason: " disk %s: %s" % (alias, _pick(TRAY, reason)),
    "balloon-change": lambda actual: ": %dKiB" % actual,
    "device-removed": lambda alias: ": %s" % alias,
    "device-added": lambda alias: ": %s" % alias,
    "device-removal-failed": lambda alias: ": %s" % alias,
    "tunable": _params,
    "job-completed": _params,
    "agent-lifecycle": lambda state, reason: ": state: '%s' reason: '%s'" % (
        _pick(AGENT_STATES, state, "unsupported value"),
        _pick(AGENT_REASONS, reason, "unsupported value")),
    "migration-iteration": lambda n: ": iteration: '%d'" % n,
    "metadata-change": lambda kind, uri: ": type %s, uri %s" % (
        _pick(METADATA, kind, "unsupported value"), uri or "<null>"),
    "block-threshold": lambda dev, path, threshold, excess: ": dev: %s(%s) %d %d" % (
        dev, path or "<null>", threshold, excess),
    "memory-device-size-change": lambda alias, size: ":\nalias: %s\nsize: %d" % (alias, size),
}
SUFFIXES["block-job-2"] = SUFFIXES["block-job"]
# io-error-reason prints as 'io-error' in virsh
PRINTED_AS = {"io-error-reason": "io-error"}


def describe(event_id, domain_name, args):
    """virsh's text for event *event_id* of *domain_name* with callback *args*."""
    kind = EVENT_TYPES[event_id]
    head = "event '%s' for domain '%s'" % (PRINTED_AS.get(kind, kind), domain_name)
    suffix = SUFFIXES.get(kind)
    return head + (suffix(*args) if suffix else "")
