"""Declaring commands: the shape of virsh's command tree.

A command module (virtsh/commands/*.py, grouped by its GROUPS) declares
each command with ``@command(name, help, *options)``; options are made
with ``data`` (may be given positionally), ``opt`` (only by name), ``flag``
(boolean) and ``argv`` (all remaining data words).  The order of
``data``/``argv`` options is the order in which bare words fill them, as in
virsh.  The handler is called as ``handler(ctl, args)`` with the shell
control (virtsh/control.py) and the parsed options (virtsh.args.Args).

Plain classes and tuples, no dataclasses: this module is on the start-up
path of every command.
"""

BOOL = "bool"
STRING = "string"
NUMBER = "number"
ARGV = "argv"

REGISTRY = {}      # command name -> Command


class Option:
    """One option of a command."""

    __slots__ = ("name", "kind", "required", "positional", "help", "complete")

    def __init__(self, name, kind, required, positional, help, complete):
        self.name = name
        self.kind = kind
        self.required = required
        self.positional = positional
        self.help = help
        self.complete = complete        # what completes its value: see virtsh/complete.py

    def __repr__(self):
        return "Option(%r, %r)" % (self.name, self.kind)


class Alias:
    """An accepted but undocumented option name standing for another one
    (``--kilobytes`` for ``--size``), optionally implying its value."""

    __slots__ = ("name", "target", "value")

    def __init__(self, name, target, value=None):
        self.name = name
        self.target = target
        self.value = value


class Command:
    """A command: its options, help texts and handler."""

    __slots__ = ("name", "group", "help", "desc", "options", "aliases",
                 "handler", "noconnect", "hidden", "module")

    def __init__(self, name, help, options, aliases, handler, desc,
                 noconnect, hidden, module):
        self.name = name
        self.help = help
        self.desc = desc            # help's DESCRIPTION (none when empty)
        self.options = options
        self.aliases = aliases
        self.handler = handler
        self.noconnect = noconnect
        self.hidden = hidden
        self.module = module
        self.group = None           # set by virtsh.commands when loaded

    def option(self, name):
        for o in self.options:
            if o.name == name:
                return o
        return None


def problems(cmd):
    """What is wrong with a command's declaration (virsh's self-test rules)."""
    found = []
    if not cmd.help:
        found.append("command '%s' has no help" % cmd.name)
    optional = False
    for i, o in enumerate(cmd.options):
        if not o.help:
            found.append("option '%s' of command '%s' has no help" % (o.name, cmd.name))
        if o.kind == BOOL and o.required:
            found.append("boolean option '%s' of command '%s' is required"
                         % (o.name, cmd.name))
        if o.kind == ARGV and i != len(cmd.options) - 1:
            found.append("argv option '%s' of command '%s' is not last"
                         % (o.name, cmd.name))
        if o.positional and o.kind != BOOL:
            if o.required and optional and o.kind != ARGV:
                found.append("required option '%s' of command '%s' follows an "
                             "optional one" % (o.name, cmd.name))
            optional = optional or not o.required
        elif o.kind == BOOL:
            optional = True
    for a in cmd.aliases:
        target = cmd.option(a.target)
        if target is None:
            found.append("alias '%s' of command '%s' names no option"
                         % (a.name, cmd.name))
        elif a.value is not None and target.kind == BOOL:
            found.append("alias '%s' of command '%s' gives a value to a boolean"
                         % (a.name, cmd.name))
    return found


def data(name, help="", required=False, kind=STRING, complete=None):
    """An option that bare words fill, in declaration order."""
    return Option(name, kind, required, True, help, complete)


def opt(name, help="", kind=STRING, complete=None):
    """An option with a value, given only by name (``--name value``)."""
    return Option(name, kind, False, False, help, complete)


def flag(name, help=""):
    """A boolean option."""
    return Option(name, BOOL, False, False, help, None)


def argv(name, help="", required=False, complete=None):
    """Collects every remaining bare word (must come last)."""
    return Option(name, ARGV, required, True, help, complete)


def command(name, help, *options, desc="", aliases=(), noconnect=False,
            hidden=False, also=()):
    """Register the decorated function as the handler of command *name*.

    *aliases*: ``Alias`` objects (option names); *also*: other command names
    that run the same handler (virsh's ``nodedev-dettach``); *noconnect*:
    the command needs no connection (echo, help, connect ...).
    """
    def register(fn):
        cmd = Command(name, help, tuple(options), tuple(aliases), fn, desc,
                      noconnect, hidden, fn.__module__)
        REGISTRY[name] = cmd
        for other in also:
            REGISTRY[other] = cmd
        return fn
    return register
