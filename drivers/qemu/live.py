"""The live definition of a running domain: what only QEMU can tell.

Device aliases (libvirt's names, the same ids the command line gives
QEMU), the pty behind each serial port and console, the VNC port picked
by autoport, the host tap of ethernet NICs.
"""
import os

from lxml import etree


def assign_aliases(root):
    """Give every device libvirt's alias (``net0``, ``serial0``, ``usb`` ...)."""
    devices = root.find("devices")
    counters = {}

    def next_of(prefix):
        n = counters.get(prefix, 0)
        counters[prefix] = n + 1
        return "%s%d" % (prefix, n)

    for disk in devices.findall("disk"):
        target = disk.find("target")
        addr = disk.find("address")
        bus = target.get("bus")
        if bus == "virtio":
            alias = "virtio-disk%d" % _disk_index(target.get("dev"))
        elif addr is not None and addr.get("type") == "drive":
            alias = "%s%s-%s-%s" % ("sata" if bus == "sata" else bus,
                                    addr.get("controller"), addr.get("bus"),
                                    addr.get("unit"))
        else:
            alias = next_of("disk")
        _set_alias(disk, alias)
    for c in devices.findall("controller"):
        kind, index = c.get("type"), c.get("index", "0")
        if kind == "pci":
            alias = "pcie.0" if c.get("model") == "pcie-root" else "pci.%s" % index
        elif kind in ("sata", "ide") and index == "0":
            alias = "ide"
        elif kind == "usb" and index == "0":
            alias = "usb"
        else:
            alias = "%s%s" % (kind, index)
        _set_alias(c, alias)
    for tag, prefix in (("interface", "net"), ("serial", "serial"),
                        ("input", "input"), ("video", "video"),
                        ("sound", "sound"), ("rng", "rng"), ("channel", "channel"),
                        ("redirdev", "redir")):
        counters.pop(prefix, None)
        for dev in devices.findall(tag):
            _set_alias(dev, next_of(prefix))
    for i, console in enumerate(devices.findall("console")):
        _set_alias(console, "serial%d" % i if i == 0 else "console%d" % i)
    balloon = devices.find("memballoon")
    if balloon is not None and balloon.get("model") != "none":
        _set_alias(balloon, "balloon0")


def _disk_index(dev):
    n = 0
    for ch in dev[2:]:
        n = n * 26 + ord(ch) - ord("a") + 1
    return n - 1


def _set_alias(dev, name):
    old = dev.find("alias")
    if old is not None:
        dev.remove(old)
    alias = etree.Element("alias", name=name)
    anchor = dev.find("address")
    if anchor is not None:
        anchor.addprevious(alias)
    else:
        dev.append(alias)


def record_ptys(root, chardevs):
    """Put the pty paths QEMU reported (query-chardev) into the definition."""
    paths = {c["label"]: c["filename"][4:] for c in chardevs
             if c.get("filename", "").startswith("pty:")}
    devices = root.find("devices")
    for i, serial in enumerate(devices.findall("serial")):
        path = paths.get("charserial%d" % i)
        if path and serial.get("type") == "pty":
            _set_source(serial, path)
    for console in devices.findall("console"):
        if console.get("type") == "pty" and paths.get("charserial0"):
            console.set("tty", paths["charserial0"])
            _set_source(console, paths["charserial0"])


def _set_source(dev, path):
    src = dev.find("source")
    if src is None:
        src = etree.Element("source")
        dev.insert(0, src)
    src.set("path", path)


def record_vnc(root, vnc):
    """Put the port QEMU's VNC server listens on into the definition."""
    graphics = root.find("devices/graphics[@type='vnc']")
    if graphics is None or not vnc.get("enabled"):
        return
    service = vnc.get("service")
    if service and service.isdigit() and graphics.get("port", "-1") == "-1":
        graphics.set("port", service)


def record_dac_label(root):
    """The DAC label QEMU runs under (our uid:gid), as libvirt reports it."""
    if root.find("seclabel") is not None:
        return
    label = "+%d:+%d" % (os.getuid(), os.getgid())
    sec = etree.SubElement(root, "seclabel", type="dynamic", model="dac", relabel="yes")
    etree.SubElement(sec, "label").text = label
    etree.SubElement(sec, "imagelabel").text = label


TAP_NIC_TYPES = ("ethernet", "network", "bridge")


def name_taps(root):
    """Tap-backed NICs without a host device name get the next free vnetN."""
    from lxml import etree
    taken = set(os.listdir("/sys/class/net")) if os.path.isdir("/sys/class/net") else set()
    n = 0
    for nic in root.findall("devices/interface"):
        if nic.get("type") not in TAP_NIC_TYPES:
            continue
        target = nic.find("target")
        if target is not None and target.get("dev"):
            continue
        while "vnet%d" % n in taken:
            n += 1
        taken.add("vnet%d" % n)
        if target is None:
            target = etree.Element("target")
            anchor = nic.find("source") if nic.find("source") is not None else nic.find("mac")
            anchor.addnext(target)
        target.set("dev", "vnet%d" % n)


def plug_taps(root, network_bridge):
    """Create the taps of NICs on a virtual network or host bridge and join
    them to their bridge (*network_bridge* maps a network name to its
    bridge); the tap names, for unplugging at stop."""
    from virtsh.drivers import netsetup
    plugged = []
    try:
        for nic in root.findall("devices/interface"):
            source = nic.find("source")
            if nic.get("type") not in ("network", "bridge") or source is None:
                continue
            bridge = (network_bridge(source.get("network")) if nic.get("type") == "network"
                      else source.get("bridge"))
            if nic.get("type") == "network":
                source.set("bridge", bridge)
            tap = nic.find("target").get("dev")
            netsetup.plug_tap(bridge, tap, nic.find("mac").get("address"))
            plugged.append(tap)
    except Exception:
        unplug_taps(plugged)
        raise
    return plugged


def unplug_taps(taps):
    from virtsh.drivers import netsetup
    for tap in taps:
        netsetup.unplug_tap(tap)


def taps_up(root):
    """Bring up the host side of ethernet NICs QEMU created (managed ones)."""
    import subprocess
    for target in root.findall("devices/interface[@type='ethernet']/target"):
        if target.get("managed") != "no" and target.get("dev"):
            subprocess.run(["ip", "link", "set", "dev", target.get("dev"), "up"],
                           capture_output=True)


# libvirt's CPU models (its cpu_map) and the features each one names; a
# live custom CPU of these models shows how QEMU changed them
MODEL_FEATURES = {
    "qemu64": ("apic", "clflush", "cmov", "cx16", "cx8", "de", "fpu", "fxsr", "lm",
               "mca", "mce", "mmx", "msr", "mtrr", "nx", "pae", "pat", "pge", "pni",
               "pse", "pse36", "sep", "sse", "sse2", "svm", "syscall", "tsc"),
    "qemu32": ("apic", "cmov", "cx8", "de", "fpu", "fxsr", "mca", "mce", "mmx", "msr",
               "mtrr", "pae", "pat", "pge", "pni", "pse", "pse36", "sep", "sse", "sse2",
               "tsc"),
}
# QEMU's property names that libvirt spells differently
LIBVIRT_FEATURE_NAMES = {
    "lahf-lm": "lahf_lm", "cmp-legacy": "cmp_legacy", "fxsr-opt": "fxsr_opt",
    "ds-cpl": "ds_cpl", "nodeid-msr": "nodeid_msr", "perfctr-core": "perfctr_core",
    "perfctr-nb": "perfctr_nb", "tsc-adjust": "tsc_adjust", "pclmulqdq": "pclmuldq",
    "sse3": "pni"}


def record_cpu(root, mon, cache_dir):
    """Show the guest CPU QEMU really runs, as libvirt does once a guest
    started: a custom model gets check='full' and a feature for each
    difference between the model and the features of the first vCPU (those
    the model names, and those QEMU's expansion of the model turns on).
    The CPU as defined (for migratable views: save images, snapshots), or None.

    Asking QEMU takes a QMP round trip per feature (~30): the answer is kept
    in *cache_dir* for the same binary, host CPU, accelerator, machine and
    <cpu> element."""
    cpu = root.find("cpu")
    model = cpu.findtext("model") if cpu is not None else None
    if cpu is None or cpu.get("mode", "custom") != "custom" or model not in MODEL_FEATURES:
        return None
    original = etree.tostring(cpu, encoding="unicode", with_tail=False)
    cache_file = _cpu_cache_file(root, original, cache_dir)
    enabled = _cached_features(cache_file)
    if enabled is None:
        enabled = _vcpu_features(mon, model)
        if enabled is None:
            return None
        _cache_features(cache_file, enabled)
    listed = MODEL_FEATURES[model]
    named = {f.get("name") for f in cpu.findall("feature")}
    changes = [(name, "disable") for name in listed if name not in enabled] + \
        [(name, "require") for name in enabled if name not in listed]
    for name, policy in sorted(changes):
        if name not in named:
            etree.SubElement(cpu, "feature", policy=policy, name=name)
    cpu.set("check", "full")
    return original


def _vcpu_features(mon, model):
    """The features (libvirt's names) the first vCPU has of those *model*
    names or QEMU's expansion of it turns on; None if QEMU cannot say."""
    from virtsh.drivers.errors import VirtError
    qemu_name = {v: k for k, v in LIBVIRT_FEATURE_NAMES.items() if k != "sse3"}
    try:
        path = mon.cmd("query-cpus-fast")[0]["qom-path"]
        props = mon.cmd("query-cpu-model-expansion", type="static",
                        model={"name": model})["model"]["props"]
        candidates = {LIBVIRT_FEATURE_NAMES.get(k, k) for k, v in props.items()
                      if v is True and not k.startswith("kvm")} | set(MODEL_FEATURES[model])
        return {name for name in candidates
                if mon.cmd("qom-get", path=path, property=qemu_name.get(name, name))}
    except (VirtError, KeyError, IndexError):
        return None


def _cpu_cache_file(root, cpu_xml, cache_dir):
    """Where the vCPU features of this guest's configuration are kept."""
    import hashlib
    from virtsh.drivers.errors import VirtError
    from virtsh.drivers.qemu.caps import binary_key
    try:
        emulator = binary_key((root.findtext("devices/emulator") or "").strip())
        with open("/proc/cpuinfo", "rb") as f:
            host_flags = next((line for line in f if line.startswith(b"flags")), b"")
    except (VirtError, OSError):    # no emulator or cpuinfo to key on: no cache
        return None
    os_type = root.find("os/type")
    key = repr((emulator, hashlib.sha256(host_flags).hexdigest(), os.uname().release,
                root.get("type"), os_type.get("machine") if os_type is not None else None,
                cpu_xml))
    return os.path.join(cache_dir, "cpufeatures",
                        hashlib.sha256(key.encode()).hexdigest()[:32] + ".txt")


def _cached_features(cache_file):
    from virtsh.drivers import files
    text = files.read_text(cache_file) if cache_file else None
    return set(text.split()) if text is not None else None


def _cache_features(cache_file, enabled):
    from virtsh.drivers import files
    if cache_file is None:
        return
    try:
        os.makedirs(os.path.dirname(cache_file), mode=0o700, exist_ok=True)
        files.write_atomic(cache_file, " ".join(sorted(enabled)), durable=False)
    except OSError:             # a full disk: ask QEMU again next time
        pass


def defined_cpu(root, status):
    """Put back in *root* (a copy of the live definition) the CPU the guest
    was defined with, for the views that describe it for a new start."""
    original = (status or {}).get("cpu_orig")
    cpu = root.find("cpu")
    if original and cpu is not None:
        cpu.getparent().replace(cpu, etree.fromstring(original))
    return root


def save_cookie(root):
    """The ``<cookie>`` libvirt keeps with a running guest's snapshot: the
    CPU the guest runs, and ``<slirpHelper/>`` unless a user-mode NIC
    depends on QEMU's built-in slirp."""
    import copy
    cookie = etree.Element("cookie")
    cpu = root.find("cpu")
    if cpu is not None and cpu.get("check") == "full":
        cookie.append(copy.deepcopy(cpu))
    if root.find("devices/interface[@type='user']") is None:
        etree.SubElement(cookie, "slirpHelper")
    return cookie if len(cookie) else None


QCOW2_MAGIC = b"QFI\xfb"
QCOW2_BACKING_FORMAT = 0xE2792ACA     # header extension naming the backing format


def record_backing(root):
    """Give each disk with an image the backing chain QEMU opens behind it,
    as libvirt's live XML shows it (``<backingStore/>`` ends the chain)."""
    for disk in root.findall("devices/disk"):
        if disk.find("backingStore") is None:
            refresh_backing(disk)


def refresh_backing(disk):
    """(Re)record the backing chain of one live disk (its source changed)."""
    for old in disk.findall("backingStore"):
        disk.remove(old)
    src = disk.find("source")
    path = src is not None and (src.get("file") or src.get("dev"))
    if not path or disk.get("type") not in ("file", "block"):
        return
    parent = etree.Element("backingStore")
    src.addnext(parent)
    seen = {os.path.realpath(path)}
    backing = _qcow2_backing(path)
    while backing is not None and os.path.realpath(backing[0]) not in seen:
        seen.add(os.path.realpath(backing[0]))
        parent.set("type", "file")
        etree.SubElement(parent, "format", type=backing[1] or "raw")
        etree.SubElement(parent, "source", file=backing[0])
        parent = etree.SubElement(parent, "backingStore")
        backing = _qcow2_backing(backing[0])


def _qcow2_backing(path):
    """(backing file, its format or None) named in a qcow2 header, else None."""
    import struct
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    if len(head) < 72 or head[:4] != QCOW2_MAGIC:
        return None
    version, offset, size = struct.unpack(">IQI", head[4:20])
    if not offset or offset + size > len(head):
        return None
    name = head[offset:offset + size].decode(errors="replace")
    if not os.path.isabs(name):
        name = os.path.join(os.path.dirname(path), name)
    pos = struct.unpack(">I", head[100:104])[0] if version >= 3 else 72
    fmt = None
    while pos + 8 <= len(head):
        kind, length = struct.unpack(">II", head[pos:pos + 8])
        if kind == 0:
            break
        if kind == QCOW2_BACKING_FORMAT:
            fmt = head[pos + 8:pos + 8 + length].decode(errors="replace")
        pos += 8 + (length + 7) // 8 * 8
    return name, fmt


def drop_detected_chains(root):
    """Leave out the backing chains a start detected (migratable views); the
    bare <backingStore/> of an image without a backing file stays."""
    for store in root.findall("devices/disk/backingStore"):
        if len(store):
            store.getparent().remove(store)
    return root
