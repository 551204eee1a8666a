"""A diskless guest's whole life through the CLI, on real QEMU."""
import os
import signal
import time

import pytest

from qemu_env import QEMU, guest_xml, needs_qemu

pytestmark = needs_qemu


def wait_state(host, name, expected, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        state = host.state(name)
        if state == expected or time.monotonic() > deadline:
            return state
        time.sleep(0.1)


def test_define_list_dumpxml_undefine(host):
    out = host.define(guest_xml("vm1")).stdout
    assert out.startswith("Domain 'vm1' defined from ")
    assert "vm1" in host.virtsh("list", "--all", "--name").stdout.split()
    xml = host.virtsh("dumpxml", "--inactive", "vm1").stdout
    assert "machine='pc-i440fx-7.2'" in xml
    assert "<controller type='usb' index='0' model='piix3-uhci'>" in xml
    config = os.path.join(host.root, "etc", "qemu", "vm1.xml")
    assert os.stat(config).st_mode & 0o777 == 0o600
    assert open(config).read() + "\n" == xml    # virsh adds an empty line
    host.virtsh("undefine", "vm1")
    assert not os.path.exists(config)
    assert host.virtsh("domstate", "vm1", check=False).returncode == 1


def test_start_suspend_resume_reset_destroy(host):
    host.define(guest_xml("vm1"))
    assert host.state("vm1") == "shut off (unknown)"
    assert host.virtsh("start", "vm1").stdout.startswith("Domain 'vm1' started")
    assert host.state("vm1") == "running (booted)"
    pid = host.status("vm1")["pid"]
    assert open("/proc/%d/cmdline" % pid, "rb").read().split(b"\0")[0] == QEMU.encode()
    info = host.virtsh("dominfo", "vm1").stdout
    assert "State:          running" in info and "Max memory:     131072 KiB" in info
    host.virtsh("suspend", "vm1")
    assert host.state("vm1") == "paused (user)"
    host.virtsh("reset", "vm1")
    assert host.state("vm1") == "paused (user)"
    host.virtsh("resume", "vm1")
    assert host.state("vm1") == "running (unpaused)"
    again = host.virtsh("resume", "vm1", check=False)
    assert again.returncode == 1
    assert "domain is already running" in again.stderr
    host.virtsh("destroy", "vm1")
    assert host.state("vm1") == "shut off (destroyed)"
    assert not os.path.exists("/proc/%d" % pid) or \
        open("/proc/%d/stat" % pid).read().split()[2] == "Z"
    assert host.runtime_files() == ["vm1.shutoff"]


def test_start_paused_and_ids(host):
    host.define(guest_xml("vm1"))
    host.define(guest_xml("vm2"), "vm2.xml")
    host.virtsh("start", "vm1", "--paused")
    host.virtsh("start", "vm2")
    assert host.state("vm1") == "paused (user)"
    assert host.virtsh("list", "--state-paused", "--name").stdout.split() == ["vm1"]
    ids = {name: host.virtsh("domid", name).stdout.strip() for name in ("vm1", "vm2")}
    assert ids == {"vm1": "1", "vm2": "2"}
    assert host.virtsh("domname", "2").stdout.strip() == "vm2"
    host.virtsh("destroy", "vm1")
    host.virtsh("destroy", "vm2")


def test_a_guest_named_as_long_as_a_file_name_allows_runs(host):
    """libvirt 9.0 starts a guest of a 246-character name: its QMP sockets
    cannot be NAME.monitor then (a unix socket's address is ~100 bytes),
    yet every command must reach it, and it must leave nothing behind."""
    name = "L" * 246
    host.define(guest_xml(name))
    assert host.virtsh("start", name).returncode == 0
    assert host.state(name) == "running (booted)"
    reply = host.virtsh("qemu-monitor-command", name, '{"execute":"query-status"}').stdout
    assert '"status":"running"' in reply
    host.virtsh("suspend", name)
    assert host.state(name) == "paused (user)"
    host.virtsh("destroy", name)
    assert host.state(name) == "shut off (destroyed)"
    assert host.runtime_files() == [name + ".shutoff"]


def test_qemu_killed_from_outside(host):
    host.define(guest_xml("vm1"))
    host.virtsh("start", "vm1")
    os.kill(host.status("vm1")["pid"], signal.SIGKILL)
    assert wait_state(host, "vm1", "shut off (crashed)") == "shut off (crashed)"
    host.virtsh("start", "vm1")
    os.kill(host.status("vm1")["pid"], signal.SIGTERM)
    assert wait_state(host, "vm1", "shut off (shutdown)") == "shut off (shutdown)"
    assert host.runtime_files() == ["vm1.shutoff"]


def test_live_guest_survives_losing_its_supervisor(host):
    host.define(guest_xml("vm1"))
    host.virtsh("start", "vm1")
    status = host.status("vm1")
    os.kill(status["supervisor"], signal.SIGKILL)
    time.sleep(0.1)
    assert host.state("vm1") == "running (booted)"
    adopted = host.status("vm1")
    assert adopted["supervisor"] != status["supervisor"]
    assert adopted["pid"] == status["pid"]
    host.virtsh("suspend", "vm1")
    assert host.state("vm1") == "paused (user)"
    host.virtsh("destroy", "vm1")
    assert host.state("vm1") == "shut off (destroyed)"
    assert host.runtime_files() == ["vm1.shutoff"]


def test_adopted_guest_ending_is_still_seen(host):
    host.define(guest_xml("vm1"))
    host.virtsh("start", "vm1")
    status = host.status("vm1")
    os.kill(status["supervisor"], signal.SIGKILL)
    time.sleep(0.1)
    host.state("vm1")                       # any command adopts the orphan
    os.kill(status["pid"], signal.SIGTERM)  # QEMU announces a shutdown
    new_supervisor = host.status("vm1")["supervisor"]
    deadline = time.monotonic() + 10
    while os.path.exists("/proc/%d" % new_supervisor) and time.monotonic() < deadline:
        time.sleep(0.05)                    # settled by the new supervisor,
    assert host.runtime_files() == ["vm1.shutoff"]   # not by a later command
    assert host.state("vm1") == "shut off (shutdown)"


def test_transient_guest_and_undefine_while_running(host):
    path = os.path.join(host.root, "t.xml")
    with open(path, "w") as f:
        f.write(guest_xml("tvm"))
    assert host.virtsh("create", path).stdout.startswith("Domain 'tvm' created from ")
    assert host.virtsh("list", "--transient", "--name").stdout.split() == ["tvm"]
    host.virtsh("destroy", "tvm")
    assert host.virtsh("list", "--all", "--name").stdout.split() == []
    host.define(guest_xml("vm1"))
    host.virtsh("start", "vm1")
    host.virtsh("undefine", "vm1")
    assert "Persistent:     no" in host.virtsh("dominfo", "vm1").stdout
    host.virtsh("destroy", "vm1")
    assert host.virtsh("list", "--all", "--name").stdout.split() == []
    assert host.runtime_files() == []


def test_live_xml_reports_what_qemu_chose(host):
    host.define(guest_xml("vm1", "<graphics type='vnc' autoport='yes'/>"))
    host.virtsh("start", "vm1")
    live = host.virtsh("dumpxml", "vm1").stdout
    assert "<domain type='%s' id='1'>" % ("kvm" if "type='kvm'" in live else "qemu") in live
    assert "<source path='/dev/pts/" in live
    assert "<alias name='net0'/>" in live
    port = int(live.split("<graphics type='vnc' port='")[1].split("'")[0])
    assert port >= 5900
    vnc = host.virtsh("vncdisplay", "vm1", check=False)
    if vnc.returncode == 0:
        assert vnc.stdout.strip() == "127.0.0.1:%d" % (port - 5900)
    assert "port='-1'" in host.virtsh("dumpxml", "--inactive", "vm1").stdout
    host.virtsh("destroy", "vm1")


@pytest.mark.skipif(os.geteuid() != 0 or not os.path.exists("/dev/net/tun"),
                    reason="creating tap devices needs root and /dev/net/tun")
def test_ethernet_nic_tap_lives_with_the_guest(host):
    nic = ("<interface type='ethernet'><target dev='vq-tap0'/>"
           "<model type='virtio'/></interface>")
    host.define(guest_xml("vm1", nic))
    host.virtsh("start", "vm1")
    with open("/sys/class/net/vq-tap0/flags") as f:
        assert int(f.read(), 16) & 1                # IFF_UP: brought up at start
    host.virtsh("destroy", "vm1")
    assert not os.path.exists("/sys/class/net/vq-tap0")


def test_pause_and_resume_from_outside_are_seen(host):
    from virtsh.drivers.qemu.lifecycle import connect_unix
    from virtsh.drivers.qemu.qmp import Monitor

    def outside(command):       # another QMP client, not virtsh's commands
        mon = Monitor(connect_unix(os.path.join(host.root, "run", "qemu", "vm1.monitor")))
        try:
            mon.cmd(command)
        finally:
            mon.close()

    host.define(guest_xml("vm1"))
    host.virtsh("start", "vm1")
    outside("stop")
    assert wait_state(host, "vm1", "paused (unknown)") == "paused (unknown)"
    outside("cont")
    assert wait_state(host, "vm1", "running (unpaused)") == "running (unpaused)"
    host.virtsh("suspend", "vm1")           # virtsh's own pause keeps its reason
    time.sleep(0.3)
    assert host.state("vm1") == "paused (user)"
    host.virtsh("destroy", "vm1")
