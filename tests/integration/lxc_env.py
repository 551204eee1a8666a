"""Real containers for the LXC tests and benchmark: a busybox-static root
file system built at test time, an embed root, and clean-up that stops
every container and removes its veths and cgroups even when a test fails."""
import os
import shutil
import subprocess
import sys

import pytest

VIRTSH = [sys.executable, "-m", "virtsh"]
BUSYBOX = shutil.which("busybox")
APPLETS = ("sh", "sleep", "echo", "cat", "hostname", "ls", "id", "ip", "mount", "tr")
INIT = """#!/bin/sh
echo "container up: $(hostname) $LIBVIRT_LXC_NAME $$"
trap 'echo bye; exit 0' TERM
while :; do sleep 1 & wait $!; done
"""


def build_rootfs(path):
    """A minimal root: busybox, a few applets, /sbin/init that traps SIGTERM."""
    for sub in ("bin", "sbin", "etc", "proc", "sys", "dev", "tmp"):
        os.makedirs(os.path.join(path, sub), exist_ok=True)
    shutil.copy(BUSYBOX, os.path.join(path, "bin", "busybox"))
    for applet in APPLETS:
        os.symlink("busybox", os.path.join(path, "bin", applet))
    init = os.path.join(path, "sbin", "init")
    with open(init, "w") as f:
        f.write(INIT)
    os.chmod(init, 0o755)
    with open(os.path.join(path, "etc", "passwd"), "w") as f:
        f.write("root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n")
    return path


def domain_xml(name, rootfs, extra_devices="", extra="", init="/sbin/init"):
    return """<domain type='lxc'>
  <name>%s</name>
  <memory unit='MiB'>96</memory>
  <os><type>exe</type><init>%s</init></os>%s
  <devices>
    <filesystem type='mount'><source dir='%s'/><target dir='/'/></filesystem>%s
    <console type='pty'/>
  </devices>
</domain>
""" % (name, init, extra, rootfs, extra_devices)


class Host:
    """An embed root with helpers to run virtsh against it."""

    def __init__(self, tmp):
        self.root = os.path.join(tmp, "embed")
        self.uri = "lxc:///embed?root=%s" % self.root
        self.rootfs = build_rootfs(os.path.join(tmp, "rootfs"))
        self.links = []                     # host links a test creates

    def run(self, *args, check=True):
        proc = subprocess.run(VIRTSH + ["-c", self.uri] + list(args),
                              capture_output=True, text=True, timeout=60)
        if check and proc.returncode != 0:
            raise AssertionError("virtsh %s failed: %s" % (" ".join(args), proc.stderr))
        return proc

    def define(self, name, **kwargs):
        path = os.path.join(os.path.dirname(self.root), name + ".xml")
        with open(path, "w") as f:
            f.write(domain_xml(name, self.rootfs, **kwargs))
        self.run("define", path)
        return path

    def status(self, name):
        import json
        with open(os.path.join(self.root, "run", "lxc", name + ".status")) as f:
            return json.load(f)

    def console(self, name):
        with open(os.path.join(self.root, "run", "lxc", name + ".console"), "rb") as f:
            return f.read().decode(errors="replace")

    def cgroup_dirs(self):
        """Cgroup directories of this embed root's containers that exist."""
        from virtsh.drivers.lxc import cgroups, paths
        from virtsh.drivers.uri import URI
        suffix = paths.for_uri(URI(self.uri)).scope_suffix
        v1, v2 = cgroups.mounts()
        bases = [v2] if v2 and not v1.get("memory") else list(v1.values())
        found = []
        for base in bases:
            machine = os.path.join(base, "machine")
            if os.path.isdir(machine):
                found += [os.path.join(machine, d) for d in os.listdir(machine)
                          if d.endswith("." + suffix)]
        return found

    def cleanup(self):
        listing = self.run("list", "--name", check=False).stdout.split()
        for name in listing:
            self.run("destroy", name, check=False)
        for path in self.cgroup_dirs():         # a test that broke half-way
            try:
                with open(os.path.join(path, "cgroup.procs")) as f:
                    for pid in f.read().split():
                        os.kill(int(pid), 9)
            except OSError:
                pass
            subprocess.run(["rmdir", path], capture_output=True)
        for link in self.links:
            subprocess.run(["ip", "link", "del", link], capture_output=True)


def requirements():
    """Why real containers cannot run here, or None."""
    if os.geteuid() != 0:
        return "LXC containers need root"
    if not BUSYBOX:
        return "busybox is not installed"
    if subprocess.run(["unshare", "-m", "-p", "-n", "-u", "-i", "-f", "true"],
                      capture_output=True).returncode != 0:
        return "namespaces are not available"
    return None


@pytest.fixture
def lxc(tmp_path):
    reason = requirements()
    if reason:
        pytest.skip(reason)
    host = Host(str(tmp_path))
    try:
        yield host
    finally:
        host.cleanup()
