"""``-r`` refuses every command that would change state: a walk of the whole
command tree on a read-only test:///default connection.

Every command of virtsh.commands.load_all() runs once (some twice: the
reading and the changing form of ``desc``, ``memtune`` ...) with arguments
that reach the hypervisor call, in one process and on one connection.
Those that would change something must fail with libvirt's "operation
forbidden: read only access prevents ..." (REFUSED is the list virsh 9.0
refuses with these very arguments); the others must not be refused; and
after the walk every listing and definition reads as before it.
"""
import io
import os
import re
import shutil

import pytest

from virtsh import engine
from virtsh.commands import load_all
from virtsh.control import Control

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "fuzz")
FORBIDDEN = "error: operation forbidden: read only access prevents "
# what engine.report_unexpected prints for a bug: "error: KeyError: 'x'"
PYTHON_ERROR = re.compile(r"^error: [A-Z][A-Za-z]*(Error|Exception)(: |$)", re.M)
MAC = "aa:bb:cc:dd:ee:ff"
UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f"
SECRET = "5ec7e7a0-0000-4000-8000-000000000001"

# Commands that wait for a terminal or events, or change the connection.
SKIPPED = {"console", "connect", "event", "net-event", "pool-event", "secret-event",
           "nodedev-event", "qemu-monitor-event"}

# Arguments per command (a name#variant runs the command once more).
# Commands not listed run with the test domain as their only argument when
# they take a domain, with no argument otherwise.
ARGS = {
    "allocpages": "4 1",
    "attach-device": "test disk.xml",
    "attach-disk": "test /guest/extra.img vdb",
    "attach-interface": "test network default",
    "autostart": "test",
    "autostart#off": "test --disable",
    "backup-begin": "test",
    "blkdeviotune": "test vda",
    "blkdeviotune#set": "test vda --total-bytes-sec 1000",
    "blkiotune#set": "test --weight 500",
    "blockcommit": "test vda",
    "blockcopy": "test vda --dest /guest/copy.img",
    "blockjob": "test vda",
    "blockjob#abort": "test vda --abort",
    "blockpull": "test vda",
    "blockresize": "test vda 1024",
    "cd": ".",
    "change-media": "test vda --eject",
    "checkpoint-create": "test checkpoint.xml",
    "checkpoint-create-as": "test cp1",
    "checkpoint-delete": "test cp1",
    "checkpoint-dumpxml": "test cp1",
    "checkpoint-edit": "test cp1",
    "checkpoint-info": "test cp1",
    "checkpoint-parent": "test cp1",
    "cpu-baseline": "cpu.xml",
    "cpu-compare": "cpu.xml",
    "cpu-models": "x86_64",
    "create": "domain.xml",
    "define": "domain.xml",
    "desc#set": "test --new-desc changed",
    "desc#title": "test --title --new-desc changed",
    "detach-device": "test disk.xml",
    "detach-device-alias": "test ua-disk",
    "detach-disk": "test vda",
    "detach-interface": "test network --mac " + MAC,
    "dom-fd-associate": "test x 0",
    "domblkinfo": "test vda",
    "domblkstat": "test vda",
    "domblkthreshold": "test vda 100",
    "domdirtyrate-calc": "test --seconds 1",
    "domfsfreeze": "test",
    "domfsthaw": "test",
    "domfstrim": "test",
    "domif-getlink": "test " + MAC,
    "domif-setlink": "test %s down" % MAC,
    "domifstat": "test testnet0",
    "domiftune": "test " + MAC,
    "domiftune#set": "test %s --inbound 100" % MAC,
    "dompmsuspend": "test mem",
    "domrename": "test renamed",
    "domsetlaunchsecstate": "test --secrethdr a --secret b",
    "domtime#set": "test --now",
    "domxml-from-native": "qemu-argv cpu.xml",
    "domxml-to-native": "qemu-argv --domain test",
    "dump": "test dump.out",
    "echo": "hello",
    "emulatorpin#set": "test 0",
    "find-storage-pool-sources": "logical",
    "find-storage-pool-sources-as": "logical",
    "get-user-sshkeys": "test root",
    "guest-agent-timeout": "test --timeout 5",
    "guestvcpus#set": "test --cpulist 0 --enable",
    "hypervisor-cpu-compare": "cpu.xml",
    "hypervisor-cpu-baseline": "cpu.xml",
    "iface-bridge": "eth1 br9",
    "iface-define": "iface.xml",
    "iface-destroy": "eth1",
    "iface-dumpxml": "eth1",
    "iface-edit": "eth1",
    "iface-mac": "eth1",
    "iface-name": MAC,
    "iface-start": "eth1",
    "iface-unbridge": "br9",
    "iface-undefine": "eth1",
    "iothreadadd": "test 5",
    "iothreaddel": "test 5",
    "iothreadpin": "test 1 0",
    "iothreadset": "test 1 --poll-max-ns 10",
    "lxc-enter-namespace": "test -- /bin/true",
    "managedsave-define": "test domain.xml",
    "memtune#set": "test --hard-limit 9000000",
    "metadata": "test http://example.com/ns",
    "metadata#set": "test http://example.com/ns --key ex --set <x/>",
    "migrate": "test test:///default",
    "migrate-compcache#set": "test --size 1024",
    "migrate-setmaxdowntime": "test 100",
    "migrate-setspeed": "test 10",
    "net-autostart": "default",
    "net-autostart#off": "default --disable",
    "net-create": "network.xml",
    "net-define": "network.xml",
    "net-destroy": "default",
    "net-dhcp-leases": "default",
    "net-dumpxml": "default",
    "net-edit": "default",
    "net-info": "default",
    "net-name": "dd8fe884-6c02-601e-7551-cca97df1c5df",
    "net-port-create": "default port.xml",
    "net-port-delete": "default 00000000-0000-4000-8000-000000000000",
    "net-port-dumpxml": "default 00000000-0000-4000-8000-000000000000",
    "net-port-list": "default",
    "net-start": "default",
    "net-undefine": "default",
    "net-update": "default add ip-dhcp-host \"<host mac='52:54:00:00:00:99' ip='192.168.122.99'/>\"",
    "net-uuid": "default",
    "node-memory-tune#set": "--shm-pages-to-scan 10",
    "nodedev-autostart": "scsi_host1",
    "nodedev-create": "nodedev.xml",
    "nodedev-define": "nodedev.xml",
    "nodedev-destroy": "scsi_host1",
    "nodedev-detach": "scsi_host1",
    "nodedev-dettach": "scsi_host1",
    "nodedev-dumpxml": "scsi_host1",
    "nodedev-info": "scsi_host1",
    "nodedev-reattach": "scsi_host1",
    "nodedev-reset": "scsi_host1",
    "nodedev-start": "scsi_host1",
    "nodedev-undefine": "scsi_host1",
    "nodesuspend": "mem 60",
    "numatune#set": "test --mode strict --nodeset 0",
    "nwfilter-binding-create": "binding.xml",
    "nwfilter-binding-delete": "vnet9",
    "nwfilter-binding-dumpxml": "vnet9",
    "nwfilter-define": "nwfilter.xml",
    "nwfilter-dumpxml": "clean-traffic",
    "nwfilter-edit": "clean-traffic",
    "nwfilter-undefine": "clean-traffic",
    "perf#set": "test --enable cmt",
    "pool-autostart": "default-pool",
    "pool-autostart#off": "default-pool --disable",
    "pool-build": "default-pool",
    "pool-create": "pool.xml",
    "pool-create-as": "ro-pool dir --target /ro-pool",
    "pool-define": "pool.xml",
    "pool-define-as": "ro-pool dir --target /ro-pool",
    "pool-delete": "default-pool",
    "pool-destroy": "default-pool",
    "pool-dumpxml": "default-pool",
    "pool-edit": "default-pool",
    "pool-info": "default-pool",
    "pool-name": "dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566",
    "pool-refresh": "default-pool",
    "pool-start": "default-pool",
    "pool-undefine": "default-pool",
    "pool-uuid": "default-pool",
    "qemu-agent-command": "test {\"execute\":\"guest-ping\"}",
    "qemu-attach": "1",
    "qemu-monitor-command": "test info",
    "restore": "dump.out",
    "save": "test save.out",
    "save-image-define": "save.out domain.xml",
    "save-image-dumpxml": "save.out",
    "save-image-edit": "save.out",
    "schedinfo#set": "test --set weight=100",
    "screenshot": "test shot.out",
    "secret-define": "secret.xml",
    "secret-dumpxml": SECRET,
    "secret-get-value": SECRET,
    "secret-set-value": SECRET + " --base64 aGk=",
    "secret-undefine": SECRET,
    "send-key": "test KEY_A",
    "send-process-signal": "test 1 SIGTERM",
    "set-lifecycle-action": "test poweroff restart",
    "set-user-password": "test root secret",
    "set-user-sshkeys": "test root --remove",
    "setmaxmem": "test 9000000",
    "setmem": "test 1024000",
    "setvcpu": "test 1 --disable",
    "setvcpus": "test 1",
    "snapshot-create": "test snapshot.xml",
    "snapshot-create-as": "test s1",
    "snapshot-current": "test --name",
    "snapshot-delete": "test s1",
    "snapshot-dumpxml": "test s1",
    "snapshot-edit": "test s1",
    "snapshot-info": "test s1",
    "snapshot-parent": "test s1",
    "snapshot-revert": "test s1",
    "update-device": "test disk.xml",
    "update-memory-device": "test --requested-size 1024",
    "vcpupin#set": "test 0 0",
    "vol-clone": "--pool default-pool vol1 clone1",
    "vol-create": "default-pool volume.xml",
    "vol-create-as": "default-pool ro-vol.img 1M",
    "vol-create-from": "default-pool volume.xml vol1",
    "vol-delete": "--pool default-pool vol1",
    "vol-download": "--pool default-pool vol1 vol.out",
    "vol-dumpxml": "--pool default-pool vol1",
    "vol-info": "--pool default-pool vol1",
    "vol-key": "--pool default-pool vol1",
    "vol-list": "default-pool",
    "vol-name": "/default-pool/vol1",
    "vol-path": "--pool default-pool vol1",
    "vol-pool": "/default-pool/vol1",
    "vol-resize": "--pool default-pool vol1 2M",
    "vol-upload": "--pool default-pool vol1 domain.xml",
    "vol-wipe": "--pool default-pool vol1",
}

# What virsh 9.0 refuses on `virsh -r -c test:///default` with ARGS, and
# four it should: its save and managedsave hang read-only, its net-edit
# and pool-edit say "error: Failed." and succeed.  (Its managedsave-edit
# is refused in other words: "virDomainManagedSaveGetXMLDesc with secure
# flag"; the test driver here has no managed save images.)
REFUSED = {
    "allocpages", "attach-device", "attach-disk", "attach-interface", "autostart",
    "autostart#off", "backup-begin", "blkdeviotune#set", "blkiotune#set", "blockcommit",
    "blockcopy", "blockjob#abort", "blockpull", "blockresize", "checkpoint-create",
    "checkpoint-create-as", "create", "define", "desc#set", "desc#title", "destroy",
    "detach-device", "detach-device-alias", "detach-disk", "detach-interface",
    "dom-fd-associate", "domblkthreshold", "domcapabilities", "domdirtyrate-calc",
    "domfsfreeze", "domfsinfo", "domfsthaw", "domfstrim", "domhostname",
    "domif-setlink", "domiftune#set", "domjobabort", "domlaunchsecinfo", "dompmsuspend",
    "dompmwakeup", "domrename", "domtime", "domtime#set", "domxml-from-native",
    "domxml-to-native", "dump", "edit", "emulatorpin#set", "find-storage-pool-sources",
    "find-storage-pool-sources-as", "get-user-sshkeys", "guest-agent-timeout",
    "guestinfo", "guestvcpus", "guestvcpus#set", "hypervisor-cpu-baseline",
    "hypervisor-cpu-compare", "iface-begin", "iface-commit", "iface-define",
    "iface-destroy", "iface-rollback", "iface-start", "iface-undefine", "inject-nmi",
    "iothreadadd", "iothreaddel", "iothreadpin", "iothreadset", "lxc-enter-namespace",
    "managedsave-define", "memtune#set", "metadata#set", "migrate",
    "migrate-compcache#set", "migrate-getspeed", "migrate-postcopy",
    "migrate-setmaxdowntime", "migrate-setspeed", "net-autostart", "net-autostart#off",
    "net-create", "net-define", "net-destroy", "net-port-create", "net-start",
    "net-undefine", "net-update", "node-memory-tune#set", "nodedev-autostart",
    "nodedev-create", "nodedev-define", "nodedev-destroy", "nodedev-detach",
    "nodedev-dettach", "nodedev-reattach", "nodedev-reset", "nodedev-start",
    "nodedev-undefine", "nodesevinfo", "nodesuspend", "numatune#set",
    "nwfilter-binding-create", "nwfilter-define", "perf#set", "pool-autostart",
    "pool-autostart#off", "pool-build", "pool-create", "pool-create-as", "pool-define",
    "pool-define-as", "pool-delete", "pool-destroy", "pool-refresh", "pool-start",
    "pool-undefine", "qemu-agent-command", "qemu-attach", "qemu-monitor-command",
    "reboot", "reset", "restore", "resume", "save-image-define", "save-image-dumpxml",
    "save-image-edit", "schedinfo#set", "screenshot", "secret-define", "send-key",
    "send-process-signal", "set-lifecycle-action", "set-user-password", "setmaxmem",
    "setmem", "setvcpu", "setvcpus", "shutdown", "snapshot-create",
    "snapshot-create-as", "suspend", "undefine", "update-device", "vcpupin#set",
    "vol-create", "vol-create-as"
} | {"save", "managedsave", "net-edit", "pool-edit"}

# Read after the walk as before it: what a change would show in (not
# dominfo or vcpuinfo: the test driver's CPU time is the clock).
STATE = ["list --all --uuid", "list --all --title", "dumpxml test", "dumpxml test --inactive",
         "vcpucount test", "domblkinfo test vda", "schedinfo test", "memtune test", "blkiotune test", "numatune test",
         "vcpupin test", "emulatorpin test", "domiflist test",
         "domblklist test --details", "desc test", "desc test --title",
         "snapshot-list test", "checkpoint-list test", "domtime test", "perf test",
         "net-list --all", "net-dumpxml default", "net-dumpxml default --inactive",
         "pool-list --all --details", "pool-dumpxml default-pool", "vol-list default-pool",
         "iface-list --all", "iface-dumpxml eth1", "nodedev-list --all", "node-memory-tune",
         "domstate test --reason", "managedsave-dumpxml test", "guestvcpus test"]


def command_lines():
    """(label, command line) for every command of the tree."""
    registry = load_all()
    lines = []
    variants = {key.split("#")[0]: [] for key in ARGS}
    for key in ARGS:
        variants[key.split("#")[0]].append(key)
    for name in sorted(registry):
        if name in SKIPPED:
            continue
        keys = variants.get(name) or [name]
        if name not in keys:
            keys.insert(0, name)
        for key in keys:
            if key in ARGS:
                lines.append((key, "%s %s" % (name, ARGS[key])))
            elif any(o.required and (o.complete or "").startswith("domain")
                     for o in registry[name].options):
                lines.append((key, "%s test" % name))
            else:
                lines.append((key, name))
    return lines


class Session:
    """One read-only connection shared by every command line run through it."""

    def __init__(self, uri):
        self.ctl = Control(uri=uri, readonly=True)

    def run(self, line):
        out, err = io.StringIO(), io.StringIO()
        self.ctl.out, self.ctl.err = out, err
        engine.run_string(self.ctl, line)
        return out.getvalue(), err.getvalue()

    def state(self):
        return {line: self.run(line) for line in STATE}


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    for name in os.listdir(os.path.join(DATA, "readonly")):
        shutil.copy(os.path.join(DATA, "readonly", name), tmp_path / name)
    editor = tmp_path / "editor.sh"     # an edit that changes the document
    editor.write_text("#!/bin/sh\nsed -i 's#</name>#</name><!-- edited -->#' \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.setenv("VISUAL", str(editor))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_changing_command_is_refused_and_nothing_changes(workdir):
    session = Session("test:///default")
    before = session.state()
    refused, unexpected = set(), {}
    lines = command_lines()
    for label, line in lines:
        out, err = session.run(line)
        if FORBIDDEN in err:
            refused.add(label)
        if "Traceback" in out + err or PYTHON_ERROR.search(err):
            unexpected[label] = err
    after = session.state()
    assert len(lines) > 280
    assert not unexpected, unexpected
    changed = [line for line in STATE if before[line] != after[line]]
    assert not changed, [(line, before[line], after[line]) for line in changed]
    assert sorted(REFUSED - refused) == [], "virsh refuses these, virtsh did not"
    assert sorted(refused - REFUSED) == [], "refused here, allowed by virsh"
    assert not [p for p in os.listdir(workdir) if p.endswith(".out")]
