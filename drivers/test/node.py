"""Test driver: the default node and node files (libvirt's test format).

``load(conn, uri)`` decides which node the URI names and hands it to the
connection's init hooks, in libvirt's order::

    conn._init_host(root)       node info (done here), interfaces, devices
    conn._init_domains(root)    drivers/test/domains.py
    conn._init_networks(root)   drivers/test/network.py
    conn._init_storage(root)    drivers/test/storage.py

*root* is the lxml ``<node>`` element of a node file, or None for
``test:///default``: each mixin then builds libvirt's default objects
itself, cheaply (start-up is a budget, so the default node parses no XML).
Elements with a ``file=`` attribute are replaced here by the root of the
file they name (relative to the node file's directory), so the hooks only
ever see inline elements.  ``NodeHooks`` documents the hooks and gives
each a do-nothing default.
"""
import os
import sys

from virtsh.drivers.errors import VirtError, INVALID_ARG, XML_ERROR, XML_DETAIL

NS_TEST = "http://libvirt.org/schemas/domain/test/1.0"

# virNodeInfo of libvirt's default node:
# (model, memory KiB, cpus, mhz, nodes, sockets, cores, threads)
DEFAULT_NODE_INFO = ("i686", 3 * 1024 * 1024, 16, 1400, 2, 2, 2, 2)

# Top-level elements that may come from another file, and the root each
# such file must have.
_INCLUDABLE = ("domain", "network", "interface", "pool", "device")


class NodeHooks:
    """The per-concern init hooks node.load calls (see the module doc).

    The mixins override them; these defaults keep a connection usable
    while a mixin has nothing to load.
    """

    node_info = DEFAULT_NODE_INFO

    def _init_host(self, root):
        """Host-level objects: node info, interfaces, node devices."""

    def _init_domains(self, root):
        """Domains (and their snapshots)."""

    def _init_networks(self, root):
        """Networks."""

    def _init_storage(self, root):
        """Storage pools and their volumes."""


def load(conn, uri):
    """Fill *conn* with the objects of the node that *uri* names."""
    path = uri.path
    if path in ("", "/"):
        raise VirtError(INVALID_ARG, "testOpen: supply a path or use test:///default")
    if path == "/default":
        root = None
    else:
        root = read_node_file(path)
        conn.node_info = parse_node_info(root)
    conn.node_file = None if root is None else path
    conn._init_host(root)
    conn._init_domains(root)
    conn._init_networks(root)
    conn._init_storage(root)


def read_node_file(path):
    """The ``<node>`` root of node file *path*, with ``file=`` includes
    resolved; libvirt's errors (and libxml2's stderr line) on failure."""
    root = parse_file(path)
    if root.tag != "node":
        raise VirtError(XML_ERROR, "expecting root element of 'node', not '%s'"
                        % root.tag)
    base = os.path.dirname(path)
    for child in list(root):
        ref = child.get("file") if child.tag in _INCLUDABLE else None
        if ref is None:
            continue
        included = parse_file(os.path.join(base, ref))
        root.replace(child, included)
    return root


def parse_file(path):
    """Parse the XML file *path* as libvirt's virXMLParse does."""
    from lxml import etree
    try:
        with open(path, "rb") as f:
            data = f.read()
    except IsADirectoryError:
        sys.stderr.write("I/O error : Is a directory\n")
        data = b""
    except OSError:
        sys.stderr.write('I/O warning : failed to load external entity "%s"\n' % path)
        raise VirtError(XML_ERROR, "failed to parse xml document '%s'" % path) from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True,
                             huge_tree=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise VirtError(XML_DETAIL, _syntax_message(path, data, e)) from None


def _syntax_message(path, data, err):
    """libvirt's three-line report of a libxml2 syntax error."""
    line = err.lineno or 1
    text = data.decode("utf-8", "replace").split("\n")
    msg = err.msg.rsplit(" (", 1)[0] if err.msg.endswith(")") else err.msg
    msg = msg.rsplit(", line ", 1)[0]
    if data.strip():
        src = text[line - 1] if 0 < line <= len(text) else ""
        col = err.offset or 0
    else:
        src, col = "(null)", 0
    return "%s:%d: %s\n%s\n%s^" % (path, line, msg, src, "-" * col)


def parse_node_info(root):
    """virNodeInfo from the ``<cpu>`` and ``<memory>`` children of a node
    file, libvirt's defaults where absent."""
    model, memory, cpus, mhz, nodes, sockets, cores, threads = DEFAULT_NODE_INFO

    def number(xpath, what, default):
        found = root.find(xpath)
        if found is None or found.text is None:
            return default
        try:
            return int(found.text.strip())
        except ValueError:
            raise VirtError(XML_ERROR, "invalid node %s value" % what) from None

    nodes = number("cpu/nodes", "cpu nodes", nodes)
    sockets = number("cpu/sockets", "cpu sockets", sockets)
    cores = number("cpu/cores", "cpu cores", cores)
    threads = number("cpu/threads", "cpu threads", threads)
    cpus = nodes * sockets * cores * threads
    active = number("cpu/active", "cpu active", None)
    if active is not None:
        cpus = min(cpus, active)
    mhz = number("cpu/mhz", "cpu mhz", mhz)
    model = root.findtext("cpu/model", model)
    memory = number("memory", "memory", memory)
    return (model, memory, cpus, mhz, nodes, sockets, cores, threads)
