"""Talking to a running QEMU guest from the command line: the text console,
the monitor, the screen; guests on virtual networks and pool volumes;
autostart; many guests started at once.  Diskless guests on real QEMU."""
import os
import pty
import select
import shutil
import subprocess
import sys
import time

import pytest

from qemu_env import guest_xml, needs_qemu

pytestmark = needs_qemu
VIRTSH = [sys.executable, "-m", "virtsh"]
ESCAPE = b"\x1d"                    # ^]


class Console:
    """``virtsh console`` run on a pseudo-terminal, as a person would."""

    def __init__(self, host, *args):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:                                   # pragma: no cover
            os.execv(sys.executable, VIRTSH + ["-c", host.uri, "console", *args])
        self.seen = b""

    def read_until(self, text, timeout=15):
        end = time.monotonic() + timeout
        while text not in self.seen and time.monotonic() < end:
            if select.select([self.fd], [], [], 0.1)[0]:
                try:
                    self.seen += os.read(self.fd, 4096)
                except OSError:
                    break
        return text in self.seen

    def exit_status(self, timeout=10):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.read_until(b"\0", 0)       # drain
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            self.read_until(b"\0", 0.1)
        os.kill(self.pid, 9)
        raise AssertionError("console did not end: %r" % self.seen)

    def leave(self):
        time.sleep(0.5)     # the banner comes before the terminal turns raw
        os.write(self.fd, ESCAPE)
        return self.exit_status()


def test_console_session_escape_busy_and_force(host):
    host.virtsh("create", _write(host, guest_xml("vm1")))
    first = Console(host, "vm1")
    assert first.read_until(b"Escape character is ^] (Ctrl + ])"), first.seen
    assert b"Connected to domain 'vm1'" in first.seen

    busy = Console(host, "vm1")
    assert busy.exit_status() == 1
    assert b"Active console session exists for this domain" in busy.seen

    second = Console(host, "vm1", "--force")        # takes the session over
    assert second.read_until(b"Escape character"), second.seen
    assert first.exit_status() != 0
    assert second.leave() == 0

    third = Console(host, "vm1", "--safe")          # the session is free again
    assert third.read_until(b"Escape character"), third.seen
    assert third.leave() == 0


def test_console_needs_a_terminal_and_a_pty_or_socket(host):
    sock = os.path.join(host.root, "ser.sock")
    devices = ("<serial type='unix'><source mode='bind' path='%s'/></serial>"
               "<serial type='null'/>" % sock)
    host.virtsh("create", _write(host, guest_xml("vm1", devices)
                                 .replace("<console type='pty'/>", "")))
    piped = host.virtsh("console", "vm1", check=False)
    assert piped.returncode == 1
    assert piped.stderr == "error: Cannot run interactive console without a controlling TTY\n"

    on_socket = Console(host, "vm1")                # the first serial: the unix socket
    assert on_socket.read_until(b"Escape character"), on_socket.seen
    assert on_socket.leave() == 0

    null = Console(host, "vm1", "serial1")
    assert null.exit_status() == 1
    assert b"character device serial1 is not using a PTY" in null.seen
    missing = Console(host, "vm1", "nosuch")
    assert missing.exit_status() == 1
    assert b"cannot find character device nosuch" in missing.seen


def test_monitor_commands(host):
    host.virtsh("create", _write(host, guest_xml("vm1")))
    raw = host.virtsh("qemu-monitor-command", "vm1", '{"execute":"query-status"}').stdout
    assert raw.startswith('{"return":{"status":"running"') and raw.endswith("}\n\n")
    pretty = host.virtsh("qemu-monitor-command", "vm1", "--pretty", "query-status").stdout
    assert pretty.startswith('{\n  "return": {\n    "status": "running",\n')
    assert pretty.endswith('\n}\n')
    value = host.virtsh("qemu-monitor-command", "vm1", "--return-value", "stop").stdout
    assert value == "{}\n"
    assert host.state("vm1") == "paused (unknown)"      # stopped behind virtsh's back
    passed = host.virtsh("qemu-monitor-command", "vm1", "query-status",
                         '{"bogus": 1}').stdout
    assert '"error":{"class":"GenericError"' in passed         # QEMU's error, as it is
    hmp = host.virtsh("qemu-monitor-command", "vm1", "--hmp", "info", "status").stdout
    assert hmp.startswith("VM status: paused")
    both = host.virtsh("qemu-monitor-command", "vm1", "--hmp", "--pretty", "info",
                       check=False)
    assert both.stderr == "error: Options --hmp and --pretty are mutually exclusive\n"
    ping = ("qemu-agent-command", "vm1", '{"execute":"guest-ping"}')
    paused = host.virtsh(*ping, check=False)       # libvirt checks the state first
    assert paused.stderr == ("error: Requested operation is not valid: "
                             "domain is not running\n")
    host.virtsh("resume", "vm1")
    agent = host.virtsh(*ping, check=False)
    assert agent.stderr == "error: argument unsupported: QEMU guest agent is not configured\n"


def test_screen_keyboard_and_displays(host):
    devices = ("<graphics type='vnc' autoport='yes'/>"
               "<video><model type='cirrus'/></video>")
    host.virtsh("create", _write(host, guest_xml("vm1", devices)))
    display = host.virtsh("vncdisplay", "vm1").stdout.strip()
    assert display.startswith("127.0.0.1:")
    assert host.virtsh("domdisplay", "vm1").stdout.strip() == "vnc://" + display
    tty = host.virtsh("ttyconsole", "vm1").stdout.strip()
    assert tty.startswith("/dev/pts/") and os.path.exists(tty)
    shot = os.path.join(host.root, "screen.ppm")
    out = host.virtsh("screenshot", "vm1", shot).stdout
    assert "image/x-portable-pixmap" in out
    with open(shot, "rb") as f:
        assert f.read(2) == b"P6"
    host.virtsh("send-key", "vm1", "KEY_LEFTCTRL", "KEY_A")


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("ip") is None,
                    reason="needs root and iproute2 to make bridges and taps")
def test_guest_on_a_virtual_network_and_a_pool_volume(host):
    net = _write(host, "<network><name>vqnet</name><bridge name='vqbr%d'/>"
                       "<ip address='192.168.213.1' netmask='255.255.255.0'/></network>"
                 % (os.getpid() % 1000), "net.xml")
    host.virtsh("net-create", net)
    pool = os.path.join(host.root, "pool")
    host.virtsh("pool-create-as", "vqpool", "dir", "--target", pool, "--build")
    host.virtsh("vol-create-as", "vqpool", "data.raw", "1M")
    devices = ("<interface type='network'><source network='vqnet'/></interface>"
               "<disk type='volume' device='disk'><source pool='vqpool' volume='data.raw'/>"
               "<target dev='vdb' bus='virtio'/></disk>")
    try:
        host.virtsh("create", _write(host, guest_xml("vm1", devices)))
        live = host.virtsh("dumpxml", "vm1").stdout
        assert "<source network='vqnet' bridge='vqbr" in live
        assert "<source pool='vqpool' volume='data.raw'/>" in live   # kept as written
        from lxml import etree
        tap = etree.fromstring(live).find(
            "devices/interface[@type='network']/target").get("dev")
        with open("/sys/class/net/%s/master/uevent" % tap) as f:
            assert "INTERFACE=vqbr" in f.read()                     # joined the bridge
        blocks = host.virtsh("qemu-monitor-command", "vm1", "--hmp", "info", "block").stdout
        assert os.path.join(pool, "data.raw") in blocks
        leases = host.virtsh("domifaddr", "vm1", "--source", "lease").stdout
        assert leases.splitlines()[0].split() == ["Name", "MAC", "address", "Protocol",
                                                  "Address"]
        host.virtsh("destroy", "vm1")
        assert not os.path.exists("/sys/class/net/" + tap)           # unplugged at stop
    finally:
        host.virtsh("destroy", "vm1", check=False)
        host.virtsh("pool-destroy", "vqpool", check=False)
        host.virtsh("net-destroy", "vqnet", check=False)


def test_autostart_guests_starts_the_marked_shut_off_ones(host):
    for name in ("auto1", "auto2", "manual"):
        host.define(guest_xml(name), name + ".xml")
    broken = guest_xml("broken", "<disk type='file'><source file='/nonexistent.img'/>"
                                 "<target dev='vda' bus='virtio'/></disk>")
    host.define(broken, "broken.xml")
    for name in ("auto1", "auto2", "broken"):
        host.virtsh("autostart", name)
    host.virtsh("start", "auto2")
    run = host.virtsh("autostart-guests", check=False)
    assert run.returncode == 1                  # one could not start, the others did
    assert run.stdout == "Domain 'auto1' started\n\n"
    assert run.stderr.startswith("error: Failed to autostart domain 'broken'\n"
                                 "error: Cannot access storage file '/nonexistent.img'")
    assert host.state("auto1") == "running (booted)"
    assert host.state("auto2") == "running (booted)"
    assert host.state("manual") == "shut off (unknown)"
    unit = os.path.join(os.path.dirname(__file__), "..", "..", "contrib",
                        "virtsh-autostart.service")
    with open(unit) as f:
        assert "virtsh -c qemu:///system autostart-guests" in f.read()


def all_at_once(host, argvs):
    """Run virtsh with each of *argvs* at the same time; all must succeed."""
    procs = [subprocess.Popen(VIRTSH + ["-c", host.uri, *a], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for a in argvs]
    outcomes = [(p.communicate(timeout=240), p.returncode) for p in procs]
    assert [(rc, err) for (_, err), rc in outcomes] == [(0, "")] * len(argvs)


def test_twenty_guests_start_and_stop_in_parallel(host):
    count = 20
    paths = [_write(host, guest_xml("par%d" % i), "par%d.xml" % i) for i in range(count)]
    all_at_once(host, [["create", "--paused", p] for p in paths])
    listed = host.virtsh("list", "--name").stdout.split()
    assert sorted(listed) == sorted("par%d" % i for i in range(count))
    ids = [host.virtsh("domid", "par%d" % i).stdout.strip() for i in range(count)]
    assert len(set(ids)) == count
    all_at_once(host, [["destroy", "par%d" % i] for i in range(count)])
    assert host.virtsh("list", "--all", "--name").stdout.strip() == ""
    assert host.runtime_files() == []


@pytest.mark.skipif(os.geteuid() != 0 or not os.path.exists("/sys/fs/cgroup/cpu/cpu.shares"),
                    reason="needs root and the cgroup v1 CPU controller")
def test_running_guests_started_at_once_sit_in_the_cpu_partition_until_destroyed(host):
    """Running guests weigh as one group on the CPU (libvirt's /machine), so
    that busy guests do not starve the commands that start and stop them;
    their groups go with them, however many are destroyed at once."""
    names = ["busy%d" % i for i in range(12)]
    for name in names:
        host.define(guest_xml(name))
    all_at_once(host, [["start", n] for n in names])
    assert sorted(host.virtsh("list", "--state-running", "--name").stdout.split()) == \
        sorted(names)
    groups = []
    for name in names:
        status = host.status(name)
        relpath, points = status["cgroup"]["relpath"], status["cgroup"]["v1"]
        assert relpath.startswith("machine/")
        with open(os.path.join(points["cpu"], relpath, "emulator", "cgroup.procs")) as f:
            assert str(status["pid"]) in f.read().split()
        groups += [os.path.join(point, relpath) for point in points.values()]
    all_at_once(host, [["destroy", n] for n in names])
    assert host.virtsh("list", "--name").stdout.split() == []
    assert [g for g in groups if os.path.exists(g)] == []


def _write(host, text, name="guest.xml"):
    path = os.path.join(host.root, name)
    with open(path, "w") as f:
        f.write(text)
    return path
