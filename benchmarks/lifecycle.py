#!/usr/bin/env python3
"""Start and destroy of one small guest: virtsh against libvirt's virsh.

Targets: start at most 0.5x and destroy at most 0.2x of libvirt's median
wall time (`virsh -c qemu:///system start/destroy`, libvirtd running; it is
started with ../shared/reference-libvirt.sh when missing).  virtsh runs
under `qemu:///embed?root=TMP`; both in this same run, same guest XML.

    python3 benchmarks/lifecycle.py [--runs N]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import virtsh_argv  # noqa: E402

NAME = "virtsh-bench-lifecycle"
REFERENCE_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "shared", "reference-libvirt.sh")
XML = """<domain type='%s'>
  <name>%s</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/><apic/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <interface type='user'><model type='virtio'/></interface>
    <console type='pty'/>
  </devices>
</domain>
"""


def run(argv):
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit("%s failed: %s" % (" ".join(argv), proc.stderr.strip()))
    return time.perf_counter() - start


def measure(prog, runs):
    """Median (start, destroy) seconds of *prog* (argv prefix incl. -c URI)."""
    starts, destroys = [], []
    for _ in range(runs):
        starts.append(run(prog + ["start", NAME]))
        time.sleep(0.2)     # let the guest settle, as a user would
        destroys.append(run(prog + ["destroy", NAME]))
    return statistics.median(starts), statistics.median(destroys)


def compile_bytecode():
    """Byte-compile virtsh as an installation does (PYTHONDONTWRITEBYTECODE
    would otherwise make every run compile its modules again)."""
    import compileall
    import virtsh
    root = os.path.dirname(os.path.dirname(os.path.abspath(virtsh.__file__)))
    for sub in ("virtsh", "drivers", "xmlconf"):
        compileall.compile_dir(os.path.join(root, sub), quiet=1)


def ensure_libvirtd():
    probe = subprocess.run(["virsh", "-c", "qemu:///system", "version"],
                           capture_output=True)
    if probe.returncode != 0 and os.path.exists(REFERENCE_SCRIPT):
        subprocess.run(["bash", REFERENCE_SCRIPT], check=True, stdout=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    if not shutil.which("virsh") or not shutil.which("qemu-system-x86_64"):
        sys.exit("needs libvirt's virsh and qemu-system-x86_64")
    ensure_libvirtd()
    compile_bytecode()
    kind = "kvm" if os.access("/dev/kvm", os.R_OK | os.W_OK) else "qemu"
    work = tempfile.mkdtemp(prefix="vbench", dir="/tmp")
    xml_path = os.path.join(work, "guest.xml")
    with open(xml_path, "w") as f:
        f.write(XML % (kind, NAME))
    ref = ["virsh", "-c", "qemu:///system"]
    ours = virtsh_argv() + ["-c", "qemu:///embed?root=%s" % os.path.join(work, "root")]
    results = {}
    try:
        for label, prog in (("virsh", ref), ("virtsh", ours)):
            run(prog + ["define", xml_path])
            try:
                results[label] = measure(prog, args.runs)
            finally:
                subprocess.run(prog + ["destroy", NAME], capture_output=True)
                subprocess.run(prog + ["undefine", NAME], capture_output=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ok = True
    for i, (what, target) in enumerate((("start", 0.5), ("destroy", 0.2))):
        ratio = results["virtsh"][i] / results["virsh"][i]
        ok &= ratio <= target
        print("%-8s virsh %7.1f ms   virtsh %7.1f ms   ratio %.2f (target <= %.1f)"
              % (what, results["virsh"][i] * 1000, results["virtsh"][i] * 1000, ratio, target))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
