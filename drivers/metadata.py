"""A definition's title, description and metadata elements, for any driver
(libvirt's virDomainDefGetMetadata / virDomainDefSetMetadata on a tree)."""
from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError, INVALID_ARG, NO_DOMAIN_METADATA

# Where each element goes: after the last of these that is present.
_PRECEDING = {
    "title": ("name", "uuid", "genid"),
    "description": ("name", "uuid", "genid", "title"),
    "metadata": ("name", "uuid", "genid", "title", "description"),
}
_TAGS = {D.METADATA_TITLE: "title", D.METADATA_DESCRIPTION: "description"}


def not_present():
    return VirtError(NO_DOMAIN_METADATA, "Requested metadata element is not present")


def get(tree, type_, uri=None):
    """The title or description text, or the metadata element in namespace
    *uri* as XML (without its prefix)."""
    from lxml import etree
    if type_ in _TAGS:
        text = tree.findtext(_TAGS[type_])
        if not text:
            raise not_present()
        return text
    found = _find_ns(tree, uri)
    if found is None:
        raise not_present()
    copy = etree.fromstring(etree.tostring(found))
    copy.tag = etree.QName(copy).localname
    etree.cleanup_namespaces(copy)
    return etree.tostring(copy, encoding="unicode")


def set(tree, type_, value, key=None, uri=None):  # noqa: A001
    """Set (value None or empty: remove) a title, description or the
    metadata element of namespace *uri* under prefix *key*."""
    if type_ in _TAGS:
        tag = _TAGS[type_]
        if type_ == D.METADATA_TITLE and value and "\n" in value:
            raise VirtError(INVALID_ARG, "metadata title can't contain newlines",
                            raw=True)
        old = tree.find(tag)
        if not value:
            if old is not None:
                tree.remove(old)
            return
        if old is None:
            old = _insert(tree, tag)
        old.text = value
        return
    new = _element(value, key, uri) if value else None
    holder = tree.find("metadata")
    while holder is not None:
        old = _find_ns(tree, uri)
        if old is None:
            break
        holder.remove(old)
    if new is not None:
        if holder is None:
            holder = _insert(tree, "metadata")
        holder.append(new)


def _element(text, key, uri):
    """Parse user XML and move its root element into namespace *uri*."""
    from lxml import etree
    from virtsh.xmlconf.domain import parse_document
    root = parse_document(text, "metadata_xml")
    local = etree.QName(root).localname
    new = etree.Element("{%s}%s" % (uri, local), nsmap={key: uri})
    new.attrib.update(root.attrib)
    new.text = root.text
    for child in root:
        new.append(child)
    return new


def _find_ns(tree, uri):
    holder = tree.find("metadata")
    if holder is None:
        return None
    for child in holder:
        if isinstance(child.tag, str) and child.tag.startswith("{%s}" % uri):
            return child
    return None


def _insert(tree, tag):
    from lxml import etree
    elem = etree.Element(tag)
    anchor = None
    for child in tree:
        if child.tag in _PRECEDING[tag]:
            anchor = child
    if anchor is None:
        tree.insert(0, elem)
    else:
        anchor.addnext(elem)
    return elem
