"""Load: concurrent virtsh processes run a random (seeded) mix of
lifecycle and definition commands over many guests. Afterwards each
definition is the one its last successful writer left, the running QEMUs
are exactly what `list` shows and stopped guests keep no runtime files."""
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid

from faults_env import assert_consistent, config_text, qemus_of
from qemu_env import guest_xml, needs_qemu

pytestmark = needs_qemu
SEED = 1019
LOAD_SECONDS = int(os.environ.get("VIRTSH_LOAD_SECONDS", 60))       # lower it to bound CI time; the checks stay the same
WORKERS = 8
GUESTS = 20
OPS = ("define", "start", "destroy", "undefine", "edit", "setmem", "snapshot-create")


def definition(host, name, mib):
    """*name*'s XML with *mib* of memory; fixed uuid and MAC: redefinable."""
    image = os.path.join(host.root, name + ".qcow2")
    if not os.path.exists(image):
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", image, "16M"], check=True)
    disk = ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
            "<source file='%s'/><target dev='vda' bus='virtio'/></disk>" % image)
    ident = uuid.uuid5(uuid.NAMESPACE_DNS, name + host.root)
    return guest_xml(name, extra_devices=disk).replace(
        "<memory unit='MiB'>128</memory>",
        "<uuid>%s</uuid><memory unit='MiB'>%d</memory>" % (ident, mib)).replace(
        "<interface type='user'>",
        "<interface type='user'><mac address='52:54:00:%s'/>"
        % ":".join(ident.hex[i:i + 2] for i in (0, 2, 4)))


def command(host, rand, name, op, serial):
    """The virtsh arguments of *op* on *name*, and the memory (KiB) the
    definition has afterwards if it succeeds (None: undefined, ...: kept)."""
    if op == "define":
        mib = rand.choice((128, 144, 160))
        path = os.path.join(host.root, "def%d.xml" % serial)
        with open(path, "w") as f:
            f.write(definition(host, name, mib))
        return ["define", path], mib * 1024
    if op == "edit":
        kib = rand.choice((128, 136, 152)) * 1024
        return ["edit", name, "--xpath", "/domain/memory", "--set", str(kib)], kib
    if op == "undefine":
        return ["undefine", name, "--snapshots-metadata"], None
    if op == "setmem":
        return ["setmem", name, "--live", "100M"], ...
    if op == "snapshot-create":
        return ["snapshot-create-as", name, "s%d" % serial], ...
    return [op, name], ...


def memory_of(text):
    found = re.search(r"<memory unit='KiB'>(\d+)</memory>", text or "")
    return int(found.group(1)) if found else None


def possible_outcomes(writes):
    """What the definition may be after these successful writes (start, end,
    outcome): those of every write no other one surely followed."""
    return {outcome for start, end, outcome in writes
            if not any(other_start > end for other_start, _, _ in writes)}


def test_concurrent_mix_keeps_every_guest_consistent(host):
    names = ["ld%02d" % i for i in range(GUESTS)]
    writes = {name: [] for name in names}
    for name in names:
        path = os.path.join(host.root, name + ".xml")
        with open(path, "w") as f:
            f.write(definition(host, name, 128))
        host.virtsh("define", path)
        writes[name].append((0.0, 0.0, 128 * 1024))
    counts = {"run": 0, "ok": 0}
    problems = []
    guard = threading.Lock()
    deadline = time.monotonic() + LOAD_SECONDS

    def worker(number):
        rand = random.Random("%d-%d" % (SEED, number))
        serial = number * 100000
        while time.monotonic() < deadline:
            serial += 1
            name, op = rand.choice(names), rand.choice(OPS)
            args, outcome = command(host, rand, name, op, serial)
            start = time.monotonic()
            proc = subprocess.run([sys.executable, "-m", "virtsh", "-c", host.uri, *args],
                                  capture_output=True, text=True, timeout=120)
            end = time.monotonic()
            if "XML configuration not changed" in proc.stdout:
                outcome = ...       # as virsh, an edit that changes nothing defines nothing
            with guard:
                counts["run"] += 1
                if proc.returncode == 0:
                    counts["ok"] += 1
                    if outcome is not ...:
                        writes[name].append((start, end, outcome))
                elif proc.returncode != 1 or not proc.stderr.startswith("error: ") \
                        or "Traceback" in proc.stderr or "internal error" in proc.stderr:
                    problems.append((args, proc.returncode, proc.stderr))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("load: %(run)d commands, %(ok)d succeeded" % counts)
    assert problems == []
    assert counts["ok"] > WORKERS
    for name in names:
        persistent = config_text(host, name)
        assert memory_of(persistent) in possible_outcomes(writes[name]), name
        if persistent is not None:
            import xml.etree.ElementTree as ET
            ET.fromstring(persistent)
    running = host.virtsh("list", "--name").stdout.split()
    assert len(running) == len(qemus_of(host.root))
    assert_consistent(host)
    for name in running:
        host.virtsh("destroy", name)
    assert qemus_of(host.root) == []
