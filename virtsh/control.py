"""The shell's state across commands (virsh's vshControl).

One Control lives for a whole virtsh process: the connection (opened on
first use), the global options, and the output functions every command
handler uses.  Handlers print only through ``ctl.print`` /
``ctl.print_extra`` so that ``-q`` and the shell's buffering work.
"""
import sys

DEBUG, INFO, NOTICE, WARNING, ERROR = range(5)
DEFAULT_DEBUG = ERROR
_LEVEL_NAMES = ("DEBUG", "INFO", "INFO", "WARNING", "ERROR")


class Control:
    """Connection, global options and output of one virtsh run."""

    def __init__(self, uri=None, readonly=False, quiet=False, debug=None,
                 timing=False, escape="^]", keepalive_interval=None,
                 keepalive_count=None, logfile=None):
        self.uri = uri                  # requested URI (None: default)
        self.readonly = readonly
        self.quiet = quiet
        self.debug = debug              # None or 0..4
        self.timing = timing
        self.escape = escape
        self.keepalive_interval = keepalive_interval
        self.keepalive_count = keepalive_count
        self.logfile = logfile
        self.interactive = False        # the shell reading a terminal or stdin
        self.progname = "virtsh"
        self.out = sys.stdout
        self.err = sys.stderr
        self._conn = None
        self._log = None

    # --- output -----------------------------------------------------------
    def print(self, text="", end="\n"):
        """Print command output (virsh's vshPrint)."""
        self.out.write(text + end)

    def print_extra(self, text="", end="\n"):
        """Print informational output that ``-q`` suppresses (vshPrintExtra):
        "Domain 'x' started", table headers, blank lines."""
        if not self.quiet:
            self.out.write(text + end)

    def error(self, message):
        """Print one ``error: message`` line on stderr (and to the -l log)."""
        self.out.flush()
        line = "error: %s\n" % message
        raw = getattr(self.err, "buffer", None)
        if raw is None:
            self.err.write(line)
        else:   # bytes of a non-UTF-8 file (surrogateescape) go out as read, as virsh's do
            self.err.flush()
            raw.write(line.encode("utf-8", "surrogateescape"))
        self.err.flush()
        self.log(ERROR, message)

    def debug_log(self, level, message):
        """virsh's vshDebug: print *message* on stdout when its *level*
        (0 most verbose .. 4) reaches the -d level, and log it with -l."""
        if level < (DEFAULT_DEBUG if self.debug is None else self.debug):
            return
        self.log(level, message)
        self.out.write(message + "\n")

    def open_log(self):
        """Open the -l log file for appending; False when it cannot be."""
        try:
            self._log = open(self.logfile, "a", errors="surrogateescape")
        except OSError:
            return False
        return True

    def log(self, level, message):
        """Append one line to the -l log file, in virsh's format."""
        if self._log is None:
            return
        import os
        import time
        stamp = time.strftime("%Y.%m.%d %H:%M:%S")
        self._log.write("[%s %s %d] %s %s\n" % (
            stamp, self.progname, os.getpid(), _LEVEL_NAMES[level],
            message.rstrip("\n")))
        self._log.flush()

    # --- connection -------------------------------------------------------
    @property
    def conn(self):
        """The open Connection, opened now if needed (see engine.connect)."""
        if self._conn is None:
            from virtsh.engine import connect
            connect(self)
        return self._conn

    @conn.setter
    def conn(self, value):
        self._conn = value

    def connected(self):
        return self._conn is not None
