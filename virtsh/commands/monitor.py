"""Domain Monitoring commands (virsh help group 'monitor')."""
from virtsh import jsonout, lookup
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt
from virtsh.cmdutil import CHANGE_TARGET
from virtsh.drivers import domain as D
from virtsh.drivers.errors import NO_SUPPORT, VirtError
from virtsh.errors import CommandError, failing


@command('domblkerror', "Show the disks of a domain that hit an I/O error.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def domblkerror(ctl, args):
    from virtsh.domopts import DISK_ERRORS
    dom = lookup.domain(ctl, args)
    errors = dom.disk_errors()
    if not errors:
        ctl.print("No errors found")
    for disk, code in errors:
        ctl.print("%s: %s" % (disk, DISK_ERRORS.get(code, "unknown error")))


@command('domblkinfo', "Show the size of a domain's block device(s).",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('device', "block device (target or source path)"),
         flag('human', "show sizes with units"),
         flag('all', "show every block device"),
         jsonout.JSON)
def domblkinfo(ctl, args):
    from virtsh.domopts import pretty_capacity
    from virtsh.domxml import domain_tree, has_source
    from virtsh.format import print_table
    show = pretty_capacity if args.flag("human") else str
    keys = ("device", "capacity_bytes", "allocation_bytes", "physical_bytes")
    if not args.flag("all"):
        if not args.given("device"):
            raise CommandError("command 'domblkinfo' requires <device> option")
        dom = lookup.domain(ctl, args)
        sizes = tuple(dom.block_info(args.get("device")))
        if jsonout.wanted(args):
            return jsonout.emit(ctl, dict(zip(keys, (args.get("device"),) + sizes)))
        for label, size in zip(("Capacity:", "Allocation:", "Physical:"), sizes):
            ctl.print("%-15s %s" % (label, show(size)))
        return
    dom = lookup.domain(ctl, args)
    rows = []
    for disk in domain_tree(dom).findall("devices/disk"):
        target = disk.find("target").get("dev")
        sizes = dom.block_info(target) if has_source(disk) else (None,) * 3
        rows.append((target,) + tuple(sizes))
    if jsonout.wanted(args):
        return jsonout.emit(ctl, jsonout.records(keys, rows))
    print_table(ctl, ("Target", "Capacity", "Allocation", "Physical"),
                [(row[0],) + tuple("-" if v is None else show(v) for v in row[1:])
                 for row in rows])


@command('domblklist', "List the block devices of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('inactive', "use the persistent definition"),
         flag('details', "also show the type and device of each disk"),
         jsonout.JSON)
def domblklist(ctl, args):
    from virtsh.domxml import disk_source_text, domain_tree
    from virtsh.format import print_table
    dom = lookup.domain(ctl, args)
    tree = domain_tree(dom, inactive=args.flag("inactive"))
    rows = []
    for disk in tree.findall("devices/disk"):
        target = disk.find("target")
        rows.append((disk.get("type", "-"), disk.get("device", "disk"),
                     target.get("dev") if target is not None else "-",
                     disk_source_text(disk)))
    if jsonout.wanted(args):
        return jsonout.emit(ctl, [
            {"type": jsonout.present(kind), "device": device,
             "target": jsonout.present(target), "source": jsonout.present(source)}
            for kind, device, target, source in rows])
    header = ("Type", "Device", "Target", "Source")
    if not args.flag("details"):
        header, rows = header[2:], [row[2:] for row in rows]
    print_table(ctl, header, rows)


@command('domblkstat', "Show the I/O counters of a domain's block device.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('device', "block device (target or source path)"),
         flag('human', "print the counters with descriptions"),
         jsonout.JSON)
def domblkstat(ctl, args):
    from virtsh.domopts import BLOCK_STAT_FIELDS, BLOCK_STAT_LABELS
    dom = lookup.domain(ctl, args)
    device = args.get("device", "")
    try:
        stats = [(BLOCK_STAT_FIELDS.get(name, name), value)
                 for name, value in dom.block_stats_flags(device, 0)]
    except VirtError as e:
        if e.code != NO_SUPPORT:
            raise
        # the legacy call, and only its failure gets virsh's own line
        with failing("Failed to get block stats %s %s" % (args.get("domain"), device)):
            stats = dom.block_stats(device)
    if jsonout.wanted(args):
        return jsonout.emit(ctl, {"device": device, "stats": {
            name: value for name, value in stats if value >= 0}})
    if args.flag("human"):
        ctl.print("Device: %s" % device)
    for name, value in stats:
        if value < 0:
            continue
        if args.flag("human"):
            ctl.print("%-32s %d" % (BLOCK_STAT_LABELS.get(name, name), value))
        else:
            ctl.print("%s %s %d" % (device, name, value))


@command('domcontrol', "Show the state of the domain's control interface.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def domcontrol(ctl, args):
    from virtsh.domopts import CONTROL_ERRORS, CONTROL_STATES
    dom = lookup.domain(ctl, args)
    state, details, millis = dom.control_info()
    name = CONTROL_STATES[state]
    if state == D.CONTROL_ERROR and details > 0:
        ctl.print("%s: %s" % (name, CONTROL_ERRORS[details]))
    elif state not in (D.CONTROL_OK, D.CONTROL_ERROR):
        ctl.print("%s (%0.3fs)" % (name, millis / 1000.0))
    else:
        ctl.print(name)


@command('domif-getlink', "Show the link state of a domain's network interface.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('interface', "interface device (MAC address or target name)",
              required=True),
         flag('config', "use the persistent definition"),
         aliases=(Alias('persistent', 'config'),))
def domif_getlink(ctl, args):
    from virtsh.domxml import domain_tree, find_interface
    dom = lookup.domain(ctl, args)
    iface = args.get("interface")
    net = find_interface(domain_tree(dom, inactive=args.flag("config")), iface)
    if net is None:
        from virtsh.drivers.macaddr import looks_like_mac
        raise CommandError("Interface (%s: %s) not found."
                           % ("mac" if looks_like_mac(iface) else "dev", iface))
    link = net.find("link")
    state = link.get("state", "up") if link is not None else "up"
    ctl.print("%s %s" % (iface, state), end="")


@command('domifaddr', "Show the IP addresses of a domain's network interfaces.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('interface', "only this interface"),
         flag('full', "repeat the name and MAC on every address line"),
         data('source', "where to ask: lease, agent or arp"),
         jsonout.JSON)
def domifaddr(ctl, args):
    from virtsh.domopts import ADDRESS_SOURCES
    dom = lookup.domain(ctl, args)
    source = args.get("source", "lease")
    if source not in ADDRESS_SOURCES:
        raise CommandError("Unknown data source '%s'" % source)
    with failing("Failed to query for interfaces addresses"):
        interfaces = dom.interface_addresses(ADDRESS_SOURCES.index(source))
    wanted = args.get("interface")
    if wanted:
        interfaces = [i for i in interfaces if i[0] == wanted]
    if jsonout.wanted(args):
        return jsonout.emit(ctl, [
            {"name": name, "mac": mac or None, "addresses": [
                {"type": "ipv6" if kind == D.IP_ADDR_IPV6 else "ipv4",
                 "address": address, "prefix": prefix}
                for kind, address, prefix in addresses]}
            for name, mac, addresses in interfaces])
    line = " %-10s %-20s %-12s %s"
    ctl.print_extra(line % ("Name", "MAC address", "Protocol", "Address"))
    ctl.print_extra("-" * 79)
    for name, mac, addresses in interfaces:
        if not addresses:
            ctl.print(line % (name, mac or "-", "N/A", "N/A"))
        for i, (kind, address, prefix) in enumerate(addresses):
            shown = (name, mac) if i == 0 or args.flag("full") else ("-", "-")
            ctl.print(line % (shown + ("ipv6" if kind == D.IP_ADDR_IPV6 else "ipv4",
                                       "%s/%d" % (address, prefix))))


@command('domiflist', "List the network interfaces of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('inactive', "use the persistent definition"),
         jsonout.JSON)
def domiflist(ctl, args):
    from virtsh.domxml import attr_of, domain_tree
    from virtsh.format import print_table
    dom = lookup.domain(ctl, args)
    rows = []
    for net in domain_tree(dom, inactive=args.flag("inactive")).findall(
            "devices/interface"):
        source = net.find("source")
        source_text = "-"
        if source is not None:
            source_text = next((source.get(a) for a in ("bridge", "dev", "network",
                                                          "name", "path")
                                if source.get(a)), "-")
        rows.append((attr_of(net, "target", "dev"), net.get("type", "-"),
                     source_text, attr_of(net, "model", "type"),
                     attr_of(net, "mac", "address")))
    if jsonout.wanted(args):
        return jsonout.emit(ctl, [
            {key: jsonout.present(cell) for key, cell in zip(
                ("interface", "type", "source", "model", "mac"), row)}
            for row in rows])
    print_table(ctl, ("Interface", "Type", "Source", "Model", "MAC"), rows)


@command('domifstat', "Show the traffic counters of a domain's network interface.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('interface', "interface device (MAC address or target name)",
              required=True),
         jsonout.JSON)
def domifstat(ctl, args):
    dom = lookup.domain(ctl, args)
    device = args.get("interface")
    with failing("Failed to get interface stats %s %s" % (args.get("domain"), device)):
        stats = dom.interface_stats(device)
    if jsonout.wanted(args):
        return jsonout.emit(ctl, {"interface": device, "stats": {
            name: value for name, value in stats if value >= 0}})
    for name, value in stats:
        if value >= 0:
            ctl.print("%s %s %d" % (device, name, value))


@command('dominfo', "Show the basic facts of a domain: state, CPUs, memory, persistence.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         jsonout.JSON)
def dominfo(ctl, args):
    from virtsh.format import print_fields
    facts = _domain_facts(lookup.domain(ctl, args))
    if jsonout.wanted(args):
        return jsonout.emit(ctl, facts)
    fields = [("Id:", "-" if facts["id"] is None else facts["id"]),
              ("Name:", facts["name"]), ("UUID:", facts["uuid"])]
    if facts["os_type"] is not None:
        fields.append(("OS Type:", facts["os_type"]))
    fields += [("State:", facts["state"]), ("CPU(s):", facts["vcpus"])]
    if facts["cpu_time_ns"]:
        fields.append(("CPU time:", "%.1fs" % (facts["cpu_time_ns"] / 1e9)))
    fields += [("Max memory:", "%d KiB" % facts["max_memory_kib"]),
               ("Used memory:", "%d KiB" % facts["used_memory_kib"]),
               ("Persistent:", _yes_no(facts["persistent"])),
               ("Autostart:", _yes_no(facts["autostart"], "enable", "disable")),
               ("Managed save:", _yes_no(facts["managed_save"]))]
    security = facts["security"]
    if security:
        fields += [("Security model:", security["model"]),
                   ("Security DOI:", security["doi"])]
        if security["label"]:
            fields.append(("Security label:", "%s (%s)" % (
                security["label"],
                "enforcing" if security["enforcing"] else "permissive")))
    for i, message in enumerate(facts["messages"]):
        fields.append(("" if i else "Messages:", message))
    print_fields(ctl, fields)
    return True


def _domain_facts(dom):
    """What dominfo shows, as plain values (None where virsh prints
    nothing or "unknown")."""
    from virtsh.states import state_text
    state, max_mem, memory, nvcpus, cpu_time = dom.info()
    dom_id = dom.id()
    facts = {"id": dom_id if dom_id >= 0 else None, "name": dom.name(),
             "uuid": dom.uuid(), "os_type": jsonout.probe(dom.os_type),
             "state": state_text(state), "vcpus": nvcpus,
             "cpu_time_ns": cpu_time or None,
             "max_memory_kib": max_mem, "used_memory_kib": memory,
             "persistent": jsonout.probe(dom.is_persistent, bool),
             "autostart": jsonout.probe(dom.autostart, bool),
             "managed_save": jsonout.probe(dom.has_managed_save, bool),
             "security": None, "messages": jsonout.probe(dom.messages) or []}
    model, doi = jsonout.probe(dom.security_model) or (None, None)
    if model:
        label, enforcing = dom.security_label()
        facts["security"] = {"model": model, "doi": doi, "label": label or None,
                             "enforcing": bool(enforcing) if label else None}
    return facts


def _yes_no(value, yes="yes", no="no"):
    """virsh's yes/no (or enable/disable), ``unknown`` for None."""
    if value is None:
        return "unknown"
    return yes if value else no


@command('dommemstat', "Show the memory statistics of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         opt('period', "set the statistics collection period in seconds",
             kind=NUMBER),
         *CHANGE_TARGET,
         jsonout.JSON)
def dommemstat(ctl, args):
    from virtsh.cmdutil import affect_flags
    from virtsh.domopts import MEMORY_STAT_NAMES
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    name = args.get("domain")
    if args.given("period"):
        period = args.int("period")
        if period < 0:
            raise CommandError("Invalid collection period value '%d'" % period)
        with failing("Unable to change balloon collection period."):
            dom.set_memory_stats_period(period, flags)
        return
    with failing("Failed to get memory statistics for domain %s" % name):
        stats = dom.memory_stats()
    if jsonout.wanted(args):
        return jsonout.emit(ctl, {MEMORY_STAT_NAMES[tag]: value for tag, value in stats})
    for tag, value in stats:
        ctl.print("%s %d" % (MEMORY_STAT_NAMES[tag], value))


@command('domstate', "Show the state of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('reason', "also show why it is in that state"),
         jsonout.JSON)
def domstate(ctl, args):
    from virtsh.states import reason_text, state_text
    dom = lookup.domain(ctl, args)
    state, reason = dom.state()
    if jsonout.wanted(args):
        return jsonout.emit(ctl, {"state": state_text(state),
                                  "reason": reason_text(state, reason)})
    if args.flag("reason"):
        ctl.print("%s (%s)" % (state_text(state), reason_text(state, reason)))
    else:
        ctl.print(state_text(state))
    return True


@command('domstats', "Show statistics of domains.",
         flag('state', "report the domain state"),
         flag('cpu-total', "report total CPU usage"),
         flag('balloon', "report the balloon"),
         flag('vcpu', "report vCPU statistics"),
         flag('interface', "report network interface statistics"),
         flag('block', "report block device statistics"),
         flag('perf', "report perf event counters"),
         flag('iothread', "report IOThread statistics"),
         flag('memory', "report memory bandwidth statistics"),
         flag('dirtyrate', "report the memory dirty rate"),
         flag('vm', "report hypervisor-specific statistics"),
         flag('list-active', "only active domains"),
         flag('list-inactive', "only inactive domains"),
         flag('list-persistent', "only persistent domains"),
         flag('list-transient', "only transient domains"),
         flag('list-running', "only running domains"),
         flag('list-paused', "only paused domains"),
         flag('list-shutoff', "only shut off domains"),
         flag('list-other', "only domains in another state"),
         flag('raw', "print the values as they are"),
         flag('enforce', "fail if a requested group is not supported"),
         flag('backing', "also report backing chain images"),
         flag('nowait', "do not wait for a running job"),
         jsonout.JSON,
         argv('domain', "domains to report (default: all)", complete="domain"))
def domstats(ctl, args):
    from virtsh.domopts import STATS_FLAGS, STATS_GROUPS, param_text
    stats = 0
    for option, bit in STATS_GROUPS:
        if args.flag(option):
            stats |= bit
    flags = 0
    for option, bit in STATS_FLAGS:
        if args.flag(option):
            flags |= bit
    names = args.argv("domain")
    if names:
        domains = [lookup.domain_by_text(ctl, name) for name in names]
        records = ctl.conn.domain_list_get_stats(domains, stats, flags)
    else:
        records = ctl.conn.get_all_domain_stats(stats, flags)
    if jsonout.wanted(args):
        return jsonout.emit(ctl, [{"name": dom.name(), "stats": dict(fields)}
                                  for dom, fields in records])
    for i, (dom, fields) in enumerate(records):
        if i:
            ctl.print()
        ctl.print("Domain: '%s'" % dom.name())
        for field, value in fields:
            ctl.print("  %s=%s" % (field, param_text(value)))


@command('domtime', "Show or set the guest clock.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('now', "set the guest clock to the host's time"),
         flag('pretty', "print the time as a date"),
         flag('sync', "have the guest sync its clock from its RTC"),
         data('time', "set the guest clock to this many seconds since the epoch",
              kind=NUMBER))
def domtime(ctl, args):
    import time
    from virtsh.domopts import exclusive
    for first, second in (("time", "now"), ("time", "sync"), ("now", "sync")):
        exclusive(args, first, second)
    dom = lookup.domain(ctl, args)
    if not (args.given("time") or args.flag("now") or args.flag("sync")):
        seconds, _ = dom.get_time()
        if args.flag("pretty"):
            text = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))
            ctl.print("Time: %s" % text, end="")
        else:
            ctl.print("Time: %d" % seconds, end="")
        return
    if args.flag("pretty"):
        raise CommandError("Options --pretty and --now/--sync/--time are mutually "
                           "exclusive")
    if args.flag("sync"):
        dom.set_time(0, 0, D.TIME_SYNC)
    else:
        seconds = int(time.time()) if args.flag("now") else args.long("time")
        dom.set_time(seconds, 0, 0)


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
         flag('title', "add a Title column"),
         jsonout.JSON)
def cmd_list(ctl, args):
    from virtsh.format import print_table
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
    if jsonout.wanted(args):
        return jsonout.emit(ctl, [_list_record(dom, args) for dom in domains])
    columns = [c for c in ("uuid", "id", "name") if args.flag(c)]
    if columns and not args.flag("table"):
        for dom in domains:
            if columns == ["id"] and dom.id() < 0:
                continue
            words = {"uuid": dom.uuid, "name": dom.name,
                     "id": lambda: _id_text(dom)}
            ctl.print(" ".join(str(words[c]()) for c in columns))
        return True
    header = ["Id", "Name", "State"]
    if args.flag("title"):
        header.append("Title")
    rows = []
    for dom in domains:
        row = [_id_text(dom), dom.name(), _state_word(dom, args)]
        if args.flag("title"):
            row.append(_title(dom))
        rows.append(row)
    print_table(ctl, header, rows)
    return True


def _state_word(dom, args):
    """The State column: "saved" for a shut off domain with a managed save
    image when --managed-save asks for it."""
    from virtsh.states import state_text
    state = dom.state()[0]
    if args.flag("managed-save") and state == D.SHUTOFF and dom.has_managed_save():
        return "saved"
    return state_text(state)


def _list_record(dom, args):
    """One domain of ``list --json``."""
    dom_id = dom.id()
    record = {"id": dom_id if dom_id >= 0 else None, "name": dom.name(),
              "uuid": dom.uuid(), "state": _state_word(dom, args),
              "persistent": jsonout.probe(dom.is_persistent, bool)}
    if args.flag("title"):
        record["title"] = _title(dom)
    return record


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
