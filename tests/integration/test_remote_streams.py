"""What flows beside plain calls over the remote driver, against the test
sshd: volume uploads and downloads, events while ``event --loop`` waits,
a far guest's interactive console and its screenshot."""
import os
import pty
import select
import subprocess
import time

import pytest

import linux_guest
from qemu_env import QEMU, guest_xml, needs_qemu
from sshd_env import FAR_VIRTSH, Sshd, missing_reason

pytestmark = pytest.mark.skipif(missing_reason() is not None,
                                reason=missing_reason() or "")


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    server = Sshd(str(tmp_path_factory.mktemp("sshd")))
    yield server
    server.stop()


def virtsh(uri, *words, timeout=60):
    return subprocess.run([FAR_VIRTSH, "-c", uri] + list(words), capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=timeout)


def far(sshd, host):
    return sshd.uri(driver="qemu", path="/embed", root=host.root)


@needs_qemu
def test_volume_upload_and_download(sshd, host, tmp_path):
    uri = far(sshd, host)
    pool = os.path.join(host.root, "pool")
    os.mkdir(pool)
    for words in (("pool-define-as", "p", "dir", "--target", pool), ("pool-start", "p"),
                  ("vol-create-as", "p", "v", "4M")):
        assert virtsh(uri, *words).returncode == 0
    data = os.urandom(3 * 1024 * 1024 + 17)        # more than one frame's worth
    (tmp_path / "up").write_bytes(data)
    result = virtsh(uri, "vol-upload", "--pool", "p", "v", str(tmp_path / "up"))
    assert result.returncode == 0, result.stderr
    with open(os.path.join(pool, "v"), "rb") as f:        # it is on the far host
        assert f.read(len(data)) == data
    result = virtsh(uri, "vol-download", "--pool", "p", "v", str(tmp_path / "down"),
                    "--offset", "1000", "--length", "5000")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "down").read_bytes() == data[1000:6000]
    result = virtsh(uri, "vol-download", "--pool", "p", "v", str(tmp_path / "all"))
    assert (tmp_path / "all").read_bytes() == data + bytes(4 * 1024 * 1024 - len(data))
    # and the answers after the streams are still in step
    listing = virtsh(uri, "vol-list", "p").stdout.decode()
    assert " v      %s/v\n" % pool in listing


def _waiting(sshd, host, *words):
    return subprocess.Popen([FAR_VIRTSH, "-c", far(sshd, host)] + list(words),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@needs_qemu
def test_event_loops_print_the_far_hosts_events(sshd, host):
    domain_events = _waiting(sshd, host, "event", "--all", "--loop", "--timeout", "20")
    qmp_events = _waiting(sshd, host, "qemu-monitor-event", "--loop", "--timeout", "20")
    time.sleep(3)                       # registered by then, even under load
    host.define(guest_xml("watched"))
    host.virtsh("start", "watched")
    host.virtsh("destroy", "watched")
    out, err = domain_events.communicate(timeout=60)
    assert err == ""
    lines = out.rstrip("\n").splitlines()
    assert "event 'lifecycle' for domain 'watched': Defined Added" in lines
    assert "event 'lifecycle' for domain 'watched': Started Booted" in lines
    assert "event 'lifecycle' for domain 'watched': Stopped Destroyed" in lines
    assert lines[-2:] == ["event loop timed out", "events received: %d" % (len(lines) - 2)]
    out, err = qmp_events.communicate(timeout=60)
    assert err == ""
    assert "for domain 'watched': {\"guest\":false,\"reason\":\"host-signal\"}" in out
    assert out.startswith("event RESUME at ")


def test_event_loop_over_test_ssh_ends_as_locally(sshd):
    words = ("event", "--all", "--loop", "--timeout", "1")
    local = virtsh("test:///default", *words)
    remote = virtsh(sshd.uri(), *words)
    assert (remote.returncode, remote.stdout, remote.stderr) == \
        (local.returncode, local.stdout, local.stderr)
    assert remote.stdout == b"event loop timed out\nevents received: 0\n\n"


# The guest answers each line typed on its serial console.
ECHO = "while true; do read line < /dev/ttyS0; echo \"GOT:$line\" > /dev/ttyS0; done"


def _read_until(fd, wanted, timeout):
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError("no %r in %r" % (wanted, seen))
        try:
            seen += os.read(fd, 4096)
        except OSError:
            break
    return seen


@needs_qemu
@pytest.mark.skipif(not linux_guest.available(), reason="needs busybox-static and a kernel")
def test_console_of_a_far_guest(sshd, host):
    initrd = linux_guest.build_initramfs(os.path.join(host.root, "initrd.gz"),
                                         after_ready=ECHO)
    log = os.path.join(host.root, "unused.log")
    xml = linux_guest.guest_xml("talker", "qemu", QEMU, initrd, log).replace(
        "<serial type='file'><source path='%s'/><target port='0'/></serial>" % log,
        "<serial type='pty'><target port='0'/></serial>"
        "<console type='pty'><target type='serial' port='0'/></console>")
    host.define(xml)
    host.virtsh("start", "talker")
    pid, terminal = pty.fork()
    if pid == 0:
        os.execv(FAR_VIRTSH, [FAR_VIRTSH, "-c", far(sshd, host), "console", "talker"])
    try:
        assert b"Escape character is ^] (Ctrl + ])" in _read_until(terminal, b"(Ctrl + ])",
                                                                  30)
        # the guest may still be booting: ask until it answers
        deadline = time.monotonic() + 120
        while True:
            os.write(terminal, b"ping\r")
            try:
                _read_until(terminal, b"GOT:ping", 5)
                break
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
        os.write(terminal, b"\x1d")                     # ^] leaves the console
        _, status = os.waitpid(pid, 0)
        pid = None
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    finally:
        if pid:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(terminal)
    # the session ended: the console can be taken again at once
    again = virtsh(far(sshd, host), "console", "talker", "--safe")
    assert b"Cannot run interactive console without a controlling TTY" in again.stderr


@needs_qemu
def test_screenshot_of_a_far_guest(sshd, host, tmp_path):
    host.define(guest_xml("shown", extra_devices="<graphics type='vnc'/>"
                          "<video><model type='vga'/></video>"))
    host.virtsh("start", "shown")
    target = tmp_path / "shot"
    result = virtsh(far(sshd, host), "screenshot", "shown", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"Screenshot saved to %s, with type of "
                                    b"image/x-portable-pixmap" % bytes(target))
    image = target.read_bytes()
    assert image.startswith(b"P6\n") and len(image) > 100000    # 720x400 or more
