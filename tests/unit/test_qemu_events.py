"""The pieces of QEMU event delivery that need no guest: the event log and
its follower, the QMP-to-domain-event table, virsh's event texts, and the
connection's callbacks fed from the log."""
import os
import threading
import types

import pytest

from virtsh.drivers.errors import VirtError
from virtsh.drivers.qemu import eventlog as E, qmpevents
from virtsh.drivers.qemu.events import _name_matcher
from virtsh.eventtext import describe


@pytest.fixture
def store(tmp_path):
    return types.SimpleNamespace(tree=types.SimpleNamespace(run=str(tmp_path)))


def test_follower_sees_only_new_records_in_time_order(store):
    E.lifecycle(store, "old", 1, E.STARTED, E.STARTED_BOOTED)
    follower = E.Follower(store.tree.run)
    E.lifecycle(store, "b", 7, E.SUSPENDED, E.SUSPENDED_PAUSED)
    E.append(store, "a", 8, qmp={"event": "STOP"})
    got = follower.poll()
    assert [(name, r.get("args"), r.get("qmp"), r["pid"]) for name, r in got] == [
        ("b", [E.SUSPENDED, E.SUSPENDED_PAUSED], None, 7), ("a", None, {"event": "STOP"}, 8)]
    assert follower.poll() == []
    assert os.stat(E.path(store, "a")).st_mode & 0o777 == 0o600


def test_follower_ignores_a_partial_line_until_complete(store):
    follower = E.Follower(store.tree.run)
    os.mkdir(E.folder(store.tree.run))
    with open(E.path(store, "x"), "w") as f:
        f.write('{"time": 1, "pid": 2, "id": 1, "args": []}\n{"time": 2,')
    assert [r["id"] for _, r in follower.poll()] == [1]
    with open(E.path(store, "x"), "a") as f:
        f.write(' "pid": 2, "id": 15, "args": ["hostdev0"]}\n')
    assert [r["args"] for _, r in follower.poll()] == [["hostdev0"]]


def test_a_full_log_is_moved_aside_and_followed_anew(store, monkeypatch):
    monkeypatch.setattr(E, "LIMIT", 200)
    follower = E.Follower(store.tree.run)
    for n in range(6):
        E.domain_event(store, "vm", 1, E.RTC_CHANGE, n)
    seen = [r["args"][0] for _, r in follower.poll()]
    assert os.path.exists(E.path(store, "vm") + ".old")
    assert seen[-1] == 5 and os.path.getsize(E.path(store, "vm")) < 400


def test_qmp_events_become_libvirts_domain_events():
    sources = {"vda": "/images/a.qcow2"}.get
    assert qmpevents.derive("RESET", {"guest": True}) == [(E.REBOOT, [])]
    assert qmpevents.derive("DEVICE_DELETED", {"device": "net1", "path": "/x"}) == \
        [(E.DEVICE_REMOVED, ["net1"])]
    assert qmpevents.derive("DEVICE_DELETED", {"path": "/machine/peripheral-anon"}) == []
    assert qmpevents.derive("BALLOON_CHANGE", {"actual": 1073741824}) == \
        [(E.BALLOON_CHANGE, [1048576])]
    assert qmpevents.derive("BLOCK_JOB_READY", {"device": "copy-vda"}, sources) == \
        [(E.BLOCK_JOB, ["/images/a.qcow2", 2, 3]), (E.BLOCK_JOB_2, ["vda", 2, 3])]
    assert qmpevents.derive("BLOCK_JOB_COMPLETED", {"device": "pull-vdb", "error": "x"}) == \
        [(E.BLOCK_JOB, ["vdb", 1, 1]), (E.BLOCK_JOB_2, ["vdb", 1, 1])]
    assert qmpevents.derive("STOP", {}) == []


@pytest.mark.parametrize("event_id, args, text", [
    (0, (2, 0), "event 'lifecycle' for domain 'vm': Started Booted"),
    (0, (6, 1), "event 'lifecycle' for domain 'vm': Shutdown Finished after guest request"),
    (0, (5, 9), "event 'lifecycle' for domain 'vm': Stopped unknown"),
    (1, (), "event 'reboot' for domain 'vm'"),
    (8, ("/a.img", 4, 0),
     "event 'block-job' for domain 'vm': Active Block Commit for /a.img completed"),
    (16, ("vda", 2, 3), "event 'block-job-2' for domain 'vm': Block Copy for vda ready"),
    (15, ("virtio-disk1",), "event 'device-removed' for domain 'vm': virtio-disk1"),
    (13, (524288,), "event 'balloon-change' for domain 'vm': 524288KiB"),
    (10, ("ide0-1-0", 0), "event 'tray-change' for domain 'vm' disk ide0-1-0: opened"),
    (6, ("/a", "vda", 1, "enospc"),
     "event 'io-error' for domain 'vm': /a (vda) pause due to enospc"),
    (17, ([("cputune.vcpu_period", 100)],),
     "event 'tunable' for domain 'vm':\n\tcputune.vcpu_period: 100"),
])
def test_event_texts_are_virshs(event_id, args, text):
    assert describe(event_id, "vm", args) == text


def test_qmp_event_name_matching():
    assert _name_matcher(None, 0)("ANY")
    assert _name_matcher("STOP", 0)("STOP") and not _name_matcher("stop", 0)("STOP")
    assert _name_matcher("stop", 2)("STOP")
    assert _name_matcher("^BLOCK_JOB", 1)("BLOCK_JOB_READY")
    assert not _name_matcher("^job", 1)("BLOCK_JOB_READY")
    assert _name_matcher("job", 3)("BLOCK_JOB_READY")
    with pytest.raises(VirtError, match="failed to compile regex"):
        _name_matcher("(", 1)


def test_connection_callbacks_get_their_domains_events(tmp_path):
    from virtsh.drivers.qemu.connection import QemuConnection
    from virtsh.drivers.uri import URI
    conn = QemuConnection(URI("qemu:///embed?root=%s" % tmp_path))
    got, done = [], threading.Event()

    def on_event(dom, event_id, args):
        got.append((dom.name(), event_id, args))
        done.set()
    only_b = types.SimpleNamespace(name=lambda: "b")
    callback_id = conn.domain_event_register(only_b, E.REBOOT, on_event)
    conn.qemu_monitor_event_register(None, "RESET", lambda *a: got.append(a[1:]))
    E.domain_event(conn.store, "a", 1, E.REBOOT)
    E.domain_event(conn.store, "b", 1, E.LIFECYCLE, E.STARTED, 0)
    E.append(conn.store, "b", 1, qmp={"event": "RESET", "data": {"guest": True},
                                       "timestamp": {"seconds": 5, "microseconds": 7}})
    E.domain_event(conn.store, "b", 1, E.REBOOT)
    assert done.wait(5)
    assert got == [("RESET", 5, 7, '{"guest":true}'), ("b", E.REBOOT, ())]
    conn.domain_event_deregister(callback_id)
    with pytest.raises(VirtError, match="could not find event callback"):
        conn.domain_event_deregister(callback_id)
