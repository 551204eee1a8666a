"""Faults in the middle of a live migration between two qemu:///embed roots
(locally and to a host reached over ssh): the client, either QEMU or the
destination's supervisor killed with SIGKILL while the job is in flight.
Afterwards the source tells the truth, the destination keeps nothing half
arrived, no QEMU is orphaned and the guest migrates on a second try.

The source's QEMU is held just before the switch-over (QEMU's
pause-before-switchover capability), so every kill lands mid-job."""
import json
import os
import signal
import subprocess
import sys

import pytest

from faults_env import assert_consistent, qemus_of
from qemu_env import guest_xml, needs_qemu, wait_for
import test_migrate

pytestmark = needs_qemu
dest = test_migrate.dest                # the destination host's fixture


def monitor(host, name, command, **arguments):
    """QEMU's answer to one QMP command, through qemu-monitor-command."""
    request = {"execute": command}
    if arguments:
        request["arguments"] = arguments
    return json.loads(host.virtsh("qemu-monitor-command", name,
                                  json.dumps(request)).stdout)["return"]


def hold_before_switchover(host, name, hold=True):
    monitor(host, name, "migrate-set-capabilities", capabilities=[
        {"capability": "pause-before-switchover", "state": hold}])


def migration_status(host, name):
    return monitor(host, name, "query-migrate").get("status")


def stalled_migration(host, name, target):
    """A `virtsh migrate --live` of the running *name* to *target*, held
    before the switch-over: the running client process."""
    hold_before_switchover(host, name)
    proc = subprocess.Popen([sys.executable, "-m", "virtsh", "-c", host.uri, "migrate",
                             name, target, "--live"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: proc.poll() is not None or migration_status(host, name)
             == "pre-switchover", 60, "the migration to reach the switch-over")
    assert proc.poll() is None, proc.communicate()
    return proc


def listed(host):
    return host.virtsh("list", "--all", "--name").stdout.split()


def settled(host, dest):
    """No QEMU or runtime file of either root left astray."""
    assert_consistent(host)
    assert_consistent(dest)


def migrates_again(host, dest, name):
    """The guest, wherever the fault left it, moves to the other root."""
    if host.virtsh("domstate", name).stdout.strip() == "shut off" and name in listed(dest):
        src, dst = dest, host
    else:
        src, dst = host, dest
        if src.virtsh("domstate", name).stdout.strip() == "shut off":
            src.virtsh("start", name)
    hold_before_switchover(src, name, False)    # (a new QEMU would not hold either)
    src.virtsh("migrate", name, dst.uri, "--live")
    assert dst.state(name) == "running (migrated)"
    if name in listed(src):                         # (a transient guest is gone)
        assert src.state(name) == "shut off (migrated)"
    settled(host, dest)


@pytest.fixture
def sshd(tmp_path):
    from sshd_env import Sshd, missing_reason
    if missing_reason():
        pytest.skip(missing_reason())
    server = Sshd(str(tmp_path))
    yield server
    server.stop()


@pytest.mark.parametrize("over_ssh", [False, True], ids=["local", "ssh"])
def test_client_killed_mid_migration(host, dest, over_ssh, request):
    host.define(guest_xml("mig"))
    host.virtsh("start", "mig")
    target = dest.uri
    if over_ssh:
        sshd = request.getfixturevalue("sshd")
        target = sshd.uri(path="/embed", driver="qemu", root=dest.root)
    proc = stalled_migration(host, "mig", target)
    assert listed(dest) == ["mig"]                  # arrived half-way, paused
    proc.kill()
    proc.communicate(timeout=30)
    # the next command on the source finds the job nobody drives any more
    assert host.state("mig") == "running (migration canceled)"
    assert migration_status(host, "mig") == "cancelled"
    # the destination's supervisor drops the guest nobody will finish
    wait_for(lambda: listed(dest) == [], 20, "the destination to drop the guest")
    assert qemus_of(dest.root) == []
    if over_ssh:
        wait_for(lambda: sshd.session_pids() == [], 20, "the far helper to end")
    settled(host, dest)
    migrates_again(host, dest, "mig")


@pytest.mark.parametrize("victim", ["source-qemu", "dest-qemu", "dest-supervisor"])
def test_process_killed_mid_migration(host, dest, victim):
    host.define(guest_xml("mig"))
    host.virtsh("start", "mig")
    proc = stalled_migration(host, "mig", dest.uri)
    side, key = {"source-qemu": (host, "pid"), "dest-qemu": (dest, "pid"),
                 "dest-supervisor": (dest, "supervisor")}[victim]
    os.kill(side.status("mig")[key], signal.SIGKILL)
    if victim != "source-qemu":         # let the source go on to the switch-over
        monitor(host, "mig", "migrate-continue", state="pre-switchover")
    out, err = proc.communicate(timeout=60)
    assert "Traceback" not in err
    if victim == "dest-supervisor":     # QEMU outlived it: the guest arrived
        assert (proc.returncode, err) == (0, "")
        assert dest.state("mig") == "running (migrated)"
        assert host.state("mig") == "shut off (migrated)"
    else:
        assert proc.returncode == 1 and err.startswith("error: "), err
        assert host.state("mig") == ("shut off (crashed)" if victim == "source-qemu"
                                     else "running (migration canceled)")
        assert listed(dest) == []
    settled(host, dest)
    migrates_again(host, dest, "mig")

