"""The ``virtsh`` program: virsh's global options, then a command or the shell.

Global options are parsed as getopt_long does for virsh ("+:c:d:e:hk:K:l:qrtvV"
plus long names, unambiguous prefixes accepted, option processing stops at
the first non-option word).  What follows is one command string (a single
word) or one command in argv mode (several words); nothing starts the shell.
"""
import os
import sys

from virtsh.control import INFO, Control

VERSION = "9.0.0"       # the virsh release whose behaviour virtsh follows

# long name -> (short letter, argument: 0 none, 1 required, 2 optional)
_LONG = {
    "connect": ("c", 1), "debug": ("d", 1), "escape": ("e", 1),
    "help": ("h", 0), "keepalive-interval": ("k", 1),
    "keepalive-count": ("K", 1), "log": ("l", 1), "quiet": ("q", 0),
    "readonly": ("r", 0), "timing": ("t", 0), "version": ("v", 2),
}
_SHORT_WITH_ARG = "cdeklK"
_SHORT_FLAGS = "hqrtvV"

USAGE = """
%(prog)s [options]... [<command_string>]
%(prog)s [options]... <command> [args...]

  options:
    -c | --connect=URI      hypervisor connection URI
    -d | --debug=NUM        debug level [0-4]
    -e | --escape <char>    set escape sequence for console
    -h | --help             this help
    -k | --keepalive-interval=NUM
                            keepalive interval in seconds, 0 for disable
    -K | --keepalive-count=NUM
                            number of possible missed keepalive messages
    -l | --log=FILE         output logging to file
    -q | --quiet            quiet mode
    -r | --readonly         connect readonly
    -t | --timing           print timing information
    -v                      short version
    -V                      long version
         --version[=TYPE]   version, TYPE is short or long (default short)
  commands (non interactive mode):

"""

LONG_VERSION = """virtsh %(ours)s, a daemonless virsh written in Python
Follows the command line of virsh (libvirt) %(virsh)s
Drivers: test, qemu (daemonless), remote (ssh)
"""


class UsageError(Exception):
    """A bad global option: its message is printed as ``error: ...``."""


class Exit(Exception):
    """Stop after a global option that does its job itself (-h, -v)."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


def main(argv=None):
    """Entry point of the ``virtsh`` console script; returns the exit status."""
    # `virtsh ... | head` ends quietly, as virsh does.  The C module, as the
    # `signal` wrapper would cost ~3 ms of start-up importing enum.
    import _signal
    _signal.signal(_signal.SIGPIPE, _signal.SIG_DFL)
    if argv is None:
        argv = sys.argv[1:]
    if argv == ["--remote-helper"]:     # the far end of a DRIVER+ssh:// URI
        from virtsh import __version__
        from virtsh.drivers.remote.server import main as serve
        return serve(__version__)
    ctl = Control()
    try:
        rest = parse_global_options(ctl, argv)
    except UsageError as e:
        ctl.error(str(e))
        return 1
    except Exit as e:
        return e.status
    try:
        return run_program(ctl, rest)
    except KeyboardInterrupt:
        return 130                  # as a shell reports a SIGINT
    except Exception as e:          # a bug outside any command (parsing, loading)
        from virtsh.engine import report_unexpected
        report_unexpected(ctl, e)
        return 1
    finally:
        sys.stdout.flush()


def run_program(ctl, words):
    """Parse the command (or start the shell), connect if -c asked, run."""
    from virtsh import engine
    commands = None
    if len(words) == 1:
        if not words[0]:
            return 1
        ctl.debug_log(INFO, 'commands: "%s"' % words[0])
        commands = engine.parse_and_report(ctl, engine.string_tokens(words[0]))
    elif words:
        commands = engine.parse_and_report(ctl, engine.argv_tokens(words))
    if words and commands is None:
        return 1
    # -c connects at once, as virsh does; not for a shell's Tab completion,
    # which opens its connection in a thread with a deadline (complete.py)
    explicit = ctl.uri is not None and not (
        commands and all(p.command.name == "complete" for p in commands))
    if ctl.uri is None:
        ctl.uri = os.environ.get("VIRSH_DEFAULT_CONNECT_URI") or None
    if explicit:
        from virtsh.errors import CommandError
        try:
            engine.connect(ctl)
        except CommandError as e:
            for line in e.lines:
                ctl.error(line)
            return 1
    if commands is not None:
        return 0 if engine.run(ctl, commands) else 1
    from virtsh.shell import run_shell
    run_shell(ctl)
    return 0


def parse_global_options(ctl, argv):
    """Apply virsh's global options to *ctl*; return the remaining words."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            return argv[i + 1:]
        if word.startswith("--"):
            name, eq, value = word[2:].partition("=")
            long_name = _match_long(name, word)
            letter, takes = _LONG[long_name]
            if eq and takes == 0:
                raise UsageError("unsupported option '-%s'. See --help." % letter)
            if not eq:
                value = None
                if takes == 1:
                    i += 1
                    if i >= len(argv):
                        raise UsageError(_missing_argument(letter))
                    value = argv[i]
            _apply(ctl, letter, value, long_name == "version")
            i += 1
            continue
        if not word.startswith("-") or word == "-":
            return argv[i:]
        j = 1
        while j < len(word):
            letter = word[j]
            if letter in _SHORT_WITH_ARG:
                value = word[j + 1:]
                if not value:
                    i += 1
                    if i >= len(argv):
                        raise UsageError(_missing_argument(letter))
                    value = argv[i]
                _apply(ctl, letter, value)
                break
            if letter not in _SHORT_FLAGS:
                raise UsageError("unsupported option '-%s'. See --help." % letter)
            _apply(ctl, letter, None)
            j += 1
        i += 1
    return []


def _match_long(name, word):
    if name in _LONG:
        return name
    matches = [n for n in _LONG if n.startswith(name)]
    if len(matches) != 1 or not name:
        raise UsageError("unsupported option '%s'. See --help." % word)
    return matches[0]


def _missing_argument(letter):
    for name, (short, _) in _LONG.items():
        if short == letter:
            return "option '-%s'/'--%s' requires an argument" % (letter, name)
    return "option '-%s' requires an argument" % letter


def _apply(ctl, letter, value, long_version=False):
    """Apply one global option (virsh's virshParseArgv switch)."""
    if letter == "c":
        ctl.uri = value
    elif letter == "d":
        level = c_integer(value, 10)
        if level is None:
            raise UsageError("option -d takes a numeric argument")
        if not 0 <= level <= 4:
            ctl.error("ignoring debug level %d out of range [0-4]" % level)
        else:
            ctl.debug = level
    elif letter == "e":
        if not valid_escape(value):
            raise UsageError("Invalid string '%s' for escape sequence" % value)
        ctl.escape = value
    elif letter == "h":
        from virtsh.helptext import usage_groups
        sys.stdout.write(USAGE % {"prog": ctl.progname} + usage_groups())
        raise Exit(0)
    elif letter in "kK":
        number = c_integer(value, 0)
        if number is None:
            raise UsageError("Invalid value for option -%s" % letter)
        if number < 0:
            raise UsageError("option -%s requires a positive integer argument" % letter)
        if letter == "k":
            ctl.keepalive_interval = number
        else:
            ctl.keepalive_count = number
    elif letter == "l":
        ctl.logfile = value
        if not ctl.open_log():
            raise UsageError("failed to open the log file. check the log file path")
    elif letter == "q":
        ctl.quiet = True
    elif letter == "r":
        ctl.readonly = True
    elif letter == "t":
        ctl.timing = True
    elif letter == "v" and not (long_version and value == "long"):
        sys.stdout.write(VERSION + "\n")
        raise Exit(0)
    elif letter in "vV":
        from virtsh import __version__
        sys.stdout.write(LONG_VERSION % {"ours": __version__, "virsh": VERSION})
        raise Exit(0)


def c_integer(text, base):
    """An int as C's strtol parses the whole of *text* (base 0: 0x.., 0..),
    within int range; None when malformed."""
    s = text.lstrip(" \t\n\r\f\v")
    sign = -1 if s[:1] == "-" else 1
    if s[:1] in "+-":
        s = s[1:]
    if base == 0:
        if s[:2].lower() == "0x" and len(s) > 2:
            base, s = 16, s[2:]
        elif s[:1] == "0" and len(s) > 1:
            base, s = 8, s[1:]
        else:
            base = 10
    if not s or not s.isascii() or not s.isalnum():
        return None
    try:
        value = sign * int(s, base)
    except ValueError:
        return None
    return value if -2**31 <= value < 2**31 else None


def valid_escape(text):
    """virsh's rule for -e: one character other than '^', or '^' and a
    letter or one of @[\\]^_."""
    if len(text) == 1:
        return text != "^"
    return (len(text) == 2 and text[0] == "^"
            and (text[1].isascii() and text[1].isalpha() or text[1] in "@[\\]^_"))
