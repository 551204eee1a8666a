"""Events of a QEMU guest as another virtsh process sees them: ``event``
and ``qemu-monitor-event`` follow what the supervisor and the commands log."""
import os
import re
import signal
import subprocess
import sys
import time

from qemu_env import guest_xml, needs_qemu

pytestmark = needs_qemu


def watch(host, *args):
    """Start a waiting virtsh command; return once it follows the event logs
    (its follower thread runs)."""
    proc = subprocess.Popen([sys.executable, "-m", "virtsh", "-c", host.uri, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while len(os.listdir("/proc/%d/task" % proc.pid)) < 2:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the event command never started waiting"
        time.sleep(0.02)
    return proc


def interrupt(proc):
    time.sleep(0.3)                 # let the last events be polled
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    return proc.returncode, out, err


def test_lifecycle_events_arrive_in_order(host):
    proc = watch(host, "event", "--all", "--loop")
    host.define(guest_xml("vm1"))
    for command in ("start", "suspend", "resume", "reset", "destroy"):
        host.virtsh(command, "vm1")
    host.virtsh("start", "--paused", "vm1")
    host.virtsh("destroy", "vm1")
    host.virtsh("undefine", "vm1")
    rc, out, err = interrupt(proc)
    lines = out.splitlines()
    # the firmware of a diskless guest may reset it on its own too
    reboots = [i for i, line in enumerate(lines) if line == "event 'reboot' for domain 'vm1'"]
    prefix = "event 'lifecycle' for domain 'vm1': "
    others = [line for line in lines if "'reboot'" not in line]
    assert others == [
        prefix + "Defined Added",
        prefix + "Resumed Unpaused", prefix + "Started Booted",
        prefix + "Suspended Paused", prefix + "Resumed Unpaused",
        prefix + "Stopped Destroyed",
        prefix + "Started Booted", prefix + "Suspended Paused",
        prefix + "Stopped Destroyed", prefix + "Undefined Removed",
        "event loop interrupted", "events received: %d" % (10 + len(reboots)),
        ""]                             # virsh's closing blank line
    assert reboots and 4 < reboots[0] < lines.index(prefix + "Stopped Destroyed")
    assert (rc, err) == (0, "")


def test_one_shot_event_with_domain_filter_and_timestamp(host):
    host.define(guest_xml("vm1"))
    host.define(guest_xml("other"), name="other.xml")
    proc = watch(host, "event", "--domain", "vm1", "--event", "lifecycle", "--timestamp")
    host.virtsh("start", "other")
    host.virtsh("start", "--paused", "vm1")
    out, err = proc.communicate(timeout=10)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000: "
                        r"event 'lifecycle' for domain 'vm1': Started Booted\n"
                        r"events received: 1\n\n", out), out
    assert proc.returncode == 0


def test_qemu_monitor_event_matches_names_and_pretty_prints(host):
    host.define(guest_xml("vm1"))
    host.virtsh("start", "--paused", "vm1")     # paused: no reset of its own
    regex = watch(host, "qemu-monitor-event", "--domain", "vm1", "--event", "^res",
                  "--regex", "--no-case")
    pretty = watch(host, "qemu-monitor-event", "--event", "reset", "--no-case", "--pretty")
    exact = watch(host, "qemu-monitor-event", "--event", "reset", "--timeout", "1")
    host.virtsh("reset", "vm1")
    outs = [p.communicate(timeout=10)[0] for p in (regex, pretty, exact)]
    host.virtsh("destroy", "vm1")
    stamp = r"event RESET at \d+\.\d{6} for domain 'vm1': "
    assert re.fullmatch(stamp + r'\{"guest":false,"reason":"host-qmp-system-reset"\}\n'
                        r"events received: 1\n\n", outs[0]), outs[0]
    assert re.fullmatch(stamp + r'\{\n  "guest": false,\n  "reason": "host-qmp-system-reset"'
                        r"\n\}\nevents received: 1\n\n", outs[1]), outs[1]
    assert outs[2] == "event loop timed out\nevents received: 0\n\n"
    assert [p.returncode for p in (regex, pretty, exact)] == [0, 0, 1]


def test_nothing_happens_until_the_timeout(host):
    host.define(guest_xml("vm1"))
    proc = host.virtsh("event", "--all", "--timeout", "1", check=False)
    assert (proc.returncode, proc.stdout) == (1, "event loop timed out\nevents received: 0\n\n")
    bad = host.virtsh("event", "--all", "--timeout", "0", check=False)
    assert bad.stderr.startswith("error: Numeric value '0' for <timeout> option is "
                                 "malformed or out of range")


def test_event_log_is_private_and_outlives_the_run(host):
    host.define(guest_xml("vm1"))
    host.virtsh("start", "vm1")
    host.virtsh("destroy", "vm1")
    log = os.path.join(host.root, "run", "qemu", "events", "vm1.eventlog")
    assert os.stat(log).st_mode & 0o777 == 0o600
    assert os.stat(os.path.dirname(log)).st_mode & 0o777 == 0o700
    assert '"qmp":{' in open(log).read()
