"""Hostile qemu.conf and virtsh.conf: settings or a VirtError, nothing else.

Both files use libvirt's configuration syntax.  The mutator works on the
token level (quotes, brackets, separators, numbers at the limits, comment
signs, control characters) and on raw text (cut short, spliced), so the
parsers see unterminated strings and lists as well as plausible-looking
junk.  What parses must also survive the code that consumes it: the qemu
driver's settings loader and virtsh's URI alias resolution.
"""
import os
import random

from virtsh import config
from virtsh.drivers.errors import VirtError
from virtsh.drivers.qemu import conf

SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "fuzz")
ROUNDS = 10000
SEED = 20261126

PIECES = [
    "=", "\"", "'", "[", "]", ",", ";", "#", "\n", "\r\n", "\t", " ", "\\", "\\\"",
    "0", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
    "0x10", "1e5", "name", "uri_default", "uri_aliases", "vnc_listen", "user",
    "\"$(id)\"", "\"../../etc\"", "\"a=b\"", "\"=x\"", "\"\u00e9\"", "\x00", "\x1b",
    "[ \"a\", ]", "[[]]", "\"\"\"", "''", "x" * 300,
]


def _read(name):
    with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
        return f.read()


def mutate(text, rng):
    """One damaged variant of configuration text *text*."""
    for _ in range(rng.randint(1, 5)):
        action = rng.randrange(5)
        pos = rng.randrange(len(text) + 1)
        if action == 0:
            text = text[:pos] + rng.choice(PIECES) + text[pos:]
        elif action == 1:
            text = text[:pos] + text[pos + rng.randint(1, 12):]
        elif action == 2:
            text = text[:pos]
        elif action == 3:
            lines = text.split("\n")
            rng.shuffle(lines)
            text = "\n".join(lines)
        else:
            other = rng.randrange(len(text) + 1)
            text = text[:pos] + text[min(pos, other):max(pos, other)] + text[pos:]
        if not text:
            text = rng.choice(PIECES)
    return text


def _fuzz(consume, seed_text, seed):
    rng = random.Random(seed)
    counts = {"ok": 0, "error": 0}
    failures = {}
    for _ in range(ROUNDS):
        text = mutate(seed_text, rng)
        try:
            consume(text)
        except VirtError as e:
            assert str(e)
            counts["error"] += 1
        except Exception as e:  # noqa: BLE001 - what the fuzzer is looking for
            failures.setdefault(type(e).__name__, (repr(e), text))
        else:
            counts["ok"] += 1
    assert not failures, failures
    assert counts["ok"] > ROUNDS // 50 and counts["error"] > ROUNDS // 20, counts


def test_mutated_qemu_conf_parses_or_reports_a_syntax_error(tmp_path):
    path = tmp_path / "qemu.conf"
    seed_text = _read("qemu.conf")
    state = {"n": 0}

    def consume(text):
        settings = conf.parse(text, "qemu.conf")
        assert isinstance(settings, dict)
        state["n"] += 1
        if state["n"] % 50 == 0:            # the file path too, now and then
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            assert isinstance(conf.load(str(path)), dict)

    _fuzz(consume, seed_text, SEED)


def test_mutated_virtsh_conf_parses_or_reports_a_syntax_error():
    def consume(text):
        settings = config.parse(text, "virtsh.conf")
        config.default_uri(settings)
        config.resolve_alias("far", settings)

    _fuzz(consume, _read("virtsh.conf"), SEED + 1)


def test_a_syntax_error_names_the_file_and_line():
    try:
        conf.parse('user = "qemu"\ngroup = [ "a", \n', "/etc/qemu.conf")
    except VirtError as e:
        assert "/etc/qemu.conf:" in str(e)
    else:
        raise AssertionError("an unterminated list was accepted")
