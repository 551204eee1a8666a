"""The QEMU guest agent through virtsh: a real Linux guest (host kernel,
busybox initramfs) running the host's qemu-ga on its virtio channel.

One guest serves the query tests in file order (booting one under TCG
costs tens of seconds); it is rebooted and shut down by the agent last.
Guests without a channel, or whose port nobody answers, get libvirt's
errors.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

import pytest

import linux_guest
from qemu_env import Host, QEMU, guest_xml, needs_qemu, wait_for

pytestmark = [needs_qemu,
              pytest.mark.skipif(not linux_guest.agent_available(),
                                 reason="needs qemu-guest-agent, busybox-static and a "
                                        "kernel with virtio modules in /boot")]

AGENT = "org.qemu.guest_agent.0"
CHANNEL = "<channel type='unix'><target type='virtio' name='%s'/></channel>" % AGENT
MAC = "52:54:00:12:34:56"



def serial_count(path, word):
    try:
        with open(path, errors="replace") as f:
            return f.read().count(word)
    except FileNotFoundError:
        return 0


def agent_guest_xml(host, name, initrd, vcpus=2):
    """The linux guest with two vCPUs, an ext4 virtio disk (/mnt in the
    guest), a virtio NIC and the agent channel."""
    disk = os.path.join(host.root, name + ".img")
    subprocess.run(["truncate", "-s", "64M", disk], check=True)
    subprocess.run(["mkfs.ext4", "-q", "-F", disk], check=True, capture_output=True)
    serial = os.path.join(host.root, name + ".serial")
    xml = linux_guest.guest_xml(name, "qemu", QEMU, initrd, serial)
    # no_timer_check: a TCG guest rebooting with two vCPUs otherwise hangs
    # in the kernel's IO-APIC timer check
    xml = xml.replace("panic=-1", "panic=-1 no_timer_check")
    xml = xml.replace("<vcpu>1</vcpu>", "<vcpu>%d</vcpu>" % vcpus)
    return xml.replace("</devices>", """<disk type='file' device='disk'>
      <driver name='qemu' type='raw'/><source file='%s'/><target dev='vda' bus='virtio'/>
    </disk>
    <interface type='user'><mac address='%s'/><model type='virtio'/></interface>
    %s
  </devices>""" % (disk, MAC, CHANNEL)), serial


def channel_state(host, name):
    found = re.search(r"name='%s' state='(\w+)'" % re.escape(AGENT),
                      host.virtsh("dumpxml", name).stdout)
    return found.group(1) if found else None


def agent_json(host, name, command, **arguments):
    msg = {"execute": command}
    if arguments:
        msg["arguments"] = arguments
    return json.loads(host.virtsh("qemu-agent-command", name, json.dumps(msg)).stdout)["return"]


def guest_run(host, name, path, *args):
    """What a program prints inside the guest (guest-exec, output captured)."""
    pid = agent_json(host, name, "guest-exec", path=path, arg=list(args),
                     **{"capture-output": True})["pid"]
    status = {}

    def exited():
        status.update(agent_json(host, name, "guest-exec-status", pid=pid))
        return status.get("exited")
    wait_for(exited, 30, "%s in the guest" % path)
    return base64.b64decode(status.get("out-data", "")).decode()


def guest_file(host, name, path):
    return guest_run(host, name, "/bin/cat", path)


def params(text):
    """guestinfo's "name : value" lines as a dict."""
    return dict((k.strip(), v.strip()) for k, _, v in
                (line.partition(":") for line in text.splitlines() if line))


@pytest.fixture(scope="module")
def guest():
    root = tempfile.mkdtemp(prefix="vqa", dir="/tmp")
    host = Host(root)
    initrd = linux_guest.build_agent_initramfs(os.path.join(root, "initrd.gz"))
    xml, serial = agent_guest_xml(host, "ag", initrd)
    host.define(xml)
    host.virtsh("start", "ag")
    host.serial = serial
    wait_for(lambda: channel_state(host, "ag") == "connected", 180,
             "the guest agent to open its port")
    # commands wait up to 60 s for a TCG guest under load (the default is 5)
    host.virtsh("guest-agent-timeout", "ag", "--timeout", "60")
    yield host
    host.kill_leftovers()
    shutil.rmtree(root, ignore_errors=True)


def test_channel_socket_lives_in_the_domains_channel_directory(guest):
    xml = guest.virtsh("dumpxml", "ag").stdout
    dom_id = guest.virtsh("domid", "ag").stdout.strip()
    path = os.path.join(guest.root, "lib", "qemu", "channel", "target",
                        "domain-%s-ag" % dom_id, AGENT)
    assert "<source mode='bind' path='%s'/>" % path in xml
    assert "<alias name='channel0'/>" in xml
    assert os.path.exists(path)
    assert "state=" not in guest.virtsh("dumpxml", "--inactive", "ag").stdout


def test_domtime_sets_and_reads_the_guest_clock(guest):
    guest.virtsh("domtime", "ag", "--time", "1000000000")
    seconds = int(guest.virtsh("domtime", "ag").stdout.split()[1])
    assert 1000000000 <= seconds < 1000000060
    assert guest.virtsh("domtime", "ag", "--pretty").stdout.startswith("Time: 2001-09-09")
    guest.virtsh("domtime", "ag", "--now")
    assert abs(int(guest.virtsh("domtime", "ag").stdout.split()[1]) - time.time()) < 30
    guest.virtsh("domtime", "ag", "--sync")           # from the RTC qemu-ga wrote
    assert abs(int(guest.virtsh("domtime", "ag").stdout.split()[1]) - time.time()) < 30


def test_hostname_from_the_agent(guest):
    assert guest.virtsh("domhostname", "ag").stdout == "agentguest\n\n"
    assert guest.virtsh("domhostname", "ag", "--source", "agent").stdout == "agentguest\n\n"


def test_guestinfo_groups(guest):
    def info(*flags):
        return params(guest.virtsh("guestinfo", "ag", *flags).stdout)
    assert info("--user") == {"user.count": "0"}
    os_info = info("--os")
    assert os_info["os.id"] == "virtshtest"
    assert os_info["os.kernel-release"] == linux_guest.kernel()[1]
    assert info("--timezone") == {"timezone.name": "UTC", "timezone.offset": "0"}
    assert info("--hostname") == {"hostname": "agentguest"}
    fs = info("--filesystem")
    assert (fs["fs.count"], fs["fs.0.mountpoint"], fs["fs.0.fstype"],
            fs["fs.0.disk.0.alias"]) == ("1", "/mnt", "ext4", "vda")
    assert int(fs["fs.0.total-bytes"]) > 50 * 2 ** 20
    disk = info("--disk")
    assert (disk["disk.0.name"], disk["disk.0.partition"], disk["disk.0.alias"]) == \
        ("/dev/vda", "no", "vda")
    nics = info("--interface")
    eth = [k.split(".")[1] for k, v in nics.items() if k.endswith(".name") and v == "eth0"]
    assert nics["if.%s.hwaddr" % eth[0]] == MAC
    assert nics["if.%s.addr.0.addr" % eth[0]] == "10.0.2.15"
    everything = info()
    for key in ("user.count", "os.id", "timezone.offset", "hostname", "fs.count",
                "disk.count", "if.count"):
        assert key in everything
    assert list(everything).index("user.count") < list(everything).index("os.id") \
        < list(everything).index("if.count")


def test_domifaddr_from_the_agent(guest):
    out = guest.virtsh("domifaddr", "ag", "--source", "agent").stdout
    assert re.search(r"^ eth0 +%s +ipv4 +10\.0\.2\.15/24$" % MAC, out, re.M)
    assert re.search(r"^ lo +00:00:00:00:00:00 +ipv4 +127\.0\.0\.1/8$", out, re.M)


def test_fsinfo_freeze_thaw_and_trim(guest):
    table = guest.virtsh("domfsinfo", "ag").stdout
    assert re.search(r"^ /mnt +vda +ext4 +vda$", table, re.M)
    assert guest.virtsh("domfsfreeze", "ag").stdout == "Froze 1 filesystem(s)\n\n"
    assert agent_json(guest, "ag", "guest-fsfreeze-status") == "frozen"
    assert guest.virtsh("domfsthaw", "ag").stdout == "Thawed 1 filesystem(s)\n\n"
    assert agent_json(guest, "ag", "guest-fsfreeze-status") == "thawed"
    assert guest.virtsh("domfsfreeze", "ag", "--mountpoint", "/mnt").stdout == \
        "Froze 1 filesystem(s)\n\n"
    refused = guest.virtsh("domfsthaw", "ag", "--mountpoint", "/mnt", check=False)
    assert refused.returncode == 1
    assert refused.stderr == ("error: Unable to thaw filesystems\nerror: argument "
                              "unsupported: specifying mountpoints is not supported\n")
    assert guest.virtsh("domfsthaw", "ag").stdout == "Thawed 1 filesystem(s)\n\n"
    guest.virtsh("domfstrim", "ag", "--minimum", "4096")


def test_guestvcpus_and_setvcpus_guest(guest):
    def vcpus():
        return params(guest.virtsh("guestvcpus", "ag").stdout)
    assert vcpus() == {"vcpus": "0-1", "online": "0-1", "offlinable": "1"}
    guest.virtsh("guestvcpus", "ag", "--cpulist", "1", "--disable")
    assert vcpus()["online"] == "0"
    assert guest_file(guest, "ag", "/sys/devices/system/cpu/cpu1/online").strip() == "0"
    guest.virtsh("setvcpus", "ag", "2", "--guest")
    assert vcpus()["online"] == "0-1"
    guest.virtsh("setvcpus", "ag", "1", "--guest")
    assert vcpus()["online"] == "0"
    guest.virtsh("guestvcpus", "ag", "1", "--enable")
    assert vcpus()["online"] == "0-1"
    refused = guest.virtsh("guestvcpus", "ag", "0", "--disable", check=False)
    assert refused.stderr == "error: Operation not supported: vCPU '0' is not offlinable\n"
    missing = guest.virtsh("guestvcpus", "ag", "5", "--enable", check=False)
    assert missing.stderr == "error: invalid argument: guest is missing vCPUs '5'\n"


def test_set_user_password_changes_the_shadow_file(guest):
    out = guest.virtsh("set-user-password", "ag", "root", "s3cret").stdout
    assert out == "Password set successfully for root in ag\n"
    stored = guest_file(guest, "ag", "/etc/shadow").split(":")[1]
    salt = stored.split("$")[2]
    assert guest_run(guest, "ag", "/bin/busybox", "mkpasswd", "-m", "sha512", "s3cret",
                     salt).strip() == stored
    hashed = "$6$saltsalt$" + "x" * 86
    guest.virtsh("set-user-password", "ag", "root", hashed, "--encrypted")
    assert guest_file(guest, "ag", "/etc/shadow").split(":")[1] == hashed
    unknown = guest.virtsh("set-user-password", "ag", "nobody", "x", check=False)
    assert unknown.returncode == 1 and "guest-set-user-password" in unknown.stderr


def test_qemu_agent_command_options(guest):
    ping = '{"execute":"guest-ping"}'
    assert guest.virtsh("qemu-agent-command", "ag", ping).stdout == '{"return":{}}\n\n'
    assert guest.virtsh("qemu-agent-command", "ag", "--timeout", "30", ping).stdout == \
        '{"return":{}}\n\n'
    assert guest.virtsh("qemu-agent-command", "ag", "--block", ping).stdout == \
        '{"return":{}}\n\n'
    pretty = guest.virtsh("qemu-agent-command", "ag", "--pretty",
                          '{"execute":"guest-get-host-name"}').stdout
    assert pretty == '{\n  "return": {\n    "host-name": "agentguest"\n  }\n}\n\n'
    unknown = guest.virtsh("qemu-agent-command", "ag", '{"execute":"no-such"}', check=False)
    assert unknown.stderr == ("error: internal error: unable to execute QEMU agent "
                              "command 'no-such': The command no-such has not been found\n")
    zero = guest.virtsh("qemu-agent-command", "ag", "--timeout", "0", ping, check=False)
    assert zero.stderr == "error: timeout must be positive\n"
    # libvirt's --async does not wait for the reply: it reports none came
    not_waiting = guest.virtsh("qemu-agent-command", "ag", "--async", ping, check=False)
    assert not_waiting.stderr == ("error: Guest agent is not responding: Guest agent "
                                  "not available for now\n")
    # and the next session is not confused by that late reply
    assert guest.virtsh("domhostname", "ag").stdout == "agentguest\n\n"


def test_reboot_then_shutdown_by_the_agent(guest):
    started = serial_count(guest.serial, "AGENT-STARTING")
    out = guest.virtsh("reboot", "ag", "--mode", "agent").stdout
    assert out == "Domain 'ag' is being rebooted\n\n"
    wait_for(lambda: serial_count(guest.serial, "AGENT-STARTING") > started, 180,
             "the guest to boot again")
    wait_for(lambda: channel_state(guest, "ag") == "connected", 60,
             "the agent to come back")
    assert guest.state("ag") == "running (booted)"
    channel_dir = os.path.dirname(re.search(r"path='([^']+/%s)'" % re.escape(AGENT),
                                            guest.virtsh("dumpxml", "ag").stdout).group(1))
    guest.virtsh("shutdown", "ag", "--mode", "agent")
    wait_for(lambda: guest.state("ag") != "running (booted)", 120, "the guest to power off")
    assert guest.state("ag") == "shut off (shutdown)"
    assert guest.runtime_files() == ["ag.shutoff"]
    assert not os.path.exists(channel_dir)


# --- guests the agent cannot serve -------------------------------------------------

AGENT_COMMANDS = (["domtime", "{0}"], ["domtime", "{0}", "--now"], ["domhostname", "{0}"],
                  ["domfsinfo", "{0}"], ["domfsfreeze", "{0}"], ["domfsthaw", "{0}"],
                  ["domfstrim", "{0}"], ["guestinfo", "{0}"], ["guestvcpus", "{0}"],
                  ["set-user-password", "{0}", "root", "x"], ["setvcpus", "{0}", "1", "--guest"],
                  ["domifaddr", "{0}", "--source", "agent"],
                  ["qemu-agent-command", "{0}", '{"execute":"guest-ping"}'],
                  ["shutdown", "{0}", "--mode", "agent"], ["reboot", "{0}", "--mode", "agent"])


def last_error(proc):
    return proc.stderr.strip().splitlines()[-1]


def test_without_a_channel_or_with_its_port_closed(host):
    host.define(guest_xml("plain"), "plain.xml")
    host.define(guest_xml("closed", extra_devices=CHANNEL), "closed.xml")
    host.virtsh("start", "plain")
    host.virtsh("start", "closed")       # no OS: nobody opens the guest's port
    assert channel_state(host, "closed") == "disconnected"
    for words in AGENT_COMMANDS:
        for name, error in (("plain", "error: argument unsupported: QEMU guest agent is "
                                      "not configured"),
                            ("closed", "error: Guest agent is not responding: QEMU guest "
                                       "agent is not connected")):
            proc = host.virtsh(*[name if w == "{0}" else w for w in words], check=False)
            assert proc.returncode == 1, words
            assert last_error(proc) == error, words
    host.virtsh("destroy", "plain")
    host.virtsh("destroy", "closed")


def test_port_held_open_by_a_silent_program_is_not_responding(host):
    # the guest opens its port but never answers (no qemu-ga on it)
    initrd = linux_guest.build_agent_initramfs(
        os.path.join(host.root, "initrd.gz"),
        agent_command="sleep 100000 <> /dev/virtio-ports/%s &" % AGENT)
    xml, serial = agent_guest_xml(host, "silent", initrd, vcpus=1)
    host.define(xml)
    host.virtsh("start", "silent")
    wait_for(lambda: channel_state(host, "silent") == "connected", 180,
             "the guest to open its port")
    started = time.monotonic()
    proc = host.virtsh("domtime", "silent", check=False)
    assert time.monotonic() - started < 20
    assert (proc.returncode, proc.stderr) == (
        1, "error: Guest agent is not responding: Guest agent not available for now\n")
    # the agent alone fails; agent then ACPI falls back to the power button
    forced = host.virtsh("shutdown", "silent", "--mode", "agent", check=False)
    assert last_error(forced) == ("error: Guest agent is not responding: Guest agent "
                                  "not available for now")
    assert host.state("silent") == "running (booted)"
    assert host.virtsh("shutdown", "silent", "--mode", "agent,acpi").returncode == 0
    wait_for(lambda: host.state("silent") != "running (booted)", 120,
             "the guest to power off")
    assert host.state("silent") == "shut off (shutdown)"
