"""The domain events libvirt derives from a QMP event on its own (those
that need no knowledge of what the supervisor is doing: lifecycle events
are decided by the supervisor and the commands)."""
from virtsh.drivers.qemu import eventlog as E

BLOCK_JOB_TYPES = {"pull": 1, "copy": 2, "commit": 3, "active": 4}  # by our job-id prefix
BLOCK_JOB_ENDS = {"BLOCK_JOB_COMPLETED": 0, "BLOCK_JOB_CANCELLED": 2, "BLOCK_JOB_READY": 3}
WATCHDOG_ACTIONS = {"none": 0, "pause": 1, "reset": 2, "poweroff": 3, "shutdown": 4,
                    "debug": 5, "inject-nmi": 6}
IO_ERROR_ACTIONS = {"ignore": 0, "stop": 1, "report": 2}


def derive(kind, data, disk_source=lambda target: None):
    """[(event id, callback args)] for the QMP event *kind* with *data*;
    *disk_source* maps a disk target to its source path."""
    if kind == "RESET":
        return [(E.REBOOT, [])]
    if kind == "DEVICE_DELETED" and data.get("device"):
        return [(E.DEVICE_REMOVED, [data["device"]])]
    if kind == "BALLOON_CHANGE":
        return [(E.BALLOON_CHANGE, [data.get("actual", 0) // 1024])]
    if kind == "RTC_CHANGE":
        return [(E.RTC_CHANGE, [data.get("offset", 0)])]
    if kind == "WATCHDOG":
        return [(E.WATCHDOG, [WATCHDOG_ACTIONS.get(data.get("action"), 7)])]
    if kind == "DEVICE_TRAY_MOVED":
        alias = data.get("id") or data.get("device", "")
        return [(E.TRAY_CHANGE, [alias, 0 if data.get("tray-open") else 1])]
    if kind == "SUSPEND":
        return [(E.PMSUSPEND, [0]), (E.LIFECYCLE, [E.PMSUSPENDED, 0])]
    if kind == "WAKEUP":
        return [(E.PMWAKEUP, [0])]
    if kind == "BLOCK_IO_ERROR":
        target = data.get("device", "")
        path = disk_source(target) or ""
        action = IO_ERROR_ACTIONS.get(data.get("action"), 3)
        return [(E.IO_ERROR, [path, target, action]),
                (E.IO_ERROR_REASON, [path, target, action,
                                     "enospc" if data.get("nospace") else ""])]
    if kind in BLOCK_JOB_ENDS:
        prefix, _, target = data.get("device", "").partition("-")
        if prefix not in BLOCK_JOB_TYPES:
            return []
        status = 1 if data.get("error") else BLOCK_JOB_ENDS[kind]
        job = BLOCK_JOB_TYPES[prefix]
        return [(E.BLOCK_JOB, [disk_source(target) or target, job, status]),
                (E.BLOCK_JOB_2, [target, job, status])]
    return []
