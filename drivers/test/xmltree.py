"""Small edits of a domain definition tree.

The test driver changes definitions in place (pinning, tuning, IOThreads).
Where a new element goes does not matter: xmlconf.domain.format prints
children in libvirt's order.
"""
from lxml import etree


def child(parent, tag):
    """The *tag* child of *parent*, appended when missing."""
    found = parent.find(tag)
    return found if found is not None else etree.SubElement(parent, tag)


def drop_if_empty(parent, tag):
    """Remove child *tag* of *parent* once it has no attributes or children."""
    elem = parent.find(tag)
    if elem is not None and not len(elem) and not elem.attrib \
            and not (elem.text or "").strip():
        parent.remove(elem)
