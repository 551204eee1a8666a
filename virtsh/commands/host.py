"""Host and Hypervisor commands (virsh help group 'host')."""
from virtsh import jsonout
from virtsh.cmd import NUMBER, command, data, flag
from virtsh.errors import CommandError, failing

LIB_VERSION = "9.0.0"
NODE_SUSPEND_TARGETS = ("mem", "disk", "hybrid")


def _version_text(number):
    return "%d.%d.%d" % (number // 1000000, number // 1000 % 1000, number % 1000)


@command('allocpages', "change the number of huge pages of a given size",
         data('pagesize', "page size, with a unit (KiB by default)", required=True,
              kind=NUMBER),
         data('pagecount', "number of pages to allocate (or add)", required=True,
              kind=NUMBER),
         data('cellno', "NUMA cell to change", kind=NUMBER),
         flag('add', "add the pages to the pool instead of setting its size"),
         flag('all', "change every NUMA cell"))
def allocpages(ctl, args):
    if args.flag("all") and args.given("cellno"):
        raise CommandError("Options --all and --cellno are mutually exclusive")
    size = args.scaled("pagesize", 1024) // 1024
    count = args.ulong("pagecount")
    conn = ctl.conn
    if args.flag("all"):
        cells = _cell_ids(ctl)
        start, ncells = (cells[0], len(cells)) if cells else (0, 0)
    else:
        start, ncells = args.int("cellno", -1), 1
    conn.alloc_pages({size: count}, start, ncells, 1 if args.flag("add") else 0)


@command('capabilities', "show the capabilities of the host and hypervisor")
def capabilities(ctl, args):
    with failing("failed to get capabilities"):
        ctl.print(ctl.conn.get_capabilities())


def _cpu_xmls(path):
    """The <cpu> elements of a file as virsh finds them (a bare <cpu>, a
    domain's, the host's of capabilities or domain capabilities)."""
    from lxml import etree
    from virtsh.cmdutil import read_file
    text = read_file(path)
    nodes = []
    try:
        root = etree.fromstring(text.encode("utf-8", "surrogateescape"))
        nodes = root.xpath("/cpu | /domain/cpu | /capabilities/host/cpu | "
                           "/domainCapabilities/cpu/mode[@name='host-model']")
    except etree.XMLSyntaxError:
        pass
    if not nodes:
        raise CommandError("File '%s' does not contain any <cpu> element or valid "
                           "domain XML, host capabilities XML, or domain "
                           "capabilities XML" % path)
    return [etree.tostring(n, encoding="unicode") for n in nodes]


@command('cpu-baseline', "compute a CPU model all the given CPUs can run",
         data('file', "file with the CPU descriptions", required=True, complete="file"),
         flag('features', "list every feature of the result"),
         flag('migratable', "leave out features that block migration"))
def cpu_baseline(ctl, args):
    cpus = _cpu_xmls(args.get("file"))
    flags = (1 if args.flag("features") else 0) | (2 if args.flag("migratable") else 0)
    ctl.print(ctl.conn.baseline_cpu(cpus, flags), end="")


_COMPARE_RESULTS = {
    0: "CPU described in %s is incompatible with host CPU",
    1: "Host CPU is identical to CPU described in %s",
    2: "Host CPU is a superset of CPU described in %s",
}


def _print_comparison(ctl, result, path):
    if result not in _COMPARE_RESULTS:
        raise CommandError("Failed to compare host CPU with %s" % path)
    ctl.print(_COMPARE_RESULTS[result] % path)
    if result == 0:
        return False
    return True


@command('cpu-compare', "compare the host CPU with a described CPU",
         data('file', "file with the CPU description", required=True, complete="file"),
         flag('error', "report an incompatible CPU as an error"),
         flag('validate', "validate the XML document against the schema"))
def cpu_compare(ctl, args):
    path = args.get("file")
    xml = _cpu_xmls(path)[0]
    flags = (1 if args.flag("error") else 0) | (2 if args.flag("validate") else 0)
    with failing("Failed to compare host CPU with %s" % path):
        result = ctl.conn.compare_cpu(xml, flags)
    return _print_comparison(ctl, result, path)


@command('cpu-models', "list the CPU models known for an architecture",
         data('arch', "architecture", required=True))
def cpu_models(ctl, args):
    with failing("failed to get CPU model names"):
        models = ctl.conn.get_cpu_model_names(args.get("arch"))
    if models is None:
        ctl.print("all CPU models are accepted")
        return
    for model in models:
        ctl.print(model)


@command('domcapabilities', "show what the hypervisor offers to guests",
         data('virttype', "virtualization type (kvm, qemu ...)"),
         data('emulatorbin', "path to the emulator binary", complete="file"),
         data('arch', "guest architecture"),
         data('machine', "machine type"))
def domcapabilities(ctl, args):
    with failing("failed to get emulator capabilities"):
        xml = ctl.conn.get_domain_capabilities(
            args.get("emulatorbin"), args.get("arch"), args.get("machine"),
            args.get("virttype"))
    ctl.print(xml, end="")


def _cell_ids(ctl):
    """The NUMA cell ids listed by the host capabilities."""
    from lxml import etree
    with failing("unable to get node capabilities"):
        caps = ctl.conn.get_capabilities()
    root = etree.fromstring(caps.encode())
    return [int(c.get("id")) for c in root.iterfind("host/topology/cells/cell")]


@command('freecell', "show free memory, of the host or of NUMA cells",
         data('cellno', "NUMA cell number", kind=NUMBER),
         flag('all', "show every NUMA cell and the total"),
         jsonout.JSON)
def freecell(ctl, args):
    if args.flag("all") and args.given("cellno"):
        raise CommandError("Options --all and --cellno are mutually exclusive")
    conn = ctl.conn
    if args.flag("all") or args.given("cellno"):
        wanted = _cell_ids(ctl) if args.flag("all") else [args.int("cellno")]
        cells = [(cell, conn.get_cells_free_memory(cell, 1)[0] // 1024)
                 for cell in wanted]
        total = sum(free for _, free in cells)
    else:
        cells, total = [], conn.get_free_memory()
        if not total:
            raise CommandError("An error occurred, but the cause is unknown")
        total //= 1024
    if jsonout.wanted(args):
        return jsonout.emit(ctl, {"cells": [{"cell": cell, "free_kib": free}
                                            for cell, free in cells],
                                  "total_kib": total})
    if args.flag("all"):
        for cell, free in cells:
            ctl.print("%5d: %10d KiB" % (cell, free))
        ctl.print("-" * 20)
        ctl.print("%5s: %10d KiB" % ("Total", total))
    elif cells:
        ctl.print("%d: %d KiB" % cells[0])
    else:
        ctl.print("%s: %d KiB" % ("Total", total))


@command('freepages', "show free huge pages of NUMA cells",
         data('cellno', "NUMA cell number", kind=NUMBER),
         data('pagesize', "page size, with a unit (KiB by default)", kind=NUMBER),
         flag('all', "show every NUMA cell"))
def freepages(ctl, args):
    if args.flag("all") and args.given("cellno"):
        raise CommandError("Options --all and --cellno are mutually exclusive")
    size = args.scaled("pagesize", 1024) // 1024 if args.given("pagesize") else None
    conn = ctl.conn
    if args.flag("all"):
        from lxml import etree
        with failing("unable to get node capabilities"):
            caps = etree.fromstring(conn.get_capabilities().encode())
        sizes = ([size] if size else
                 [int(p.get("size")) for p in caps.iterfind("host/cpu/pages")])
        for cell in _cell_ids(ctl):
            counts = conn.get_free_pages(sizes, cell, 1)
            ctl.print("Node %d:" % cell)
            for page, count in zip(sizes, counts):
                ctl.print("%dKiB: %d" % (page, count))
            ctl.print("")
        return
    if not args.given("cellno"):
        raise CommandError("missing cellno argument")
    if size is None:
        raise CommandError("missing pagesize argument")
    count = conn.get_free_pages([size], args.int("cellno"), 1)[0]
    ctl.print("%dKiB: %d" % (size, count))


@command('hostname', "print the hypervisor host's name")
def hostname(ctl, args):
    with failing("failed to get hostname"):
        ctl.print(ctl.conn.get_hostname())


def _hypervisor_cpu_args(args):
    return (args.get("emulator"), args.get("arch"), args.get("machine"),
            args.get("virttype"))


@command('hypervisor-cpu-baseline',
         "compute a CPU model the hypervisor can provide to all given CPUs",
         data('file', "file with the CPU descriptions", complete="file"),
         data('virttype', "virtualization type (kvm, qemu ...)"),
         data('emulator', "path to the emulator binary", complete="file"),
         data('arch', "guest architecture"),
         data('machine', "machine type"),
         flag('features', "list every feature of the result"),
         flag('migratable', "leave out features that block migration"),
         data('model', "a CPU model to use as the only input"))
def hypervisor_cpu_baseline(ctl, args):
    if args.given("file") and args.given("model"):
        raise CommandError("Options --file and --model are mutually exclusive")
    if args.given("file"):
        cpus = _cpu_xmls(args.get("file"))
    elif args.given("model"):
        from virtsh.xmlconf.writer import escape
        cpus = ["<cpu>\n  <model>%s</model>\n</cpu>\n" % escape(args.get("model"))]
    else:
        raise CommandError("Either --file or --model must be provided")
    flags = (1 if args.flag("features") else 0) | (2 if args.flag("migratable") else 0)
    ctl.print(ctl.conn.baseline_hypervisor_cpu(*_hypervisor_cpu_args(args), cpus,
                                               flags), end="")


@command('hypervisor-cpu-compare',
         "compare a CPU with what the hypervisor can provide",
         data('file', "file with the CPU description", required=True, complete="file"),
         data('virttype', "virtualization type (kvm, qemu ...)"),
         data('emulator', "path to the emulator binary", complete="file"),
         data('arch', "guest architecture"),
         data('machine', "machine type"),
         flag('error', "report an incompatible CPU as an error"),
         flag('validate', "validate the XML document against the schema"))
def hypervisor_cpu_compare(ctl, args):
    path = args.get("file")
    xml = _cpu_xmls(path)[0]
    flags = (1 if args.flag("error") else 0) | (2 if args.flag("validate") else 0)
    with failing("Failed to compare hypervisor CPU with %s" % path):
        result = ctl.conn.compare_hypervisor_cpu(*_hypervisor_cpu_args(args), xml, flags)
    labels = {0: "CPU described in %s is incompatible with the CPU provided by "
                 "hypervisor on the host",
              1: "CPU described in %s is identical to the CPU provided by "
                 "hypervisor on the host",
              2: "The CPU provided by hypervisor on the host is a superset of "
                 "CPU described in %s"}
    if result not in labels:
        raise CommandError("Failed to compare hypervisor CPU with %s" % path)
    ctl.print(labels[result] % path)
    return result != 0


@command('maxvcpus', "show the most vCPUs a guest can have",
         data('type', "domain type, as in the domain XML"))
def maxvcpus(ctl, args):
    ctl.print("%d" % ctl.conn.get_max_vcpus(args.get("type")))


_MEMORY_TUNABLES = ("shm-pages-to-scan", "shm-sleep-millisecs",
                    "shm-merge-across-nodes")


@command('node-memory-tune', "show or change the host's memory tunables",
         data('shm-pages-to-scan', "pages to scan before the shared memory "
              "service goes to sleep", kind=NUMBER),
         data('shm-sleep-millisecs', "milliseconds the shared memory service "
              "sleeps between scans", kind=NUMBER),
         data('shm-merge-across-nodes', "whether pages of different NUMA "
              "nodes may be merged", kind=NUMBER))
def node_memory_tune(ctl, args):
    changes = {name.replace("-", "_"): args.uint(name)
               for name in _MEMORY_TUNABLES if args.given(name)}
    conn = ctl.conn
    if changes:
        with failing("Unable to change memory parameters"):
            conn.set_memory_parameters(changes)
        return
    with failing("Unable to get number of memory parameters"):
        params = conn.get_memory_parameters()
    ctl.print("Shared memory:")
    for name, value in params.items():
        ctl.print("\t%-15s %s" % (name, value))


@command('nodecpumap', "show which host CPUs are online",
         flag('pretty', "show the online CPUs as a range list"))
def nodecpumap(ctl, args):
    with failing("Unable to get cpu map"):
        present, online_map, online = ctl.conn.get_cpu_map()
    from virtsh.format import field_line
    ctl.print(field_line("CPUs present:", present))
    ctl.print(field_line("CPUs online:", online))
    if args.flag("pretty"):
        shown = _ranges([i for i, on in enumerate(online_map) if on])
    else:
        shown = "".join("y" if on else "-" for on in online_map)
    ctl.print(field_line("CPU map:", shown))


def _ranges(numbers):
    """"0-3,5" for [0, 1, 2, 3, 5]."""
    parts = []
    start = prev = None
    for n in numbers + [None]:
        if prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            parts.append(str(start) if start == prev else "%d-%d" % (start, prev))
        start = prev = n
    return ",".join(parts)


_CPU_FIELDS = ("user", "system", "idle", "iowait")


@command('nodecpustats', "show the host's CPU time statistics",
         data('cpu', "the CPU to show (all CPUs by default)", kind=NUMBER),
         flag('percent', "show usage in percent over one second"),
         jsonout.JSON)
def nodecpustats(ctl, args):
    cpu = args.int("cpu", -1)
    if cpu < -1:
        raise CommandError("Invalid value for number of CPU")
    conn = ctl.conn
    with failing("Unable to get node cpu stats"):
        first = _cpu_times(conn.get_cpu_stats(cpu))
    if not args.flag("percent"):
        if jsonout.wanted(args):
            return jsonout.emit(ctl, {name + "_ns": first[name] for name in _CPU_FIELDS
                                      if name in first})
        for name in _CPU_FIELDS:
            if name in first:
                ctl.print("%-15s %20d" % (name + ":", first[name]))
        return
    import time
    time.sleep(1)
    with failing("Unable to get node cpu stats"):
        second = _cpu_times(conn.get_cpu_stats(cpu))
    delta = {k: second.get(k, 0) - first.get(k, 0) for k in _CPU_FIELDS}
    total = sum(delta.values())
    parts = [("usage", delta["user"] + delta["system"])]
    parts += [(name, delta[name]) for name in _CPU_FIELDS]
    if jsonout.wanted(args):
        return jsonout.emit(ctl, {label + "_percent": round(part * 100.0 / total, 1)
                                  if total else None for label, part in parts})
    for label, part in parts:
        ctl.print("%-15s %s%%" % (label + ":", _percent(part, total)))


def _cpu_times(stats):
    """virsh's field names for the driver's: kernel is shown as system."""
    return {("system" if k == "kernel" else k): v for k, v in stats.items()}


def _percent(part, total):
    if total == 0:
        return " -nan" if part == 0 else "  inf"
    return "%5.1f" % (part * 100.0 / total)


@command('nodeinfo', "show basic facts about the host", jsonout.JSON)
def nodeinfo(ctl, args):
    with failing("failed to get node information"):
        model, memory, cpus, mhz, nodes, sockets, cores, threads = ctl.conn.get_node_info()
    if jsonout.wanted(args):
        return jsonout.emit(ctl, {
            "cpu_model": model, "cpus": cpus, "cpu_mhz": mhz, "cpu_sockets": sockets,
            "cores_per_socket": cores, "threads_per_core": threads,
            "numa_cells": nodes, "memory_kib": memory})
    for label, value in (("CPU model:", model), ("CPU(s):", cpus),
                         ("CPU frequency:", "%d MHz" % mhz),
                         ("CPU socket(s):", sockets),
                         ("Core(s) per socket:", cores),
                         ("Thread(s) per core:", threads),
                         ("NUMA cell(s):", nodes),
                         ("Memory size:", "%d KiB" % memory)):
        ctl.print("%-20s %s" % (label, value))


@command('nodememstats', "show the host's memory statistics",
         data('cell', "NUMA cell (the whole host by default)", kind=NUMBER),
         jsonout.JSON)
def nodememstats(ctl, args):
    with failing("Unable to get number of memory stats"):
        stats = ctl.conn.get_memory_stats(args.int("cell", -1))
    if jsonout.wanted(args):
        return jsonout.emit(ctl, {name + "_kib": value for name, value in stats.items()})
    for name, value in stats.items():
        ctl.print("%-7s %20d KiB" % (name + ":", value))


@command('nodesevinfo', "show the host's AMD SEV parameters")
def nodesevinfo(ctl, args):
    with failing("Unable to get host SEV information"):
        info = ctl.conn.get_sev_info()
    for name, value in info.items():
        ctl.print("%-18s: %s" % (name, value))


@command('nodesuspend', "suspend the host for a while",
         data('target', "mem (suspend to RAM), disk or hybrid", required=True),
         data('duration', "seconds until the host wakes up", required=True,
              kind=NUMBER))
def nodesuspend(ctl, args):
    target = args.get("target")
    if target not in NODE_SUSPEND_TARGETS:
        raise CommandError("Invalid target")
    duration = args.long("duration")
    if duration < 0:
        raise CommandError("Invalid duration")
    with failing("The host was not suspended"):
        ctl.conn.suspend_for_duration(NODE_SUSPEND_TARGETS.index(target), duration)


@command('sysinfo', "show the host's SMBIOS information")
def sysinfo(ctl, args):
    with failing("failed to get sysinfo"):
        ctl.print(ctl.conn.get_sysinfo(), end="")


@command('uri', "print the URI of the connection")
def uri(ctl, args):
    with failing("failed to get URI"):
        ctl.print(ctl.conn.get_uri())


@command('version', "show the versions of the library and the hypervisor",
         flag('daemon', "also show the version of the daemon"),
         jsonout.JSON)
def version(ctl, args):
    conn = ctl.conn
    with failing("failed to get hypervisor type"):
        hv_type = conn.get_type()
    with failing("failed to get the hypervisor version"):
        hv_version = conn.get_version()
    daemon = None
    if args.flag("daemon"):
        with failing("failed to get the daemon version"):
            daemon = _version_text(conn.get_lib_version())
    hv_text = _version_text(hv_version) if hv_version else None
    if jsonout.wanted(args):
        return jsonout.emit(ctl, {"library_version": LIB_VERSION,
                                  "hypervisor_type": hv_type,
                                  "hypervisor_version": hv_text,
                                  "daemon_version": daemon})
    ctl.print("Compiled against library: libvirt %s" % LIB_VERSION)
    ctl.print("Using library: libvirt %s" % LIB_VERSION)
    ctl.print("Using API: %s %s" % (hv_type, LIB_VERSION))
    if hv_text:
        ctl.print("Running hypervisor: %s %s" % (hv_type, hv_text))
    else:
        ctl.print("Cannot extract running %s hypervisor version" % hv_type)
    if daemon:
        ctl.print("Running against daemon: %s" % daemon)
