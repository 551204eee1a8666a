"""Where a QEMU connection keeps its files: one directory tree per URI.

``qemu:///embed?root=DIR`` lays everything out under DIR the way libvirt's
embedded driver does; ``qemu:///system`` uses fixed system directories
(root only) and ``qemu:///session`` the user's XDG directories.
"""
import os

from virtsh.drivers.errors import VirtError, INTERNAL_ERROR, NO_CONNECT
from virtsh.drivers.files import make_state_dirs


class Tree:
    """The directories (and the qemu.conf path) of one connection."""

    __slots__ = ("conf_file", "config", "autostart", "run", "lib", "cache",
                 "log", "privileged")

    def __init__(self, conf_dir, run, lib, cache, log, privileged):
        self.conf_file = os.path.join(conf_dir, "qemu.conf")
        self.config = os.path.join(conf_dir, "qemu")          # persistent XML
        self.autostart = os.path.join(self.config, "autostart")
        self.run = run            # status XML, pid, QMP sockets, locks
        self.lib = lib            # save images, snapshots, nvram
        self.cache = cache        # capabilities
        self.log = log            # one log per domain
        self.privileged = privileged

    def ensure(self):
        """Create every directory (mode 0700) that does not exist yet, the
        state directory first as libvirt does; libvirt's error when one
        cannot be made."""
        make_state_dirs((("state", self.run), ("lib", self.lib), ("cache", self.cache),
                         ("config", self.config), ("autostart", self.autostart),
                         ("log", self.log)))


def for_uri(uri):
    """The Tree of a parsed qemu URI, or libvirt's error for a bad one."""
    path = uri.path
    if path == "/embed":
        root = uri.params.get("root")
        if not root:
            raise VirtError(INTERNAL_ERROR,
                            "root parameter required for embedded driver")
        if not os.path.isabs(root):
            raise VirtError(INTERNAL_ERROR,
                            "root path must be absolute: '%s'" % root)
        return _embedded(root)
    privileged = os.geteuid() == 0
    if path == "/system":
        if not privileged:
            raise VirtError(INTERNAL_ERROR,
                            "unexpected QEMU URI path '%s', try qemu:///session"
                            % path)
        return Tree("/etc/virtsh", "/run/virtsh/qemu", "/var/lib/virtsh/qemu",
                    "/var/cache/virtsh/qemu", "/var/log/virtsh/qemu", True)
    if path == "/session":
        return _session()
    if path in ("", "/"):
        raise VirtError(NO_CONNECT, str(uri))
    raise VirtError(INTERNAL_ERROR,
                    "unexpected QEMU URI path '%s', try qemu:///%s"
                    % (path, "system" if privileged else "session"))


def _embedded(root):
    join = os.path.join
    return Tree(join(root, "etc"), join(root, "run", "qemu"),
                join(root, "lib", "qemu"), join(root, "cache", "qemu"),
                join(root, "log", "qemu"), os.geteuid() == 0)


def _session():
    home = os.path.expanduser("~")
    env = os.environ.get
    config = env("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    cache = env("XDG_CACHE_HOME") or os.path.join(home, ".cache")
    data = env("XDG_DATA_HOME") or os.path.join(home, ".local", "share")
    runtime = env("XDG_RUNTIME_DIR") or os.path.join(cache, "virtsh")
    return Tree(os.path.join(config, "virtsh"),
                os.path.join(runtime, "virtsh", "qemu", "run"),
                os.path.join(data, "virtsh", "qemu"),
                os.path.join(cache, "virtsh", "qemu"),
                os.path.join(cache, "virtsh", "qemu", "log"), False)
