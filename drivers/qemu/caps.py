"""What a QEMU binary can do, probed once over QMP and cached on disk.

The probe starts the binary with no machine (``-machine none``) and a QMP
monitor on a socketpair, asks for its version, machine types, CPU models,
device types and KVM support, and quits.  The answer is cached as JSON
under cache/qemu keyed by the binary's path, size and mtime, so it is
probed again only when the binary changes.
"""
import os

from virtsh.drivers.errors import VirtError, SYSTEM_ERROR, INTERNAL_ERROR
from virtsh.drivers import files
from virtsh.drivers.qemu import jsontext

CACHE_FORMAT = 1


def binary_key(path):
    """(path, size, mtime_ns) of the emulator, or libvirt's error if absent."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise VirtError(SYSTEM_ERROR, "Cannot check QEMU binary %s: %s"
                        % (path, os.strerror(e.errno))) from None
    return (path, st.st_size, st.st_mtime_ns)


def load(emulator, cache_dir):
    """The capabilities dict of *emulator*, from the cache or a fresh probe."""
    key = binary_key(emulator)
    cache_file = os.path.join(cache_dir, "capabilities",
                              "%016x.json" % files.fnv1a(repr(key), 64))
    text = files.read_text(cache_file)
    if text:
        try:
            caps = jsontext.loads(text)
            if caps.get("format") == CACHE_FORMAT and caps.get("key") == list(key):
                return caps
        except ValueError:
            pass
    caps = probe(emulator)
    caps["format"] = CACHE_FORMAT
    caps["key"] = list(key)
    os.makedirs(os.path.dirname(cache_file), mode=0o700, exist_ok=True)
    import json
    files.write_atomic(cache_file, json.dumps(caps, sort_keys=True))
    return caps


def kvm_usable():
    """Whether /dev/kvm opens for this process."""
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC))
        return True
    except OSError:
        return False


def probe(emulator):
    """Ask *emulator* over QMP what it supports."""
    import socket
    import subprocess
    from virtsh.drivers.qemu.qmp import Monitor
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    accel = "kvm:tcg" if kvm_usable() else "tcg"
    argv = [emulator, "-S", "-no-user-config", "-nodefaults", "-nographic",
            "-machine", "none,accel=" + accel,
            "-chardev", "socket,id=qmp,fd=%d" % theirs.fileno(),
            "-mon", "chardev=qmp,mode=control", "-display", "none"]
    try:
        proc = subprocess.Popen(argv, pass_fds=(theirs.fileno(),),
                                stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
    except OSError as e:
        raise VirtError(SYSTEM_ERROR, "Cannot check QEMU binary %s: %s"
                        % (emulator, os.strerror(e.errno))) from None
    theirs.close()
    try:
        mon = Monitor(ours, timeout=30)
        try:
            return _ask(mon, emulator)
        finally:
            try:
                mon.cmd("quit")
            except VirtError:
                pass
            mon.close()
    except VirtError:
        err = proc.stderr.read().decode(errors="replace").strip() if proc.poll() is not None else ""
        raise VirtError(INTERNAL_ERROR, "Failed to probe capabilities for %s: %s"
                        % (emulator, err or "no QMP answer")) from None
    finally:
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()


def _ask(mon, emulator):
    version = mon.cmd("query-version")
    q = version["qemu"]
    machines = mon.cmd("query-machines")
    kvm = mon.cmd("query-kvm")
    try:
        cpus = [c["name"] for c in mon.cmd("query-cpu-definitions")]
    except VirtError:
        cpus = []
    devices = [t["name"] for t in mon.cmd("qom-list-types", implements="device",
                                            abstract=False)]
    target = mon.cmd("query-target")
    return {
        "emulator": emulator,
        "version": q["major"] * 1000000 + q["minor"] * 1000 + q["micro"],
        "package": version.get("package", ""),
        "arch": target["arch"],
        "kvm": bool(kvm.get("enabled")),
        "machines": [{"name": m["name"], "alias": m.get("alias"),
                      "default": bool(m.get("is-default")),
                      "max_cpus": m.get("cpu-max", 1),
                      "deprecated": bool(m.get("deprecated"))}
                     for m in machines],
        "cpu_models": sorted(cpus),
        "devices": sorted(devices),
    }


def canonical_machine(caps, name):
    """The versioned machine type for an alias ("pc" -> "pc-i440fx-7.2")."""
    return _machines(caps)["canonical"].get(name, name)


def default_machine(caps):
    return _machines(caps)["default"]


def has_machine(caps, name):
    return name in _machines(caps)["known"]


_MACHINE_TABLES = {}        # id(caps) -> (caps, its machine table)


def _machines(caps):
    """The machine types of *caps* as lookup tables, built once per caps
    (a define asks three questions of a list of some sixty machines)."""
    entry = _MACHINE_TABLES.get(id(caps))
    if entry is not None and entry[0] is caps:
        return entry[1]
    canonical, known, default = {}, set(), None
    for m in caps["machines"]:
        known.update((m["name"], m["alias"]))
        canonical.setdefault(m["alias"], m["name"])
        if default is None and m["default"]:
            default = m["alias"] or m["name"]
    table = {"canonical": canonical, "known": known, "default": default}
    if len(_MACHINE_TABLES) >= 16:
        _MACHINE_TABLES.clear()
    _MACHINE_TABLES[id(caps)] = (caps, table)
    return table
