"""Settings every test shares."""
import os

_CORPUS_SCHEMAS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "shared", "conformance", "schemas")

# `define --validate` needs libvirt's RNG schemas (virtsh does not ship them):
# without libvirt's installed copy, use the conformance corpus's.
if not os.path.isdir("/usr/share/libvirt/schemas") and os.path.isdir(_CORPUS_SCHEMAS):
    os.environ.setdefault("VIRTSH_SCHEMA_DIR", _CORPUS_SCHEMAS)
