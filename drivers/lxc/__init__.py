"""The LXC driver without a daemon: ``lxc:///system``, ``lxc:///embed?root=DIR``.

Module map: paths (URI -> directory tree), defaults and lxcns (the
driver's XML defaults and its ``lxc:`` namespace), plan (definition ->
what a start needs), cgroups (v1, v2, hybrid), syscalls (unshare, mount,
pivot_root ... through libc), netdev (veth pairs), container (the forked
container processes), supervisor (its parent for life), runtime (state
store, adoption, clean-up), lifecycle (start, stop), native (lxc-tools
config -> domain XML), connection and domain (the driver API).
"""
from virtsh.drivers.lxc.connection import LxcConnection

__all__ = ["LxcConnection"]
