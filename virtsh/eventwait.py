"""Waiting for events in the foreground (event, qemu-monitor-event)."""


def wait_for_events(received, timeout, loop):
    """Sleep until an event arrived (unless *loop*), the timeout passed
    (True) or Ctrl-C."""
    import time
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while loop or not received:
            if deadline is not None and time.monotonic() >= deadline:
                return True
            time.sleep(0.05)
    except KeyboardInterrupt:
        pass
    return False


def timestamp_now():
    """The current UTC time as virsh stamps events: 2024-01-31 12:00:00.123+0000."""
    import time
    now = time.time()
    return "%s.%03d+0000" % (time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now)),
                             int(now * 1000) % 1000)
