"""Snapshot, checkpoint and backup commands through the real entry point,
against test:///default and the lab node (two recorded snapshots of web)."""
import os
import re
import subprocess
import sys

import pytest

DATA = "/work/shared/conformance/cli/data"
LAB = "test://%s/lab.xml" % DATA
TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}")


def virtsh(commands, uri="test:///default", *options):
    env = dict(os.environ, TZ="UTC", LC_ALL="C")
    proc = subprocess.run([sys.executable, "-m", "virtsh", *options, "-c", uri, commands],
                          capture_output=True, text=True, timeout=30, env=env)
    return proc.returncode, proc.stdout, proc.stderr


def ok(commands, uri="test:///default", *options):
    rc, out, err = virtsh(commands, uri, *options)
    assert (rc, err) == (0, ""), err
    return out


# --- snapshots -----------------------------------------------------------------

def test_create_list_and_info():
    out = ok("snapshot-create-as test snap1 'first one'; snapshot-list test; "
             "snapshot-current test --name; snapshot-info test snap1")
    lines = TIME.sub("T", out).split("\n")
    assert lines[:2] == ["Domain snapshot snap1 created",
                         " Name    Creation Time               State"]
    assert lines[3:6] == [" snap1   T   running", "", "snap1"]
    assert lines[6:] == [
        "Name:           snap1", "Domain:         test", "Current:        yes",
        "State:          running", "Location:       internal", "Parent:         -",
        "Children:       0", "Descendants:    0", "Metadata:       yes", "", ""]


def test_tree_shows_branches_in_name_order():
    out = ok("snapshot-create-as test a; snapshot-create-as test b; "
             "snapshot-create-as test c; snapshot-current test a; "
             "snapshot-create-as test d; snapshot-list test --tree", "test:///default", "-q")
    assert out == "a\n  |\n  +- b\n  |   |\n  |   +- c\n  |     \n  +- d\n    \n"


def test_topological_order_is_parents_first_newest_child_first():
    out = ok("snapshot-create-as test a; snapshot-create-as test b; "
             "snapshot-current test a; snapshot-create-as test c; "
             "snapshot-list test --topological --name", "test:///default", "-q")
    assert out == "a\nc\nb\n"


def test_recorded_snapshots_of_a_node_file():
    out = ok("snapshot-list web --parent", LAB)
    assert out.split("\n")[2:4] == [
        " base      2020-09-13 12:26:40 +0000   shutoff   ",
        " patched   2020-09-13 13:26:40 +0000   running   base"]
    dumped = ok("snapshot-dumpxml web base", LAB)
    assert dumped.startswith("<domainsnapshot>\n  <name>base</name>\n"
                             "  <description>clean install</description>\n"
                             "  <state>shutoff</state>\n")
    assert "    <vcpu placement='static'>4</vcpu>\n" in dumped


def test_revert_restores_state_and_reason():
    out = ok("snapshot-create-as test s1; destroy test; snapshot-revert test s1; "
             "domstate test --reason")
    assert out.endswith("Domain snapshot s1 reverted\n\nrunning (from snapshot)\n\n")


def test_revert_to_offline_snapshot_stops_the_domain():
    out = ok("snapshot-revert web base; domstate web --reason; snapshot-current web --name",
             LAB, "-q")
    assert out == "shut off (from snapshot)\nbase"


def test_halt_stops_the_domain_but_records_it_running():
    out = ok("snapshot-create-as test s1 --halt; domstate test; snapshot-dumpxml test s1",
             "test:///default", "-q")
    assert out.startswith("shut off\n<domainsnapshot>\n  <name>s1</name>\n"
                          "  <state>running</state>\n")


def test_delete_reparents_children():
    out = ok("snapshot-delete web base; snapshot-list web --parent", LAB)
    assert out.startswith("Domain snapshot base deleted\n\n")
    assert out.split("\n")[4] == " patched   2020-09-13 13:26:40 +0000   running   "


def test_delete_children_and_children_only():
    out = ok("snapshot-create-as test s1; snapshot-create-as test s2; "
             "snapshot-create-as test s3; snapshot-delete test s2 --children-only; "
             "snapshot-list test --name; snapshot-delete test s1 --children; "
             "snapshot-list test --name", "test:///default", "-q")
    assert out == "s1\ns2\n"


def test_errors_are_virsh_lines():
    rc, out, err = virtsh("snapshot-create-as test s1; snapshot-create-as test s1")
    assert rc == 1
    assert err == "error: operation failed: domain moment s1 already exists\n"
    rc, _, err = virtsh("snapshot-parent web base", LAB)
    assert (rc, err) == (1, "error: snapshot 'base' has no parent\n")
    rc, _, err = virtsh("snapshot-info test")
    assert err == "error: --snapshotname or --current is required\n"
    rc, _, err = virtsh("snapshot-create-as test s --disk-only")
    assert err == ("error: unsupported flags (0x10) in function "
                   "testDomainSnapshotCreateXML\n")
    rc, _, err = virtsh("snapshot-create-as test a; snapshot-delete test a --metadata")
    assert err.split("\n")[0] == "error: Failed to delete snapshot a"


def test_read_only_connection_refuses_creation():
    rc, _, err = virtsh("snapshot-create-as test a", "test:///default", "-r")
    assert rc == 1
    assert "read only access prevents virDomainSnapshotCreateXML" in err


def test_print_xml_escapes_and_lists_disks():
    out = ok("snapshot-create-as --print-xml test name 'a<b' vda,snapshot=no "
             "--memspec /m,snapshot=external")
    assert out == ("<domainsnapshot>\n  <name>name</name>\n"
                   "  <description>a&lt;b</description>\n"
                   "  <memory snapshot='external' file='/m'/>\n"
                   "  <disks>\n    <disk name='vda' snapshot='no'/>\n  </disks>\n"
                   "</domainsnapshot>\n\n\n")


def test_with_snapshot_filter_of_list():
    out = ok("snapshot-create-as test s1; list --with-snapshot --name; "
             "list --without-snapshot --name", "test:///default", "-q")
    assert out == "test\n"


# --- checkpoints and backups -----------------------------------------------------

def test_checkpoint_create_from_file_and_dump_without_domain():
    out = ok("checkpoint-create test %s/checkpoint.xml; "
             "checkpoint-dumpxml test cp-xml --no-domain" % DATA)
    out = re.sub(r"<creationTime>\d+</creationTime>", "<creationTime/>", out)
    assert out == ("Domain checkpoint cp-xml created from '%s/checkpoint.xml'\n"
                   "<domaincheckpoint>\n  <name>cp-xml</name>\n"
                   "  <description>checkpoint from xml</description>\n"
                   "  <creationTime/>\n  <disks>\n"
                   "    <disk name='vda' checkpoint='bitmap' bitmap='cp-xml'/>\n"
                   "  </disks>\n</domaincheckpoint>\n\n" % DATA)


def test_checkpoint_chain_info_and_tree():
    out = ok("checkpoint-create-as test c1; checkpoint-create-as test c2; "
             "checkpoint-info test c1; checkpoint-list test --tree", "test:///default", "-q")
    assert out == ("Name:           c1\nDomain:         test\nParent:         -\n"
                   "Children:       1\nDescendants:    1\n"
                   "c1\n  |\n  +- c2\n    \n")


def test_checkpoints_and_snapshots_exclude_each_other():
    rc, _, err = virtsh("checkpoint-create-as test c; snapshot-create-as test s")
    assert (rc, err) == (1, "error: Operation not supported: cannot create snapshot "
                            "while checkpoint exists\n")
    rc, _, err = virtsh("destroy test; checkpoint-create-as test c")
    assert err.endswith("cannot create checkpoint for inactive domain\n")


@pytest.mark.parametrize("command,api", [("backup-begin test", "virDomainBackupBegin"),
                                         ("backup-dumpxml test", "virDomainBackupGetXMLDesc")])
def test_backup_is_not_supported_by_the_test_driver(command, api):
    rc, _, err = virtsh(command)
    assert (rc, err) == (1, "error: this function is not supported by the connection "
                            "driver: %s\n" % api)
