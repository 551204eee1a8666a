"""Small helpers for editing a canonical domain tree in libvirt's order.

A default added after canonicalisation must land where libvirt prints it;
``child()`` inserts a new element at the position the order tables give.
"""
import functools

from lxml import etree

from virtsh.xmlconf.canon import child_rank
from virtsh.xmlconf.domain_order import ATTRS, CHILDREN


def by_tag(parent):
    """{tag: [children]} of *parent*, in document order: one pass for a step
    that wants several kinds of child (``findall`` per kind costs a pass each)."""
    kinds = {}
    for c in parent:
        kinds.setdefault(c.tag, []).append(c)
    return kinds


def child(parent, path, tag, attrs=None, text=None, first=False):
    """Return *parent*'s ``<tag>``, creating it in libvirt's position.

    *path* is the parent's path ("domain/devices/disk").  A new element gets
    *attrs* (in libvirt's attribute order) and *text*.
    """
    found = next(parent.iterchildren(tag), None)     # find(tag), at half the cost
    if found is not None:
        return found
    return insert(parent, path, tag, attrs, text, first)


def insert(parent, path, tag, attrs=None, text=None, first=False, after=None):
    """Insert a new ``<tag>`` among *parent*'s children in libvirt's order.

    It goes after its last sibling of the same kind, or before the first
    one with *first*.  *after*, if given, is a child an earlier insert()
    placed, of a kind that comes before *tag*: as every child before it
    comes no later, the search for the place starts after it.
    """
    ranks = _child_ranks(path, parent.get("type"))
    unknown = len(ranks)
    r = ranks.get(tag, unknown)
    pos = None
    if after is None:
        following = enumerate(parent)
    else:
        following = enumerate(after.itersiblings(), parent.index(after) + 1)
    for i, c in following:
        rc = ranks.get(c.tag, unknown)
        if rc > r or (first and rc == r):
            pos = i
            break
    elem = etree.SubElement(parent, tag)    # made in the parent's document: cheaper
    if pos is not None:
        parent.insert(pos, elem)
    if attrs:
        for k in _in_order(path + "/" + tag, attrs) if len(attrs) > 1 else attrs:
            if attrs[k] is not None:
                elem.set(k, attrs[k])
    if text is not None:
        elem.text = text
    return elem


@functools.lru_cache(maxsize=None)
def _child_ranks(path, type_):
    """Child ranks of an element at *path* whose type attribute is *type_*."""
    typed = "%s[%s]" % (path, type_)
    return child_rank(typed if typed in CHILDREN else path)


@functools.lru_cache(maxsize=None)
def _attr_ranks(path):
    return {a: i for i, a in enumerate(ATTRS.get(path, ()))}


def _in_order(path, names):
    """Attribute *names* in libvirt's order for *path*; unknown ones last,
    as they came."""
    rank = _attr_ranks(path)
    unknown = len(rank)
    return sorted(names, key=lambda k: rank.get(k, unknown))


def set_attrs(elem, path, values):
    """Set attributes from *values*, keeping all of *elem*'s in libvirt's order."""
    assign(elem, merged_attrs(path, elem.items(), values))


def merged_attrs(path, items, values):
    """Attribute *items* with *values* set (None: removed), in libvirt's
    order for *path*: a list of (name, value)."""
    merged = dict(items)
    for k, v in values.items():
        if v is not None:
            merged[k] = v
        else:
            merged.pop(k, None)
    return [(k, merged[k]) for k in (_in_order(path, merged) if len(merged) > 1 else merged)]


def assign(elem, items):
    """Give *elem* exactly the attribute *items*, in their order."""
    current = elem.keys()
    if [k for k, _ in items[:len(current)]] != current:
        elem.attrib.clear()         # out of order or one removed: all anew
    for k, v in items:
        elem.set(k, v)              # (an existing name keeps its place)


def attr(elem, path, name, value):
    """Set one attribute in libvirt's attribute order."""
    set_attrs(elem, path, {name: value})
