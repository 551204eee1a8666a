"""``domstats`` of the QEMU driver: libvirt's field names, per group.

A mixin of QemuConnection.  Each group is gathered from the domain APIs
(state, CPU time, balloon, vCPUs, interfaces, disks), so running and
inactive domains answer as those APIs do; what only a running guest can
tell is left out for an inactive one, as libvirt does.
"""
from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError, ARGUMENT_UNSUPPORTED

SUPPORTED = (D.STATS_STATE | D.STATS_CPU_TOTAL | D.STATS_BALLOON | D.STATS_VCPU |
             D.STATS_INTERFACE | D.STATS_BLOCK)
LIST_FLAGS = 0xffff


def _state(dom, active):
    state, reason = dom.state()
    return [("state.state", state), ("state.reason", reason)]


def _cpu(dom, active):
    if not active:
        return []
    times = dict(dom.cpu_stats(-1, 1))
    return [("cpu.time", times["cpu_time"]), ("cpu.user", times["user_time"]),
            ("cpu.system", times["system_time"])]


def _balloon(dom, active):
    _, maximum, current, _, _ = dom.info()
    out = [("balloon.current", current), ("balloon.maximum", maximum)]
    if active:
        names = {D.MEMORY_STAT_SWAP_IN: "swap_in", D.MEMORY_STAT_SWAP_OUT: "swap_out",
                 D.MEMORY_STAT_MAJOR_FAULT: "major_fault",
                 D.MEMORY_STAT_MINOR_FAULT: "minor_fault",
                 D.MEMORY_STAT_UNUSED: "unused", D.MEMORY_STAT_AVAILABLE: "available",
                 D.MEMORY_STAT_USABLE: "usable", D.MEMORY_STAT_RSS: "rss",
                 D.MEMORY_STAT_LAST_UPDATE: "last-update",
                 D.MEMORY_STAT_DISK_CACHES: "disk_caches"}
        out += [("balloon.%s" % names[tag], value) for tag, value in dom.memory_stats()
                if tag in names]
    return out


def _vcpu(dom, active):
    flags = D.AFFECT_LIVE if active else D.AFFECT_CONFIG
    out = [("vcpu.current", dom.vcpus_flags(flags)),
           ("vcpu.maximum", dom.vcpus_flags(flags | D.VCPU_MAXIMUM))]
    if active:
        for number, state, cpu_time, _, _ in dom.vcpus_info():
            out += [("vcpu.%d.state" % number, state), ("vcpu.%d.time" % number, cpu_time)]
    return out


def _tree(dom, active):
    from virtsh.xmlconf import domain as xd
    return xd.parse_document(dom.xml_desc(0 if active else 2))


def _interfaces(dom, active):
    if not active:
        return []
    nets = _tree(dom, active).findall("devices/interface")
    out = [("net.count", len(nets))]
    for i, net in enumerate(nets):
        target = net.find("target")
        name = target.get("dev") if target is not None else None
        if not name:
            continue
        out.append(("net.%d.name" % i, name))
        try:
            counters = dom.interface_stats(name)
        except VirtError:
            continue
        for key, value in counters:
            way, what = key.split("_")
            what = {"packets": "pkts"}.get(what, what)
            out.append(("net.%d.%s.%s" % (i, way, what), value))
    return out


def _block(dom, active):
    disks = _tree(dom, active).findall("devices/disk")
    out = [("block.count", len(disks))]
    for i, disk in enumerate(disks):
        target = disk.find("target").get("dev")
        src = disk.find("source")
        path = src is not None and (src.get("file") or src.get("dev"))
        out.append(("block.%d.name" % i, target))
        if path:
            out.append(("block.%d.path" % i, path))
        if active and path:
            try:
                stats = dict(dom.block_stats_flags(target))
            except VirtError:
                stats = {}
            for key, name in (("rd_operations", "rd.reqs"), ("rd_bytes", "rd.bytes"),
                              ("rd_total_times", "rd.times"), ("wr_operations", "wr.reqs"),
                              ("wr_bytes", "wr.bytes"), ("wr_total_times", "wr.times"),
                              ("flush_operations", "fl.reqs"),
                              ("flush_total_times", "fl.times")):
                if key in stats:
                    out.append(("block.%d.%s" % (i, name), stats[key]))
        if path:
            try:
                capacity, allocation, physical = dom.block_info(target)
            except VirtError:
                continue
            out += [("block.%d.allocation" % i, allocation),
                    ("block.%d.capacity" % i, capacity),
                    ("block.%d.physical" % i, physical)]
    return out


GROUPS = ((D.STATS_STATE, _state), (D.STATS_CPU_TOTAL, _cpu),
          (D.STATS_BALLOON, _balloon), (D.STATS_VCPU, _vcpu),
          (D.STATS_INTERFACE, _interfaces), (D.STATS_BLOCK, _block))


class DomainStatsMixin:
    """virConnectGetAllDomainStats and virDomainListGetStats."""

    def get_all_domain_stats(self, stats=0, flags=0):
        return self.domain_list_get_stats(
            self.list_all_domains(flags & LIST_FLAGS), stats, flags)

    def domain_list_get_stats(self, domains, stats=0, flags=0):
        extra = stats & ~SUPPORTED
        if extra and flags & D.STATS_ENFORCE_STATS:
            raise VirtError(ARGUMENT_UNSUPPORTED, "Stats types bits 0x%x are not "
                            "supported by this daemon" % extra)
        wanted = stats & SUPPORTED if stats else SUPPORTED
        records = []
        for dom in domains:
            active = dom.is_active()
            fields = []
            for bit, gather in GROUPS:
                if wanted & bit:
                    try:
                        fields += gather(dom, active)
                    except VirtError:
                        if flags & D.STATS_NOWAIT:
                            continue
                        raise
            records.append((dom, fields))
        return records
