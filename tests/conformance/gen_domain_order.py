"""Derive libvirt's element and attribute output order from the corpus.

libvirt prints every element in a fixed order (its format functions).  The
conformance corpus holds hundreds of documents libvirt printed, so the order
per element path can be read back from them: every pair "a printed before b"
seen in an output is an edge; a topological sort gives one order per path.
What the schema (domain.rng) allows but no output shows is appended in
schema order, so valid input the corpus never exercised is kept.
Prints a Python module body for xmlconf/domain_order.py.  Cycles (orders
that depend on something else than the path) are reported on stderr.
"""
import collections
import os
import sys

from lxml import etree

CORPUS = os.path.join(os.path.dirname(__file__), "../../../shared/conformance/xml")
SCHEMAS = os.path.join(os.path.dirname(__file__), "../../xmlconf/schemas")
RNG = "{http://relaxng.org/ns/structure/1.0}"


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


def load_defines(name, defines, seen_files):
    if name in seen_files:
        return
    seen_files.add(name)
    tree = etree.parse(os.path.join(SCHEMAS, name))
    for inc in tree.getroot().iter(RNG + "include"):
        load_defines(inc.get("href"), defines, seen_files)
    for d in tree.getroot().iter(RNG + "define"):
        defines.setdefault(d.get("name"), []).append(d)
    return tree


def names_of(node):
    """The element or attribute names a pattern node allows."""
    if node.get("name"):
        return [node.get("name")]
    first = next((c for c in node if isinstance(c.tag, str)), None)
    if first is None:
        return []
    if first.tag == RNG + "name":
        return [first.text.strip()]
    if first.tag == RNG + "choice":
        return [n.text.strip() for n in first if n.tag == RNG + "name"]
    return []


def schema_tables():
    """Per element path: (attribute names, child element names) domain.rng allows."""
    defines = {}
    load_defines("domain.rng", defines, set())
    tables = {}

    def content(node, attrs, kids, refs):
        for c in node:
            if not isinstance(c.tag, str):
                continue
            tag = c.tag[len(RNG):] if c.tag.startswith(RNG) else None
            if tag == "attribute":
                for n in names_of(c):
                    if ":" not in n and n not in attrs:
                        attrs.append(n)
            elif tag == "element":
                for n in names_of(c):
                    if ":" not in n:
                        kids.setdefault(n, []).append(c)
            elif tag == "ref":
                if c.get("name") not in refs:
                    refs.add(c.get("name"))
                    for d in defines.get(c.get("name"), ()):
                        content(d, attrs, kids, refs)
            elif tag in ("group", "interleave", "choice", "optional", "zeroOrMore",
                         "oneOrMore", "mixed", "define"):
                content(c, attrs, kids, refs)

    def walk(elements, path, depth):
        attrs, kids = [], {}
        for e in elements:
            content(e, attrs, kids, set())
        old = tables.get(path)
        if old:
            attrs = old[0] + [a for a in attrs if a not in old[0]]
            kids_order = old[1] + [k for k in kids if k not in old[1]]
        else:
            kids_order = list(kids)
        tables[path] = (attrs, kids_order)
        if depth > 8:
            return
        for name, nodes in kids.items():
            if path.split("/").count(name) < 2:
                walk(nodes, path + "/" + name, depth + 1)

    start = [e for d in defines.get("domain", ()) for e in d.iter(RNG + "element")
             if e.get("name") == "domain"]
    walk(start[:1], "domain", 0)
    return tables


def main():
    attr_edges, child_edges, first_seen = collect(CORPUS)
    attrs, children = {}, {}
    for (kind, path), seen in sorted(first_seen.items()):
        if kind == "a" and seen:
            attrs[path] = toposort(seen, attr_edges[path], path + "@")
        elif kind == "c" and seen:
            children[path] = toposort(seen, child_edges[path], path)
    for path, (s_attrs, s_kids) in sorted(schema_tables().items()):
        if s_attrs:
            known = attrs.setdefault(path, [])
            known.extend(a for a in s_attrs if a not in known)
        if s_kids:
            for key in [k for k in children if k == path or k.startswith(path + "[")] or [path]:
                known = children.setdefault(key, [])
                known.extend(k for k in s_kids if k not in known)
    print('"""libvirt\'s output order of domain XML attributes and children, per path.\n\n'
          'Generated from libvirt\'s own output by tests/conformance/gen_domain_order.py."""\n')
    for name, table in (("ATTRS", attrs), ("CHILDREN", children)):
        print("%s = {" % name)
        for path, order in table.items():
            print("    %r: %r," % (path, tuple(order)))
        print("}\n")


if __name__ == "__main__":
    main()
