"""qemu.conf parsing and the directory tree of each QEMU URI."""
import os
import subprocess
import sys

import pytest

from virtsh.drivers.errors import VirtError
from virtsh.drivers.qemu import conf, paths
from virtsh.drivers.uri import URI


def test_conf_values_of_every_kind():
    text = ('# comment\nuser = "qemu"\nvnc_listen = \'0.0.0.0\'  # trailing\n'
            'max_files = 32768\n'
            'cgroup_controllers = [ "cpu", "devices",\n  "memory" ]\n\n')
    assert conf.parse(text) == {"user": "qemu", "vnc_listen": "0.0.0.0",
                                "max_files": 32768,
                                "cgroup_controllers": ["cpu", "devices", "memory"]}


def test_conf_defaults_when_file_is_missing(tmp_path):
    settings = conf.load(str(tmp_path / "absent.conf"))
    assert settings["vnc_listen"] == "127.0.0.1"


def test_conf_file_overrides_defaults(tmp_path):
    path = tmp_path / "qemu.conf"
    path.write_text('vnc_listen = "0.0.0.0"\n')
    assert conf.load(str(path))["vnc_listen"] == "0.0.0.0"


@pytest.mark.parametrize("text, line", [
    ('user = "root\n', 1),
    ('\n\nuser root\n', 3),
    ('x = [ "a" "b" ]\n', 1),
    ('x = \n', 1),
])
def test_conf_syntax_errors_name_file_and_line(text, line):
    with pytest.raises(VirtError) as err:
        conf.parse(text, "/etc/qemu.conf")
    assert str(err.value).startswith(
        "configuration file syntax error: /etc/qemu.conf:%d: " % line)


def test_embed_tree_is_laid_out_under_root(tmp_path):
    tree = paths.for_uri(URI("qemu:///embed?root=%s" % tmp_path))
    tree.ensure()
    assert tree.conf_file == str(tmp_path / "etc" / "qemu.conf")
    assert tree.config == str(tmp_path / "etc" / "qemu")
    for path in (tree.run, tree.lib, tree.cache, tree.log):
        assert path.startswith(str(tmp_path))
        assert os.stat(path).st_mode & 0o777 == 0o700


def test_embed_needs_an_absolute_root():
    with pytest.raises(VirtError) as err:
        paths.for_uri(URI("qemu:///embed"))
    assert "root parameter required" in str(err.value)
    with pytest.raises(VirtError):
        paths.for_uri(URI("qemu:///embed?root=relative/dir"))


def test_a_root_that_is_a_file_gets_libvirts_error(tmp_path):
    root = tmp_path / "file"
    root.write_text("")
    proc = subprocess.run([sys.executable, "-m", "virtsh", "-c", "qemu:///embed?root=%s" % root,
                           "list"], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr == ("error: failed to connect to the hypervisor\n"
                           "error: Failed to create state dir %s/run/qemu: Not a directory\n"
                           % root)


def test_session_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "rt"))
    tree = paths.for_uri(URI("qemu:///session"))
    assert tree.conf_file == str(tmp_path / "cfg" / "virtsh" / "qemu.conf")
    assert tree.run.startswith(str(tmp_path / "rt"))


def test_unknown_path_suggests_the_right_uri():
    with pytest.raises(VirtError) as err:
        paths.for_uri(URI("qemu:///bogus"))
    assert str(err.value) == ("internal error: unexpected QEMU URI path '/bogus', "
                              "try qemu:///%s" % ("system" if os.geteuid() == 0 else "session"))


@pytest.mark.skipif(os.geteuid() == 0, reason="checks the non-root refusal")
def test_system_refuses_non_root():
    with pytest.raises(VirtError) as err:
        paths.for_uri(URI("qemu:///system"))
    assert "try qemu:///session" in str(err.value)
