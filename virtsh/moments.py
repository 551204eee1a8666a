"""What snapshot-* and checkpoint-* commands share: listing and specs.

Both list commands collect objects from a domain (or below one of them),
sort them by name unless asked for topological order, and print a table,
names, or a tree; both create commands build their XML from ``--diskspec``
strings in virsh's comma syntax.
"""
import time

from virtsh import format as fmt
from virtsh.commands.builtins import split_commas as spec_fields  # noqa: F401 (re-export)
from virtsh.errors import CommandError


def creation_time(seconds):
    """A creation time as virsh shows it (local time, numeric zone)."""
    return time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(seconds))


def by_name(items):
    """*items* (objects with name()) sorted as virsh does: ASCII
    case-insensitive."""
    return sorted(items, key=lambda item: item.name().encode().lower())


def escape(text):
    """Escape text for XML content or a quoted attribute, as libvirt does."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&apos;").replace('"', "&quot;"))


def keyed_fields(fields, keys, what, spec):
    """Map ``key=value`` fields (each key once, only *keys*) to a dict;
    anything else is virsh's "unable to parse <what>" error."""
    found = {}
    for field in fields:
        key, sep, value = field.partition("=")
        if not sep or key not in keys or key in found:
            raise CommandError("unable to parse %s: %s" % (what, spec))
        found[key] = value
    return found


def parse_xml(xml):
    """The root element of *xml*, for reading a few of its fields."""
    from lxml import etree
    return etree.fromstring(xml.encode())


def print_listing(ctl, args, start, items, sorted_topologically, missing_code,
                  record, columns):
    """Print a list command's result, shared by snapshot-list and
    checkpoint-list: JSON records (--json), names (--name), a tree (--tree,
    rooted at *start* when listing from one), or a table of
    ``columns(items)`` rows headed by the columns' titles.

    *missing_code*: the error code meaning "this item has no parent".
    """
    from virtsh import jsonout
    as_json = jsonout.wanted(args)
    parents = {}
    if args.flag("tree") and not as_json:
        parents = {item: parent_name(item, missing_code) for item in items}
        if start is not None:
            items.append(start)
            parents[start] = None
    if not sorted_topologically:
        items = by_name(items)
    if as_json:
        return jsonout.emit(ctl, [record(item) for item in items])
    if args.flag("tree"):
        from virtsh.tree import print_tree
        print_tree(ctl, [(item.name(), parents[item]) for item in items])
        return
    if args.flag("name"):
        for item in items:
            ctl.print(item.name())
        return
    header, rows = columns(items)
    fmt.print_table(ctl, header, rows)


def parent_name(obj, missing_code):
    """The name of *obj*'s parent, None for a root (the parent API's
    *missing_code* error means "no parent")."""
    from virtsh.drivers.errors import VirtError
    try:
        return obj.parent().name()
    except VirtError as e:
        if e.code == missing_code:
            return None
        raise
