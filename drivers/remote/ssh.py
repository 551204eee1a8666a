"""The SSH session to the far host, with paramiko, and the helper's channel.

Where to go comes from the URI and the user's ~/.ssh/config (Host aliases,
HostName, User, Port, IdentityFile, UserKnownHostsFile, ProxyJump,
ProxyCommand).  The host key is checked against known_hosts unless
``?no_verify=1`` (or libvirt's ``?known_hosts_verify=ignore``; ``auto``
records the key of a host seen for the first time); an unknown or changed
key is refused, naming the host and the key's fingerprint.  Identities: ``?keyfile=``, the config's
IdentityFile, the agent, then ~/.ssh/id_*.  Passphrases and passwords are
asked only when stdin is a terminal.  The far virtsh (``?virtsh=PATH``,
default ``virtsh`` on the far PATH) runs in its helper mode on an exec
channel; the command line is built from quoted words only.
"""
import base64
import getpass
import hashlib
import os
import shlex
import socket
import sys
import threading

import paramiko

from virtsh.drivers.errors import (VirtError, AUTH_FAILED, INTERNAL_ERROR, SSH,
                                   SYSTEM_ERROR)

CONNECT_TIMEOUT = 30
_DEFAULT_KEYS = ("id_ed25519", "id_ecdsa", "id_rsa")


def fingerprint(key):
    """OpenSSH's form: SHA256:<base64 without padding>."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def ssh_config():
    """The user's ~/.ssh/config (empty when there is none)."""
    path = os.path.expanduser("~/.ssh/config")
    if os.path.exists(path):
        try:
            return paramiko.SSHConfig.from_path(path)
        except (OSError, paramiko.SSHException):
            pass
    return paramiko.SSHConfig()


def _split_target(text):
    """[user@]host[:port] of a ProxyJump entry."""
    user, _, rest = text.rpartition("@")
    if rest.startswith("["):
        host, _, port = rest[1:].partition("]")
        port = port[1:]
    else:
        host, _, port = rest.partition(":")
    return user or None, host, int(port) if port else None


class Endpoint:
    """One SSH server to log in to, settled from the URI and ssh config."""

    def __init__(self, config, alias, user=None, port=None, keyfile=None,
                 known_hosts=None, verify="normal"):
        found = config.lookup(alias)
        self.hostname = found.get("hostname", alias)
        self.user = user or found.get("user") or getpass.getuser()
        self.port = port or int(found.get("port", 22))
        self.keyfiles = ([keyfile] if keyfile else []) + found.get("identityfile", [])
        if known_hosts:
            self.known_hosts = [known_hosts]
        else:
            self.known_hosts = (found.get("userknownhostsfile", "").split()
                                or ["~/.ssh/known_hosts"]) + ["/etc/ssh/ssh_known_hosts"]
        self.known_hosts = [os.path.expanduser(p) for p in self.known_hosts]
        self.verify = verify
        self.proxyjump = found.get("proxyjump")
        if self.proxyjump and self.proxyjump.lower() == "none":
            self.proxyjump = None
        self.proxycommand = found.get("proxycommand")
        self.config = config

    def label(self):
        """The host as known_hosts names it: host, or [host]:port."""
        if self.port == 22:
            return self.hostname
        return "[%s]:%d" % (self.hostname, self.port)


def open_transport(endpoint):
    """An authenticated paramiko Transport to *endpoint*, and the
    transports of the ProxyJump hosts it goes through (to close with it)."""
    hops = []
    try:
        if endpoint.proxyjump:
            for hop in endpoint.proxyjump.split(","):
                user, host, port = _split_target(hop.strip())
                jump = Endpoint(endpoint.config, host, user, port, verify=endpoint.verify)
                jump.proxyjump = None
                if hops:
                    sock = _forward(hops[-1], jump)
                else:
                    sock = _socket_to(jump)
                hops.append(_login(jump, sock))
            sock = _forward(hops[-1], endpoint)
        else:
            sock = _socket_to(endpoint)
        return _login(endpoint, sock), hops
    except BaseException:
        for transport in hops:
            transport.close()
        raise


def _login(endpoint, sock):
    """SSH handshake, host key check and authentication over *sock*."""
    known = _known_keys(endpoint)
    transport = paramiko.Transport(sock)
    if known:       # ask for a key type known_hosts has, as ssh does
        options = transport.get_security_options()
        options.key_types = sorted(options.key_types,
                                   key=lambda kind: _key_name(kind) not in known)
    try:
        try:
            transport.start_client(timeout=CONNECT_TIMEOUT)
        except (paramiko.SSHException, EOFError, OSError) as e:
            raise VirtError(SSH, "SSH handshake with '%s' failed: %s"
                            % (endpoint.label(), e or type(e).__name__)) from None
        _check_host_key(endpoint, known, transport.get_remote_server_key())
        _authenticate(endpoint, transport)
    except BaseException:
        transport.close()
        raise
    return transport


def _socket_to(endpoint):
    """A direct socket (or the ProxyCommand's pipe) to *endpoint*."""
    if endpoint.proxycommand and endpoint.proxycommand.lower() != "none":
        return paramiko.ProxyCommand(endpoint.proxycommand)
    try:
        return socket.create_connection((endpoint.hostname, endpoint.port),
                                        timeout=CONNECT_TIMEOUT)
    except socket.gaierror as e:
        raise VirtError(SYSTEM_ERROR, "Unable to resolve address '%s' service '%s': %s"
                        % (endpoint.hostname, endpoint.port, e.strerror)) from None
    except OSError as e:
        raise VirtError(SYSTEM_ERROR, "unable to connect to server at '%s:%s': %s"
                        % (endpoint.hostname, endpoint.port,
                           e.strerror or "Connection timed out")) from None


def _forward(transport, endpoint):
    try:
        return transport.open_channel("direct-tcpip", (endpoint.hostname, endpoint.port),
                                      ("127.0.0.1", 0), timeout=CONNECT_TIMEOUT)
    except (paramiko.SSHException, OSError) as e:
        raise VirtError(SYSTEM_ERROR, "unable to connect to server at '%s:%s': %s"
                        % (endpoint.hostname, endpoint.port, e)) from None


# --- host key ------------------------------------------------------------------
def _key_name(algorithm):
    """The key type a host key algorithm uses (rsa-sha2-256: ssh-rsa)."""
    return "ssh-rsa" if algorithm.startswith("rsa-sha2-") else algorithm


def _known_keys(endpoint):
    """{key type: key} that known_hosts holds for *endpoint*."""
    if endpoint.verify == "ignore":
        return {}
    known = paramiko.HostKeys()
    for path in endpoint.known_hosts:
        if os.path.exists(path):
            try:
                known.load(path)
            except (OSError, paramiko.SSHException):
                continue
    return dict(known.lookup(endpoint.label()) or {})


def _check_host_key(endpoint, entries, key):
    if endpoint.verify == "ignore" or entries.get(key.get_name()) == key:
        return
    label = endpoint.label()
    offered = "%s key %s" % (key.get_name(), fingerprint(key))
    files = " ".join(endpoint.known_hosts)
    if not entries and endpoint.verify == "auto":
        _remember(endpoint.known_hosts[0], label, key)
        return
    if entries:
        raise VirtError(SSH, "host key verification failed: the host key of '%s' "
                        "has changed (it offers %s, which does not match %s); "
                        "possible man-in-the-middle attack" % (label, offered, files))
    raise VirtError(SSH, "host key verification failed: '%s' is not a known host "
                    "(it offers %s, not found in %s); add it to known_hosts "
                    "or connect with no_verify=1" % (label, offered, files))


def _remember(path, label, key):
    """Append a first-seen host key to known_hosts (verify mode "auto")."""
    try:
        os.makedirs(os.path.dirname(path) or ".", mode=0o700, exist_ok=True)
        with open(path, "a") as f:
            f.write("%s %s %s\n" % (label, key.get_name(), key.get_base64()))
    except OSError as e:
        raise VirtError(SSH, "cannot record the host key of '%s' in %s: %s"
                        % (label, path, e.strerror)) from None


# --- authentication ------------------------------------------------------------
def _on_terminal():
    try:
        return os.isatty(sys.stdin.fileno())
    except (AttributeError, ValueError, OSError):
        return False


def _load_key(path, tried):
    try:
        return paramiko.PKey.from_path(path)
    except (paramiko.PasswordRequiredException, TypeError):
        # (paramiko says TypeError for an encrypted key in OpenSSH's format)
        if not _on_terminal():
            tried.append("%s (needs a passphrase, no terminal to ask it)" % path)
            return None
        phrase = getpass.getpass("Enter passphrase for key '%s': " % path)
        try:
            return paramiko.PKey.from_path(path, password=phrase.encode("utf-8"))
        except (paramiko.SSHException, ValueError):
            tried.append("%s (wrong passphrase)" % path)
    except (OSError, paramiko.SSHException, ValueError) as e:
        tried.append("%s (%s)" % (path, e))
    return None


def _candidate_keys(endpoint, tried):
    """Keys to offer, best first (lazily: a passphrase is asked only when
    the earlier ones failed)."""
    for path in endpoint.keyfiles:
        key = _load_key(os.path.expanduser(path), tried)
        if key is not None:
            yield "key file %s" % path, key
    try:
        agent_keys = paramiko.Agent().get_keys()
    except paramiko.SSHException:
        agent_keys = ()
    for key in agent_keys:
        yield "agent key %s" % fingerprint(key), key
    if endpoint.keyfiles:
        return
    for name in _DEFAULT_KEYS:
        path = os.path.expanduser("~/.ssh/" + name)
        if os.path.exists(path):
            key = _load_key(path, tried)
            if key is not None:
                yield "key file %s" % path, key


def _authenticate(endpoint, transport):
    tried = []
    allowed = None
    for what, key in _candidate_keys(endpoint, tried):
        try:
            transport.auth_publickey(endpoint.user, key)
            return
        except paramiko.BadAuthenticationType as e:
            allowed = e.allowed_types
            break
        except paramiko.AuthenticationException:
            tried.append(what)
        except paramiko.SSHException as e:
            raise VirtError(SSH, str(e)) from None
    if allowed is None:
        allowed = _allowed_methods(endpoint, transport)
    if _on_terminal() and ("password" in allowed or "keyboard-interactive" in allowed):
        for _ in range(3):
            secret = getpass.getpass("%s@%s's password: " % (endpoint.user, endpoint.hostname))
            try:
                if "password" in allowed:
                    transport.auth_password(endpoint.user, secret)
                else:
                    transport.auth_interactive(
                        endpoint.user, lambda title, text, prompts: [secret] * len(prompts))
                return
            except paramiko.AuthenticationException:
                continue
    raise VirtError(AUTH_FAILED, "no identity was accepted for %s@%s (tried: %s; "
                    "the server allows: %s)" % (
                        endpoint.user, endpoint.label(),
                        ", ".join(tried) or "none", ",".join(allowed) or "nothing"))


def _allowed_methods(endpoint, transport):
    try:
        transport.auth_none(endpoint.user)
    except paramiko.BadAuthenticationType as e:
        return e.allowed_types
    except paramiko.SSHException:
        pass
    return []


# --- the helper's channel ------------------------------------------------------
class HelperChannel:
    """The exec channel to the far virtsh helper: bytes in order, with
    end-of-file and keepalive detection while waiting for an answer."""

    def __init__(self, transport, hops, program):
        self.transport = transport
        self.hops = hops
        self.channel = transport.open_session(timeout=CONNECT_TIMEOUT)
        self.channel.exec_command(shlex.join([program, "--remote-helper"]))
        self.interval = 0           # keepalive: seconds of silence per probe
        self.count = 0              # unanswered probes before giving up
        self._probe = None
        self._buffer = b""
        self._errors = b""          # the tail of the far side's stderr

    def send(self, data):
        try:
            self.channel.sendall(data)
        except (OSError, EOFError, paramiko.SSHException):
            raise self._eof() from None

    def read_line(self, limit=4096):
        """Bytes up to a newline (the greeting); None at end of file."""
        while b"\n" not in self._buffer and len(self._buffer) < limit:
            chunk = self._recv()
            if not chunk:
                return None
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def read_exact(self, n):
        while len(self._buffer) < n:
            chunk = self._recv()
            if not chunk:
                raise self._eof()
            self._buffer += chunk
        data, self._buffer = self._buffer[:n], self._buffer[n:]
        return data

    def _recv(self):
        misses = 0
        self.channel.settimeout(self.interval or None)
        while True:
            try:
                data = self.channel.recv(65536)
                self._drain_stderr()
                return data
            except socket.timeout:
                if self._probe is not None and self._probe.is_set():
                    misses, self._probe = 0, None
                misses += 1
                if misses > self.count:
                    self.close()
                    raise VirtError(INTERNAL_ERROR,
                                    "connection closed due to keepalive timeout") from None
                if self._probe is None:
                    self._probe = self._send_probe()
            except (OSError, EOFError, paramiko.SSHException):
                return b""

    def _send_probe(self):
        answered = threading.Event()

        def probe():
            self.transport.global_request("keepalive@openssh.com", wait=True)
            answered.set()
        threading.Thread(target=probe, daemon=True).start()
        return answered

    def _drain_stderr(self):
        """Read what the far side wrote on stderr (unread, it would hold
        up the channel's flow control); keep its last lines for errors."""
        while self.channel.recv_stderr_ready():
            self._errors = (self._errors + self.channel.recv_stderr(65536))[-4096:]

    def stderr_text(self):
        """The tail of what the far side wrote on stderr."""
        self._drain_stderr()
        return self._errors.decode("utf-8", "replace").strip()

    def exit_status(self, wait=5.0):
        """The far program's exit status (waiting up to *wait* seconds for
        it after the channel closed), or None."""
        import time
        deadline = time.monotonic() + wait
        while not self.channel.exit_status_ready():
            if time.monotonic() > deadline:
                return None
            time.sleep(0.01)
        return self.channel.recv_exit_status()

    def _eof(self):
        errout = self.stderr_text()
        detail = "%s: Input/output error" % errout if errout else "Input/output error"
        return VirtError(SYSTEM_ERROR, "End of file while reading data: " + detail)

    def alive(self):
        return self.transport.is_active() and not self.channel.closed

    def close(self):
        self.channel.close()
        for transport in [self.transport] + self.hops[::-1]:
            transport.close()
