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
