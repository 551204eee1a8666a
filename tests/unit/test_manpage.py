"""man/virtsh.1 documents the whole command tree and renders with man."""
import os
import re
import shutil
import subprocess

import pytest

from virtsh import commands

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE = os.path.join(ROOT, "man", "virtsh.1")


def page():
    with open(PAGE) as f:
        return f.read()


def sections(text):
    """Command name -> the roff text of its .SS section."""
    found = {}
    parts = re.split(r"^\.SS (.+)$", text, flags=re.M)
    for name, body in zip(parts[1::2], parts[2::2]):
        found[name.replace("\\-", "-")] = body.split("\n.SH", 1)[0]
    return found


def visible_commands():
    registry = commands.load_all()
    return {name: cmd for name, cmd in registry.items()
            if cmd.name == name and not cmd.hidden}


def test_every_command_has_a_section():
    documented = sections(page())
    missing = sorted(set(visible_commands()) - set(documented))
    assert not missing, "regenerate with python3 man/generate.py: %s" % missing


def test_every_option_is_documented_in_its_command_section():
    documented = sections(page())
    missing = []
    for name, cmd in visible_commands().items():
        body = documented.get(name, "")
        for option in cmd.options:
            if "\\fB\\-\\-%s\\fR" % option.name.replace("-", "\\-") not in body:
                missing.append("%s --%s" % (name, option.name))
    assert not missing, "regenerate with python3 man/generate.py: %s" % missing


def test_hidden_commands_are_left_out():
    documented = sections(page())
    assert "complete" not in documented and "self-test" not in documented


@pytest.mark.parametrize("uri", [
    "test:///default", "qemu:///system", "qemu:///session",
    "qemu:///embed?root=", "+ssh://", "uri_aliases", "uri_default"])
def test_every_uri_form_is_described(uri):
    assert uri in page().replace("\\-", "-").replace("\\fB", "").replace(
        "\\fI", "").replace("\\fR", "").replace("\\fP", "")


def test_global_options_are_described():
    text = page()
    for option in ("connect", "debug", "escape", "help", "keepalive\\-interval",
                   "keepalive\\-count", "log", "quiet", "readonly", "timing",
                   "version"):
        assert "\\-\\-" + option in text, option


@pytest.mark.skipif(shutil.which("man") is None, reason="man is not installed")
def test_man_renders_without_warnings():
    proc = subprocess.run(["man", "--warnings", "-l", PAGE],
                          env=dict(os.environ, MANWIDTH="80"),
                          capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stderr == ""
    plain = re.sub(".\x08", "", proc.stdout)        # drop bold/underline
    assert "CONNECTION URIS" in plain
    assert "virtsh - manage virtual machines" in plain
    assert "DOMAIN MANAGEMENT COMMANDS" in plain
