"""libvirt's XML layout: two-space indent, single-quoted attributes.

lxml's serializer differs from libvirt's (quotes, empty elements,
escaping), so documents are printed by this small writer.
"""


def escape_attr(value):
    """Escape an attribute value as libvirt's virBufferEscapeString does."""
    return (value.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("'", "&apos;").replace('"', "&quot;"))


def escape_text(value):
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write(elem, indent=0, out=None):
    """Return the text of lxml element *elem* in libvirt's layout."""
    own = out is None
    if own:
        out = []
    pad = "  " * indent
    attrs = "".join(" %s='%s'" % (_qname(elem, k), escape_attr(v))
                    for k, v in elem.attrib.items())
    tag = _qname(elem, elem.tag)
    children = [c for c in elem if isinstance(c.tag, str)]
    text = (elem.text or "").strip() if children else (elem.text or "")
    if not children and not text:
        out.append("%s<%s%s/>\n" % (pad, tag, attrs))
    elif not children:
        out.append("%s<%s%s>%s</%s>\n" % (pad, tag, attrs, escape_text(text), tag))
    else:
        out.append("%s<%s%s>\n" % (pad, tag, attrs))
        for c in children:
            write(c, indent + 1, out)
        out.append("%s</%s>\n" % (pad, tag))
    if own:
        return "".join(out)
    return None


def _qname(elem, name):
    if name.startswith("{"):
        uri, local = name[1:].split("}", 1)
        for prefix, ns in elem.nsmap.items():
            if ns == uri:
                return "%s:%s" % (prefix, local) if prefix else local
        return local
    return name
