#!/usr/bin/env python3
"""One-shot start-up: virtsh against virsh on test:///default.

Budget (issue 9): each command at most 2.0x virsh's median wall time, both
measured in this run, interleaved (virsh, virtsh, virsh, ...) so load from
other processes falls on both alike.  `python -c pass` is timed too, as the
floor no Python program can beat.

    python3 benchmarks/startup.py [--runs N] [--command 'dominfo test']
"""
import argparse
import os
import shlex
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import interleaved_medians, virtsh_argv  # noqa: E402

BUDGET = 2.0
COMMANDS = ("list --all", "dominfo test", "dumpxml test", "net-list")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--command", action="append",
                    help="virsh command(s) to time (default: %s)" % ", ".join(COMMANDS))
    args = ap.parse_args()
    virsh = shutil.which("virsh")
    if not virsh:
        sys.exit("virsh (Debian's libvirt-clients) is not installed")
    worst = 0.0
    for command in args.command or COMMANDS:
        words = ["-c", "test:///default"] + shlex.split(command)
        ref, ours, bare = interleaved_medians(
            [[virsh] + words, virtsh_argv() + words, [sys.executable, "-c", "pass"]],
            runs=max(args.runs, 15))
        ratio = ours / ref
        worst = max(worst, ratio)
        print("%-14s virsh %6.1f ms   virtsh %6.1f ms   ratio %.2f   (python -c pass %5.1f ms)"
              % (command, ref * 1000, ours * 1000, ratio, bare * 1000))
    print("worst ratio: %.2f (budget %.1f)" % (worst, BUDGET))
    return 0 if worst <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
