"""The hypervisor API (import name ``virtsh.drivers``).

Shaped after libvirt's public API: a Connection hands out Domain, Network,
StoragePool ... objects; XML strings cross the boundary; failures are
``VirtError``.  ``open(uri)`` picks the driver from the URI's scheme.
"""
import os

from virtsh.drivers.errors import VirtError, NO_CONNECT


def default_uri():
    """The URI used when none is given: virsh's choice for this user."""
    return "qemu:///system" if os.geteuid() == 0 else "qemu:///session"


def open(uri=None, readonly=False):  # noqa: A001 (mirrors libvirt.open)
    """Open a Connection for *uri* (None: the default URI)."""
    from virtsh.drivers.uri import URI
    text = uri or default_uri()
    try:
        parsed = URI(text)
    except ValueError:
        raise VirtError(NO_CONNECT, text) from None
    if parsed.transport is not None:
        if parsed.transport not in ("ssh", "ext") or not parsed.host:
            raise VirtError(NO_CONNECT, text)
        from virtsh.drivers.remote import RemoteConnection
        return RemoteConnection(parsed, readonly)
    if parsed.driver == "test":
        from virtsh.drivers.test import TestConnection
        return TestConnection(parsed, readonly)
    if parsed.driver == "lxc" and not parsed.host:
        from virtsh.drivers.lxc import LxcConnection
        return LxcConnection(parsed, readonly)
    if parsed.driver == "qemu" and not parsed.host:
        from virtsh.drivers.qemu import QemuConnection
        return QemuConnection(parsed, readonly)
    raise VirtError(NO_CONNECT, text)
