"""Races between a guest's supervisor and the commands around it: who
settles an ended QEMU, a client killed while re-adopting a guest, the
event log of a transient guest."""
import glob
import os
import random
import signal
import subprocess
import sys
import time

from faults_env import assert_consistent, qemus_of, wait_state
from qemu_env import guest_xml, needs_qemu
from test_faults import wait_lock_taken

pytestmark = needs_qemu


def virtsh_proc(host, *args):
    return subprocess.Popen([sys.executable, "-m", "virtsh", "-c", host.uri, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def supervisors(host):
    """Pids of the processes left of virtsh commands on *host* once they
    ended: its supervisors (forked commands, they keep the command line)."""
    found = []
    for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
        pid = int(cmdline.split("/")[2])
        try:
            with open(cmdline, "rb") as f:
                argv = f.read().split(b"\0")
            with open("/proc/%d/stat" % pid) as f:
                zombie = f.read().rsplit(")", 1)[1].split()[0] == "Z"
        except OSError:
            continue
        if b"virtsh" in argv and ("root=" + host.root).encode() in b" ".join(argv) \
                and not zombie:
            found.append(pid)
    return sorted(found)


def test_shutdown_seen_first_by_a_command_is_still_a_shutdown(host):
    """QEMU ends on SIGTERM while its supervisor is held up: the command
    that notices first waits for the supervisor's verdict."""
    host.define(guest_xml("vm1"))
    host.virtsh("start", "vm1")
    status = host.status("vm1")
    os.kill(status["supervisor"], signal.SIGSTOP)
    try:
        os.kill(status["pid"], signal.SIGTERM)
        deadline = time.monotonic() + 10
        while os.path.exists("/proc/%d/exe" % status["pid"]) and time.monotonic() < deadline:
            time.sleep(0.05)
        asking = virtsh_proc(host, "domstate", "vm1", "--reason")
        time.sleep(0.5)
    finally:
        os.kill(status["supervisor"], signal.SIGCONT)
    out, err = asking.communicate(timeout=30)
    assert (out.strip(), err) == ("shut off (shutdown)", "")
    assert host.runtime_files() == ["vm1.shutoff"]


def test_client_killed_while_adopting_leaves_one_supervisor(host):
    host.define(guest_xml("vm1"))
    host.virtsh("start", "vm1")
    status = host.status("vm1")
    rand = random.Random(25)
    for _ in range(6):
        os.kill(host.status("vm1")["supervisor"], signal.SIGKILL)
        adopting = virtsh_proc(host, "domstate", "vm1")
        wait_lock_taken(host, adopting)         # it adopts (only then it locks)
        time.sleep(rand.uniform(0, 0.02))
        adopting.kill()
        adopting.wait()
    assert host.state("vm1") == "running (booted)"
    # the supervisors that lost their command step aside for the recorded one
    deadline = time.monotonic() + 10
    while len(supervisors(host)) != 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert supervisors(host) == [host.status("vm1")["supervisor"]]
    os.kill(status["pid"], signal.SIGKILL)
    assert wait_state(host, "vm1", "shut off (crashed)") == "shut off (crashed)"
    deadline = time.monotonic() + 10
    while supervisors(host) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert supervisors(host) == []
    assert_consistent(host)


def test_transient_guest_leaves_no_event_log(host):
    path = os.path.join(host.root, "guest.xml")
    with open(path, "w") as f:
        f.write(guest_xml("temp"))
    log = os.path.join(host.root, "run", "qemu", "events", "temp.eventlog")
    watcher = virtsh_proc(host, "event", "--all", "--loop", "--timeout", "20")
    time.sleep(1)
    host.virtsh("create", path)
    assert os.path.exists(log)
    host.virtsh("destroy", "temp")
    deadline = time.monotonic() + 10
    while os.path.exists(log) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not os.path.exists(log)
    watcher.send_signal(signal.SIGINT)
    out, _ = watcher.communicate(timeout=30)
    assert "event 'lifecycle' for domain 'temp': Stopped Destroyed" in out, out
    # a persistent guest keeps its log (bounded) between runs
    host.define(guest_xml("kept"))
    host.virtsh("start", "kept")
    host.virtsh("destroy", "kept")
    time.sleep(1.5)
    assert os.path.exists(os.path.join(host.root, "run", "qemu", "events", "kept.eventlog"))
    assert qemus_of(host.root) == []
