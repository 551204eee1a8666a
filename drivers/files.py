"""Safe state files of the drivers that keep their state on this host
(QEMU, LXC, networks, storage pools, nwfilters, secrets): atomic writes
(temp, fsync, rename), mode 0600 in folders of mode 0700, locks."""
import _thread
import fcntl
import os
import sys

from virtsh.drivers.errors import VirtError, SYSTEM_ERROR

_PID_DIGITS = 7             # pid_max is at most 4194304: room kept in temp names


def write_atomic(path, data, mode=0o600, durable=True):
    """Replace *path* with *data* (str or bytes) so readers never see half.

    *durable* flushes the data to disk before the rename (definitions), so
    that after a crash the file holds the old text or the new, whole; the
    folder itself is not synced (libvirt does not either: that fsync
    commits the journal, the dearest step of a define).  Runtime state,
    gone with the host's run directory anyway, skips the flush too."""
    if isinstance(data, str):
        data = data.encode()
    tmp = _temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(tmp, path)
    except BaseException:           # a full disk, say: no half-written file is left
        remove(tmp)
        raise


def temp_prefix(path):
    """What the temporary copies of *path* are called, but for the pid of
    the process writing each: a name that fits wherever *path* fits."""
    directory, base = os.path.split(path)
    return os.path.join(directory, fitting_name("." + base, ".tmp", 255 - _PID_DIGITS))


def _temp_name(path):
    return "%s%d" % (temp_prefix(path), os.getpid())


def fitting_name(stem, suffix, limit=255):
    """*stem* + *suffix* as a file name of at most *limit* bytes: when that
    is too long, a hidden name made of *stem*'s hash keeps the suffix
    (libvirt takes domain and network names near the 255-byte limit)."""
    name = stem + suffix
    if len(name.encode()) <= limit:
        return name
    return ".%016x%s" % (fnv1a(stem, 64), suffix)


def save_config(path, data):
    """Write the definition file of a network, pool, nwfilter or secret:
    its folders made first (0700), the file replaced whole (0600);
    libvirt's "cannot create config file" when that fails."""
    try:
        make_private_dirs(os.path.dirname(path))
        write_atomic(path, data)
    except OSError as e:            # a name too long for a file name, a full disk ...
        raise VirtError(SYSTEM_ERROR, "cannot create config file '%s': %s"
                        % (path, os.strerror(e.errno))) from None


# FNV-1a's offset basis and prime for each width.
_FNV = {32: (0x811C9DC5, 0x01000193), 64: (0xCBF29CE484222325, 0x100000001B3)}


def fnv1a(text, bits=32):
    """The FNV-1a hash of *text*: a stable short digest for names of lock
    slots and cache files (hashlib costs a few ms of start-up to import)."""
    value, prime = _FNV[bits]
    mask = (1 << bits) - 1
    for byte in text.encode():
        value = ((value ^ byte) * prime) & mask
    return value


def open_creating(path, flags):
    """os.open with O_CREAT (mode 0600), making the folder first if
    missing: the first lock or log of a tree creates its folder."""
    try:
        return os.open(path, flags | os.O_CREAT, 0o600)
    except FileNotFoundError:
        make_private_dirs(os.path.dirname(path))
        return os.open(path, flags | os.O_CREAT, 0o600)


def read_text(path, default=None):
    """The text of *path*, or *default* when it does not exist."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return default


def remove(*paths):
    """Delete files that may already be gone."""
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


class Lock:
    """An exclusive lock, as a context manager: on a whole lock file
    (``flock``), or with *slot* on one byte of it (an open file description
    lock, which behaves as ``flock`` does: one file then serves every
    domain, and locking a domain never creates a file).

    Re-entrant within one thread of one process: a caller that already
    holds the lock (a command settling a dead QEMU's status, say) goes on
    instead of waiting for itself.  Other threads and processes, forked
    children included, wait as usual."""

    _held = {}          # (pid, thread, path, slot) -> [fd, depth]

    def __init__(self, path, slot=None):
        self.path = path
        self.slot = slot
        self.fd = None

    def _key(self):
        return (os.getpid(), _thread.get_ident(), self.path, self.slot)

    def __enter__(self):
        held = Lock._held.get(self._key())
        if held is not None:
            held[1] += 1
            self.fd = held[0]
            return self
        self.fd = open_creating(self.path, os.O_RDWR | os.O_CLOEXEC)
        try:                            # (Python retries both on EINTR)
            if self.slot is None:
                fcntl.flock(self.fd, fcntl.LOCK_EX)
            else:
                fcntl.fcntl(self.fd, fcntl.F_OFD_SETLKW, byte_range(fcntl.F_WRLCK, self.slot))
        except OSError:
            os.close(self.fd)
            raise
        Lock._held[self._key()] = [self.fd, 1]
        return self

    def __exit__(self, *exc):
        key = self._key()
        held = Lock._held[key]
        held[1] -= 1
        if held[1] == 0:
            del Lock._held[key]
            os.close(self.fd)
        self.fd = None

    def held(self):
        """Whether this thread holds the lock already."""
        return self._key() in Lock._held


def byte_range(kind, offset):
    """A ``struct flock`` (Linux, 64-bit) for one byte at *offset*: type,
    whence (SEEK_SET), padding, start, length 1, pid 0 (as OFD locks want)."""
    order = sys.byteorder
    return (kind.to_bytes(2, order) + bytes(6) + offset.to_bytes(8, order)
            + (1).to_bytes(8, order) + bytes(8))


def make_state_dirs(kinds):
    """make_private_dirs for each (kind, path) of *kinds*; libvirt's error
    ("Failed to create state dir ...") for one that cannot be made."""
    for kind, path in kinds:
        try:
            make_private_dirs(path)
        except OSError as e:
            raise VirtError(SYSTEM_ERROR, "Failed to create %s dir %s: %s"
                            % (kind, path, e.strerror)) from None


def make_private_dirs(path):
    """Create *path* and each missing parent with mode 0700 (os.makedirs
    gives its mode to the last directory only)."""
    missing = []
    while path and not os.path.isdir(path):
        missing.append(path)
        path = os.path.dirname(path)
    for directory in reversed(missing):
        try:
            os.mkdir(directory, 0o700)
        except FileExistsError:
            pass
