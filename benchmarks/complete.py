#!/usr/bin/env python3
"""Tab completion: `virtsh -c test:///default complete -- WORDS` wall time.

Budget: a completion well under 100 ms (the median of the runs), so a
shell's Tab feels instant.  virsh's own `complete` is timed alongside for
reference when it is installed.

    python3 benchmarks/complete.py [--runs N]
"""
import argparse
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import median_seconds, virtsh_argv  # noqa: E402

BUDGET_MS = 100.0

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
    return 0 if worst < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
