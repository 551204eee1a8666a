"""Object names built to break things: quotes, blanks, shell syntax, ``;``,
newlines, ``../``, 300 characters and 246 (which fit a file name).

For domains, networks, pools, volumes and snapshots, each name is defined,
dumped and removed again, on test:///default (in one process, the node
lives in memory) and on qemu:///embed?root=TMP (one process per step, the
state is on disk).  Whatever virtsh accepts must come back unchanged in
the dumped XML; whatever it refuses must be refused with ``error:`` lines.
Never may a name reach a shell (the payloads would create a file) or a
path outside the state tree (checked by walking the folders after every
step).
"""
import io
import os
import re
import sys

import pytest
from lxml import etree

from virtsh.main import main

# what engine.report_unexpected prints for a bug: "error: KeyError: 'x'"
PYTHON_ERROR = re.compile(r"^error: [A-Z][A-Za-z]*(Error|Exception)(: |$)", re.M)

NAMES = [
    "it's \"quoted\"",
    "with  spaces ",
    "$(touch pwned-subst)",
    "`touch pwned-tick`",
    "a;touch pwned-semi",
    "a|touch pwned-pipe&",
    "line\nbreak",
    "../../../escape",
    "..",
    "-leading-dash",
    "<&amp;>",
    "%s%n%x",
    "\u00e9l\u00e8ve-\u4e2d",
    "x" * 300,
    "y" * 246,          # fits a file name (NAME.xml), not with a longer temp suffix
]


def quote(word):
    """*word* as one argument of a virsh command string."""
    return '"%s"' % word.replace("\\", "\\\\").replace('"', '\\"')


def xml_text(text):
    elem = etree.Element("x")
    elem.text = text
    return etree.tostring(elem, encoding="unicode")[3:-4]


def run(*argv):
    """virtsh's entry point in-process: (status, stdout, stderr)."""
    streams = [io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
               for _ in range(2)]
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr = streams
    sys.stdin = io.StringIO("")
    try:
        status = main(list(argv))
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved
    out, err = (s.buffer.getvalue().decode("utf-8", "replace") for s in streams)
    return status, out, err


def assert_clean(status, out, err):
    """Success, or a refusal in virsh's form; never a Python error."""
    assert "Traceback" not in out + err and not PYTHON_ERROR.search(err), err
    if status:
        assert status == 1 and err.startswith("error: "), (status, out, err)


def name_in(xml, tag="name"):
    return etree.fromstring(xml.encode()).findtext(tag)


# --- documents ------------------------------------------------------------------
def domain_xml(name, kind="test"):
    return ("<domain type='%s'><name>%s</name><memory unit='MiB'>64</memory>"
            "<os><type arch='x86_64'>hvm</type></os></domain>" % (kind, xml_text(name)))


def network_xml(name):
    return "<network><name>%s</name></network>" % xml_text(name)


def pool_xml(name, path):
    return ("<pool type='dir'><name>%s</name><target><path>%s</path></target></pool>"
            % (xml_text(name), path))


def volume_xml(name):
    return ("<volume><name>%s</name><capacity unit='KiB'>64</capacity>"
            "<target><format type='raw'/></target></volume>" % xml_text(name))


def snapshot_xml(name):
    return "<domainsnapshot><name>%s</name></domainsnapshot>" % xml_text(name)


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A scratch working directory (where a shell payload would land)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    monkeypatch.chdir(docs)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    yield tmp_path
    assert not [p for p in tmp_path.rglob("pwned*")], "a name reached a shell"


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- test:///default ----------------------------------------------------------------
KINDS = {
    # kind: (document, define, dumpxml, remove)
    "domain": (domain_xml, "define", "dumpxml --domain", "undefine --domain"),
    "network": (network_xml, "net-define", "net-dumpxml --network",
                "net-undefine --network"),
    "pool": (lambda n: pool_xml(n, "/srv/hostile"), "pool-define", "pool-dumpxml --pool",
             "pool-undefine --pool"),
    "volume": (volume_xml, "vol-create --pool default-pool", "vol-dumpxml --pool default-pool --vol",
               "vol-delete --pool default-pool --vol"),
    "snapshot": (snapshot_xml, "snapshot-create --domain test --xmlfile",
                 "snapshot-dumpxml --domain test --snapshotname",
                 "snapshot-delete --domain test --snapshotname"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_names_on_the_test_driver_round_trip_or_are_refused(work, kind, name):
    document, define, dump, remove = KINDS[kind]
    path = write(work / "docs", "obj.xml", document(name))
    status, out, err = run("-c", "test:///default", "%s %s" % (define, quote(path)))
    assert_clean(status, out, err)
    if status:
        return                          # refused: nothing else to check
    steps = [(define, path), (dump, name), (remove, name), (dump, name)]
    script = "; echo ===; ".join("%s %s" % (cmd, quote(arg)) for cmd, arg in steps)
    status, out, err = run("-c", "test:///default", script)
    assert status == 1, (out, err)                  # the last dump finds nothing
    assert (1, err) == run("-c", "test:///default", "%s %s" % (dump, quote(name)))[::2]
    assert name_in(out.split("===\n")[1]) == name
    assert list((work / "docs").iterdir()) == [work / "docs" / "obj.xml"]


# --- qemu:///embed -------------------------------------------------------------------
def walk(root):
    """Every path under *root*, checked to stay inside it."""
    found = []
    real_root = os.path.realpath(root)
    for folder, dirs, files in os.walk(root):
        for entry in dirs + files:
            path = os.path.join(folder, entry)
            target = os.path.realpath(path)
            assert target == real_root or target.startswith(real_root + os.sep), path
            found.append(os.path.relpath(path, root))
    return found


def assert_confined(work):
    """Nothing but the state tree, the pools folder and the document."""
    assert {p.name for p in work.iterdir()} <= {"config", "docs", "pools", "root"}
    assert [p.name for p in (work / "docs").iterdir()] == ["obj.xml"]
    walk(work / "root")


@pytest.fixture
def embed(work):
    root = work / "root"
    root.mkdir()
    uri = "qemu:///embed?root=%s" % root

    def virtsh(*words):
        status, out, err = run("-c", uri, *words)
        assert_clean(status, out, err)
        assert_confined(work)
        return status, out, err
    return virtsh


def _roundtrip(embed, work, define, dump, remove, name, document, listing):
    path = write(work / "docs", "obj.xml", document)
    status, _, _ = embed(*define, path)
    if status:
        return False
    status, out, err = embed(*dump, name)
    assert status == 0, err
    assert name_in(out) == name
    status, out, err = embed(*remove, name)
    assert status == 0, err
    status, out, err = embed(*listing)
    assert name not in out
    return True


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_domain_names_stay_in_the_embed_tree(work, embed, name):
    if _roundtrip(embed, work, ["define"], ["dumpxml", "--domain"], ["undefine", "--domain"],
                  name, domain_xml(name, "qemu"), ["list", "--all", "--name"]):
        leftovers = [p for p in walk(work / "root") if p.startswith("etc/qemu/") and
                     p.endswith(".xml")]
        assert leftovers == []


@pytest.mark.parametrize("kind", ["domain", "network"])
def test_a_name_as_long_as_a_file_name_allows_is_defined(work, embed, kind):
    """libvirt 9.0 defines a domain or network of a 246-character name
    (its NAME.xml fits in 255 bytes): so must virtsh, whatever its own
    temporary files are called."""
    name = "y" * 246
    document, define, dump, remove = KINDS[kind]
    path = write(work / "docs", "obj.xml", document(name) if kind == "network"
                 else domain_xml(name, "qemu"))
    status, _, err = embed(define, path)
    assert status == 0, err
    status, out, err = embed(*dump.split(), name)
    assert status == 0 and name_in(out) == name, err
    assert embed(*remove.split(), name)[0] == 0
    assert [p for p in walk(work / "root") if ".tmp" in p] == []


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_network_names_stay_in_the_embed_tree(work, embed, name):
    _roundtrip(embed, work, ["net-define"], ["net-dumpxml", "--network"],
               ["net-undefine", "--network"], name, network_xml(name),
               ["net-list", "--all", "--name"])


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_pool_and_volume_names_stay_in_the_embed_tree(work, embed, name):
    pools = work / "pools"
    target = pools / "a" / "b" / "p"        # "../../../x" would land in pools/
    _roundtrip(embed, work, ["pool-define"], ["pool-dumpxml", "--pool"],
               ["pool-undefine", "--pool"], name, pool_xml(name, target),
               ["pool-list", "--all", "--name"])
    path = write(work / "docs", "obj.xml", pool_xml("vols", target))
    assert embed("pool-define", path)[0] == 0
    assert embed("pool-build", "vols")[0] == 0
    assert embed("pool-start", "vols")[0] == 0
    status, _, _ = embed("vol-create-as", "--pool", "vols", "--name", name,
                         "--capacity", "64K", "--format", "raw")
    files = [os.path.join(folder, f) for folder, _, names in os.walk(pools) for f in names]
    assert all(os.path.dirname(f) == str(target) for f in files), files
    if status == 0:
        assert len(files) == 1
        status, out, err = embed("vol-dumpxml", "--pool", "vols", "--vol", name)
        assert status == 0 and name_in(out) == name, err
        assert embed("vol-delete", "--pool", "vols", "--vol", name)[0] == 0
        assert os.listdir(target) == []


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_snapshot_names_stay_in_the_embed_tree(work, embed, name):
    path = write(work / "docs", "obj.xml", domain_xml("snapped", "qemu"))
    assert embed("define", path)[0] == 0
    path = write(work / "docs", "obj.xml",
                 "<domainsnapshot><name>%s</name><state>shutoff</state>"
                 "<creationTime>1700000000</creationTime>%s</domainsnapshot>"
                 % (xml_text(name), domain_xml("snapped", "qemu")))
    status, _, _ = embed("snapshot-create", "--domain", "snapped", "--xmlfile", path,
                         "--redefine")
    if status == 0:
        status, out, err = embed("snapshot-dumpxml", "--domain", "snapped",
                                 "--snapshotname", name)
        assert status == 0 and name_in(out) == name, err
        assert embed("snapshot-delete", "--domain", "snapped", "--snapshotname", name,
                     "--metadata")[0] == 0
    assert embed("undefine", "--domain", "snapped", "--snapshots-metadata")[0] == 0


@pytest.mark.parametrize("command", ["define", "create", "net-define", "cpu-compare"])
def test_external_entities_are_never_read(work, command):
    """A DOCTYPE naming a host file does not pull the file into a name."""
    root = {"net-define": "network", "cpu-compare": "cpu"}.get(command, "domain")
    body = {"domain": "<domain type='test'><name>n&x;</name><memory>65536</memory>"
                      "<os><type>hvm</type></os></domain>",
            "network": "<network><name>n&x;</name></network>",
            "cpu": "<cpu><model>&x;</model></cpu>"}[root]
    path = write(work / "docs", "obj.xml", '<!DOCTYPE %s [<!ENTITY x SYSTEM '
                 '"file:///etc/passwd">]>\n%s' % (root, body))
    status, out, err = run("-c", "test:///default",
                           "%s %s; list --all --name; net-list --all --name" % (command, path))
    assert_clean(status, out, err)
    assert "root:" not in out + err
