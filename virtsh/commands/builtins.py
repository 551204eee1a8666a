"""Virsh itself commands (virsh help group 'virsh'): the shell's builtins."""
from virtsh.cmd import argv, command, data, flag
from virtsh.errors import CommandError

# Characters that make --shell quote a word (as virsh's shell escaping does).
_SHELL_SPECIAL = set("\r\t\n !\"#$&'()*;<>?[\\]^`{|}~")


@command('cd', "change the working directory",
         data('dir', "the directory to go to (default: your home, else /)",
              complete="file"),
         desc="Change the working directory of the shell.",
         noconnect=True)
def cd(ctl, args):
    import os
    if not ctl.interactive:
        raise CommandError("cd: command valid only in interactive mode")
    path = args.get("dir")
    if not path:
        path = os.path.expanduser("~") or "/"
    try:
        os.chdir(path)
    except OSError as e:
        raise CommandError("cd: %s: %s" % (os.strerror(e.errno), path)) from None


@command('echo', "print its arguments (for testing and scripts)",
         flag('shell', "quote each argument for a POSIX shell"),
         flag('xml', "escape each argument for XML"),
         flag('split', "print each comma-separated part on its own line "
                       "(',,' stands for a comma)"),
         flag('err', "write to standard error instead"),
         argv('string', "the words to print"),
         desc="Print the arguments, optionally quoted, escaped or split.",
         noconnect=True)
def echo(ctl, args):
    args.exclusive("shell", "xml")
    args.exclusive("shell", "split")
    args.exclusive("xml", "split")
    words = args.argv("string")
    if not words:
        return True
    pieces = []
    for word in words:
        if args.flag("xml"):
            word = xml_escape(word)
        if args.flag("shell"):
            word = shell_quote(word)
        if args.flag("split"):
            word = "".join(part + "\n" for part in split_commas(word))
        pieces.append(word)
    text = " ".join(pieces)
    if args.flag("err"):
        ctl.error(text)
    else:
        ctl.print(text, end="")
    return True


def xml_escape(text):
    """Escape text for XML content and attributes, as libvirt does."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def shell_quote(text):
    """Quote *text* for a POSIX shell only when it needs quoting."""
    if text and not _SHELL_SPECIAL.intersection(text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def split_commas(text):
    """Split on ',' where ',,' is a literal comma (virsh's list syntax)."""
    parts, current, i = [], [], 0
    while i < len(text):
        if text[i] == ",":
            if text[i + 1:i + 2] == ",":
                current.append(",")
                i += 2
                continue
            parts.append("".join(current))
            current = []
        else:
            current.append(text[i])
        i += 1
    parts.append("".join(current))
    return parts


@command('exit', "leave the shell", noconnect=True)
def cmd_exit(ctl, args):
    ctl.interactive = False
    return True


@command('quit', "leave the shell", noconnect=True)
def cmd_quit(ctl, args):
    ctl.interactive = False
    return True


@command('pwd', "print the working directory", noconnect=True)
def pwd(ctl, args):
    import os
    try:
        ctl.print(os.getcwd())
    except OSError as e:
        raise CommandError("pwd: cannot get current directory: %s"
                           % os.strerror(e.errno)) from None


@command('connect', "open a connection to a hypervisor (closing the current one)",
         data('name', "the connection URI (default: the current or default one)",
              complete="uri"),
         flag('readonly', "open the connection read-only"),
         desc="Connect to a hypervisor by URI; the shell uses it from now on.",
         noconnect=True)
def connect(ctl, args):
    from virtsh.engine import reconnect
    reconnect(ctl, args.get("name"), args.flag("readonly"))
    return True


@command('help', "show the commands, a group of commands, or one command",
         data('command', "a command name or a group keyword"),
         desc="Without argument, list every command by group; with a group "
              "keyword, that group; with a command, its options.",
         noconnect=True)
def cmd_help(ctl, args):
    from virtsh import helptext
    name = args.get("command")
    if not name:
        ctl.print(helptext.all_groups(), end="")
        return True
    text = helptext.command_or_group(name)
    if text is None:
        raise CommandError("command or command group '%s' doesn't exist" % name)
    ctl.print(text, end="")
    return True


@command('self-test', "check every command's declaration (for testing)",
         flag('completers-missing', "list the options whose values have no completer"),
         desc="Check that every command is declared consistently; print "
              "nothing when all is well.",
         hidden=True, noconnect=True)
def self_test(ctl, args):
    from virtsh.cmd import BOOL, problems
    from virtsh.commands import INDEX, find
    ok = True
    for name in INDEX:
        cmd = find(name)
        if cmd.name != name:
            continue
        for problem in problems(cmd):
            ctl.error(problem)
            ok = False
        if args.flag("completers-missing"):
            bare = [o.name for o in cmd.options if o.kind != BOOL and not o.complete]
            if bare:
                ctl.print("%s: %s" % (name, ", ".join(bare)))
    return ok


@command('complete', "print completions of a partial command line",
         argv('string', "the partial command line"),
         desc="Print the words that can complete the given command line, "
              "one per line (used by shell completion).",
         hidden=True, noconnect=True)
def complete(ctl, args):
    from virtsh.complete import complete_command
    for word in complete_command(ctl, args.argv("string")):
        ctl.print(word)
    return True
