"""Device, vCPU, tuning, statistics and guest commands on the test driver.

The main paths run through the real entry point (a subprocess); driver
behaviour behind them (pinning, tuning kept in the definition, errors) is
checked in-process through the driver API.
"""
import os
import subprocess
import sys

import pytest

import virtsh.drivers as drivers
from virtsh.drivers.errors import VirtError

DATA = "/work/shared/conformance/cli/data"
LAB = "test://%s/lab.xml" % DATA
needs_data = pytest.mark.skipif(not os.path.isdir(DATA), reason="conformance data missing")


def virtsh(*argv, uri="test:///default", cwd=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIBVIRT_", "VIRSH_"))}
    env.update(LC_ALL="C", TZ="UTC")
    return subprocess.run([sys.executable, "-m", "virtsh", "-c", uri, *argv],
                          capture_output=True, text=True, env=env, cwd=cwd,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def dom():
    return drivers.open("test:///default").lookup_domain_by_name("test")


# --- listing devices -----------------------------------------------------------
def test_domblklist_details_shows_type_and_device():
    r = virtsh("domblklist test --details")
    assert (r.stdout, r.returncode) == (
        " Type   Device   Target   Source\n"
        "---------------------------------------------\n"
        " file   disk     vda      /guest/diskimage1\n\n", 0)


@needs_data
def test_domiflist_and_domifaddr_of_a_lab_domain():
    r = virtsh("domiflist web; domifaddr web", uri=LAB)
    assert r.returncode == 0
    assert " testnet1    bridge    br0      e1000    52:54:00:aa:00:02\n" in r.stdout
    assert " testnet0   52:54:00:aa:00:01    ipv4         10.10.0.101/24\n" in r.stdout


def test_domblkinfo_human_sizes():
    r = virtsh("domblkinfo test vda --human")
    assert r.stdout == ("Capacity:       1023.995 GiB\nAllocation:     1.000 TiB\n"
                        "Physical:       1.000 TiB\n\n")


def test_block_and_interface_counters_need_a_known_device():
    r = virtsh("domblkstat test nosuch")
    assert r.returncode == 1
    assert r.stderr == ("error: Failed to get block stats test nosuch\n"
                        "error: invalid argument: invalid path: nosuch\n")
    assert virtsh("domifstat test testnet0").stdout.startswith("testnet0 rx_bytes ")


# --- vCPUs ------------------------------------------------------------------------
def test_vcpupin_then_vcpuinfo_shows_the_new_affinity():
    r = virtsh("vcpupin test 0 2-3; vcpupin test; vcpuinfo test")
    assert r.returncode == 0
    assert " 0      2-3\n 1      0-7\n" in r.stdout
    assert "CPU:            3\n" in r.stdout
    assert "CPU Affinity:   --yy----\n" in r.stdout


def test_vcpupin_rejects_cpus_the_host_lacks():
    r = virtsh("vcpupin test 0 9")
    assert (r.stderr, r.returncode) == (
        "error: CPU 9 in cpulist '9' exceed the maxcpu 8\n", 1)


@needs_data
def test_vcpucount_of_an_inactive_domain_has_no_live_rows():
    r = virtsh("vcpucount db", uri=LAB)
    assert r.stdout == ("maximum      config         2\n"
                        "current      config         2\n\n")


def test_emulatorpin_set_then_query():
    r = virtsh("emulatorpin test 1,3; emulatorpin test")
    assert r.stdout.endswith("       *: 1,3\n\n")


# --- tuning kept in the definition ----------------------------------------------------
def test_memtune_and_blkiotune_settings_are_reported_back():
    r = virtsh("memtune test --hard-limit 4194304 --soft-limit 2G; memtune test; "
               "blkiotune test --weight 500; blkiotune test")
    assert r.returncode == 0
    assert "hard_limit     : 4194304\nsoft_limit     : 2097152\n" in r.stdout
    assert "swap_hard_limit: unlimited\n" in r.stdout
    assert "weight         : 500\n" in r.stdout


def test_iotune_rejects_a_rate_above_its_maximum(dom):
    with pytest.raises(VirtError, match="total_bytes_sec cannot be set higher"):
        dom.set_block_iotune("vda", [("total_bytes_sec", 1000)])
    dom.set_block_iotune("vda", [("total_bytes_sec_max", 2000), ("total_bytes_sec", 1000)])
    assert dict(dom.block_iotune("vda"))["total_bytes_sec"] == 1000
    assert "<total_bytes_sec>1000</total_bytes_sec>" in dom.xml_desc()


def test_interface_bandwidth_lands_in_the_interface(dom):
    dom.set_interface_params("testnet0", [("inbound.average", 100), ("inbound.peak", 200)])
    assert dict(dom.interface_params("aa:bb:cc:dd:ee:ff"))["inbound.peak"] == 200
    assert "<inbound average='100' peak='200'/>" in dom.xml_desc()
    with pytest.raises(VirtError, match="'nosuch' is not a known interface"):
        dom.interface_params("nosuch")


def test_iothreads_add_pin_and_delete(dom):
    dom.add_iothread(3)
    dom.pin_iothread(3, {2, 3})
    assert dom.iothread_info() == [(3, {2, 3})]
    with pytest.raises(VirtError, match="already using iothread_id '3'"):
        dom.add_iothread(3)
    dom.del_iothread(3)
    assert dom.iothread_info() == []
    assert "iothread" not in dom.xml_desc()


def test_perf_events_enable_and_report(dom):
    dom.set_perf_events([("cmt", True)])
    events = dict(dom.perf_events())
    assert events["cmt"] is True and events["mbmt"] is False
    with pytest.raises(VirtError, match="parameter 'bogus' not supported"):
        dom.set_perf_events([("bogus", True)])


def test_schedinfo_reports_the_fixed_weight():
    r = virtsh("schedinfo test --set weight=100")
    assert r.stdout == "Scheduler      : fair\nweight         : 50\n\n"


# --- statistics and guest queries ----------------------------------------------------------
def test_dommemstat_follows_current_memory():
    r = virtsh("setmem test 1048576; dommemstat test")
    assert "actual 1048576\n" in r.stdout and "unused 524288\n" in r.stdout


def test_inactive_domain_has_no_statistics():
    r = virtsh("destroy test; dommemstat test")
    assert r.returncode == 1
    assert r.stderr.endswith("error: Requested operation is not valid: domain is not running\n")


def test_domstats_reports_state_after_destroy():
    r = virtsh("destroy test; domstats; domstats --list-active")
    assert r.stdout.endswith("Domain: 'test'\n  state.state=5\n  state.reason=2\n\n\n")


def test_domtime_set_then_get_and_fs_freeze_counts(dom):
    assert dom.get_time() == (627319920, 0)
    dom.set_time(1000, 0)
    assert dom.get_time() == (1000, 0)
    assert dom.fs_freeze() == 2
    assert dom.fs_freeze() == 0
    assert dom.fs_thaw(["/"]) == 1


def test_cpu_stats_per_cpu_and_total():
    r = virtsh("cpu-stats test --start 1 --count 1 --total")
    assert r.stdout == ("CPU1:\n\tcpu_time            24.386308518 seconds\n"
                        "\tvcpu_time           23.151740628 seconds\n"
                        "Total:\n\tcpu_time            48.772617035 seconds\n"
                        "\tuser_time            5.540000000 seconds\n"
                        "\tsystem_time          6.460000000 seconds\n\n")


def test_screenshot_writes_a_png(tmp_path):
    r = virtsh("screenshot test shot.png", cwd=tmp_path)
    assert r.stdout == "Screenshot saved to shot.png, with type of image/png\n"
    assert (tmp_path / "shot.png").read_bytes().startswith(b"\x89PNG\r\n")


def test_send_key_rejects_unknown_key_names():
    r = virtsh("send-key test KEY_A KEY_B; send-key test KEY_NOPE")
    assert (r.stderr, r.returncode) == ("error: invalid keycode: 'KEY_NOPE'\n", 1)


@needs_data
def test_domdisplay_of_vnc_and_a_stopped_domain():
    r = virtsh("domdisplay web; vncdisplay web; domdisplay db", uri=LAB)
    assert r.stdout == "vnc://127.0.0.1:1\n127.0.0.1:1\n\n\n"
    assert r.stderr == "error: Domain is not running\n"


# --- attach and detach -----------------------------------------------------------------
def test_attach_disk_print_xml_needs_no_domain():
    r = virtsh("attach-disk nosuchdomain /x.img vdb --targetbus virtio --mode readonly "
               "--print-xml")
    assert (r.stdout, r.returncode) == (
        "<disk type='file'>\n  <source file='/x.img'/>\n"
        "  <target dev='vdb' bus='virtio'/>\n  <readonly/>\n</disk>\n\n", 0)


def test_attach_and_detach_are_unsupported_by_the_test_driver():
    r = virtsh("attach-disk test /x.img vdb; detach-disk test vda --config")
    assert r.stderr == (
        "error: Failed to attach disk\n"
        "error: this function is not supported by the connection driver: "
        "virDomainAttachDevice\n"
        "error: Failed to detach disk\n"
        "error: this function is not supported by the connection driver: "
        "virDomainDetachDeviceFlags\n")


def test_detach_disk_print_xml_shows_the_disk_element():
    r = virtsh("detach-disk test vda --print-xml")
    assert r.stdout.startswith("<disk type=\"file\" device=\"disk\">\n"
                               "      <source file=\"/guest/diskimage1\"/>\n")
    assert r.stdout.endswith("    </disk>\n")


def test_read_only_connection_refuses_pinning():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIBVIRT_", "VIRSH_"))}
    r = subprocess.run([sys.executable, "-m", "virtsh", "-r", "-c", "test:///default",
                        "vcpupin test 0 1"], capture_output=True, text=True, env=env,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 1
    assert r.stderr.endswith("read only access prevents virDomainPinVcpu\n")


def test_event_list_and_timeout():
    r = virtsh("event --list; event --all --timeout 1")
    assert r.stdout.startswith("lifecycle\nreboot\n")
    assert r.stdout.endswith("event loop timed out\nevents received: 0\n\n")
    assert r.returncode == 1
