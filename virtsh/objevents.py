"""The ``*-event`` commands of networks, pools, node devices and secrets.

virtsh's drivers deliver no events to another process, so waiting for one
ends as virsh's loop does when nothing happens: at the timeout (or on
Ctrl-C) with "events received: 0".
"""
from virtsh.errors import CommandError


def run(ctl, args, names):
    """Handle ``--list`` / ``--event NAME [--timeout N] [--loop]``;
    *names*: the event names of this object kind."""
    if args.flag("list"):
        for name in names:
            ctl.print(name)
        return
    event = args.get("event")
    if event is None:
        raise CommandError("either --list or --event <type> is required")
    if event not in names:
        raise CommandError("unknown event type %s" % event)
    timeout = args.int("timeout")
    if timeout is not None and timeout < 1:
        raise CommandError("invalid timeout")
    import time
    try:
        if timeout is None:
            while True:
                time.sleep(3600)
        time.sleep(timeout)
        ctl.print("event loop timed out")
    except KeyboardInterrupt:
        pass
    ctl.print("events received: 0")
