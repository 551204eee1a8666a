"""The host as the QEMU driver reports it: node info, capabilities XML,
domain capabilities XML, read from /proc, /sys and the probed emulators."""
import os

from lxml import etree

from virtsh.drivers.errors import VirtError, INVALID_ARG

_EMULATORS = (("i686", "/usr/bin/qemu-system-i386", 32),
              ("x86_64", "/usr/bin/qemu-system-x86_64", 64),
              ("aarch64", "/usr/bin/qemu-system-aarch64", 64))


def meminfo():
    """/proc/meminfo as {field: KiB}."""
    out = {}
    with open("/proc/meminfo") as f:
        for line in f:
            key, _, rest = line.partition(":")
            fields = rest.split()
            if fields:
                out[key] = int(fields[0])
    return out


def _cpu_topology():
    """[(cpu, socket, core)] of the online CPUs."""
    out = []
    base = "/sys/devices/system/cpu"
    for entry in sorted(os.listdir(base)):
        if not entry.startswith("cpu") or not entry[3:].isdigit():
            continue
        topo = os.path.join(base, entry, "topology")
        try:
            with open(os.path.join(topo, "physical_package_id")) as f:
                socket_id = int(f.read())
            with open(os.path.join(topo, "core_id")) as f:
                core_id = int(f.read())
        except OSError:
            socket_id, core_id = 0, int(entry[3:])
        out.append((int(entry[3:]), socket_id, core_id))
    return sorted(out)


def _mhz():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("cpu MHz"):
                    return int(float(line.split(":")[1]))
    except OSError:
        pass
    return 0


def _numa_nodes():
    try:
        return max(1, len([e for e in os.listdir("/sys/devices/system/node")
                           if e.startswith("node") and e[4:].isdigit()]))
    except OSError:
        return 1


def node_info():
    """(model, memory KiB, cpus, mhz, nodes, sockets, cores, threads)."""
    topo = _cpu_topology()
    sockets = len({s for _, s, _ in topo}) or 1
    cores = len({(s, c) for _, s, c in topo})
    nodes = _numa_nodes()
    threads = max(1, len(topo) // max(cores, 1))
    return (os.uname().machine, meminfo()["MemTotal"], len(topo), _mhz(), nodes,
            max(1, sockets // nodes), max(1, cores // sockets), threads)


def max_vcpus(type_=None):
    if type_ and type_.lower() not in ("kvm", "qemu"):
        raise VirtError(INVALID_ARG, "unknown type '%s'" % type_)
    return 255 if (type_ or "kvm").lower() == "kvm" else 255


def _host_uuid():
    try:
        with open("/etc/machine-id") as f:
            h = f.read().strip()
        return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])
    except OSError:
        return "00000000-0000-0000-0000-000000000000"


def _sub(parent, tag, text=None, **attrs):
    elem = etree.SubElement(parent, tag, **attrs)
    if text is not None:
        elem.text = str(text)
    return elem


def capabilities_xml(conn):
    """The capabilities XML of this host and its QEMU emulators."""
    from virtsh.xmlconf import writer
    from virtsh.drivers.qemu.caps import kvm_usable
    root = etree.Element("capabilities")
    host = _sub(root, "host")
    _sub(host, "uuid", _host_uuid())
    cpu = _sub(host, "cpu")
    _sub(cpu, "arch", os.uname().machine)
    model, mem, cpus, mhz, nodes, sockets, cores, threads = node_info()
    _sub(cpu, "topology", sockets=str(sockets), dies="1", cores=str(cores),
         threads=str(threads))
    _sub(host, "power_management")
    _sub(host, "iommu", support="no")
    mig = _sub(host, "migration_features")
    _sub(mig, "live")
    transports = _sub(mig, "uri_transports")
    _sub(transports, "uri_transport", "tcp")
    topology = _sub(host, "topology")
    cells = _sub(topology, "cells", num="1")
    cell = _sub(cells, "cell", id="0")
    _sub(cell, "memory", mem, unit="KiB")
    cpus_elem = _sub(cell, "cpus", num=str(cpus))
    for cpu_id, socket_id, core_id in _cpu_topology():
        _sub(cpus_elem, "cpu", id=str(cpu_id), socket_id=str(socket_id),
             die_id="0", core_id=str(core_id), siblings=str(cpu_id))
    sec = _sub(host, "secmodel")
    _sub(sec, "model", "none")
    _sub(sec, "doi", "0")
    kvm = kvm_usable()
    for arch, path, bits in _EMULATORS:
        if not os.path.exists(path):
            continue
        caps = conn.caps(path)
        guest = _sub(root, "guest")
        _sub(guest, "os_type", "hvm")
        arch_elem = _sub(guest, "arch", name=arch)
        _sub(arch_elem, "wordsize", bits)
        _sub(arch_elem, "emulator", path)
        for m in caps["machines"]:
            attrs = {"maxCpus": str(m["max_cpus"])}
            if m["deprecated"]:
                attrs["deprecated"] = "yes"
            _sub(arch_elem, "machine", m["name"], **attrs)
            if m["alias"]:
                _sub(arch_elem, "machine", m["alias"], canonical=m["name"], **attrs)
        _sub(arch_elem, "domain", type="qemu")
        if kvm and arch in ("x86_64", "i686"):
            _sub(arch_elem, "domain", type="kvm")
        features = _sub(guest, "features")
        if arch == "i686":
            _sub(features, "pae")
            _sub(features, "nonpae")
        _sub(features, "acpi", default="on", toggle="yes")
        _sub(features, "apic", default="on", toggle="no")
        _sub(features, "cpuselection")
        _sub(features, "deviceboot")
        _sub(features, "disksnapshot", default="on", toggle="no")
    text = writer.write(root)
    # libvirt separates the top-level sections with blank lines.
    return (text.replace("<capabilities>\n", "<capabilities>\n\n")
            .replace("  </host>\n", "  </host>\n\n")
            .replace("  </guest>\n", "  </guest>\n\n"))


def domain_capabilities_xml(conn, emulator=None, arch=None, machine=None, virttype=None):
    """The domain capabilities of one emulator / arch / machine / type."""
    from virtsh.xmlconf import writer
    from virtsh.drivers.qemu import caps as capsmod
    arch = arch or os.uname().machine
    emulator = emulator or conn.default_emulator(arch)
    caps = conn.caps(emulator)
    virttype = virttype or ("kvm" if caps["kvm"] else "qemu")
    machine = capsmod.canonical_machine(caps, machine or capsmod.default_machine(caps))
    max_cpus = next((m["max_cpus"] for m in caps["machines"] if m["name"] == machine), 1)
    root = etree.Element("domainCapabilities")
    _sub(root, "path", emulator)
    _sub(root, "domain", virttype)
    _sub(root, "machine", machine)
    _sub(root, "arch", arch)
    _sub(root, "vcpu", max=str(max_cpus))
    cpu = _sub(root, "cpu")
    _sub(cpu, "mode", name="host-passthrough", supported="yes" if virttype == "kvm" else "no")
    custom = _sub(cpu, "mode", name="custom", supported="yes")
    for model in caps["cpu_models"]:
        _sub(custom, "model", model, usable="unknown")
    devices = _sub(root, "devices")
    disk = _sub(devices, "disk", supported="yes")
    enum = _sub(disk, "enum", name="bus")
    for bus in ("ide", "scsi", "virtio", "sata"):
        _sub(enum, "value", bus)
    graphics = _sub(devices, "graphics", supported="yes")
    enum = _sub(graphics, "enum", name="type")
    for kind in graphics_types(caps):
        _sub(enum, "value", kind)
    return writer.write(root)


def graphics_types(caps):
    """The display kinds the binary of *caps* offers, in libvirt's order;
    SPICE only when it was built with it (its QXL card comes with it)."""
    return ["vnc"] + (["spice"] if "qxl" in caps["devices"] else [])
