"""Snapshot and checkpoint XML (xmlconf.snapshot / xmlconf.checkpoint), the
moment tree behind both (drivers.moments) and virsh's tree layout."""
import pytest

from virtsh.drivers.errors import VirtError
from virtsh.drivers.moments import MomentTree
from virtsh.tree import tree_lines
from virtsh.xmlconf import checkpoint as xc
from virtsh.xmlconf import domain as xd
from virtsh.xmlconf import snapshot as xs

DOMAIN = """<domain type='test'>
  <name>vm</name><uuid>11111111-2222-3333-4444-555555555555</uuid>
  <memory>1024</memory><os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><source file='/img/a.qcow2'/><target dev='vda'/></disk>
    <disk type='file' device='cdrom'><source file='/iso/b.iso'/><target dev='hdc'/></disk>
    <disk type='file' device='cdrom'><target dev='hdd'/></disk>
  </devices>
</domain>"""


def error_of(call, *args):
    with pytest.raises(VirtError) as e:
        call(*args)
    return str(e.value)


# --- snapshot parsing ------------------------------------------------------------

def test_new_snapshot_gets_time_as_name():
    defn = xs.parse("<domainsnapshot><description>d</description></domainsnapshot>")
    assert defn.name == str(defn.creation_time) and defn.creation_time > 1600000000
    assert defn.description == "d" and defn.state == 0 and defn.memory == xs.LOC_DEFAULT


def test_recorded_snapshot_round_trips():
    text = ("<domainsnapshot>\n  <name>s</name>\n  <state>paused</state>\n"
            "  <parent>\n    <name>p</name>\n  </parent>\n"
            "  <creationTime>1600000000</creationTime>\n"
            "  <memory snapshot='external' file='/m'/>\n"
            "  <disks>\n    <disk name='vda' snapshot='external' type='file'>\n"
            "      <driver type='qcow2'/>\n      <source file='/x'/>\n    </disk>\n"
            "  </disks>\n</domainsnapshot>\n")
    defn = xs.parse(text, xs.PARSE_REDEFINE)
    assert (defn.state_name, defn.parent_name, defn.online) == ("paused", "p", True)
    expected = text.replace("</domainsnapshot>", "  <domain>\n    <uuid>U</uuid>\n"
                            "  </domain>\n</domainsnapshot>")
    assert xs.format(defn, uuid="U") == expected
    assert defn.is_external()


def test_cookie_of_an_online_snapshot_is_kept():
    text = ("<domainsnapshot>\n  <name>s</name>\n  <state>running</state>\n"
            "  <creationTime>5</creationTime>\n  <memory snapshot='internal'/>\n"
            "  <cookie>\n    <cpu mode='custom'>\n      <model>qemu64</model>\n"
            "    </cpu>\n  </cookie>\n</domainsnapshot>\n")
    assert xs.format(xs.parse(text, xs.PARSE_REDEFINE)) == text


def test_recorded_offline_snapshot_defaults_memory_to_no():
    defn = xs.parse("<domainsnapshot><name>s</name><state>shutoff</state>"
                    "<creationTime>5</creationTime></domainsnapshot>", xs.PARSE_REDEFINE)
    assert defn.memory == xs.LOC_NO
    assert xs.format(defn, internal=True, current=True).endswith(
        "  <memory snapshot='no'/>\n  <active>1</active>\n</domainsnapshot>\n")


@pytest.mark.parametrize("body,flags,message", [
    ("<memory snapshot='bogus'/>", 0,
     "XML error: Invalid value for attribute 'snapshot' in element 'memory': 'bogus'."),
    ("<memory snapshot='external'/>", 0,
     "XML error: external memory snapshots require a filename"),
    ("<memory snapshot='internal' file='/a'/>", 0,
     "XML error: memory filename '/a' requires external snapshot"),
    ("<memory file='rel'/>", 0, "XML error: memory snapshot file path (rel) must be absolute"),
    ("<disks><disk/></disks>", 0, "internal error: missing name from disk snapshot element"),
    ("<disks><disk name='vda' type='dir'/></disks>", 0,
     "XML error: unsupported disk snapshot type 'dir'"),
    ("<disks><disk name='vda'><driver type='x'/></disk></disks>", 0,
     "unsupported configuration: unknown disk snapshot driver 'x'"),
    ("<name>s</name><creationTime>5</creationTime>", xs.PARSE_REDEFINE,
     "XML error: missing state from existing snapshot"),
    ("<name>s</name><state>nostate</state><creationTime>5</creationTime>",
     xs.PARSE_REDEFINE,
     "unsupported configuration: Invalid state 'nostate' in domain snapshot XML"),
    ("<name>s</name><state>running</state>", xs.PARSE_REDEFINE,
     "internal error: missing creationTime from existing snapshot"),
    ("", xs.PARSE_REDEFINE, "XML error: a redefined snapshot must have a name"),
])
def test_snapshot_parse_errors(body, flags, message):
    assert error_of(xs.parse, "<domainsnapshot>%s</domainsnapshot>" % body, flags) == message


def test_wrong_root_element():
    assert error_of(xs.parse, "<domaincheckpoint/>") == (
        "XML error: expecting root element of 'domainsnapshot', not 'domaincheckpoint'")


# --- snapshot disk alignment -------------------------------------------------------

def test_align_fills_every_domain_disk_in_order():
    defn = xs.parse("<domainsnapshot><disks><disk name='/img/a.qcow2'/></disks>"
                    "</domainsnapshot>")
    defn.dom = xd.parse(DOMAIN)
    xs.align_disks(defn, xs.LOC_INTERNAL, True)
    # named by source path; a cdrom is read-only, hdd also empty: 'no'
    assert [(d.name, xs.LOCATIONS[d.snapshot]) for d in defn.disks] == [
        ("vda", "internal"), ("hdc", "no"), ("hdd", "no")]


@pytest.mark.parametrize("disks,message", [
    ("<disk name='vdz'/>", "unsupported configuration: no disk named 'vdz'"),
    ("<disk name='vda'/><disk name='vda'/>",
     "unsupported configuration: disk 'vda' specified twice"),
    ("<disk name='vda' snapshot='external'/>",
     "unsupported configuration: disk 'vda' must use snapshot mode 'internal'"),
])
def test_align_errors(disks, message):
    defn = xs.parse("<domainsnapshot><disks>%s</disks></domainsnapshot>" % disks)
    defn.dom = xd.parse(DOMAIN)
    assert error_of(xs.align_disks, defn, xs.LOC_INTERNAL, True) == message


# --- checkpoints -----------------------------------------------------------------

def test_checkpoint_bitmaps_for_writable_disks():
    defn = xc.parse("<domaincheckpoint><name>c</name></domaincheckpoint>")
    defn.dom = xd.parse(DOMAIN)
    xc.align_disks(defn)
    text = xc.format(defn, no_domain=True)
    assert text.split("\n")[4:8] == [
        "    <disk name='vda' checkpoint='bitmap' bitmap='c'/>",
        "    <disk name='hdc' checkpoint='no'/>",
        "    <disk name='hdd' checkpoint='no'/>", "  </disks>"]
    assert "<domain type='test'>" in xc.format(defn) and "<domain " not in text


def test_checkpoint_schema_and_redefine_errors():
    assert error_of(xc.parse, "<domaincheckpoint><bogus/></domaincheckpoint>").endswith(
        "Element domaincheckpoint has extra content: bogus")
    assert error_of(xc.parse, "<domaincheckpoint><name>a</name></domaincheckpoint>",
                    xc.PARSE_REDEFINE) == (
        "internal error: missing creationTime from existing checkpoint")


# --- the moment tree ---------------------------------------------------------------

class Defn:
    def __init__(self, name, parent_name=None):
        self.name, self.parent_name = name, parent_name


def build(*pairs):
    tree = MomentTree()
    for name, parent in pairs:
        tree.link(tree.add(Defn(name, parent)))
    return tree


def names(moments):
    return [m.name for m in moments]


def test_tree_orders_children_newest_first():
    tree = build(("a", None), ("b", "a"), ("c", "a"), ("d", "b"))
    assert names(tree.descendants()) == ["a", "c", "b", "d"]
    assert names(tree.select(tree.get("a"))) == ["c", "b"]
    assert names(tree.select(leaves=True, topological=True)) == ["c", "d"]
    assert names(tree.select(roots=True)) == ["a"]


def test_tree_refuses_duplicates_and_cycles():
    tree = build(("a", None), ("b", "a"))
    assert error_of(tree.add, Defn("a")) == "operation failed: domain moment a already exists"
    assert error_of(tree.check_cycles, Defn("a", "b")) == (
        "invalid argument: parent b would create cycle to a")
    assert error_of(tree.check_cycles, Defn("x", "zz")) == (
        "invalid argument: parent zz for moment x not found")


def test_tree_layout():
    entries = [("a", None), ("b", "a"), ("c", "b"), ("d", "a")]
    assert tree_lines(entries, 0) == [
        "a", "  |", "  +- b", "  |   |", "  |   +- c", "  |     ", "  +- d", "    "]
    assert tree_lines([("x", None)], 0) == ["x", ""]
