#!/usr/bin/env python3
"""Start of one small container: virtsh's ``start`` wall time, median of N.

Target: at most 0.2 s (issue 11).  Runs as root under
`lxc:///embed?root=TMP` with a busybox root file system built for the run
(tests/integration/lxc_env.py); the container is destroyed after each start.

    sudo python3 benchmarks/lxc.py [--runs N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
from timing import virtsh_argv  # noqa: E402
from lxc_env import Host, requirements  # noqa: E402

TARGET = 0.2
NAME = "bench"


def timed(argv):
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit("%s failed: %s" % (" ".join(argv), proc.stderr.strip()))
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    reason = requirements()
    if reason:
        raise SystemExit("cannot run: %s" % reason)
    with tempfile.TemporaryDirectory() as tmp:
        host = Host(tmp)
        try:
            host.define(NAME)
            prog = virtsh_argv() + ["-c", host.uri]
            times = []
            for _ in range(runs):
                times.append(timed(prog + ["start", NAME]))
                timed(prog + ["destroy", NAME])
        finally:
            host.cleanup()
    median = statistics.median(times)
    print("lxc start: median %.3f s over %d runs (target <= %.1f s): %s"
          % (median, runs, TARGET, "ok" if median <= TARGET else "TOO SLOW"))
    return 0 if median <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
