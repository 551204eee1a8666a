"""Secret XML: parse, apply libvirt's defaults, format.

``parse(text) -> SecretDef`` (``.uuid``, ``.usage_type``, ``.usage_id``,
``.ephemeral``, ``.private``); ``format(defn) -> str``.
"""
from virtsh.drivers.errors import VirtError, XML_ERROR
from virtsh.xmlconf import objxml

# usage type -> the element naming what the secret is for
USAGE_ELEMENTS = {"volume": "volume", "ceph": "name", "iscsi": "target",
                  "tls": "name", "vtpm": "name"}


class SecretDef:
    """A parsed secret definition."""

    __slots__ = ("tree",)

    def __init__(self, tree):
        self.tree = tree

    @property
    def uuid(self):
        return self.tree.findtext("uuid")

    @property
    def ephemeral(self):
        return self.tree.get("ephemeral") == "yes"

    @property
    def private(self):
        return self.tree.get("private") == "yes"

    @property
    def usage_type(self):
        """The usage type name, or None."""
        usage = self.tree.find("usage")
        return None if usage is None else usage.get("type")

    @property
    def usage_id(self):
        usage = self.tree.find("usage")
        if usage is None:
            return ""
        return usage.findtext(USAGE_ELEMENTS[usage.get("type")]) or ""


def _yes_no(root, attr):
    value = root.get(attr, "no")
    if value not in ("yes", "no"):
        raise VirtError(XML_ERROR, "invalid value of '%s'" % attr)
    return value


def parse(text):
    """Parse and check a ``<secret>`` document; VirtError on bad input."""
    root = objxml.parse_root(text, "secret", "secret_definition")
    ephemeral, private = _yes_no(root, "ephemeral"), _yes_no(root, "private")
    root.attrib.clear()
    root.set("ephemeral", ephemeral)
    root.set("private", private)
    objxml.canonical(root, {"secret": ("uuid", "description", "usage")})
    usage = root.find("usage")
    if usage is not None:
        utype = usage.get("type")
        if utype not in USAGE_ELEMENTS:
            raise VirtError(XML_ERROR, "unknown secret usage type %s" % utype)
        objxml.canonical(usage, {"usage": (USAGE_ELEMENTS[utype],)})
        usage.attrib.clear()
        usage.set("type", utype)
    objxml.ensure_uuid(root)
    uuid = root.find("uuid")
    if uuid is not root[0]:
        root.remove(uuid)
        root.insert(0, uuid)
    return SecretDef(root)


def format(defn, flags=0):  # noqa: A001
    """The secret XML as libvirt prints it."""
    return objxml.write(defn.tree)
