"""Host queries of the QEMU driver and the capabilities cache, on real QEMU."""
import glob
import os
import re
import shutil

from qemu_env import QEMU, needs_qemu

pytestmark = needs_qemu


def test_version_reports_the_real_qemu(host):
    out = host.virtsh("version").stdout
    import subprocess
    banner = subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout
    version = re.search(r"version (\d+\.\d+\.\d+)", banner).group(1)
    assert "Running hypervisor: QEMU %s\n" % version in out


def test_nodeinfo_matches_the_host(host):
    out = host.virtsh("nodeinfo").stdout
    assert re.search(r"^CPU\(s\):\s+%d$" % os.cpu_count(), out, re.M)
    total = int(open("/proc/meminfo").readline().split()[1])
    assert "Memory size:         %d KiB" % total in out


def test_capabilities_list_machines_and_domain_types(host):
    caps = host.virtsh("capabilities").stdout
    assert "<emulator>%s</emulator>" % QEMU in caps
    assert re.search(r"<machine canonical='pc-i440fx-[\d.]+' maxCpus='\d+'>pc</machine>", caps)
    assert "<domain type='qemu'/>" in caps
    dcaps = host.virtsh("domcapabilities").stdout
    assert "<path>%s</path>" % QEMU in dcaps
    assert re.search(r"<machine>pc-i440fx-[\d.]+</machine>", dcaps)


def test_capabilities_are_probed_once_per_binary(host, tmp_path):
    host.virtsh("version")
    cached = glob.glob(os.path.join(host.root, "cache", "qemu", "capabilities", "*.json"))
    assert len(cached) >= 1
    stamps = {path: os.stat(path).st_mtime_ns for path in cached}
    host.virtsh("version")
    assert {path: os.stat(path).st_mtime_ns for path in cached} == stamps
    # A different binary (here: a copy, so another path) is probed anew.
    copy = str(tmp_path / "qemu-copy")
    shutil.copy2(QEMU, copy)
    from virtsh.drivers.qemu import caps
    probed = caps.load(copy, os.path.join(host.root, "cache", "qemu"))
    assert probed["emulator"] == copy
    assert len(glob.glob(os.path.join(host.root, "cache", "qemu", "capabilities",
                                      "*.json"))) == len(cached) + 1
