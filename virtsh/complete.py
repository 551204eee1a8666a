"""The one completer behind the REPL, ``virtsh complete`` and the shell scripts.

Given the words of a command line (the last one is the word being typed,
possibly empty) it offers command names, option names a command has not
been given yet, and values: object names chosen by the option's
``complete=`` hint (virtsh/cmd.py), filtered by what the command can act on
(``domain-inactive`` for ``start``, ``domain-active`` for ``shutdown``),
and file names.

Object names come from a ``Names`` source that fetches in a background
thread and answers within a deadline, so a slow or dead host delays a Tab
by at most that deadline and never hangs a shell.  It uses the ``_thread``
primitives: a shell's Tab runs a one-shot ``virtsh complete``, and the
``threading`` module (with collections and functools) would be a fifth of
its time.
"""
import _thread
import os
import time

from virtsh import commands
from virtsh.cmd import ARGV, BOOL

# Hint of an option that declares none, from its name (virsh's option names
# are regular: --domain always names a domain, --pool a pool ...).
_HINT_BY_NAME = {
    "domain": "domain", "network": "network", "pool": "pool", "vol": "vol",
    "interface": "interface", "device": "nodedev", "secret": "secret",
    "snapshotname": "snapshot", "checkpointname": "checkpoint",
    "file": "file", "command": "command", "nwfilter": "nwfilter",
}


# --- command lines -----------------------------------------------------------

def split_line(text):
    """The words of the last command of a partly typed line, virsh-quoted.

    Returns (words, raw_last): the last word is the one under the cursor
    ("" after a blank); raw_last is its text as typed (with any quotes), so
    a front end knows how much to replace.  Unfinished quotes are tolerated.
    """
    words, word, raw, quote, started = [], [], [], None, False
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            raw.append(c)
            if c == quote:
                quote = None
            elif c == "\\" and quote == '"' and i + 1 < len(text):
                i += 1
                raw.append(text[i])
                word.append(text[i])
            else:
                word.append(c)
        elif c in "'\"":
            quote, started = c, True
            raw.append(c)
        elif c == "\\":
            started = True
            raw.append(c)
            if i + 1 < len(text):
                i += 1
                raw.append(text[i])
                word.append(text[i])
        elif c in " \t":
            if started:
                words.append("".join(word))
            word, raw, started = [], [], False
        elif c in ";\n":
            words, word, raw, started = [], [], [], False
        elif c == "#" and not started:
            return [], ""           # a comment: nothing to complete
        else:
            started = True
            word.append(c)
            raw.append(c)
        i += 1
    words.append("".join(word))
    return words, "".join(raw)


def quote_word(word):
    """*word* as virsh's tokenizer reads it back (quoted when it needs it)."""
    if word and not any(c in word for c in " \t'\"\\;#\n"):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


# --- what is being completed -------------------------------------------------

def candidates(words, names):
    """Completions of ``words[-1]`` given the words before it.

    *names* is a Names source (or None: no object names).
    """
    if not words:
        words = [""]
    current = words[-1]
    if len(words) == 1:
        return command_names(current)
    cmd = commands.find(words[0])
    if cmd is None:
        return []
    given, positional_left, pending, context = _scan(cmd, words[1:-1])
    if pending is not None:
        return _values(pending, current, context, names)
    if current.startswith("--") and "=" in current:
        name, _, value = current[2:].partition("=")
        option = _resolve(cmd, name)
        if option is None or option.kind == BOOL:
            return []
        return ["--%s=%s" % (name, v)
                for v in _values(option, value, context, names)]
    found = []
    if not current.startswith("-") and positional_left:
        found = _values(positional_left[0], current, context, names)
    if not found or not current:
        found += [o for o in _option_names(cmd, given) if o.startswith(current)]
    return found


def command_names(prefix=""):
    """Visible command names starting with *prefix*, in virsh's group order."""
    found = ((name, commands.find(name)) for name in commands.INDEX if name.startswith(prefix))
    return [name for name, cmd in found if not cmd.hidden and cmd.name == name]


def _resolve(cmd, name):
    option = cmd.option(name)
    if option is None:
        for alias in cmd.aliases:
            if alias.name == name:
                return cmd.option(alias.target)
    return option


def _scan(cmd, words):
    """Walk the words already typed: options given, positional options
    still open, the option waiting for a value (or None), and the values
    seen so far (context for volumes and snapshots)."""
    given, context, pending = set(), {}, None
    only_data = False
    positional = [o for o in cmd.options if o.positional]
    for word in words:
        if pending is not None:
            context[pending.name] = word
            pending = None
        elif word == "--" and not only_data:
            only_data = True
        elif word.startswith("--") and not only_data:
            name, eq, value = word[2:].partition("=")
            option = _resolve(cmd, name)
            if option is None:
                continue
            given.add(option.name)
            if option.kind == BOOL:
                continue
            if eq:
                context[option.name] = value
            else:
                pending = option
        else:
            open_ = [o for o in positional if o.name not in given]
            if open_:
                if open_[0].kind != ARGV:
                    given.add(open_[0].name)
                context.setdefault(open_[0].name, word)
    left = [o for o in positional if o.name not in given]
    return given, left, pending, context


def _option_names(cmd, given):
    return ["--" + o.name for o in cmd.options
            if o.name not in given or o.kind == ARGV]


def _values(option, prefix, context, names):
    hint = option.complete or _HINT_BY_NAME.get(option.name)
    if hint is None:
        return []
    if hint == "file":
        return file_names(prefix)
    if hint == "command":
        return command_names(prefix) + [k for _, k, _ in commands.GROUPS
                                        if k.startswith(prefix)]
    if hint == "uri":
        return [u for u in uri_names() if u.startswith(prefix)]
    if names is None:
        return []
    key = (hint, context.get("pool"), context.get("domain"))
    return [n for n in names.get(key) if n.startswith(prefix)]


COMMON_URIS = ("qemu:///system", "qemu:///session", "test:///default")


def uri_names():
    """The usual URIs and the aliases of the user's virtsh.conf."""
    from virtsh import config
    from virtsh.drivers.errors import VirtError
    try:
        aliases = config.load().get("uri_aliases") or []
    except VirtError:               # a broken config offers no aliases
        aliases = []
    return list(COMMON_URIS) + [str(a).partition("=")[0] for a in aliases]


def file_names(prefix):
    """Paths starting with *prefix*; directories end with '/'."""
    head, tail = os.path.split(prefix)
    folder = os.path.expanduser(head) if head else "."
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        return []
    found = []
    for entry in entries:
        if not entry.startswith(tail) or (entry.startswith(".") and not tail):
            continue
        path = os.path.join(head, entry)
        if os.path.isdir(os.path.join(folder, entry)):
            path += "/"
        found.append(path)
    return found


# --- object names --------------------------------------------------------------

def _domains(conn, want=None):
    found = []
    for dom in conn.list_all_domains(0):
        if want is None or dom.is_active() == want:
            found.append(dom.name())
    return found


def _pool_volumes(conn, pool):
    if pool:
        return [v.name() for v in
                conn.lookup_storage_pool_by_name(pool).list_all_volumes()]
    return [v.path() for p in conn.list_all_storage_pools() if p.is_active()
            for v in p.list_all_volumes()]


def _domain_children(conn, domain, method):
    if not domain:
        return []
    return [c.name() for c in
            getattr(conn.lookup_domain_by_name(domain), method)()]


# hint -> fetch(conn, pool, domain) -> names
FETCHERS = {
    "domain": lambda c, p, d: _domains(c),
    "domain-active": lambda c, p, d: _domains(c, True),
    "domain-inactive": lambda c, p, d: _domains(c, False),
    "network": lambda c, p, d: [n.name() for n in c.list_all_networks()],
    "pool": lambda c, p, d: [s.name() for s in c.list_all_storage_pools()],
    "vol": lambda c, p, d: _pool_volumes(c, p),
    "interface": lambda c, p, d: [i.name() for i in c.list_all_interfaces()],
    "nodedev": lambda c, p, d: [n.name() for n in c.list_all_node_devices()],
    "secret": lambda c, p, d: [s.uuid() for s in c.list_all_secrets()],
    "nwfilter": lambda c, p, d: [f.name() for f in c.list_all_nwfilters()],
    "snapshot": lambda c, p, d: _domain_children(c, d, "list_all_snapshots"),
    "checkpoint": lambda c, p, d: _domain_children(c, d, "list_all_checkpoints"),
}


class Names:
    """Object names of one connection, fetched in a background thread.

    ``get(key)`` answers from the cache when it is fresh; otherwise it starts
    a fetch and waits at most *wait* seconds for it, then answers with what
    it has (possibly stale, possibly nothing).  *connection* is a callable
    returning the Connection (or None); *lock*, when given, is held while a
    fetch talks to it, so fetches never overlap a running command.
    """

    def __init__(self, connection, wait=0.3, ttl=2.0, lock=None):
        self.connection = connection
        self.wait = wait
        self.ttl = ttl
        self.lock = lock or _thread.allocate_lock()
        self._cache = {}            # key -> (time, names)
        self._running = {}          # key -> lock held until the fetch ends
        self._guard = _thread.allocate_lock()
        self._conn_id = None

    def get(self, key):
        with self._guard:
            cached = self._cache.get(key)
            if cached and time.monotonic() - cached[0] < self.ttl:
                return cached[1]
            done = self._start(key)
        if done.acquire(timeout=self.wait):
            done.release()
        with self._guard:
            cached = self._cache.get(key)
        return cached[1] if cached else []

    def refresh(self):
        """Fetch again, in the background, every kind of name asked for so
        far (after a command that may have changed them)."""
        with self._guard:
            for key in list(self._cache):
                self._start(key)

    def forget(self):
        """Drop every cached answer (the connection changed)."""
        with self._guard:
            self._cache.clear()

    def _start(self, key):
        """The fetch of *key* in progress, started now if none is (the
        caller holds _guard)."""
        done = self._running.get(key)
        if done is None:
            done = self._running[key] = _thread.allocate_lock()
            done.acquire()
            _thread.start_new_thread(self._fetch, (key, done))
        return done

    def _fetch(self, key, done):
        names = None
        try:
            with self.lock:
                conn = self.connection()
                if conn is not None:
                    if id(conn) != self._conn_id:
                        self.forget()
                        self._conn_id = id(conn)
                    names = list(FETCHERS[key[0]](conn, key[1], key[2]))
        except Exception:           # a completion must never raise
            names = None
        with self._guard:
            if names is not None:
                self._cache[key] = (time.monotonic(), names)
            self._running.pop(key, None)
        done.release()


# --- the hidden ``complete`` command ---------------------------------------------

DEADLINE = 1.5      # seconds a shell's Tab may wait for object names


def complete_command(ctl, words):
    """Candidates for ``virtsh complete -- WORDS...``.

    Several words are taken as they are (the shell split them already); a
    single word is a partly typed line ("start t", "start ").
    """
    if len(words) == 1:
        words = split_line(words[0])[0]
    return candidates(words, Names(lambda: _quiet_connection(ctl), DEADLINE))


def _quiet_connection(ctl):
    """ctl's connection if open, else a read-only one of its own (a
    completion never changes anything and never prints an error)."""
    if ctl.connected():
        return ctl.conn
    from virtsh.engine import effective_uri, open_connection
    return open_connection(ctl, effective_uri(ctl), True)
