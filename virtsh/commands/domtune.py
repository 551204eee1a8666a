"""Domain Management commands that show or tune a domain's resources:
vCPUs and their pinning, memory, NUMA, scheduler, block I/O, IOThreads, perf."""
from virtsh import jsonout, lookup
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt
from virtsh.cmdutil import CHANGE_TARGET, READ_TARGET, affect_flags, flag_bits
from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError
from virtsh.errors import CommandError, failing


@command('blkiotune', "Show or set the block I/O tuning of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('weight', "I/O weight", kind=NUMBER),
         data('device-weights', "per-device weights: /path,weight,..."),
         data('device-read-iops-sec', "per-device read IOPS limits: /path,limit,..."),
         data('device-write-iops-sec', "per-device write IOPS limits: /path,limit,..."),
         data('device-read-bytes-sec', "per-device read byte rates: /path,limit,..."),
         data('device-write-bytes-sec', "per-device write byte rates: /path,limit,..."),
         *READ_TARGET,
         jsonout.JSON)
def blkiotune(ctl, args):
    from virtsh.domopts import print_params
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    params = []
    if args.given("weight"):
        params.append(("weight", args.uint("weight")))
    for option in ("device-weights", "device-read-iops-sec", "device-write-iops-sec",
                   "device-read-bytes-sec", "device-write-bytes-sec"):
        if args.given(option):
            name = "device_weight" if option == "device-weights" else \
                option.replace("-", "_")
            params.append((name, args.get(option)))
    if params:
        with failing("Unable to change blkio parameters"):
            dom.set_blkio_params(params, flags)
        return
    with failing("Unable to get blkio parameters"):
        current = dom.blkio_params(flags)
    if jsonout.wanted(args):
        return jsonout.emit(ctl, dict(current))
    print_params(ctl, current)


@command('cpu-stats', "Show the CPU time a domain used, per host CPU and in total.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('total', "show the total"),
         data('start', "first host CPU to show", kind=NUMBER),
         data('count', "number of host CPUs to show", kind=NUMBER))
def cpu_stats(ctl, args):
    dom = lookup.domain(ctl, args)
    start, count = args.int("start", 0), args.int("count")
    if start < 0:
        raise CommandError("Invalid value for start CPU")
    if count is not None and count < 0:
        raise CommandError("Invalid value for number of CPUs to show")
    per_cpu = not args.flag("total") or args.given("start") or args.given("count")
    show_total = args.flag("total") or not (args.given("start") or args.given("count"))
    failure = "Failed to retrieve CPU statistics for domain '%s'" % dom.name()
    if per_cpu:
        with failing(failure):
            total_cpus = dom.cpu_stats(0, 0)
        if start >= total_cpus:
            raise CommandError("Start CPU %d is out of range (min: 0, max: %d)"
                               % (start, total_cpus - 1))
        count = total_cpus - start if count is None else min(count, total_cpus - start)
        with failing(failure):
            stats = dom.cpu_stats(start, count) if count else []
        for offset, params in enumerate(stats):
            ctl.print("CPU%d:" % (start + offset))
            print_cpu_times(ctl, params)
    if show_total:
        with failing(failure):
            totals = dom.cpu_stats(-1, 1)
        ctl.print("Total:")
        print_cpu_times(ctl, totals)


def print_cpu_times(ctl, params):
    for name, value in params:
        if name.endswith("_time"):
            ctl.print("\t%-12s %9d.%09d seconds" % (name, value // 10**9, value % 10**9))
        else:
            ctl.print("\t%-15s %d" % (name, value))


@command('iothreadinfo', "List the IOThreads of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         *READ_TARGET,
         jsonout.JSON)
def iothreadinfo(ctl, args):
    from virtsh.domopts import cpu_list_text, host_cpu_count
    from virtsh.format import print_table
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    threads = dom.iothread_info(flags)
    maxcpu = host_cpu_count(ctl.conn) if threads else 0
    if jsonout.wanted(args):
        return jsonout.emit(ctl, [{"id": ident, "affinity": sorted(
            c for c in cpus if c < maxcpu)} for ident, cpus in threads])
    if not threads:
        ctl.print_extra("No IOThreads found for the domain", end="")
        return
    print_table(ctl, ("IOThread ID", "CPU Affinity"),
                [(ident, cpu_list_text(cpus, maxcpu)) for ident, cpus in threads])


def iothread_id(args, option="id"):
    """The IOThread id option, which must be positive."""
    ident = args.int(option)
    if ident <= 0:
        raise CommandError("Invalid IOThread id value: '%d'" % ident)
    return ident


@command('iothreadpin', "Pin an IOThread to host CPUs.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('iothread', "IOThread id", required=True, kind=NUMBER),
         data('cpulist', "host CPUs (1,3-5,^4 or r for all)", required=True),
         *CHANGE_TARGET)
def iothreadpin(ctl, args):
    from virtsh.domopts import host_cpu_count, parse_cpu_list
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    ident = args.uint("iothread")
    cpus = parse_cpu_list(args.get("cpulist"), host_cpu_count(ctl.conn))
    dom.pin_iothread(ident, cpus, flags)


@command('iothreadadd', "Add an IOThread to a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('id', "id of the new IOThread", required=True, kind=NUMBER),
         *CHANGE_TARGET)
def iothreadadd(ctl, args):
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    dom.add_iothread(iothread_id(args), flags)


@command('iothreadset', "Tune an IOThread's polling and thread pool.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('id', "IOThread id", required=True, kind=NUMBER),
         data('poll-max-ns', "maximum polling time in ns", kind=NUMBER),
         data('poll-grow', "polling time growth factor", kind=NUMBER),
         data('poll-shrink', "polling time shrink divisor", kind=NUMBER),
         data('thread-pool-min', "minimum worker threads", kind=NUMBER),
         data('thread-pool-max', "maximum worker threads", kind=NUMBER),
         *CHANGE_TARGET)
def iothreadset(ctl, args):
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    ident = iothread_id(args)
    params = []
    for option in ("poll-max-ns", "poll-grow", "poll-shrink"):
        if args.given(option):
            params.append((option.replace("-", "_"), args.ulong(option)))
    for option in ("thread-pool-min", "thread-pool-max"):
        if args.given(option):
            params.append((option.replace("-", "_"), args.int(option)))
    if not params:
        raise CommandError("Not enough arguments passed, nothing to set")
    dom.set_iothread_params(ident, params, flags)


@command('iothreaddel', "Remove an IOThread from a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('id', "IOThread id", required=True, kind=NUMBER),
         *CHANGE_TARGET)
def iothreaddel(ctl, args):
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    dom.del_iothread(iothread_id(args), flags)


@command('memtune', "Show or set the memory limits of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('hard-limit', "maximum memory (default KiB, -1 for unlimited)",
              kind=NUMBER),
         data('soft-limit', "memory under contention (default KiB)", kind=NUMBER),
         data('swap-hard-limit', "maximum memory plus swap (default KiB)",
              kind=NUMBER),
         data('min-guarantee', "guaranteed memory (default KiB)", kind=NUMBER),
         *READ_TARGET,
         jsonout.JSON)
def memtune(ctl, args):
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    params = []
    for option in ("hard-limit", "soft-limit", "swap-hard-limit", "min-guarantee"):
        if not args.given(option):
            continue
        if args.get(option).strip() == "-1":
            value = D.MEMORY_PARAM_UNLIMITED
        else:
            value = _memtune_kib(args.get(option), option)
        params.append((option.replace("-", "_"), value))
    if params:
        with failing("Unable to change memory parameters"):
            dom.set_memory_params(params, flags)
        return
    with failing("Unable to get memory parameters"):
        current = dom.memory_params(flags)
    if jsonout.wanted(args):
        return jsonout.emit(ctl, {
            name + "_kib": None if value == D.MEMORY_PARAM_UNLIMITED else value
            for name, value in current})
    for name, value in current:
        shown = "unlimited" if value == D.MEMORY_PARAM_UNLIMITED else value
        ctl.print("%-15s: %s" % (name, shown))


def _memtune_kib(text, option):
    """A memtune size in KiB, rounded up (virsh's vshMemtuneGetSize: at
    most LLONG_MAX bytes)."""
    from virtsh.args import LLONG_MAX, scale_integer, split_number
    number, suffix = split_number(text)
    if number is None:
        raise CommandError("Unable to parse integer parameter %s" % option)
    if number * 1024 > LLONG_MAX and not suffix:
        raise CommandError("Unable to parse integer parameter %s" % option,
                           "numerical overflow: value too large: %d" % number)
    try:
        return -(-scale_integer(number, suffix, 1024, LLONG_MAX) // 1024)
    except ValueError as e:
        raise CommandError("Unable to parse integer parameter %s" % option,
                           str(e)) from None


NUMA_MODES = ("strict", "preferred", "interleave", "restrictive")


@command('perf', "Show or change the perf events of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('enable', "events to enable, comma separated"),
         data('disable', "events to disable, comma separated"),
         *READ_TARGET)
def perf(ctl, args):
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    params = []
    for option, state in (("enable", True), ("disable", False)):
        if args.given(option):
            params += [(name, state) for name in args.get(option).split(",") if name]
    if params:
        with failing("Unable to enable/disable perf events"):
            dom.set_perf_events(params, flags)
    else:
        with failing("Unable to get perf events"):
            params = dom.perf_events(flags)
    for name, enabled in params:
        ctl.print_extra("%-15s: %s" % (name, "enabled" if enabled else "disabled"))


@command('numatune', "Show or set the NUMA memory policy of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('mode', "strict, preferred, interleave or restrictive"),
         data('nodeset', "host NUMA nodes (0-1,3)"),
         *READ_TARGET)
def numatune(ctl, args):
    from virtsh.args import parse_c_integer
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    params = []
    if args.given("mode"):
        mode = args.get("mode")
        number = NUMA_MODES.index(mode) if mode in NUMA_MODES else parse_c_integer(mode)
        if number is None:
            raise CommandError("Invalid mode: %s" % mode)
        params.append(("numa_mode", number))
    if args.given("nodeset"):
        params.append(("numa_nodeset", args.get("nodeset")))
    if params:
        with failing("Unable to change numa parameters"):
            dom.set_numa_params(params, flags)
        return
    with failing("Unable to get numa parameters"):
        current = dom.numa_params(flags)
    for name, value in current:
        if name == "numa_mode" and 0 <= value < len(NUMA_MODES):
            value = NUMA_MODES[value]
        ctl.print("%-15s: %s" % (name, value))


@command('schedinfo', "Show or set the scheduler parameters of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         opt('weight', "scheduler weight", kind=NUMBER),
         opt('cap', "scheduler cap", kind=NUMBER),
         flag('current', "of the current state of the domain"),
         flag('config', "of the persistent definition"),
         flag('live', "of the running domain"),
         jsonout.JSON,
         argv('set', "parameters to set as name=value"))
def schedinfo(ctl, args):
    from virtsh.domopts import print_params
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    scheduler, nparams = dom.scheduler_type()
    if not jsonout.wanted(args):
        ctl.print("%-15s: %s" % ("Scheduler", scheduler))
    params = _scheduler_params(dom, args, flags) if nparams else []
    if jsonout.wanted(args):
        return jsonout.emit(ctl, {"scheduler": scheduler, "params": dict(params)})
    print_params(ctl, params)


def _scheduler_params(dom, args, flags):
    """The scheduler parameters, after applying those the command sets."""
    from virtsh.domopts import convert_param
    params = dom.scheduler_params(flags)
    wanted = [word.partition("=") for word in args.argv("set")]
    wanted = [(name, value) for name, _, value in wanted]
    for option in ("weight", "cap"):
        if args.given(option):
            wanted.append((option, args.get(option)))
    if wanted:
        current = dict(params)
        updates = []
        for name, text in wanted:
            if name not in current:
                raise CommandError("invalid scheduler option: %s" % name)
            if name in SCHED_PARAM_TYPES:
                updates.append((name, _sched_value(name, text)))
            else:
                updates.append((name, convert_param(name, text, current[name])))
        dom.set_scheduler_params(updates, flags)
        params = dom.scheduler_params(flags)
    return params


# libvirt's types of the QEMU driver's scheduler parameters (the values
# alone do not tell an unsigned long long from a signed one)
SCHED_PARAM_TYPES = dict(
    [(p, "unsigned long long") for p in ("cpu_shares", "vcpu_period", "emulator_period",
                                          "global_period", "iothread_period")]
    + [(p, "long long") for p in ("vcpu_quota", "emulator_quota", "global_quota",
                                   "iothread_quota")])


def _sched_value(name, text):
    from virtsh.args import parse_c_integer
    from virtsh.drivers.errors import VirtError, INVALID_ARG
    kind = SCHED_PARAM_TYPES[name]
    value = parse_c_integer(text)
    if value is None or (value < 0 and kind.startswith("unsigned")):
        raise VirtError(INVALID_ARG, "Invalid value for field '%s': expected %s"
                        % (name, kind))
    return value


@command('setmaxmem', "Change a domain's maximum memory.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('size', "the new size (KiB unless a unit is given)", required=True, kind=NUMBER),
         flag('config', "the persistent definition"),
         flag('live', "the running definition"),
         flag('current', "the definition in force"),
         aliases=(Alias('kilobytes', 'size'),))
def setmaxmem(ctl, args):
    dom = lookup.domain(ctl, args)
    kib = _memory_kib(args)
    flags = affect_flags(args) | D.MEM_MAXIMUM
    with failing("Unable to change MaxMemorySize"):
        dom.set_memory(kib, flags)
    return True


@command('setmem', "Change a domain's current memory (the balloon).",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('size', "the new size (KiB unless a unit is given)", required=True, kind=NUMBER),
         flag('config', "the persistent definition"),
         flag('live', "the running definition"),
         flag('current', "the definition in force"),
         aliases=(Alias('kilobytes', 'size'),))
def setmem(ctl, args):
    dom = lookup.domain(ctl, args)
    kib = _memory_kib(args)
    given = any(args.flag(f) for f in ("config", "live", "current"))
    dom.set_memory(kib, affect_flags(args) if given else D.AFFECT_LIVE)
    return True


@command('setvcpus', "Change the number of virtual CPUs of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('count', "the new number of vCPUs", required=True, kind=NUMBER),
         flag('maximum', "change the maximum (needs --config)"),
         flag('config', "the persistent definition"),
         flag('live', "the running definition"),
         flag('current', "the definition in force"),
         flag('guest', "change the CPUs the guest agent sees online"),
         flag('hotpluggable', "make added vCPUs hot-unpluggable"))
def setvcpus(ctl, args):
    dom = lookup.domain(ctl, args)
    count = args.uint("count")
    if args.flag("maximum") and not args.flag("config"):
        raise CommandError("Option --config is required by option --maximum")
    if count == 0:
        raise CommandError("Can't set 0 processors for a VM")
    flags = affect_flags(args) | flag_bits(args, ("maximum", D.VCPU_MAXIMUM),
                                       ("guest", D.VCPU_GUEST),
                                       ("hotpluggable", D.VCPU_HOTPLUGGABLE))
    given = any(args.flag(f) for f in ("config", "live", "current", "guest",
                                       "hotpluggable", "maximum"))
    dom.set_vcpus(count, flags if given else D.AFFECT_LIVE)
    return True


@command('vcpucount', "Show the number of vCPUs of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('maximum', "the maximum number of vCPUs"),
         flag('active', "the number of active vCPUs"),
         flag('live', "of the running domain"),
         flag('config', "of the persistent definition"),
         flag('current', "of the current state of the domain"),
         flag('guest', "as the guest agent sees them"),
         jsonout.JSON)
def vcpucount(ctl, args):
    chosen = {o for o in ("maximum", "active", "live", "config", "current", "guest")
              if args.flag(o)}
    if "current" in chosen and not chosen & {"maximum", "active"}:
        # before libvirt 0.9.4 --current meant "not --maximum"
        chosen.discard("current")
    for first, second in (("live", "config"), ("current", "live"),
                          ("current", "config"), ("active", "maximum"),
                          ("guest", "config")):
        if first in chosen and second in chosen:
            raise CommandError("Options --%s and --%s are mutually exclusive"
                               % (first, second))
    dom = lookup.domain(ctl, args)
    if chosen or args.flag("current"):
        flags = (D.AFFECT_LIVE if "live" in chosen else 0) | \
            (D.AFFECT_CONFIG if "config" in chosen else 0)
        flags |= D.VCPU_MAXIMUM if args.flag("maximum") else 0
        flags |= D.VCPU_GUEST if args.flag("guest") else 0
        with failing("Failed to retrieve vCPU count from the guest"
                     if args.flag("guest") else None):
            count = dom.vcpus_flags(flags)
        if jsonout.wanted(args):
            return jsonout.emit(ctl, {"vcpus": count})
        ctl.print("%d" % count)
        return
    counts = {}
    for which, extra in (("maximum", D.VCPU_MAXIMUM), ("current", 0)):
        for where, affect in (("config", D.AFFECT_CONFIG), ("live", D.AFFECT_LIVE)):
            # no live count while shut off, no config when transient
            counts.setdefault(which, {})[where] = jsonout.probe(
                lambda: dom.vcpus_flags(affect | extra))
    if jsonout.wanted(args):
        return jsonout.emit(ctl, counts)
    for which, places in counts.items():
        for where, count in places.items():
            if count is not None:
                ctl.print("%-12s %-12s %3d" % (which, where, count))


@command('vcpuinfo', "Show the vCPUs of a domain and where they run.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('pretty', "show CPU affinity as a list"),
         jsonout.JSON)
def vcpuinfo(ctl, args):
    from virtsh.domopts import cpu_list_text, cpu_map_text, host_cpu_count
    dom = lookup.domain(ctl, args)
    maxcpu = host_cpu_count(ctl.conn)
    state, _, _, nvcpus, _ = dom.info()
    try:
        vcpus = dom.vcpus_info()
    except VirtError:
        if state != D.SHUTOFF:
            raise
        vcpus = [(i, None, None, None, cpus) for i, cpus
                 in enumerate(dom.vcpu_pin_info(D.AFFECT_CONFIG)[:nvcpus])]
    if jsonout.wanted(args):
        return jsonout.emit(ctl, [
            {"vcpu": number, "cpu": cpu,
             "state": None if vstate is None else VCPU_STATES.get(vstate, "no state"),
             "cpu_time_ns": cpu_time, "affinity": sorted(c for c in cpus if c < maxcpu)}
            for number, vstate, cpu_time, cpu, cpus in vcpus])
    for i, (number, vstate, cpu_time, cpu, cpus) in enumerate(vcpus):
        if i:
            ctl.print()
        ctl.print("%-15s %d" % ("VCPU:", number))
        if vstate is None:
            ctl.print("%-15s %s" % ("CPU:", "N/A"))
            ctl.print("%-15s %s" % ("State:", "N/A"))
            ctl.print("%-15s %s" % ("CPU time", "N/A"))
        else:
            ctl.print("%-15s %d" % ("CPU:", cpu))
            ctl.print("%-15s %s" % ("State:", VCPU_STATES.get(vstate, "no state")))
            if cpu_time:
                ctl.print("%-15s %.1lfs" % ("CPU time:", cpu_time / 1e9))
        if args.flag("pretty"):
            affinity = "%s (out of %d)" % (cpu_list_text(cpus, maxcpu), maxcpu)
        else:
            affinity = cpu_map_text(cpus, maxcpu)
        ctl.print("%-15s %s" % ("CPU Affinity:", affinity))


VCPU_STATES = {D.VCPU_OFFLINE: "offline", D.VCPU_RUNNING: "running",
               D.VCPU_BLOCKED: "blocked"}


@command('vcpupin', "Show or set the host CPUs vCPUs may run on.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('vcpu', "vCPU number", kind=NUMBER),
         data('cpulist', "host CPUs (1,3-5,^4 or r for all)"),
         *READ_TARGET)
def vcpupin(ctl, args):
    from virtsh.domopts import cpu_list_text, host_cpu_count, parse_cpu_list
    from virtsh.format import print_table
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    vcpu = args.int("vcpu")
    if vcpu is not None and vcpu < 0:
        raise CommandError("Numeric value '%s' for <vcpu> option is malformed or out "
                           "of range" % args.get("vcpu"))
    maxcpu = host_cpu_count(ctl.conn)
    if not args.given("cpulist"):
        pins = dom.vcpu_pin_info(flags)
        if vcpu is not None and vcpu >= len(pins):
            live = flags & D.AFFECT_LIVE or (not flags & D.AFFECT_CONFIG
                                             and dom.is_active())
            raise CommandError("vcpu %d is out of range of %s cpu count %d"
                               % (vcpu, "live" if live else "persistent", len(pins)))
        rows = [(i, cpu_list_text(cpus, maxcpu)) for i, cpus in enumerate(pins)
                if vcpu is None or i == vcpu]
        print_table(ctl, ("VCPU", "CPU Affinity"), rows)
        return
    if vcpu is None:
        raise CommandError("vcpupin: Missing vCPU number in pin mode.")
    cpus = parse_cpu_list(args.get("cpulist"), maxcpu)
    if any(args.flag(o) for o in ("live", "config", "current")):
        dom.pin_vcpu(vcpu, cpus, flags)
    else:
        dom.pin_vcpu_live(vcpu, cpus)


@command('emulatorpin', "Show or set the host CPUs the emulator threads may run on.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('cpulist', "host CPUs (1,3-5,^4 or r for all)"),
         *READ_TARGET)
def emulatorpin(ctl, args):
    from virtsh.domopts import cpu_list_text, host_cpu_count, parse_cpu_list
    flags = affect_flags(args)
    dom = lookup.domain(ctl, args)
    maxcpu = host_cpu_count(ctl.conn)
    if not args.given("cpulist"):
        cpus = dom.emulator_pin_info(flags)
        ctl.print_extra("%s %s" % ("emulator:", "CPU Affinity"))
        ctl.print_extra("----------------------------------")
        ctl.print_extra("       *: ", end="")
        ctl.print(cpu_list_text(cpus, maxcpu))
        return
    if not any(args.flag(o) for o in ("live", "config", "current")):
        flags = D.AFFECT_LIVE      # virsh pins the running domain by default
    dom.pin_emulator(parse_cpu_list(args.get("cpulist"), maxcpu), flags)


@command('guestvcpus', "Show or change the vCPUs the guest agent has online.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('cpulist', "vCPUs to change"),
         flag('enable', "online them"),
         flag('disable', "offline them"))
def guestvcpus(ctl, args):
    from virtsh.domopts import exclusive, print_params
    exclusive(args, "enable", "disable")
    enable, disable = args.flag("enable"), args.flag("disable")
    for option in ("enable", "disable"):
        if args.flag(option) and not args.given("cpulist"):
            raise CommandError("Option --cpulist is required by option --%s" % option)
    if args.given("cpulist") and not (enable or disable):
        raise CommandError("One of options --enable or --disable is required by "
                           "option --cpulist")
    dom = lookup.domain(ctl, args)
    if args.given("cpulist"):
        dom.set_guest_vcpus(args.get("cpulist"), 1 if enable else 0, 0)
        return
    print_params(ctl, dom.guest_vcpus())


@command('setvcpu', "Enable or disable individual vCPUs.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('vcpulist', "vCPUs to change (1,3-5)", required=True),
         flag('enable', "enable them"),
         flag('disable', "disable them"),
         *CHANGE_TARGET)
def setvcpu(ctl, args):
    from virtsh.domopts import exclusive
    exclusive(args, "enable", "disable")
    flags = affect_flags(args)
    if not (args.flag("enable") or args.flag("disable")):
        raise CommandError("one of --enable, --disable is required")
    dom = lookup.domain(ctl, args)
    dom.set_vcpu(args.get("vcpulist"), 1 if args.flag("enable") else 0, flags)


def _memory_kib(args):
    """The size option of setmem/setmaxmem in KiB (a bare number is KiB)."""
    from virtsh.args import ULLONG_MAX
    size = args.scaled("size", 1024, ULLONG_MAX)
    return -(-size // 1024)
