"""virtsh: virsh rebuilt in Python, without a daemon.

Also usable as a library, the way libvirt-python is::

    import virtsh
    conn = virtsh.open("test:///default")
    for dom in conn.list_all_domains():
        print(dom.name())
"""
import os as _os

# Installed, drivers/ and xmlconf/ live inside this package (see
# pyproject.toml).  In a source checkout they sit beside it: let the package
# find them there too, so `python -m virtsh` works without installing.
_here = _os.path.dirname(__file__)
if not _os.path.isdir(_os.path.join(_here, "drivers")):
    __path__.append(_os.path.dirname(_here))  # noqa: F821 (package __path__)

__version__ = "0.1.0"


def open(uri=None, readonly=False):  # noqa: A001 (mirrors libvirt.open)
    """Open a connection to the hypervisor named by *uri*."""
    from virtsh.drivers import open as _open
    return _open(uri, readonly=readonly)
