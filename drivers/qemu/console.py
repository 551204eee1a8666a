"""Opening a running guest's text console: the pty (or unix socket) QEMU
gives a <console>, <serial> or <parallel>, one session at a time.

The session's owner is recorded as a pid file beside the status file;
another ``console`` is refused while that process lives, unless it asks
to take over (--force), which ends the old session."""
import os
import signal

from virtsh.drivers.errors import VirtError, INTERNAL_ERROR, OPERATION_FAILED
from virtsh.drivers import files
from virtsh.drivers.qemu import store as S

CONSOLE_FORCE = 1


def find_device(root, dev_name):
    """The console, serial or parallel element *dev_name* (an alias) names,
    or the guest's first console (else first serial) without a name."""
    devices = root.find("devices")
    if dev_name is None:
        chr_dev = devices.find("console")
        if chr_dev is None:
            chr_dev = devices.find("serial")
    else:
        chr_dev = next((d for tag in ("console", "serial", "parallel")
                        for d in devices.findall(tag)
                        if d.find("alias") is not None
                        and d.find("alias").get("name") == dev_name), None)
    if chr_dev is None:
        raise VirtError(INTERNAL_ERROR, "cannot find character device %s"
                        % (dev_name or "<null>"))
    return chr_dev


def open_fd(chr_dev, label):
    """A read/write fd on the device's host side (pty or unix socket)."""
    import termios
    source = chr_dev.find("source")
    path = source.get("path") if source is not None else None
    kind = chr_dev.get("type")
    if kind == "unix" and path:
        from virtsh.drivers.qemu import lifecycle
        return lifecycle.connect_unix(path).detach()
    if kind != "pty" or not path:
        raise VirtError(INTERNAL_ERROR, "character device %s is not using a PTY" % label)
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    termios.tcflush(fd, termios.TCIFLUSH)       # nothing typed before we came
    return fd


def claim(store, name, flags):
    """Become the domain's one console session (taking over with --force)."""
    path = store.run(name, "console")
    with store.lock(name):
        holder = _holder(path)
        if holder and holder != os.getpid():
            if not flags & CONSOLE_FORCE:
                raise VirtError(OPERATION_FAILED,
                                "Active console session exists for this domain")
            try:
                os.kill(holder, signal.SIGHUP)
            except ProcessLookupError:
                pass
        me = os.getpid()
        files.write_atomic(path, "%d %s" % (me, S.proc_start_time(me)), durable=False)


def _holder(path):
    """The pid of a living console session recorded at *path*, or 0."""
    fields = (files.read_text(path) or "").split()
    if len(fields) != 2 or not fields[0].isdigit():
        return 0
    pid = int(fields[0])
    return pid if S.process_alive(pid, None) and \
        str(S.proc_start_time(pid)) == fields[1] else 0
