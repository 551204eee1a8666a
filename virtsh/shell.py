"""virsh's shell: commands read line by line until EOF or ``quit``.

The line reader is chosen here: stdin that is not a terminal is read as
virsh does through readline (the prompt, then the line echoed); on a
terminal the prompt_toolkit reader of virtsh/repl.py.
"""
import sys

BANNER = ("Welcome to %s, the virtualization interactive terminal.\n\n"
          "Type:  'help' for help with commands\n"
          "       'quit' to quit\n\n")


def prompt(ctl):
    return "%s %s " % (ctl.progname, ">" if ctl.readonly else "#")


def read_piped(ctl, text):
    """Print *text*, read a line from stdin and echo it; None at EOF."""
    ctl.out.write(text)
    ctl.out.flush()
    line = sys.stdin.readline()
    if not line:
        return None
    line = line[:-1] if line.endswith("\n") else line
    ctl.out.write(line + "\n")
    return line


def run_shell(ctl, reader=None):
    """The shell loop; each line is a command string."""
    from virtsh import engine
    if reader is None:
        if sys.stdin.isatty():
            from virtsh.repl import TerminalReader
            reader = TerminalReader(ctl)
        else:
            reader = read_piped
    ctl.interactive = True
    if not ctl.quiet:
        ctl.print(BANNER % ctl.progname, end="")
    while ctl.interactive:
        line = reader(ctl, prompt(ctl))
        if line is None:
            break
        if line:
            try:
                engine.run_string(ctl, line)
            except KeyboardInterrupt:       # Ctrl-C stops the command, not the shell
                ctl.print("")
            except Exception as e:          # a bug must not end the session
                engine.report_unexpected(ctl, e)
    ctl.print("")
