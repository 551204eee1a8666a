"""The shortcuts of xmlconf's domain pipeline give libvirt's results.

The parser checks values during the canonicalisation walk, skips the
default and check steps whose elements are absent, and the printer orders
while it writes: these tests pin what a user sees where a shortcut could
go wrong (the order of errors, escaping, elements left empty, placement).
"""
import re
import uuid

import pytest
from lxml import etree

from virtsh import xmlconf
from virtsh.drivers.errors import VirtError
from virtsh.xmlconf import domain, tree, writer
from virtsh.xmlconf.uuids import canonical_uuid, random_uuid

INACTIVE = xmlconf.XML_INACTIVE


def dom(devices="", extra="", name="<name>d1</name>"):
    return ("<domain type='qemu'>%s<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>"
            "<memory unit='MiB'>256</memory>%s"
            "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
            "<devices>%s</devices></domain>" % (name, extra, devices))


def dump(text, flags=INACTIVE):
    return domain.format(domain.parse(text), flags)


def error_of(text):
    with pytest.raises(VirtError) as info:
        domain.parse(text)
    return str(info.value)


def test_random_uuids_are_version_4_in_the_printed_form():
    made = {random_uuid() for _ in range(500)}
    assert len(made) == 500
    for text in made:
        u = uuid.UUID(text)
        assert str(u) == text and u.version == 4 and u.variant == uuid.RFC_4122


def test_a_document_without_uuid_gets_one_after_its_name():
    out = dump(dom().replace("<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>", ""))
    assert re.search(r"<name>d1</name>\n  <uuid>[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                     r"[89ab][0-9a-f]{3}-[0-9a-f]{12}</uuid>\n", out)


def test_uuids_are_read_with_any_dashes_and_case():
    assert canonical_uuid(" C7A5FDBDEDAF9455-926a-d65c16db1809 ") == \
        "c7a5fdbd-edaf-9455-926a-d65c16db1809"
    with pytest.raises(VirtError, match="malformed uuid element"):
        canonical_uuid("c7a5fdbd-edaf-9455-926a-d65c16db180g")


def test_a_bad_value_is_reported_after_a_missing_name():
    bad = dom(extra="<on_crash>explode</on_crash>", name="")
    assert "missing name information" in error_of(bad)
    assert "Invalid value for element 'on_crash': 'explode'" in \
        error_of(dom(extra="<on_crash>explode</on_crash>"))


def test_a_missing_required_attribute_is_reported():
    assert "Missing required attribute 'dev' in element 'boot'" in \
        error_of(dom().replace("hvm</type>", "hvm</type><boot/>"))


def test_attribute_values_with_quotes_and_ampersands_are_escaped():
    out = dump(dom("<disk type='file'><source file=\"/a'b&amp;c\"/>"
                   "<target dev='vda' bus='virtio'/></disk>"))
    assert "<source file='/a&apos;b&amp;c'/>" in out
    assert "<target dev='vda' bus='virtio'/>" in out


def test_the_generic_writer_escapes_each_value_it_must():
    elem = etree.fromstring("<a x=\"it's\" y='&lt;b&gt;' z='plain'>\"q\"</a>")
    assert writer.write(elem) == \
        "<a x='it&apos;s' y='&lt;b&gt;' z='plain'>&quot;q&quot;</a>\n"


def test_elements_left_empty_go_with_their_empty_children():
    out = dump(dom(extra="<blkiotune><device></device></blkiotune>"))
    assert "blkiotune" not in out


def test_only_user_aliases_stay_in_a_definition():
    out = dump(dom("<disk type='file'><source file='/a'/><target dev='vda' bus='virtio'/>"
                   "<alias name='ua-mine'/></disk>"
                   "<disk type='file'><source file='/b'/><target dev='vdb' bus='virtio'/>"
                   "<alias name='virtio-disk1'/></disk>"))
    assert "<alias name='ua-mine'/>" in out and "virtio-disk1" not in out


@pytest.mark.parametrize("flags", [INACTIVE, INACTIVE | xmlconf.XML_SECURE, 0])
def test_formatting_leaves_the_definition_as_it_was(flags):
    d = domain.parse(dom("<memballoon model='virtio'/><graphics type='vnc' passwd='secret'/>"))
    etree.SubElement(d.tree.find("devices"), "disk", device="disk", type="file")
    d.tree.find("devices/memballoon").set("zeta", "1")
    before = etree.tostring(d.tree)
    first = domain.format(d, flags, live_id=None if flags & INACTIVE else 7)
    assert etree.tostring(d.tree) == before
    assert first.index("<disk type='file' device='disk'/>") < first.index("<memballoon")
    assert "<memballoon model='virtio' zeta='1'/>" in first
    assert ("passwd='secret'" in first) == bool(flags & xmlconf.XML_SECURE)


def test_a_bare_panic_is_kept_but_not_printed():
    d = domain.parse(dom("<panic/>"))
    assert "<panic" not in domain.format(d, INACTIVE | xmlconf.XML_SECURE)
    assert d.tree.find("devices/panic") is not None


def test_unknown_attributes_a_driver_sets_print_last_in_their_order():
    d = domain.parse(dom())
    typ = d.tree.find("os/type")
    typ.set("zeta", "1")
    typ.set("alpha", "2")
    typ.set("arch", "x86_64")
    assert "<type arch='x86_64' machine='pc' zeta='1' alpha='2'>hvm</type>" in \
        domain.format(d, INACTIVE)


def test_insert_after_an_inserted_element_lands_where_a_full_search_puts_it():
    def root():
        return etree.fromstring("<domain><name>n</name><os/><devices/></domain>")
    searched, hinted = root(), root()
    for tags in (searched, hinted):
        added = tree.insert(tags, "domain", "clock")
        for tag in ("on_poweroff", "on_crash"):
            added = tree.insert(tags, "domain", tag, text="x",
                                after=added if tags is hinted else None)
    assert [c.tag for c in hinted] == [c.tag for c in searched] == \
        ["name", "os", "clock", "on_poweroff", "on_crash", "devices"]
