"""Shared by the benchmark scripts: median wall time of a command."""
import os
import shutil
import statistics
import subprocess
import sys
import time


def virtsh_argv():
    """The installed virtsh beside this interpreter (what users run)."""
    script = os.path.join(os.path.dirname(sys.executable), "virtsh")
    if os.path.exists(script):
        return [script]
    found = shutil.which("virtsh")
    return [found] if found else [sys.executable, "-m", "virtsh"]


def median_seconds(argv, runs=15, env=None, warmup=2):
    """Median wall time of *argv* over *runs* runs (after *warmup* runs)."""
    times = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env=env)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit("%s exited %d" % (" ".join(argv), proc.returncode))
        if i >= warmup:
            times.append(elapsed)
    return statistics.median(times)


def interleaved_medians(argvs, runs=15, warmup=2):
    """Median wall time of each command of *argvs*, run in turn (A B A B ...)
    so that load from other processes falls on all of them alike."""
    times = [[] for _ in argvs]
    for i in range(warmup + runs):
        for argv, bucket in zip(argvs, times):
            start = time.perf_counter()
            proc = subprocess.run(argv, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
            elapsed = time.perf_counter() - start
            if proc.returncode != 0:
                raise SystemExit("%s exited %d" % (" ".join(argv), proc.returncode))
            if i >= warmup:
                bucket.append(elapsed)
    return [statistics.median(bucket) for bucket in times]
