"""Changing a domain's definitions: the live one, the persistent one, or both.

``editing(dom, flags)`` resolves libvirt's AFFECT_* flags (CURRENT means
the live definition of a running domain, else the persistent one), holds
the domain's lock, hands out the selected <domain> trees and writes them
back when the block ends without an error.  A changed persistent
definition goes through the driver's defaults and checks again (new
devices get their addresses, as at define time), so nothing half-valid
reaches the disk.
"""
from contextlib import contextmanager

from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError, INVALID_ARG, OPERATION_INVALID

from virtsh.xmlconf import XML_INACTIVE, XML_SECURE   # state files keep passwords (0600)


class Definitions:
    """The trees an edit works on (None where not selected) and the
    domain's status (None: not running)."""

    def __init__(self, live, config, status):
        self.live = live
        self.config = config
        self.status = status

    def selected(self):
        return [t for t in (self.live, self.config) if t is not None]


def resolve(dom, flags):
    """(live?, config?) as libvirt's virDomainObjUpdateModificationImpact."""
    active = dom.is_active()
    live, config = bool(flags & D.AFFECT_LIVE), bool(flags & D.AFFECT_CONFIG)
    if not live and not config:
        live, config = active, not active
    if live and not active:
        raise VirtError(OPERATION_INVALID, "domain is not running")
    if config and not dom.is_persistent():
        raise VirtError(OPERATION_INVALID,
                        "transient domains do not have any persistent config")
    return live, config


def one_of(flags):
    """virDomainObjGetOneDef's rule: LIVE and CONFIG together are refused."""
    if flags & D.AFFECT_LIVE and flags & D.AFFECT_CONFIG:
        raise VirtError(INVALID_ARG, "Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                        "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive", raw=True)


def tree_of(text):
    from virtsh.xmlconf import domain as xd
    return xd.parse_document(text)


def read(dom, flags):
    """The selected definitions, for reading only (no lock kept)."""
    live, config = resolve(dom, flags)
    store, name = dom.store, dom.name()
    return Definitions(tree_of(store.live_xml(name)) if live else None,
                       tree_of(store.config_xml(name)) if config else None,
                       dom._status())


@contextmanager
def editing(dom, flags, lock=True):
    """Yield Definitions to change in place; saved when the block succeeds.

    With *lock* False the caller already holds the domain's lock."""
    if not lock:
        yield from _edit(dom, flags)
        return
    with dom.store.lock(dom.name()):
        yield from _edit(dom, flags)


def _edit(dom, flags):
    defs = read(dom, flags)
    yield defs
    if defs.config is not None:
        save_config(dom, defs.config)
    if defs.live is not None:
        save_live(dom, defs.live)


def save_config(dom, root):
    """Write *root* as the persistent definition, defaults re-applied."""
    from virtsh.drivers.qemu import qemuns
    from virtsh.xmlconf import domain as xd
    text = qemuns.format(xd.DomainDef(root), XML_INACTIVE | XML_SECURE)
    defn = dom.conn.prepare_definition(text)
    dom.store.write_config(dom.name(), qemuns.format(defn, XML_INACTIVE | XML_SECURE))


def save_live(dom, root):
    """Write *root* as the live definition of the running domain."""
    from virtsh.drivers import files
    from virtsh.drivers.qemu import qemuns
    from virtsh.xmlconf import domain as xd
    files.write_atomic(dom.store.run(dom.name(), "xml"),
                       qemuns.format(xd.DomainDef(root), XML_SECURE), durable=False)
