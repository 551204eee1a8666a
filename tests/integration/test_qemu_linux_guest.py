"""A real Linux guest (host kernel + busybox initramfs) under virtsh:
boot, ACPI reboot, ACPI shutdown, each seen through domstate's reasons.

The guest runs under TCG (domain type 'qemu') whatever the host offers:
nested KVM hosts commonly stall early kernel boot, and TCG boots this
guest in seconds anyway.
"""
import os

import pytest

import linux_guest
from qemu_env import QEMU, needs_qemu, wait_for

pytestmark = [needs_qemu,
              pytest.mark.skipif(not linux_guest.available(),
                                 reason="needs busybox-static and a kernel in /boot")]



def readies(path):
    try:
        with open(path, errors="replace") as f:
            return f.read().count("READY")
    except FileNotFoundError:
        return 0


def test_boot_reboot_and_acpi_shutdown(host):
    initrd = linux_guest.build_initramfs(os.path.join(host.root, "initrd.gz"))
    serial = os.path.join(host.root, "serial.log")
    host.define(linux_guest.guest_xml("linux", "qemu", QEMU, initrd, serial))
    host.virtsh("start", "linux")
    wait_for(lambda: readies(serial) == 1, 90, "the guest to boot")
    assert host.state("linux") == "running (booted)"

    host.virtsh("reboot", "linux")
    wait_for(lambda: readies(serial) == 2, 90, "the guest to boot again")
    assert host.state("linux") == "running (booted)"
    assert not os.path.exists(os.path.join(host.root, "run", "qemu", "linux.reboot"))

    assert "is being shutdown" in host.virtsh("shutdown", "linux").stdout
    wait_for(lambda: host.state("linux") != "running (booted)", 60,
             "the guest to power off")
    assert host.state("linux") == "shut off (shutdown)"
    assert host.runtime_files() == ["linux.shutoff"]


def test_guest_power_off_with_on_poweroff_restart(host):
    initrd = linux_guest.build_initramfs(os.path.join(host.root, "initrd.gz"),
                                         after_ready="sleep 1; poweroff -f")
    serial = os.path.join(host.root, "serial.log")
    host.define(linux_guest.guest_xml("linux", "qemu", QEMU, initrd, serial,
                                      on_poweroff="restart"))
    host.virtsh("start", "linux")
    wait_for(lambda: readies(serial) >= 2, 120, "the guest to power off and come back")
    assert host.state("linux") == "running (booted)"
    host.virtsh("destroy", "linux")
    assert host.state("linux") == "shut off (destroyed)"
