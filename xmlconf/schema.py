"""RelaxNG validation against libvirt's schemas (``define --validate``).

virtsh does not ship libvirt's schemas: it uses the copy libvirt installs
(Debian's libvirt0 puts them in /usr/share/libvirt/schemas), or the folder
named by VIRTSH_SCHEMA_DIR.  Without either, validation fails with a line
that says what to install.
"""
import functools
import os

from virtsh.drivers.errors import VirtError, INTERNAL_ERROR, XML_INVALID_SCHEMA

SYSTEM_SCHEMA_DIR = "/usr/share/libvirt/schemas"


def schema_path(name):
    """The path of schema *name*, or a VirtError saying how to get it."""
    for folder in (os.environ.get("VIRTSH_SCHEMA_DIR"), SYSTEM_SCHEMA_DIR):
        if folder and os.path.isfile(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise VirtError(INTERNAL_ERROR,
                    "cannot validate: libvirt's RNG schema '%s' is not installed "
                    "(Debian package libvirt0) and VIRTSH_SCHEMA_DIR does not "
                    "name a folder holding it" % name)


@functools.lru_cache(maxsize=None)
def _schema(path):
    from lxml import etree
    return etree.RelaxNG(etree.parse(path))


def is_valid(root, name="domain.rng"):
    return _schema(schema_path(name)).validate(root)


def validate(root, name="domain.rng"):
    """Raise libvirt's schema error unless *root* validates against *name*."""
    path = schema_path(name)
    schema = _schema(path)
    if schema.validate(root):
        return
    lines = [e.message for e in schema.error_log]
    raise VirtError(XML_INVALID_SCHEMA, "Unable to validate doc against %s\n%s"
                    % (path, "\n".join(lines)))
