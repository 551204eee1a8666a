#!/usr/bin/env python3
"""Live migration of a 1 GiB guest between two qemu:///embed roots.

The guest (host kernel + busybox initramfs, see tests/integration) fills
half of its memory with random data and keeps rewriting 16 MiB, so the
migration has real pages to send and re-send.  Reported per run:
  - total: wall time of the whole client-driven migration (begin ...
    confirm), what `virtsh migrate` costs a user;
  - stream: from QMP `migrate` to QEMU reporting the stream complete;
  - overhead: total - stream, what the phases around the stream add
    (starting the destination QEMU, resuming it, stopping the source);
  - downtime: the pause QEMU measured at the switch-over.
The guest runs under TCG (as in the integration tests), so QEMU's stream
is slower than it would be under KVM; the overhead figure is what virtsh
adds either way.

    python3 benchmarks/migrate.py [--runs N] [--memory MIB]
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "tests", "integration"))
import linux_guest  # noqa: E402
from qemu_env import QEMU, Host  # noqa: E402

FILL = ("dd if=/dev/urandom of=/fill bs=1M count=%d 2>/dev/null; echo FILLED > /dev/ttyS0; "
        "while true; do dd if=/dev/urandom of=/busy bs=1M count=16 2>/dev/null; "
        "sleep 0.1; done")


def wait_for_text(path, text, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path, errors="replace") as f:
                if text in f.read():
                    return
        except FileNotFoundError:
            pass
        time.sleep(0.2)
    raise SystemExit("the guest did not print %s within %d s" % (text, timeout))


def boot(host, memory_mib):
    initrd = linux_guest.build_initramfs(os.path.join(host.root, "initrd.gz"),
                                         after_ready=FILL % (memory_mib // 2))
    serial = os.path.join(host.root, "serial.log")
    # TCG, as the integration tests: nested KVM hosts often stall this kernel
    xml = linux_guest.guest_xml("bench", "qemu", QEMU, initrd, serial)
    host.define(xml.replace("<memory unit='MiB'>256</memory>",
                            "<memory unit='MiB'>%d</memory>" % memory_mib))
    host.virtsh("start", "bench")
    wait_for_text(serial, "FILLED", 300)


def migrate_once(src, dst):
    """(total s, stream time s, downtime ms, MiB sent) of one migration."""
    from virtsh import drivers
    from virtsh.drivers import migrate
    source = drivers.open(src.uri)
    dom = source.lookup_domain_by_name("bench")
    dest = drivers.open(dst.uri)
    watch = migrate.Watch()
    start = time.perf_counter()
    migrate.migrate(dom, dest, {}, 1, watch)         # VIR_MIGRATE_LIVE
    total = time.perf_counter() - start
    stats = watch.completed or {}
    return (total, stats.get("time_elapsed", 0) / 1000.0, stats.get("downtime", 0),
            stats.get("data_processed", 0) / (1 << 20))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory", type=int, default=1024, help="guest memory, MiB")
    args = parser.parse_args()
    if QEMU is None or not linux_guest.available():
        raise SystemExit("needs qemu-system-x86_64, busybox-static and a kernel in /boot")
    hosts = [Host(tempfile.mkdtemp(prefix="vb", dir="/tmp")) for _ in range(2)]
    try:
        boot(hosts[0], args.memory)
        rows = []
        for i in range(args.runs):
            src, dst = hosts[i % 2], hosts[(i + 1) % 2]
            rows.append(migrate_once(src, dst))
            # the serial log is per root; the guest keeps writing its own
        print("guest: %d MiB (TCG), %d migrations back and forth" % (args.memory, args.runs))
        for n, (total, qemu, down, sent) in enumerate(rows, 1):
            print("  run %d: total %.2f s, stream %.2f s, overhead %.2f s, downtime %d ms,"
                  " %.0f MiB sent" % (n, total, qemu, total - qemu, down, sent))
        print("median: total %.2f s, overhead %.2f s, downtime %d ms" % (
            statistics.median(r[0] for r in rows),
            statistics.median(r[0] - r[1] for r in rows),
            statistics.median(r[2] for r in rows)))
    finally:
        for h in hosts:
            h.kill_leftovers()
            shutil.rmtree(h.root, ignore_errors=True)


if __name__ == "__main__":
    main()
