"""The domain lock of the QEMU driver's store: re-entrant for its holder,
exclusive for everyone else, and how a dead QEMU's status is settled by
whoever finds it (the supervisor's word first)."""
import fcntl
import os
import signal
import time

import pytest

from virtsh.drivers import files
from virtsh.drivers.qemu import paths, store
from virtsh.drivers.uri import URI


@pytest.fixture
def s(tmp_path):
    tree = paths.for_uri(URI("qemu:///embed?root=%s" % tmp_path))
    tree.ensure()
    return store.Store(tree)


@pytest.fixture
def deadline():
    """Fail (rather than hang the suite) when a test blocks for 10 s."""
    def expired(*_):
        raise TimeoutError("blocked on a lock")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def dead_pid():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def others_can_lock(lock):
    """Whether another process could take *lock* (a domain's) right now."""
    child = os.fork()
    if child == 0:
        fd = os.open(lock.path, os.O_RDWR)
        try:
            fcntl.fcntl(fd, fcntl.F_OFD_SETLK, files.byte_range(fcntl.F_WRLCK, lock.slot))
            os._exit(0)
        except BlockingIOError:
            os._exit(1)
    return os.waitpid(child, 0)[1] == 0


def test_status_settles_a_dead_qemu_while_the_caller_holds_the_lock(s, deadline):
    s.write_config("vm", "<domain/>")
    s.write_status("vm", {"id": 1, "pid": dead_pid(), "state": 1, "reason": 1})
    with s.lock("vm"):
        assert s.status("vm") is None
        assert not os.path.exists(s.run("vm", "status"))
    assert s.shutoff_reason("vm") == store.SHUTOFF_CRASHED


def test_nested_holds_keep_others_out_until_the_outermost_ends(s, deadline):
    probe = s.lock("vm")
    with s.lock("vm"):
        with s.lock("vm"):
            assert not others_can_lock(probe)
        assert not others_can_lock(probe)      # the inner exit kept it
    assert others_can_lock(probe)


def test_each_domain_has_its_own_lock_in_one_file(s, deadline):
    with s.lock("vm"):
        assert others_can_lock(s.lock("vm2"))
        assert not others_can_lock(s.lock("vm"))
    names = ["vm%d" % i for i in range(1000)]
    assert len({store.lock_slot(n) for n in names}) == len(names)
    assert sorted(os.listdir(s.tree.run)) == ["domains.lock"]


def test_a_forked_child_does_not_inherit_the_hold(s, deadline):
    with s.lock("vm"):
        child = os.fork()
        if child == 0:
            lock = s.lock("vm")
            os._exit(0 if not lock.held() else 1)
        assert os.waitpid(child, 0)[1] == 0


def test_a_live_supervisor_gets_to_settle_its_qemu_first(s, deadline):
    """A command that sees QEMU gone lets the supervisor, which knows how it
    ended (here: a shutdown), record that rather than guessing "crashed"."""
    s.write_config("vm", "<domain/>")
    supervisor = os.fork()
    if supervisor == 0:
        time.sleep(0.3)
        with s.lock("vm"):
            s.finish("vm", store.SHUTOFF_SHUTDOWN)
        os._exit(0)
    try:
        s.write_status("vm", {"id": 1, "pid": dead_pid(), "state": 1, "reason": 1,
                              "supervisor": supervisor,
                              "supervisor_start": store.proc_start_time(supervisor)})
        began = time.monotonic()
        assert s.status("vm") is None
        assert time.monotonic() - began < store.SUPERVISOR_GRACE
        assert s.shutoff_reason("vm") == store.SHUTOFF_SHUTDOWN
    finally:
        os.waitpid(supervisor, 0)


def test_a_silent_supervisor_is_waited_for_only_a_moment(s, deadline, monkeypatch):
    monkeypatch.setattr(store, "SUPERVISOR_GRACE", 0.3)
    s.write_config("vm", "<domain/>")
    stuck = os.fork()
    if stuck == 0:
        time.sleep(30)
        os._exit(0)
    try:
        s.write_status("vm", {"id": 1, "pid": dead_pid(), "state": 1, "reason": 1,
                              "supervisor": stuck,
                              "supervisor_start": store.proc_start_time(stuck)})
        began = time.monotonic()
        assert s.status("vm") is None
        assert time.monotonic() - began < 2
        assert s.shutoff_reason("vm") == store.SHUTOFF_CRASHED
    finally:
        os.kill(stuck, signal.SIGKILL)
        os.waitpid(stuck, 0)
