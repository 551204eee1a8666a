"""Running guests on real QEMU: resources, devices, statistics, save and
restore, snapshots, metadata.  Effects are checked through QMP (a session
on the guest's command monitor) or in the disk images (qemu-img)."""
import json
import os
import shutil
import subprocess

import pytest

from qemu_env import guest_xml, needs_qemu, qmp

pytestmark = [needs_qemu, pytest.mark.skipif(shutil.which("qemu-img") is None,
                                              reason="qemu-img is not installed")]



def qcow2(host, name, size="16M"):
    path = os.path.join(host.root, name)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", path, size], check=True)
    return path


def image_snapshots(path):
    info = subprocess.run(["qemu-img", "info", "-U", "--output=json", path],
                          capture_output=True, text=True, check=True).stdout
    return [s["name"] for s in json.loads(info).get("snapshots", [])]


def test_memory_and_vcpus(host):
    host.define(guest_xml("vm1").replace("<vcpu>1</vcpu>",
                                         "<vcpu current='1'>2</vcpu>"))
    host.virtsh("setmem", "vm1", "64M", "--config")
    assert "Used memory:    65536 KiB" in host.virtsh("dominfo", "vm1").stdout
    bad = host.virtsh("setmem", "vm1", "1G", "--config", check=False)
    assert bad.returncode == 1 and "cannot set memory higher than max memory" in bad.stderr
    host.virtsh("setmaxmem", "vm1", "96M", "--config")
    assert host.virtsh("dumpxml", "vm1", "--xpath", "//memory").stdout.strip() == \
        '<memory unit="KiB">98304</memory>'
    host.virtsh("start", "vm1")
    assert qmp(host, "vm1", "query-balloon")["actual"] == 96 * 1024 * 1024
    refused = host.virtsh("setmaxmem", "vm1", "128M", "--live", check=False)
    assert "cannot resize the maximum memory on an active domain" in refused.stderr
    assert host.virtsh("vcpucount", "vm1", "--live", "--current").stdout.strip() == "1"
    host.virtsh("setvcpus", "vm1", "2", "--live")
    plugged = [c for c in qmp(host, "vm1", "query-hotpluggable-cpus") if c.get("qom-path")]
    assert len(plugged) == 2
    assert host.virtsh("vcpucount", "vm1", "--live", "--current").stdout.strip() == "2"
    info = host.virtsh("vcpuinfo", "vm1").stdout
    assert info.count("State:          running") == 2
    threads = {c["thread-id"] for c in qmp(host, "vm1", "query-cpus-fast")}
    host.virtsh("vcpupin", "vm1", "0", "0", "--live")
    assert any(os.sched_getaffinity(t) == {0} for t in threads)


def test_disk_hotplug_and_block_stats(host):
    disk = qcow2(host, "a.qcow2")
    host.define(guest_xml("vm1"))
    host.virtsh("start", "vm1")
    missing = host.virtsh("attach-disk", "vm1", "/nonexistent.img", "vdb", "--live",
                          check=False)
    assert "Cannot access storage file '/nonexistent.img'" in missing.stderr
    host.virtsh("attach-disk", "vm1", disk, "vda", "--live", "--subdriver", "qcow2")
    blocks = {b["qdev"]: b for b in qmp(host, "vm1", "query-block")}
    backend = "/machine/peripheral/virtio-disk0/virtio-backend"
    assert blocks[backend]["inserted"]["file"] == disk
    assert disk in host.virtsh("domblklist", "vm1").stdout
    assert host.virtsh("domblklist", "vm1", "--inactive").stdout.count("vda") == 0
    live_disk = host.virtsh("dumpxml", "vm1", "--xpath", "//disk[target/@dev='vda']").stdout
    assert "<backingStore/>" in live_disk     # a qcow2 without a backing file
    stats = host.virtsh("domblkstat", "vm1", "vda").stdout.split("\n")
    assert stats[0].startswith("vda rd_req ") and "vda flush_total_times" in stats[7]
    info = host.virtsh("domblkinfo", "vm1", "vda").stdout
    assert "Capacity:       16777216" in info
    dup = host.virtsh("attach-disk", "vm1", disk, "vda", "--live", check=False)
    assert "target vda already exists" in dup.stderr


def test_change_media_live(host):
    iso = os.path.join(host.root, "cd.iso")
    with open(iso, "wb") as f:
        f.truncate(1024 * 1024)
    host.define(guest_xml("vm1", "<disk type='file' device='cdrom'>"
                                 "<target dev='hdc' bus='ide'/><readonly/></disk>"))
    host.virtsh("start", "vm1")
    host.virtsh("change-media", "vm1", "hdc", iso, "--insert", "--live")
    tray = {b["qdev"]: b for b in qmp(host, "vm1", "query-block")}["ide0-1-0"]
    assert tray["inserted"]["file"] == iso and not tray["tray_open"]
    host.virtsh("change-media", "vm1", "hdc", "--eject", "--live")
    tray = {b["qdev"]: b for b in qmp(host, "vm1", "query-block")}["ide0-1-0"]
    assert "inserted" not in tray
    assert " hdc      -" in host.virtsh("domblklist", "vm1").stdout


def test_nic_config_attach_and_interface_errors(host):
    nic = os.path.join(host.root, "nic.xml")
    with open(nic, "w") as f:
        f.write("<interface type='user'><mac address='52:54:00:aa:bb:cc'/>"
                "<model type='e1000'/></interface>")
    host.define(guest_xml("vm1"))
    host.virtsh("attach-device", "vm1", nic, "--config")
    host.virtsh("start", "vm1")
    devices = {d["name"] for d in qmp(host, "vm1", "qom-list", path="/machine/peripheral")}
    assert {"net0", "net1"} <= devices
    stat = host.virtsh("domifstat", "vm1", "52:54:00:aa:bb:cc", check=False)
    assert "Interface name not provided" in stat.stderr
    host.virtsh("detach-device", "vm1", nic, "--config")
    assert "52:54:00:aa:bb:cc" not in host.virtsh("domiflist", "vm1", "--inactive").stdout


def test_save_restore_and_managed_save(host):
    host.define(guest_xml("vm1"))
    host.virtsh("start", "vm1")
    image = os.path.join(host.root, "vm1.save")
    host.virtsh("save", "vm1", image)
    assert host.state("vm1") == "shut off (saved)"
    with open(image, "rb") as f:
        assert f.read(16) == b"LibvirtQemudSave"
    assert "<name>vm1</name>" in host.virtsh("save-image-dumpxml", image).stdout
    edited = os.path.join(host.root, "edited.xml")
    with open(edited, "w") as f:
        f.write(host.virtsh("save-image-dumpxml", image).stdout.replace(
            "</name>", "</name><description>while saved</description>", 1))
    host.virtsh("save-image-define", image, edited)
    host.virtsh("restore", image)
    assert host.state("vm1") == "running (restored)"
    assert qmp(host, "vm1", "query-status")["status"] == "running"
    assert host.virtsh("desc", "vm1").stdout == "while saved\n"
    host.virtsh("managedsave", "vm1")
    assert "Managed save:   yes" in host.virtsh("dominfo", "vm1").stdout
    refused = host.virtsh("undefine", "vm1", check=False)
    assert "managed save image exists" in refused.stderr
    host.virtsh("start", "vm1")
    assert host.state("vm1") == "running (restored)"
    assert "Managed save:   no" in host.virtsh("dominfo", "vm1").stdout
    bad = host.virtsh("restore", edited, check=False)
    assert "image magic is incorrect" in bad.stderr


def test_internal_snapshots(host):
    disk = qcow2(host, "a.qcow2")
    host.define(guest_xml("vm1", "<disk type='file' device='disk'><driver name='qemu' "
                                 "type='qcow2'/><source file='%s'/><target dev='vda' "
                                 "bus='virtio'/></disk>" % disk))
    host.virtsh("snapshot-create-as", "vm1", "cold")
    assert image_snapshots(disk) == ["cold"]
    host.virtsh("start", "vm1")
    host.virtsh("snapshot-create-as", "vm1", "hot", "--description", "running")
    assert image_snapshots(disk) == ["cold", "hot"]
    tree = host.virtsh("snapshot-list", "vm1", "--tree").stdout
    assert tree.startswith("cold\n  |\n  +- hot")
    assert host.virtsh("snapshot-current", "vm1", "--name").stdout.strip() == "hot"
    host.virtsh("snapshot-revert", "vm1", "cold")
    assert host.state("vm1") == "shut off (from snapshot)"
    host.virtsh("snapshot-revert", "vm1", "hot")
    assert host.state("vm1") == "running (from snapshot)"
    assert qmp(host, "vm1", "query-status")["status"] == "running"
    host.virtsh("snapshot-delete", "vm1", "cold", "--children")
    assert image_snapshots(disk) == []
    assert host.virtsh("snapshot-list", "vm1", "--name").stdout.strip() == ""


def test_metadata_rename_and_agent_errors(host):
    host.define(guest_xml("vm1"))
    host.virtsh("desc", "vm1", "--config", "first words")
    host.virtsh("domrename", "vm1", "vm2")
    assert host.virtsh("desc", "vm2").stdout == "first words\n"
    host.virtsh("start", "vm2")
    host.virtsh("desc", "vm2", "--live", "--title", "live title")
    assert host.virtsh("desc", "vm2", "--title").stdout == "live title\n"
    nope = host.virtsh("desc", "vm2", "--title", "--config").stdout
    assert nope.startswith("No title for domain")
    agent = host.virtsh("domtime", "vm2", check=False)
    assert "QEMU guest agent is not configured" in agent.stderr
    running = host.virtsh("domrename", "vm2", "vm3", check=False)
    assert "cannot rename active domain" in running.stderr


def test_tuning_stats_dump_and_monitor(host):
    disk = qcow2(host, "a.qcow2")
    host.define(guest_xml("vm1", "<disk type='file' device='disk'><driver name='qemu' "
                                 "type='qcow2'/><source file='%s'/><target dev='vda' "
                                 "bus='virtio'/></disk>" % disk))
    host.virtsh("start", "vm1")
    host.virtsh("blkdeviotune", "vm1", "vda", "--total-bytes-sec", "1000000", "--live")
    throttled = {b["qdev"]: b for b in qmp(host, "vm1", "query-block")}
    assert throttled["/machine/peripheral/virtio-disk0/virtio-backend"]["inserted"]["bps"] \
        == 1000000
    assert "total_bytes_sec: 1000000" in host.virtsh("blkdeviotune", "vm1", "vda").stdout
    host.virtsh("blockresize", "vm1", "vda", "32M")
    assert "Capacity:       33554432" in host.virtsh("domblkinfo", "vm1", "vda").stdout
    stats = host.virtsh("domstats", "vm1", "--block", "--vcpu").stdout
    assert "  block.0.path=%s\n" % disk in stats and "  vcpu.0.state=1\n" in stats
    mac = host.virtsh("domiflist", "vm1").stdout.split()[-1]
    host.virtsh("domif-setlink", "vm1", mac, "down")
    assert host.virtsh("domif-getlink", "vm1", mac).stdout.strip() == "%s down" % mac
    reply = json.loads(host.virtsh("qemu-monitor-command", "vm1",
                                   '{"execute":"query-status"}').stdout)
    assert reply["return"]["status"] == "running"
    dump = os.path.join(host.root, "mem.dump")
    host.virtsh("dump", "vm1", dump, "--memory-only")
    with open(dump, "rb") as f:
        assert f.read(4) == b"\x7fELF"
    assert host.state("vm1") == "running (unpaused)"      # paused while dumping
    assert "rss " in host.virtsh("dommemstat", "vm1").stdout


def test_block_copy_pivot_and_abort(host):
    disk = qcow2(host, "a.qcow2")
    copy = os.path.join(host.root, "b.qcow2")
    other = os.path.join(host.root, "c.qcow2")
    host.define(guest_xml("vm1", "<disk type='file' device='disk'><driver name='qemu' "
                                 "type='qcow2'/><source file='%s'/><target dev='vda' "
                                 "bus='virtio'/></disk>" % disk))
    host.virtsh("start", "vm1")
    out = host.virtsh("blockcopy", "vm1", "vda", copy, "--wait", "--pivot").stdout
    assert "Successfully pivoted" in out
    backend = "/machine/peripheral/virtio-disk0/virtio-backend"
    block = {b["qdev"]: b for b in qmp(host, "vm1", "query-block")}[backend]
    assert block["inserted"]["file"] == copy
    assert copy in host.virtsh("domblklist", "vm1").stdout
    assert "Now in mirroring phase" in host.virtsh("blockcopy", "vm1", "vda", other,
                                                   "--wait").stdout
    assert host.virtsh("blockjob", "vm1", "vda").stdout.startswith("Block Copy: [100 %]")
    host.virtsh("blockjob", "vm1", "vda", "--abort")
    assert qmp(host, "vm1", "query-block-jobs") == []
    block = {b["qdev"]: b for b in qmp(host, "vm1", "query-block")}[backend]
    assert block["inserted"]["file"] == copy
    busy = host.virtsh("blockjob", "vm1", "vda", "--abort", check=False)
    assert "does not have an active block job" in busy.stderr


def test_iothreads(host):
    host.define(guest_xml("vm1").replace("<vcpu>1</vcpu>",
                                         "<vcpu>1</vcpu><iothreads>1</iothreads>"))
    host.virtsh("start", "vm1")
    assert [t["id"] for t in qmp(host, "vm1", "query-iothreads")] == ["iothread1"]
    host.virtsh("iothreadadd", "vm1", "3", "--live")
    host.virtsh("iothreadpin", "vm1", "3", "0", "--live")
    threads = {t["id"]: t["thread-id"] for t in qmp(host, "vm1", "query-iothreads")}
    assert os.sched_getaffinity(threads["iothread3"]) == {0}
    host.virtsh("iothreaddel", "vm1", "1", "--live")
    assert [t["id"] for t in qmp(host, "vm1", "query-iothreads")] == ["iothread3"]
    listed = host.virtsh("iothreadinfo", "vm1").stdout
    assert " 3             0\n" in listed and " 1 " not in listed
    assert " 1 " in host.virtsh("iothreadinfo", "vm1", "--config").stdout


def test_disk_only_snapshot_and_active_commit(host):
    disk = qcow2(host, "a.qcow2")
    host.define(guest_xml("vm1", "<disk type='file' device='disk'><driver name='qemu' "
                                 "type='qcow2'/><source file='%s'/><target dev='vda' "
                                 "bus='virtio'/></disk>" % disk))
    host.virtsh("start", "vm1")
    host.virtsh("snapshot-create-as", "vm1", "s1", "--disk-only")
    overlay = os.path.join(host.root, "a.s1")
    backend = "/machine/peripheral/virtio-disk0/virtio-backend"
    block = {b["qdev"]: b for b in qmp(host, "vm1", "query-block")}[backend]
    assert block["inserted"]["file"] == overlay
    assert block["inserted"]["image"]["backing-image"]["filename"] == disk
    assert overlay in host.virtsh("domblklist", "vm1", "--inactive").stdout
    assert "disk-snapshot" in host.virtsh("snapshot-list", "vm1").stdout
    refused = host.virtsh("snapshot-revert", "vm1", "s1", check=False)
    assert "external snapshot is not supported" in refused.stderr
    out = host.virtsh("blockcommit", "vm1", "vda", "--active", "--wait", "--pivot").stdout
    assert "Successfully pivoted" in out
    block = {b["qdev"]: b for b in qmp(host, "vm1", "query-block")}[backend]
    assert block["inserted"]["file"] == disk
    assert disk in host.virtsh("domblklist", "vm1").stdout


def test_live_cpu_features_are_asked_once_per_configuration(host):
    """The live <cpu check='full'> lists what the vCPU really has; QEMU is
    asked feature by feature at the first start only, later starts of the
    same configuration read the answer from the cache."""
    cpu = "<cpu mode='custom' match='exact'><model fallback='allow'>qemu64</model></cpu>"
    host.define(guest_xml("cpu1").replace("<vcpu>", cpu + "<vcpu>", 1))
    cache = os.path.join(host.root, "cache", "qemu", "cpufeatures")
    lives = []
    for _ in range(2):
        host.virtsh("start", "cpu1")
        lives.append(host.virtsh("dumpxml", "cpu1", "--xpath", "//cpu").stdout)
        host.virtsh("destroy", "cpu1")
    assert 'check="full"' in lives[0] and '<feature policy=' in lives[0]
    assert lives[0] == lives[1]
    assert len(os.listdir(cache)) == 1
    inactive = host.virtsh("dumpxml", "cpu1", "--xpath", "//cpu").stdout
    assert 'check="partial"' in inactive and "<feature" not in inactive
