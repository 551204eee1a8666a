"""virsh's words for domain states and their reasons (``domstate --reason``,
the State column of ``list``, ``dominfo``)."""

_STATES = ("no state", "running", "idle", "paused", "in shutdown",
           "shut off", "crashed", "pmsuspended")

# Per state, the reason words in libvirt's reason-number order.
_REASONS = {
    0: ("unknown",),
    1: ("unknown", "booted", "migrated", "restored", "from snapshot",
        "unpaused", "migration canceled", "save canceled", "event wakeup",
        "crashed", "post-copy"),
    2: ("unknown",),
    3: ("unknown", "user", "migrating", "saving", "dumping", "I/O error",
        "watchdog", "from snapshot", "shutting down", "creating snapshot",
        "crashed", "starting up", "post-copy", "post-copy failed",
        "api error"),
    4: ("unknown", "user"),
    5: ("unknown", "shutdown", "destroyed", "crashed", "migrated", "saved",
        "failed", "from snapshot", "daemon"),
    6: ("unknown", "panicked"),
    7: ("unknown",),
}


def state_text(state):
    """``running``, ``shut off`` ... (``no state`` for unknown numbers)."""
    return _STATES[state] if 0 <= state < len(_STATES) else _STATES[0]


def reason_text(state, reason):
    """The reason word for *reason* in *state* (``unknown`` if out of range)."""
    words = _REASONS.get(state, ("unknown",))
    return words[reason] if 0 <= reason < len(words) else "unknown"
