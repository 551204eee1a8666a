"""The test driver: libvirt's in-memory hypervisor (``test:///default``).

``test:///default`` is libvirt's default node (a running domain ``test``,
network ``default``, pool ``default-pool`` ...); ``test:///ABS/PATH.xml``
loads a node file in libvirt's test-driver format.  All state lives in the
Connection, so every process starts fresh, as with virsh.

The connection's APIs are split by concern into mixins, one module each:
domains (domains.py, with the Domain objects in domain.py), networks
(network.py), storage pools and volumes (storage.py), host, interfaces,
node devices, secrets, nwfilters (host.py).  Node-file loading is node.py,
which calls each mixin's ``_init_*`` hook (see node.NodeHooks).
"""
from virtsh.drivers.connection import Connection
from virtsh.drivers.test.domstats import DomainStatsMixin
from virtsh.drivers.test.domains import DomainsMixin
from virtsh.drivers.test.host import HostMixin
from virtsh.drivers.test.network import NetworkMixin
from virtsh.drivers.test.node import NodeHooks
from virtsh.drivers.test.storage import StorageMixin


class TestConnection(DomainsMixin, DomainStatsMixin, NetworkMixin,
                     StorageMixin, HostMixin,
                     NodeHooks, Connection):
    """A connection to an in-memory test node."""

    def __init__(self, uri, readonly=False):
        super().__init__(uri, readonly)
        from virtsh.drivers.test import node
        node.load(self, uri)
