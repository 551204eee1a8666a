"""libvirt's LXC namespace: ``<lxc:namespace>`` with ``<lxc:sharenet>``,
``<lxc:shareipc>`` and ``<lxc:shareuts>`` (join another container's or
process's namespaces instead of creating new ones).

The generic XML layer drops foreign elements; the LXC driver keeps these
and prints them with the ``lxc`` prefix as libvirt does.
"""
NS = "http://libvirt.org/schemas/domain/lxc/1.0"
KINDS = ("sharenet", "shareipc", "shareuts")


def keep(root, raw):
    """Copy ``<lxc:namespace>`` of the written document *raw* to *root*."""
    from lxml import etree
    found = raw.find("{%s}namespace" % NS)
    if found is None:
        return
    elem = etree.SubElement(root, "{%s}namespace" % NS)
    for kind in KINDS:
        share = found.find("{%s}%s" % (NS, kind))
        if share is not None:
            etree.SubElement(elem, "{%s}%s" % (NS, kind),
                             {"type": share.get("type", ""), "value": share.get("value", "")})


def shares(root):
    """{kind: (type, value)} of the namespaces the container joins."""
    return {e.tag.rpartition("}")[2]: (e.get("type"), e.get("value"))
            for e in root.iterfind("{%s}namespace/*" % NS)}


def format(defn, flags=0, live_id=None):  # noqa: A001 (xmlconf's name)
    """xmlconf's format of *defn*, plus its ``<lxc:namespace>``."""
    import copy
    from virtsh.xmlconf import domain as xd, writer
    extra = defn.tree.find("{%s}namespace" % NS)
    if extra is None:
        return xd.format(defn, flags, live_id=live_id)
    plain = xd.DomainDef(copy.deepcopy(defn.tree))
    plain.tree.remove(plain.tree.find("{%s}namespace" % NS))
    text = xd.format(plain, flags, live_id=live_id)
    head, _, rest = text.partition(">")
    lines = ["  <lxc:namespace>\n"]
    lines += ["    <lxc:%s type='%s' value='%s'/>\n"
              % (e.tag.rpartition("}")[2], writer.escape(e.get("type")),
                 writer.escape(e.get("value"))) for e in extra]
    lines.append("  </lxc:namespace>\n")
    rest = rest[:rest.rindex("</domain>")] + "".join(lines) + "</domain>\n"
    return "%s xmlns:lxc='%s'>%s" % (head, NS, rest)
