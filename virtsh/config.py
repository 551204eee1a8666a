"""The user's client configuration: ~/.config/virtsh/virtsh.conf.

The same two settings as libvirt's libvirt.conf, in its syntax::

    uri_default = "qemu:///session"
    uri_aliases = [
      "lab=test:///srv/lab.xml",
      "far=qemu+ssh://root@far.example.com/system",
    ]

``uri_default`` is used when neither -c nor an environment variable names
a URI; an alias name given as the URI (``-c lab``, ``connect far``) stands
for its URI.  The file is read only when a connection is opened, and only
if it exists.
"""
import os

from virtsh.drivers.errors import CONF_SYNTAX, VirtError

_ALIAS_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789_-.")


def path():
    """$XDG_CONFIG_HOME/virtsh/virtsh.conf (default ~/.config/...)."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(
        os.path.expanduser("~"), ".config")
    return os.path.join(base, "virtsh", "virtsh.conf")


def load(filename=None):
    """The settings of the config file as a dict ({} when there is none)."""
    filename = filename or path()
    try:
        with open(filename) as f:
            text = f.read()
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise VirtError(CONF_SYNTAX, "%s: %s" % (filename, e.strerror)) from None
    return parse(text, filename)


def default_uri(settings):
    value = settings.get("uri_default")
    return value if isinstance(value, str) and value else None


def resolve_alias(uri, settings):
    """The URI an alias stands for, or *uri* itself when it is no alias."""
    aliases = settings.get("uri_aliases") or []
    if not isinstance(aliases, list):
        raise VirtError(CONF_SYNTAX, "uri_aliases must be a list of strings")
    for entry in aliases:
        name, eq, target = str(entry).partition("=")
        if not eq or not name or not set(name) <= _ALIAS_CHARS:
            raise VirtError(CONF_SYNTAX, "malformed uri_aliases entry '%s': "
                            "expected NAME=URI, NAME of letters, digits, "
                            "'_', '-' and '.'" % entry)
        if name == uri:
            return target
    return uri


def parse(text, filename="virtsh.conf"):
    """Parse libvirt's config syntax: ``name = value`` lines, values being
    quoted strings, integers or ``[ ... ]`` lists of them; ``#`` comments."""
    settings = {}
    tokens = _tokens(text, filename)
    for kind, value, line in tokens:
        if kind == "end":
            break
        if kind == "eol":
            continue
        if kind != "name":
            _syntax(filename, line, "expecting a name")
        name = value
        kind, _, line = next(tokens)
        if kind != "=":
            _syntax(filename, line, "expecting an assignment")
        settings[name] = _value(tokens, filename, line)
        kind, _, line = next(tokens)
        if kind == "end":
            break
        if kind not in ("eol", ";"):
            _syntax(filename, line, "expecting a separator")
    return settings


def _value(tokens, filename, line):
    kind, value, line = next(tokens)
    if kind in ("string", "int"):
        return value
    if kind != "[":
        _syntax(filename, line, "expecting a value")
    items = []
    while True:
        kind, value, line = next(tokens)
        while kind == "eol":
            kind, value, line = next(tokens)
        if kind == "]":
            return items
        if kind not in ("string", "int"):
            _syntax(filename, line, "expecting a value")
        items.append(value)
        kind, value, line = next(tokens)
        while kind == "eol":
            kind, value, line = next(tokens)
        if kind == "]":
            return items
        if kind != ",":
            _syntax(filename, line, "expecting a separator in list")


def _tokens(text, filename):
    """(kind, value, line number): name, string, int, punctuation, eol, end."""
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            yield "eol", None, line
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif c == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif c in "=[],;":
            yield c, None, line
            i += 1
        elif c in "\"'":
            end = text.find(c, i + 1)
            if end < 0 or "\n" in text[i:end]:
                _syntax(filename, line, "unterminated string")
            yield "string", text[i + 1:end], line
            i = end + 1
        elif c.isdigit() or c in "+-":
            j = i + 1
            while j < n and text[j].isdigit():
                j += 1
            try:
                yield "int", int(text[i:j]), line
            except ValueError:
                _syntax(filename, line, "invalid number")
            i = j
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_.-"):
                j += 1
            yield "name", text[i:j], line
            i = j
        else:
            _syntax(filename, line, "unexpected character '%s'" % c)
    while True:
        yield "end", None, line


def _syntax(filename, line, message):
    raise VirtError(CONF_SYNTAX, "%s:%d: %s" % (filename, line, message))
