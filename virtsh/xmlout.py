"""Printing an XML document, or the nodes an ``--xpath`` selects (virsh's
virshDumpXML, used by every ``*dumpxml`` command).

Without --xpath the text is printed as it is.  With --xpath the document is
parsed without blank text and each selected node is printed re-indented by
libxml2 (lxml), one after the other; ``--wrap`` puts them under one
``<nodes>`` element.  Only node sets are accepted: a string, number or
boolean result is an "Incorrect xpath" error, as in virsh.
"""
from virtsh.errors import CommandError


def print_xml(ctl, xml, xpath=None, wrap=False):
    """Print *xml*, or the nodes *xpath* selects from it."""
    if xpath is None:
        ctl.print(xml, end="")
        return
    from lxml import etree
    doc = etree.fromstring(xml.encode(), etree.XMLParser(remove_blank_text=True))
    try:
        found = doc.xpath(xpath)
    except etree.XPathError:
        found = None
    if not isinstance(found, list):
        raise CommandError("internal error: Incorrect xpath '%s'" % xpath)
    if wrap:
        nodes = etree.Element("nodes")
        for item in found:
            if isinstance(item, etree._Element):
                nodes.append(_copy(item))
            elif getattr(item, "is_attribute", False):
                nodes.set(item.attrname, str(item))
        ctl.print(_dump(nodes), end="")
        return
    for item in found:
        if isinstance(item, etree._Element):
            ctl.print(_dump(item), end="")
        elif getattr(item, "is_attribute", False):
            ctl.print(' %s="%s"' % (item.attrname, _escape_attr(str(item))))
        else:
            ctl.print(str(item))


def _copy(elem):
    from lxml import etree
    return etree.fromstring(etree.tostring(elem, with_tail=False))


def _dump(elem):
    from lxml import etree
    return etree.tostring(elem, pretty_print=True, with_tail=False, encoding="unicode")


def _escape_attr(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
