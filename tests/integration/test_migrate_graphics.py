"""The graphics cases of the shared live conformance data, migrated: the
destination's live <graphics> must be what libvirt shows for a guest started
from that definition under the same qemu.conf (socket paths are per host)."""
import glob
import os
import re
import shutil
import tempfile

import pytest
from lxml import etree

from qemu_env import DOMAIN_TYPE, Host, guest_xml, needs_qemu

LIVE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared",
                    "conformance", "live")
CASES = sorted(os.path.basename(d) for d in glob.glob(os.path.join(LIVE, "*"))
               if os.path.isdir(d))

pytestmark = [needs_qemu, pytest.mark.skipif(not CASES, reason="no shared/conformance/live")]


def read(case, name):
    with open(os.path.join(LIVE, case, name)) as f:
        return f.read()


def graphics(xml):
    """The <graphics> elements as text, socket directories made neutral."""
    root = etree.fromstring(xml.encode())
    text = "".join(etree.tostring(g).decode() for g in root.findall("devices/graphics"))
    return re.sub(r"socket=\"[^\"]*/([^/\"]+\.sock)\"", r'socket="DIR/\1"', text)


def host_with_conf(conf):
    h = Host(tempfile.mkdtemp(prefix="vg", dir="/tmp"))
    os.makedirs(os.path.join(h.root, "etc"), exist_ok=True)
    with open(os.path.join(h.root, "etc", "qemu.conf"), "w") as f:
        f.write(conf)
    return h


def start_case(host, case):
    """Define and start the case's guest on *host*; its name."""
    name = re.search(r"<name>([^<]+)</name>", read(case, "in.xml")).group(1)
    host.define(read(case, "in.xml").replace("type='kvm'", "type='%s'" % DOMAIN_TYPE, 1))
    started = host.virtsh("start", name, check=False)
    assert started.returncode == 0, started.stderr
    return name


def without_port(text):
    return re.sub(r" port=\"\d+\"", " port=\"N\"", text)


@pytest.mark.parametrize("case", CASES)
def test_destination_graphics_are_those_of_a_fresh_start(case):
    """What the source chose at start is not carried over: the destination
    shows what starting the guest there shows (its own qemu.conf rules)."""
    if read(case, "start.rc").strip() != "0":
        pytest.skip("libvirt refused to start this case")
    conf = read(case, "conf.txt")
    hosts = [host_with_conf(conf) for _ in range(3)]
    src, dst, fresh = hosts
    try:
        name = start_case(src, case)
        from virtsh import drivers
        begin = drivers.open(src.uri).lookup_domain_by_name(name).migrate_begin({}, 1)
        # libvirt's migratable XML: what the start chose is undone
        assert graphics(begin) == graphics(read(case, "migratable.out"))
        moved = src.virtsh("migrate", name, dst.uri, "--live", check=False)
        if "autoport-no" in case and moved.returncode:
            # a fixed display port is taken by the source: same machine
            assert "Address already in use" in moved.stderr
            assert src.state(name) == "running (booted)"
            assert dst.virtsh("list", "--all", "--name").stdout.strip() == ""
            return
        assert moved.returncode == 0, moved.stderr
        assert dst.state(name) == "running (migrated)"
        start_case(fresh, case)
        assert without_port(graphics(dst.virtsh("dumpxml", name).stdout)) == \
            without_port(graphics(fresh.virtsh("dumpxml", name).stdout))
    finally:
        for h in hosts:
            h.kill_leftovers()
            shutil.rmtree(h.root, ignore_errors=True)


@pytest.mark.parametrize("kind", ["vnc", "spice"])
def test_a_socket_path_the_start_generated_stays_behind(kind):
    """<listen type='socket'/> gets a path in the source's domain directory;
    the destination must make its own (libvirt's migratable XML has none)."""
    h = host_with_conf("")
    try:
        h.define(guest_xml("sock", "<graphics type='%s'><listen type='socket'/></graphics>"
                           % kind))
        h.virtsh("start", "sock")
        assert "%s.sock'" % kind in h.virtsh("dumpxml", "sock").stdout
        from virtsh import drivers
        begin = drivers.open(h.uri).lookup_domain_by_name("sock").migrate_begin({}, 1)
        assert graphics(begin) == '<graphics type="%s">\n      <listen type="socket"/>\n' \
            '    </graphics>\n    ' % kind
    finally:
        h.kill_leftovers()
        shutil.rmtree(h.root, ignore_errors=True)
