"""Networks, pools, volumes, interfaces, node devices, secrets and host
queries: the main paths end to end through the real entry point, the rest
in-process on a Control writing to buffers."""
import io
import os
import subprocess
import sys

import pytest

from virtsh.control import Control
from virtsh.engine import run_string

DATA = "/work/shared/conformance/cli/data"
LAB = "test://%s/lab.xml" % DATA
needs_data = pytest.mark.skipif(not os.path.isdir(DATA), reason="conformance data missing")


def virtsh(*argv, uri="test:///default"):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIBVIRT_", "VIRSH_"))}
    env["LC_ALL"] = "C"
    return subprocess.run([sys.executable, "-m", "virtsh", "-c", uri, *argv],
                          capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL)


def run(text, uri="test:///default", quiet=False):
    """(success, stdout, stderr) of a command string run in this process."""
    ctl = Control(uri=uri, quiet=quiet)
    ctl.out, ctl.err = io.StringIO(), io.StringIO()
    ok = run_string(ctl, text)
    return ok, ctl.out.getvalue(), ctl.err.getvalue()


# --- end to end ---------------------------------------------------------------

def test_net_list_and_info():
    r = virtsh("net-list --all; net-info default")
    assert r.returncode == 0
    assert r.stdout == (
        " Name      State    Autostart   Persistent\n"
        "--------------------------------------------\n"
        " default   active   no          yes\n\n"
        "Name:           default\n"
        "UUID:           dd8fe884-6c02-601e-7551-cca97df1c5df\n"
        "Active:         yes\nPersistent:     yes\nAutostart:      no\n"
        "Bridge:         virbr0\n\n")


def test_volume_lifecycle_updates_the_pool():
    r = virtsh("vol-create-as default-pool disk1.img 1G; "
               "vol-list default-pool --details; vol-delete disk1.img default-pool; "
               "pool-info default-pool --bytes")
    assert r.returncode == 0, r.stderr
    assert " disk1.img   /default-pool/disk1.img   file   1.00 GiB   1.00 GiB\n" in r.stdout
    assert "Vol disk1.img deleted\n" in r.stdout
    assert "Allocation:     0\n" in r.stdout


def test_missing_objects_print_two_error_lines():
    r = virtsh("net-info nosuch; pool-info nosuch; vol-info nosuch")
    assert r.returncode == 1
    assert r.stderr == (
        "error: failed to get network 'nosuch'\n"
        "error: Network not found: no network with matching name 'nosuch'\n"
        "error: failed to get pool 'nosuch'\n"
        "error: Storage pool not found: no storage pool with matching name 'nosuch'\n"
        "error: failed to get vol 'nosuch', specifying --pool might help\n"
        "error: Storage volume not found: no storage vol with matching path 'nosuch'\n")


@needs_data
def test_lab_node_objects():
    r = virtsh("pool-list --all --details; vol-list images; iface-list --all", uri=LAB)
    assert r.returncode == 0, r.stderr
    assert " images   running   no          yes          100.00 GiB   53.00 GiB    47.00 GiB\n" in r.stdout
    assert " web-root.qcow2   /var/lib/images/web-root.qcow2\n" in r.stdout
    assert " eth2   active   00:11:22:33:44:66\n" in r.stdout


def test_host_queries():
    r = virtsh("nodeinfo; freecell --all; uri")
    assert r.returncode == 0
    assert r.stdout.startswith("CPU model:           i686\nCPU(s):              16\n")
    assert "    1:       4096 KiB\n--------------------\nTotal:       6144 KiB\n" in r.stdout
    assert r.stdout.endswith("test:///default\n\n")


# --- in process -----------------------------------------------------------------

def test_network_define_start_destroy_undefine(tmp_path):
    xml = tmp_path / "net.xml"
    xml.write_text("<network><name>n1</name><forward/><bridge name='br9'/>"
                   "<ip address='10.9.0.1' prefix='24'/></network>")
    ok, out, err = run("net-define %s; net-start n1; net-dumpxml n1 --xpath //forward; "
                       "net-undefine n1; net-destroy n1; net-list --all --name" % xml)
    assert err == ("error: Failed to undefine network n1\n"
                   "error: Requested operation is not valid: Network 'n1' is still running\n")
    assert "Network n1 started\n" in out
    assert '<forward mode="nat"/>\n' in out
    assert out.endswith("Network n1 destroyed\n\ndefault\nn1\n\n")


def test_net_update_adds_and_refuses_duplicates():
    host = "\"<host mac='52:54:00:00:00:09' ip='192.168.122.9'/>\""
    ok, out, err = run("net-update default add ip-dhcp-host %s; "
                       "net-update default add ip-dhcp-host %s; "
                       "net-dumpxml default --xpath //host" % (host, host))
    assert out.startswith("Updated network default live state\n")
    assert "<host mac=\"52:54:00:00:00:09\" ip=\"192.168.122.9\"/>" in out
    assert "there is an existing dhcp host entry in network 'default'" in err


def test_net_list_options_conflict():
    ok, out, err = run("net-list --name --uuid")
    assert not ok
    assert err == "error: Only one argument from --table, --name and --uuid may be specified.\n"


def test_pool_define_as_print_xml_and_define():
    ok, out, err = run("pool-define-as p1 netfs --source-host h --source-path /e "
                       "--target /mnt/p1 --print-xml; pool-define-as p1 netfs "
                       "--source-host h --source-path /e --target /mnt/p1; "
                       "pool-dumpxml p1 --xpath //source")
    assert ok, err
    assert out.startswith("<pool type='netfs'>\n  <name>p1</name>\n  <source>\n"
                          "    <host name='h'/>\n    <dir path='/e'/>\n  </source>\n")
    assert "Pool p1 defined\n" in out
    assert '<format type="auto"/>' in out         # the netfs default


def test_inactive_pool_hides_sizes_and_volumes():
    ok, out, err = run("pool-destroy default-pool; pool-info default-pool; "
                       "vol-list default-pool")
    assert not ok
    assert "State:          inactive\n" in out and "Capacity" not in out
    assert err.endswith("error: Requested operation is not valid: storage pool is not active\n")


def test_vol_create_as_rejects_a_bad_unit_and_too_much_space():
    ok, out, err = run("vol-create-as default-pool a 10Q; vol-create-as default-pool b 200G")
    assert err == ("error: Malformed size 10Q\n"
                   "error: invalid argument: unknown suffix 'Q'\n"
                   "error: Failed to create vol b\n"
                   "error: internal error: Not enough free space in pool for volume 'b'\n")


def test_vol_clone_and_lookups():
    ok, out, err = run("vol-create-as default-pool a.img 10M; vol-clone a.img b.img "
                       "default-pool; vol-key b.img default-pool; vol-pool "
                       "/default-pool/b.img --uuid; vol-name /default-pool/b.img")
    assert ok, err
    assert out.split("\n\n")[1:5] == ["Vol b.img cloned from a.img", "/default-pool/b.img",
                                      "dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566", "b.img"]


def test_interface_transaction_rollback():
    ok, out, err = run("iface-begin; iface-undefine eth1; iface-list --all; "
                       "iface-rollback; iface-list --all")
    assert ok, err
    assert out.split("\n\n")[:4] == [
        "Network config change transaction started", "Interface eth1 undefined",
        " Name   State   MAC Address\n-----------------------------",
        "Network config change transaction rolled back"]
    # as in libvirt's test driver, the restored interfaces are inactive
    assert " eth1   inactive   aa:bb:cc:dd:ee:ff\n" in out


def test_nodedev_create_and_destroy_a_vhba(tmp_path):
    xml = tmp_path / "vhba.xml"
    xml.write_text("<device><parent>scsi_host1</parent><capability type='scsi_host'>"
                   "<capability type='fc_host'><wwnn>2000000000000001</wwnn>"
                   "<wwpn>1000000000000001</wwpn></capability></capability></device>")
    ok, out, err = run("nodedev-create %s; nodedev-dumpxml scsi_host12 --xpath //wwnn; "
                       "nodedev-destroy scsi_host12; nodedev-info scsi_host12" % xml)
    assert "Node device scsi_host12 created from" in out
    assert "<wwnn>2000000000000001</wwnn>" in out
    assert err == ("error: Could not find matching device 'scsi_host12'\n"
                   "error: Node device not found: no node device with matching name "
                   "'scsi_host12'\n")


def test_nodedev_list_is_refused_by_the_test_driver():
    ok, out, err = run("nodedev-list")
    assert err == ("error: Failed to list node devices\nerror: unsupported flags "
                   "(0x80000000) in function testConnectListAllNodeDevices\n")


def test_secrets_and_filters_are_not_supported_by_the_test_driver():
    ok, out, err = run("secret-list; secret-get-value nope; nwfilter-list")
    assert err == (
        "error: Failed to count secrets\n"
        "error: this function is not supported by the connection driver: "
        "virConnectNumOfSecrets\n"
        "error: failed to get secret 'nope'\n"
        "error: uuidstr in virSecretLookupByUUIDString must be a valid UUID\n"
        "error: Failed to count network filters\n"
        "error: this function is not supported by the connection driver: "
        "virConnectNumOfNWFilters\n")


def test_read_only_connection_refuses_changes():
    ctl = Control(uri="test:///default", readonly=True)
    ctl.out, ctl.err = io.StringIO(), io.StringIO()
    assert not run_string(ctl, "pool-destroy default-pool")
    assert ctl.err.getvalue().endswith(
        "error: operation forbidden: read only access prevents virStoragePoolDestroy\n")


def test_host_misc():
    ok, out, err = run("freepages --all; nodecpumap --pretty; cpu-models aarch64; "
                       "version")
    assert ok, err
    assert out.startswith("Node 0:\n4KiB: 19\n8KiB: 45\n2048KiB: 97\n1048576KiB: 201\n\n")
    assert "CPU map:        0,2,4\n" in out
    assert "all CPU models are accepted\n" in out
    assert "Running hypervisor: TEST 0.0.2\n" in out


@needs_data
def test_node_file_without_cells():
    ok, out, err = run("freecell --all; freecell", uri=LAB)
    assert out.startswith("--------------------\nTotal:          0 KiB\n")
    assert err == "error: An error occurred, but the cause is unknown\n"
