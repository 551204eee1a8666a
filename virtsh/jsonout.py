"""``--json``: one JSON document on stdout instead of virsh's text.

Listing and info commands declare ``JSON`` among their options; when
``wanted(args)``, the handler gives ``emit`` a document of plain values:
numbers as numbers (sizes in bytes or KiB, the unit in the key name, e.g.
``memory_kib``), booleans as booleans, ``None`` (null) for what is absent.
Every shape is described in virtsh/jsonshapes.py, which the man page prints.

This module is on the start-up path of those commands: ``json`` itself is
imported only when a document is printed.
"""
from virtsh.cmd import flag

JSON = flag("json", "print one JSON document instead of text "
            "(shape: see JSON OUTPUT in virtsh(1))")


def wanted(args):
    """Whether the command was asked for JSON."""
    return args.flag("json")


def emit(ctl, document):
    """Print *document* as indented JSON (``-q`` does not change it)."""
    import json
    ctl.print(json.dumps(document, indent=2, ensure_ascii=False))
    return True


def records(keys, rows):
    """Rows of a table as objects: ``[{key: cell, ...}, ...]``."""
    return [dict(zip(keys, row)) for row in rows]


def present(text, absent="-"):
    """*text*, or None where virsh shows a placeholder such as ``-``."""
    return None if text == absent else text


def probe(query, convert=None):
    """The answer of a driver query (through *convert*), None when it fails
    (where virsh prints "unknown" or leaves the line out)."""
    from virtsh.drivers.errors import VirtError
    try:
        answer = query()
    except VirtError:
        return None
    return convert(answer) if convert else answer
