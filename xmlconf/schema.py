"""RelaxNG validation against libvirt's own schemas (``define --validate``).

The schemas are libvirt 9.0's, shipped in xmlconf/schemas.  The error names
the schema file actually used (libvirt names its installed copy).
"""
import functools
import os

from virtsh.drivers.errors import VirtError, XML_INVALID_SCHEMA

SCHEMA_DIR = os.path.join(os.path.dirname(__file__), "schemas")


@functools.lru_cache(maxsize=None)
def _schema(name):
    from lxml import etree
    return etree.RelaxNG(etree.parse(os.path.join(SCHEMA_DIR, name)))


def is_valid(root, name="domain.rng"):
    return _schema(name).validate(root)


def validate(root, name="domain.rng"):
    """Raise libvirt's schema error unless *root* validates against *name*."""
    schema = _schema(name)
    if schema.validate(root):
        return
    lines = [e.message for e in schema.error_log]
    raise VirtError(XML_INVALID_SCHEMA, "Unable to validate doc against %s\n%s"
                    % (os.path.join(SCHEMA_DIR, name), "\n".join(lines)))
