"""The shell's state across commands (virsh's vshControl).

One Control lives for a whole virtsh process: the connection (opened on
first use), the global options, and the output functions every command
handler uses.  Handlers print only through ``ctl.print`` /
``ctl.print_extra`` so that ``-q`` and the shell's buffering work.
"""
import sys


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
        self.out = sys.stdout
        self.err = sys.stderr
        self._conn = None

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
        """Print one ``error: message`` line on stderr."""
        self.out.flush()
        self.err.write("error: %s\n" % message)
        self.err.flush()

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
