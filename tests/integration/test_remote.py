"""The remote driver against a real sshd on 127.0.0.1, through the CLI.

The far side is this same virtsh in its helper mode, opening
``test:///default``; the test driver's state lives in the helper process,
so stateful checks run several commands in one virtsh process.
"""
import io
import os
import signal
import subprocess
import time

import pytest

from qemu_env import guest_xml, needs_qemu
from sshd_env import FAR_VIRTSH, Sshd, keygen, missing_reason

pytestmark = pytest.mark.skipif(missing_reason() is not None,
                                reason=missing_reason() or "")

VIRTSH = FAR_VIRTSH


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    server = Sshd(str(tmp_path_factory.mktemp("sshd")))
    yield server
    server.stop()


def virtsh(*words, env=None):
    return subprocess.run([VIRTSH] + list(words), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60, env=env)


def local_and_remote(sshd, *words):
    return (virtsh("-c", "test:///default", *words),
            virtsh("-c", sshd.uri(), *words))


@pytest.mark.parametrize("command", [
    ["domstate", "test", "--reason"], ["dumpxml", "test"], ["net-list", "--all"],
    ["pool-list", "--all"], ["hostname"], ["nodeinfo"], ["domstate", "nosuch"],
    ["net-info", "nosuch"]])
def test_far_host_answers_as_the_local_driver_would(sshd, command):
    local, remote = local_and_remote(sshd, *command)
    assert (remote.returncode, remote.stdout, remote.stderr) == \
        (local.returncode, local.stdout, local.stderr)


def test_dominfo_and_list_show_the_far_domains(sshd):
    result = virtsh("-c", sshd.uri(), "dominfo test; list --all")
    assert result.returncode == 0, result.stderr
    assert "Name:           test\n" in result.stdout
    assert "Persistent:     yes\n" in result.stdout
    assert " 1    test   running\n" in result.stdout


def test_uri_is_the_one_connected_to(sshd):
    result = virtsh("-c", sshd.uri(), "uri")
    assert result.stdout == sshd.uri() + "\n\n"


def test_define_start_destroy_keep_state_in_one_session(sshd, tmp_path):
    xml = tmp_path / "guest.xml"
    xml.write_text("<domain type='test'><name>far1</name><memory>65536</memory>"
                   "<os><type>hvm</type></os></domain>")
    result = virtsh("-c", sshd.uri(), "define %s; domstate far1; start far1; "
                    "domstate far1; list; destroy far1; domstate far1; undefine far1; "
                    "list --all --name" % xml)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n\n")[:8] == [
        "Domain 'far1' defined from %s" % xml, "shut off", "Domain 'far1' started",
        "running",
        " Id   Name   State\n----------------------\n 1    test   running\n 2    far1   running",
        "Domain 'far1' destroyed", "shut off", "Domain 'far1' has been undefined"]
    assert "far1" not in result.stdout.split("\n\n")[8]


def test_readonly_connection_refuses_changes(sshd):
    result = virtsh("-r", "-c", sshd.uri(), "destroy test")
    assert result.returncode == 1
    assert result.stderr == ("error: Failed to destroy domain 'test'\nerror: operation "
                             "forbidden: read only access prevents virDomainDestroy\n")


def test_driver_errors_come_back_with_their_text(sshd):
    local, remote = local_and_remote(sshd, "suspend nosuch; net-start default; "
                                     "pool-info nosuch; domblkinfo test nosuch")
    assert remote.stderr.count("error: ") >= 4
    assert (remote.returncode, remote.stdout, remote.stderr) == \
        (local.returncode, local.stdout, local.stderr)


def test_unknown_host_key_is_refused(sshd, tmp_path):
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    result = virtsh("-c", sshd.uri(known_hosts=str(empty)), "hostname")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "error: failed to connect to the hypervisor"
    assert lines[1].startswith("error: SSH transport error: host key verification failed: "
                               "'[127.0.0.1]:%d' is not a known host" % sshd.port)
    assert "ssh-ed25519 key SHA256:" in lines[1]


def test_changed_host_key_is_refused_unless_no_verify(sshd, tmp_path):
    other = keygen(str(tmp_path / "other"))
    sshd.write_known_hosts(other)
    try:
        changed = virtsh("-c", sshd.uri(), "hostname")
        unchecked = virtsh("-c", sshd.uri(no_verify=1), "hostname")
    finally:
        sshd.write_known_hosts(sshd.host_key_pub)
    assert changed.returncode == 1
    assert "host key of '[127.0.0.1]:%d' has changed" % sshd.port in changed.stderr
    assert "man-in-the-middle" in changed.stderr
    assert (unchecked.returncode, unchecked.stdout) == (0, "vm\n\n")


def test_auto_verify_records_a_new_host_then_checks_it(sshd, tmp_path):
    known = tmp_path / "known_hosts"
    first = virtsh("-c", sshd.uri(known_hosts=str(known), known_hosts_verify="auto"),
                   "hostname")
    assert (first.returncode, first.stderr) == (0, "")
    assert known.read_text().split()[1:] == sshd.host_key_pub.split()[:2]
    again = virtsh("-c", sshd.uri(known_hosts=str(known)), "hostname")
    assert (again.returncode, again.stdout) == (0, "vm\n\n")


def test_a_key_the_server_does_not_know_is_rejected(sshd, tmp_path):
    stranger = str(tmp_path / "stranger")
    keygen(stranger)
    result = virtsh("-c", sshd.uri(keyfile=stranger), "hostname")
    assert result.returncode == 1
    assert result.stderr.splitlines()[1].startswith(
        "error: authentication failed: no identity was accepted for %s@" % sshd.user)


def test_refused_connection(sshd):
    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    uri = sshd.uri().replace(":%d/" % sshd.port, ":%d/" % closed_port)
    result = virtsh("-c", uri, "hostname")
    assert result.returncode == 1
    assert result.stderr == ("error: failed to connect to the hypervisor\n"
                             "error: unable to connect to server at '127.0.0.1:%d': "
                             "Connection refused\n" % closed_port)


def test_missing_far_virtsh_is_named(sshd):
    result = virtsh("-c", sshd.uri(virtsh="/nonexistent/virtsh"), "hostname")
    assert result.returncode == 1
    assert "error: cannot start virtsh on '127.0.0.1': " in result.stderr
    assert "/nonexistent/virtsh" in result.stderr


def test_a_far_program_without_helper_mode_is_reported(sshd):
    result = virtsh("-c", sshd.uri(virtsh="/bin/true"), "hostname")
    assert result.returncode == 1
    assert "cannot serve remote connections (too old?)" in result.stderr


def test_a_far_virtsh_of_another_protocol_is_named(sshd, tmp_path):
    old = tmp_path / "old-virtsh"
    old.write_text("#!/bin/sh\necho 'virtsh-remote 0 0.0.1'\n")
    old.chmod(0o755)
    result = virtsh("-c", sshd.uri(virtsh=str(old)), "hostname")
    assert result.returncode == 1
    assert result.stderr.splitlines()[1].startswith(
        "error: virtsh 0.0.1 on '127.0.0.1' speaks remote protocol 0; this virtsh ")


def _wrapper(sshd, tmp_path):
    """A far program that records its pid, then becomes the helper."""
    script = tmp_path / "far-virtsh"
    pidfile = tmp_path / "helper.pid"
    script.write_text('#!/bin/sh\necho $$ > "%s"\nexec "%s" "$@"\n' % (pidfile, FAR_VIRTSH))
    script.chmod(0o755)
    return str(script), pidfile


def _wait_for(path):
    deadline = time.monotonic() + 20
    while not (path.exists() and path.read_text().strip()):
        assert time.monotonic() < deadline, "the far helper did not start"
        time.sleep(0.05)
    return int(path.read_text())


def _connected_shell(sshd, tmp_path, *options):
    """A virtsh shell reading commands from a pipe, connected (it answered
    a first command), and the far helper's pid."""
    program, pidfile = _wrapper(sshd, tmp_path)
    shell = subprocess.Popen([VIRTSH, "-q"] + list(options) + ["-c", sshd.uri(virtsh=program)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ, PYTHONUNBUFFERED="1"))
    shell.stdin.write("hostname\n")
    shell.stdin.flush()
    while shell.stdout.readline() != "vm\n":     # after the echoed prompt line
        assert shell.poll() is None, shell.stderr.read()
    return shell, _wait_for(pidfile)


def test_peer_dying_mid_command_is_an_error_not_a_hang(sshd, tmp_path):
    shell, helper = _connected_shell(sshd, tmp_path)
    os.kill(helper, signal.SIGSTOP)
    shell.stdin.write("nodeinfo\n")
    shell.stdin.flush()
    time.sleep(0.5)                 # the request is out, its answer awaited
    os.kill(helper, signal.SIGKILL)
    out, err = shell.communicate("hostname\n", timeout=30)
    assert "CPU model" not in out
    assert err.splitlines() == [
        "error: failed to get node information",
        "error: End of file while reading data: Input/output error",
        "error: failed to get hostname",
        "error: internal error: client socket is closed"]


def test_keepalive_detects_a_silent_peer(sshd, tmp_path):
    shell, _ = _connected_shell(sshd, tmp_path, "-k", "1", "-K", "2")
    frozen = sshd.session_pids()
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    try:
        start = time.monotonic()
        out, err = shell.communicate("hostname\n", timeout=30)
        waited = time.monotonic() - start
    finally:
        for pid in frozen:
            for sig in (signal.SIGKILL, signal.SIGCONT):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:      # already gone (and reaped)
                    break
    assert err.splitlines()[-1] == \
        "error: internal error: connection closed due to keepalive timeout"
    assert 2 <= waited < 10


def test_ssh_config_alias_and_proxyjump(sshd, tmp_path):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    block = ("  HostName 127.0.0.1\n  Port %d\n  User %s\n  IdentityFile %s\n"
             "  UserKnownHostsFile %s\n" % (sshd.port, sshd.user, sshd.client_key,
                                            sshd.known_hosts))
    (home / ".ssh" / "config").write_text(
        "Host farhost\n%s  ProxyJump jumphost\n\nHost jumphost\n%s" % (block, block))
    env = dict(os.environ, HOME=str(home))
    result = virtsh("-c", "test+ssh://farhost/default?virtsh=" + FAR_VIRTSH,
                    "domstate test", env=env)
    assert (result.returncode, result.stdout, result.stderr) == (0, "running\n\n", "")


def test_list_of_fifty_domains_is_one_round_trip(sshd):
    from virtsh import engine
    from virtsh.control import Control
    from virtsh.drivers import open as open_driver
    conn = open_driver(sshd.uri())
    try:
        for i in range(50):
            conn.define_domain("<domain type='test'><name>vm%02d</name><memory>1024"
                               "</memory><os><type>hvm</type></os></domain>" % i)
        exchanges = []
        real = conn._exchange
        conn._exchange = lambda doc: exchanges.append(doc["m"]) or real(doc)
        ctl = Control()
        ctl.conn = conn
        ctl.out = io.StringIO()
        assert engine.run_string(ctl, "list --all")
    finally:
        conn.close()
    table = ctl.out.getvalue().splitlines()
    assert table[2] == " 1    test   running"
    assert sum(line.endswith("   shut off") for line in table) == 50
    assert table[3] == " -    vm00   shut off"
    assert exchanges == ["list_all_domains"]


@needs_qemu
def test_far_qemu_embed_guest_lifecycle(sshd, host, tmp_path):
    uri = sshd.uri(driver="qemu", path="/embed", root=host.root)
    xml = tmp_path / "guest.xml"
    xml.write_text(guest_xml("farq"))
    steps = [("define", str(xml)), ("start", "farq"), ("domstate", "farq", "--reason"),
             ("destroy", "farq"), ("domstate", "farq"), ("undefine", "farq")]
    out = []
    for step in steps:
        result = virtsh("-c", uri, *step)
        assert result.returncode == 0, (step, result.stderr)
        out.append(result.stdout.strip())
    assert out == ["Domain 'farq' defined from %s" % xml, "Domain 'farq' started",
                   "running (booted)", "Domain 'farq' destroyed", "shut off",
                   "Domain 'farq' has been undefined"]


def _passphrase_key(sshd, tmp_path):
    """A key protected by a passphrase, authorized on the server."""
    path = str(tmp_path / "locked")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "sesame", "-f", path],
                   check=True)
    with open(os.path.join(sshd.dir, "authorized_keys"), "a") as f:
        f.write(open(path + ".pub").read())
    return path


def test_passphrase_is_not_asked_without_a_terminal(sshd, tmp_path):
    locked = _passphrase_key(sshd, tmp_path)
    result = virtsh("-c", sshd.uri(keyfile=locked), "hostname")
    assert result.returncode == 1
    assert "%s (needs a passphrase, no terminal to ask it)" % locked in result.stderr


def test_passphrase_is_asked_on_the_terminal(sshd, tmp_path):
    import pty
    locked = _passphrase_key(sshd, tmp_path)
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(VIRTSH, [VIRTSH, "-c", sshd.uri(keyfile=locked), "hostname"])
    seen = b""
    while b"Enter passphrase for key '%s': " % locked.encode() not in seen:
        seen += os.read(fd, 1024)
    os.write(fd, b"sesame\n")
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:             # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert seen.endswith(b"\r\nvm\r\n\r\n")
