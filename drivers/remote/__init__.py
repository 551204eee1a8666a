"""The remote driver: ``DRIVER+ssh://[user@]host[:port]/PATH[?params]``.

It logs in over SSH (ssh.py), starts ``virtsh --remote-helper`` on the far
host (server.py), asks it to open the far host's local driver
(``DRIVER:///PATH``, or the ``name`` parameter) and forwards every API call
to it (protocol.py, proxy.py); files, callbacks and console streams go
along on the same channel (streams.py).  Parameters of the transport itself:
``keyfile``, ``known_hosts``, ``no_verify``, ``known_hosts_verify``
(normal, auto, ignore) and ``virtsh`` (the far program).
Only imported for such URIs, so paramiko costs nothing elsewhere.
"""
import threading

from virtsh.drivers.connection import Connection
from virtsh.drivers.errors import (VirtError, INTERNAL_ERROR, INVALID_ARG, SYSTEM_ERROR,
                                   no_support)
from virtsh.drivers.remote import protocol
from virtsh.drivers.remote.proxy import RemoteObject, make, proxy_class
from virtsh.drivers.remote.streams import NearStreams

# URI parameters that configure the transport (ours and libvirt's), not
# the far driver.
TRANSPORT_PARAMS = frozenset((
    "keyfile", "known_hosts", "no_verify", "virtsh", "name", "command",
    "socket", "netcat", "no_tty", "sshauth", "mode", "proxy", "pkipath",
    "known_hosts_verify"))


def far_uri(uri):
    """The URI the helper opens on the far host: the same driver, path and
    driver parameters, without transport and host."""
    if uri.params.get("name"):
        return uri.params["name"]
    from urllib.parse import quote
    query = "&".join("%s=%s" % (quote(k), quote(v, safe="/:,")) for k, v in
                     uri.params.items() if k not in TRANSPORT_PARAMS)
    return "%s://%s%s" % (uri.driver, uri.path or "/", "?" + query if query else "")


def _verify_mode(params):
    """How to check the host key: normal (strict), auto (record a new
    host's key) or ignore."""
    mode = params.get("known_hosts_verify")
    if mode is None:
        return "ignore" if params.get("no_verify", "0") not in ("", "0") else "normal"
    if mode not in ("normal", "auto", "ignore"):
        raise VirtError(INVALID_ARG, "unknown known_hosts_verify value '%s' "
                        "(expected normal, auto or ignore)" % mode)
    return mode


class RemoteConnection(proxy_class("Connection")):
    """A connection whose API calls run on the far host."""

    def __init__(self, uri, readonly=False):
        Connection.__init__(self, uri, readonly)
        self._generation = 0
        self._bind(self, 0, {}, {})
        self._lock = threading.Lock()           # one call at a time
        self._send_lock = threading.Lock()      # stream and event threads send too
        self._streams = NearStreams(
            lambda document: self._send(protocol.encode(document, self._argument)),
            self._receive)
        self._hook = protocol.decode_hook(
            lambda tagged: self._streams.local_stream(tagged) if "$stream" in tagged
            else make(self, tagged))
        self._channel = _start_helper(uri)
        try:
            self._handshake(uri, readonly)
        except BaseException:
            self.close()
            raise

    def _handshake(self, uri, readonly):
        channel = self._channel
        line = channel.read_line()
        host = uri.host
        if line is None or protocol.parse_greeting(line) is None:
            status = channel.exit_status()
            errout = channel.stderr_text() or (line or b"").decode("utf-8", "replace")
            if status == 127:
                raise VirtError(SYSTEM_ERROR, "cannot start virtsh on '%s': %s; install "
                                "it there or name it with the virtsh=PATH parameter"
                                % (host, errout or "command not found"))
            raise VirtError(SYSTEM_ERROR, "virtsh on '%s' cannot serve remote "
                            "connections (too old?)%s" % (host, ": " + errout if errout else ""))
        theirs, version = protocol.parse_greeting(line)
        if theirs != protocol.PROTOCOL:
            from virtsh import __version__
            raise VirtError(SYSTEM_ERROR, "virtsh %s on '%s' speaks remote protocol %d; "
                            "this virtsh %s needs protocol %d" % (
                                version, host, theirs, __version__, protocol.PROTOCOL))
        self._exchange({"uri": far_uri(uri), "readonly": bool(readonly)})

    # --- calls -------------------------------------------------------------
    def _argument(self, obj):
        if isinstance(obj, RemoteObject) and obj.conn is self:
            return {"$h": obj._handle}
        wire = self._streams.argument(obj)
        if wire is None:
            raise protocol.Unencodable(type(obj).__name__)
        return wire

    def _call(self, target, method, args, kwargs, spec):
        """Run *method* of *target* on the far host; its result."""
        try:
            request = {"h": target._handle, "m": method,
                       "a": protocol.encode(list(args), self._argument),
                       "k": protocol.encode(kwargs, self._argument)}
        except protocol.Unencodable:
            raise no_support(spec[0] if spec else method) from None
        with self._lock:
            if spec and spec[1]:
                self._generation += 1
            reply = self._exchange(request)
            if self._streams.wants_reader():
                self._streams.start_reader()
        if "s" in reply:
            target._take(reply["s"])
        return reply["r"]

    def _exchange(self, document):
        """Send one message and read its answer; VirtError for an error
        answer or a lost connection."""
        try:
            self._send(document)
            reply = self._streams.reply()
        except VirtError:
            self.close()
            raise
        self._streams.raise_failure()
        if "e" in reply:
            code, message, detail = reply["e"]
            error = VirtError(code, message, raw=True)
            error.detail = detail
            raise error
        if "x" in reply:
            raise VirtError(INTERNAL_ERROR, "the far virtsh failed: %s" % reply["x"])
        return reply

    def _send(self, document):
        channel = self._channel
        if channel is None:
            raise VirtError(INTERNAL_ERROR, "client socket is closed")
        data = protocol.pack(document)
        with self._send_lock:
            channel.send(data)

    def _receive(self):
        """The next message from the far side."""
        channel = self._channel
        if channel is None:
            return None
        try:
            length = protocol.body_length(channel.read_exact(4))
            return protocol.unpack(channel.read_exact(length), self._hook)
        except ValueError as e:         # not our protocol: a corrupt stream
            raise VirtError(INTERNAL_ERROR, "malformed answer from the far virtsh: %s"
                            % e) from None

    # --- the connection itself, answered locally ---------------------------
    def get_uri(self):
        return str(self.uri)

    def set_keep_alive(self, interval, count):
        if self._channel is None:
            raise VirtError(INTERNAL_ERROR, "client socket is closed")
        self._channel.interval = interval
        self._channel.count = count

    def is_alive(self):
        return self._channel is not None and self._channel.alive()

    def close(self):
        channel, self._channel = self._channel, None
        if channel is not None:
            channel.close()


def _start_helper(uri):
    """Log in and start the far helper; the HelperChannel."""
    from virtsh.drivers.remote import ssh
    params = uri.params
    endpoint = ssh.Endpoint(ssh.ssh_config(), uri.host, uri.user, uri.port,
                            keyfile=params.get("keyfile"),
                            known_hosts=params.get("known_hosts"),
                            verify=_verify_mode(params))
    transport, hops = ssh.open_transport(endpoint)
    try:
        return ssh.HelperChannel(transport, hops, params.get("virtsh") or "virtsh")
    except Exception as e:
        transport.close()
        raise VirtError(SYSTEM_ERROR, "cannot start virtsh on '%s': %s" % (uri.host, e)) from None
