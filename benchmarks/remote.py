#!/usr/bin/env python3
"""`list --all` of 50 domains over SSH against the same listing locally.

Starts a private sshd on 127.0.0.1 (as the integration tests do; needs
root and OpenSSH) and a test node file with 50 domains, then times:
  - one-shot `virtsh -c URI list --all`: local vs test+ssh (the remote
    figure includes the SSH login and starting the far helper);
  - the listing alone on an open connection, in-process: local vs remote
    (one round trip).

    python3 benchmarks/remote.py [--runs N] [--domains N]
"""
import argparse
import io
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, os.pardir, "tests", "integration"))
from timing import median_seconds, virtsh_argv  # noqa: E402
from sshd_env import Sshd, missing_reason  # noqa: E402


def node_file(directory, count):
    """A test-driver node file with *count* domains."""
    path = os.path.join(directory, "node.xml")
    with open(path, "w") as f:
        f.write("<node>\n")
        for i in range(count):
            f.write("<domain type='test'><name>vm%03d</name><memory>65536</memory>"
                    "<os><type>hvm</type></os></domain>\n" % i)
        f.write("</node>\n")
    return path


def listing_seconds(uri, runs):
    """Median time of the `list --all` command on one open connection."""
    from virtsh import engine
    from virtsh.control import Control
    ctl = Control(uri=uri)
    engine.connect(ctl)
    times = []
    try:
        for _ in range(runs):
            ctl.out = io.StringIO()
            start = time.perf_counter()
            engine.run_string(ctl, "list --all")
            times.append(time.perf_counter() - start)
    finally:
        ctl.conn.close()
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--domains", type=int, default=50)
    args = ap.parse_args()
    reason = missing_reason()
    if reason:
        sys.exit("cannot run: " + reason)
    with tempfile.TemporaryDirectory() as directory:
        node = node_file(directory, args.domains)
        sshd = Sshd(directory)
        try:
            local = "test://" + node
            remote = sshd.uri(path=node)
            words = ["list", "--all"]
            one_local = median_seconds(virtsh_argv() + ["-c", local] + words, runs=args.runs)
            one_remote = median_seconds(virtsh_argv() + ["-c", remote] + words, runs=args.runs)
            in_local = listing_seconds(local, args.runs * 5)
            in_remote = listing_seconds(remote, args.runs * 5)
        finally:
            sshd.stop()
    print("list --all, %d domains" % args.domains)
    print("one-shot process   local %7.1f ms   ssh %7.1f ms   ratio %.1f"
          % (one_local * 1000, one_remote * 1000, one_remote / one_local))
    print("open connection    local %7.2f ms   ssh %7.2f ms   ratio %.1f"
          % (in_local * 1000, in_remote * 1000, in_remote / in_local))
    return 0


if __name__ == "__main__":
    sys.exit(main())
