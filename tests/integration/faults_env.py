"""Checks the fault and load tests make after each injected fault: what a
user and the host would see (truthful state, whole definitions, no
orphaned QEMU, no runtime files of stopped guests)."""
import glob
import os
import time
import xml.etree.ElementTree as ET


RUNTIME_KINDS = ("status", "xml", "pid", "monitor", "events", "ending", "reboot")


def wait_state(host, name, expected, timeout=15):
    """The domstate (with reason) of *name*, once it is *expected* or late."""
    deadline = time.monotonic() + timeout
    while True:
        state = host.state(name)
        if state == expected or time.monotonic() > deadline:
            return state
        time.sleep(0.1)


def qemus_of(root):
    """Pids of the QEMU processes writing their output into *root*'s logs
    (every QEMU this root started, whoever its parent is now)."""
    found = []
    for fd_dir in glob.glob("/proc/[0-9]*/fd"):
        pid = int(fd_dir.split("/")[2])
        try:
            exe = os.readlink("/proc/%d/exe" % pid)
            log = os.readlink(fd_dir + "/2")
            with open("/proc/%d/stat" % pid) as f:
                zombie = f.read().rsplit(")", 1)[1].split()[0] == "Z"
        except OSError:
            continue
        if "qemu-system" in exe and log.startswith(root + "/") and not zombie:
            found.append(pid)
    return sorted(found)


def running_pids(host):
    """The QEMU pids the status files of *host* name."""
    import json
    pids = []
    for path in glob.glob(os.path.join(host.root, "run", "qemu", "*.status")):
        try:
            with open(path) as f:
                pids.append(json.load(f)["pid"])
        except (OSError, ValueError, KeyError):
            pass
    return sorted(pids)


def config_text(host, name):
    """The persistent definition on disk (None when undefined)."""
    try:
        with open(os.path.join(host.root, "etc", "qemu", name + ".xml")) as f:
            return f.read()
    except FileNotFoundError:
        return None


def assert_consistent(host, sockets_may_remain=False):
    """After a fault: definitions parse, no stray temp files are listed,
    running guests are exactly the live QEMUs, stopped ones leave no
    runtime files behind (*sockets_may_remain*: but the monitor sockets a
    start killed before QEMU ran did bind; the next start replaces them)."""
    for path in glob.glob(os.path.join(host.root, "etc", "qemu", "*.xml")):
        ET.parse(path)
    listed = host.virtsh("list", "--name").stdout.split()
    everyone = host.virtsh("list", "--all", "--name").stdout.split()
    assert not [n for n in everyone if n.startswith(".")]
    deadline = time.monotonic() + 3      # a supervisor notices within 0.2 s
    while running_pids(host) != qemus_of(host.root) and time.monotonic() < deadline:
        time.sleep(0.1)
        host.virtsh("list")
    assert running_pids(host) == qemus_of(host.root), ("orphaned or lost QEMU",
        running_pids(host), qemus_of(host.root), host.runtime_files())
    assert len(listed) == len(qemus_of(host.root))
    for name in set(everyone) - set(listed):
        leftovers = [e for e in host.runtime_files()
                     if e.rsplit(".", 1) in ([name, k] for k in RUNTIME_KINDS)
                     and not (sockets_may_remain and e.endswith((".monitor", ".events")))]
        assert leftovers == [], leftovers
