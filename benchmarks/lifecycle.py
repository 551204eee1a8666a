#!/usr/bin/env python3
"""Start and destroy of small guests: virtsh against libvirt's virsh.

Targets: start at most 0.5x and destroy at most 0.2x of libvirt's median
wall time (`virsh -c qemu:///system start/destroy`, libvirtd running; it is
started with ../shared/reference-libvirt.sh when missing).  virtsh runs
under `qemu:///embed?root=TMP`; both in this same run, same guest XML.

Two parts: one guest started and destroyed --runs times, then --parallel
guests (0 skips) started all at once -- one `start` process per guest, the
wall time from launch until every process has exited 0, then every guest
checked running -- and destroyed all at once the same way; --rounds
rounds, the two sides in turn, median.  The parallel start has the start's
budget (issue 9 asks for 50 guests started in parallel); the parallel
destroy is reported without one.

    python3 benchmarks/lifecycle.py [--runs N] [--parallel N] [--rounds N]
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


def run_all(argvs):
    """Wall seconds from launching every command of *argvs* at once until
    the last has exited; each must exit 0."""
    start = time.perf_counter()
    procs = [subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True) for argv in argvs]
    failures = ["%s: %s" % (" ".join(argv), proc.communicate()[1].strip())
                for argv, proc in zip(argvs, procs) if proc.wait() != 0]
    elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit("%d of %d failed:\n%s" % (len(failures), len(argvs),
                                                     "\n".join(failures[:5])))
    return elapsed


def run(argv):
    return run_all([argv])


def batch(prog, lines, check=True):
    """The output of one *prog* process running *lines* from its stdin."""
    proc = subprocess.run(prog + ["-q"], input="".join(l + "\n" for l in lines),
                          capture_output=True, text=True)
    if check and (proc.returncode != 0 or proc.stderr.strip()):
        raise SystemExit("%s failed: %s" % (" ".join(prog), proc.stderr[-500:]))
    return proc.stdout


def measure(prog, runs):
    """Median (start, destroy) seconds of *prog* (argv prefix incl. -c URI)."""
    starts, destroys = [], []
    for _ in range(runs):
        starts.append(run(prog + ["start", NAME]))
        time.sleep(0.2)     # let the guest settle, as a user would
        destroys.append(run(prog + ["destroy", NAME]))
    return statistics.median(starts), statistics.median(destroys)


def measure_parallel(sides, names, rounds):
    """Per side, median (start, destroy) seconds of all *names* at once;
    the sides take turns within each round."""
    times = {label: ([], []) for label in sides}
    for _ in range(rounds):
        for label, prog in sides.items():
            starts, destroys = times[label]
            starts.append(run_all([prog + ["start", n] for n in names]))
            missing = set(names) - set(batch(prog, ["list --state-running --name"]).split())
            if missing:
                raise SystemExit("%s: not running after start: %s"
                                 % (label, " ".join(sorted(missing))))
            time.sleep(0.5)     # the guests settle, as for one guest
            destroys.append(run_all([prog + ["destroy", n] for n in names]))
    return {label: (statistics.median(s), statistics.median(d))
            for label, (s, d) in times.items()}


def compile_bytecode():
    """Byte-compile virtsh as an installation does (PYTHONDONTWRITEBYTECODE
    would otherwise make every run compile its modules again)."""
    import compileall
    import virtsh
    root = os.path.dirname(os.path.dirname(os.path.abspath(virtsh.__file__)))
    for sub in ("virtsh", "drivers", "xmlconf"):     # the last two: a source tree's
        if os.path.isdir(os.path.join(root, sub)):
            compileall.compile_dir(os.path.join(root, sub), quiet=1)


def ensure_libvirtd():
    probe = subprocess.run(["virsh", "-c", "qemu:///system", "version"],
                           capture_output=True)
    if probe.returncode != 0 and os.path.exists(REFERENCE_SCRIPT):
        subprocess.run(["bash", REFERENCE_SCRIPT], check=True, stdout=subprocess.DEVNULL)


def write_guests(work, kind, names):
    """One XML file per name; their paths."""
    paths = []
    for name in names:
        paths.append(os.path.join(work, name + ".xml"))
        with open(paths[-1], "w") as f:
            f.write(XML % (kind, name))
    return paths


def report(title, results, targets):
    """Print *results* (label -> (start, destroy)) against *targets*
    (start, destroy; None: no budget)."""
    ok = True
    for i, (what, target) in enumerate(zip(("start", "destroy"), targets)):
        ratio = results["virtsh"][i] / results["virsh"][i]
        over = target is not None and ratio > target
        ok &= not over
        print("%-12s virsh %9.1f ms   virtsh %9.1f ms   ratio %.2f %s%s"
              % ("%s %s" % (what, title) if title else what, results["virsh"][i] * 1000,
                 results["virtsh"][i] * 1000, ratio,
                 "(target <= %.1f)" % target if target is not None else "(no target)",
                 "  over budget" if over else ""))
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--parallel", type=int, default=50,
                    help="guests started at once (0: skip that part)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if not shutil.which("virsh") or not shutil.which("qemu-system-x86_64"):
        sys.exit("needs libvirt's virsh and qemu-system-x86_64")
    ensure_libvirtd()
    compile_bytecode()
    kind = "kvm" if os.access("/dev/kvm", os.R_OK | os.W_OK) else "qemu"
    work = tempfile.mkdtemp(prefix="vbench", dir="/tmp")
    crowd = ["%s-%02d" % (NAME, i) for i in range(args.parallel)]
    paths = write_guests(work, kind, [NAME] + crowd)
    sides = {"virsh": ["virsh", "-c", "qemu:///system"],
             "virtsh": virtsh_argv() + ["-c", "qemu:///embed?root=%s"
                                        % os.path.join(work, "root")]}
    one, many = {}, {}
    try:
        for prog in sides.values():
            batch(prog, ["define %s" % p for p in paths])
        for label, prog in sides.items():
            one[label] = measure(prog, args.runs)
        if crowd:
            many = measure_parallel(sides, crowd, args.rounds)
    finally:
        for prog in sides.values():
            batch(prog, ["destroy %s" % n for n in [NAME] + crowd]
                  + ["undefine %s" % n for n in [NAME] + crowd], check=False)
        shutil.rmtree(work, ignore_errors=True)
    ok = report("", one, (0.5, 0.2))
    if many:
        ok &= report("x%d" % len(crowd), many, (0.5, None))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
