"""Domain XML: libvirt's defaults, order, checks and formatting flags.

Most tests feed a small document through xmlconf.domain and check what a
user reading ``dumpxml`` would see; the corpus tests run every document of
the conformance corpus in-process (the end-to-end scorer is
tests/conformance/test_conformance.py).
"""
import os
import re

import pytest
from lxml import etree

from virtsh import xmlconf
from virtsh.drivers.errors import VirtError
from virtsh.drivers.test import xmldefaults
from virtsh.xmlconf import domain, schema

CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared",
                      "conformance", "xml")
INACTIVE = xmlconf.XML_INACTIVE

# Cases of the corpus that pass in-process; raise, never lower.
CORPUS_FLOORS = {"test": 719, "test-migratable": 658, "test-secure": 658}


def dom(devices="", extra="", arch="x86_64", name="d1"):
    return ("<domain type='qemu'><name>%s</name>"
            "<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>"
            "<memory unit='MiB'>256</memory>%s"
            "<os><type arch='%s' machine='pc'>hvm</type></os>"
            "<devices>%s</devices></domain>" % (name, extra, arch, devices))


def dump(text, flags=INACTIVE):
    return domain.format(domain.parse(text), flags)


def error_of(text, flags=0):
    with pytest.raises(VirtError) as info:
        domain.parse(text, flags)
    return str(info.value)


# -- layout and defaults -----------------------------------------------------

def test_minimal_domain_gets_libvirt_defaults_in_libvirt_order():
    assert dump(dom()) == """<domain type='qemu'>
  <name>d1</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>262144</memory>
  <currentMemory unit='KiB'>262144</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <boot dev='hd'/>
  </os>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
  </devices>
</domain>
"""


def test_elements_are_reordered_and_unknown_ones_dropped():
    text = ("<domain type='kvm'><on_crash>restart</on_crash><devices/><name>x</name>"
            "<bogus/><memory>1024</memory><os><type>hvm</type></os></domain>")
    out = dump(text)
    tags = re.findall(r"^  <(\w+)", out, re.M)
    assert tags == ["name", "uuid", "memory", "currentMemory", "vcpu", "os", "clock",
                    "on_poweroff", "on_reboot", "on_crash", "devices"]
    assert "<on_crash>restart</on_crash>" in out
    assert "bogus" not in out


def test_text_and_attributes_are_escaped_like_libvirt():
    out = dump(dom(extra="<description>a 'quoted' &amp; \"double\"</description>"))
    assert "<description>a &apos;quoted&apos; &amp; &quot;double&quot;</description>" in out


def test_memory_units_are_scaled_to_kib_and_current_memory_capped():
    out = dump(dom(extra="<currentMemory unit='G'>1</currentMemory>"))
    assert "<currentMemory unit='KiB'>262144</currentMemory>" in out


def test_metadata_is_kept_first_of_each_namespace_with_libxml2_quotes():
    out = dump(dom(extra="<metadata><a:x xmlns:a='urn:a' k='v'>1</a:x>"
                         "<a:y xmlns:a='urn:a'/><plain/></metadata>"))
    assert '    <a:x xmlns:a="urn:a" k="v">1</a:x>\n' in out
    assert "a:y" not in out and "plain" not in out


def test_disks_get_bus_drive_address_and_implicit_controller():
    out = dump(dom("<disk type='file'><source file='/a.img'/><target dev='hdc'/></disk>"))
    assert "<disk type='file' device='disk'>" in out
    assert "<target dev='hdc' bus='ide'/>" in out
    assert "<address type='drive' controller='0' bus='1' target='0' unit='0'/>" in out
    assert "<controller type='ide' index='0'/>" in out


def test_disks_are_sorted_within_a_bus_by_device_name():
    out = dump(dom("<disk type='file'><source file='/b'/><target dev='vdb'/></disk>"
                   "<disk type='file'><source file='/a'/><target dev='vda'/></disk>"))
    assert out.index("dev='vda'") < out.index("dev='vdb'")


def test_controllers_sorted_by_type_then_index():
    out = dump(dom("<controller type='usb' index='1'/><controller type='scsi'/>"
                   "<controller type='usb' index='0'/>"))
    lines = [l.strip() for l in out.splitlines() if "<controller" in l]
    assert lines == ["<controller type='usb' index='0'/>", "<controller type='usb' index='1'/>",
                     "<controller type='scsi' index='0'/>"]


def test_serial_port_gets_a_mirroring_console():
    out = dump(dom("<serial type='pty'/>"))
    assert "<serial type='pty'>\n      <target port='0'/>\n    </serial>" in out
    assert "<console type='pty'>\n      <target type='serial' port='0'/>\n    </console>" in out


def test_vnc_graphics_get_autoport_listen_and_a_video_device():
    out = dump(dom("<graphics type='vnc'/>"))
    assert "<graphics type='vnc' port='-1' autoport='yes'>" in out
    assert "<listen type='address'/>" in out
    assert "<model type='cirrus' vram='16384' heads='1' primary='yes'/>" in out


def test_pci_addresses_are_printed_in_hex():
    out = dump(dom("<memballoon model='virtio'><address type='pci' domain='0' bus='0' "
                   "slot='18' function='0'/></memballoon>"))
    assert "<address type='pci' domain='0x0000' bus='0x00' slot='0x12' function='0x0'/>" in out


def test_cpu_sets_are_normalised():
    out = dump(dom(extra="<vcpu cpuset='3,1-2,^2'>2</vcpu>"))
    assert "<vcpu placement='static' cpuset='1,3'>2</vcpu>" in out


def test_test_driver_names_unnamed_interfaces():
    d = domain.parse(dom("<interface type='user'><mac address='52:54:00:00:00:01'/></interface>"
                         "<interface type='user'><mac address='52:54:00:00:00:02'/>"
                         "<target dev='vnet7'/></interface>"))
    xmldefaults.apply(d.tree)
    out = domain.format(d, INACTIVE)
    assert out.count("<target dev='testnet0'/>") == 1
    assert out.count("<target dev='testnet1'/>") == 1


# -- flags -------------------------------------------------------------------

def test_graphics_password_only_with_security_info():
    text = dom("<graphics type='vnc' passwd='s3cret'/>")
    assert "s3cret" not in dump(text)
    assert "passwd='s3cret'" in dump(text, INACTIVE | xmlconf.XML_SECURE)


def test_migratable_leaves_out_the_implicit_ps2_keyboard():
    text = dom("<input type='mouse' bus='ps2'/><input type='keyboard' bus='ps2'/>")
    assert "keyboard" in dump(text)
    out = dump(text, INACTIVE | xmlconf.XML_MIGRATABLE)
    assert "keyboard" not in out and "<input type='mouse' bus='ps2'/>" in out


def test_live_id_goes_after_the_type():
    out = domain.format(domain.parse(dom()), 0, live_id=4)
    assert out.startswith("<domain type='qemu' id='4'>\n")


# -- errors ------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("<domain", "(domain_definition):1:"),
    ("<network/>", "expecting root element of 'domain', not 'network'"),
    (dom("<disk type='file'><source file='/a'/></disk>"),
     "missing target information for device /a"),
    (dom("<disk type='file'><source file='/a'/><target dev='sda'/></disk>"
         "<disk type='file'><source file='/b'/><target dev='sda'/></disk>"),
     "XML error: target 'sda' duplicated for disk sources '/a' and '/b'"),
    (dom("<video><model type='none'/></video><video><model type='vga'/></video>"),
     "a 'none' video type must be the only video device"),
    (dom("<memballoon model='virtio'><address type='pci' slot='0x20'/></memballoon>"),
     "Invalid PCI address slot='0x20', must be <= 0x1F"),
    (dom(extra="<on_crash>explode</on_crash>"), "Invalid value for element 'on_crash'"),
])
def test_invalid_documents_fail_with_libvirts_message(text, message):
    assert message in error_of(text)


def test_validate_flag_reports_schema_errors():
    msg = error_of(dom(extra="<bogus/>"), domain.PARSE_VALIDATE)
    assert msg.startswith("XML document failed to validate against schema: Unable to validate")
    assert "Element domain has extra content: bogus" in msg
    dump(dom())  # the same document without the stray element is fine


# -- the corpus --------------------------------------------------------------

def corpus_cases():
    if not os.path.isdir(CORPUS):
        return []
    return sorted(os.listdir(CORPUS))


def expected_of(case, suite):
    d = os.path.join(CORPUS, case)
    base = suite
    if not os.path.exists(os.path.join(d, suite + ".out")):
        same = os.path.join(d, "same.txt")
        if not (os.path.exists(same) and suite in open(same).read().split()):
            return None
        base = "test"
    with open(os.path.join(d, base + ".rc")) as f:
        rc = int(f.read())
    with open(os.path.join(d, base + ".out")) as f:
        return rc, f.read()


def run_case(case, flags):
    with open(os.path.join(CORPUS, case, "in.xml")) as f:
        text = f.read()
    try:
        d = domain.parse(text)
    except VirtError:
        return 1, ""
    xmldefaults.apply(d.tree)
    return 0, domain.format(d, flags)


def masked(case, text):
    if os.path.exists(os.path.join(CORPUS, case, "random-uuid")):
        text = re.sub(r"(?m)^(  <uuid>)[^<]*(</uuid>)$", r"\1X\2", text)
    if os.path.exists(os.path.join(CORPUS, case, "random-genid")):
        text = re.sub(r"(<genid>)[^<]*(</genid>)", r"\1X\2", text)
    return text


@pytest.mark.parametrize("suite", sorted(CORPUS_FLOORS))
def test_corpus_matches_libvirt(suite):
    if not corpus_cases():
        pytest.skip("no conformance corpus at %s" % CORPUS)
    flags = INACTIVE | {"test": 0, "test-migratable": xmlconf.XML_MIGRATABLE,
                        "test-secure": xmlconf.XML_SECURE}[suite]
    passed = 0
    for case in corpus_cases():
        expected = expected_of(case, suite)
        if expected is None or open(os.path.join(CORPUS, case, "name.txt")).read() == "test":
            continue
        rc, out = run_case(case, flags)
        if rc == expected[0] and (rc or masked(case, out) == masked(case, expected[1])):
            passed += 1
    assert passed >= CORPUS_FLOORS[suite]


def test_every_formatted_corpus_document_validates_against_domain_rng():
    """What we print is schema-valid wherever libvirt's own output is."""
    if not corpus_cases():
        pytest.skip("no conformance corpus at %s" % CORPUS)
    checked = 0
    for case in corpus_cases():
        expected = expected_of(case, "test")
        if expected is None or expected[0] or \
                not schema.is_valid(etree.fromstring(expected[1].encode())):
            continue
        rc, out = run_case(case, INACTIVE)
        assert rc == 0, case
        assert schema.is_valid(etree.fromstring(out.encode())), case
        checked += 1
    assert checked > 600


def test_elements_a_driver_appends_are_printed_in_libvirts_order():
    d = domain.parse(dom("<memballoon model='virtio'/>"))
    disk = etree.SubElement(d.tree.find("devices"), "disk", device="disk", type="file")
    etree.SubElement(disk, "target", bus="virtio", dev="vda")
    etree.SubElement(disk, "source", file="/x.img")
    out = domain.format(d, INACTIVE)
    assert out.index("<disk type='file' device='disk'>") < out.index("<memballoon")
    assert "<source file='/x.img'/>\n      <target dev='vda' bus='virtio'/>" in out


def test_malformed_xml_is_reported_with_libxml2s_line_and_caret():
    text = "<domain type='test'>\n  <name>broken</name>\n  <memory>131072\n</domain>\n"
    assert error_of(text) == ("(domain_definition):4: Opening and ending tag mismatch: "
                              "memory line 3 and domain\n</domain>\n---------^")


def test_live_view_shows_runtime_ids_the_definition_does_not_keep():
    text = dom(extra="<vcpu>2</vcpu><cputune><cachetune vcpus='0-1' id='mine'>"
                     "<cache id='0' level='3' type='both' size='3' unit='MiB'/>"
                     "</cachetune></cputune>")
    assert "<cachetune vcpus='0-1'>" in dump(text)
    live = domain.format(domain.parse(text), 0, live_id=3)
    assert "<cachetune vcpus='0-1' id='vcpus_0-1'>" in live
