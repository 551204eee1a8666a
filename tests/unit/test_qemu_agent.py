"""The guest agent's plumbing without a guest: channel sockets on the
command line (as libvirt lays them out), the live channel state, the agent
client against the host's own qemu-ga and against a peer that never
answers, and what qemu-ga's replies become in libvirt's API."""
import os
import shlex
import shutil
import socket
import subprocess
import threading
import time

import pytest

from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError
from virtsh.drivers.qemu import agentinfo, channels, command
from virtsh.drivers.qemu.agent import Agent, Unsupported

CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared",
                      "conformance", "xml")
QEMU_GA = shutil.which("qemu-ga") or shutil.which("qemu-ga", path="/usr/sbin")


def _argv_helpers():
    """The argv tests' capabilities and helpers (pytest imports test files
    by path here, so the module is loaded the same way)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "qemu_command_tests", os.path.join(os.path.dirname(__file__), "test_qemu_command.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_ARGV = _argv_helpers()
CAPS, options, prepared = _ARGV.CAPS, _ARGV.options, _ARGV.prepared


# --- the command line ------------------------------------------------------------

@pytest.mark.skipif(not os.path.isdir(CORPUS), reason="conformance corpus not present")
def test_channels_on_the_command_line_match_libvirts():
    folder = os.path.join(CORPUS, "channel-virtio-unix")
    expected = shlex.split(open(os.path.join(folder, "qemu.args")).read())
    xml = open(os.path.join(folder, "in.xml")).read()
    root = prepared(xml.replace("qemu-system-i386", "qemu-system-x86_64"))
    channels.fill_paths(root, "/var/lib/libvirt/qemu/channel/target/domain--1-QEMUGuest1")
    ours = command.build(root, CAPS, command.Runtime(monitor_path="/m.sock"))
    assert options(ours, "-device") == options(expected, "-device")
    chardevs = [c for c in options(expected, "-chardev") if "charchannel" in c]
    assert [c for c in options(ours, "-chardev") if "charchannel" in c] == chardevs
    # the channel with a path of its own keeps it
    assert "path=/tmp/channel/domain-oldname/fdsa" not in " ".join(chardevs)


def test_channel_directory_follows_libvirts_short_name():
    assert channels.directory("/lib", 7, "a" * 30) == \
        "/lib/channel/target/domain-7-%s" % ("a" * 20)


def test_live_xml_shows_the_port_state_the_guest_last_set():
    text = ("<domain><devices><channel type='unix'>\n"
            "<target type='virtio' name='org.qemu.guest_agent.0' state='disconnected'/>\n"
            "<alias name='channel0'/>\n</channel><channel type='unix'>\n"
            "<target type='virtio' name='other' state='disconnected'/>\n"
            "<alias name='channel1'/>\n</channel></devices></domain>")
    out = channels.apply_states(text, {"channel0": True})
    assert "name='org.qemu.guest_agent.0' state='connected'" in out
    assert "name='other' state='disconnected'" in out


# --- the client ---------------------------------------------------------------------

@pytest.fixture
def host_agent(tmp_path):
    """The host's qemu-ga listening on a unix socket (it answers for the host)."""
    if QEMU_GA is None:
        pytest.skip("qemu-guest-agent is not installed")
    path = str(tmp_path / "qga.sock")
    proc = subprocess.Popen([QEMU_GA, "-m", "unix-listen", "-p", path,
                             "-t", str(tmp_path), "-f", str(tmp_path / "qga.pid")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    yield path
    proc.terminate()
    proc.wait()


def test_agent_session_runs_commands_and_reports_errors(host_agent):
    with Agent(host_agent) as session:
        assert session.execute("guest-ping") == {}
        assert session.execute("guest-get-host-name")["host-name"] == socket.gethostname()
        with pytest.raises(VirtError) as err:
            session.execute("no-such-command")
        assert str(err.value) == ("internal error: unable to execute QEMU agent command "
                                  "'no-such-command': The command no-such-command has not "
                                  "been found")
        with pytest.raises(Unsupported):
            session.execute("no-such-command", report_unsupported=False)
    with Agent(host_agent) as session:       # a second session syncs afresh
        assert session.execute("guest-ping") == {}


def test_agent_that_never_answers_times_out_with_libvirts_error(tmp_path):
    path = str(tmp_path / "silent.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    accepted = []
    threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True).start()
    started = time.monotonic()
    with pytest.raises(VirtError) as err:
        Agent(path, timeout=1)
    assert 1 <= time.monotonic() - started < 3
    assert str(err.value) == "Guest agent is not responding: Guest agent not available for now"
    server.close()


def test_agent_timeout_below_the_minimum_is_refused():
    from virtsh.drivers.qemu.agent import check_timeout
    check_timeout(-2)
    with pytest.raises(VirtError) as err:
        check_timeout(-3)
    assert str(err.value) == ("invalid argument: guest agent timeout '-3' is less than "
                              "the minimum '-2'")


# --- replies ---------------------------------------------------------------------------

def test_vcpu_plan_keeps_cpu0_and_counts_what_can_go():
    cpus = [{"logical-id": i, "online": True, "can-offline": True} for i in range(4)]
    assert agentinfo.vcpu_plan(cpus, 2) == [{"logical-id": 1, "online": False},
                                            {"logical-id": 2, "online": False}]
    with pytest.raises(VirtError, match="Cannot offline enough CPUs"):
        agentinfo.vcpu_plan(cpus, 0)
    cpus[3]["online"] = False
    assert agentinfo.vcpu_plan(cpus, 4) == [{"logical-id": 3, "online": True}]
    with pytest.raises(VirtError, match="guest agent reports less cpu than requested"):
        agentinfo.vcpu_plan(cpus, 5)


def test_interfaces_fold_aliases_into_their_parent():
    reply = [{"name": "eth0", "hardware-address": "52:54:00:00:00:01",
              "ip-addresses": [{"ip-address-type": "ipv4", "ip-address": "10.0.0.2",
                                "prefix": 24}]},
             {"name": "eth0:1", "ip-addresses": [{"ip-address-type": "ipv6",
                                                  "ip-address": "fe80::1", "prefix": 64}]}]
    assert agentinfo.interfaces(reply) == [
        ("eth0", "52:54:00:00:00:01", [(D.IP_ADDR_IPV4, "10.0.0.2", 24),
                                       (D.IP_ADDR_IPV6, "fe80::1", 64)])]


def test_file_systems_in_mount_order_with_disk_targets():
    root = prepared("""<domain type='kvm'><name>g</name><memory>131072</memory>
      <os><type arch='x86_64' machine='pc'>hvm</type></os><devices>
      <emulator>/usr/bin/qemu-system-x86_64</emulator>
      <disk type='file' device='disk'><source file='/a.img'/><target dev='vdb' bus='virtio'/>
        <address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></disk>
      </devices></domain>""")
    pci = {"domain": 0, "bus": 0, "slot": 7, "function": 0}
    reply = [{"mountpoint": "/data", "name": "vdb1", "type": "xfs", "used-bytes": 1,
              "total-bytes": 2, "disk": [{"pci-controller": pci, "bus": 0, "target": 0,
                                          "unit": 0, "dev": "/dev/vdb1"}]},
             {"mountpoint": "/", "name": "sda1", "type": "ext4", "disk": []}]
    systems = agentinfo.file_systems(root, reply)
    assert [fs["mountpoint"] for fs in systems] == ["/", "/data"]
    assert systems[1]["disks"] == [{"alias": "vdb", "serial": None, "device": "/dev/vdb1"}]
    assert agentinfo.fs_params(systems)[:4] == [("fs.count", 2), ("fs.0.mountpoint", "/"),
                                                ("fs.0.name", "sda1"), ("fs.0.fstype", "ext4")]
