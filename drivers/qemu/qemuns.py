"""libvirt's QEMU namespace: ``<qemu:commandline>``, ``<qemu:capabilities>``,
``<qemu:override>``, ``<qemu:deprecation>``.

Only the QEMU driver keeps these elements (the generic XML layer drops
foreign ones), always printed with the ``qemu`` prefix as libvirt does.
The extra arguments and environment of ``<qemu:commandline>`` go to QEMU.
"""
from virtsh.xmlconf import writer

NS = "http://libvirt.org/schemas/domain/qemu/1.0"
PREFIX = "{%s}" % NS
ANY = PREFIX + "*"          # any element of the namespace (lxml's tag filter)
ORDER = ("commandline", "capabilities", "override", "deprecation")


def _local(elem):
    return elem.tag[len(NS) + 2:]


def _ours(elem):
    return isinstance(elem.tag, str) and elem.tag.startswith(PREFIX)


def keep(root, raw):
    """Copy the QEMU-namespace children of the written document *raw* to *root*."""
    found = [e for e in raw.iterchildren(ANY) if _local(e) in ORDER]
    if not found:
        return
    import copy                 # (few documents have any: spare most defines the import)
    for elem in sorted(found, key=lambda e: ORDER.index(_local(e))):
        elem = copy.deepcopy(elem)
        elem.tail = None
        root.append(elem)


def format(defn, flags=0, live_id=None):  # noqa: A001 (xmlconf's name)
    """xmlconf's format of *defn*, plus its QEMU-namespace elements (and,
    for a migratable view, without what every QEMU host adds itself)."""
    from virtsh.xmlconf import XML_MIGRATABLE, domain as xd
    if flags & XML_MIGRATABLE:
        import copy
        from virtsh.drivers.qemu import migratable
        defn = xd.DomainDef(migratable.strip(copy.deepcopy(defn.tree)))
    extras = list(defn.tree.iterchildren(ANY))
    if not extras:
        return xd.format(defn, flags, live_id=live_id)
    import copy
    plain = xd.DomainDef(copy.deepcopy(defn.tree))
    for elem in list(plain.tree.iterchildren(ANY)):
        plain.tree.remove(elem)
    text = xd.format(plain, flags, live_id=live_id)
    head, _, rest = text.partition(">")
    body = "".join(_serialize(e, 1) for e in extras)
    rest = rest[:rest.rindex("</domain>")] + body + "</domain>\n"
    return "%s xmlns:qemu='%s'>%s" % (head, NS, rest)


def _serialize(elem, indent):
    pad = "  " * indent
    tag = "qemu:" + _local(elem)
    attrs = "".join(" %s='%s'" % (k, writer.escape(v)) for k, v in elem.attrib.items())
    children = [c for c in elem if _ours(c)]
    if children:
        return "%s<%s%s>\n%s%s</%s>\n" % (pad, tag, attrs,
                                          "".join(_serialize(c, indent + 1) for c in children),
                                          pad, tag)
    text = (elem.text or "").strip()
    if text:
        return "%s<%s%s>%s</%s>\n" % (pad, tag, attrs, writer.escape(text), tag)
    return "%s<%s%s/>\n" % (pad, tag, attrs)


def extra_args(root):
    """The arguments ``<qemu:commandline>`` adds to QEMU's command line."""
    return [a.get("value", "") for a in root.iterfind("{%s}commandline/{%s}arg" % (NS, NS))]


def extra_env(root):
    """The environment ``<qemu:commandline>`` gives QEMU."""
    return {e.get("name"): e.get("value", "")
            for e in root.iterfind("{%s}commandline/{%s}env" % (NS, NS))}
