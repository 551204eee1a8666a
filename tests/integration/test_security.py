"""Security properties that hold without a running guest.

- qemu:///system is refused to a user who is not root;
- the state trees of qemu:///embed and qemu:///session hold files of mode
  0600 in directories of mode 0700, whatever the umask;
- graphics passwords and secret values stay out of dumpxml (unless
  --security-info asks), out of -l logs and out of error messages.

(SSH host keys are checked strictly: tests/integration/test_remote.py
refuses unknown and changed keys.)
"""
import os
import pwd
import stat
import subprocess
import sys

import pytest

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "fuzz")
PASSWORD = "Vnc-Pa55-9f3e"
SPICE_PASSWORD = "Spice-Pa55-4b1c"
SECRET_UUID = "5ec7e7a0-0000-4000-8000-000000000001"
SECRET_VALUE = b"S3cret-Value-77aa"


def virtsh(*words, env=None, cwd=None, preexec_fn=None):
    """Run virtsh through its real entry point; the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "virtsh", *words], capture_output=True,
                          text=True, env=env, cwd=cwd, preexec_fn=preexec_fn,
                          stdin=subprocess.DEVNULL, timeout=120)


def domain_xml(name, kind):
    return ("<domain type='%s'><name>%s</name><memory unit='MiB'>64</memory>"
            "<os><type arch='x86_64'>hvm</type></os><devices>"
            "<graphics type='vnc' autoport='yes' passwd='%s'/>"
            "<graphics type='spice' autoport='yes' passwd='%s'/>"
            "</devices></domain>" % (kind, name, PASSWORD, SPICE_PASSWORD))


def write(folder, name, text):
    path = folder / name
    path.write_text(text)
    return str(path)


# --- qemu:///system ---------------------------------------------------------------
def as_nobody(words, warm_up):
    """Run virtsh's entry point in a forked child that became ``nobody``;
    (exit status, stderr).  Forked rather than executed, so the test does
    not depend on whether nobody may read this checkout: *warm_up* (the
    same command on a harmless URI) first imports every module it needs."""
    import contextlib
    import io
    from virtsh.main import main
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(list(warm_up))
    nobody = pwd.getpwnam("nobody")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                        # the child
        status = 2
        try:
            os.close(read_end)
            os.setgid(nobody.pw_gid)
            os.setgroups([])
            os.setuid(nobody.pw_uid)
            os.environ["HOME"] = "/nonexistent"
            err = io.StringIO()
            sys.stdout, sys.stderr = io.StringIO(), err
            status = main(list(words))
            os.write(write_end, err.getvalue().encode())
        finally:
            os._exit(status if isinstance(status, int) else 2)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        stderr = pipe.read().decode()
    _, wait_status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(wait_status), stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to become another user")
def test_system_uri_is_refused_to_a_user_who_is_not_root(tmp_path):
    document = tmp_path / "domain.xml"
    document.write_text("<domain type='qemu'><name>x</name><memory>65536</memory>"
                        "<os><type>hvm</type></os></domain>")
    harmless = "qemu:///embed?root=%s" % (tmp_path / "warm-up")
    for words in (["list", "--all"], ["define", str(document)]):
        status, stderr = as_nobody(["-c", "qemu:///system"] + words, ["-c", harmless] + words)
        assert status == 1
        assert stderr.startswith("error: failed to connect to the hypervisor\n")
        assert "qemu:///session" in stderr
    assert not os.path.exists("/nonexistent")


# --- private state trees -------------------------------------------------------------
def populate(uri, folder, env):
    """Define one object of each kind with state on disk; return the outputs."""
    docs = folder / "docs"
    docs.mkdir()
    pool_target = folder / "pool-target"
    value_file = docs / "value.bin"
    value_file.write_bytes(SECRET_VALUE)
    script = "; ".join([
        "define " + write(docs, "dom.xml", domain_xml("private", "qemu")),
        "autostart private",
        "net-define " + os.path.join(DATA, "network.xml"),
        "net-autostart fuzz-net",
        "pool-define " + write(docs, "pool.xml", "<pool type='dir'><name>p</name><target>"
                                "<path>%s</path></target></pool>" % pool_target),
        "pool-autostart p",
        "secret-define " + os.path.join(DATA, "readonly", "secret.xml"),
        "secret-set-value %s --file %s" % (SECRET_UUID, value_file),
        "domdisplay private",
        "dumpxml private",
        "secret-dumpxml " + SECRET_UUID,
        "secret-list",
    ])
    log = folder / "virtsh.log"
    result = virtsh("-c", uri, "-d", "0", "-l", str(log), script, env=env)
    assert result.stderr.count("error: ") <= 2, result.stderr   # only domdisplay may fail
    return result, log.read_bytes()


def assert_private(top):
    """Every file under *top* 0600 or stricter, every directory 0700."""
    loose = []
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            path = os.path.join(folder, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                continue
            if stat.S_IMODE(mode) & 0o077:
                loose.append("%o %s" % (stat.S_IMODE(mode), path))
    assert loose == []


def _umask_022():
    os.umask(0o022)


@pytest.fixture
def session_env(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return dict(os.environ, HOME=str(home), XDG_RUNTIME_DIR=str(home / "run"),
                XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"),
                XDG_DATA_HOME=str(home / ".local" / "share"))


def test_embed_state_tree_is_private(tmp_path):
    root = tmp_path / "root"
    old = os.umask(0o022)
    try:
        result, log = populate("qemu:///embed?root=%s" % root, tmp_path, None)
    finally:
        os.umask(old)
    files = [os.path.join(f, n) for f, _, names in os.walk(root) for n in names]
    assert any(p.endswith(SECRET_UUID + ".xml") for p in files), files
    assert any("/qemu/private.xml" in p for p in files), files
    assert_private(root)


def test_session_state_tree_is_private(tmp_path, session_env):
    old = os.umask(0o022)
    try:
        populate("qemu:///session", tmp_path, session_env)
    finally:
        os.umask(old)
    home = session_env["HOME"]
    owned = [os.path.join(session_env[var], "virtsh") for var in
             ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR")]
    assert all(os.path.isdir(p) for p in owned), os.listdir(home)
    for top in owned:
        assert stat.S_IMODE(os.stat(top).st_mode) == 0o700, top
        assert_private(top)


# --- secrets in output, logs and errors ----------------------------------------------
def test_secret_values_and_passwords_stay_out_of_output_and_logs(tmp_path):
    root = tmp_path / "root"
    result, log = populate("qemu:///embed?root=%s" % root, tmp_path, None)
    shown = result.stdout + result.stderr
    for value in (PASSWORD, SPICE_PASSWORD, SECRET_VALUE.decode()):
        assert value not in shown
        assert value.encode() not in log
    assert "<graphics type='vnc'" in result.stdout          # the dumpxml did run
    secure = virtsh("-c", "qemu:///embed?root=%s" % root, "dumpxml private --security-info")
    assert "passwd='%s'" % PASSWORD in secure.stdout        # kept, shown on request


def test_passwords_stay_out_of_test_driver_dumpxml(tmp_path):
    path = write(tmp_path, "dom.xml", domain_xml("pw", "test"))
    result = virtsh("-c", "test:///default", "define %s; dumpxml pw; dumpxml pw --inactive; "
                    "dumpxml pw --migratable; echo ===; dumpxml pw --security-info" % path)
    plain, secure = result.stdout.split("===")
    assert PASSWORD not in plain and SPICE_PASSWORD not in plain
    assert PASSWORD in secure and SPICE_PASSWORD in secure


@pytest.mark.parametrize("broken", [
    "<graphics type='vnc' passwd='%s' autoport='maybe'/>" % PASSWORD,
    "<graphics type='vnc' passwd='%s' port='nine'/>" % PASSWORD,
    "<graphics type='vnc' passwd='%s' passwdValidTo='tomorrow'/>" % PASSWORD,
    "<graphics type='spice' passwd='%s' connected='sideways'/>" % PASSWORD,
    "<graphics type='vnc' passwd='%s'><listen type='bogus'/></graphics>" % PASSWORD,
])
def test_passwords_stay_out_of_error_messages(tmp_path, broken):
    path = write(tmp_path, "dom.xml",
                 "<domain type='test'><name>bad</name><memory>65536</memory>"
                 "<os><type>hvm</type></os><devices>%s</devices></domain>" % broken)
    log = tmp_path / "log"
    result = virtsh("-l", str(log), "-c", "test:///default", "define", path)
    assert result.returncode in (0, 1)
    assert PASSWORD not in result.stdout + result.stderr
    assert PASSWORD.encode() not in log.read_bytes()


def test_secret_value_stays_out_of_errors(tmp_path):
    root = tmp_path / "root"
    value_file = tmp_path / "value.bin"
    value_file.write_bytes(SECRET_VALUE)
    uri = "qemu:///embed?root=%s" % root
    missing = virtsh("-c", uri, "secret-set-value", "00000000-0000-4000-8000-0000000000ff",
                     "--file", str(value_file))
    assert missing.returncode == 1 and "error: " in missing.stderr
    virtsh("-c", uri, "secret-define", os.path.join(DATA, "readonly", "secret.xml"))
    private = virtsh("-c", uri, "secret-get-value", SECRET_UUID)
    for result in (missing, private):
        assert SECRET_VALUE.decode() not in result.stdout + result.stderr


# --- hostile names over SSH ------------------------------------------------------------
HOSTILE = ["it's \"quoted\"", "$(touch pwned-subst)", "`touch pwned-tick`",
           "a;touch pwned-semi", "line\nbreak", "../../escape", "x" * 300]


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    from sshd_env import Sshd, missing_reason
    if missing_reason():
        pytest.skip(missing_reason())
    server = Sshd(str(tmp_path_factory.mktemp("sshd")))
    yield server
    server.stop()


def test_hostile_names_over_ssh_reach_no_shell_and_no_outside_path(sshd, tmp_path):
    """The far helper gets names through the protocol, never a shell line;
    what the far driver accepts comes back unchanged."""
    from xml.sax.saxutils import escape
    root = tmp_path / "far" / "root"
    uri = sshd.uri(driver="qemu", path="/embed", root=str(root))
    for i, name in enumerate(HOSTILE):
        doc = tmp_path / ("dom%d.xml" % i)
        doc.write_text("<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>"
                       "<os><type arch='x86_64'>hvm</type></os></domain>" % escape(name))
        defined = virtsh("-c", uri, "define", str(doc))
        assert "Traceback" not in defined.stderr
        if defined.returncode:
            assert defined.stderr.startswith("error: "), defined.stderr
            continue
        dumped = virtsh("-c", uri, "dumpxml", "--domain", name)
        assert "<name>%s</name>" % escape(name).replace("'", "&apos;").replace(
            '"', "&quot;") in dumped.stdout, dumped.stderr
        assert virtsh("-c", uri, "undefine", "--domain", name).returncode == 0
    far = tmp_path / "far"
    assert os.listdir(far) == ["root"]
    assert not [p for p in tmp_path.rglob("pwned*")]
    assert not [p for p in root.rglob("*") if "escape" in p.name]
