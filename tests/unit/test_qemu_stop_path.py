"""What stopping a QEMU guest costs: the imports a destroy loads (50 guests
destroyed at once pay them 50 times), the removal of the guest's control
groups with rmdir alone, and state written as JSON without the json package."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from virtsh import drivers
from virtsh.drivers.qemu import cgroupdirs, jsontext

GUEST = """<domain type='%s'><name>stopme</name><memory unit='MiB'>64</memory>
  <vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>"""


@pytest.mark.skipif(not shutil.which("qemu-system-x86_64"),
                    reason="qemu-system-x86_64 not installed")
def test_destroy_loads_neither_the_cgroup_machinery_nor_signal(tmp_path):
    uri = "qemu:///embed?root=%s" % tmp_path
    kind = "kvm" if os.access("/dev/kvm", os.R_OK | os.W_OK) else "qemu"
    dom = drivers.open(uri).define_domain(GUEST % kind)
    dom.create(1)                       # paused: nothing to wait for
    try:
        probe = """if 1:
            import sys
            from virtsh import drivers
            drivers.open(sys.argv[1]).lookup_domain_by_name("stopme").destroy()
            print(" ".join(sorted(sys.modules)))"""
        loaded = subprocess.run([sys.executable, "-c", probe, uri], capture_output=True,
                                text=True, check=True).stdout.split()
    finally:
        if dom.is_active():
            dom.destroy()
    assert not dom.is_active()
    if os.geteuid() == 0:               # root: the guest had groups, now removed
        assert "virtsh.drivers.qemu.cgroupdirs" in loaded
    assert [m for m in loaded if m in ("signal", "shutil", "virtsh.drivers.qemu.cgroups")
            or m.startswith("virtsh.drivers.lxc")] == []


def test_cgroup_tree_removed_deepest_first(tmp_path):
    top = tmp_path / "cpu" / "machine" / "guest"
    for sub in ("emulator", "vcpu0", "vcpu1/deeper"):
        (top / sub).mkdir(parents=True)
    (tmp_path / "memory" / "machine" / "guest" / "emulator").mkdir(parents=True)
    cgroupdirs.remove({"relpath": "machine/guest", "v2": None,
                       "v1": {"cpu": str(tmp_path / "cpu"), "cpuacct": str(tmp_path / "cpu"),
                              "memory": str(tmp_path / "memory")}})
    assert os.listdir(tmp_path / "cpu" / "machine") == []
    assert os.listdir(tmp_path / "memory" / "machine") == []
    # gone already (the supervisor settled it first): nothing to do, no error
    cgroupdirs.remove({"relpath": "machine/guest", "v1": {}, "v2": str(tmp_path / "cpu")})


@pytest.mark.parametrize("value", [
    {"id": 3, "pid": 12, "taps": ["vnet0"], "t": 1.5e3, "x": None, "ok": True},
    {"name": "caf\u00e9 \"quoted\"\n", "nested": {"list": [1, [], {}]}},
    [1, 2.25, -7], {}, {5: "int keys become strings"}, {"n": float("nan")}, "str", 3])
def test_jsontext_writes_as_json_does(value):
    assert jsontext.dumps(value) == json.dumps(value)
    assert jsontext.dumps(value, compact=True) == json.dumps(value, separators=(",", ":"))


def test_jsontext_refuses_what_json_refuses():
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        jsontext.dumps({"s": {1}})
    loop = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        jsontext.dumps(loop)
