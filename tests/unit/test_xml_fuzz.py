"""Mutated domain documents end in a valid document or a VirtError.

A seeded mutator damages corpus documents the ways real input goes wrong
(elements dropped or duplicated, attributes emptied or set to junk, numbers
out of range, text cut short) and checks that parsing never escapes with
any other exception, and that whatever parses also formats to well-formed
XML that parses again.
"""
import os
import random

import pytest
from lxml import etree

from virtsh import xmlconf
from virtsh.drivers.errors import VirtError
from virtsh.xmlconf import domain

CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared",
                      "conformance", "xml")
SEED = 20261126
ROUNDS = 1200

JUNK = ["", "-1", "0", "4294967296", "18446744073709551616", "0x", "abc", "yes", "no",
        "1-", "^", "0-99999", "-", " ", "none", "\u00e9", "1.5", "99999999999999999999999"]


def corpus_documents():
    if not os.path.isdir(CORPUS):
        return []
    docs = []
    for case in sorted(os.listdir(CORPUS)):
        path = os.path.join(CORPUS, case, "in.xml")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                docs.append(f.read())
    return docs


def mutate(text, rng):
    """One damaged variant of *text*."""
    if rng.random() < 0.08:
        return text[:rng.randrange(1, max(2, len(text)))]
    root = etree.fromstring(text.encode())
    elems = [e for e in root.iter() if isinstance(e.tag, str)]
    for _ in range(rng.randint(1, 4)):
        e = rng.choice(elems)
        action = rng.randrange(6)
        if action == 0 and e is not root and e.getparent() is not None:
            e.getparent().remove(e)
            elems = [x for x in root.iter() if isinstance(x.tag, str)]
        elif action == 1 and e is not root and e.getparent() is not None:
            e.addnext(etree.fromstring(etree.tostring(e)))
        elif action == 2 and e.attrib:
            name = rng.choice(list(e.attrib))
            e.set(name, rng.choice(JUNK))
        elif action == 3 and e.attrib:
            del e.attrib[rng.choice(list(e.attrib))]
        elif action == 4:
            e.text = rng.choice(JUNK)
        else:
            donor = rng.choice(elems)
            if donor is not root and not any(a is donor for a in e.iterancestors()):
                e.append(etree.fromstring(etree.tostring(donor)))
    return etree.tostring(root, encoding="unicode")


def test_mutated_documents_parse_to_a_valid_document_or_a_virt_error():
    docs = corpus_documents()
    if not docs:
        pytest.skip("no conformance corpus at %s" % CORPUS)
    rng = random.Random(SEED)
    outcomes = {"ok": 0, "error": 0}
    for _ in range(ROUNDS):
        text = mutate(rng.choice(docs), rng)
        try:
            defn = domain.parse(text)
        except VirtError as e:
            assert str(e)
            outcomes["error"] += 1
            continue
        for flags in (xmlconf.XML_INACTIVE, xmlconf.XML_INACTIVE | xmlconf.XML_MIGRATABLE):
            out = domain.format(defn, flags)
            etree.fromstring(out.encode())
        domain.parse(domain.format(defn, xmlconf.XML_INACTIVE | xmlconf.XML_SECURE))
        outcomes["ok"] += 1
    assert outcomes["ok"] + outcomes["error"] == ROUNDS >= 1000
    assert outcomes["ok"] > 100 and outcomes["error"] > 100
