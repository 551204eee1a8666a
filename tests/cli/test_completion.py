"""Completion: ``virtsh complete``, the completer behind it, and the bash
script that calls it (run in a real bash)."""
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from virtsh.complete import Names, candidates, quote_word, split_line

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASH_SCRIPT = os.path.join(ROOT, "completions", "virtsh.bash")
BIN = os.path.dirname(sys.executable)
LAB = "test:///work/shared/conformance/cli/data/lab.xml"


def virtsh_complete(*words, uri="test:///default", timeout=10):
    proc = subprocess.run(
        [sys.executable, "-m", "virtsh", "-c", uri, "complete", "--"] + list(words),
        capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr
    return [line for line in proc.stdout.split("\n") if line]


# --- the complete command -------------------------------------------------------

def test_command_names_by_prefix():
    assert virtsh_complete("net-st") == ["net-start"]
    found = virtsh_complete("")
    assert "list" in found and "dominfo" in found
    assert "complete" not in found and "self-test" not in found    # hidden


def test_option_names_of_a_command():
    assert virtsh_complete("list --a") == ["--all", "--autostart"]


def test_options_already_given_are_not_offered_again():
    found = virtsh_complete("list", "--all", "--")
    assert "--all" not in found and "--name" in found


def test_domain_names_at_a_positional_option():
    assert virtsh_complete("dominfo t") == ["test"]
    assert virtsh_complete("dominfo", "--domain", "") == ["test"]


def test_value_in_option_equals_form():
    assert virtsh_complete("dominfo --domain=t") == ["--domain=test"]


def test_domains_filtered_by_what_the_command_acts_on():
    running = virtsh_complete("shutdown", "", uri=LAB)
    inactive = virtsh_complete("start", "", uri=LAB)
    assert {"web", "cache", "batch"} <= set(running)
    assert "db" not in running and "archive" not in running
    assert {"db", "archive"} <= set(inactive)
    assert "web" not in inactive


def test_network_and_pool_names():
    assert "default" in virtsh_complete("net-info", "")
    assert "default-pool" in virtsh_complete("pool-info", "")


def test_file_names(tmp_path):
    (tmp_path / "domain.xml").write_text("<domain/>")
    (tmp_path / "dir").mkdir()
    prefix = str(tmp_path) + "/d"
    assert virtsh_complete("define", prefix) == [
        str(tmp_path / "dir") + "/", str(tmp_path / "domain.xml")]


def test_unknown_command_offers_nothing():
    assert virtsh_complete("frobnicate", "") == []


def test_a_dead_host_does_not_hang_the_completion(tmp_path):
    """A node file that is a FIFO blocks the connection forever: the
    completion still answers, with what needs no host, in bounded time."""
    fifo = tmp_path / "node.xml"
    os.mkfifo(fifo)
    start = time.monotonic()
    found = virtsh_complete("dominfo", "", uri="test://" + str(fifo))
    assert time.monotonic() - start < 5
    assert found == ["--domain", "--json"]


# --- the completer in-process -----------------------------------------------------

def test_split_line_follows_virsh_quoting():
    assert split_line("start 'my vm") == (["start", "my vm"], "'my vm")
    assert split_line("list; dominfo t") == (["dominfo", "t"], "t")
    assert split_line("start ") == (["start", ""], "")
    assert split_line('echo "a b" c\\ d') == (["echo", "a b", "c d"], "c\\ d")


def test_quote_word_round_trips_through_split_line():
    for word in ("plain", "with space", "it's", "semi;colon"):
        assert split_line("x " + quote_word(word))[0] == ["x", word]


def test_names_answer_from_cache_and_refresh_in_background():
    calls = []

    class Conn:
        def list_all_networks(self, flags=0):
            calls.append(1)
            return [type("N", (), {"name": lambda self: "net%d" % len(calls)})()]

    names = Names(Conn, wait=1.0, ttl=60)
    assert candidates(["net-info", ""], names)[0] == "net1"
    assert candidates(["net-info", ""], names)[0] == "net1"     # cached
    names.refresh()
    deadline = time.monotonic() + 5
    while candidates(["net-info", ""], names)[0] != "net2":
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_names_wait_is_bounded_when_the_fetch_hangs():
    import threading
    gate = threading.Event()

    class Conn:
        def list_all_networks(self, flags=0):
            gate.wait(10)
            return []

    names = Names(Conn, wait=0.2)
    start = time.monotonic()
    assert candidates(["net-info", ""], names) == ["--network", "--json"]
    assert time.monotonic() - start < 1
    gate.set()


# --- the bash script ------------------------------------------------------------

def bash_words(line):
    """COMP_WORDS as bash splits *line* (its default word breaks include
    '=' and ':')."""
    words = re.findall(r"[=:]+|[^\s=:]+", line)
    if not words or line[-1].isspace():
        words.append("")
    return words


def bash_complete(line, cwd=None):
    """COMPREPLY of the virtsh.bash function for *line* (cursor at its end)."""
    words = bash_words(line)
    script = (
        'source "$1"; shift\n'
        'COMP_LINE=$1; COMP_POINT=${#1}; shift\n'
        'COMP_CWORD=$(( $# - 1 )); COMP_WORDS=("$@")\n'
        '_virtsh virtsh\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n')
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", script, "bash",
                           BASH_SCRIPT, line] + words,
                          capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=20)
    assert proc.returncode == 0, proc.stderr
    return [w for w in proc.stdout.split("\n") if w]


needs_bash = pytest.mark.skipif(shutil.which("bash") is None or
                                not os.path.exists(os.path.join(BIN, "virtsh")),
                                reason="bash or the installed virtsh is missing")


@needs_bash
def test_bash_completes_command_names():
    assert bash_complete("virtsh -c test:///default net-sta") == ["net-start"]


@needs_bash
def test_bash_passes_the_uri_and_completes_names():
    assert bash_complete("virtsh -c test:///default dominfo t") == ["test"]
    assert "db" in bash_complete("virtsh --connect %s start " % LAB)


@needs_bash
def test_bash_keeps_option_equals_value_whole():
    # bash's own word is the part after '=': only that part is replaced
    assert bash_complete("virtsh -c test:///default dominfo --domain=t") == ["test"]


@needs_bash
def test_bash_completes_global_options_and_uris():
    assert bash_complete("virtsh --conn") == ["--connect"]
    assert bash_complete("virtsh -c tes") == ["test:///default"]
    assert bash_complete("virtsh -c test:///d") == ["///default"]


@needs_bash
def test_bash_directories_are_left_to_bash_filenames_mode(tmp_path):
    (tmp_path / "images").mkdir()
    assert bash_complete("virtsh define ima", cwd=tmp_path) == ["images"]


# --- the zsh script ---------------------------------------------------------------

ZSH_SCRIPT = os.path.join(ROOT, "completions", "_virtsh")


def zsh_complete(*words):
    """What the _virtsh function hands to compadd, in a real zsh, for the
    command line *words* (the cursor in the last one)."""
    script = (
        'words=("${@:2}"); CURRENT=$(( $# - 1 ))\n'
        'compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -l -- "$@"; }\n'
        'source "$1"\n')
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.run(["zsh", "-f", "-c", script, "zsh", ZSH_SCRIPT] + list(words),
                          capture_output=True, text=True, env=env, timeout=20)
    assert proc.returncode == 0, proc.stderr
    return [w for w in proc.stdout.split("\n") if w]


needs_zsh = pytest.mark.skipif(shutil.which("zsh") is None or
                               not os.path.exists(os.path.join(BIN, "virtsh")),
                               reason="zsh or the installed virtsh is missing")


@needs_zsh
def test_zsh_completes_commands_and_names():
    assert zsh_complete("virtsh", "-c", "test:///default", "net-sta") == ["net-start"]
    assert zsh_complete("virtsh", "-c", "test:///default", "dominfo", "t") == ["test"]
    assert zsh_complete("virtsh", "-c", "test:///default", "dominfo", "--domain=t") \
        == ["--domain=test"]


@needs_zsh
def test_zsh_completes_global_options_and_uris():
    assert "--readonly" in zsh_complete("virtsh", "--re")
    assert "test:///default" in zsh_complete("virtsh", "-c", "")
