"""The command engine: virsh's command-line syntax, parsing and running.

A command line (one string, or several argv words) is parsed completely
before anything runs, with virsh's rules: ``;`` and newlines separate
commands, quotes and backslashes as in virsh's tokenizer, ``--opt value``,
``--opt=value``, bare words filling positional options in declaration
order, ``--`` ending options and ``--help`` turning any command into
``help <command>``.  A parse error runs nothing.  Running goes on after a
failed command; the result is the last command's.
"""
from virtsh.args import Args
from virtsh.cmd import ARGV, BOOL, NUMBER, STRING
from virtsh.control import INFO
from virtsh.errors import CommandError

ARG, END_COMMAND, END = "arg", "end-command", "end"


class ParseError(Exception):
    """A syntax error: its message is printed as ``error: ...``."""


# --- tokenizers --------------------------------------------------------------
def string_tokens(text):
    """Tokens of a command string: (ARG, word), (END_COMMAND, None), (END, None).

    A generator, so an error is raised only when parsing reaches it (virsh
    reports the first problem from the left).
    """
    pos, n = 0, len(text)
    while True:
        while pos < n and (text[pos] in " \t" or text.startswith("\\\n", pos)):
            pos += 2 if text[pos] == "\\" else 1
        if pos >= n:
            yield END, None
            return
        c = text[pos]
        if c in ";\n":
            pos += 1
            yield END_COMMAND, None
            continue
        if c == "#":                            # comment to the end of the line
            end = text.find("\n", pos)
            pos = n if end < 0 else end + 1
            yield END_COMMAND, None
            continue
        word = []
        single = double = False
        while pos < n:
            c = text[pos]
            if not single and not double and c in " \t;\n":
                break
            if not double and c == "'":
                single = not single
                pos += 1
                continue
            if not single and c == "\\":
                pos += 1
                if pos >= n:
                    raise ParseError("dangling \\")
                if text[pos] == "\n":
                    pos += 1
                    continue
                c = text[pos]
            elif not single and c == '"':
                double = not double
                pos += 1
                continue
            word.append(c)
            pos += 1
        if double:
            raise ParseError('missing "')
        yield ARG, "".join(word)


def argv_tokens(words):
    """Tokens of argv mode: every word taken literally, one command."""
    for word in words:
        yield ARG, word
    yield END, None


# --- parser ------------------------------------------------------------------
class Parsed:
    """One parsed command: its definition and options."""

    __slots__ = ("command", "args")

    def __init__(self, command, args):
        self.command = command
        self.args = args


def find_command(name):
    from virtsh.commands import find
    return find(name)


def parse(tokens, trace=None):
    """Parse a token stream into a list of Parsed; raise ParseError.

    *trace(text)* receives virsh's ``-d`` parse trace lines.
    """
    tokens = iter(tokens)
    result = []
    while True:
        parsed, kind = _parse_one(tokens, trace)
        if parsed is not None:
            result.append(parsed)
        if kind == END:
            return result


def _parse_one(tokens, trace):
    """Parse up to the end of one command; return (Parsed or None, last token kind)."""
    cmd = None
    values = {}
    need_arg = []           # positional options still free, in order
    seen = set()
    data_only = False
    helping = False
    for kind, word in tokens:
        if kind != ARG:
            break
        if cmd is None:
            if word.startswith("#"):            # a comment given as a word
                for kind, word in tokens:
                    if kind != ARG:
                        break
                return None, kind
            cmd = find_command(word)
            if cmd is None:
                raise ParseError("unknown command: '%s'" % word)
            need_arg = [o for o in cmd.options if o.kind != BOOL and o.positional]
            continue
        if not data_only and word.startswith("--") and word[2:3].isalnum() \
                and word[2:3].isascii():
            name, eq, value = word[2:].partition("=")
            value = value if eq else None
            option, value = _named_option(cmd, name, value, seen)
            if option is None:                  # help ignores unknown options
                continue
            if option == "help":
                helping = True
                _trace(trace, cmd, "help", None)
                continue
            if option.kind != BOOL:
                if value is None:
                    kind, value = next(tokens)
                    if kind != ARG:
                        raise ParseError("expected syntax: --%s <%s>" % (
                            option.name, "number" if option.kind == NUMBER else "string"))
                if option in need_arg and option.kind != ARGV:
                    need_arg.remove(option)
            elif value is not None:
                raise ParseError("invalid '=' after option --%s" % option.name)
            _store(values, option, value)
            _trace(trace, cmd, option, value)
            continue
        if not data_only and word == "--":
            data_only = True
            continue
        option = need_arg[0] if need_arg else None
        if option is None:
            if cmd.name == "help":
                continue
            raise ParseError("unexpected data '%s'" % word)
        if option.kind != ARGV:
            need_arg.pop(0)
        seen.add(option.name)
        _store(values, option, word)
        _trace(trace, cmd, option, word)
    else:
        kind = END
    if cmd is None:
        return None, kind
    if helping:
        help_cmd = find_command("help")
        return Parsed(help_cmd, Args(help_cmd, {"command": cmd.name})), kind
    missing = [o for o in cmd.options if o.required and o.name not in seen]
    if missing:
        raise ParseError(*[
            "command '%s' requires %s option" % (
                cmd.name, "<%s>" % o.name if o.kind in (STRING, ARGV) else "--" + o.name)
            for o in missing])
    return Parsed(cmd, Args(cmd, values)), kind


def _named_option(cmd, name, value, seen):
    """The option ``--name`` stands for, and its value (an alias may imply one).

    Returns (None, None) for an unknown option of the help command, and
    ("help", None) for ``--help``.
    """
    if name == "help":
        if value is not None:
            raise ParseError("invalid '=' after option --help")
        return "help", None
    for alias in cmd.aliases:
        if alias.name == name:
            if alias.value is not None:
                if value is not None:
                    raise ParseError("invalid '=' after option --%s" % name)
                value = alias.value
            name = alias.target
            break
    option = cmd.option(name)
    if option is None:
        if cmd.name == "help":
            return None, None
        raise ParseError("command '%s' doesn't support option --%s" % (cmd.name, name))
    if option.name in seen and option.kind != ARGV:
        raise ParseError("option --%s already seen" % name)
    seen.add(option.name)
    return option, value


def _store(values, option, value):
    if option.kind == ARGV:
        values.setdefault(option.name, []).append(value)
    elif option.kind == BOOL:
        values[option.name] = True
    else:
        values[option.name] = value


def _trace(trace, cmd, option, value):
    if trace is None:
        return
    if option == "help":
        trace("%s: help(bool): (none)" % cmd.name)
    elif option.kind == BOOL:
        trace("%s: %s(bool): (none)" % (cmd.name, option.name))
    else:
        trace("%s: %s(optdata): %s" % (cmd.name, option.name, value))


# --- connection --------------------------------------------------------------
KEEPALIVE_INTERVAL = 5
KEEPALIVE_COUNT = 6


def effective_uri(ctl):
    """The URI to open: the chosen one, else LIBVIRT_DEFAULT_URI, else None
    (the driver's default)."""
    if ctl.uri:
        return ctl.uri
    import os
    return os.environ.get("LIBVIRT_DEFAULT_URI") or None


def open_connection(ctl, uri, readonly):
    """Open *uri* as virsh does (with keepalive); raise CommandError with
    virsh's lines on failure."""
    from virtsh import config
    from virtsh.drivers import open as driver_open
    from virtsh.drivers.errors import VirtError
    try:
        settings = config.load()
        uri = config.resolve_alias(uri or config.default_uri(settings), settings)
        conn = driver_open(uri, readonly=readonly)
    except VirtError as e:
        raise CommandError("failed to connect to the hypervisor", e) from None
    forced = ctl.keepalive_interval is not None or ctl.keepalive_count is not None
    interval = KEEPALIVE_INTERVAL if ctl.keepalive_interval is None else ctl.keepalive_interval
    count = KEEPALIVE_COUNT if ctl.keepalive_count is None else ctl.keepalive_count
    if interval > 0:
        try:
            conn.set_keep_alive(interval, count)
        except VirtError as e:
            if forced:
                conn.close()
                raise CommandError("Cannot setup keepalive on connection as "
                                   "requested, disconnecting",
                                   "failed to connect to the hypervisor", e) from None
            ctl.debug_log(INFO, "Failed to setup keepalive on connection")
    return conn


def connect(ctl):
    """Open ctl's connection (lazily, on the first command needing it)."""
    ctl.conn = open_connection(ctl, effective_uri(ctl), ctl.readonly)


def reconnect(ctl, uri, readonly):
    """The ``connect`` command: drop the current connection and open *uri*
    (None: the current/default one).  On success it becomes ctl's URI."""
    if ctl.connected():
        old = ctl.conn
        ctl.conn = None
        old.close()
    if uri is None:
        uri = effective_uri(ctl)
        readonly = readonly or ctl.readonly
    ctl.conn = open_connection(ctl, uri, readonly)
    if uri is not None:
        ctl.uri = uri
    ctl.readonly = readonly


# --- running -----------------------------------------------------------------
def run_one(ctl, parsed):
    """Run one command; print its errors; return whether it succeeded."""
    from virtsh.drivers.errors import VirtError
    cmd = parsed.command
    try:
        if not cmd.noconnect and not ctl.connected():
            connect(ctl)
        return cmd.handler(ctl, parsed.args) is not False
    except CommandError as e:
        for line in e.lines:
            ctl.error(line)
    except VirtError as e:
        ctl.error(str(e))
    except Exception as e:          # a bug: one line, the traceback with -d
        report_unexpected(ctl, e)
    return False


def report_unexpected(ctl, exc):
    """Print an unexpected exception as one error line (and its traceback
    when -d is given): never a bare Python traceback."""
    if ctl.debug is not None:
        import traceback
        ctl.out.flush()
        traceback.print_exception(exc, file=ctl.err)
    ctl.error("%s: %s" % (type(exc).__name__, exc) if str(exc) else type(exc).__name__)


def run(ctl, commands):
    """Run parsed commands in order; return the last one's success."""
    import time
    ok = True
    for parsed in commands:
        start = time.perf_counter()
        ok = run_one(ctl, parsed)
        elapsed = (time.perf_counter() - start) * 1000.0
        if parsed.command.name in ("quit", "exit"):
            ctl.interactive = False
            return ok
        if ctl.timing:
            ctl.print("\n(Time: %.3f ms)\n" % elapsed)
        else:
            ctl.print_extra("")
    return ok


def parse_and_report(ctl, tokens):
    """Parse; on a syntax error print it and return None."""
    try:
        return parse(tokens, trace=lambda line: ctl.debug_log(INFO, line))
    except ParseError as e:
        for line in e.args:
            ctl.error(line)
        return None


def run_string(ctl, text):
    """Parse and run a command string; return success."""
    commands = parse_and_report(ctl, string_tokens(text))
    if commands is None:
        return False
    return run(ctl, commands)
