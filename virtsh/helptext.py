"""The texts of ``help``: every group, one group, one command (virsh's layout)."""
from virtsh import commands
from virtsh.cmd import ARGV, BOOL, NUMBER


def _listed(modules):
    """The commands of a help group in virsh's order, without aliases and
    hidden commands."""
    for name, mod in commands.INDEX.items():
        if mod not in modules:
            continue
        cmd = commands.find(name)
        if cmd is not None and cmd.name == name and not cmd.hidden:
            yield cmd


def _group_lines(modules):
    return "".join("    %-30s %s\n" % (cmd.name, cmd.help) for cmd in _listed(modules))


def all_groups():
    """``help`` without argument."""
    parts = ["Grouped commands:\n\n"]
    for group, keyword, modules in commands.GROUPS:
        parts.append(" %s (help keyword '%s'):\n" % (group, keyword))
        parts.append(_group_lines(modules))
        parts.append("\n")
    return "".join(parts)


def usage_groups():
    """The command list at the end of ``virtsh --help``."""
    parts = []
    for group, keyword, modules in commands.GROUPS:
        parts.append(" %s (help keyword '%s')\n" % (group, keyword))
        parts.append(_group_lines(modules))
        parts.append("\n")
    parts.append("\n  (specify help <group> for details about the commands in the group)\n"
                 "\n  (specify help <command> for details about the command)\n\n")
    return "".join(parts)


def group(group_name):
    """``help KEYWORD``; None if no group has that name or keyword."""
    for name, keyword, modules in commands.GROUPS:
        if group_name in (name, keyword):
            return " %s (help keyword '%s'):\n%s" % (name, keyword, _group_lines(modules))
    return None


def command_or_group(name):
    cmd = commands.find(name)
    if cmd is not None:
        return command(cmd)
    return group(name)


def command(cmd):
    """``help COMMAND``: NAME, SYNOPSIS, DESCRIPTION, OPTIONS."""
    out = ["  NAME\n", "    %s - %s\n" % (cmd.name, cmd.help),
           "\n  SYNOPSIS\n", "    %s" % cmd.name]
    shortopt = False        # some option before an argv one is positional
    for option in cmd.options:
        out.append(" " + _synopsis(option, shortopt))
        if option.kind not in (BOOL, ARGV) and option.positional:
            shortopt = True
    out.append("\n")
    if cmd.desc:
        out.append("\n  DESCRIPTION\n    %s\n" % cmd.desc)
    if cmd.options:
        out.append("\n  OPTIONS\n")
        shortopt = False
        for option in cmd.options:
            out.append("    %-15s  %s\n" % (_label(option, shortopt), option.help))
            if option.kind not in (BOOL, ARGV) and option.positional:
                shortopt = True
    out.append("\n")
    return "".join(out)


def _synopsis(option, shortopt):
    name = option.name
    if option.kind == BOOL:
        return "[--%s]" % name
    if option.kind == ARGV:
        if shortopt:
            return ("{[--%s] <string>}..." if option.required else "[[--%s] <string>]...") % name
        return ("<%s>..." if option.required else "[<%s>]...") % name
    if option.required:
        return "<%s>" % name
    return "[--%s <%s>]" % (name, "number" if option.kind == NUMBER else "string")


def _label(option, shortopt):
    name = option.name
    if option.kind == BOOL:
        return "--" + name
    if option.kind == ARGV:
        return ("[--%s] <string>" if shortopt else "<%s>") % name
    value = "number" if option.kind == NUMBER else "string"
    if option.required:
        return "[--%s] <%s>" % (name, value)
    return "--%s <%s>" % (name, value)
