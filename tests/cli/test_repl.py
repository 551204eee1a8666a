"""The interactive shell on a real terminal, driven through tmux."""
import os
import shlex
import shutil
import sys
import time
import uuid
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed")

LAB = "test:///work/shared/conformance/cli/data/lab.xml"


class Terminal:
    """virtsh in a detached tmux pane on a private tmux server."""

    def __init__(self, tmp_path, *args, env=None):
        self.socket = "virtsh-test-%s" % uuid.uuid4().hex[:8]
        self.home = tmp_path
        env = dict({"HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"),
                    "XDG_CONFIG_HOME": str(tmp_path / "config"), "TERM": "xterm",
                    "PATH": os.environ.get("PATH", "")}, **(env or {}))
        command = " ".join(
            ["env", "-i"] + ["%s=%s" % (k, shlex.quote(v)) for k, v in env.items()]
            + [shlex.quote(sys.executable), "-m", "virtsh"]
            + [shlex.quote(a) for a in args])
        # keep the pane after virtsh ends, to read its exit status
        shell = "%s; echo \"[exit $?]\"; sleep 60" % command
        self.tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "t", shell)

    def tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.socket] + list(args),
                              capture_output=True, text=True, check=True).stdout

    def send(self, *keys):
        self.tmux("send-keys", "-t", "t", *keys)

    def type(self, text):
        self.tmux("send-keys", "-t", "t", "-l", text)

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", "t")

    def wait_for(self, text, timeout=10):
        """The screen once *text* shows (tmux drops trailing blanks)."""
        text = text.rstrip(" ")
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError("%r not on screen:\n%s" % (text, screen))
            time.sleep(0.05)

    def last_line(self):
        lines = [line for line in self.screen().split("\n") if line.strip()]
        return lines[-1] if lines else ""

    def close(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"],
                       capture_output=True)


@pytest.fixture
def term(tmp_path):
    opened = []

    def start(*args, env=None):
        t = Terminal(tmp_path, *args, env=env)
        opened.append(t)
        return t
    yield start
    for t in opened:
        t.close()


def test_banner_and_prompt(term):
    t = term("-c", "test:///default")
    screen = t.wait_for("virtsh # ")
    assert "Welcome to virtsh, the virtualization interactive terminal." in screen


def test_readonly_prompt(term):
    t = term("-r", "-c", "test:///default")
    t.wait_for("virtsh > ")


def test_commands_run_and_quit_ends(term):
    t = term("-c", "test:///default")
    t.wait_for("virtsh # ")
    t.type("domstate test")
    t.send("Enter")
    t.wait_for("running")
    t.type("quit")
    t.send("Enter")
    t.wait_for("[exit 0]")


def test_tab_completes_command_and_domain_name(term):
    t = term("-c", "test:///default")
    t.wait_for("virtsh # ")
    t.type("dominf")
    t.send("Tab")
    t.wait_for("virtsh # dominfo ")
    t.type("te")
    t.send("Tab")
    t.wait_for("virtsh # dominfo test ")
    t.send("Enter")
    t.wait_for("running")


def test_tab_lists_several_candidates(term):
    t = term("-c", "test:///default")
    t.wait_for("virtsh # ")
    t.type("list --a")
    t.send("Tab")
    time.sleep(0.3)
    t.send("Tab")
    screen = t.wait_for("--autostart")
    assert "--all" in screen


def test_start_offers_only_inactive_domains(term):
    t = term("-c", LAB)
    t.wait_for("virtsh # ")
    t.type("start ")
    t.send("Tab")
    screen = t.wait_for("archive")
    assert "db" in screen
    assert "web" not in screen.split("virtsh # start")[-1]


def test_ctrl_c_clears_the_line_and_ctrl_d_leaves(term):
    t = term("-c", "test:///default")
    t.wait_for("virtsh # ")
    t.type("this is not a command")
    t.send("C-c")
    time.sleep(0.3)
    t.type("echo still here")
    t.send("Enter")
    screen = t.wait_for("still here\nvirtsh # ")
    assert "unknown command" not in screen
    t.send("C-d")
    t.wait_for("[exit 0]")


def test_history_persists_across_sessions(term, tmp_path):
    t = term("-c", "test:///default")
    t.wait_for("virtsh # ")
    t.type("echo remembered")
    t.send("Enter")
    t.wait_for("remembered\nvirtsh # ")
    t.send("C-d")
    t.wait_for("[exit 0]")
    history = tmp_path / "state" / "virtsh" / "history"
    assert "echo remembered" in history.read_text()

    again = term("-c", "test:///default")
    again.wait_for("virtsh # ")
    again.send("Up")
    again.wait_for("virtsh # echo remembered")


def test_connect_switches_host_and_completion_follows(term):
    t = term("-c", "test:///default")
    t.wait_for("virtsh # ")
    t.type("connect " + LAB)
    t.send("Enter")
    t.wait_for("virtsh # ", timeout=10)
    time.sleep(0.2)
    t.type("dominfo we")
    t.send("Tab")
    t.wait_for("virtsh # dominfo web ")


def test_first_tab_opens_the_default_connection(term):
    t = term(env={"LIBVIRT_DEFAULT_URI": "test:///default"})
    t.wait_for("virtsh # ")
    t.type("dominfo t")
    t.send("Tab")
    t.wait_for("virtsh # dominfo test ")
