"""A real OpenSSH server on 127.0.0.1 for the remote driver's tests and
benchmark: its own host key, an authorized client key and known_hosts, all
in a temporary directory.  The far virtsh is the one beside sys.executable."""
import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

SSHD = "/usr/sbin/sshd"
FAR_VIRTSH = os.path.join(os.path.dirname(sys.executable), "virtsh")


def missing_reason():
    """Why no test sshd can run here, or None."""
    if not os.path.exists(SSHD):
        return "OpenSSH's sshd is not installed (%s)" % SSHD
    if not shutil.which("ssh-keygen"):
        return "ssh-keygen is not installed"
    if os.geteuid() != 0 and not os.path.isdir("/run/sshd"):
        return "sshd needs /run/sshd, which only root can create"
    if not os.path.exists(FAR_VIRTSH):
        return "no virtsh beside %s" % sys.executable
    return None


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def keygen(path):
    """A new passphrase-less ed25519 key pair at *path* and *path*.pub."""
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "virtsh-test",
                    "-f", path], check=True)
    with open(path + ".pub") as f:
        return f.read().strip()


class Sshd:
    """One sshd process and the client-side files to reach it."""

    def __init__(self, directory):
        self.dir = directory
        self.port = _free_port()
        self.host_key_pub = keygen(os.path.join(directory, "host_key"))
        self.client_key = os.path.join(directory, "client_key")
        client_pub = keygen(self.client_key)
        with open(os.path.join(directory, "authorized_keys"), "w") as f:
            f.write(client_pub + "\n")
        self.known_hosts = os.path.join(directory, "known_hosts")
        self.write_known_hosts(self.host_key_pub)
        config = os.path.join(directory, "sshd_config")
        with open(config, "w") as f:
            f.write("\n".join([
                "Port %d" % self.port, "ListenAddress 127.0.0.1",
                "HostKey %s/host_key" % directory,
                "PidFile %s/sshd.pid" % directory,
                "AuthorizedKeysFile %s/authorized_keys" % directory,
                "StrictModes no", "UsePAM no", "PermitRootLogin prohibit-password",
                "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                "AllowTcpForwarding yes", "LogLevel ERROR", ""]))
        if not os.path.isdir("/run/sshd"):
            os.makedirs("/run/sshd")                # sshd's privilege separation dir
        self.user = getpass.getuser()
        self.log = open(os.path.join(directory, "sshd.log"), "w")
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", config],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_listening()

    def write_known_hosts(self, public_key):
        """Make *public_key* (``type base64 ...``) the known key of this server."""
        with open(self.known_hosts, "w") as f:
            f.write("[127.0.0.1]:%d %s\n" % (self.port, " ".join(public_key.split()[:2])))

    def _wait_listening(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                with open(self.log.name) as f:
                    raise RuntimeError("sshd exited: " + f.read())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("sshd did not start listening on port %d" % self.port)

    def uri(self, path="/default", driver="test", **params):
        """A DRIVER+ssh URI to this server with the test's keys."""
        params.setdefault("known_hosts", self.known_hosts)
        params.setdefault("keyfile", self.client_key)
        params.setdefault("virtsh", FAR_VIRTSH)
        query = "&".join("%s=%s" % kv for kv in params.items() if kv[1] is not None)
        return "%s+ssh://%s@127.0.0.1:%d%s?%s" % (driver, self.user, self.port, path, query)

    def session_pids(self):
        """Pids of this server's per-connection processes (its descendants)."""
        children = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open("/proc/%s/stat" % entry) as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
        found, todo = [], [self.proc.pid]
        while todo:
            for child in children.get(todo.pop(), ()):
                found.append(child)
                todo.append(child)
        return found

    def stop(self):
        for pid in self.session_pids():
            try:
                os.kill(pid, signal.SIGCONT)
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.terminate()
        self.proc.wait(10)
        self.log.close()
