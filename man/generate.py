#!/usr/bin/env python3
"""Write man/virtsh.1 from the command registry.

Every command of every help group, with its options and their help texts,
comes from the declarations in virtsh/commands/*.py, so the page cannot
miss a command; tests/unit/test_manpage.py checks that the committed page
still covers the command tree.

    python3 man/generate.py            # rewrite man/virtsh.1
    python3 man/generate.py --stdout   # print it instead
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PAGE = os.path.join(HERE, "virtsh.1")

HEAD = r""".TH VIRTSH 1 "" "virtsh @VERSION@" "User Commands"
.nh
.ad l
.SH NAME
virtsh \- manage virtual machines like virsh, without a daemon
.SH SYNOPSIS
.B virtsh
.RI [ OPTION "]... [" COMMAND_STRING ]
.br
.B virtsh
.RI [ OPTION "]... " COMMAND " [" ARG ]...
.SH DESCRIPTION
.B virtsh
accepts the commands, options and connection URIs of libvirt's
.BR virsh (1)
and prints the same output, error lines and exit status, so scripts
written for virsh run unchanged.
There is no libvirtd: virtsh starts and supervises QEMU itself, keeps
libvirt-compatible domain XML on disk, and reaches other hosts over SSH.
.PP
With a single argument after the options, that argument is a command
string: several commands separated by
.B ;
or newlines, quoted as in a POSIX shell.
With several arguments, they form one command, each word taken literally.
With no command, virtsh runs its interactive shell: on a terminal, a
prompt
.RB ( "virtsh # " ,
or
.B "virtsh > "
on a read-only connection) with Tab completion of commands, options and
object names, and a history kept across sessions; with standard input
not a terminal, it reads commands line by line.
.PP
A
.I data
option may be given by name or by position
.RB ( "start vm1" " is " "start \-\-domain vm1" );
.B \-\-opt=value
works for every option, and
.B \-\-
ends the options of a command.
Every command goes on running after an earlier one failed; the exit
status is that of the last command.
.SH OPTIONS
.TP
.BI \-c " URI" "\fR, \fP\-\-connect=" URI
Connect to
.I URI
(see
.BR "CONNECTION URIS" ).
.TP
.BI \-d " LEVEL" "\fR, \fP\-\-debug=" LEVEL
Print debugging messages of
.I LEVEL
(0, the most verbose, to 4).
.TP
.BI \-e " CHAR" "\fR, \fP\-\-escape=" CHAR
Escape sequence of the console (default
.BR ^] ).
.TP
.BR \-h ", " \-\-help
Print the options and the list of commands.
.TP
.BI \-k " SECONDS" "\fR, \fP\-\-keepalive\-interval=" SECONDS
Keepalive interval of the connection; 0 disables keepalive.
.TP
.BI \-K " COUNT" "\fR, \fP\-\-keepalive\-count=" COUNT
Keepalive messages that may go unanswered before the connection closes.
.TP
.BI \-l " FILE" "\fR, \fP\-\-log=" FILE
Append a log of the session to
.IR FILE .
.TP
.BR \-q ", " \-\-quiet
Leave out informational lines and the blank line after each command.
.TP
.BR \-r ", " \-\-readonly
Open the connection read-only: commands that change anything fail.
.TP
.BR \-t ", " \-\-timing
Print the time each command took.
.TP
.BR \-v ", " \-\-version[=short]
Print the virsh version virtsh follows.
.TP
.BR \-V ", " \-\-version=long
Print virtsh's own version and drivers.
.SH CONNECTION URIS
The URI comes from
.BR \-c ,
else
.BR VIRSH_DEFAULT_CONNECT_URI ,
else
.BR LIBVIRT_DEFAULT_URI ,
else
.B uri_default
of the configuration file, else
.B qemu:///system
for root and
.B qemu:///session
for other users.
Its general form is
.IB driver [+ transport ]:// [ user @][ host ][: port ]/ path [? params ].
.TP
.B test:///default
libvirt's in-memory test node: a running domain
.BR test ,
network
.BR default ,
pool
.BR default\-pool .
Every process starts from the same state.
.TP
.BI test:// /ABSOLUTE/PATH.xml
A test node loaded from a node file in libvirt's test-driver format.
.TP
.B qemu:///system
QEMU/KVM guests of the whole host (root only); state under
.IR /etc/virtsh ,
.IR /run/virtsh ,
.IR /var/lib/virtsh ,
.IR /var/cache/virtsh ,
.IR /var/log/virtsh .
.TP
.B qemu:///session
QEMU guests of the calling user; state in the XDG directories.
.TP
.BI qemu:///embed?root= DIR
QEMU guests whose whole state lives under
.IR DIR .
.TP
.IB driver +ssh:// [ user @] host [: port ]/ path
The
.IR driver :/// path
connection of another host, over SSH (for example
.BR qemu+ssh://root@host/system ).
Parameters:
.BI keyfile= FILE
(private key),
.BI known_hosts= FILE
(host keys to check against; checked against
.I ~/.ssh/known_hosts
by default),
.B no_verify=1
(accept any host key).
.TP
.I ALIAS
A name from
.B uri_aliases
in the configuration file stands for its URI.
"""

GUIDE = r""".SH INTERACTIVE SHELL
.TP
.B Tab
Complete a command, an option, or a value: domain names (only those the
command can act on, e.g. shut-off domains after
.BR start ),
networks, pools, volumes, snapshots, URIs and files.
Names come from the open connection in the background; a slow host never
blocks the keyboard.
.TP
.BR Up ", " Down
Walk the history, kept across sessions.
.TP
.B Ctrl\-C
Drop the line being typed, or interrupt the running command.
.TP
.B Ctrl\-D
Leave the shell, like
.B quit
and
.BR exit .
.PP
.BR cd ,
.BR pwd ,
.B echo
and
.B connect
work as in virsh.
The shells bash and zsh complete virtsh command lines with the scripts
.I completions/virtsh.bash
and
.IR completions/_virtsh ,
which ask
.B virtsh complete \-\- WORDS...
for the candidates.
.SH EDITING
The
.B *\-edit
commands write the object's XML to a temporary file and open it in
.B $VISUAL
or
.B $EDITOR
(else
.BR vi ).
An untouched file changes nothing.
When the new definition is refused, a terminal offers:
.B y
edit again,
.B n
give up,
.B f
try the same definition again, and for
.B edit
without
.BR \-\-skip\-validate ,
.B i
try again without validation.
Without a terminal, the command fails.
A failed edit always leaves the old definition in place.
.B "edit \-\-xpath EXPR \-\-set VALUE"
(or
.BR \-\-delete )
changes a domain without an editor.
.SH EXAMPLES
.nf
virtsh \-c test:///default list \-\-all
virtsh \-c test:///default "destroy test; domstate test \-\-reason"
virtsh \-c qemu:///session start vm1
virtsh \-c 'qemu:///embed?root=/tmp/vms' define vm.xml
virtsh edit vm1 \-\-xpath /domain/memory \-\-set 2097152
virtsh \-c qemu+ssh://root@host/system list
.fi
"""

TAIL = r""".SH ENVIRONMENT
.TP
.B VIRSH_DEFAULT_CONNECT_URI
The URI used when
.B \-c
is not given.
.TP
.B LIBVIRT_DEFAULT_URI
The URI used when neither
.B \-c
nor
.B VIRSH_DEFAULT_CONNECT_URI
is given.
.TP
.BR VISUAL ", " EDITOR
The editor of the
.B *\-edit
commands (default
.BR vi ).
.TP
.BR XDG_CONFIG_HOME ", " XDG_STATE_HOME
Where the configuration file and the shell's history live.
.SH FILES
.TP
.I ~/.config/virtsh/virtsh.conf
The configuration file, in libvirt.conf syntax:
.RS
.PP
.nf
uri_default = "qemu:///session"
uri_aliases = [
  "lab=test:///srv/lab.xml",
  "far=qemu+ssh://root@far.example.com/system",
]
.fi
.RE
.TP
.I ~/.local/state/virtsh/history
The history of the interactive shell.
.SH EXIT STATUS
0 when the last command succeeded, 1 when it (or the parsing of the
command line) failed.
.SH SEE ALSO
.BR virsh (1),
.BR qemu\-system\-x86_64 (1)
"""


def roff(text):
    """*text* safe inside a roff line: backslashes and hyphens escaped."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    if text[:1] in (".", "'"):
        text = "\\&" + text
    return text


def synopsis(cmd):
    from virtsh.cmd import ARGV, BOOL, NUMBER
    parts = [r"\fB%s\fR" % roff(cmd.name)]
    for option in cmd.options:
        name = roff("--" + option.name)
        value = "number" if option.kind == NUMBER else "string"
        if option.kind == BOOL:
            part = r"\fB%s\fR" % name
        elif option.kind == ARGV:
            part = r"[\fB%s\fR] \fI%s\fR..." % (name, value)
        elif option.positional:
            part = r"[\fB%s\fR] \fI%s\fR" % (name, value)
        else:
            part = r"\fB%s\fR \fI%s\fR" % (name, value)
        parts.append(part if option.required else "[" + part + "]")
    return " ".join(parts)


def command_section(cmd):
    from virtsh.cmd import ARGV, BOOL, NUMBER
    lines = [".SS %s" % roff(cmd.name), synopsis(cmd), ".PP",
             roff(cmd.desc or cmd.help or cmd.name)]
    for option in cmd.options:
        label = r"\fB%s\fR" % roff("--" + option.name)
        if option.kind != BOOL:
            label += r" \fI%s\fR" % ("number" if option.kind == NUMBER else
                                     "string..." if option.kind == ARGV else
                                     "string")
        lines += [".TP", label, roff(option.help or "(no description)")]
    for alias in cmd.aliases:
        lines += [".TP", r"\fB%s\fR" % roff("--" + alias.name),
                  roff("The same as --%s." % alias.target)]
    return "\n".join(lines) + "\n"


def listed(modules):
    """The visible commands of a help group's modules, in virsh's order."""
    from virtsh import commands
    for name, mod in commands.INDEX.items():
        cmd = commands.find(name) if mod in modules else None
        if cmd is not None and cmd.name == name and not cmd.hidden:
            yield cmd


JSON_INTRO = r""".SH JSON OUTPUT
The listing and information commands below accept
.BR \-\-json :
instead of virsh's text they print one JSON document on standard output,
whatever the other options ask about the layout
.RB ( \-\-name ", " \-\-tree ", " \-\-human ", " \-q " ...)."
Numbers are numbers, with the unit in the key
.RB ( memory_kib ", " capacity_bytes ", " cpu_time_ns ),
yes/no answers are booleans, and
.B null
stands for what is absent or unknown (virsh's
.BR \- " or " unknown ).
Errors are still
.B error:
lines on standard error with exit status 1.
Each shape gives a value's type where the document has the value;
.B [...]
is a list of such objects.
"""


def json_section():
    """The JSON OUTPUT section: the shape --json prints, per command."""
    from virtsh.jsonshapes import SHAPES
    lines = [JSON_INTRO.rstrip("\n")]
    for name, shape in SHAPES.items():
        lines += [".TP", r"\fB%s \-\-json\fR" % roff(name), roff(shape)]
    return "\n".join(lines) + "\n"


def render():
    from virtsh import __version__, commands
    out = [HEAD.replace("@VERSION@", __version__), GUIDE, json_section()]
    for group, keyword, modules in commands.GROUPS:
        out.append('.SH "%s COMMANDS (help keyword %s)"\n'
                   % (group.upper(), keyword))
        out += [command_section(cmd) for cmd in listed(modules)]
    out.append(TAIL)
    return "".join(out)


def main(argv):
    text = render()
    if "--stdout" in argv:
        sys.stdout.write(text)
    else:
        with open(PAGE, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
