"""Domain lifecycle and information commands end to end, on test:///default
and the lab node file, through the real entry point."""
import os
import re
import subprocess
import sys

import pytest

DATA = "/work/shared/conformance/cli/data"
LAB = "test://%s/lab.xml" % DATA
needs_data = pytest.mark.skipif(not os.path.isdir(DATA), reason="conformance data missing")

NEW_DOMAIN = """<domain type='test'>
  <name>fresh</name>
  <uuid>aaaaaaaa-bbbb-cccc-dddd-000000000001</uuid>
  <title>Freshly defined</title>
  <memory unit='MiB'>512</memory>
  <vcpu>2</vcpu>
  <os><type>hvm</type></os>
</domain>
"""


def virtsh(*argv, uri="test:///default", cwd=None, extra_env=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIBVIRT_", "VIRSH_"))}
    env["LC_ALL"] = "C"
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "virtsh", "-c", uri, *argv],
                          capture_output=True, text=True, env=env, cwd=cwd,
                          stdin=subprocess.DEVNULL)


def test_list_prints_virshs_table():
    r = virtsh("list --all")
    assert (r.stdout, r.returncode) == (
        " Id   Name   State\n"
        "----------------------\n"
        " 1    test   running\n\n", 0)


def test_quiet_list_drops_the_header():
    r = virtsh("-q", "list")
    assert r.stdout == " 1   test   running\n"


def test_dominfo_block():
    r = virtsh("dominfo test")
    lines = r.stdout.splitlines()
    assert lines[:5] == ["Id:             1", "Name:           test",
                         "UUID:           6695eb01-f6a4-8304-79aa-97f2502e193f",
                         "OS Type:        linux", "State:          running"]
    assert re.fullmatch(r"CPU time:       \d+\.\ds", lines[6])
    assert "Security label: libvirt-test (enforcing)" in lines


def test_lookup_failures_name_the_domain():
    r = virtsh("dominfo 42; domstate 6695eb01-f6a4-8304-79aa-97f2502e1930")
    assert r.stderr == ("error: failed to get domain '42'\n"
                        "error: failed to get domain '6695eb01-f6a4-8304-79aa-97f2502e1930'\n")
    assert r.returncode == 1


def test_destroy_start_and_state_reasons():
    r = virtsh("destroy test; domstate test --reason; start test; domid test; "
               "suspend test; domstate test --reason; resume test; domstate test --reason")
    assert r.stdout == ("Domain 'test' destroyed\n\nshut off (destroyed)\n\n"
                        "Domain 'test' started\n\n2\n\n"
                        "Domain 'test' suspended\n\npaused (user)\n\n"
                        "Domain 'test' resumed\n\nrunning (unpaused)\n\n")
    assert r.returncode == 0


def test_errors_of_state_changes():
    r = virtsh("start test; resume test")
    assert r.stderr == ("error: Domain is already active\n"
                        "error: Failed to resume domain 'test'\n"
                        "error: internal error: domain 'test' not paused\n")


def test_define_create_and_undefine(tmp_path):
    xml = tmp_path / "fresh.xml"
    xml.write_text(NEW_DOMAIN)
    r = virtsh("define %s; list --all --title; start fresh; undefine fresh; "
               "list --transient --name; destroy fresh; list --all --name" % xml)
    assert r.stdout == (
        "Domain 'fresh' defined from %s\n\n"
        " Id   Name    State      Title\n"
        "------------------------------------------\n"
        " 1    test    running    \n"
        " -    fresh   shut off   Freshly defined\n\n"
        "Domain 'fresh' started\n\n"
        "Domain 'fresh' has been undefined\n\n"
        "fresh\n\n"
        "Domain 'fresh' destroyed\n\n"
        "test\n\n" % xml)


def test_define_failures_report_the_file(tmp_path):
    r = virtsh("define %s/missing.xml" % tmp_path)
    assert r.stderr == "error: Failed to open file '%s/missing.xml': No such file " \
                       "or directory\n" % tmp_path
    assert r.returncode == 1
    r = virtsh("define %s" % tmp_path)      # a folder opens, then fails to read (as virsh)
    assert r.stderr == "error: Failed to read file '%s': Is a directory\n" % tmp_path
    assert r.returncode == 1


def test_memory_and_vcpu_changes():
    r = virtsh("setmem test 1G; setmaxmem test 4G; setvcpus test 1; dominfo test")
    assert "error: Unable to change MaxMemorySize\n" in r.stderr
    assert "Used memory:    1048576 KiB" in r.stdout
    assert "CPU(s):         1" in r.stdout
    r = virtsh("setmem test 1x")
    assert r.stderr.startswith("error: Scaled numeric value '1x' for <size> option")


def test_dumpxml_xpath_and_wrap():
    r = virtsh("dumpxml test --xpath //mac; dumpxml test --xpath //mac --wrap")
    assert r.stdout == ('<mac address="aa:bb:cc:dd:ee:ff"/>\n\n'
                        '<nodes>\n  <mac address="aa:bb:cc:dd:ee:ff"/>\n</nodes>\n\n')
    r = virtsh("dumpxml test --xpath 'string(//name)'")
    assert r.stderr == "error: internal error: Incorrect xpath 'string(//name)'\n"


def test_desc_and_metadata():
    r = virtsh("desc test; desc test some words; desc test; "
               "metadata test http://e.org/x --key e --set '<a b=\"1\"/>'; "
               "metadata test http://e.org/x")
    assert r.stdout == ("No description for domain: test\n"
                        "Domain description updated successfully\n"
                        "some words\n"
                        "Metadata modified\n\n"
                        '<a b="1"/>\n\n')


def test_desc_edit_uses_the_editor(tmp_path):
    editor = tmp_path / "editor"
    editor.write_text("#!/bin/sh\nprintf 'edited text' > \"$1\"\n")
    editor.chmod(0o755)
    r = virtsh("desc test --edit; desc test", extra_env={"EDITOR": str(editor)})
    assert r.stdout == "Domain description updated successfully\nedited text\n"


def test_save_restore_and_save_image(tmp_path):
    r = virtsh("save test test.sav; list --all; restore test.sav; "
               "domstate test --reason", cwd=tmp_path)
    assert r.stdout.startswith("\nDomain 'test' saved to test.sav\n\n")
    assert " -    test   shut off\n" in r.stdout
    assert r.stdout.endswith("Domain restored from test.sav\n\nrunning (restored)\n\n")
    r = virtsh("save-image-dumpxml test.sav --xpath //name", cwd=tmp_path)
    assert r.stdout == "<name>test</name>\n\n"


def test_managedsave_and_start():
    r = virtsh("managedsave test; list --all --managed-save; start test; "
               "managedsave-remove test")
    assert r.stdout == ("\nDomain 'test' state saved by libvirt\n\n"
                        " Id   Name   State\n--------------------\n"
                        " -    test   saved\n\n"
                        "Domain 'test' started\n\n"
                        "Domain 'test' has no manage save image; removal skipped\n")


def test_read_only_refuses_state_changes():
    r = virtsh("-r", "destroy test")
    assert r.stderr == ("error: Failed to destroy domain 'test'\n"
                        "error: operation forbidden: read only access prevents "
                        "virDomainDestroy\n")


@needs_data
def test_lab_node_lists_in_virshs_order():
    r = virtsh("list --all; list --state-paused --name", uri=LAB)
    assert r.stdout == (" Id   Name      State\n--------------------------\n"
                        " 1    web       running\n 2    cache     paused\n"
                        " 3    batch     running\n -    archive   shut off\n"
                        " -    db        shut off\n\ncache\n\n")


@needs_data
def test_lab_transient_domain_disappears_when_destroyed():
    r = virtsh("destroy batch; start batch", uri=LAB)
    assert r.stderr == "error: failed to get domain 'batch'\n"
    assert r.returncode == 1


def test_missing_node_file():
    r = virtsh("list", uri="test:///nonexistent/node.xml")
    assert r.stderr == ('I/O warning : failed to load external entity "/nonexistent/node.xml"\n'
                        "error: failed to connect to the hypervisor\n"
                        "error: XML error: failed to parse xml document "
                        "'/nonexistent/node.xml'\n")
