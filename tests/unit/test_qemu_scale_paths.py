"""The QEMU driver's shortcuts for many domains give the answers the long
way gives: the UUID glance at a definition's head, active-only listing, and
the per-domain list filter that reads only what a flag asks about."""
import os
import shutil

import pytest

from virtsh import drivers
from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError

needs_qemu = pytest.mark.skipif(not shutil.which("qemu-system-x86_64"),
                                reason="qemu-system-x86_64 not installed")

XML = """<domain type='qemu'>
  <name>%s</name>
  <uuid>%s</uuid>
  <memory unit='MiB'>32</memory>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
"""


def uuid_of(i):
    return "00000000-0000-4000-8000-%012d" % i


@pytest.fixture
def conn(tmp_path):
    return drivers.open("qemu:///embed?root=%s" % tmp_path)


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
