"""Domain Events commands (virsh help group 'events')."""
from virtsh import lookup
from virtsh.cmd import NUMBER, command, data, flag
from virtsh.errors import CommandError


@command('event', "Wait for domain events and print them.",
         data('domain', "only events of this domain", complete="domain"),
         data('event', "event type to wait for (see --list)"),
         flag('all', "wait for every type of event"),
         flag('loop', "keep waiting after the first event"),
         data('timeout', "stop after this many seconds", kind=NUMBER),
         flag('list', "list the event types"),
         flag('timestamp', "print a timestamp before each event"))
def event(ctl, args):
    if args.flag("list"):
        for name in EVENT_TYPES:
            ctl.print(name)
        return
    wanted = args.get("event")
    if wanted is None and not args.flag("all"):
        raise CommandError("one of --list, --all, or --event <type> is required")
    if wanted is not None and wanted not in EVENT_TYPES:
        raise CommandError("unknown event type %s" % wanted)
    timeout = args.int("timeout")
    if timeout is not None and timeout < 1:
        raise CommandError("invalid timeout")
    dom = lookup.domain(ctl, args) if args.given("domain") else None
    received = []

    def on_event(domain, event_id, text):
        stamp = ""
        if args.flag("timestamp"):
            import time
            stamp = time.strftime("%Y-%m-%d %H:%M:%S.000+0000: ", time.gmtime())
        ctl.print("%sevent '%s' for domain '%s': %s"
                  % (stamp, EVENT_TYPES[event_id], domain.name(), text))
        received.append(event_id)

    from virtsh.eventwait import wait_for_events
    ids = [i for i, name in enumerate(EVENT_TYPES) if wanted in (None, name)]
    registered = [ctl.conn.domain_event_register(dom, i, on_event) for i in ids]
    try:
        timed_out = wait_for_events(received, timeout, args.flag("loop"))
    finally:
        for callback_id in registered:
            ctl.conn.domain_event_deregister(callback_id)
    if timed_out:
        ctl.print("event loop timed out")
    ctl.print("events received: %d" % len(received))
    return not timed_out


EVENT_TYPES = (
    "lifecycle", "reboot", "rtc-change", "watchdog", "io-error", "graphics",
    "io-error-reason", "control-error", "block-job", "disk-change", "tray-change",
    "pm-wakeup", "pm-suspend", "balloon-change", "pm-suspend-disk",
    "device-removed", "block-job-2", "tunable", "agent-lifecycle", "device-added",
    "migration-iteration", "job-completed", "device-removal-failed",
    "metadata-change", "block-threshold", "memory-failure",
    "memory-device-size-change")
