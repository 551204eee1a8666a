"""Faults on a real QEMU guest: processes killed with SIGKILL at any
moment, a full disk, stale locks, damaged status files, reused pids.
After each one the next command tells the truth, no definition is lost or
half-written, no QEMU is orphaned and the guest starts again."""
import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from faults_env import assert_consistent, config_text, qemus_of, wait_state
from qemu_env import guest_xml, needs_qemu
from virtsh.drivers.files import byte_range
from virtsh.drivers.qemu.store import lock_slot

pytestmark = needs_qemu
SEED = 1019


@pytest.fixture(autouse=True)
def no_orphans_left(host):
    """Whatever a failing test left running of its root is stopped."""
    yield
    for pid in qemus_of(host.root):
        os.kill(pid, signal.SIGKILL)


def started(host, name="vm1"):
    host.define(guest_xml(name), name + ".xml")
    host.virtsh("start", name)
    return host.status(name)


def restart_works(host, name="vm1"):
    """The guest, whatever state the fault left it in, stops and starts."""
    if host.virtsh("domstate", name).stdout.strip() != "shut off":
        host.virtsh("destroy", name)
    host.virtsh("start", name)
    assert host.state(name) == "running (booted)"
    assert_consistent(host)
    host.virtsh("destroy", name)
    assert_consistent(host)


def status_path(host, name="vm1"):
    return os.path.join(host.root, "run", "qemu", name + ".status")


def test_qemu_killed(host):
    status = started(host)
    os.kill(status["pid"], signal.SIGKILL)
    assert wait_state(host, "vm1", "shut off (crashed)") == "shut off (crashed)"
    assert_consistent(host)
    restart_works(host)


def test_supervisor_killed_guest_kept_and_readopted(host):
    status = started(host)
    os.kill(status["supervisor"], signal.SIGKILL)
    time.sleep(0.2)
    assert host.state("vm1") == "running (booted)"
    assert host.virtsh("list", "--name").stdout.split() == ["vm1"]
    adopted = host.status("vm1")
    assert adopted["pid"] == status["pid"] and adopted["supervisor"] != status["supervisor"]
    os.kill(status["pid"], signal.SIGKILL)      # the new supervisor sees it end
    assert wait_state(host, "vm1", "shut off (crashed)") == "shut off (crashed)"
    assert_consistent(host)
    restart_works(host)


def test_supervisor_and_qemu_killed_together(host):
    status = started(host)
    os.kill(status["supervisor"], signal.SIGKILL)
    os.kill(status["pid"], signal.SIGKILL)
    assert wait_state(host, "vm1", "shut off (crashed)") == "shut off (crashed)"
    assert_consistent(host)
    restart_works(host)


def test_stale_lock_file_and_lock_of_a_killed_holder(host):
    host.define(guest_xml("vm1"))
    fd, slot = domain_lock(host, "vm1")
    os.write(fd, b"garbage from another life")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl,os,time\nfrom virtsh.drivers.files import "
         "byte_range\nfd=os.open(%r,os.O_RDWR)\nfcntl.fcntl(fd,fcntl.F_OFD_SETLKW,"
         "byte_range(fcntl.F_WRLCK,%d))\nprint(1,flush=True)\ntime.sleep(60)"
         % (os.path.join(host.root, "run", "qemu", "domains.lock"), slot)],
        stdout=subprocess.PIPE)
    assert holder.stdout.readline().strip() == b"1"
    holder.kill()
    holder.wait()
    begin = time.monotonic()
    host.virtsh("start", "vm1")
    assert time.monotonic() - begin < 10
    assert host.state("vm1") == "running (booted)"
    # nobody keeps it after the command
    fcntl.fcntl(fd, fcntl.F_OFD_SETLK, byte_range(fcntl.F_WRLCK, slot))
    os.close(fd)
    restart_works(host)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "not-an-object"])
def test_damaged_status_file(host, damage):
    status = started(host)
    text = open(status_path(host)).read()
    broken = {"garbage": "\x00\x07{{{ nonsense", "truncated": text[:len(text) // 2],
              "empty": "", "not-an-object": "[1, 2, 3]"}[damage]
    with open(status_path(host), "w") as f:
        f.write(broken)
    assert host.state("vm1").startswith("running")
    assert host.virtsh("list", "--name").stdout.split() == ["vm1"]
    assert host.status("vm1")["pid"] == status["pid"]
    assert_consistent(host)
    host.virtsh("destroy", "vm1")
    assert qemus_of(host.root) == []
    restart_works(host)


def test_status_naming_a_reused_pid(host):
    status = started(host)
    os.kill(status["supervisor"], signal.SIGKILL)
    os.kill(status["pid"], signal.SIGKILL)
    time.sleep(0.2)
    impostor = subprocess.Popen(["sleep", "60"])
    try:
        reused = dict(status, pid=impostor.pid)      # same start time: not ours
        with open(status_path(host), "w") as f:
            json.dump(reused, f)
        with open(os.path.join(host.root, "run", "qemu", "vm1.pid"), "w") as f:
            f.write(str(impostor.pid))
        assert host.state("vm1") == "shut off (crashed)"
        assert impostor.poll() is None, "an innocent process was killed"
        assert_consistent(host)
        restart_works(host)
        assert impostor.poll() is None
    finally:
        impostor.kill()
        impostor.wait()


# --- SIGKILL in the middle of a command --------------------------------------

def disk_guest(host, name="vm1", memory=128):
    """A guest with a small qcow2 disk (snapshots need one)."""
    image = os.path.join(getattr(host, "image_dir", host.root), name + ".qcow2")
    if not os.path.exists(image):
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", image, "16M"], check=True)
    disk = ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
            "<source file='%s'/><target dev='vda' bus='virtio'/></disk>" % image)
    import uuid
    same = uuid.uuid5(uuid.NAMESPACE_DNS, name + host.root)   # redefinable
    return guest_xml(name, extra_devices=disk).replace(
        "<memory unit='MiB'>128</memory>",
        "<uuid>%s</uuid><memory unit='MiB'>%d</memory>" % (same, memory)).replace(
        "<interface type='user'>", "<interface type='user'><mac address='52:54:00:0f:0a:01'/>")


def operation(host, op, round_no):
    """The virtsh arguments of *op* and whether the guest must run first."""
    if op == "define":
        path = os.path.join(host.root, "new%d.xml" % round_no)
        with open(path, "w") as f:
            f.write(disk_guest(host, memory=128 + 16 * round_no))
        return ["define", path], False
    if op == "edit":
        return ["edit", "vm1", "--xpath", "/domain/memory",
                "--set", str((128 + 16 * round_no) * 1024)], False
    if op == "start":
        return ["start", "vm1"], False
    if op == "save":
        return ["save", "vm1", os.path.join(host.root, "save%d.img" % round_no)], True
    return ["snapshot-create-as", "vm1", "s%d" % round_no], True


def kill_victim(host, proc, victim):
    """SIGKILL virtsh itself, or the QEMU or supervisor the status names."""
    if victim == "virtsh":
        proc.kill()
        return
    try:
        status = host.status("vm1")
        os.kill(status["pid" if victim == "qemu" else "supervisor"], signal.SIGKILL)
    except (OSError, ValueError, KeyError):
        pass        # not running (yet or any more): nothing to kill


def domain_lock(host, name):
    """(fd, slot) of *name*'s lock in the root's one lock file."""
    path = os.path.join(host.root, "run", "qemu", "domains.lock")
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600), lock_slot(name)


def wait_lock_taken(host, proc):
    """Return once *proc* holds the guest's lock (it is operating) or ended."""
    fd, slot = domain_lock(host, "vm1")
    try:
        while proc.poll() is None:
            try:
                fcntl.fcntl(fd, fcntl.F_OFD_SETLK, byte_range(fcntl.F_WRLCK, slot))
                fcntl.fcntl(fd, fcntl.F_OFD_SETLK, byte_range(fcntl.F_UNLCK, slot))
            except BlockingIOError:
                return
            time.sleep(0.001)
    finally:
        os.close(fd)


def bring_to(host, running):
    state = host.virtsh("domstate", "vm1").stdout.strip()
    if running and state != "running":
        if state != "shut off":
            host.virtsh("destroy", "vm1")
        host.virtsh("start", "vm1")
    elif not running and state != "shut off":
        host.virtsh("destroy", "vm1")


@pytest.mark.parametrize("op", ["define", "edit", "start", "save", "snapshot-create"])
def test_sigkill_in_the_middle(host, op):
    rand = random.Random("%s-%s" % (SEED, op))
    host.define(disk_guest(host))
    began = time.monotonic()            # how long a define (or edit) lasts
    if op == "edit":
        host.virtsh("edit", "vm1", "--xpath", "/domain/memory", "--set", "131072")
    else:
        host.define(disk_guest(host))
    quick = time.monotonic() - began
    rounds = 8 if op in ("define", "edit") else 4
    faults = 0
    for round_no in range(rounds):
        args, needs_running = operation(host, op, round_no)
        victim = rand.choice(["virtsh", "virtsh", "qemu", "supervisor"])
        bring_to(host, needs_running or victim != "virtsh")
        if op == "start" and victim != "virtsh":
            bring_to(host, False)
        before = config_text(host, "vm1")
        proc = subprocess.Popen([sys.executable, "-m", "virtsh", "-c", host.uri, *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if op in ("define", "edit"):    # too quick to see its lock taken
            time.sleep(rand.uniform(0.6, 1.0) * quick)
        else:
            wait_lock_taken(host, proc)
            time.sleep(rand.uniform(0, 0.25))
        faults += proc.poll() is None
        kill_victim(host, proc, victim)
        out, err = proc.communicate(timeout=60)
        assert b"Traceback" not in err, err
        assert proc.returncode in (0, 1, -signal.SIGKILL), err
        assert_consistent(host, sockets_may_remain=op == "start" and victim == "virtsh")
        after = config_text(host, "vm1")
        if after != before:         # the new definition, whole: as a clean run writes it
            assert op in ("define", "edit")
            host.virtsh(*args)
            import difflib
            assert config_text(host, "vm1") == after, "".join(difflib.unified_diff(
                after.splitlines(True), config_text(host, "vm1").splitlines(True)))
        if op == "snapshot-create":
            for snap in host.virtsh("snapshot-list", "vm1", "--name").stdout.split():
                host.virtsh("snapshot-dumpxml", "vm1", snap)
        restart_works(host)
    assert faults >= rounds // 2    # most kills land while the command runs


# --- a full disk ---------------------------------------------------------------

@pytest.fixture
def full_disk_host(host):
    """A Host whose embed root is a 2 MiB tmpfs (the guest's disk image
    lives outside it), and a function filling that tmpfs up."""
    from qemu_env import Host
    mount = os.path.join(host.root, "small")
    os.mkdir(mount)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs (needs root)")
    small = Host(mount)
    small.image_dir = host.root
    filler = os.path.join(mount, "filler")

    def fill(full=True):
        if not full:
            os.unlink(filler)
            return
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
    small.fill = fill
    yield small
    small.kill_leftovers()
    for pid in qemus_of(mount):
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    subprocess.run(["umount", "-l", mount])


def test_full_disk_during_define_save_and_snapshot(full_disk_host):
    host = full_disk_host
    host.define(disk_guest(host))
    host.virtsh("start", "vm1")
    before = config_text(host, "vm1")
    host.fill()
    results = {}
    bigger = os.path.join(host.image_dir, "bigger.xml")
    with open(bigger, "w") as f:
        f.write(disk_guest(host, memory=256))
    image = os.path.join(host.root, "vm1.save")
    for op, args in (("define", ["define", bigger]), ("save", ["save", "vm1", image]),
                     ("snapshot", ["snapshot-create-as", "vm1", "full"])):
        proc = host.virtsh(*args, check=False)
        results[op] = proc.returncode
        assert "Traceback" not in proc.stderr
        assert proc.returncode == 0 or proc.stderr.startswith("error: "), proc.stderr
        assert config_text(host, "vm1") in (before, None if op != "define" else before)
        assert host.state("vm1") == "running (booted)"
        assert_consistent(host)
    assert results["define"] == 1 and results["save"] == 1, results
    assert not os.path.exists(image)
    if results["snapshot"]:
        assert host.virtsh("snapshot-list", "vm1", "--name").stdout.split() == []
    host.fill(False)
    host.virtsh("define", bigger)
    host.virtsh("snapshot-create-as", "vm1", "roomy")
    host.virtsh("save", "vm1", image)
    assert host.state("vm1") == "shut off (saved)"
    host.virtsh("restore", image)
    assert host.state("vm1").startswith("running")
    restart_works(host)
