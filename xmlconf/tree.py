"""Small helpers for editing a canonical domain tree in libvirt's order.

A default added after canonicalisation must land where libvirt prints it;
``child()`` inserts a new element at the position the order tables give.
"""
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
    found = parent.find(tag)
    if found is not None:
        return found
    return insert(parent, path, tag, attrs, text, first)


def insert(parent, path, tag, attrs=None, text=None, first=False):
    """Insert a new ``<tag>`` among *parent*'s children in libvirt's order.

    It goes after its last sibling of the same kind, or before the first
    one with *first*.
    """
    elem = etree.Element(tag)
    if attrs:
        set_attrs(elem, path + "/" + tag, attrs)
    if text is not None:
        elem.text = text
    typed = "%s[%s]" % (path, parent.get("type"))
    ranks = child_rank(typed if typed in CHILDREN else path)
    unknown = len(ranks)
    r = ranks.get(tag, unknown)
    pos = len(parent)
    for i, c in enumerate(parent):
        rc = ranks.get(c.tag, unknown)
        if rc > r or (first and rc == r):
            pos = i
            break
    parent.insert(pos, elem)
    return elem


def set_attrs(elem, path, values):
    """Set attributes from *values*, keeping all of *elem*'s in libvirt's order."""
    merged = dict(elem.attrib)
    merged.update({k: v for k, v in values.items() if v is not None})
    for k, v in values.items():
        if v is None:
            merged.pop(k, None)
    order = ATTRS.get(path, ())
    keys = [k for k in order if k in merged] + [k for k in merged if k not in order]
    elem.attrib.clear()
    for k in keys:
        elem.set(k, merged[k])


def attr(elem, path, name, value):
    """Set one attribute in libvirt's attribute order."""
    set_attrs(elem, path, {name: value})
