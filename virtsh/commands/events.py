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
    from virtsh.eventtext import EVENT_TYPES, describe
    from virtsh.eventwait import checked_timeout, print_event, report_end, wait_for_events
    args.exclusive("all", "event")
    args.exclusive("list", "all")
    args.exclusive("list", "event")
    if args.flag("list"):
        for name in EVENT_TYPES:
            ctl.print(name)
        return
    wanted = args.get("event")
    if wanted is None and not args.flag("all"):
        raise CommandError("one of --list, --all, or --event <type> is required")
    if wanted is not None and wanted not in EVENT_TYPES:
        raise CommandError("unknown event type %s" % wanted)
    timeout = checked_timeout(args)
    dom = lookup.domain(ctl, args) if args.given("domain") else None
    loop, stamped = args.flag("loop"), args.flag("timestamp")
    received = []

    def on_event(domain, event_id, details):
        if received and not loop:
            return                      # one-shot: only the first is printed
        print_event(ctl, describe(event_id, domain.name(), details), stamped)
        received.append(event_id)

    ids = [i for i, name in enumerate(EVENT_TYPES) if wanted in (None, name)]
    registered = [ctl.conn.domain_event_register(dom, i, on_event) for i in ids]
    try:
        outcome = wait_for_events(received, timeout, loop)
    finally:
        for callback_id in registered:
            ctl.conn.domain_event_deregister(callback_id)
    return report_end(ctl, outcome, len(received))

