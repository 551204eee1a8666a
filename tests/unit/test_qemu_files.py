"""Atomic state files (drivers/files.py) and the runtime store of the QEMU driver."""
import os

import pytest

from virtsh.drivers import files
from virtsh.drivers.errors import VirtError
from virtsh.drivers.qemu import paths, store
from virtsh.drivers.uri import URI


def test_write_atomic_replaces_whole_file_with_private_mode(tmp_path):
    path = str(tmp_path / "state.json")
    files.write_atomic(path, "first")
    files.write_atomic(path, "second")
    assert open(path).read() == "second"
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.listdir(tmp_path) == ["state.json"]      # no temp file left


def test_a_write_cut_short_keeps_the_old_file_and_leaves_no_temp_file(tmp_path):
    """A disk that fills up mid-write (here: a file size limit, EFBIG, in a
    child process) must leave the previous text whole and nothing else."""
    path = str(tmp_path / "net.xml")
    files.write_atomic(path, "old definition")
    child = os.fork()
    if child == 0:
        import resource
        import signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            files.write_atomic(path, "x" * 100000)
        except OSError:
            os._exit(0)
        os._exit(1)
    assert os.waitpid(child, 0)[1] == 0
    assert open(path).read() == "old definition"
    assert os.listdir(tmp_path) == ["net.xml"]


def test_save_config_makes_private_folders_and_reports_failure_as_libvirt(tmp_path):
    path = str(tmp_path / "etc" / "network" / "net.xml")
    files.save_config(path, "<network/>")
    assert open(path).read() == "<network/>"
    assert os.stat(tmp_path / "etc").st_mode & 0o777 == 0o700
    too_long = str(tmp_path / "etc" / "network" / ("n" * 300 + ".xml"))
    with pytest.raises(VirtError) as failed:
        files.save_config(too_long, "<network/>")
    assert str(failed.value).endswith("': File name too long")
    assert "cannot create config file" in str(failed.value)
    assert sorted(os.listdir(tmp_path / "etc" / "network")) == ["net.xml"]


def test_store_lists_persistent_and_running_names(tmp_path):
    tree = paths.for_uri(URI("qemu:///embed?root=%s" % tmp_path))
    tree.ensure()
    s = store.Store(tree)
    s.write_config("b", "<domain/>")
    files.write_atomic(s.run("a", "status"), "{}")
    assert s.names() == ["a", "b"]


def test_status_of_a_dead_qemu_settles_as_crashed(tmp_path):
    tree = paths.for_uri(URI("qemu:///embed?root=%s" % tmp_path))
    tree.ensure()
    s = store.Store(tree)
    s.write_config("vm", "<domain/>")
    dead = os.fork()
    if dead == 0:
        os._exit(0)
    os.waitpid(dead, 0)
    s.write_status("vm", {"id": 1, "pid": dead, "state": 1, "reason": 1})
    files.write_atomic(s.run("vm", "xml"), "<domain/>")
    assert s.status("vm") is None
    assert s.shutoff_reason("vm") == store.SHUTOFF_CRASHED
    assert not os.path.exists(s.run("vm", "xml"))


def test_ending_file_names_the_reason(tmp_path):
    tree = paths.for_uri(URI("qemu:///embed?root=%s" % tmp_path))
    tree.ensure()
    s = store.Store(tree)
    files.write_atomic(s.run("vm", "ending"), "destroyed")
    assert s.ending_reason("vm", store.SHUTOFF_CRASHED) == store.SHUTOFF_DESTROYED


def test_ids_increase(tmp_path):
    tree = paths.for_uri(URI("qemu:///embed?root=%s" % tmp_path))
    tree.ensure()
    s = store.Store(tree)
    assert [s.next_id() for _ in range(3)] == [1, 2, 3]


def test_stopping_a_guest_removes_what_killed_writers_left_even_for_long_names(tmp_path):
    """A command killed between writing a temp copy and renaming it leaves
    the copy; the guest's stop removes it, whatever the temp name became."""
    tree = paths.for_uri(URI("qemu:///embed?root=%s" % tmp_path))
    tree.ensure()
    s = store.Store(tree)
    for name in ("vm", "v" * 246):
        s.write_config(name, "<domain/>")
        s.write_status(name, {"id": 1, "pid": 0, "state": 1, "reason": 1})
        left = []
        for kind in ("status", "xml", "migration"):
            path = s.run(name, kind)
            left.append(files.temp_prefix(path) + "4194303")
            assert len(os.path.basename(left[-1]).encode()) <= 255
            open(left[-1], "w").close()
        s.finish(name, store.SHUTOFF_DESTROYED)
        assert not [p for p in left if os.path.exists(p)]
    assert sorted(e for e in os.listdir(tree.run) if e.endswith(".shutoff")) == \
        ["vm.shutoff", "v" * 246 + ".shutoff"]

