"""Where an LXC connection keeps its files: one directory tree per URI.

``lxc:///system`` (also ``lxc:///``) uses the system directories (root
only); ``lxc:///embed?root=DIR`` keeps everything under DIR, which is
what tests use.  The attributes match the QEMU driver's tree, so that
driver's state store (qemu/store.py) serves LXC domains unchanged.
"""
import hashlib
import os

from virtsh.drivers.errors import VirtError, INTERNAL_ERROR, NO_CONNECT


class Tree:
    """The directories of one LXC connection, and its cgroup naming."""

    __slots__ = ("config", "autostart", "run", "lib", "cache", "log",
                 "privileged", "scope_suffix")

    def __init__(self, config, run, log, scope_suffix):
        self.config = config                      # persistent XML
        self.autostart = os.path.join(config, "autostart")
        self.run = run           # status, live XML, locks, console sockets
        self.lib = self.cache = run
        self.log = log           # one log per container
        self.privileged = True
        self.scope_suffix = scope_suffix          # names this tree's cgroups

    def ensure(self):
        from virtsh.drivers.files import make_state_dirs
        make_state_dirs((("state", self.run), ("config", self.config),
                         ("autostart", self.autostart), ("log", self.log)))


def for_uri(uri):
    """The Tree of a parsed lxc URI, or libvirt's error for a bad one."""
    path = uri.path
    if path == "/embed":
        root = uri.params.get("root")
        if not root:
            raise VirtError(INTERNAL_ERROR, "root parameter required for embedded driver")
        if not os.path.isabs(root):
            raise VirtError(INTERNAL_ERROR, "root path must be absolute: '%s'" % root)
        join = os.path.join
        digest = hashlib.sha256(root.encode()).hexdigest()[:8]
        tree = Tree(join(root, "etc", "lxc"), join(root, "run", "lxc"),
                    join(root, "log", "lxc"), "virtsh-%s" % digest)
    elif path in ("", "/", "/system"):
        tree = Tree("/etc/virtsh/lxc", "/run/virtsh/lxc", "/var/log/virtsh/lxc", "virtsh")
    else:
        raise VirtError(INTERNAL_ERROR, "Unexpected LXC URI path '%s', try lxc:///system" % path)
    if os.geteuid() != 0:
        raise VirtError(NO_CONNECT, str(uri))
    return tree
