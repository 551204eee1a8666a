"""LXC domain documents against libvirt 9.0's results
(../shared/conformance/lxc): define + dumpxml, and domxml-from-native."""
import glob
import os
import re

import subprocess

import pytest

from lxc_env import VIRTSH

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "conformance", "lxc")
DEFINE_CASES = sorted(glob.glob(os.path.join(DATA, "define", "*")))
NATIVE_CASES = sorted(glob.glob(os.path.join(DATA, "conf2xml", "*.config")))


@pytest.fixture
def uri(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the LXC driver needs root")
    return "lxc:///embed?root=%s" % tmp_path


def virtsh(uri, *args, cwd=None):
    return subprocess.run(VIRTSH + ["-q", "-c", uri] + list(args), capture_output=True,
                          text=True, cwd=cwd)


@pytest.mark.skipif(not DEFINE_CASES, reason="no LXC conformance data")
@pytest.mark.parametrize("case", DEFINE_CASES, ids=os.path.basename)
def test_define_gives_libvirts_document(uri, case):
    with open(os.path.join(case, "in.xml")) as f:
        name = re.search(r"<name>([^<]+)</name>", f.read()).group(1)
    defined = virtsh(uri, "define", "in.xml", cwd=case)
    with open(os.path.join(case, "define.rc")) as f:
        assert defined.returncode == int(f.read())
    dumped = virtsh(uri, "dumpxml", "--inactive", name)
    with open(os.path.join(case, "lxc.out")) as f:
        assert dumped.stdout == f.read()


@pytest.mark.skipif(not NATIVE_CASES, reason="no LXC conformance data")
@pytest.mark.parametrize("config", NATIVE_CASES, ids=os.path.basename)
def test_domxml_from_native_lxc_tools(uri, config):
    got = virtsh(uri, "domxml-from-native", "lxc-tools", config)
    expected = config.replace("-v3.config", ".config")[:-len(".config")] + ".xml"
    if not os.path.exists(expected):
        assert got.returncode == 1
        assert got.stderr.startswith("error: argument unsupported: lxc.mount.fstab or "
                                     "lxc.mount found")
        return
    assert got.returncode == 0, got.stderr
    with open(expected) as f:
        want = f.read()
    # libvirt's suite pins the UUID and its build's emulator path; virsh
    # (like us) makes a new UUID and uses this system's path.
    strip = lambda text: re.sub(r"<uuid>[^<]*</uuid>|<emulator>[^<]*</emulator>", "", text)
    assert strip(got.stdout) == strip(want)
