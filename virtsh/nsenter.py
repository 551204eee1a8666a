"""Running a command inside a container's namespaces (lxc-enter-namespace).

As virsh does: fork once (virsh itself stays where it is), enter the
namespaces, fork again (a pid namespace applies to children only), exec
the command and wait; a failure anywhere shows as the first child's exit
status 255.
"""
import os


def run(fds, argv):
    """Run *argv* in the namespaces *fds*; None, or the error message."""
    from virtsh.drivers.lxc.syscalls import setns
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the forked processes
        try:
            for fd in fds:
                setns(fd)
                os.close(fd)
            _become_root()
            inner = os.fork()
            if inner == 0:
                try:
                    os.execv(argv[0], argv)
                finally:
                    os._exit(255)
            _, status = os.waitpid(inner, 0)
            os._exit(0 if os.waitstatus_to_exitcode(status) == 0 else 255)
        finally:
            os._exit(255)
    for fd in fds:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        return None
    if code < 0:
        return "Child process (%d) unexpected fatal signal %d" % (pid, -code)
    return "Child process (%d) unexpected exit status %d" % (pid, code)


def _become_root():
    """Be the container's root (inside a user namespace, ids start unmapped)."""
    try:
        os.setgroups([])
        os.setresgid(0, 0, 0)
        os.setresuid(0, 0, 0)
    except OSError:
        pass
