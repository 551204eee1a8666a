"""Control groups and CPU pinning of running QEMU guests: the values the
tuning commands report and set are checked in the cgroup files and in
the affinity of QEMU's threads."""
import json
import os

import pytest

from qemu_env import guest_xml, needs_qemu, qmp

CPU_ROOT = "/sys/fs/cgroup/cpu"
pytestmark = [needs_qemu, pytest.mark.skipif(
    os.geteuid() != 0 or not os.path.exists(os.path.join(CPU_ROOT, "cpu.shares")),
    reason="needs root and cgroup v1 CPU, memory, cpuset and blkio controllers")]



def group_dir(host, controller, name):
    """The guest's group of *controller*, as its status records it."""
    with open(os.path.join(host.root, "run", "qemu", name + ".status")) as f:
        group = json.load(f)["cgroup"]
    assert group["relpath"].startswith("machine/qemu-embed-")
    return os.path.join(group["v1"][controller], group["relpath"])


def read(path):
    with open(path) as f:
        return f.read().strip()


def params(host, command, *args):
    out = host.virtsh(command, *args).stdout
    return dict((k.strip(), v.strip()) for k, _, v in
                (line.partition(":") for line in out.splitlines() if ":" in line))


def test_start_places_qemu_and_its_vcpus_and_applies_the_tuning(host):
    xml = guest_xml("tun1").replace(
        "<vcpu>1</vcpu>",
        "<vcpu>1</vcpu><cputune><shares>512</shares><quota>40000</quota></cputune>"
        "<memtune><hard_limit unit='MiB'>512</hard_limit></memtune>")
    host.define(xml)
    assert params(host, "schedinfo", "tun1")["cpu_shares"] == "512"    # the config
    host.virtsh("start", "tun1")
    top = group_dir(host, "cpu", "tun1")
    pid = int(read(os.path.join(host.root, "run", "qemu", "tun1.pid")))
    assert str(pid) in read(os.path.join(top, "emulator", "cgroup.procs")).split()
    vcpu = qmp(host, "tun1", "query-cpus-fast")[0]["thread-id"]
    assert str(vcpu) in read(os.path.join(top, "vcpu0", "tasks")).split()
    assert str(vcpu) not in read(os.path.join(top, "emulator", "tasks")).split()
    assert read(os.path.join(top, "cpu.shares")) == "512"
    assert read(os.path.join(top, "vcpu0", "cpu.cfs_quota_us")) == "40000"
    assert read(os.path.join(group_dir(host, "memory", "tun1"), "memory.limit_in_bytes")) == \
        str(512 << 20)
    live = host.virtsh("dumpxml", "tun1").stdout
    assert "<partition>/machine</partition>" in live and "check='full'" in live
    assert "<resource>" not in host.virtsh("dumpxml", "tun1", "--inactive").stdout
    dirs = [group_dir(host, c, "tun1") for c in ("cpu", "cpuset", "memory", "blkio")]
    host.virtsh("destroy", "tun1")
    assert not [d for d in dirs if os.path.exists(d)]


def test_live_tuning_is_written_to_and_read_from_the_cgroup(host):
    host.define(guest_xml("tun2"))
    host.virtsh("start", "tun2")
    top = group_dir(host, "cpu", "tun2")
    pid = read(os.path.join(host.root, "run", "qemu", "tun2.pid"))
    memory = group_dir(host, "memory", "tun2")
    assert pid in read(os.path.join(memory, "emulator", "cgroup.procs")).split()
    # every guest joins the CPU controller's groups at start, as with libvirt
    assert pid in read(os.path.join(top, "emulator", "cgroup.procs")).split()
    assert params(host, "schedinfo", "tun2")["cpu_shares"] == "1024"
    sched = params(host, "schedinfo", "tun2", "--set", "cpu_shares=2048",
                   "--set", "vcpu_quota=50000", "--set", "emulator_period=20000")
    assert (sched["cpu_shares"], sched["vcpu_quota"], sched["emulator_period"]) == \
        ("2048", "50000", "20000")
    assert read(os.path.join(top, "cpu.shares")) == "2048"
    assert read(os.path.join(top, "vcpu0", "cpu.cfs_quota_us")) == "50000"
    assert read(os.path.join(top, "emulator", "cpu.cfs_period_us")) == "20000"
    with open(os.path.join(top, "cpu.shares"), "w") as f:       # changed behind our back
        f.write("3000")
    assert params(host, "schedinfo", "tun2")["cpu_shares"] == "3000"
    bad = host.virtsh("schedinfo", "tun2", "--set", "vcpu_period=500", check=False)
    assert "value of 'vcpu_period' is out of range [1000, 1000000]" in bad.stderr

    host.virtsh("memtune", "tun2", "--hard-limit", "1048576", "--swap-hard-limit", "2097152")
    assert read(os.path.join(memory, "memory.limit_in_bytes")) == str(1 << 30)
    assert params(host, "memtune", "tun2")["hard_limit"] == "1048576"
    assert "<hard_limit unit='KiB'>1048576</hard_limit>" in host.virtsh("dumpxml", "tun2").stdout
    host.virtsh("memtune", "tun2", "--hard-limit", "-1", "--swap-hard-limit", "-1")
    assert params(host, "memtune", "tun2")["hard_limit"] == "unlimited"

    blkio = group_dir(host, "blkio", "tun2")
    weight = next(f for f in ("blkio.weight", "blkio.bfq.weight")
                  if os.path.exists(os.path.join(blkio, f)))
    host.virtsh("blkiotune", "tun2", "--weight", "300")
    assert read(os.path.join(blkio, weight)).split()[-1] == "300"
    assert params(host, "blkiotune", "tun2")["weight"] == "300"

    host.virtsh("numatune", "tun2", "--nodeset", "0")
    assert read(os.path.join(group_dir(host, "cpuset", "tun2"), "vcpu0", "cpuset.mems")) == "0"
    refused = host.virtsh("numatune", "tun2", "--mode", "interleave", check=False)
    assert "can't change numatune mode for running domain" in refused.stderr
    assert params(host, "schedinfo", "tun2", "--config")["cpu_shares"] == "0"
    host.virtsh("destroy", "tun2")


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two host CPUs")
def test_pinning_reaches_the_vcpu_and_emulator_threads(host):
    host.define(guest_xml("pin1").replace("<vcpu>1</vcpu>",
                                          "<vcpu current='1'>2</vcpu>"))
    host.virtsh("start", "pin1")
    host.virtsh("setvcpus", "pin1", "2", "--live")
    assert host.virtsh("vcpucount", "pin1", "--live", "--current").stdout.strip() == "2"
    threads = {c["cpu-index"]: c["thread-id"] for c in qmp(host, "pin1", "query-cpus-fast")}
    assert len(threads) == 2
    host.virtsh("vcpupin", "pin1", "1", "1", "--live")
    assert os.sched_getaffinity(threads[1]) == {1}
    assert os.sched_getaffinity(threads[0]) == set(os.sched_getaffinity(0))
    info = host.virtsh("vcpuinfo", "pin1").stdout
    assert "CPU Affinity:   -y" in info         # vCPU 1 on host CPU 1 only
    pid = int(read(os.path.join(host.root, "run", "qemu", "pin1.pid")))
    host.virtsh("emulatorpin", "pin1", "0", "--live")
    early = [int(t) for t in os.listdir("/proc/%d/task" % pid)
             if int(t) < min(threads.values())]
    assert len(early) > 1 and all(os.sched_getaffinity(t) == {0} for t in early)
    assert host.virtsh("emulatorpin", "pin1").stdout.split()[-1] == "0"
    host.virtsh("destroy", "pin1")


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two host CPUs")
def test_pinning_of_the_definition_is_applied_at_start(host):
    host.define(guest_xml("pin2").replace(
        "<vcpu>1</vcpu>", "<vcpu cpuset='1'>2</vcpu>"
        "<cputune><vcpupin vcpu='0' cpuset='0'/></cputune>"))
    host.virtsh("start", "pin2")
    threads = {c["cpu-index"]: c["thread-id"] for c in qmp(host, "pin2", "query-cpus-fast")}
    assert os.sched_getaffinity(threads[0]) == {0}
    assert os.sched_getaffinity(threads[1]) == {1}
    pid = int(read(os.path.join(host.root, "run", "qemu", "pin2.pid")))
    # the emulator's threads of before the vCPUs (later ones may be started
    # by a vCPU thread, whose affinity they inherit)
    early = [int(t) for t in os.listdir("/proc/%d/task" % pid)
             if int(t) < min(threads.values())]
    assert pid in early and all(os.sched_getaffinity(t) == {1} for t in early)
    host.virtsh("destroy", "pin2")
