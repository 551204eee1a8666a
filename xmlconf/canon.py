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


def canonicalize(root, visit=None):
    """Reorder and prune *root* (a ``<domain>`` element) in place.

    *visit(elem, path)*, if given, sees each element kept, in the final
    document order, once the element itself is in shape (its attributes
    ordered, its text trimmed) and before its children are: a check of
    every element needs no walk of its own.
    """
    devices = root.findall("devices")
    for extra in devices[1:]:
        # libvirt collects devices from every <devices> element
        devices[0].extend(c for c in list(extra) if isinstance(c.tag, str))
        root.remove(extra)
    _walk(root, "domain", visit)
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


def sort_attrs(elem, path):
    """Keep the attributes libvirt knows at *path*, in its order."""
    wanted = _kept_attrs(path, tuple(elem.keys()))
    if wanted is not None:
        items = [(k, elem.get(k)) for k in wanted]
        elem.attrib.clear()
        for k, v in items:
            elem.set(k, v)


# Documents name the same attributes in the same order over and over: the
# order plans below are cached per (path, attribute names).

@functools.lru_cache(maxsize=4096)
def _kept_attrs(path, keys):
    """*keys* that canonicalisation keeps, in order; None: *keys* as they are."""
    rank = attr_rank(path)
    wanted = tuple(sorted((k for k in keys if k in rank), key=rank.__getitem__))
    return None if wanted == keys else wanted


@functools.lru_cache(maxsize=4096)
def _printed_attrs(path, keys):
    """*keys* in printing order, unknown ones last as they came; None:
    *keys* as they are."""
    rank = attr_rank(path)
    wanted = tuple(sorted(keys, key=lambda k: rank.get(k, _UNKNOWN)))
    return None if wanted == keys else wanted


def _walk(elem, path, visit):
    if len(elem.attrib):
        sort_attrs(elem, path)
    if path == "domain/metadata":
        keep_metadata(elem)
        if visit is not None:
            visit(elem, path)
        return
    kids = _kept_children(elem, path) if len(elem) else ()
    if kids:
        elem.text = None
    else:
        text = elem.text
        if text is not None and (not text.strip() or path not in TEXT):
            elem.text = None
    if visit is not None:
        visit(elem, path)
    for _, c, sub in kids:
        c.tail = None
        _walk(c, sub, visit)


def _kept_children(elem, path):
    """Drop the children of *elem* libvirt does not keep; the others in
    libvirt's order, as (rank, child, path)."""
    plan = _children_plan(children_key(path, elem), path)
    if plan is None:
        # A text-only element: libvirt reads the text of the whole subtree.
        text = "".join(elem.itertext())
        for c in list(elem):
            elem.remove(c)
        elem.text = text
        return ()
    devices = path == "domain/devices" or path.startswith("domain/devices/")
    kids = []
    seen = set()
    for child in list(elem):
        tag = child.tag
        kept = plan.get(tag)        # (a comment's tag is a function: never there)
        if kept is None or (tag in seen and not kept[2]):
            elem.remove(child)
            continue
        seen.add(tag)
        if devices and tag == "alias" and not (child.get("name") or "").startswith("ua-"):
            # Only user aliases ("ua-" prefix) belong to a persistent definition.
            elem.remove(child)
            continue
        kids.append((kept[0], child, kept[1]))
    if len(kids) > 1:
        ordered = sorted(kids, key=_rank_of)
        if ordered != kids:
            for _, c, _ in kids:
                elem.remove(c)
            elem.extend(c for _, c, _ in ordered)
            return ordered
    return kids


def _rank_of(entry):
    return entry[0]


@functools.lru_cache(maxsize=None)
def _children_plan(key, path):
    """The children libvirt keeps in an element at *path* whose order key
    is *key*: tag -> (rank, child path, whether repeated); None for an
    element of text only.  (Only known paths get here: a bounded set.)"""
    tags = CHILDREN.get(key, ())
    if not tags:
        return None
    return {tag: (i, path + "/" + tag, path + "/" + tag in REPEATED)
            for i, tag in enumerate(tags) if path + "/" + tag not in _DROPPED}


# Elements a persistent definition drops whole.
_DROPPED = frozenset(path for path, attrs in RUNTIME_ONLY.items() if attrs is None)


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


def prune_empty(root):
    """Drop elements libvirt would print empty: it leaves those out.

    One pass finds the empty elements; a parent a removal leaves empty is
    looked at next, as libvirt's printer skips whole empty branches."""
    for elem in [e for e in root.iter(etree.Element)
                 if not len(e) and not e.text and not e.attrib]:
        while elem is not root:
            parent = elem.getparent()
            path = _path(elem)
            if path not in NEVER_BARE or path in KEPT_BARE or path.startswith(_METADATA):
                break
            parent.remove(elem)
            if len(parent) or parent.text or parent.attrib:
                break
            elem = parent


_METADATA = "domain/metadata/"


def _path(elem):
    """The path of *elem* from the root ("domain/devices/disk")."""
    tags = []
    while elem is not None:
        tags.append(elem.tag)
        elem = elem.getparent()
    return "/".join(reversed(tags))


def ordered(elem, path):
    """*elem*'s attribute items and element children in libvirt's order, for
    printing: drivers edit a canonical tree (append a disk, set an attribute)
    without minding the order.  Unknown ones go last; the sort is stable, so
    devices of one kind keep their relative order."""
    items = elem.items()
    if len(items) > 1:
        wanted = _printed_attrs(path, tuple(elem.keys()))
        if wanted is not None:
            values = dict(items)
            items = [(k, values[k]) for k in wanted]
    if not len(elem):
        return items, ()
    kids = [c for c in elem if isinstance(c.tag, str)]
    if len(kids) > 1 and path != "domain/metadata":
        rank = child_rank(children_key(path, elem))
        ranks = [rank.get(c.tag, _UNKNOWN) for c in kids]
        if ranks != sorted(ranks):
            kids = [c for _, _, c in sorted(zip(ranks, range(len(kids)), kids))]
    return items, kids


_UNKNOWN = 1 << 30      # the rank of what the order tables do not name
