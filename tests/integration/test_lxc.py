"""Real containers through the CLI under lxc:///embed?root=TMP: lifecycle,
namespaces, cgroups, veth networking, idmap, errors and re-adoption."""
import os
import signal
import subprocess
import time



def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def memory_limits(lxc):
    """The memory limits (bytes) of the embed root's container cgroups."""
    out = []
    for d in lxc.cgroup_dirs():
        for name in ("memory.limit_in_bytes", "memory.max"):
            if os.path.exists(os.path.join(d, name)):
                with open(os.path.join(d, name)) as f:
                    out.append(int(f.read()))
    return out


def test_lifecycle_through_the_cli(lxc):
    lxc.define("web")
    assert "Domain 'web' started" in lxc.run("start", "web").stdout
    status = lxc.status("web")
    listing = lxc.run("list").stdout
    assert " %d   web    running" % status["id"] in listing
    assert wait_for(lambda: "container up: web web 1" in lxc.console("web"))
    info = dict(line.split(":", 1) for line in lxc.run("dominfo", "web").stdout.splitlines()
                if ":" in line)
    assert info["State"].strip() == "running"
    assert info["OS Type"].strip() == "exe"
    assert info["Max memory"].strip() == "98304 KiB"
    assert 0 < int(info["Used memory"].split()[0]) < 98304
    assert memory_limits(lxc) == [96 * 1024 * 1024]

    entered = lxc.run("lxc-enter-namespace", "web", "--cmd", "/bin/sh", "-c",
                      "hostname; ls /; tr '\\0' ' ' < /proc/1/cmdline")
    lines = entered.stdout.splitlines()
    assert lines[0] == "web"                            # its own UTS namespace
    assert sorted(lines[1:-1]) == sorted(os.listdir(lxc.rootfs))   # its root
    assert lines[-1].strip() == "/bin/sh /sbin/init"   # its pid namespace: init is 1

    lxc.run("suspend", "web")
    assert lxc.run("domstate", "--reason", "web").stdout.strip() == "paused (user)"
    lxc.run("resume", "web")
    assert lxc.run("domstate", "--reason", "web").stdout.strip() == "running (unpaused)"

    old_init = status["init"]
    lxc.run("reboot", "web")
    assert lxc.status("web")["init"] != old_init
    assert wait_for(lambda: lxc.console("web").count("container up: web") == 2)
    assert lxc.run("domstate", "web").stdout.strip() == "running"

    lxc.run("shutdown", "web")
    assert wait_for(lambda: lxc.run("domstate", "--reason", "web").stdout.strip()
                    == "shut off (shutdown)")
    assert "bye" in lxc.console("web")
    assert lxc.cgroup_dirs() == []

    lxc.run("start", "web")
    lxc.run("destroy", "web")
    assert lxc.run("domstate", "--reason", "web").stdout.strip() == "shut off (destroyed)"
    assert lxc.cgroup_dirs() == []

    lxc.run("undefine", "web")
    assert "web" not in lxc.run("list", "--all", "--name").stdout


def test_init_killed_is_reported_crashed(lxc):
    lxc.define("victim")
    lxc.run("start", "victim")
    os.kill(lxc.status("victim")["init"], signal.SIGKILL)
    assert wait_for(lambda: lxc.run("domstate", "--reason", "victim").stdout.strip()
                    == "shut off (crashed)")
    assert lxc.cgroup_dirs() == []


def test_lost_supervisor_is_readopted(lxc):
    lxc.define("orphan")
    lxc.run("start", "orphan")
    before = lxc.status("orphan")
    os.kill(before["pid"], signal.SIGKILL)
    wait_for(lambda: not os.path.exists("/proc/%d/stat" % before["pid"])
             or open("/proc/%d/stat" % before["pid"]).read().split()[2] == "Z")
    assert lxc.run("domstate", "orphan").stdout.strip() == "running"
    assert lxc.status("orphan")["init"] == before["init"]
    lxc.run("destroy", "orphan")
    assert not wait_for(lambda: os.path.exists("/proc/%d" % before["init"]), 0.1) or \
        open("/proc/%d/stat" % before["init"]).read().split()[2] == "Z"
    assert lxc.cgroup_dirs() == []


def test_veth_networking(lxc):
    bridge = "vtbr%d" % (os.getpid() % 10000)
    lxc.links += [bridge, "vtn-eth%d" % (os.getpid() % 1000)]
    subprocess.run(["ip", "link", "add", bridge, "type", "bridge"], check=True)
    host_end = lxc.links[1]
    lxc.define("net", extra_devices="""
    <interface type='bridge'><source bridge='%s'/><ip address='10.231.0.2' prefix='24'/>
      <route address='0.0.0.0' gateway='10.231.0.1'/></interface>
    <interface type='ethernet'><target dev='%s'/><ip address='10.232.0.2' prefix='24'/>
      <guest dev='eth7'/></interface>""" % (bridge, host_end))
    lxc.run("start", "net")
    addresses = lxc.run("domifaddr", "net").stdout
    assert "10.231.0.2/24" in addresses and "10.232.0.2/24" in addresses
    inside = lxc.run("lxc-enter-namespace", "net", "--cmd", "/bin/ip", "route").stdout
    assert "default via 10.231.0.1 dev eth0" in inside
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout
    assert "master %s" % bridge in links and host_end in links
    live = lxc.run("dumpxml", "net").stdout
    assert "<target dev='%s'/>" % host_end in live
    lxc.run("destroy", "net")
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout
    assert host_end not in links and "master %s" % bridge not in links


def test_user_namespace_from_idmap(lxc):
    path = os.path.dirname(lxc.rootfs)        # the mapped root must reach its root fs
    while path not in ("/", "/tmp"):
        os.chmod(path, os.stat(path).st_mode | 0o055)
        path = os.path.dirname(path)
    lxc.define("mapped", extra="""
  <idmap><uid start='0' target='200000' count='65536'/>
         <gid start='0' target='200000' count='65536'/></idmap>""")
    lxc.run("start", "mapped")
    with open("/proc/%d/status" % lxc.status("mapped")["init"]) as f:
        uids = [line for line in f if line.startswith("Uid:")][0].split()[1:]
    assert uids == ["200000"] * 4
    inside = lxc.run("lxc-enter-namespace", "mapped", "--cmd", "/bin/cat",
                     "/proc/self/uid_map").stdout.split()
    assert inside == ["0", "200000", "65536"]


def assert_failed_cleanly(lxc, name, proc, message):
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == ["error: Failed to start domain '%s'" % name,
                                        "error: " + message]
    assert lxc.run("domstate", "--reason", name).stdout.strip() == "shut off (failed)"
    assert lxc.cgroup_dirs() == []
    with open("/proc/mounts") as f:
        assert lxc.rootfs not in f.read()


def test_start_errors_leave_nothing_behind(lxc):
    lxc.define("noinit", init="/sbin/missing")
    assert_failed_cleanly(lxc, "noinit", lxc.run("start", "noinit", check=False),
                          "internal error: guest failed to start: Failure in libvirt_lxc "
                          "startup: cannot find init path '/sbin/missing' relative to "
                          "container root: No such file or directory")

    lxc.define("noroot")
    os.rename(lxc.rootfs, lxc.rootfs + ".away")
    try:
        assert_failed_cleanly(lxc, "noroot", lxc.run("start", "noroot", check=False),
                              "internal error: guest failed to start: Failure in "
                              "libvirt_lxc startup: Failed to resolve symlink at %s: No "
                              "such file or directory" % lxc.rootfs)
    finally:
        os.rename(lxc.rootfs + ".away", lxc.rootfs)

    lxc.define("badmap", extra="""
  <idmap><uid start='0' target='100000' count='10'/><uid start='0' target='300000' count='10'/>
         <gid start='0' target='100000' count='10'/></idmap>""")
    proc = lxc.run("start", "badmap", check=False)
    assert proc.returncode == 1
    assert "unable write to /proc/" in proc.stderr and "uid_map: Invalid argument" in proc.stderr
    assert lxc.cgroup_dirs() == []

    lxc.define("tmpl", extra_devices="""
    <filesystem type='template'><source name='base'/><target dir='/opt'/></filesystem>""")
    assert_failed_cleanly(lxc, "tmpl", lxc.run("start", "tmpl", check=False),
                          "internal error: guest failed to start: Failure in libvirt_lxc "
                          "startup: Unexpected filesystem type template")
    assert lxc.run("list", "--name").stdout.strip() == ""


def test_console_reaches_the_containers_shell(lxc):
    import pty
    import select
    from lxc_env import VIRTSH
    lxc.define("tty", init="/bin/sh")
    lxc.run("start", "tty")
    master, slave = pty.openpty()
    console = subprocess.Popen(VIRTSH + ["-c", lxc.uri, "console", "tty"],
                               stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    seen = b""

    def read_until(marker):
        nonlocal seen
        deadline = time.monotonic() + 2
        while marker not in seen and time.monotonic() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                seen += os.read(master, 4096)
        return marker in seen

    try:
        assert read_until(b"Escape character is ^] (Ctrl + ])")
        for _ in range(50):                         # until the shell prompts
            os.write(master, b"\r")
            if read_until(b"# ") or console.poll() is not None:
                break
        os.write(master, b"echo $((6 * 7))\r")
        assert read_until(b"42")
        os.write(master, b"\x1d")                  # ^] leaves the console
        assert console.wait(10) == 0
    finally:
        if console.poll() is None:
            console.kill()
        os.close(master)
    assert lxc.run("domstate", "tty").stdout.strip() == "running"


def test_setmem_changes_the_live_limit(lxc):
    lxc.define("mem")
    lxc.run("start", "mem")
    lxc.run("setmem", "mem", "65536", "--live")
    assert "<currentMemory unit='KiB'>65536</currentMemory>" in lxc.run("dumpxml", "mem").stdout
    assert memory_limits(lxc) == [65536 * 1024]
    assert "<currentMemory unit='KiB'>98304</currentMemory>" in \
        lxc.run("dumpxml", "--inactive", "mem").stdout
