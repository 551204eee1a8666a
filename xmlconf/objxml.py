"""What the non-domain vocabularies share (network, pool, volume, interface,
node device, secret, filter): reading a document, libvirt's element order,
sizes with units, and the layout of elements libvirt always prints open.

Each vocabulary describes its elements with an ORDER table: element path ->
the children libvirt knows, in its output order.  ``canonical`` drops what
is not in the table and sorts the rest, as libvirt's parse-then-format does.
"""
from virtsh.drivers.errors import VirtError, INTERNAL_ERROR, XML_ERROR
from virtsh.xmlconf import writer

ULLONG_MAX = 2**64 - 1


def parse_root(text, root_tag, what):
    """The root element of document *text*, which must be <root_tag>.

    *what* names the document in libxml2's error ("network_definition").
    """
    from virtsh.xmlconf.domain import parse_document
    root = parse_document(text, what)
    if root.tag != root_tag:
        raise VirtError(XML_ERROR, "expecting root element of '%s', not '%s'"
                        % (root_tag, root.tag))
    return root


def canonical(elem, order, path=None):
    """Sort and prune *elem*'s subtree in place by the ORDER table *order*.

    Elements whose path is not a key of *order* keep their children as given.
    """
    path = path or elem.tag
    known = order.get(path)
    if known is None:
        _strip_blank_text(elem)
        return elem
    rank = {tag: i for i, tag in enumerate(known)}
    kids = [c for c in elem if isinstance(c.tag, str) and c.tag in rank]
    for c in list(elem):
        elem.remove(c)
    kids.sort(key=lambda c: rank[c.tag])
    if kids:
        elem.text = None
    elif elem.text is not None and elem.tag != "name":     # names are kept verbatim
        elem.text = elem.text.strip() or None
    for c in kids:
        c.tail = None
        elem.append(c)
        canonical(c, order, path + "/" + c.tag)
    return elem


def _strip_blank_text(elem):
    for e in elem.iter():
        if len(e) and e.text is not None and not e.text.strip():
            e.text = None
        e.tail = None


def ensure_uuid(root):
    """Add a random <uuid> after <name> when the document has none; return it."""
    from lxml import etree
    found = root.find("uuid")
    if found is not None and (found.text or "").strip():
        found.text = found.text.strip()
        return found.text
    if found is None:
        found = etree.Element("uuid")
        name = root.find("name")
        if name is not None:
            name.addnext(found)
        else:
            root.insert(0, found)
    from virtsh.xmlconf.uuids import random_uuid
    found.text = random_uuid()
    return found.text


def require_name(root, message="missing name information"):
    """The <name> text (verbatim, as libvirt keeps it), or libvirt's error
    when it is missing or blank."""
    name = root.findtext("name") or ""
    if not name.strip():
        raise VirtError(INTERNAL_ERROR, message, raw=True)
    return name


_POWERS = "bkmgtpe"


def scaled_bytes(text, unit, what):
    """*text* (a number) times *unit* (libvirt's unit names: b, bytes, KB,
    KiB, k, MB ...), as virScaleInteger; *what* names the element in errors."""
    try:
        value = int((text or "").strip(), 0)
    except ValueError:
        raise VirtError(XML_ERROR, "malformed %s element" % what) from None
    if value < 0:
        raise VirtError(XML_ERROR, "malformed %s element" % what)
    if not unit or unit in ("bytes", "byte"):
        factor = 1
    else:
        power = _POWERS.find(unit[0].lower())
        rest = unit[1:]
        if power < 0 or (power == 0 and rest):
            raise VirtError(XML_ERROR, "unknown suffix '%s'" % unit)
        if rest in ("", "iB", "ib"):
            factor = 1024 ** power
        elif rest in ("B", "b"):
            factor = 1000 ** power
        else:
            raise VirtError(XML_ERROR, "unknown suffix '%s'" % unit)
    if value * factor > ULLONG_MAX:
        raise VirtError(XML_ERROR, "value too large: %s" % text)
    return value * factor


def write(elem, expand=(), indent=0):
    """The text of *elem* in libvirt's layout (see xmlconf/writer.py), except
    that elements whose tag is in *expand* are printed open and closed even
    when empty (libvirt writes ``<ip ...>`` and ``</ip>`` unconditionally)."""
    if not any(e.tag in expand for e in elem.iter() if isinstance(e.tag, str)):
        return writer.write(elem, indent)
    pad = "  " * indent
    attrs = "".join(" %s='%s'" % (k, writer.escape(v)) for k, v in elem.attrib.items())
    children = [c for c in elem if isinstance(c.tag, str)]
    if not children and elem.text:
        return "%s<%s%s>%s</%s>\n" % (pad, elem.tag, attrs,
                                       writer.escape(elem.text), elem.tag)
    return "".join(["%s<%s%s>\n" % (pad, elem.tag, attrs)]
                   + [write(c, expand, indent + 1) for c in children]
                   + ["%s</%s>\n" % (pad, elem.tag)])


def element(tag, attrs=None, text=None, children=()):
    """A new lxml element (attribute order as given)."""
    from lxml import etree
    e = etree.Element(tag)
    for k, v in (attrs or {}).items():
        if v is not None:
            e.set(k, str(v))
    if text is not None:
        e.text = str(text)
    for c in children:
        if c is not None:
            e.append(c)
    return e
