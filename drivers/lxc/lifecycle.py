"""Starting and stopping containers (the domain's lock is held by the caller)."""
import time

from virtsh.drivers import domain as D
from virtsh.drivers import files
from virtsh.drivers.errors import VirtError, INTERNAL_ERROR, INVALID_ARG, OPERATION_INVALID
from virtsh.drivers.qemu import store as S


def _limit_kib(root):
    from virtsh.drivers.qemu.command import memory_kib
    hard = root.find("memtune/hard_limit")
    if hard is not None and (hard.text or "").strip():
        return memory_kib(root.find("memtune"), "hard_limit")
    return memory_kib(root)


def start(conn, name, root, transient, paused):
    """Start the container of the definition *root* (an lxml tree); its live
    definition and status are written.

    On failure nothing is left behind: no process, cgroup, veth or runtime file."""
    from virtsh.drivers.lxc import plan as P, supervisor
    from virtsh.drivers.lxc.cgroups import Cgroup
    store = conn.store
    plan = P.build(root, name)
    partition = root.findtext("resource/partition") or "/machine"
    cgroup = Cgroup("%s/%s.%s" % (partition, name, _suffix(conn)))
    files.remove(store.run(name, "ending"), store.run(name, "reboot"))
    report = supervisor.spawn(store, name, plan, cgroup, _limit_kib(root))
    if "init" not in report:
        raise VirtError(INTERNAL_ERROR, "guest failed to start: %s"
                        % report.get("error", "supervisor failed"))
    status = {"id": report["supervisor"], "pid": report["supervisor"],
              "start_time": report["supervisor_start"], "init": report["init"],
              "init_start": report["init_start"], "state": D.RUNNING,
              "reason": D.RUNNING_BOOTED, "transient": transient,
              "cgroup": cgroup.to_json(), "veths": [n["host"] for n in plan["nets"]],
              "pty": report["pty"],
              "started": time.time()}
    _record_live(root, plan, report["pty"], partition)
    from lxml import etree
    files.write_atomic(store.run(name, "xml"), etree.tostring(root, encoding="unicode"),
                       durable=False)
    files.write_atomic(store.run(name, "pid"), str(report["supervisor"]), durable=False)
    if paused and cgroup.set_frozen(True):
        status["state"], status["reason"] = D.PAUSED, D.PAUSED_USER
    store.write_status(name, status)
    files.remove(store.run(name, "shutoff"))
    return status


def _suffix(conn):
    return "libvirt-lxc" if conn.tree.scope_suffix == "virtsh" else conn.tree.scope_suffix


def _record_live(root, plan, pty, partition):
    """What the live XML shows of a running container: pty, veth names, partition.

    Plain lxml edits: the document is put in libvirt's order when formatted."""
    from lxml import etree
    for console in root.findall("devices/console"):
        console.set("tty", pty)
        source = console.find("source")
        if source is None:
            source = etree.SubElement(console, "source")
        source.set("path", pty)
    for nic, net in zip(root.findall("devices/interface"), plan["nets"]):
        target = nic.find("target")
        if target is None:
            target = etree.SubElement(nic, "target")
        target.set("dev", net["host"])
    resource = root.find("resource")
    if resource is None:
        resource = etree.SubElement(root, "resource")
    if resource.find("partition") is None:
        etree.SubElement(resource, "partition").text = partition


def stop(store, name, status, ending, reason):
    """Kill every process of the container and settle the domain."""
    from virtsh.drivers.lxc import runtime
    from virtsh.drivers.lxc.cgroups import Cgroup
    files.write_atomic(store.run(name, "ending"), ending, durable=False)
    runtime.cleanup(Cgroup.from_json(status["cgroup"]), status.get("veths", ()))
    S.wait_process_exit(status["init"], status.get("init_start"), 5.0)
    store.finish(name, reason)


def set_memory(dom, kib, flags):
    """virDomainSetMemoryFlags: the live cgroup limit and/or the definition."""
    from virtsh.drivers.lxc.cgroups import Cgroup
    from virtsh.drivers.qemu.command import memory_kib
    from virtsh.xmlconf import domain as xd
    from virtsh.drivers.lxc import lxcns
    status = dom._status()
    live = flags & D.AFFECT_LIVE or (flags == D.AFFECT_CURRENT and status is not None)
    config = flags & D.AFFECT_CONFIG or (flags == D.AFFECT_CURRENT and status is None)
    if live and status is None:
        raise VirtError(OPERATION_INVALID, "domain is not running")
    targets = []
    if live:
        targets.append(("xml", dom.store.live_xml(dom._name)))
    if config:
        targets.append(("config", dom.store.config_xml(dom._name)))
    for kind, text in targets:
        defn = xd.DomainDef(xd.parse_document(text))
        if kib > memory_kib(defn.tree):
            raise VirtError(INVALID_ARG, "cannot set memory higher than max memory")
        defn.tree.find("currentMemory").text = str(kib)
        if kind == "xml":
            Cgroup.from_json(status["cgroup"]).set_memory_limit(kib)
            files.write_atomic(dom.store.run(dom._name, "xml"), lxcns.format(defn),
                               durable=False)
        else:
            dom.store.write_config(dom._name, lxcns.format(defn, 0x2))
