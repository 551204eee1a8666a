"""Derive libvirt's element and attribute output order from the corpus.

libvirt prints every element in a fixed order (its format functions).  The
conformance corpus holds hundreds of documents libvirt printed, so the order
per element path can be read back from them: every pair "a printed before b"
seen in an output is an edge; a topological sort gives one order per path.
Prints a Python module body for xmlconf/domain_order.py.  Cycles (orders
that depend on something else than the path) are reported on stderr.
"""
import collections
import os
import sys

from lxml import etree

CORPUS = os.path.join(os.path.dirname(__file__), "../../../shared/conformance/xml")


# Elements whose children's order depends on their type attribute; their
# key is "path[type]" (the runtime canonicaliser uses the same keys).
TYPED = ("domain/devices/interface",)


def path_of(elem, parent_path):
    tag = etree.QName(elem).localname if elem.tag.startswith("{") else elem.tag
    return parent_path + "/" + tag if parent_path else tag


def key_of(path, elem):
    return "%s[%s]" % (path, elem.get("type")) if path in TYPED else path


def collect(corpus):
    attr_edges = collections.defaultdict(set)
    child_edges = collections.defaultdict(set)
    first_seen = collections.defaultdict(dict)

    def note(kind, path, seq):
        edges = attr_edges if kind == "a" else child_edges
        seen = first_seen[(kind, path)]
        for i, x in enumerate(seq):
            seen.setdefault(x, len(seen))
            for y in seq[i + 1:]:
                if x != y:
                    edges[path].add((x, y))

    def walk(elem, parent_path):
        path = path_of(elem, parent_path)
        key = key_of(path, elem)
        note("a", path, list(elem.attrib.keys()))
        kids = [c for c in elem if isinstance(c.tag, str)]
        seq = []
        for c in kids:
            tag = etree.QName(c).localname if c.tag.startswith("{") else c.tag
            if not seq or seq[-1] != tag:
                seq.append(tag)
        # repeated tags split by others (controllers, disks) do not order
        dedup = []
        for t in seq:
            if t not in dedup:
                dedup.append(t)
        if len(dedup) == len(seq):
            note("c", key, seq)
        else:
            note("c", key, [])
            for t in seq:
                first_seen[("c", key)].setdefault(t, len(first_seen[("c", key)]))
        if path.endswith("/metadata"):
            return
        for c in kids:
            walk(c, path)

    for case in sorted(os.listdir(corpus)):
        for out in ("test.out", "test-migratable.out"):
            p = os.path.join(corpus, case, out)
            if os.path.exists(p) and os.path.getsize(p):
                walk(etree.parse(p).getroot(), "")
    return attr_edges, child_edges, first_seen


def toposort(items, edges, path):
    order = []
    items = sorted(items, key=items.get)
    remaining = list(items)
    while remaining:
        for x in remaining:
            if not any((y, x) in edges for y in remaining if y != x):
                break
        else:
            print("cycle at %s among %s" % (path, remaining), file=sys.stderr)
            x = remaining[0]
        order.append(x)
        remaining.remove(x)
    return order


def main():
    attr_edges, child_edges, first_seen = collect(CORPUS)
    attrs, children = {}, {}
    for (kind, path), seen in sorted(first_seen.items()):
        if kind == "a" and seen:
            attrs[path] = toposort(seen, attr_edges[path], path + "@")
        elif kind == "c" and seen:
            children[path] = toposort(seen, child_edges[path], path)
    print('"""libvirt\'s output order of domain XML attributes and children, per path.\n\n'
          'Generated from libvirt\'s own output by tests/conformance/gen_domain_order.py."""\n')
    for name, table in (("ATTRS", attrs), ("CHILDREN", children)):
        print("%s = {" % name)
        for path, order in table.items():
            print("    %r: %r," % (path, tuple(order)))
        print("}\n")


if __name__ == "__main__":
    main()
