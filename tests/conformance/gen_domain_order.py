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
SCHEMAS = os.path.join(os.path.dirname(__file__), "../../../shared/conformance/schemas")
RNG = "{http://relaxng.org/ns/structure/1.0}"


# Elements whose children's order depends on their type attribute; their
# key is "path[type]" (the runtime canonicaliser uses the same keys).
TYPED = ("domain/devices/interface",)


def path_of(elem, parent_path):
    tag = etree.QName(elem).localname if elem.tag.startswith("{") else elem.tag
    return parent_path + "/" + tag if parent_path else tag


def key_of(path, elem):
    return "%s[%s]" % (path, elem.get("type")) if path in TYPED else path


# Orders the test-driver corpus gets wrong or never shows, known from
# libvirt's QEMU- and LXC-driver output: an ethernet or bridge interface prints
# its host-side IP addresses and routes right after <source> and its <guest>
# after <target>; a direct interface has its own order; <idmap> (containers)
# comes before <features>; video and memballoon print alias, then address.
OVERRIDES = {
    'domain': (
        'name', 'uuid', 'title', 'description', 'metadata', 'genid', 'maxMemory', 'memory',
        'currentMemory', 'blkiotune', 'memoryBacking', 'memtune', 'vcpu', 'vcpus',
        'iothreads', 'cputune', 'numatune', 'resource', 'iothreadids', 'sysinfo', 'os',
        'idmap', 'features', 'cpu', 'clock', 'on_poweroff', 'on_reboot', 'on_crash', 'pm',
        'perf', 'devices', 'seclabel', 'launchSecurity', 'keywrap', 'bootloader',
        'bootloader_args', 'defaultiothread', 'on_lockfailure',),
    'domain/devices/interface[bridge]': (
        'mac', 'source', 'ip', 'route', 'backenddomain', 'target', 'guest', 'virtualport',
        'link', 'mtu', 'coalesce', 'portForward', 'script', 'downscript', 'model',
        'backend', 'driver', 'alias', 'acpi', 'address', 'filterref', 'tune', 'boot', 'rom',
        'bandwidth', 'vlan', 'port', 'teaming',),
    'domain/devices/interface[ethernet]': (
        'mac', 'source', 'ip', 'route', 'script', 'downscript', 'target', 'guest', 'model',
        'alias', 'address', 'virtualport', 'link', 'mtu', 'coalesce', 'portForward',
        'backenddomain', 'backend', 'driver', 'acpi', 'filterref', 'tune', 'boot', 'rom',
        'bandwidth', 'vlan', 'port', 'teaming',),
    'domain/devices/interface[direct]': (
        'mac', 'source', 'virtualport', 'ip', 'route', 'script', 'downscript', 'target',
        'guest', 'model', 'alias', 'address', 'link', 'mtu', 'coalesce', 'portForward',
        'backenddomain', 'backend', 'driver', 'acpi', 'filterref', 'tune', 'boot', 'rom',
        'bandwidth', 'vlan', 'port', 'teaming',),
    # device kinds the test-driver corpus never shows side by side (leases,
    # hostdevs, <redirfilter>, <iommu> with <shmem> or <panic>)
    'domain/devices': (
        'emulator', 'disk', 'controller', 'lease', 'filesystem', 'interface', 'smartcard',
        'serial', 'parallel', 'console', 'channel', 'input', 'tpm', 'graphics', 'sound',
        'audio', 'video', 'hostdev', 'redirdev', 'redirfilter', 'hub', 'watchdog',
        'memballoon', 'rng', 'nvram', 'panic', 'shmem', 'memory', 'iommu', 'vsock',),
    'domain/devices/shmem': ('model', 'size', 'server', 'msi', 'alias', 'acpi', 'address'),
    # the QEMU driver's live XML: a device's alias comes before its address
    'domain/devices/video': ('driver', 'model', 'alias', 'acpi', 'address'),
    'domain/devices/memballoon': ('stats', 'alias', 'acpi', 'address', 'driver'),
    'domain/devices/channel': ('source', 'protocol', 'log', 'target', 'alias', 'address'),
    # SPICE settings print in libvirt's fixed order (its QEMU and test drivers)
    'domain/devices/graphics': ('listen', 'channel', 'audio', 'image', 'jpeg', 'zlib',
                                'playback', 'streaming', 'mouse', 'clipboard',
                                'filetransfer', 'gl'),
}


def collect(corpus):
    attr_edges = collections.defaultdict(set)
    child_edges = collections.defaultdict(set)
    first_seen = collections.defaultdict(dict)
    repeated = set()
    texts, bare, seen_paths = set(), set(), set()

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
        if not kids and (elem.text or "").strip():
            texts.add(path)
        if not kids and not (elem.text or "").strip() and not elem.attrib:
            bare.add(path)
        seen_paths.add(path)
        counts = collections.Counter(c.tag for c in kids)
        repeated.update(path + "/" + t for t, n in counts.items() if n > 1)
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
        # the QEMU driver's output shows where devices print their PCI address
        for out in ("test.out", "test-migratable.out", "qemu.out"):
            p = os.path.join(corpus, case, out)
            if os.path.exists(p) and os.path.getsize(p):
                walk(etree.parse(p).getroot(), "")
    return attr_edges, child_edges, first_seen, repeated, texts, bare, seen_paths


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


def enum_values(node, defines, element=False, refs=None):
    """The fixed values a pattern allows, or None if it allows free text.

    For an element (*element*), only its text counts: attributes and child
    elements are skipped, and an element with children is not an enum."""
    refs = set() if refs is None else refs
    out = []
    kids = [c for c in node if isinstance(c.tag, str)]
    if element:
        kids = [c for c in kids if c.tag != RNG + "attribute"]
    if node.tag == RNG + "attribute" and not [c for c in kids if c.tag != RNG + "name"]:
        return None
    for c in kids:
        tag = c.tag[len(RNG):]
        if tag == "name":
            continue
        if tag == "value":
            out.append((c.text or "").strip() if c.get("type") != "string" else c.text or "")
        elif tag == "ref":
            if c.get("name") in refs:
                return None
            refs.add(c.get("name"))
            for d in defines.get(c.get("name"), ()):
                v = enum_values(d, defines, element, refs)
                if v is None:
                    return None
                out.extend(v)
        elif tag in ("choice", "group", "define"):
            v = enum_values(c, defines, element, refs)
            if v is None:
                return None
            out.extend(v)
        else:
            return None
    return out or None


def required_attrs(node, defines, refs):
    """Attributes every instance of an element pattern must carry."""
    out = set()
    for c in node:
        if not isinstance(c.tag, str) or not c.tag.startswith(RNG):
            continue
        tag = c.tag[len(RNG):]
        if tag == "attribute":
            out.update(n for n in names_of(c) if ":" not in n)
        elif tag == "ref" and c.get("name") not in refs:
            ds = defines.get(c.get("name"), ())
            sets = [required_attrs(d, defines, refs | {c.get("name")}) for d in ds]
            if len(ds) > 1 and any(d.get("combine") == "choice" for d in ds):
                out.update(set.intersection(*sets) if sets else set())
            else:
                for x in sets:
                    out.update(x)
        elif tag in ("group", "interleave", "define"):
            out.update(required_attrs(c, defines, refs))
        elif tag == "choice":
            branches = [b for b in c if isinstance(b.tag, str)]
            sets = [required_attrs(_wrap(b), defines, refs) for b in branches]
            if sets:
                out.update(set.intersection(*sets))
    return out


def _wrap(node):
    """A pattern node as the only child of a group (for uniform walking)."""
    g = etree.Element(RNG + "group")
    g.append(etree.fromstring(etree.tostring(node)))
    return g


def has_text(node, defines, refs):
    """Whether an element pattern allows text content of its own."""
    for c in node:
        if not isinstance(c.tag, str) or not c.tag.startswith(RNG):
            continue
        tag = c.tag[len(RNG):]
        if tag in ("text", "data", "value"):
            return True
        if tag == "ref" and c.get("name") not in refs:
            refs.add(c.get("name"))
            if any(has_text(d, defines, refs) for d in defines.get(c.get("name"), ())):
                return True
        elif tag in ("choice", "group", "interleave", "optional", "zeroOrMore",
                     "oneOrMore", "mixed", "define"):
            if tag == "mixed" or has_text(c, defines, refs):
                return True
    return False


def schema_tables(repeatable, enums, texts):
    """Per element path: (attribute names, child element names) domain.rng allows.

    Paths of elements the schema lets repeat are added to *repeatable*."""
    defines = {}
    load_defines("domain.rng", defines, set())
    tables = {}
    plural = set()
    values = {}
    required = enums.setdefault("required", {})
    containers = enums.setdefault("containers", set())

    def content(node, attrs, kids, refs, many=False):
        for c in node:
            if not isinstance(c.tag, str):
                continue
            tag = c.tag[len(RNG):] if c.tag.startswith(RNG) else None
            if tag == "attribute":
                for n in names_of(c):
                    if ":" not in n and n not in attrs:
                        attrs.append(n)
                    if ":" not in n:
                        values.setdefault(n, []).append(enum_values(c, defines))
            elif tag == "element" and not c.get("ns"):
                for n in names_of(c):
                    if ":" not in n:
                        kids.setdefault(n, []).append(c)
                        if many:
                            plural.add(n)
            elif tag == "ref":
                if c.get("name") not in refs:
                    refs.add(c.get("name"))
                    for d in defines.get(c.get("name"), ()):
                        content(d, attrs, kids, refs, many)
            elif tag in ("zeroOrMore", "oneOrMore"):
                content(c, attrs, kids, refs, True)
            elif tag in ("group", "interleave", "choice", "optional", "mixed", "define"):
                content(c, attrs, kids, refs, many)

    def walk(elements, path, depth):
        attrs, kids = [], {}
        plural.clear()
        values.clear()
        for e in elements:
            content(e, attrs, kids, set())
            values.setdefault(None, []).append(enum_values(e, defines, element=True))
        repeatable.update(path + "/" + n for n in plural)
        if kids and not attrs:
            containers.add(path)
        req = None
        for e in elements:
            if has_text(e, defines, set()):
                texts.add(path)
            r = required_attrs(e, defines, set())
            req = r if req is None else req & r
        if req:
            required[path] = sorted(req)
        for name, choices in values.items():
            if all(v is not None for v in choices):
                vals = enums.setdefault((path, name), [])
                vals.extend(v for vs in choices for v in vs if v not in vals)
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
    return tables, repeatable


def main():
    attr_edges, child_edges, first_seen, repeated, texts, bare, seen_paths = collect(CORPUS)
    attrs, children = {}, {}
    for (kind, path), seen in sorted(first_seen.items()):
        if kind == "a" and seen:
            attrs[path] = toposort(seen, attr_edges[path], path + "@")
        elif kind == "c" and seen:
            children[path] = toposort(seen, child_edges[path], path)
    enums = {}
    tables, repeated = schema_tables(repeated, enums, texts)
    never_bare = (set(attrs) | set(children) | texts) - bare
    never_bare = {p for p in never_bare if p in seen_paths}
    # Pure containers (only child elements) are dropped when empty too.
    never_bare |= {p for p in enums.pop("containers") if p not in bare and p not in texts}
    for path, (s_attrs, s_kids) in sorted(tables.items()):
        if s_attrs:
            known = attrs.setdefault(path, [])
            known.extend(a for a in s_attrs if a not in known)
        if s_kids:
            for key in [k for k in children if k == path or k.startswith(path + "[")] or [path]:
                known = children.setdefault(key, [])
                known.extend(k for k in s_kids if k not in known)
    print('"""libvirt\'s output order of domain XML attributes and children, per path.\n\n'
          'Generated from libvirt\'s own output by tests/conformance/gen_domain_order.py."""\n')
    children.update((k, list(v)) for k, v in OVERRIDES.items())
    for name, table in (("ATTRS", attrs), ("CHILDREN", children)):
        print("%s = {" % name)
        for path, order in table.items():
            print("    %r: %r," % (path, tuple(order)))
        print("}\n")
    print("# Elements that may occur more than once under their parent; of any")
    print("# other element libvirt reads the first only.")
    print("REPEATED = frozenset((")
    for path in sorted(repeated):
        print("    %r," % path)
    print("))\n")
    for name, paths, doc in (("TEXT", texts, "Elements whose text libvirt keeps."),
                             ("NEVER_BARE", never_bare,
                              "Elements libvirt prints only with content (attributes, text or "
                              "children): it drops them when empty.")):
        print("# %s" % doc)
        print("%s = frozenset((" % name)
        for path in sorted(paths):
            print("    %r," % path)
        print("))\n")
    required = enums.pop("required")
    print("# Attributes an element must have.")
    print("REQUIRED = {")
    for path, names in sorted(required.items()):
        print("    %r: %r," % (path, tuple(names)))
    print("}\n")
    print("# Values libvirt accepts, per (element path, attribute); None: the text.")
    print("ENUMS = {")
    for (path, name), vals in sorted(enums.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        print("    (%r, %r): %r," % (path, name, tuple(vals)))
    print("}")


if __name__ == "__main__":
    main()
