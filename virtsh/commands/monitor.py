"""Domain Monitoring commands (virsh help group 'monitor')."""
from virtsh import lookup
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt
from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError
from virtsh.errors import failing


@command('domblkerror', "",
         data('domain', "", required=True))
def domblkerror(ctl, args):
    raise NotImplementedError  # TODO


@command('domblkinfo', "",
         data('domain', "", required=True),
         data('device', ""),
         flag('human', ""),
         flag('all', ""))
def domblkinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('domblklist', "",
         data('domain', "", required=True),
         flag('inactive', ""),
         flag('details', ""))
def domblklist(ctl, args):
    raise NotImplementedError  # TODO


@command('domblkstat', "",
         data('domain', "", required=True),
         data('device', ""),
         flag('human', ""))
def domblkstat(ctl, args):
    raise NotImplementedError  # TODO


@command('domcontrol', "",
         data('domain', "", required=True))
def domcontrol(ctl, args):
    raise NotImplementedError  # TODO


@command('domif-getlink', "",
         data('domain', "", required=True),
         data('interface', "", required=True),
         flag('config', ""),
         aliases=(Alias('persistent', 'config'),))
def domif_getlink(ctl, args):
    raise NotImplementedError  # TODO


@command('domifaddr', "",
         data('domain', "", required=True),
         data('interface', ""),
         flag('full', ""),
         data('source', ""))
def domifaddr(ctl, args):
    raise NotImplementedError  # TODO


@command('domiflist', "",
         data('domain', "", required=True),
         flag('inactive', ""))
def domiflist(ctl, args):
    raise NotImplementedError  # TODO


@command('domifstat', "",
         data('domain', "", required=True),
         data('interface', "", required=True))
def domifstat(ctl, args):
    raise NotImplementedError  # TODO


@command('dominfo', "Show the basic facts of a domain: state, CPUs, memory, persistence.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def dominfo(ctl, args):
    from virtsh.format import field_line, print_fields
    from virtsh.states import state_text
    dom = lookup.domain(ctl, args)
    state, max_mem, memory, nvcpus, cpu_time = dom.info()
    dom_id = dom.id()
    fields = [("Id:", dom_id if dom_id >= 0 else "-"),
              ("Name:", dom.name()),
              ("UUID:", dom.uuid())]
    try:
        fields.append(("OS Type:", dom.os_type()))
    except VirtError:
        pass
    fields += [("State:", state_text(state)), ("CPU(s):", nvcpus)]
    if cpu_time:
        fields.append(("CPU time:", "%.1fs" % (cpu_time / 1e9)))
    fields.append(("Max memory:", "%d KiB" % max_mem))
    fields.append(("Used memory:", "%d KiB" % memory))
    fields.append(("Persistent:", _yes_no(dom.is_persistent)))
    fields.append(("Autostart:", _yes_no(dom.autostart, "enable", "disable")))
    fields.append(("Managed save:", _yes_no(dom.has_managed_save)))
    print_fields(ctl, fields)
    try:
        model, doi = dom.security_model()
    except VirtError:
        return True
    if model:
        print_fields(ctl, [("Security model:", model), ("Security DOI:", doi)])
        label, enforcing = dom.security_label()
        if label:
            ctl.print(field_line("Security label:", "%s (%s)" % (
                label, "enforcing" if enforcing else "permissive")))
    return True


def _yes_no(getter, yes="yes", no="no"):
    """virsh's yes/no (or enable/disable) for a boolean API, ``unknown``
    when the API fails."""
    try:
        return yes if getter() else no
    except VirtError:
        return "unknown"


@command('dommemstat', "",
         data('domain', "", required=True),
         opt('period', "", kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def dommemstat(ctl, args):
    raise NotImplementedError  # TODO


@command('domstate', "Show the state of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('reason', "also show why it is in that state"))
def domstate(ctl, args):
    from virtsh.states import reason_text, state_text
    dom = lookup.domain(ctl, args)
    state, reason = dom.state()
    if args.flag("reason"):
        ctl.print("%s (%s)" % (state_text(state), reason_text(state, reason)))
    else:
        ctl.print(state_text(state))
    return True


@command('domstats', "",
         flag('state', ""),
         flag('cpu-total', ""),
         flag('balloon', ""),
         flag('vcpu', ""),
         flag('interface', ""),
         flag('block', ""),
         flag('perf', ""),
         flag('iothread', ""),
         flag('memory', ""),
         flag('dirtyrate', ""),
         flag('vm', ""),
         flag('list-active', ""),
         flag('list-inactive', ""),
         flag('list-persistent', ""),
         flag('list-transient', ""),
         flag('list-running', ""),
         flag('list-paused', ""),
         flag('list-shutoff', ""),
         flag('list-other', ""),
         flag('raw', ""),
         flag('enforce', ""),
         flag('backing', ""),
         flag('nowait', ""),
         argv('domain', ""))
def domstats(ctl, args):
    raise NotImplementedError  # TODO


@command('domtime', "",
         data('domain', "", required=True),
         flag('now', ""),
         flag('pretty', ""),
         flag('sync', ""),
         data('time', "", kind=NUMBER))
def domtime(ctl, args):
    raise NotImplementedError  # TODO


# list's filter options and the ListAllDomains flag each adds
_LIST_FILTERS = (
    ("persistent", D.LIST_PERSISTENT), ("transient", D.LIST_TRANSIENT),
    ("with-managed-save", D.LIST_MANAGEDSAVE),
    ("without-managed-save", D.LIST_NO_MANAGEDSAVE),
    ("autostart", D.LIST_AUTOSTART), ("no-autostart", D.LIST_NO_AUTOSTART),
    ("with-snapshot", D.LIST_HAS_SNAPSHOT), ("without-snapshot", D.LIST_NO_SNAPSHOT),
    ("with-checkpoint", D.LIST_HAS_CHECKPOINT),
    ("without-checkpoint", D.LIST_NO_CHECKPOINT),
    ("state-running", D.LIST_RUNNING), ("state-paused", D.LIST_PAUSED),
    ("state-shutoff", D.LIST_SHUTOFF), ("state-other", D.LIST_OTHER),
)


@command('list', "List domains: running ones by default, or those the filters select.",
         flag('inactive', "list only shut off domains"),
         flag('all', "list shut off domains too"),
         flag('transient', "only transient domains"),
         flag('persistent', "only persistent domains"),
         flag('with-snapshot', "only domains with snapshots"),
         flag('without-snapshot', "only domains without snapshots"),
         flag('with-checkpoint', "only domains with checkpoints"),
         flag('without-checkpoint', "only domains without checkpoints"),
         flag('state-running', "only running domains"),
         flag('state-paused', "only paused domains"),
         flag('state-shutoff', "only shut off domains"),
         flag('state-other', "only domains in another state"),
         flag('autostart', "only domains that start with the host"),
         flag('no-autostart', "only domains that do not start with the host"),
         flag('with-managed-save', "only domains with a managed save image"),
         flag('without-managed-save', "only domains without a managed save image"),
         flag('uuid', "print UUIDs instead of the table"),
         flag('name', "print names instead of the table"),
         flag('id', "print ids instead of the table"),
         flag('table', "print the table (the default)"),
         flag('managed-save', "show 'saved' as the state of domains with a managed save image"),
         flag('title', "add a Title column"))
def cmd_list(ctl, args):
    from virtsh.format import print_table
    from virtsh.states import state_text
    if args.flag("all"):
        flags = D.LIST_ACTIVE | D.LIST_INACTIVE
    elif args.flag("inactive") or args.flag("state-shutoff"):
        flags = D.LIST_INACTIVE
    else:
        flags = D.LIST_ACTIVE
    for option, bit in _LIST_FILTERS:
        if args.flag(option):
            flags |= bit
    with failing("Failed to list domains"):
        domains = ctl.conn.list_all_domains(flags)
    domains.sort(key=_list_order)
    columns = [c for c in ("uuid", "id", "name") if args.flag(c)]
    if columns and not args.flag("table"):
        for dom in domains:
            words = {"uuid": dom.uuid, "name": dom.name,
                     "id": lambda: _id_text(dom)}
            ctl.print(" ".join(str(words[c]()) for c in columns))
        return True
    header = ["Id", "Name", "State"]
    if args.flag("title"):
        header.append("Title")
    rows = []
    for dom in domains:
        state = dom.state()[0]
        if args.flag("managed-save") and state == D.SHUTOFF and dom.has_managed_save():
            state_word = "saved"
        else:
            state_word = state_text(state)
        row = [_id_text(dom), dom.name(), state_word]
        if args.flag("title"):
            row.append(_title(dom))
        rows.append(row)
    print_table(ctl, header, rows)
    return True


def _list_order(dom):
    """virsh's order: running domains by id, then the others by name."""
    dom_id = dom.id()
    if dom_id >= 0:
        return (0, dom_id, "")
    return (1, 0, dom.name().lower())


def _id_text(dom):
    dom_id = dom.id()
    return str(dom_id) if dom_id >= 0 else "-"


def _title(dom):
    try:
        return dom.metadata(D.METADATA_TITLE)
    except VirtError:
        return ""
