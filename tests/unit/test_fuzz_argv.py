"""Random argument vectors through virtsh's entry point, in-process.

Every vector names a real command (or a near miss) and fills it with a
random mix of its own option names, unknown options, positional words and
junk values, sometimes behind global options or as one ``;``-separated
command string.  Whatever comes in, virtsh must end with status 0, or with
status 1 and ``error:`` lines on stderr; never a traceback, and never an
exception that only engine.report_unexpected (the last-resort net for
bugs) caught.

Commands that wait for events or a console, leave the test node
(connect, migrate, cd) or run another program are left out; the working
directory is a scratch folder holding a few XML files to feed to the
commands that read one, and junk values never contain a ``/``, so
commands that write files write them there.
"""
import io
import os
import random
import shutil
import sys
import traceback

import pytest

from virtsh import engine
from virtsh.commands import load_all
from virtsh.main import main

SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "fuzz")
VECTORS = 4000
SEED = 20261126

BLOCKING_OR_LEAVING = {
    "console", "event", "net-event", "pool-event", "secret-event", "nodedev-event",
    "qemu-monitor-event", "connect", "migrate", "cd", "lxc-enter-namespace",
    "qemu-attach", "domdirtyrate-calc",
}
# virsh itself fails without a word here (ttyconsole of a domain whose
# console has no tty)
SILENT_FAILURES = {"ttyconsole"}
OBJECTS = ["test", "default", "default-pool", "1", "6695eb01-f6a4-8304-79aa-97f2502e193f",
           "vda", "hda", "virbr0", "eth1", "computer", "s1", "cp1", "default-vol"]
FILES = ["domain.xml", "network.xml", "pool.xml", "volume.xml", "snapshot.xml",
         "checkpoint.xml", "missing.xml", "junk.txt", "empty.xml", "out.bin"]
JUNK = ["", " ", "-", "--", "-1", "0", "1", "18446744073709551616", "1.5", "1e9", "0x1f",
        "abc", "'", '"', "'unterminated", "\"a b\"", "a\\", "\\", ";", "a;b", "a b",
        "$(touch pwned)", "`id`", "x\ny", "\t", "%s%n", "\u00e9\u4e2d", "x" * 300,
        "--=", "=", "-=x", "--x=", "0,1", "0-3,^1", "^", "all", "live", "config",
        "KiB", "1T", "9999999Z", "none", "yes", "vnc", "--all", "-r"]
GLOBALS = [["-r"], ["-q"], ["-t"], ["-d", "0"], ["-d", "9"], ["-e", "^]"], ["-e", "xx"],
           ["-k", "0"], ["-k", "-1"], ["-K", "x"], ["-l", "virtsh.log"], ["--readonly"],
           ["--quiet"], ["-v"], ["-V"], ["--version=long"], ["--conn"], ["-x"]]


def _value(rng):
    return rng.choice(rng.choice((OBJECTS, FILES, JUNK)))


def _vector(rng, commands):
    """One argv: [globals...] command [options and words...]."""
    name = rng.choice(commands)
    cmd = load_all()[name]
    if rng.random() < 0.03:
        name = name[:-1] or "x"                     # a near miss
    words = [name]
    if rng.random() < 0.4:      # plausible: the required options, real objects
        for opt in cmd.options:
            if opt.required and opt.kind != "bool":
                words += ["--" + opt.name, rng.choice(rng.choice((OBJECTS, FILES)))]
    for _ in range(rng.randint(0, 6)):
        pick = rng.randrange(5)
        if pick < 2 and cmd.options:
            opt = rng.choice(cmd.options)
            if opt.kind == "bool":
                words.append("--" + opt.name)
            elif rng.random() < 0.2:
                words.append("--%s=%s" % (opt.name, _value(rng)))
            else:
                words += ["--" + opt.name, _value(rng)]
        elif pick == 2:
            words.append(_value(rng))
        elif pick == 3:
            words.append(rng.choice(OBJECTS))
        else:
            words.append(rng.choice(["--bogus", "--", "-", "--domain", "--all", "-x"]))
    argv = ["-c", "test:///default"]
    for _ in range(rng.choice((0, 0, 0, 1, 2))):
        argv += rng.choice(GLOBALS)
    if rng.random() < 0.15:
        other = _vector(rng, commands)[2:]
        line = " ".join(_quote(w, rng) for w in words) + rng.choice(["; ", ";", " ; "]) \
            + " ".join(_quote(w, rng) for w in other if w not in ("-c", "test:///default"))
        return argv + [line]
    return argv + words


def _quote(word, rng):
    if rng.random() < 0.5:
        return word
    return rng.choice(["'%s'", '"%s"', "%s"]) % word


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    for name in ("domain.xml", "network.xml", "pool.xml", "volume.xml",
                 "snapshot.xml", "checkpoint.xml"):
        shutil.copy(os.path.join(SEEDS, name), tmp_path / name)
    (tmp_path / "junk.txt").write_bytes(b"\xff\xfe<not xml\x00")
    (tmp_path / "empty.xml").write_text("")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.setenv("VISUAL", "true")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("LIBVIRT_DEFAULT_URI", raising=False)
    monkeypatch.delenv("VIRSH_DEFAULT_CONNECT_URI", raising=False)
    return tmp_path


def _streams(monkeypatch):
    """Fresh byte-backed stdout and stderr (error lines may carry the raw
    bytes of a file that is not UTF-8, as virsh's do)."""
    streams = []
    for name in ("stdout", "stderr"):
        stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
        monkeypatch.setattr(sys, name, stream)
        streams.append(stream)
    return streams


def _text(stream):
    return stream.buffer.getvalue().decode("utf-8", "replace")


def test_random_argument_vectors_end_in_output_or_error_lines(scratch, monkeypatch):
    caught = []
    real_report = engine.report_unexpected

    def report(ctl, exc):
        caught.append("".join(traceback.format_exception(exc)))
        real_report(ctl, exc)

    monkeypatch.setattr(engine, "report_unexpected", report)
    commands = sorted(n for n in load_all() if n not in BLOCKING_OR_LEAVING)
    rng = random.Random(SEED)
    failures = {}
    statuses = {0: 0, 1: 0}
    for _ in range(VECTORS):
        argv = _vector(rng, commands)
        monkeypatch.setattr(sys, "stdin", io.StringIO("list\n"))
        stdout, stderr = _streams(monkeypatch)
        del caught[:]
        status = main(list(argv))
        out, err = _text(stdout), _text(stderr)
        problem = None
        if caught:
            problem = caught[0]
        elif "Traceback" in out + err:
            problem = err
        elif status not in (0, 1):
            problem = "exit status %r" % status
        elif status == 1 and not SILENT_FAILURES & set(argv) and not any(line.startswith("error: ") for line in err.splitlines()):
            problem = "status 1 without an error line: %r" % err
        if problem:
            key = problem.strip().splitlines()[-1][:120]
            failures.setdefault(key, (argv, problem))
        else:
            statuses[status] += 1
        os.chdir(scratch)
    monkeypatch.undo()
    assert not failures, "\n\n".join("%r\n%s" % v for v in failures.values())
    print(statuses)
    assert statuses[0] > VECTORS // 20 and statuses[1] > VECTORS // 5, statuses
