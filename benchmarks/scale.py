#!/usr/bin/env python3
"""QEMU driver at scale: virtsh (qemu:///embed) against libvirtd (qemu:///system).

Both sides hold the same definitions: 10, then 100, then 1,000 domains
(names ``h15bench-NNNN``, removed from libvirtd at the end), and then
--running of them run (paused, so idle guests do not load the CPUs).
At each size the script times, interleaved virsh/virtsh, the median of
`list --all`, `list --name`, `domstate`, `dominfo` (and `domstats` over
the running guests), and the rate of defining the batch that grew the
set (one process reading `define FILE` lines from stdin, for both, each
starting after a sync).

Budgets (issue 9): queries at most 1.5x libvirt, defining all the
domains at least as fast as libvirt (each batch's rate is shown for how it
grows), domstats at most 1.5x.

    python3 benchmarks/scale.py [--sizes 10,100,1000] [--running 50] [--runs 15]

Needs root (qemu:///system) and a running libvirtd.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import interleaved_medians, virtsh_argv  # noqa: E402

PREFIX = "h15bench-"
QUERY_BUDGET = 1.5
DOMAIN_XML = """<domain type='%s'>
  <name>%s</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
"""


def name_of(i):
    return "%s%04d" % (PREFIX, i)


def run_batch(argv, lines):
    """Seconds one process takes to run *lines* (virsh commands) from stdin."""
    start = time.perf_counter()
    proc = subprocess.run(argv + ["-q"], input="".join(l + "\n" for l in lines),
                          text=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 or proc.stderr.strip():
        raise SystemExit("%s failed: %s" % (" ".join(argv), proc.stderr[-500:]))
    return elapsed


class Sides:
    """The two command lines: virsh on libvirtd, virtsh on an embed tree."""

    def __init__(self, virsh, root):
        self.ref = [virsh, "-c", "qemu:///system"]
        self.ours = virtsh_argv() + ["-c", "qemu:///embed?root=%s" % root]

    def compare(self, words, runs):
        ref, ours = interleaved_medians([self.ref + words, self.ours + words], runs=runs)
        return ref, ours

    def define(self, xml_dir, first, last):
        """Define domains first..last-1 on both sides; their seconds.  Each
        side starts after a sync, so neither pays for the other's writes
        (the first fsync commits whatever the journal still holds)."""
        lines = ["define %s" % os.path.join(xml_dir, name_of(i) + ".xml")
                 for i in range(first, last)]
        os.sync()
        ref = run_batch(self.ref, lines)
        os.sync()
        return ref, run_batch(self.ours, lines)


def report(label, ref, ours, budget):
    """One line of figures; whether within *budget* (None: shown for growth)."""
    ratio = ours / ref
    ok = budget is None or ratio <= budget
    print("  %-24s libvirt %9.1f ms   virtsh %9.1f ms   ratio %5.2f %s"
          % (label, ref * 1000, ours * 1000, ratio, "" if ok else "(over budget)"))
    return ok


def queries(sides, runs, probe, running):
    ok = True
    for words in (["list", "--all"], ["list", "--name"], ["domstate", probe],
                  ["dominfo", probe]):
        ok &= report(" ".join(words[:2]) if words[0] == "list" else words[0],
                     *sides.compare(words, runs), QUERY_BUDGET)
    if running:
        ok &= report("domstats (%d running)" % running,
                     *sides.compare(["domstats", "--list-active"], runs), QUERY_BUDGET)
    return ok


def cleanup(virsh, count, running):
    lines = ["destroy %s" % name_of(i) for i in range(running)]
    lines += ["undefine %s" % name_of(i) for i in range(count)]
    subprocess.run([virsh, "-q", "-c", "qemu:///system"], input="\n".join(lines) + "\n",
                   text=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100,1000")
    ap.add_argument("--running", type=int, default=50)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--domain-type", default="kvm" if os.path.exists("/dev/kvm") else "qemu")
    args = ap.parse_args()
    virsh = shutil.which("virsh")
    if not virsh or os.geteuid() != 0:
        sys.exit("needs virsh and root (libvirtd's qemu:///system is the reference)")
    sizes = [int(s) for s in args.sizes.split(",")]
    work = tempfile.mkdtemp(prefix="virtsh-scale-")
    xml_dir = os.path.join(work, "xml")
    os.mkdir(xml_dir)
    for i in range(sizes[-1]):
        with open(os.path.join(xml_dir, name_of(i) + ".xml"), "w") as f:
            f.write(DOMAIN_XML % (args.domain_type, name_of(i)))
    sides = Sides(virsh, os.path.join(work, "embed"))
    # libvirtd probed QEMU when it started; the fresh tree does it here,
    # untimed as well (domcapabilities fills its capabilities cache)
    subprocess.run(sides.ours + ["domcapabilities"], stdout=subprocess.DEVNULL, check=True)
    ok, defined, running = True, 0, 0
    define_totals = [0.0, 0.0]
    try:
        for size in sizes:
            ref, ours = sides.define(xml_dir, defined, size)
            define_totals = [define_totals[0] + ref, define_totals[1] + ours]
            print("%d domains defined (+%d: libvirt %.0f/s, virtsh %.0f/s)"
                  % (size, size - defined, (size - defined) / ref, (size - defined) / ours))
            report("define (per domain)", ref / (size - defined), ours / (size - defined), None)
            defined = size
            ok &= queries(sides, args.runs, name_of(size - 1), 0)
        print("all %d defines" % defined)
        ok &= report("define (all, per domain)", define_totals[0] / defined,
                     define_totals[1] / defined, 1.0)
        if args.running:
            running = min(args.running, defined)
            lines = ["start --paused %s" % name_of(i) for i in range(running)]
            ref, ours = run_batch(sides.ref, lines), run_batch(sides.ours, lines)
            print("%d domains defined, %d running (start: libvirt %.2f s, virtsh %.2f s)"
                  % (defined, running, ref, ours))
            ok &= queries(sides, args.runs, name_of(0), running)
    finally:
        cleanup(virsh, defined, running)
        subprocess.run(sides.ours + ["-q"], input="".join(
            "destroy %s\n" % name_of(i) for i in range(running)), text=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)
    print("all within budget" if ok else "some figures over budget")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
