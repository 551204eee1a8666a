"""Hostile XML through every parser: a VirtError or a result, nothing else.

A seeded mutator damages seed documents (ours in tests/data/fuzz/ and the
conformance corpus when it is there) the ways hostile or broken input goes
wrong: structure shuffled, attributes and text replaced by junk (overflowing
numbers, paths with ``../``, shell syntax, control characters), documents
cut short, entity tricks in a DOCTYPE, deep nesting.  Each parser gets
ROUNDS documents; any exception other than VirtError is a bug, reported
with the document that caused it.  Documents that parse are formatted
again, since formatting what was accepted must not fail either.
"""
import copy
import os
import random
import traceback

import pytest
from lxml import etree

from virtsh import drivers
from virtsh.drivers.errors import VirtError
from virtsh.xmlconf import (checkpoint, domain, interface, network, nodedev, nwfilter,
                            secret, snapshot, storage)

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "..", "data", "fuzz")
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "conformance")
XML_CORPUS = os.path.join(SHARED, "xml")
CLI_DATA = os.path.join(SHARED, "cli", "data")
ROUNDS = 10000
SEED = 20261126

JUNK = [
    "", " ", "-1", "0", "1", "65535", "65536", "4294967295", "4294967296",
    "18446744073709551615", "18446744073709551616", "99999999999999999999999999",
    "-9223372036854775809", "0x", "0xffffffffffffffffff", "1e308", "nan", "1.5",
    "abc", "yes", "no", "on", "none", "default", "^", "0-", "-3", "3-1", "0-99999999",
    "1,,2", "../../../../etc/passwd", "/etc/shadow", "a/b", "..", "'", '"', "<", "&",
    "$(touch /tmp/virtsh-pwned)", "`id`", "a;b", "x\ny", "\u00e9\u4e2d", "\U0001f600",
    "x" * 300, "%s%s%n", "\t", "52:54:00:zz:00:00", "ff:ff:ff:ff:ff:ff",
    "00000000-0000-0000-0000-000000000000", "not-a-uuid", "255.255.255.256", "::1::",
]
ENTITY_TRICKS = [
    '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>',
    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY x "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>',
    '<!DOCTYPE r SYSTEM "http://127.0.0.1:9/none.dtd">',
]


def _read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def _elements(text, tag):
    """Copies of every <tag> element in document *text* (node-file parts)."""
    root = etree.fromstring(text.encode())
    return [etree.tostring(e, encoding="unicode", with_tail=False)
            for e in root.iter(tag)]


def _seed_files(*names):
    """Our seeds: tests/data/fuzz/NAME (the readonly/ folder has the host
    objects' documents the read-only walk uses)."""
    return [_read(os.path.join(SEEDS, n)) for n in names]


def _shared_files(folder, names=None):
    """Documents of the shared corpus, [] when it is not checked out."""
    if not os.path.isdir(folder):
        return []
    found = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name, "in.xml") if names is None else os.path.join(folder, name)
        if (names is None or name in names) and os.path.isfile(path):
            found.append(_read(path))
    return found


def _node_files():
    nodes = _seed_files("node.xml")
    nodes += [t for t in _shared_files(CLI_DATA) if "<node" in t[:200]]
    return nodes


def _small_nodes():
    """The node files, and one small node per top-level object of each
    (the same hooks run, at a fraction of the cost of a whole lab)."""
    nodes = _node_files()
    small = []
    for text in nodes:
        root = etree.fromstring(text.encode())
        for child in root:
            if isinstance(child.tag, str) and child.tag not in ("cpu", "memory"):
                part = etree.Element("node")
                part.extend(copy.deepcopy(c) for c in root if c.tag in ("cpu", "memory"))
                part.append(copy.deepcopy(child))
                small.append(etree.tostring(part, encoding="unicode"))
    return nodes + small


def _node_parts(tag):
    return [part for text in _node_files() for part in _elements(text, tag)]


def _domain_seeds():
    cli = [t for t in _shared_files(CLI_DATA) if t.lstrip().startswith("<domain ")]
    return _seed_files("domain.xml") + _node_parts("domain") + cli + _shared_files(XML_CORPUS)


def _volume_seeds():
    return _seed_files("volume.xml") + _shared_files(CLI_DATA, {"vol-new.xml"}) + _node_parts("volume")


def _pool_seeds():
    pools = []
    for text in _node_parts("pool"):
        root = etree.fromstring(text.encode())
        for vol in root.findall("volume"):
            root.remove(vol)
        pools.append(etree.tostring(root, encoding="unicode"))
    return _seed_files("pool.xml", "pool-net.xml") + _shared_files(CLI_DATA, {"pool-new.xml"}) + pools


# --- the mutator ---------------------------------------------------------------
def _tree_mutation(root, rng):
    """Damage the element tree *root* in place, one to four times."""
    for _ in range(rng.randint(1, 4)):
        elems = [e for e in root.iter() if isinstance(e.tag, str)]
        e = rng.choice(elems)
        parent = e.getparent()
        action = rng.randrange(11)
        if action == 0 and parent is not None:
            parent.remove(e)
        elif action == 1 and parent is not None:
            e.addnext(_copy(e))
        elif action == 2 and e.attrib:
            e.set(rng.choice(list(e.attrib)), _attr_junk(rng))
        elif action == 3 and e.attrib:
            del e.attrib[rng.choice(list(e.attrib))]
        elif action == 4:
            e.text = _attr_junk(rng)
        elif action == 5:
            donor = rng.choice(elems)
            if donor is not root and not any(a is donor for a in e.iterancestors()) \
                    and donor is not e:
                e.append(_copy(donor))
        elif action == 6:
            other = rng.choice(elems)
            e.set(rng.choice(list(other.attrib) or ["type"]), _attr_junk(rng))
        elif action == 7 and parent is not None:
            e.tag = rng.choice(elems).tag
        elif action == 8:
            deep = e
            for _ in range(rng.choice((3, 50, 400))):
                deep = etree.SubElement(deep, rng.choice(elems).tag)
        elif action == 9:
            e.append(etree.Comment("c"))
            e.append(etree.ProcessingInstruction("pi", "x"))
        elif action == 10:
            child = etree.SubElement(e, rng.choice(elems).tag)
            child.text = rng.choice(JUNK[:20])
            child.set(rng.choice(("unit", "type", "name", "index", "id")), _attr_junk(rng))


def _copy(elem):
    return copy.deepcopy(elem)


def _attr_junk(rng):
    """A junk value lxml accepts as attribute or text (no control chars)."""
    value = rng.choice(JUNK)
    return value.replace("\n", " ").replace("\t", " ")


def _text_mutation(text, rng):
    """Damage the serialized document *text*."""
    action = rng.randrange(6)
    if action == 0:
        return text[:rng.randrange(0, max(1, len(text)))]
    if action == 1:
        pos = rng.randrange(len(text) + 1)
        return text[:pos] + rng.choice(["<", ">", "&", "&x;", "&#0;", "&#x110000;", "]]>",
                                        "<![CDATA[", "\x00", "\x1b", "\ufffe", "'", '"',
                                        "<a>", "</", "<!--"]) + text[pos:]
    if action == 2:
        start = rng.randrange(len(text) + 1)
        return text[:start] + text[start + rng.randint(1, 40):]
    if action == 3:
        trick = rng.choice(ENTITY_TRICKS)
        body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
        root_name = body.lstrip()[1:].split(None, 1)[0].rstrip(">/")
        trick = trick.replace("<!DOCTYPE r", "<!DOCTYPE " + root_name)
        ref = "&x;" if "ENTITY x" in trick else ""
        pos = body.find("</")
        if ref and pos > 0:
            body = body[:pos] + ref + body[pos:]
        return trick + "\n" + body
    if action == 4:
        return "<?xml version='1.0' encoding='%s'?>\n%s" % (
            rng.choice(["UTF-16", "latin1", "bogus", "UTF-8"]),
            text.split("?>", 1)[1] if text.startswith("<?xml") else text)
    return text + rng.choice(["<extra/>", "junk", "\n<!-- -->", "<a>"])


def mutate(text, rng):
    """One damaged variant of *text* (a well-formed seed document)."""
    if rng.random() < 0.3:
        return _text_mutation(text, rng)
    root = etree.fromstring(text.encode())
    _tree_mutation(root, rng)
    return etree.tostring(root, encoding="unicode")


# --- the parsers under test -----------------------------------------------------
def _domain(text):
    from virtsh import xmlconf
    defn = domain.parse(text)
    domain.format(defn, xmlconf.XML_INACTIVE)


def _network(text):
    network.format(network.parse(text))


def _pool(text):
    storage.format_pool(storage.parse_pool(text), 1 << 30, 1 << 20, 1 << 29)


def _volume(text):
    for pool_type in ("dir", "logical", "disk"):
        storage.parse_volume(text, pool_type)


def _snapshot(text):
    for flags in (0, snapshot.PARSE_REDEFINE | snapshot.PARSE_INTERNAL):
        defn = snapshot.parse(text, flags)
        snapshot.format(defn, uuid="0f0e0d0c-0b0a-0908-0706-050403020100")


def _checkpoint(text):
    for flags in (0, checkpoint.PARSE_REDEFINE):
        checkpoint.format(checkpoint.parse(text, flags))


PARSERS = {
    "domain": (_domain, _domain_seeds),
    "network": (_network, lambda: _seed_files("network.xml") + _node_parts("network")
                + _shared_files(CLI_DATA, {"net-new.xml"})),
    "pool": (_pool, _pool_seeds),
    "volume": (_volume, _volume_seeds),
    "snapshot": (_snapshot, lambda: _seed_files("snapshot.xml")
                 + _shared_files(CLI_DATA, {"snap.xml"})),
    "checkpoint": (_checkpoint, lambda: _seed_files("checkpoint.xml")
                   + _shared_files(CLI_DATA, {"checkpoint.xml"})),
    "interface": (lambda t: interface.format(interface.parse(t)),
                  lambda: _seed_files("readonly/iface.xml") + _node_parts("interface")),
    "secret": (lambda t: secret.format(secret.parse(t)),
               lambda: _seed_files("readonly/secret.xml")),
    "nwfilter": (lambda t: nwfilter.format(nwfilter.parse(t)),
                 lambda: _seed_files("readonly/nwfilter.xml")),
    "nwfilter-binding": (lambda t: nwfilter.format_binding(nwfilter.parse_binding(t)),
                         lambda: _seed_files("readonly/binding.xml")),
    "nodedev": (lambda t: nodedev.format(nodedev.parse(t, create=True)),
                lambda: _seed_files("readonly/nodedev.xml") + _node_parts("device")),
}


def _run(parse, seeds, rounds, seed):
    """Feed *rounds* mutants to *parse*; return (outcome counts, failures)."""
    rng = random.Random(seed)
    counts = {"ok": 0, "error": 0}
    failures = {}
    for _ in range(rounds):
        text = mutate(rng.choice(seeds), rng)
        try:
            parse(text)
        except VirtError as e:
            assert str(e)
            counts["error"] += 1
        except Exception as e:  # noqa: BLE001 - what the fuzzer is looking for
            where = traceback.extract_tb(e.__traceback__)[-1]
            key = (type(e).__name__, where.filename, where.lineno)
            failures.setdefault(key, (repr(e), text))
        else:
            counts["ok"] += 1
    return counts, failures


def _report(failures):
    lines = []
    for (name, filename, line), (message, text) in failures.items():
        lines.append("%s at %s:%d: %s\n--- document ---\n%s\n" % (
            name, filename, line, message, text[:1500]))
    return "\n".join(lines)


@pytest.mark.parametrize("kind", sorted(PARSERS))
def test_mutated_documents_end_in_a_result_or_a_virt_error(kind):
    parse, seeds = PARSERS[kind]
    counts, failures = _run(parse, seeds(), ROUNDS, SEED)
    assert not failures, _report(failures)
    assert counts["ok"] + counts["error"] == ROUNDS
    assert counts["error"] > ROUNDS // 20, counts    # the mutants were hostile
    assert counts["ok"] > ROUNDS // 50, counts       # and some got deep


def test_mutated_node_files_open_or_fail_with_a_virt_error(tmp_path, capfd):
    """Node files go through drivers/test/node.py and every init hook."""
    path = tmp_path / "node.xml"

    def open_node(text):
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        conn = drivers.open("test://" + str(path))
        for dom in conn.list_all_domains(0):
            dom.xml_desc(0)

    counts, failures = _run(open_node, _small_nodes(), ROUNDS, SEED + 1)
    capfd.readouterr()      # libxml2's stderr lines for broken files
    assert not failures, _report(failures)
    assert counts["error"] > ROUNDS // 20 and counts["ok"] > ROUNDS // 50, counts


@pytest.mark.parametrize("trick", ENTITY_TRICKS)
def test_entities_never_pull_in_files_or_blow_up(trick):
    """External entities stay unresolved and nested ones do not expand
    a billion times: the name is never a host file's content."""
    text = trick.replace("<!DOCTYPE r", "<!DOCTYPE domain") + (
        "<domain type='test'><name>n&x;</name><memory>1024</memory>"
        "<os><type>hvm</type></os></domain>" if "ENTITY x" in trick else
        "<domain type='test'><name>n</name><memory>1024</memory>"
        "<os><type>hvm</type></os></domain>")
    try:
        out = domain.format(domain.parse(text))
    except VirtError:
        return
    assert "root:" not in out and len(out) < 100000
