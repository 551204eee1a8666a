"""The QEMU driver's shortcuts for speed give the answers the long way
gives: the UUID index (even when files change behind its back) and the
UUID glance at a definition's head, the facts dominfo reads from a
definition's text, the JSON reader of status files, the per-domain list
filter that reads only what a flag asks about, and the API mixins loaded
on first use."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from virtsh import drivers
from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError
from virtsh.drivers.qemu import index, jsontext, quickfacts

needs_qemu = pytest.mark.skipif(not shutil.which("qemu-system-x86_64"),
                                reason="qemu-system-x86_64 not installed")

XML = """<domain type='qemu'>
  <name>%s</name>
  <uuid>%s</uuid>
  <memory unit='MiB'>32</memory>
  <vcpu current='1'>2</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
"""


def uuid_of(i):
    return "00000000-0000-4000-8000-%012d" % i


@pytest.fixture
def conn(tmp_path):
    return drivers.open("qemu:///embed?root=%s" % tmp_path)


def define_some(conn, count):
    for i in range(count):
        conn.define_domain(XML % ("d%d" % i, uuid_of(i)))


def refused(conn, name, uuid):
    with pytest.raises(VirtError) as err:
        conn.define_domain(XML % (name, uuid))
    return str(err.value)


# --- the UUID index -------------------------------------------------------------

def index_links(store):
    """{uuid: name} as the index file holds them."""
    with open(os.path.join(store.tree.cache, "uuids"), "rb") as f:
        return {uuid: name for uuid, name in index._latest(f.read()).items() if name}


@needs_qemu
def test_index_follows_files_changed_behind_its_back(conn):
    define_some(conn, 5)
    store = conn.store
    os.remove(store.config("d1"))                       # undefined by hand
    conn.define_domain(XML % ("new1", uuid_of(1)))      # its UUID is free again
    shutil.copy(store.config("d2"), store.config("twin"))   # copied by hand
    os.remove(store.config("d2"))
    assert "domain 'twin' is already defined with uuid %s" % uuid_of(2) in \
        refused(conn, "other", uuid_of(2))
    assert index_links(store) == {uuid_of(0): "d0", uuid_of(1): "new1", uuid_of(2): "twin",
                                  uuid_of(3): "d3", uuid_of(4): "d4"}


@needs_qemu
def test_defines_and_undefines_keep_the_index_current_without_listing(conn):
    define_some(conn, 3)
    store = conn.store
    listed = []
    read_head = store.uuid_hint
    store.uuid_hint = lambda name: listed.append(name) or read_head(name)
    conn.define_domain(XML % ("d3", uuid_of(3)))
    conn.lookup_domain_by_name("d0").undefine()
    assert listed == ["d0"]             # the undefined one's head, no other
    assert "domain 'd3' is already defined" in refused(conn, "x", uuid_of(3))
    assert listed == ["d0"]
    conn.define_domain(XML % ("y", uuid_of(0)))         # d0's UUID is free
    assert index_links(store) == {uuid_of(0): "y", uuid_of(1): "d1", uuid_of(2): "d2",
                                  uuid_of(3): "d3"}
    assert conn.lookup_domain_by_uuid(uuid_of(3).replace("-", "").upper()).name() == "d3"


@needs_qemu
def test_index_missing_or_corrupt_is_rebuilt(conn):
    define_some(conn, 4)
    path = os.path.join(conn.store.tree.cache, "uuids")
    with open(path + ".lock", "r+") as f:
        f.write("garbage")
    with open(path, "w") as f:
        f.write("\n%s d0" % uuid_of(3))                 # and wrong
    assert "domain 'd3'" in refused(conn, "x", uuid_of(3))
    os.remove(path)
    os.remove(path + ".lock")
    assert "domain 'd0'" in refused(conn, "y", uuid_of(0))
    assert len(index_links(conn.store)) == 4


@needs_qemu
def test_index_is_written_afresh_once_grown(conn, monkeypatch):
    monkeypatch.setattr(index, "REWRITE_MIN", 2000)
    for i in range(40):                 # 60-byte records: past 2,000 bytes twice over
        conn.define_domain(XML % ("d%d" % (i % 3), uuid_of(i % 3)))
        conn.lookup_domain_by_name("d%d" % (i % 3)).undefine()
    conn.define_domain(XML % ("kept", uuid_of(7)))
    assert os.path.getsize(os.path.join(conn.store.tree.cache, "uuids")) < 2000
    assert index_links(conn.store) == {uuid_of(7): "kept"}
    assert "domain 'kept'" in refused(conn, "z", uuid_of(7))


@needs_qemu
def test_renamed_domain_keeps_its_uuid_in_the_index(conn):
    define_some(conn, 2)
    conn.lookup_domain_by_name("d1").rename("moved")
    assert "domain 'moved' is already defined" in refused(conn, "x", uuid_of(1))
    assert index_links(conn.store)[uuid_of(1)] == "moved"


# --- facts from the text ----------------------------------------------------------

CANONICAL = """<domain type='kvm'>
  <name>a</name>
  <uuid>%s</uuid>
  <metadata>
    <app:memory xmlns:app='urn:x'>1</app:memory>
  </metadata>
  <memory unit='KiB'>65536</memory>
  <currentMemory unit='KiB'>32768</currentMemory>
  <vcpu placement='static' current='2'>4</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
  </os>
  <devices>
    <memory model='dimm'>
      <target><size unit='KiB'>1024</size></target>
    </memory>
  </devices>
</domain>
""" % uuid_of(5)


def test_quickfacts_read_top_level_elements_only():
    assert quickfacts.uuid(CANONICAL) == uuid_of(5)
    assert quickfacts.os_type(CANONICAL) == "hvm"
    assert quickfacts.sizes(CANONICAL) == (65536, 32768, 2)


def test_quickfacts_leave_odd_documents_to_the_parser():
    assert quickfacts.sizes(CANONICAL.replace("unit='KiB'>65536", "unit='MiB'>64")) is None
    assert quickfacts.sizes(CANONICAL.replace("  <memory unit='KiB'>65536</memory>\n", "")) is None
    assert quickfacts.uuid("<domain><name>a</name><uuid>x</uuid></domain>") is None
    assert quickfacts.sizes(CANONICAL.replace("current='2'>4", "current='two'>4")) is None


@needs_qemu
def test_dominfo_facts_match_the_parsed_definition(conn):
    conn.define_domain(XML % ("a", uuid_of(1)))
    dom = conn.lookup_domain_by_name("a")
    stored = conn.store.config_xml("a")
    assert quickfacts.sizes(stored) is not None         # the fast way was taken
    root = dom._definition(False).tree
    assert dom.info() == (D.SHUTOFF, 32768, 32768, 1, 0)
    assert dom.uuid() == uuid_of(1) == root.findtext("uuid")
    assert dom.os_type() == root.findtext("os/type")


# --- status JSON --------------------------------------------------------------

@pytest.mark.parametrize("text", [
    '{"id": 3, "pid": 12, "taps": ["vnet0"], "t": 1.5e3, "x": null, "ok": true}',
    ' {"name": "caf\\u00e9"}\n', '[]', '{"a": NaN}'])
def test_jsontext_reads_as_json_does(text):
    assert repr(jsontext.loads(text)) == repr(json.loads(text))


@pytest.mark.parametrize("text", ['{"id": 3', '{"id": 3}}', '', 'nul', '{"a" 1}'])
def test_jsontext_refuses_what_json_refuses(text):
    with pytest.raises(ValueError):
        jsontext.loads(text)
    with pytest.raises(ValueError):
        json.loads(text)


# --- mixins loaded on first use ---------------------------------------------------

@needs_qemu
def test_queries_import_no_mixin_and_mixins_still_answer(tmp_path):
    conn = drivers.open("qemu:///embed?root=%s" % tmp_path)
    conn.define_domain(XML % ("a", uuid_of(1)))
    probe = """if 1:
        import sys
        from virtsh import drivers
        conn = drivers.open(sys.argv[1])
        dom = conn.lookup_domain_by_name("a")
        dom.state(); dom.info(); dom.uuid(); dom.has_managed_save()
        [d.name() for d in conn.list_all_domains(0)]
        print(" ".join(m for m in sys.modules if m.startswith("virtsh.drivers.") or m == "json"))
        print(dom.snapshot_num(), dom.is_persistent())
        """
    out = subprocess.run([sys.executable, "-c", probe, "qemu:///embed?root=%s" % tmp_path],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    loaded = set(out[0].split())
    for module in ("hotplug", "migration", "snapshots", "blockjobs", "events", "saverestore"):
        assert "virtsh.drivers.qemu." + module not in loaded
    assert "virtsh.drivers.localstorage" not in loaded
    assert "json" not in loaded
    assert out[1] == "0 True"


@needs_qemu
def test_lazy_mixins_keep_read_only_and_unsupported_errors(tmp_path):
    drivers.open("qemu:///embed?root=%s" % tmp_path).define_domain(XML % ("a", uuid_of(1)))
    conn = drivers.open("qemu:///embed?root=%s" % tmp_path, readonly=True)
    dom = conn.lookup_domain_by_name("a")
    with pytest.raises(VirtError) as err:
        dom.set_metadata(D.METADATA_TITLE, "t", None, None, 0)
    assert "read only access prevents virDomainSetMetadata" in str(err.value)
    full = type(dom)
    assert full is not type(conn.lookup_domain_by_name("a"))   # loaded on the way
    missing = [name for name in dir(D.Domain)
               if getattr(getattr(D.Domain, name), "virt_api", None)
               and not getattr(D.Domain, name).virt_api[1]
               and getattr(full, name).__module__ == "virtsh.drivers.lazymixins"]
    if missing:                                 # an API no mixin implements
        with pytest.raises(VirtError) as err:
            getattr(dom, missing[0])()
        assert "not supported" in str(err.value)



def test_boot_mark_glance_agrees_with_marking(tmp_path):
    from virtsh.drivers import bootmark
    state = str(tmp_path / "state")
    assert not bootmark.seen_this_boot(state)
    assert bootmark.first_since_boot(state)
    assert bootmark.seen_this_boot(state)
    assert not bootmark.first_since_boot(state)


def test_uuid_hint_reads_live_then_persistent_head(conn):
    store = conn.store
    os.makedirs(store.tree.config, exist_ok=True)
    os.makedirs(store.tree.run, exist_ok=True)
    with open(store.config("a"), "w") as f:
        f.write(XML % ("a", uuid_of(1)))
    assert store.uuid_hint("a") == uuid_of(1)
    with open(store.run("a", "xml"), "w") as f:
        f.write(XML % ("a", uuid_of(2)))
    assert store.uuid_hint("a") == uuid_of(2)
    with open(store.config("far"), "w") as f:     # <uuid> beyond the head
        f.write(XML % ("x" * 2000, uuid_of(3)))
    assert store.uuid_hint("far") is None
    assert store.uuid_hint("missing") is None


@needs_qemu
def test_uuid_made_up_at_define_is_recorded_and_protected(conn):
    """A define without <uuid> skips the index lookup (the made-up UUID is
    new), yet records it: the name stays checked and the UUID taken."""
    no_uuid = XML.replace("  <uuid>%s</uuid>\n", "")
    made = conn.define_domain(no_uuid % "plain").uuid()
    with pytest.raises(VirtError) as err:
        conn.define_domain(no_uuid % "plain")
    assert "domain 'plain' already exists with uuid %s" % made in str(err.value)
    assert refused(conn, "copy", made) == \
        "operation failed: domain 'plain' is already defined with uuid %s" % made
    assert conn.lookup_domain_by_uuid(made).name() == "plain"


@needs_qemu
def test_uuid_taken_among_many_domains_is_refused(conn):
    for i in range(12):
        conn.define_domain(XML % ("d%d" % i, uuid_of(i)))
    with pytest.raises(VirtError) as err:
        conn.define_domain(XML % ("other", uuid_of(7)))
    assert "domain 'd7' is already defined with uuid %s" % uuid_of(7) in str(err.value)
    with pytest.raises(VirtError) as err:
        conn.define_domain(XML % ("d3", uuid_of(99)))
    assert "domain 'd3' already exists with uuid %s" % uuid_of(3) in str(err.value)
    conn.define_domain(XML % ("d3", uuid_of(3)))          # redefining is fine


@needs_qemu
def test_listing_filters_match_each_domains_own_answers(conn):
    for i in range(6):
        conn.define_domain(XML % ("d%d" % i, uuid_of(i)))
    conn.lookup_domain_by_name("d2").set_autostart(True)
    every = conn.list_all_domains(D.LIST_ACTIVE | D.LIST_INACTIVE)
    assert sorted(d.name() for d in every) == ["d%d" % i for i in range(6)]
    assert conn.list_all_domains(D.LIST_ACTIVE) == []
    autostart = conn.list_all_domains(D.LIST_ACTIVE | D.LIST_INACTIVE | D.LIST_AUTOSTART)
    assert [d.name() for d in autostart] == ["d2"]
    shutoff = conn.list_all_domains(D.LIST_INACTIVE | D.LIST_SHUTOFF | D.LIST_NO_SNAPSHOT)
    assert len(shutoff) == 6


# --- lxml's compiled paths ---------------------------------------------------------

def test_lxml_keeps_the_compiled_paths_of_a_define():
    from lxml import _elementpath
    from virtsh.xmlconf import domain
    root = domain.parse_document("<domain><devices/></domain>")
    for i in range(300):                # more than lxml's own limit of 100
        root.findall("devices/disk[@index='%d']" % i)
    assert dict.__len__(_elementpath._cache) >= 300
