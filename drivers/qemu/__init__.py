"""The QEMU driver without a daemon: ``qemu:///system``, ``qemu:///session``,
``qemu:///embed?root=DIR``.

Module map: paths (URI -> directory tree), conf (qemu.conf), files
(atomic writes, locks), store (definitions and runtime state on disk),
caps (QEMU capabilities probed over QMP, cached), defaults (the driver's
post-parse defaults), validate (its checks), qemuns (<qemu:commandline>
and friends), command (definition -> argv), lifecycle and supervisor
(starting, watching, adopting and stopping QEMU), qmp (monitor client),
live (the live definition), host (host capabilities, node info),
connection and domain (the driver API; the other modules here are the
domain's API mixins).
"""
__all__ = ["QemuConnection"]


def __getattr__(name):
    """Import the connection on first use: other drivers (lxc) reuse this
    package's state store without paying for the QEMU driver's imports."""
    if name == "QemuConnection":
        from virtsh.drivers.qemu.connection import QemuConnection
        return QemuConnection
    raise AttributeError(name)
