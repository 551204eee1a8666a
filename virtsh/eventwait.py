"""Waiting for events in the foreground (event, qemu-monitor-event)."""


def wait_for_events(received, timeout, loop):
    """Sleep until an event arrived (unless *loop*: until the end); how the
    loop ended when not by an event: "timed out" or "interrupted" (Ctrl-C)."""
    import time
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while loop or not received:
            if deadline is not None and time.monotonic() >= deadline:
                return "timed out"
            time.sleep(0.05)
    except KeyboardInterrupt:
        return "interrupted"
    return None


def checked_timeout(args):
    """The --timeout option in seconds (None: wait forever); virsh's error
    unless a positive number."""
    from virtsh.errors import CommandError
    timeout = args.int("timeout")
    if timeout is not None and timeout < 1:
        raise CommandError("Numeric value '%s' for <timeout> option is malformed "
                           "or out of range" % args.get("timeout"))
    return timeout


def report_end(ctl, outcome, count):
    """The closing lines of an event loop; whether any event came."""
    if outcome:
        ctl.print("event loop %s" % outcome)
    ctl.print("events received: %d" % count)
    return count > 0


def print_event(ctl, text, stamped):
    """Print one event (flushed: someone may be watching through a pipe),
    with virsh's timestamp prefix when asked for."""
    if stamped:
        text = "%s: %s" % (timestamp_now(), text)
    ctl.print(text)
    ctl.out.flush()


def timestamp_now():
    """The current UTC time as virsh stamps events: 2024-01-31 12:00:00.123+0000."""
    import time
    now = time.time()
    return "%s.%03d+0000" % (time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now)),
                             int(now * 1000) % 1000)
