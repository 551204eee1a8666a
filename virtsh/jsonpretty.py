"""JSON laid out as virsh's --pretty prints it (libvirt 9.0 formats with
yajl's beautifier: two-space indent, "key": value, and an empty object or
array still opened and closed on lines of their own)."""
import json


def pretty(value, depth=0):
    """*value* as indented JSON text (no final newline)."""
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict):
        items = [inner + json.dumps(k) + ": " + pretty(v, depth + 1)
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        items = [inner + pretty(v, depth + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def compact(value):
    """*value* as one-line JSON, the way libvirt writes it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
