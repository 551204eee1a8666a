"""Put a parsed domain document into libvirt's canonical shape.

libvirt keeps only what it understands and prints it in a fixed order.
The order tables (domain_order.py) name, per element path, the attributes
and children libvirt knows and their output order; this module applies them:
unknown attributes and elements are dropped, the rest is reordered, and
text is trimmed the way libvirt's parser trims it.  ``<metadata>`` is the
exception: its content is kept verbatim (namespaced elements only).
"""
import functools

from lxml import etree

from virtsh.xmlconf.domain_order import ATTRS, CHILDREN, NEVER_BARE, REPEATED, TEXT

# Elements whose children's order depends on their type attribute (the same
# list as the generator's TYPED).
TYPED = frozenset(("domain/devices/interface",))

# Runtime state a persistent definition does not keep (libvirt's parser
# ignores it for an inactive definition): path -> attributes, or None for
# the whole element.
RUNTIME_ONLY = {
    "domain": ("id",),
    "domain/devices/disk/mirror": None,
    "domain/devices/disk/backingStore": ("index",),
    "domain/devices/disk/source": ("index",),
    "domain/devices/interface/source": ("portid",),
    "domain/devices/channel/target": ("state",),
    "domain/cputune/cachetune": ("id",),
    "domain/cputune/memorytune": ("id",),
}


def canonicalize(root):
    """Reorder and prune *root* (a ``<domain>`` element) in place."""
    devices = root.findall("devices")
    for extra in devices[1:]:
        # libvirt collects devices from every <devices> element
        devices[0].extend(c for c in list(extra) if isinstance(c.tag, str))
        root.remove(extra)
    _walk(root, "domain")
    for alias in root.iterfind("devices//alias"):
        # Only user aliases ("ua-" prefix) belong to a persistent definition.
        if not (alias.get("name") or "").startswith("ua-"):
            alias.getparent().remove(alias)
    return root


@functools.lru_cache(maxsize=None)
def attr_rank(path):
    """Attribute name -> output position for *path*; runtime-only ones left out."""
    drop = RUNTIME_ONLY.get(path) or ()
    return {a: i for i, a in enumerate(ATTRS.get(path, ())) if a not in drop}


@functools.lru_cache(maxsize=None)
def child_rank(key):
    """Child tag -> output position for an element key (path or path[type])."""
    return {t: i for i, t in enumerate(CHILDREN.get(key, ()))}


def children_key(path, elem):
    if path in TYPED:
        key = "%s[%s]" % (path, elem.get("type"))
        if key in CHILDREN:
            return key
    return path


def sort_attrs(elem, rank, keep_unknown=False):
    keys = list(elem.attrib.keys())
    if keep_unknown:
        wanted = sorted(keys, key=lambda k: rank.get(k, len(rank)))
    else:
        wanted = sorted((k for k in keys if k in rank), key=rank.__getitem__)
    if wanted != keys:
        items = [(k, elem.get(k)) for k in wanted]
        elem.attrib.clear()
        for k, v in items:
            elem.set(k, v)


def _walk(elem, path):
    if elem.attrib:
        sort_attrs(elem, attr_rank(path))
    if path == "domain/metadata":
        keep_metadata(elem)
        return
    rank = child_rank(children_key(path, elem))
    if not rank and len(elem):
        # A text-only element: libvirt reads the text of the whole subtree.
        text = "".join(elem.itertext())
        for c in list(elem):
            elem.remove(c)
        elem.text = text
    kids = []
    seen = set()
    for child in list(elem):
        tag = child.tag
        sub = path + "/" + tag if isinstance(tag, str) else None
        if sub is None or tag not in rank or \
                (sub in RUNTIME_ONLY and RUNTIME_ONLY[sub] is None) or \
                (tag in seen and sub not in REPEATED):
            elem.remove(child)
            continue
        seen.add(tag)
        kids.append(child)
    if kids:
        elem.text = None
        sorted_kids = sorted(kids, key=lambda c: rank[c.tag])
        if sorted_kids != kids:
            for c in kids:
                elem.remove(c)
            elem.extend(sorted_kids)
        for c in sorted_kids:
            c.tail = None
            _walk(c, path + "/" + c.tag)
    elif elem.text is not None and (not elem.text.strip() or path not in TEXT):
        elem.text = None


def keep_metadata(elem):
    """libvirt keeps the first element of each namespace, nothing else."""
    seen = set()
    for child in list(elem):
        ns = etree.QName(child).namespace if isinstance(child.tag, str) else None
        if ns is None or ns in seen:
            elem.remove(child)
            continue
        seen.add(ns)


# Devices a definition keeps though they say nothing yet (the driver picks
# their model); only their printed form leaves a bare one out (domain_views).
KEPT_BARE = frozenset(("domain/devices/panic",))


def prune_empty(elem, path="domain"):
    """Drop elements libvirt would print empty: it leaves those out."""
    for c in list(elem):
        if not isinstance(c.tag, str) or path == "domain/metadata":
            continue
        sub = path + "/" + c.tag
        prune_empty(c, sub)
        if sub in NEVER_BARE and sub not in KEPT_BARE and not c.attrib and not len(c) \
                and not c.text:
            elem.remove(c)


def reorder(elem, path="domain"):
    """Put children and attributes back in libvirt's order, dropping nothing.

    Drivers edit a canonical tree (append a disk, set an attribute); this
    makes the printed order right again.  Sorting is stable, so devices of
    one kind keep their relative order.
    """
    if len(elem.attrib) > 1:
        sort_attrs(elem, attr_rank(path), keep_unknown=True)
    if path == "domain/metadata" or not len(elem):
        return
    rank = child_rank(children_key(path, elem))
    kids = [c for c in elem if isinstance(c.tag, str)]
    ranks = [rank.get(c.tag, len(rank)) for c in kids]
    if ranks != sorted(ranks):
        ordered = [c for _, _, c in sorted(zip(ranks, range(len(kids)), kids))]
        for c in kids:
            elem.remove(c)
        elem.extend(ordered)
    for c in kids:
        if not c.tag.startswith("{"):
            reorder(c, path + "/" + c.tag)
