"""~/.config/virtsh/virtsh.conf: uri_default and uri_aliases."""
import os
import subprocess
import sys

import pytest

from virtsh import config
from virtsh.drivers.errors import VirtError

LAB = "test:///work/shared/conformance/cli/data/lab.xml"

SAMPLE = """\
# the lab and a far host
uri_default = "test:///default"
uri_aliases = [
  "lab=%s",     # trailing comment
  'far=qemu+ssh://root@far.example.com/system',
]
""" % LAB


def test_parse_strings_lists_and_comments():
    settings = config.parse(SAMPLE)
    assert settings == {
        "uri_default": "test:///default",
        "uri_aliases": ["lab=" + LAB, "far=qemu+ssh://root@far.example.com/system"]}


def test_parse_numbers_and_one_line_lists():
    assert config.parse("a = 3\nb = [1, -2]; c = 'x'\n") == {"a": 3, "b": [1, -2], "c": "x"}


@pytest.mark.parametrize("text, where", [
    ('uri_default = \n', ":1: expecting a value"),
    ('uri_default "x"\n', ":1: expecting an assignment"),
    ('a = "x" "y"\n', ":1: expecting a separator"),
    ('a = ["x" "y"]\n', ":1: expecting a separator in list"),
    ('\n\na = "open\n', ":3: unterminated string"),
])
def test_syntax_errors_name_the_line(text, where):
    with pytest.raises(VirtError) as e:
        config.parse(text, "virtsh.conf")
    assert str(e.value) == "configuration file syntax error: virtsh.conf%s" % where


def test_alias_resolution_is_exact():
    settings = config.parse(SAMPLE)
    assert config.resolve_alias("lab", settings) == LAB
    assert config.resolve_alias("la", settings) == "la"
    assert config.resolve_alias("test:///default", settings) == "test:///default"
    assert config.resolve_alias("x", {}) == "x"


def test_malformed_alias_is_an_error():
    with pytest.raises(VirtError):
        config.resolve_alias("a b", {"uri_aliases": ["a b=test:///default"]})
    with pytest.raises(VirtError):
        config.resolve_alias("x", {"uri_aliases": ["no-equals-sign"]})


def test_missing_file_means_no_settings(tmp_path):
    assert config.load(str(tmp_path / "none.conf")) == {}
    assert config.default_uri({}) is None


def test_path_follows_xdg_config_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config.path() == str(tmp_path / "virtsh" / "virtsh.conf")


# --- through the program -------------------------------------------------------------

def run(tmp_path, *args, env=None):
    folder = tmp_path / "virtsh"
    folder.mkdir(exist_ok=True)
    (folder / "virtsh.conf").write_text(SAMPLE)
    full = {k: v for k, v in os.environ.items()
            if not k.startswith(("LIBVIRT_", "VIRSH_"))}
    full.update(XDG_CONFIG_HOME=str(tmp_path), **(env or {}))
    return subprocess.run([sys.executable, "-m", "virtsh"] + list(args), env=full,
                          capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


def test_alias_given_with_c(tmp_path):
    r = run(tmp_path, "-c", "lab", "uri")
    assert (r.returncode, r.stdout) == (0, LAB + "\n\n"), r.stderr


def test_alias_given_to_connect(tmp_path):
    r = run(tmp_path, "-c", "test:///default", "connect lab; uri")
    assert (r.returncode, r.stdout) == (0, "\n" + LAB + "\n\n"), r.stderr


def test_uri_default_when_nothing_else_names_one(tmp_path):
    r = run(tmp_path, "uri")
    assert (r.returncode, r.stdout) == (0, "test:///default\n\n"), r.stderr


def test_environment_wins_over_uri_default(tmp_path):
    r = run(tmp_path, "uri", env={"LIBVIRT_DEFAULT_URI": "lab"})
    assert (r.returncode, r.stdout) == (0, LAB + "\n\n"), r.stderr


def test_broken_config_fails_the_connection(tmp_path):
    folder = tmp_path / "virtsh"
    folder.mkdir()
    (folder / "virtsh.conf").write_text("uri_default = [\n")
    full = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path))
    r = subprocess.run([sys.executable, "-m", "virtsh", "-c", "test:///default",
                        "list"], env=full, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert r.stderr.startswith("error: failed to connect to the hypervisor\n"
                               "error: configuration file syntax error: ")


def test_connect_completes_aliases(tmp_path):
    r = run(tmp_path, "complete", "--", "connect", "")
    assert r.returncode == 0, r.stderr
    found = r.stdout.split()
    assert {"lab", "far", "test:///default", "qemu:///session"} <= set(found)
