"""Test driver: the default node and node files (libvirt's test format)."""


def load(conn, uri):
    """Fill *conn* with the objects of the node that *uri* names."""
