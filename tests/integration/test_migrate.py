"""Live migration between two qemu:///embed roots ("hosts") on this machine,
through the real CLI: a busy Linux guest keeps counting on the destination,
offline and persistent variants, cancelling, and failures that must leave
the guest running at the source."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile

import pytest

import linux_guest
from qemu_env import Host, QEMU, guest_xml, needs_qemu, wait_for

pytestmark = needs_qemu
needs_linux = pytest.mark.skipif(not linux_guest.available(),
                                 reason="needs busybox-static and a kernel in /boot")

# The guest counts on its serial port and keeps rewriting 4 MiB of its memory.
BUSY = ("i=0; while true; do i=$((i+1)); echo COUNT $i > /dev/ttyS0; "
        "dd if=/dev/urandom of=/busy bs=1M count=4 2>/dev/null; sleep 0.1; done")


def make_host():
    return Host(tempfile.mkdtemp(prefix="vm", dir="/tmp"))


@pytest.fixture
def dest():
    h = make_host()
    yield h
    h.kill_leftovers()
    shutil.rmtree(h.root, ignore_errors=True)



def last_count(path):
    try:
        with open(path, errors="replace") as f:
            counts = [int(line.split()[1]) for line in f if line.startswith("COUNT ")
                      and line.split()[1:2] and line.split()[1].isdigit()]
    except FileNotFoundError:
        return 0
    return counts[-1] if counts else 0


def busy_linux(host, name="busy"):
    """Define and boot the counting guest on *host*; its serial log path."""
    initrd = linux_guest.build_initramfs(os.path.join(host.root, "initrd.gz"),
                                         after_ready=BUSY)
    serial = os.path.join(host.root, "serial.log")
    host.define(linux_guest.guest_xml(name, "qemu", QEMU, initrd, serial))
    host.virtsh("start", name)
    wait_for(lambda: last_count(serial) >= 3, 90, "the guest to count")
    return serial


def dest_xml_with_serial(host, name, serial):
    """The guest's migratable XML with its serial log moved (same machine:
    the two QEMUs must not share one file)."""
    xml = host.virtsh("dumpxml", name, "--migratable").stdout
    old = os.path.join(host.root, "serial.log")
    path = os.path.join(host.root, "dest.xml")
    with open(path, "w") as f:
        f.write(xml.replace(old, serial))
    return path


def migrate_cmd(host, *args):
    return [sys.executable, "-m", "virtsh", "-c", host.uri, "migrate", *args]


@needs_linux
def test_busy_linux_guest_keeps_counting_on_the_destination(host, dest):
    serial = busy_linux(host)
    dest_serial = os.path.join(dest.root, "serial.log")
    xml = dest_xml_with_serial(host, "busy", dest_serial)
    before = last_count(serial)
    result = host.virtsh("migrate", "busy", dest.uri, "--live", "--verbose", "--xml", xml)
    # (text mode reads virsh's "\r" redraws as line ends)
    progress = [line for line in result.stderr.split("\n") if line]
    assert progress[-1] == "Migration: [100 %]"
    assert all(line.startswith("Migration: [") for line in progress)
    assert dest.state("busy") == "running (migrated)"
    assert host.state("busy") == "shut off (migrated)"
    stopped_at = last_count(serial)
    assert stopped_at >= before
    # the counter goes on where it was, in the destination's QEMU
    wait_for(lambda: last_count(dest_serial) > stopped_at, 60,
             "the guest to count on the destination")
    assert "Persistent:     no" in dest.virtsh("dominfo", "busy").stdout
    assert "busy" in host.virtsh("list", "--all", "--name").stdout


@needs_linux
def test_domjobinfo_then_domjobabort_leave_the_guest_at_the_source(host, dest):
    serial = busy_linux(host)
    xml = dest_xml_with_serial(host, "busy", os.path.join(dest.root, "serial.log"))
    proc = subprocess.Popen(migrate_cmd(host, "busy", dest.uri, "--live", "--xml", xml,
                                        "--bandwidth", "1"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: "Unbounded" in host.virtsh("domjobinfo", "busy", check=False).stdout,
             20, "the migration job")
    info = host.virtsh("domjobinfo", "busy").stdout
    assert "\nOperation:        Outgoing migration\n" in info
    assert "\nData remaining:   " in info and " MiB\n" in info
    assert "\nExpected downtime: " in info
    host.virtsh("domjobabort", "busy")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert "error: operation aborted: migration out job: canceled by client" in err
    assert host.state("busy") == "running (migration canceled)"
    assert dest.virtsh("list", "--all", "--name").stdout.strip() == ""
    counted = last_count(serial)
    wait_for(lambda: last_count(serial) > counted, 20, "the guest to go on counting")

    # Ctrl-C (SIGINT) in the client cancels just the same
    proc = subprocess.Popen(migrate_cmd(host, "busy", dest.uri, "--live", "--xml", xml,
                                        "--bandwidth", "1"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: "Unbounded" in host.virtsh("domjobinfo", "busy", check=False).stdout,
             20, "the migration job")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1, err
    assert "canceled by client" in err
    assert host.state("busy").startswith("running")
    assert dest.virtsh("list", "--all", "--name").stdout.strip() == ""


def test_diskless_guest_moves_persistently_and_leaves_the_source(host, dest):
    host.define(guest_xml("mover"))
    host.virtsh("start", "mover")
    host.virtsh("migrate", "mover", dest.uri, "--live", "--persistent", "--undefinesource")
    assert dest.state("mover") == "running (migrated)"
    assert "Persistent:     yes" in dest.virtsh("dominfo", "mover").stdout
    assert host.virtsh("list", "--all", "--name").stdout.strip() == ""
    # and back again, paused on arrival this time
    dest.virtsh("migrate", "mover", host.uri, "--suspend")
    assert host.state("mover") == "paused (user)"
    assert dest.state("mover") == "shut off (migrated)"


def test_offline_migration_moves_only_the_definition(host, dest):
    host.define(guest_xml("cold"))
    result = host.virtsh("migrate", "cold", dest.uri, "--offline", "--persistent")
    assert result.returncode == 0
    assert dest.state("cold") == "shut off (unknown)"
    assert "cold" in host.virtsh("list", "--all", "--name").stdout
    dest.virtsh("start", "cold")
    assert dest.state("cold") == "running (booted)"
    refused = host.virtsh("migrate", "cold", dest.uri, "--offline", check=False)
    assert refused.returncode == 1
    assert refused.stderr == ("error: Requested operation is not valid: offline migration "
                              "must be specified with the persistent flag set\n")


def test_tunables_of_a_running_guest(host):
    host.define(guest_xml("tuned"))
    assert host.virtsh("migrate-getspeed", "tuned").stdout.strip() == "8796093022207"
    host.virtsh("start", "tuned")
    host.virtsh("migrate-setspeed", "tuned", "42")
    assert host.virtsh("migrate-getspeed", "tuned").stdout.strip() == "42"
    host.virtsh("migrate-setmaxdowntime", "tuned", "750")
    assert host.virtsh("migrate-getmaxdowntime", "tuned").stdout.strip() == "750"


def _still_at_source(host, name):
    assert host.state(name).startswith("running")
    assert name in host.virtsh("list", "--all", "--name").stdout


def test_refused_connection_is_a_clear_error(host):
    host.define(guest_xml("stay"))
    host.virtsh("start", "stay")
    result = host.virtsh("migrate", "stay", "qemu+ssh://root@127.0.0.1:1/system",
                         "--live", check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("error: failed to connect to the hypervisor\n")
    assert "Connection refused" in result.stderr
    assert "Traceback" not in result.stderr
    _still_at_source(host, "stay")


def test_destination_without_the_disk_refuses_and_source_keeps_running(host, dest):
    disk = os.path.join(host.root, "disk.raw")
    with open(disk, "wb") as f:
        f.truncate(1 << 20)
    host.define(guest_xml("disky", extra_devices=(
        "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
        "<source file='%s'/><target dev='vda' bus='virtio'/></disk>" % disk)))
    host.virtsh("start", "disky")
    xml = os.path.join(host.root, "dest.xml")
    with open(xml, "w") as f:
        f.write(host.virtsh("dumpxml", "disky", "--migratable").stdout
                .replace(disk, "/nonexistent/disk.raw"))
    result = host.virtsh("migrate", "disky", dest.uri, "--live", "--xml", xml, check=False)
    assert result.returncode == 1
    assert result.stderr == ("error: Cannot access storage file '/nonexistent/disk.raw' "
                             "(as uid:%d, gid:%d): No such file or directory\n"
                             % (os.getuid(), os.getgid()))
    _still_at_source(host, "disky")
    assert dest.virtsh("list", "--all", "--name").stdout.strip() == ""
    assert not [f for f in dest.runtime_files() if f.endswith(".status")]


def test_guest_that_is_not_running_cannot_migrate_live(host, dest):
    host.define(guest_xml("idle"))
    result = host.virtsh("migrate", "idle", dest.uri, "--live", check=False)
    assert (result.returncode, result.stderr) == (
        1, "error: Requested operation is not valid: domain is not running\n")


def test_migration_to_and_from_a_host_reached_over_ssh(host, dest, tmp_path):
    from sshd_env import Sshd, missing_reason
    if missing_reason():
        pytest.skip(missing_reason())
    sshd = Sshd(str(tmp_path))
    try:
        far = sshd.uri(path="/embed", driver="qemu", root=dest.root)
        host.define(guest_xml("roamer"))
        host.virtsh("start", "roamer")
        host.virtsh("migrate", "roamer", far, "--live", "--persistent")
        assert dest.state("roamer") == "running (migrated)"
        assert host.state("roamer") == "shut off (migrated)"
        # the far host as the source, driven from here
        moved = subprocess.run([sys.executable, "-m", "virtsh", "-c", far, "migrate",
                                "roamer", host.uri, "--live"],
                               capture_output=True, text=True, timeout=60)
        assert moved.returncode == 0, moved.stderr
        assert host.state("roamer") == "running (migrated)"
        assert dest.state("roamer") == "shut off (migrated)"
    finally:
        sshd.stop()


@needs_linux
def test_slow_migration_switches_to_postcopy_after_the_timeout(host, dest):
    serial = busy_linux(host)
    dest_serial = os.path.join(dest.root, "serial.log")
    xml = dest_xml_with_serial(host, "busy", dest_serial)
    host.virtsh("migrate", "busy", dest.uri, "--live", "--xml", xml, "--bandwidth", "2",
                "--postcopy", "--timeout", "2", "--timeout-postcopy")
    assert dest.state("busy") == "running (migrated)"
    assert host.state("busy") == "shut off (migrated)"
    stopped_at = last_count(serial)
    wait_for(lambda: last_count(dest_serial) > stopped_at, 60,
             "the guest to count on the destination")


def test_timeout_options_need_a_live_migration(host, dest):
    host.define(guest_xml("opts"))
    result = host.virtsh("migrate", "opts", dest.uri, "--timeout", "5", check=False)
    assert (result.returncode, result.stderr) == (
        1, "error: migrate: Unexpected timeout for offline migration\n")
    result = host.virtsh("migrate", "opts", dest.uri, "--timeout-suspend", check=False)
    assert (result.returncode, result.stderr) == (
        1, "error: migrate: Unexpected --timeout-* option without --timeout\n")


def test_incoming_port_taken_after_the_check_moves_to_the_next_one(host):
    """Concurrent migrations: the port picked for an incoming QEMU can be
    bound by someone else before QEMU binds it; a chosen port then moves on,
    a port the user asked for is an error."""
    import socket
    from virtsh import drivers
    from virtsh.drivers.errors import VirtError
    from virtsh.drivers.qemu import migration
    from virtsh.drivers.qemu.domain import QemuDomain
    conn = drivers.open(host.uri)
    tree = conn.prepare_definition(guest_xml("incoming")).tree
    dom = QemuDomain(conn, "incoming")
    with conn.store.lock("incoming"):
        dom.start_locked(tree, paused=True, transient=True, extra_args=("-incoming", "defer"))
    with socket.socket() as taken:
        port = migration._free_port("127.0.0.1")   # free when checked, then taken
        taken.bind(("127.0.0.1", port))
        taken.listen()
        with pytest.raises(VirtError, match="Address already in use"):
            migration._listen_incoming(dom, "127.0.0.1", port, chosen=False)
        moved = migration._listen_incoming(dom, "127.0.0.1", port, chosen=True)
    assert moved != port and moved in migration.PORT_RANGE
    with socket.socket() as probe, pytest.raises(OSError):       # QEMU listens there
        probe.bind(("127.0.0.1", moved))
    host.virtsh("destroy", "incoming")
