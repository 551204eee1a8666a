"""``--json`` on listing and info commands: one JSON document a script can
load, with numbers, booleans and nulls where virsh prints text.

The main paths run through the real entry point; the rest in-process on a
Control writing to buffers.  tests/data/json-node.xml is the node file whose
values the tests assert.
"""
import io
import json
import os
import re
import subprocess
import sys

from virtsh import commands
from virtsh.control import Control
from virtsh.engine import run_string
from virtsh.jsonshapes import SHAPES

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NODE = "test://%s" % os.path.join(ROOT, "tests", "data", "json-node.xml")
ALPHA_UUID = "aaaaaaaa-0000-4000-8000-000000000001"


def virtsh(*argv, uri=NODE):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIBVIRT_", "VIRSH_"))}
    env["LC_ALL"] = "C"
    return subprocess.run([sys.executable, "-m", "virtsh", "-c", uri, *argv],
                          capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL)


def document(*argv, uri=NODE):
    """The JSON document a one-command virtsh run prints."""
    r = virtsh(*argv, uri=uri)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    return json.loads(r.stdout)


def run_json(text, uri=NODE):
    """The documents the commands of *text* print, run in this process with
    -q (so that commands without --json print nothing here)."""
    ctl = Control(uri=uri, quiet=True)
    ctl.out, ctl.err = io.StringIO(), io.StringIO()
    assert run_string(ctl, text), ctl.err.getvalue()
    decoder = json.JSONDecoder()
    out, docs, pos = ctl.out.getvalue(), [], 0
    while True:
        pos = len(out) - len(out[pos:].lstrip())
        if pos >= len(out):
            return docs
        doc, pos = decoder.raw_decode(out, pos)
        docs.append(doc)


def one(text, uri=NODE):
    docs = run_json(text, uri)
    assert len(docs) == 1
    return docs[0]


# --- end to end -------------------------------------------------------------

def test_list_gives_ids_names_and_states_of_every_domain():
    doms = document("list", "--all", "--json")
    assert [(d["id"], d["name"], d["state"]) for d in doms] == [
        (1, "alpha", "running"), (2, "gamma", "running"), (None, "beta", "shut off")]
    assert {d["name"]: d["persistent"] for d in doms} == {
        "alpha": True, "gamma": False, "beta": True}
    assert doms[0]["uuid"] == ALPHA_UUID
    assert "title" not in doms[0]


def test_json_wins_over_layout_options_and_quiet():
    r = virtsh("-q", "list --all --name --json")
    assert r.returncode == 0
    assert [d["name"] for d in json.loads(r.stdout)] == ["alpha", "gamma", "beta"]


def test_text_stays_the_default():
    r = virtsh("list")
    assert r.stdout.splitlines()[0].split() == ["Id", "Name", "State"]


def test_dominfo_gives_numbers_in_kib_and_booleans():
    info = document("dominfo", "alpha", "--json")
    assert info["id"] == 1 and info["name"] == "alpha" and info["uuid"] == ALPHA_UUID
    assert info["state"] == "running"
    assert info["vcpus"] == 2
    assert info["max_memory_kib"] == 1048576
    assert info["used_memory_kib"] == 524288
    assert isinstance(info["cpu_time_ns"], int)
    assert (info["persistent"], info["autostart"], info["managed_save"]) == (
        True, False, False)
    assert info["messages"] == []


def test_dominfo_of_a_shut_off_domain_has_null_id():
    info = document("dominfo", "beta", "--json")
    assert info["id"] is None
    assert info["state"] == "shut off"
    assert info["managed_save"] is True


def test_failure_is_an_error_line_not_a_document():
    r = virtsh("dominfo", "nosuch", "--json")
    assert r.returncode == 1
    assert r.stdout.strip() == ""
    assert r.stderr.startswith("error: failed to get domain 'nosuch'")


def test_default_node_list():
    doms = document("list", "--json", uri="test:///default")
    assert doms == [{"id": 1, "name": "test", "state": "running", "persistent": True,
                     "uuid": "6695eb01-f6a4-8304-79aa-97f2502e193f"}]


# --- in-process: domains ----------------------------------------------------

def test_list_title_and_managed_save_state():
    doms = one("list --all --title --managed-save --json")
    assert {d["name"]: (d["state"], d["title"]) for d in doms} == {
        "alpha": ("running", "Alpha box"), "gamma": ("running", ""),
        "beta": ("saved", "")}


def test_list_filters_apply():
    assert [d["name"] for d in one("list --all --transient --json")] == ["gamma"]


def test_domstate_always_has_the_reason():
    assert one("domstate alpha --json") == {"state": "running", "reason": "unknown"}
    assert one("destroy alpha; domstate alpha --json")["state"] == "shut off"


def test_domblklist_nulls_for_missing_source():
    assert one("domblklist alpha --json") == [
        {"type": "file", "device": "disk", "target": "vda", "source": "/srv/alpha.img"},
        {"type": "file", "device": "cdrom", "target": "sdb", "source": None}]


def test_domblkinfo_sizes_in_bytes():
    single = one("domblkinfo alpha vda --json")
    assert single["device"] == "vda"
    assert all(isinstance(single[k], int) for k in
               ("capacity_bytes", "allocation_bytes", "physical_bytes"))
    every = one("domblkinfo alpha --all --human --json")
    assert every[0] == single
    assert every[1] == {"device": "sdb", "capacity_bytes": None,
                        "allocation_bytes": None, "physical_bytes": None}


def test_domiflist_and_domifaddr():
    nics = one("domiflist alpha --json")
    assert [(n["type"], n["source"], n["model"], n["mac"]) for n in nics] == [
        ("network", "lan", "virtio", "52:54:00:0a:00:01")]
    addrs = one("domifaddr test --json", uri="test:///default")
    assert addrs == [{"name": "testnet0", "mac": "aa:bb:cc:dd:ee:ff", "addresses": [
        {"type": "ipv4", "address": "192.168.122.3", "prefix": 24}]}]


def test_counters_are_numbers_keyed_by_field():
    blk = one("domblkstat test vda --json", uri="test:///default")
    assert blk["device"] == "vda"
    assert {"rd_req", "rd_bytes", "wr_req", "wr_bytes"} <= set(blk["stats"])
    assert all(isinstance(v, int) and v >= 0 for v in blk["stats"].values())
    nic = one("domifstat test testnet0 --json", uri="test:///default")
    assert nic["interface"] == "testnet0"
    assert {"rx_bytes", "tx_bytes"} <= set(nic["stats"])
    mem = one("dommemstat test --json", uri="test:///default")
    assert mem["actual"] == 2097152


def test_domstats_keeps_typed_values():
    stats = one("domstats --state --json alpha beta")
    assert [(d["name"], d["stats"]["state.state"]) for d in stats] == [
        ("alpha", 1), ("beta", 5)]


def test_vcpucount_and_vcpuinfo():
    assert one("vcpucount alpha --json") == {
        "maximum": {"config": 3, "live": 3}, "current": {"config": 2, "live": 2}}
    assert one("vcpucount alpha --maximum --config --json") == {"vcpus": 3}
    assert one("vcpucount beta --json")["current"] == {"config": 1, "live": None}
    running = one("vcpuinfo alpha --json")
    assert [v["vcpu"] for v in running] == [0, 1]
    assert running[0]["state"] == "running"
    assert running[0]["affinity"] == list(range(8))
    off = one("vcpuinfo beta --json")
    assert off == [{"vcpu": 0, "cpu": None, "state": None, "cpu_time_ns": None,
                    "affinity": list(range(8))}]


def test_tuning_parameters():
    assert one("schedinfo alpha --json") == {"scheduler": "fair",
                                             "params": {"weight": 50}}
    tune = one("memtune alpha 1048576 --config; memtune alpha --config --json")
    assert tune["hard_limit_kib"] == 1048576
    assert tune["soft_limit_kib"] is None        # unlimited
    assert one("blkiotune alpha --json")["weight"] == 0
    assert one("iothreadinfo alpha --json") == []


# --- in-process: snapshots and checkpoints ----------------------------------

def test_snapshot_list_and_info():
    snaps = one("snapshot-list alpha --json")
    assert snaps == [
        {"name": "first", "creation_time": 1700000000, "state": "shutoff",
         "location": "internal", "parent": None},
        {"name": "second", "creation_time": 1700000600, "state": "running",
         "location": "internal", "parent": "first"}]
    assert [s["name"] for s in one("snapshot-list alpha --roots --json")] == ["first"]
    assert one("snapshot-list alpha --tree --from first --json") == snaps[1:]
    info = one("snapshot-info alpha first --json")
    assert info == {"name": "first", "domain": "alpha", "current": False,
                    "state": "shutoff", "location": "internal", "parent": None,
                    "children": 1, "descendants": 1, "metadata": True}


def test_checkpoint_list():
    chks = one("checkpoint-create-as test c1; checkpoint-create-as test c2; "
               "checkpoint-list test --json", uri="test:///default")
    assert [(c["name"], c["parent"]) for c in chks] == [("c1", None), ("c2", "c1")]
    assert all(isinstance(c["creation_time"], int) for c in chks)


# --- in-process: networks, storage, host --------------------------------------

def test_networks():
    assert one("net-list --all --json") == [
        {"name": "lan", "uuid": "bbbbbbbb-0000-4000-8000-000000000001",
         "active": True, "autostart": False, "persistent": True}]
    info = one("net-info lan --json")
    assert (info["active"], info["bridge"]) == (True, "virbr9")
    assert one("net-destroy lan; net-list --json") == []


def test_pools_and_volumes():
    pools = one("pool-list --all --json")
    assert [(p["name"], p["state"], p["persistent"]) for p in pools] == [
        ("store", "running", True)]
    assert isinstance(pools[0]["capacity_bytes"], int)
    info = one("pool-destroy store; pool-info store --json")
    assert info["state"] == "inactive" and info["capacity_bytes"] is None
    vols = one("vol-list store --json")
    assert [(v["name"], v["capacity_bytes"], v["allocation_bytes"], v["path"])
            for v in vols] == [
        ("big.img", 2 << 30, 1 << 30, "/srv/store/big.img"),
        ("small.img", 64 << 20, 16 << 20, "/srv/store/small.img")]
    assert one("vol-info small.img --pool store --json") == {
        "name": "small.img", "type": "file", "capacity_bytes": 64 << 20,
        "allocation_bytes": 16 << 20}


def test_host_interfaces_and_node():
    assert one("iface-list --all --json") == [
        {"name": "eth0", "active": True, "mac": "00:16:3e:00:00:01"}]
    assert one("nodeinfo --json") == {
        "cpu_model": "i686", "cpus": 8, "cpu_mhz": 3000, "cpu_sockets": 1,
        "cores_per_socket": 4, "threads_per_core": 2, "numa_cells": 1,
        "memory_kib": 8388608}
    cpu = one("nodecpustats --json")
    assert set(cpu) == {"user_ns", "system_ns", "idle_ns", "iowait_ns"}
    version = one("version --daemon --json")
    assert version["library_version"] == "9.0.0"
    assert version["hypervisor_type"] == "TEST"
    assert version["daemon_version"] == "9.0.0"


def test_freecell_total():
    free = one("freecell --all --json", uri="test:///default")
    assert free["total_kib"] == sum(c["free_kib"] for c in free["cells"])
    assert [c["cell"] for c in free["cells"]] == [0, 1]


def test_secrets_and_filters_on_an_embedded_qemu_root(tmp_path):
    xml = tmp_path / "secret.xml"
    xml.write_text("<secret ephemeral='no' private='no'>"
                   "<uuid>eeeeeeee-0000-4000-8000-000000000001</uuid>"
                   "<usage type='volume'><volume>/srv/x.img</volume></usage>"
                   "</secret>")
    uri = "qemu:///embed?root=%s" % (tmp_path / "root")
    assert one("secret-define %s; secret-list --json" % xml, uri=uri) == [
        {"uuid": "eeeeeeee-0000-4000-8000-000000000001", "usage_type": "volume",
         "usage_id": "/srv/x.img"}]
    assert one("nwfilter-list --json", uri=uri) == []


# --- declarations and documentation -----------------------------------------

def _json_commands():
    return {name for name, cmd in commands.load_all().items()
            if cmd.name == name and cmd.option("json") is not None}


def test_every_json_command_has_a_documented_shape():
    assert _json_commands() == set(SHAPES)


def test_man_page_describes_every_shape():
    with open(os.path.join(ROOT, "man", "virtsh.1")) as f:
        page = f.read()
    section = page.split(".SH JSON OUTPUT", 1)[1].split("\n.SH", 1)[0]
    documented = set(re.findall(r"^\\fB(\S+) \\-\\-json\\fR$", section, flags=re.M))
    assert {name.replace("\\-", "-") for name in documented} == set(SHAPES)
