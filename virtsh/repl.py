"""The interactive shell on a terminal (``virtsh`` with no command).

prompt_toolkit reads the lines: virsh's prompts (``virtsh # ``, or
``virtsh > `` on a read-only connection), Tab completion from
virtsh/complete.py, history kept across sessions in the XDG state
directory, Ctrl-C clearing the line and Ctrl-D leaving.  Each line runs
through the shell loop of virtsh/shell.py, as piped lines do.

Object names for completion are fetched in a background thread; a lock
keeps a fetch from talking to the connection while a command runs, and
the completer itself runs in a thread, so a slow host never blocks a key.
"""
import os
import sys
import threading

from virtsh.complete import Names, candidates, quote_word, split_line

NAMES_WAIT = 0.5        # seconds a Tab waits for names it has never seen


def history_path():
    """$XDG_STATE_HOME/virtsh/history (default ~/.local/state/virtsh/history)."""
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state")
    return os.path.join(state, "virtsh", "history")


def make_completer(names):
    """A prompt_toolkit completer over virtsh/complete.py."""
    from prompt_toolkit.completion import Completer, Completion

    class LineCompleter(Completer):
        def get_completions(self, document, complete_event):
            words, raw = split_line(document.text_before_cursor)
            for found in candidates(words, names):
                text = quote_word(found)
                if not found.endswith(("/", "=")):
                    text += " "
                yield Completion(text, start_position=-len(raw),
                                 display=found)

    return LineCompleter()


def _history(path):
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a"):
            pass
    except OSError:
        return InMemoryHistory()    # no writable state dir: this session only
    return FileHistory(path)


class _Plain:
    """The line editor when stdout is no terminal: the terminal's own."""

    @staticmethod
    def prompt(text):
        sys.stdout.write(text)
        sys.stdout.flush()
        return input()


class TerminalReader:
    """The shell's line reader on a terminal (see virtsh/shell.py): called
    with the prompt, returns the next line, or None at Ctrl-D.

    The command a line starts runs while the lock is held (from returning
    the line until the next call), so background name fetches wait for it.
    """

    def __init__(self, ctl):
        self.lock = threading.Lock()
        # ctl.conn opens the connection on the first Tab that needs names
        self.names = Names(lambda: ctl.conn, wait=NAMES_WAIT, lock=self.lock)
        self.session = None
        self.holding = False

    def __call__(self, ctl, prompt):
        if self.holding:            # the previous line's command has ended
            self.holding = False
            self.lock.release()
            self.names.refresh()
        if self.session is None:
            self.session = self._session()
        while True:
            try:
                line = self.session.prompt(prompt)
            except KeyboardInterrupt:   # Ctrl-C: drop the line, ask again
                if isinstance(self.session, _Plain):
                    ctl.print()
                continue
            except EOFError:            # Ctrl-D: leave the shell
                return None
            self.lock.acquire()
            self.holding = True
            return line

    def _session(self):
        """A PromptSession; plain input() when the output is no terminal
        (``virtsh | tee log``), which escape sequences would clutter."""
        if not sys.stdout.isatty():
            return _Plain()
        from prompt_toolkit import PromptSession
        from prompt_toolkit.completion import ThreadedCompleter
        from prompt_toolkit.shortcuts import CompleteStyle
        return PromptSession(
            history=_history(history_path()),
            completer=ThreadedCompleter(make_completer(self.names)),
            complete_style=CompleteStyle.READLINE_LIKE,
            complete_while_typing=False)
