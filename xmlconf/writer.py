"""libvirt's XML layout: two-space indent, single-quoted attributes.

lxml's serializer differs from libvirt's (quotes, empty elements,
escaping), so documents are printed by this small writer.  The one
exception is foreign content kept verbatim (``<metadata>``), which libvirt
prints through libxml2's own serializer: double quotes, libxml2 indentation.
"""
import re

from lxml import etree

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&apos;", '"': "&quot;"}
# Control characters libvirt silently drops (all below 0x20 but tab, LF, CR).
_SPECIAL = re.compile(r"[&<>'\"\x00-\x08\x0b\x0c\x0e-\x1f]")
# The same but the quote: printed attributes are checked all at once.
_SPECIAL_UNQUOTED = re.compile(r"[&<>\"\x00-\x08\x0b\x0c\x0e-\x1f]")


def escape(value):
    """Escape text or an attribute value as libvirt's virBufferEscapeString."""
    if _SPECIAL.search(value) is None:
        return value
    return _SPECIAL.sub(lambda m: _ESCAPES.get(m.group(0), ""), value)


def _attributes(items):
    """The printed attributes: checked for characters to escape in one
    search over them all (the quotes aside, counted instead)."""
    text = "".join([" %s='%s'" % kv for kv in items])
    if _SPECIAL_UNQUOTED.search(text) is None and text.count("'") == 2 * len(items):
        return text
    return "".join([" %s='%s'" % (k, escape(v)) for k, v in items])


def as_written(elem, path):
    """*elem*'s attributes and element children in document order."""
    return elem.items(), [c for c in elem if isinstance(c.tag, str)]


def _never(elem):
    return False


def write(elem, indent=0, out=None, verbatim=("metadata",), keep_open=_never,
          order=as_written, attributes=None):
    """Return the text of lxml element *elem* in libvirt's layout.

    Children of elements whose tag is in *verbatim* are printed by libxml2;
    elements for which *keep_open* is true get an end tag even when empty.
    *order(elem, path)* gives the attribute items and element children of
    each element in printing order (*path*: "domain/devices/disk" from
    *elem*'s tag); *attributes*, if given, are the items *elem* itself
    prints instead.
    """
    own = out is None
    if own:
        out = []
    items, children = order(elem, elem.tag)
    _write(elem, elem.tag, items if attributes is None else attributes, children,
           "  " * indent, out, verbatim, keep_open, order)
    if own:
        return "".join(out)
    return None


def _write(elem, path, items, children, pad, out, verbatim, keep_open, order):
    tag = elem.tag
    attrs = _attributes(items) if items else ""
    if pad == "  " and tag in verbatim:
        _write_foreign(elem, pad, attrs, children, out)
    elif children:
        out.append("%s<%s%s>\n" % (pad, tag, attrs))
        inner = pad + "  "
        for c in children:
            sub = path + "/" + c.tag
            if len(c) or len(c.attrib) > 1:
                items, kids = order(c, sub)
            else:               # nothing to put in order
                items, kids = c.items(), ()
            _write(c, sub, items, kids, inner, out, verbatim, keep_open, order)
        out.append("%s</%s>\n" % (pad, tag))
    elif elem.text:
        out.append("%s<%s%s>%s</%s>\n" % (pad, tag, attrs, escape(elem.text), tag))
    elif keep_open(elem):
        out.append("%s<%s%s>\n%s</%s>\n" % (pad, tag, attrs, pad, tag))
    else:
        out.append("%s<%s%s/>\n" % (pad, tag, attrs))


def _write_foreign(elem, pad, attrs, children, out):
    if not children:
        out.append("%s<%s%s/>\n" % (pad, elem.tag, attrs))
        return
    out.append("%s<%s%s>\n" % (pad, elem.tag, attrs))
    for c in children:
        c = _strip_blanks(c)
        text = etree.tostring(c, encoding="unicode", pretty_print=True, with_tail=False)
        for line in text.rstrip("\n").split("\n"):
            out.append("%s  %s\n" % (pad, line))
    out.append("%s</%s>\n" % (pad, elem.tag))


def _strip_blanks(elem):
    """A copy of *elem* without whitespace-only text, as libvirt re-indents it."""
    elem = etree.fromstring(etree.tostring(elem, with_tail=False))
    for e in elem.iter():
        if len(e) and e.text is not None and not e.text.strip():
            e.text = None
        if e.tail is not None and not e.tail.strip():
            e.tail = None
    return elem
