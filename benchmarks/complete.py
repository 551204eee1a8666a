#!/usr/bin/env python3
"""Tab completion: `virtsh -c URI complete -- WORDS` wall time.

Budgets (medians): under 50 ms (issue 9) against test:///default and under 150 ms
against a QEMU host with 200 defined domains (a qemu:///embed root this
script fills and removes).  virsh's own `complete` is timed alongside on
test:///default for reference when it is installed.

    python3 benchmarks/complete.py [--runs N]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import median_seconds, virtsh_argv  # noqa: E402

BUDGET_MS = 50.0
QEMU_BUDGET_MS = 150.0
QEMU_DOMAINS = 200

# (what is completed, the words after `complete --`)
CASES = (
    ("command name", ["net-st"]),
    ("option name", ["list", "--a"]),
    ("domain name", ["dominfo", "t"]),
    ("running domain", ["shutdown", ""]),
)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    runs = max(args.runs, 10)
    virsh = shutil.which("virsh")
    worst = 0.0
    for label, words in CASES:
        tail = ["-c", "test:///default", "complete", "--"] + words
        ours = median_seconds(virtsh_argv() + tail, runs=runs) * 1000
        worst = max(worst, ours)
        ref = ("virsh %6.1f ms" % (median_seconds([virsh] + tail, runs=runs) * 1000)
               if virsh else "virsh    n/a   ")
        print("%-16s %s   virtsh %6.1f ms" % (label, ref, ours))
    print("slowest median: %.1f ms (budget %.0f ms)" % (worst, BUDGET_MS))
    qemu = qemu_completion_ms(runs)
    print("domain name, %d QEMU domains: virtsh %.1f ms (budget %.0f ms)"
          % (QEMU_DOMAINS, qemu, QEMU_BUDGET_MS))
    return 0 if worst < BUDGET_MS and qemu < QEMU_BUDGET_MS else 1


def qemu_completion_ms(runs):
    """Median time to complete a domain name among QEMU_DOMAINS definitions."""
    root = tempfile.mkdtemp(prefix="vcomp", dir="/tmp")
    try:
        uri = "qemu:///embed?root=%s" % root
        defines = []
        for i in range(QEMU_DOMAINS):
            path = os.path.join(root, "d%03d.xml" % i)
            with open(path, "w") as f:
                f.write("<domain type='qemu'><name>guest%03d</name><memory unit='MiB'>64"
                        "</memory><os><type arch='x86_64'>hvm</type></os></domain>\n" % i)
            defines.append("define %s" % path)
        subprocess.run(virtsh_argv() + ["-q", "-c", uri, "; ".join(defines)],
                       check=True, stdout=subprocess.DEVNULL)
        argv = virtsh_argv() + ["-c", uri, "complete", "--", "dominfo", "guest1"]
        return median_seconds(argv, runs=runs) * 1000
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
