#!/usr/bin/env python3
"""REPL memory: resident size of one virtsh shell over 1,000 commands.

The shell reads commands from a pipe (as `virtsh < script` does) on a test
node of 200 domains.  VmRSS is read from /proc after the 500th and the
1,000th command (an `echo` marker tells when the shell got there).

Budget (issue 9): under 80 MiB after 1,000 commands, and no growth between
the 500th and the 1,000th beyond noise (1 MiB).

    python3 benchmarks/repl_memory.py [--domains 200] [--commands 1000]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import virtsh_argv  # noqa: E402

BUDGET_MIB = 80.0
GROWTH_MIB = 1.0
DOMAIN = """  <domain type='test'>
    <name>d%(i)d</name>
    <uuid>00000000-0000-4000-8000-%(i)012d</uuid>
    <memory unit='MiB'>512</memory>
    <vcpu>2</vcpu>
    <os><type>hvm</type></os>
    <devices>
      <disk type='file' device='disk'>
        <source file='/images/d%(i)d.img'/><target dev='vda' bus='virtio'/>
      </disk>
      <interface type='network'><source network='default'/></interface>
    </devices>
  </domain>
"""
# One round of what a person does in a shell; %d is a domain number.
ROUND = ("list --all", "dominfo d%d", "dumpxml d%d", "domstate d%d",
         "suspend d%d", "resume d%d", "domblklist d%d", "destroy d%d",
         "start d%d", "net-list")


def node_file(directory, count):
    path = os.path.join(directory, "node.xml")
    with open(path, "w") as f:
        f.write("<node>\n%s  <network><name>default</name>"
                "<bridge name='virbr0'/></network>\n</node>\n"
                % "".join(DOMAIN % {"i": i} for i in range(count)))
    return path


def commands(count, domains):
    for n in range(count):
        line = ROUND[n % len(ROUND)]
        yield line % ((n // len(ROUND)) % domains) if "%d" in line else line


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class Shell:
    """A virtsh shell on a pipe; marks() waits until it has echoed a word."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.seen = {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            word = line.strip().rpartition(" ")[2]
            if word.startswith("MARK-") and word in self.seen:
                self.seen[word].set()

    def run(self, lines, mark):
        self.seen[mark] = threading.Event()
        self.proc.stdin.write("".join(l + "\n" for l in lines) + "echo %s\n" % mark)
        self.proc.stdin.flush()
        if not self.seen[mark].wait(300):
            raise SystemExit("the shell did not reach %s" % mark)
        return rss_kib(self.proc.pid)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(30)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--domains", type=int, default=200)
    ap.add_argument("--commands", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shell = Shell(virtsh_argv() + ["-q", "-c", "test://" + node_file(tmp, args.domains)])
        todo = list(commands(args.commands, args.domains))
        half = len(todo) // 2
        first = shell.run([], "MARK-start")
        middle = shell.run(todo[:half], "MARK-middle")
        end = shell.run(todo[half:], "MARK-end")
        shell.close()
    growth = (end - middle) / 1024
    print("VmRSS: start %.1f MiB, after %d commands %.1f MiB, after %d %.1f MiB "
          "(growth %.2f MiB; budget < %.0f MiB, growth <= %.0f MiB)"
          % (first / 1024, half, middle / 1024, len(todo), end / 1024, growth,
             BUDGET_MIB, GROWTH_MIB))
    return 0 if end / 1024 < BUDGET_MIB and growth <= GROWTH_MIB else 1


if __name__ == "__main__":
    sys.exit(main())
