"""Progress of a long domain job (save, managedsave, dump) while it runs.

The driver calls ``conn.progress(done, total)`` as the job advances when
the connection has that attribute.  ``showing`` sets it for the length of
a command: virsh's ``Save: [ 42 %]`` lines on stderr with ``--verbose``,
else a rich bar when stdout is a terminal (rich is imported only then),
else nothing.
"""
import sys
from contextlib import contextmanager


@contextmanager
def showing(ctl, label, verbose=False):
    conn = ctl.conn
    bar = None
    if verbose:
        def update(done, total):
            sys.stderr.write("\r%s: [%3d %%]" % (label, 100 * done // total if total else 0))
            sys.stderr.flush()
    elif sys.stdout.isatty():
        from rich.progress import Progress
        bar = Progress(transient=True)
        task = bar.add_task(label, total=100)
        bar.start()

        def update(done, total):
            bar.update(task, completed=100 * done // total if total else 0)
    else:
        yield
        return
    conn.progress = update
    ok = False
    try:
        yield
        ok = True
    finally:
        del conn.progress
        if bar is not None:
            bar.stop()
        if verbose:
            sys.stderr.write(("\r%s: [100 %%]\n" % label) if ok else "\n")
            sys.stderr.flush()
