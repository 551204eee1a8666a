"""Domain XML: parse, check, apply libvirt's defaults, format.

Contract used by the drivers (keep it stable):

- ``parse(text, flags=0) -> DomainDef``; raises VirtError with libvirt's
  messages for malformed or invalid documents.  ``flags`` may hold
  ``PARSE_VALIDATE`` (check against domain.rng first, ``define --validate``).
  The result carries libvirt's generic defaults; a driver adds its own
  afterwards (the test driver: drivers/test/xmldefaults.apply).
- ``DomainDef.name``, ``.uuid`` (string), ``.tree`` (the lxml root
  ``<domain>`` element in libvirt's canonical form: element order, defaults,
  normalised values).  Drivers read and change ``.tree`` directly; new
  elements and attributes may go anywhere, format() puts them in libvirt's
  order (xmlconf.tree.insert/attr place them right away).
- ``format(defn, flags=0, live_id=None) -> str`` prints libvirt's XML;
  *flags* are xmlconf.XML_*; *live_id* adds ``id='N'`` to a running
  domain's root element.
- ``DomainDef.copy()`` for a live definition separate from the persistent.

The pipeline: libxml2 parse -> canonical shape (canon: libvirt's order,
unknown content dropped; the walk checks values on its way) -> checks on
the input (domain_checks.run_raw) -> libvirt's defaults (domain_defaults)
-> checks on the result (domain_checks.run).  format() applies the flag
views (domain_views) to a copy and prints it with the writer, which puts
what drivers added in libvirt's order as it goes.
"""

import copy

from lxml import etree

from virtsh.drivers.errors import VirtError, XML_ERROR, INTERNAL_ERROR
from virtsh.xmlconf import canon, domain_checks, domain_defaults, domain_views, pathcache, writer
from virtsh.xmlconf.uuids import canonical_uuid, random_uuid

pathcache.install()         # the domain pipeline uses ~100 distinct paths

class DomainDef:
    """A parsed domain definition."""

    __slots__ = ("tree",)

    def __init__(self, tree):
        self.tree = tree

    @property
    def name(self):
        return self.tree.findtext("name")

    @property
    def uuid(self):
        return self.tree.findtext("uuid")

    def copy(self):
        return DomainDef(copy_tree(self.tree))


def copy_tree(root):
    """A deep copy of an lxml tree (faster than copy.deepcopy)."""
    return etree.fromstring(etree.tostring(root))


def parse_document(text, what="domain_definition"):
    """Parse XML text; libxml2's error as libvirt prints it on failure."""
    parser = etree.XMLParser(remove_blank_text=False, resolve_entities=False,
                             no_network=True)   # ~0.3 us: not worth sharing between threads
    try:
        # surrogateescape: files are read that way, so bytes that are not
        # UTF-8 reach libxml2 unchanged and it reports them as virsh does
        data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise VirtError(INTERNAL_ERROR, _libxml_message(e, text, what),
                        raw=True) from None


def _libxml_message(err, text, what):
    line = err.lineno or 1
    msg = err.msg.rsplit(", line ", 1)[0]
    lines = (text if isinstance(text, str) else text.decode("utf-8", "replace")).split("\n")
    src = lines[line - 1] if 0 < line <= len(lines) and text else "(null)"
    col = max(err.position[1] - 1, 0) if err.position else 0
    return "(%s):%d: %s\n%s\n%s^" % (what, line, msg, src, "-" * col)


# parse() flag: check the document against domain.rng first.
PARSE_VALIDATE = 1 << 4

# Driver features parse() takes (see domain_checks).
FEATURE_DISK_FD = domain_checks.FEATURE_DISK_FD
FEATURE_DEFAULT_USB = domain_checks.FEATURE_DEFAULT_USB


def parse(text, flags=0, features=frozenset()):
    root = parse_document(text)
    if flags & PARSE_VALIDATE:
        from virtsh.xmlconf import schema
        schema.validate(root)
    if root.tag != "domain":
        raise VirtError(XML_ERROR, "expecting root element of 'domain', not '%s'" % root.tag)
    values = domain_checks.ValueChecks()
    canon.canonicalize(root, values)
    # In canonical order <name> comes first, <uuid> next.
    name = root[0] if len(root) and root[0].tag == "name" else None
    if name is None or not (name.text or "").strip():
        raise VirtError(INTERNAL_ERROR, "missing name information", raw=True)
    u = name.getnext()
    if u is None or u.tag != "uuid":
        u = etree.Element("uuid")
        u.text = random_uuid()
        name.addnext(u)
    else:
        u.text = canonical_uuid(u.text)
    domain_checks.run_raw(root, values, features)
    domain_defaults.apply(root)
    canon.prune_empty(root)
    domain_checks.run(root, features)
    name = name.text
    if "/" in name:             # names become file names in the state tree
        raise VirtError(XML_ERROR, "name %s cannot contain '/'" % name)
    return DomainDef(root)


def format(defn, flags=0, live_id=None):  # noqa: A001
    root = defn.tree
    if domain_views.may_edit(root, flags):
        root = domain_views.apply(copy.deepcopy(root), flags)
    items = None
    if live_id is not None:
        attrs = dict(canon.ordered(root, "domain")[0])
        items = [("type", attrs.pop("type", "test")), ("id", str(live_id))] + list(attrs.items())
    return writer.write(root, keep_open=_keep_open, order=canon.ordered, attributes=items)


def _keep_open(elem):
    """Elements libvirt always prints with an end tag, even when empty."""
    return (elem.tag == "devices" or (elem.tag == "hyperv" and elem.get("mode") == "passthrough")
            or (elem.tag == "graphics" and elem.get("socket") is not None))
