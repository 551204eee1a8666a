"""Small edits of a domain definition tree in libvirt's element order.

The test driver changes definitions in place (pinning, tuning, IOThreads);
a new element must land where libvirt would print it, so insertion follows
the per-path child order of xmlconf.domain_order.
"""
from lxml import etree


def child(parent, path, tag, create=True):
    """The *tag* child of *parent* (whose path from the root is *path*, e.g.
    ``domain/cputune``), created in libvirt's order when missing."""
    found = parent.find(tag)
    if found is not None or not create:
        return found
    elem = etree.Element(tag)
    insert(parent, path, elem)
    return elem


def insert(parent, path, elem):
    """Insert *elem* into *parent* after the siblings libvirt prints first."""
    order = child_order(path)
    if elem.tag not in order:
        parent.append(elem)
        return
    rank = order.index(elem.tag)
    position = 0
    for i, sibling in enumerate(parent):
        if isinstance(sibling.tag, str) and sibling.tag in order \
                and order.index(sibling.tag) <= rank:
            position = i + 1
    parent.insert(position, elem)


def child_order(path):
    """libvirt's child order at *path*; <iothreadids> always follows
    <iothreads> (libvirt prints them together)."""
    from virtsh.xmlconf.domain_order import CHILDREN
    order = list(CHILDREN.get(path, ()))
    if "iothreadids" in order and "iothreads" in order:
        order.remove("iothreadids")
        order.insert(order.index("iothreads") + 1, "iothreadids")
    return order


def drop_if_empty(parent, tag):
    """Remove child *tag* of *parent* once it has no attributes or children."""
    elem = parent.find(tag)
    if elem is not None and not len(elem) and not elem.attrib \
            and not (elem.text or "").strip():
        parent.remove(elem)
