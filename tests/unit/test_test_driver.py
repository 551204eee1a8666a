"""The test driver's node loading and domain APIs, in process."""
import os
import textwrap

import pytest

from virtsh import drivers, xmlconf
from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError
from virtsh.drivers.test import node

LAB = "/work/shared/conformance/cli/data/lab.xml"
needs_lab = pytest.mark.skipif(not os.path.exists(LAB), reason="conformance data missing")

DOMAIN_XML = """<domain type='test'>
  <name>%s</name>
  <uuid>%s</uuid>
  <memory unit='MiB'>512</memory>
  <vcpu current='1'>4</vcpu>
  <os><type>hvm</type></os>
</domain>
"""


def domain_xml(name="extra", uuid="aaaaaaaa-0000-0000-0000-000000000001"):
    return DOMAIN_XML % (name, uuid)


@pytest.fixture
def conn():
    return drivers.open("test:///default")


def test_default_node_answers_info_without_parsing_xml(conn):
    dom = conn.lookup_domain_by_name("test")
    state, max_mem, memory, nvcpus, cpu_time = dom.info()
    assert (state, max_mem, memory, nvcpus) == (D.RUNNING, 8388608, 2097152, 2)
    assert cpu_time > 0
    assert dom.state() == (D.RUNNING, D.REASON_UNKNOWN)
    assert conn._domain_records[dom.uuid()].summary is not None


def test_lookups_by_id_uuid_and_name(conn):
    assert conn.lookup_domain_by_id(1).name() == "test"
    assert conn.lookup_domain_by_uuid("6695EB01F6A4830479AA97F2502E193F").name() == "test"
    with pytest.raises(VirtError, match="no domain with matching name 'nosuch'"):
        conn.lookup_domain_by_name("nosuch")


def test_live_xml_has_the_id_and_the_inactive_form_not(conn):
    dom = conn.lookup_domain_by_name("test")
    assert dom.xml_desc().startswith("<domain type='test' id='1'>\n")
    assert dom.xml_desc(xmlconf.XML_INACTIVE).startswith("<domain type='test'>\n")
    assert "<target dev='testnet0'/>" in dom.xml_desc()


def test_destroy_then_start_gives_a_new_id(conn):
    dom = conn.lookup_domain_by_name("test")
    dom.destroy()
    assert dom.state() == (D.SHUTOFF, D.SHUTOFF_DESTROYED)
    with pytest.raises(VirtError, match="domain is not running"):
        dom.destroy()
    dom.create()
    assert (dom.id(), dom.state()) == (2, (D.RUNNING, D.RUNNING_BOOTED))


def test_suspend_resume_and_their_errors(conn):
    dom = conn.lookup_domain_by_name("test")
    dom.suspend()
    assert dom.state() == (D.PAUSED, D.PAUSED_USER)
    with pytest.raises(VirtError, match="domain 'test' not running"):
        dom.suspend()
    dom.resume()
    assert dom.state() == (D.RUNNING, D.RUNNING_UNPAUSED)
    with pytest.raises(VirtError, match="domain 'test' not paused"):
        dom.resume()


def test_undefine_running_domain_makes_it_transient_and_destroy_removes_it(conn):
    dom = conn.lookup_domain_by_name("test")
    dom.undefine()
    assert not dom.is_persistent() and dom.is_active()
    dom.destroy()
    assert conn.list_all_domains(D.LIST_ACTIVE | D.LIST_INACTIVE) == []


def test_define_keeps_the_live_definition_of_a_running_domain(conn):
    xml = domain_xml("test", "6695eb01-f6a4-8304-79aa-97f2502e193f")
    dom = conn.define_domain(xml)
    assert dom.vcpus_flags(D.AFFECT_CONFIG) == 1
    assert dom.vcpus_flags(D.AFFECT_LIVE) == 2
    assert "<type arch='i686'>hvm</type>" in dom.xml_desc(xmlconf.XML_INACTIVE)


def test_define_refuses_a_name_taken_by_another_uuid(conn):
    with pytest.raises(VirtError, match="domain 'test' already exists with uuid "
                                        "6695eb01-f6a4-8304-79aa-97f2502e193f"):
        conn.define_domain(domain_xml("test"))


def test_create_starts_a_transient_domain(conn):
    dom = conn.create_domain(domain_xml())
    assert (dom.id(), dom.is_persistent()) == (2, False)
    dom.destroy()
    with pytest.raises(VirtError):
        conn.lookup_domain_by_name("extra")


def test_list_filters(conn):
    conn.define_domain(domain_xml())

    def names(flags):
        return sorted(d.name() for d in conn.list_all_domains(flags))

    assert names(D.LIST_ACTIVE) == ["test"]
    assert names(D.LIST_INACTIVE) == ["extra"]
    assert names(D.LIST_SHUTOFF) == ["extra"]
    assert names(D.LIST_RUNNING | D.LIST_PAUSED) == ["test"]
    assert names(D.LIST_TRANSIENT) == []
    conn.lookup_domain_by_name("extra").set_autostart(True)
    assert names(D.LIST_AUTOSTART) == ["extra"]


def test_memory_limits(conn):
    dom = conn.lookup_domain_by_name("test")
    with pytest.raises(VirtError, match="cannot set memory higher than max memory"):
        dom.set_memory(16 * 1024 * 1024, D.AFFECT_LIVE)
    with pytest.raises(VirtError, match="cannot resize the maximum memory"):
        dom.set_memory(4 * 1024 * 1024, D.MEM_MAXIMUM)
    dom.set_memory(1024 * 1024, D.AFFECT_LIVE)
    assert dom.info()[2] == 1024 * 1024
    dom.set_memory(6 * 1024 * 1024, D.MEM_MAXIMUM | D.AFFECT_CONFIG)
    assert "<memory unit='KiB'>6291456</memory>" in dom.xml_desc(xmlconf.XML_INACTIVE)


def test_vcpu_limits(conn):
    dom = conn.lookup_domain_by_name("test")
    with pytest.raises(VirtError, match=r"exceeds maximum supported amount \(100 > 32\)"):
        dom.set_vcpus(100, D.AFFECT_LIVE)
    with pytest.raises(VirtError, match=r"exceeds maximum \(3 > 2\)"):
        dom.set_vcpus(3, D.AFFECT_LIVE)
    dom.set_vcpus(1, D.AFFECT_LIVE)
    assert (dom.vcpus_flags(D.AFFECT_LIVE), dom.vcpus_flags(D.AFFECT_CONFIG)) == (1, 2)


def test_metadata_element_roundtrip(conn):
    dom = conn.lookup_domain_by_name("test")
    uri = "http://example.org/ns"
    dom.set_metadata(D.METADATA_ELEMENT, '<item id="1">one</item>', "ex", uri)
    assert dom.metadata(D.METADATA_ELEMENT, uri) == '<item id="1">one</item>'
    assert '<ex:item xmlns:ex="http://example.org/ns" id="1">one</ex:item>' in dom.xml_desc()
    dom.set_metadata(D.METADATA_ELEMENT, None, None, uri)
    with pytest.raises(VirtError, match="Requested metadata element is not present"):
        dom.metadata(D.METADATA_ELEMENT, uri)


def test_title_and_description(conn):
    dom = conn.lookup_domain_by_name("test")
    with pytest.raises(VirtError, match="metadata not found"):
        dom.metadata(D.METADATA_TITLE)
    dom.set_metadata(D.METADATA_TITLE, "A title")
    dom.set_metadata(D.METADATA_DESCRIPTION, "Some words")
    assert dom.metadata(D.METADATA_TITLE) == "A title"
    xml = dom.xml_desc()
    assert xml.index("<title>") < xml.index("<description>") < xml.index("<memory")
    with pytest.raises(VirtError, match="title can't contain newlines"):
        dom.set_metadata(D.METADATA_TITLE, "two\nlines")


def test_rename_needs_a_shut_off_domain(conn):
    dom = conn.lookup_domain_by_name("test")
    with pytest.raises(VirtError, match="cannot rename active domain"):
        dom.rename("other")
    dom.destroy()
    dom.rename("other")
    assert conn.lookup_domain_by_name("other").uuid() == dom.uuid()


def test_save_and_restore(conn, tmp_path):
    dom = conn.lookup_domain_by_name("test")
    image = str(tmp_path / "test.sav")
    dom.save(image)
    assert dom.state() == (D.SHUTOFF, D.SHUTOFF_SAVED)
    assert conn.save_image_get_xml(image).startswith("<domain type='test'>\n  <name>test</name>")
    conn.restore_domain(image)
    assert dom.state() == (D.RUNNING, D.RUNNING_RESTORED)
    with pytest.raises(VirtError, match="cannot read domain image '%s': No such file"
                       % (tmp_path / "missing.sav")):
        conn.restore_domain(str(tmp_path / "missing.sav"))


def test_managed_save_blocks_undefine(conn):
    dom = conn.lookup_domain_by_name("test")
    dom.managed_save()
    assert dom.has_managed_save() and not dom.is_active()
    with pytest.raises(VirtError, match="Refusing to undefine"):
        dom.undefine()
    dom.undefine(D.UNDEFINE_MANAGED_SAVE)
    assert conn.list_all_domains(D.LIST_ACTIVE | D.LIST_INACTIVE) == []


def test_read_only_connection_refuses_changes():
    conn = drivers.open("test:///default", readonly=True)
    dom = conn.lookup_domain_by_name("test")
    with pytest.raises(VirtError, match="read only access prevents virDomainDestroy$"):
        dom.destroy()
    assert dom.state()[0] == D.RUNNING


@needs_lab
def test_node_file_states_and_extras():
    conn = drivers.open("test://" + LAB)
    states = {d.name(): (d.id(), d.state(), d.is_persistent(), d.has_managed_save())
              for d in conn.list_all_domains(D.LIST_ACTIVE | D.LIST_INACTIVE)}
    assert states == {
        "web": (1, (D.RUNNING, 0), True, False),
        "db": (-1, (D.SHUTOFF, 0), True, False),
        "cache": (2, (D.PAUSED, 0), True, False),
        "batch": (3, (D.RUNNING, 0), False, False),
        "archive": (-1, (D.SHUTOFF, 0), True, True),
    }
    web = conn._domain_records["11111111-2222-3333-4444-000000000001"]
    assert len(web.snapshot_elems) == 2
    assert conn.node_info == ("i686", 16777216, 12, 2400, 1, 1, 6, 2)
    assert "test:" not in conn.lookup_domain_by_name("web").xml_desc()


def test_node_file_with_included_domain(tmp_path):
    (tmp_path / "dom.xml").write_text(domain_xml())
    (tmp_path / "node.xml").write_text("<node><domain file='dom.xml'/></node>")
    conn = drivers.open("test://%s/node.xml" % tmp_path)
    assert conn.lookup_domain_by_name("extra").id() == 1
    assert conn.node_info == node.DEFAULT_NODE_INFO


def test_node_file_errors(tmp_path, capsys):
    missing = str(tmp_path / "none.xml")
    with pytest.raises(VirtError, match="failed to parse xml document '%s'" % missing):
        drivers.open("test://" + missing)
    assert 'I/O warning : failed to load external entity "%s"' % missing in capsys.readouterr().err
    bad = tmp_path / "bad.xml"
    bad.write_text(textwrap.dedent("""\
        <node>
          <x>
        </node>"""))
    with pytest.raises(VirtError) as err:
        drivers.open("test://%s" % bad)
    assert str(err.value).startswith("%s:3: Opening and ending tag mismatch: x line 2 and node"
                                     % bad)
    (tmp_path / "foo.xml").write_text("<foo/>")
    with pytest.raises(VirtError, match="expecting root element of 'node', not 'foo'"):
        drivers.open("test://%s/foo.xml" % tmp_path)
