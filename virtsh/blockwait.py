"""Waiting for a block job (blockcopy/blockcommit/blockpull --wait).

virsh polls the job until it is done or ready, shows its progress with
``--verbose`` (``Block Copy: [ 42 %]`` lines on stderr), gives up after
``--timeout`` seconds and aborts the job on Ctrl-C.  On a terminal without
``--verbose`` a rich progress bar stands in (rich is imported only then).
"""
import sys
import time

POLL = 0.05


class Outcome:
    DONE, READY, TIMED_OUT, INTERRUPTED = range(4)


def wait(ctl, dom, path, verbose=False, timeout=None, until_ready=False):
    """Follow the job on *path*; one of Outcome's values."""
    deadline = time.monotonic() + timeout if timeout else None
    shown = _Progress(ctl, verbose)
    try:
        while True:
            job = dom.block_job_info(path, 0)
            if job is None:
                shown.finish(100)
                return Outcome.DONE
            label, _, cur, end = job
            percent = int(100.0 * cur / end) if end else 0
            shown.update(label, percent)
            if until_ready and end and cur == end:
                shown.finish(100)
                return Outcome.READY
            if deadline is not None and time.monotonic() > deadline:
                shown.finish(None)
                return Outcome.TIMED_OUT
            time.sleep(POLL)
    except KeyboardInterrupt:
        shown.finish(None)
        return Outcome.INTERRUPTED


class _Progress:
    """virsh's progress lines, or a rich bar on a terminal, or nothing."""

    def __init__(self, ctl, verbose):
        self.ctl = ctl
        self.verbose = verbose
        self.label = None
        self.bar = None
        if not verbose and sys.stdout.isatty():
            from rich.progress import Progress
            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = None

    def update(self, label, percent):
        self.label = label
        if self.verbose:
            sys.stderr.write("\r%s: [%3d %%]" % (label, percent))
            sys.stderr.flush()
        elif self.bar is not None:
            if self.task is None:
                self.task = self.bar.add_task(label, total=100)
            self.bar.update(self.task, completed=percent)

    def finish(self, percent):
        if self.verbose and self.label:
            if percent is not None:
                sys.stderr.write("\r%s: [%3d %%]" % (self.label, percent))
            sys.stderr.write("\n")
            sys.stderr.flush()
        if self.bar is not None:
            self.bar.stop()
