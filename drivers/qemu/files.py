"""Safe state files: atomic writes (temp, fsync, rename), mode 0600, locks."""
import errno
import fcntl
import os


def write_atomic(path, data, mode=0o600, durable=True):
    """Replace *path* with *data* (str or bytes) so readers never see half.

    *durable* also flushes the data and the directory entry to disk
    (definitions); runtime state, gone with the host's run directory
    anyway, skips that cost."""
    if isinstance(data, str):
        data = data.encode()
    directory = os.path.dirname(path)
    tmp = os.path.join(directory, ".%s.tmp%d" % (os.path.basename(path), os.getpid()))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)
    os.rename(tmp, path)
    if not durable:
        return
    dfd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


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
    """An exclusive ``fcntl.flock`` on a lock file, as a context manager."""

    def __init__(self, path):
        self.path = path
        self.fd = None

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX)
                return self
            except OSError as e:  # pragma: no cover - EINTR only
                if e.errno != errno.EINTR:
                    raise

    def __exit__(self, *exc):
        os.close(self.fd)
        self.fd = None
