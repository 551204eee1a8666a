"""The container's side of a start: runs in processes forked by the supervisor.

``first_process`` (C1) joins the cgroup, creates the namespaces (after
the supervisor has written the user namespace's id maps, when there is an
``<idmap>``), waits for its network ends, forks the container's init
(pid 1 of the new pid namespace) and reaps it; its exit status tells the
supervisor how init ended.  ``init_process`` builds the container's
filesystem tree, pivots into it and execs ``<init>``.  Every failure is
reported as one ``error`` line on the report pipe.
"""
import fcntl
import grp
import os
import pwd
import signal
import termios

from virtsh.drivers.lxc import syscalls as sc

EXIT_REBOOT, EXIT_SIGNALLED, EXIT_SETUP = 200, 201, 202
DEV_NODES = ("null", "zero", "full", "random", "urandom", "tty")
SHARE_FLAGS = {"sharenet": sc.CLONE_NEWNET, "shareipc": sc.CLONE_NEWIPC,
               "shareuts": sc.CLONE_NEWUTS}


def first_process(plan, cgroup, console_path, control, report):  # pragma: no cover
    """C1: *control* (read) and *report* (write) are pipes to the supervisor."""
    try:
        cgroup.attach(os.getpid())
        if plan["uidmap"]:
            sc.unshare(sc.CLONE_NEWUSER)
            _say(report, "userns")
            _wait(control)
            os.setresgid(0, 0, 0)
            os.setresuid(0, 0, 0)
        flags = sc.CLONE_NEWNS | sc.CLONE_NEWUTS | sc.CLONE_NEWIPC | sc.CLONE_NEWPID | sc.CLONE_NEWNET
        shared = _open_shares(plan["shares"])
        for kind in shared:
            flags &= ~SHARE_FLAGS[kind]
        sc.unshare(flags)
        for kind, fd in shared.items():
            sc.setns(fd, SHARE_FLAGS[kind])
            os.close(fd)
        _say(report, "netns")
        _wait(control)
    except OSError as e:
        _fail(report, e.strerror or str(e))
        os._exit(EXIT_SETUP)
    pid = os.fork()
    if pid == 0:
        try:
            init_process(plan, console_path, report)
        except OSError as e:
            _fail(report, _describe(e))
        except Exception as e:  # whatever went wrong, never run on as a copy of C1
            _fail(report, str(e))
        os._exit(EXIT_SETUP)
    _say(report, "init %d" % pid)
    os.close(report)
    os.close(control)
    _, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status):
        os._exit(min(os.WEXITSTATUS(status), 199))
    os._exit(EXIT_REBOOT if os.WTERMSIG(status) == signal.SIGHUP else EXIT_SIGNALLED)


def _open_shares(shares):
    """Namespace fds the container joins instead of creating its own."""
    fds = {}
    for kind, (how, value) in shares.items():
        ns = {"sharenet": "net", "shareipc": "ipc", "shareuts": "uts"}[kind]
        path = ("/var/run/netns/%s" % value if how == "netns"
                else "/proc/%s/ns/%s" % (value, ns))
        fds[kind] = os.open(path, os.O_RDONLY)
    return fds


def _describe(err):
    """An OSError as libvirt words a system error: what failed, then why."""
    if err.filename and err.errno:
        return "%s: %s" % (err.filename, os.strerror(err.errno))
    return err.strerror or str(err)


def _fail(fd, message):
    _say(fd, "error Failure in libvirt_lxc startup: " + message)


def _say(fd, line):
    os.write(fd, (line + "\n").encode())


def _wait(fd):
    if not os.read(fd, 64):
        os._exit(EXIT_SETUP)


def init_process(plan, console_path, report):  # pragma: no cover
    """C2, pid 1 of the container: build the tree, pivot, exec init."""
    sc.mount(None, "/", None, sc.MS_REC | sc.MS_PRIVATE)
    if plan["nets"] and "sharenet" not in plan["shares"]:
        from virtsh.drivers.lxc import netdev
        try:
            netdev.configure_guest_ends(plan["nets"])
        except netdev.NetError as e:
            raise OSError(0, str(e)) from None
    _load_user_lookup()
    root = plan["root"]
    if root:
        sc.mount(root, root, None, sc.MS_BIND | sc.MS_REC)
    else:
        root = "/"
    for kind, source, target, readonly in sorted(plan["mounts"], key=lambda m: m[2]):
        _mount_fs(root, kind, source, target, readonly)
    _mount_system(root, console_path)
    if root != "/":
        os.chdir(root)          # pivot with the old root stacked on the new,
        sc.pivot_root(".", ".")  # then detach it: no directory needed in root
        sc.umount2(".", sc.MNT_DETACH)
        os.chdir("/")
    if "shareuts" not in plan["shares"]:
        sc.sethostname(plan["name"])
    init = plan["init"]
    if not os.access(init, os.X_OK):
        raise OSError(0, "cannot find init path '%s' relative to container root: %s"
                      % (init, os.strerror(2)))
    _enter_console()
    _switch_user(plan)
    os.chdir(plan["initdir"])
    env = {"PATH": "/bin:/usr/bin", "TERM": "linux", "HOME": "/",
           "container": "lxc-libvirt", "container_uuid": plan["uuid"],
           "LIBVIRT_LXC_UUID": plan["uuid"], "LIBVIRT_LXC_NAME": plan["name"]}
    env.update(dict(plan["initenv"]))
    os.close(report)
    os.execve(init, [init] + plan["initargs"], env)


def _load_user_lookup():
    """Load the C library's passwd/group backends while the host's files are
    visible; after the pivot they read the container's /etc."""
    for lookup in (pwd.getpwuid, grp.getgrgid):
        try:
            lookup(0)
        except KeyError:
            pass


def _inside(root, target):
    return os.path.join(root, target.lstrip("/"))


def _mount_fs(root, kind, source, target, readonly):
    dest = _inside(root, target)
    os.makedirs(dest, exist_ok=True)
    if kind == "ram":
        sc.mount("tmpfs", dest, "tmpfs", sc.MS_NOSUID | sc.MS_NODEV,
                 "size=%sk,mode=755" % source)
    elif kind == "block":
        sc.mount(source, dest, _fs_type(source), sc.MS_RDONLY if readonly else 0)
        return
    else:
        sc.mount(source, dest, None, sc.MS_BIND | sc.MS_REC)
    if readonly:
        sc.mount(None, dest, None, sc.MS_BIND | sc.MS_REMOUNT | sc.MS_RDONLY)


def _fs_type(device):
    """The first block file system type the kernel knows that mounts *device*."""
    with open("/proc/filesystems") as f:
        types = [line.split()[0] for line in f if not line.startswith("nodev")]
    return types[0] if types else "ext4"


def _mount_system(root, console_path):
    """/proc, /sys, /dev (devices bound from the host, pts, console), /dev/shm."""
    for sub in ("proc", "sys", "dev"):
        os.makedirs(_inside(root, sub), exist_ok=True)
    sc.mount("proc", _inside(root, "proc"), "proc", sc.MS_NOSUID | sc.MS_NODEV | sc.MS_NOEXEC)
    sc.mount("sysfs", _inside(root, "sys"), "sysfs",
             sc.MS_NOSUID | sc.MS_NODEV | sc.MS_NOEXEC | sc.MS_RDONLY)
    dev = _inside(root, "dev")
    sc.mount("devfs", dev, "tmpfs", sc.MS_NOSUID, "mode=755,size=65536k")
    for node in DEV_NODES + ("console",):
        path = os.path.join(dev, node)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o666))
        sc.mount(console_path if node == "console" else "/dev/" + node, path, None, sc.MS_BIND)
    os.makedirs(os.path.join(dev, "pts"))
    sc.mount("devpts", os.path.join(dev, "pts"), "devpts", sc.MS_NOSUID | sc.MS_NOEXEC,
             "newinstance,ptmxmode=0666,mode=0620")
    os.symlink("pts/ptmx", os.path.join(dev, "ptmx"))
    os.makedirs(os.path.join(dev, "shm"))
    sc.mount("shm", os.path.join(dev, "shm"), "tmpfs", sc.MS_NOSUID | sc.MS_NODEV,
             "mode=1777")
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, os.path.join(dev, name))


def _enter_console():
    """Make /dev/console init's controlling terminal and standard streams."""
    os.setsid()
    fd = os.open("/dev/console", os.O_RDWR)
    fcntl.ioctl(fd, termios.TIOCSCTTY, 0)
    for std in (0, 1, 2):
        os.dup2(fd, std)
    if fd > 2:
        os.close(fd)


def _switch_user(plan):
    group, user = plan["initgroup"], plan["inituser"]
    if group:
        gid = int(group) if group.isdigit() else grp.getgrnam(group).gr_gid
        os.setgroups([])
        os.setgid(gid)
    if user:
        uid = int(user) if user.isdigit() else pwd.getpwnam(user).pw_uid
        if not group:
            os.setgroups([])
        os.setuid(uid)
