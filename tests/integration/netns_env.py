"""A network namespace for tests that change host networking (bridges,
dnsmasq, nftables, taps): virtsh and the host tools run inside it, so the
machine's own network is never touched.  Import ``ns`` as a fixture."""
import contextlib
import os
import shutil
import subprocess
import sys
import time

import pytest

TOOLS = ("ip", "dnsmasq", "nft")
MISSING = [t for t in TOOLS if shutil.which(t) is None]
needs_netns = [
    pytest.mark.skipif(os.geteuid() != 0, reason="network namespaces need root"),
    pytest.mark.skipif(bool(MISSING), reason="missing tools: %s" % ", ".join(MISSING)),
]

NAT_XML = """<network>
  <name>%(name)s</name>
  <forward mode='%(mode)s'/>
  <ip address='%(prefix)s.1' netmask='255.255.255.0'>
    <dhcp><range start='%(prefix)s.10' end='%(prefix)s.20'/></dhcp>
  </ip>
</network>
"""


class Namespace:
    """A network namespace, and virtsh run inside it against one embed root."""

    def __init__(self, host, name):
        self.host, self.name = host, name

    def run(self, *argv, check=True):
        proc = subprocess.run(["ip", "netns", "exec", self.name, *argv],
                              capture_output=True, text=True, timeout=60)
        if check and proc.returncode:
            raise AssertionError("%s failed: %s" % (" ".join(argv), proc.stderr))
        return proc

    def virtsh(self, *args, check=True):
        return self.run(sys.executable, "-m", "virtsh", "-c", self.host.uri, *args,
                        check=check)

    def define(self, xml, command="net-define"):
        path = os.path.join(self.host.root, "net-%d.xml" % time.monotonic_ns())
        with open(path, "w") as f:
            f.write(xml)
        return self.virtsh(command, path)

    def links(self):
        return set(self.run("ls", "/sys/class/net").stdout.split())

    def nft(self):
        return self.run("nft", "list", "ruleset").stdout

    def dnsmasq_pids(self):
        """PIDs of the dnsmasq processes living in this namespace."""
        out = subprocess.run(["ip", "netns", "pids", self.name], capture_output=True,
                             text=True).stdout.split()
        found = []
        for pid in out:
            try:
                with open("/proc/%s/comm" % pid) as f:
                    if f.read().strip() == "dnsmasq":
                        found.append(pid)
            except OSError:
                pass
        return found

    @contextlib.contextmanager
    def client(self, bridge, mac):
        """A second namespace whose interface vg0 (with *mac*) is plugged
        into *bridge*: a stand-in guest; yields a runner of commands in it."""
        name = self.name + "c"
        subprocess.run(["ip", "netns", "add", name], check=True)
        try:
            self.run("ip", "link", "add", "vh0", "type", "veth", "peer", "name", "vg0",
                     "address", mac)
            self.run("ip", "link", "set", "vg0", "netns", name)
            self.run("ip", "link", "set", "vh0", "master", bridge, "up")

            def run(*argv):
                return subprocess.run(["ip", "netns", "exec", name, *argv],
                                      capture_output=True, text=True, timeout=60)
            yield run
        finally:
            subprocess.run(["ip", "netns", "del", name], capture_output=True)


@pytest.fixture
def ns(host):
    name = "vtsh%d" % os.getpid()
    subprocess.run(["ip", "netns", "add", name], check=True)
    space = Namespace(host, name)
    yield space
    host.kill_leftovers()           # guests first: their taps live in here
    for pid in space.dnsmasq_pids():
        os.kill(int(pid), 9)
    subprocess.run(["ip", "netns", "del", name], capture_output=True)
