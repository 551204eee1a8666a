"""qemu.conf in libvirt's configuration syntax (virConf).

``name = value`` per line; values are integers, quoted strings ('...' or
"...") or lists of those in ``[ ... ]`` (which may span lines); ``#``
starts a comment.  Errors use libvirt's "configuration file syntax error".
"""
from virtsh.drivers.errors import VirtError, CONF_SYNTAX

# The settings this driver reads, with libvirt's defaults.
DEFAULTS = {
    "vnc_listen": "127.0.0.1",
    "vnc_auto_unix_socket": 0,
    "vnc_allow_host_audio": 0,
    "spice_listen": "127.0.0.1",
    "spice_tls": 0,
    "spice_tls_x509_cert_dir": "/etc/pki/libvirt-spice",
    "spice_auto_unix_socket": 0,
    "spice_password": None,
    "vnc_password": None,
    "remote_display_port_min": 5900,
    "remote_display_port_max": 65535,
    "user": "root",
    "group": "root",
    "security_driver": "none",
}


def load(path):
    """Settings of the qemu.conf at *path* over DEFAULTS (missing file: defaults)."""
    settings = dict(DEFAULTS)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return settings
    settings.update(parse(text, path))
    return settings


def parse(text, filename="qemu.conf"):
    """The ``{name: value}`` of a configuration text."""
    return _Parser(text, filename).entries()


class _Parser:
    def __init__(self, text, filename):
        self.text = text
        self.pos = 0
        self.line = 1
        self.filename = filename

    def fail(self, msg):
        raise VirtError(CONF_SYNTAX, "%s:%d: %s" % (self.filename, self.line, msg))

    def peek(self):
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_blanks(self, newlines=False):
        while True:
            c = self.peek()
            if c in (" ", "\t", "\r") or (newlines and c == "\n"):
                self.line += c == "\n"
                self.pos += 1
            elif c == "#":
                while self.peek() not in ("", "\n"):
                    self.pos += 1
            else:
                return

    def entries(self):
        out = {}
        while True:
            self.skip_blanks(newlines=True)
            if not self.peek():
                return out
            name = self.name()
            self.skip_blanks()
            if self.peek() != "=":
                self.fail("expecting an assignment")
            self.pos += 1
            self.skip_blanks()
            out[name] = self.value()
            self.skip_blanks()
            if self.peek() == ";":
                self.pos += 1
                self.skip_blanks()
            if self.peek() not in ("", "\n"):
                self.fail("expecting a separator")

    def name(self):
        start = self.pos
        c = self.peek()
        if not (c.isalpha() or c == "_"):
            self.fail("expecting a name")
        while self.peek() and (self.peek().isalnum() or self.peek() in "_.-"):
            self.pos += 1
        return self.text[start:self.pos]

    def value(self):
        c = self.peek()
        if c in ("'", '"'):
            end = self.text.find(c, self.pos + 1)
            nl = self.text.find("\n", self.pos + 1)
            if end < 0 or (0 <= nl < end):
                self.fail("unterminated string")
            value = self.text[self.pos + 1:end]
            self.pos = end + 1
            return value
        if c == "[":
            return self.list_value()
        start = self.pos
        if c in "+-":
            self.pos += 1
        while self.peek().isdigit():
            self.pos += 1
        digits = self.text[start:self.pos]
        if not digits.lstrip("+-"):
            self.fail("expecting a value")
        return int(digits)

    def list_value(self):
        self.pos += 1
        items = []
        while True:
            self.skip_blanks(newlines=True)
            if self.peek() == "]":
                self.pos += 1
                return items
            items.append(self.value())
            self.skip_blanks(newlines=True)
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != "]":
                self.fail("expecting a separator in list")
