"""Noticing the first use of a state directory since the host booted.

A daemon starts autostart pools and networks when it starts; without one,
the first connection after a boot does it.  The boot is recognised by the
kernel's boot id, remembered in the state directory.
"""
import os

BOOT_ID = "/proc/sys/kernel/random/boot_id"


def first_since_boot(state_dir):
    """True exactly once per boot for *state_dir* (the caller then drops the
    state a previous boot left behind and autostarts).  Concurrent callers
    are serialised by a lock on the marker, so only one of them gets True."""
    import fcntl
    try:
        with open(BOOT_ID) as f:
            boot = f.read().strip()
    except OSError:
        return False
    marker = os.path.join(state_dir, ".boot_id")
    try:
        os.makedirs(state_dir, mode=0o700, exist_ok=True)
        fd = os.open(marker, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return False            # not ours to manage (e.g. another user's)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        seen = os.read(fd, 64).decode(errors="replace").strip()
        if seen == boot:
            return False
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, boot.encode())
        return True
    finally:
        os.close(fd)


def seen_this_boot(state_dir):
    """Whether *state_dir* was used since the host booted (a read-only
    glance: first_since_boot, which also marks, is then sure to say no)."""
    try:
        with open(BOOT_ID) as f, open(os.path.join(state_dir, ".boot_id")) as marker:
            return marker.read(64).strip() == f.read().strip()
    except OSError:
        return False
