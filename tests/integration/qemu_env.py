"""Shared helpers of the QEMU integration tests: an embedded driver root,
running virtsh through its real entry point, small guest definitions."""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

QEMU = shutil.which("qemu-system-x86_64")
needs_qemu = pytest.mark.skipif(QEMU is None, reason="qemu-system-x86_64 is not installed")


def kvm_works():
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
        return True
    except OSError:
        return False


DOMAIN_TYPE = "kvm" if kvm_works() else "qemu"


def guest_xml(name, extra_devices="", os_extra="", on_poweroff="destroy"):
    """A small diskless guest (KVM when /dev/kvm works, else TCG)."""
    return """<domain type='%s'>
  <name>%s</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type>%s</os>
  <features><acpi/><apic/></features>
  <on_poweroff>%s</on_poweroff>
  <devices>
    <emulator>%s</emulator>
    <interface type='user'><model type='virtio'/></interface>
    <console type='pty'/>
    %s
  </devices>
</domain>
""" % (DOMAIN_TYPE, name, os_extra, on_poweroff, QEMU or "/usr/bin/qemu-system-x86_64",
       extra_devices)


class Host:
    """One qemu:///embed root and a way to run virtsh against it."""

    def __init__(self, root):
        self.root = root
        self.uri = "qemu:///embed?root=%s" % root

    def virtsh(self, *args, check=True):
        proc = subprocess.run([sys.executable, "-m", "virtsh", "-c", self.uri, *args],
                              capture_output=True, text=True, timeout=60)
        if check and proc.returncode != 0:
            raise AssertionError("virtsh %s failed: %s" % (" ".join(args), proc.stderr))
        return proc

    def define(self, xml, name="guest.xml"):
        path = os.path.join(self.root, name)
        with open(path, "w") as f:
            f.write(xml)
        return self.virtsh("define", path)

    def status(self, name):
        with open(os.path.join(self.root, "run", "qemu", name + ".status")) as f:
            return json.load(f)

    def state(self, name):
        return self.virtsh("domstate", name, "--reason").stdout.strip()

    def runtime_files(self):
        run = os.path.join(self.root, "run", "qemu")
        return sorted(e for e in os.listdir(run)       # event logs outlive runs
                      if e not in ("domains.lock", "events") and not e.startswith("driver."))

    def kill_leftovers(self):
        """Stop the QEMUs (and supervisors) this root started, if any remain."""
        for path in glob.glob(os.path.join(self.root, "run", "qemu", "*.status")):
            try:
                with open(path) as f:
                    status = json.load(f)
                for key in ("supervisor", "pid"):
                    os.kill(status[key], signal.SIGKILL)
            except (OSError, ValueError, KeyError):
                pass


@pytest.fixture
def host(tmp_path_factory):
    import tempfile
    root = tempfile.mkdtemp(prefix="vq", dir="/tmp")   # short: socket paths
    h = Host(root)
    yield h
    h.kill_leftovers()
    shutil.rmtree(root, ignore_errors=True)


def wait_for(predicate, timeout, what):
    """Poll *predicate* until it holds; an assertion error naming *what*
    after *timeout* seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.2)


def qmp(host, name, command, **arguments):
    """One QMP command on the guest's command monitor."""
    from virtsh.drivers.qemu.lifecycle import connect_unix
    from virtsh.drivers.qemu.qmp import Monitor
    mon = Monitor(connect_unix(os.path.join(host.root, "run", "qemu", name + ".monitor")))
    try:
        return mon.cmd(command, **arguments)
    finally:
        mon.close()

