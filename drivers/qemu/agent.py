"""A client of the QEMU guest agent (qemu-ga) behind a domain's
org.qemu.guest_agent.0 channel.

QEMU listens on the channel's unix socket and serves one client at a
time; every session here is made under the domain's lock, so two virtsh
processes never share it.  A session starts with ``guest-sync-delimited``:
a 0xFF byte resets qemu-ga's parser, and its answer (our random id, after
a 0xFF sentinel) tells where stale output of earlier sessions ends.  Then
commands are JSON objects, one reply line each, with libvirt's timeouts
(seconds; -2 waits without limit, -1 is the default of 5 s, 0 does not
wait) and error texts.
"""
import json
import os
import select
import time

from virtsh.drivers.errors import (VirtError, AGENT_UNRESPONSIVE, INTERNAL_ERROR,
                                   INVALID_ARG)

TIMEOUT_BLOCK, TIMEOUT_DEFAULT, TIMEOUT_NOWAIT = -2, -1, 0
DEFAULT_WAIT = 5               # seconds, libvirt's QEMU_AGENT_WAIT_TIME
SHUTDOWN_WAIT = 60             # how long a guest gets to shut down
SENTINEL = b"\xff"
# qemu-ga's error classes as libvirt words them when there is no "desc"
_CLASS_TEXTS = {
    "BufferOverrun": "Buffer overrun",
    "CommandDisabled": "The command has been disabled for this instance",
    "CommandNotFound": "The command has not been found",
    "FdNotFound": "File descriptor not found",
    "InvalidParameter": "Invalid parameter",
    "InvalidParameterType": "Invalid parameter type",
    "InvalidParameterValue": "Invalid parameter value",
    "OpenFileFailed": "Cannot open file",
    "QgaCommandFailed": "Guest agent command failed",
    "QMPBadInputObjectMember": "Bad QMP input object member",
    "QMPExtraInputObjectMember": "Unexpected extra object member",
    "UndefinedError": "An undefined error has occurred",
    "Unsupported": "this feature or command is not currently supported",
}


class Unsupported(Exception):
    """qemu-ga does not know (or has disabled) a command the caller may skip."""


def not_available():
    return VirtError(AGENT_UNRESPONSIVE, "Guest agent not available for now")


def disappeared():
    return VirtError(AGENT_UNRESPONSIVE, "Guest agent disappeared while executing command")


def check_timeout(seconds):
    """libvirt's refusal of a timeout below the smallest special value."""
    if seconds < TIMEOUT_BLOCK:
        raise VirtError(INVALID_ARG, "guest agent timeout '%d' is less than the "
                        "minimum '%d'" % (seconds, TIMEOUT_BLOCK))


def _deadline(seconds):
    """The monotonic time a wait of *seconds* (libvirt's rules) ends; None: never."""
    if seconds == TIMEOUT_BLOCK:
        return None
    if seconds == TIMEOUT_DEFAULT:
        seconds = DEFAULT_WAIT
    return time.monotonic() + seconds


class Agent:
    """One session with qemu-ga; *timeout* is the domain's agent timeout
    (guest-agent-timeout), used by commands given no timeout of their own."""

    def __init__(self, path, timeout=TIMEOUT_DEFAULT):
        self.timeout = timeout
        self._buffer = b""
        from virtsh.drivers.qemu.lifecycle import connect_unix
        self.sock = connect_unix(path, "agent")
        try:
            self._sync()
        except BaseException:
            self.close()
            raise

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- wire -------------------------------------------------------------
    def _send(self, data):
        try:
            self.sock.sendall(data)
        except OSError:
            raise disappeared() from None

    def _fill(self, deadline, wanted=lambda: False):
        """Read more bytes before *deadline*; False when it passed first
        (*wanted*, checked between reads, ends the wait early too)."""
        while True:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                return False
            ready = select.select([self.sock], [], [], 0.2 if wait is None else min(wait, 0.2))[0]
            if ready:
                try:
                    data = self.sock.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    raise EOFError
                self._buffer += data
                return True
            if wanted():
                return False

    def _reply(self, deadline, wanted=lambda: False):
        """The next JSON reply line (None when *wanted* ended the wait;
        EOFError when qemu-ga's side closed)."""
        while True:
            line, sep, rest = self._buffer.partition(b"\n")
            if sep:
                self._buffer = rest
                if not line.strip():
                    continue
                try:
                    return json.loads(line)
                except ValueError:
                    continue        # half a line of an earlier session
            if not self._fill(deadline, wanted):
                if wanted():
                    return None
                raise not_available()

    def _sync(self):
        """Agree with qemu-ga where this session's replies start."""
        wait = DEFAULT_WAIT
        if 0 <= self.timeout < DEFAULT_WAIT:
            wait = self.timeout
        deadline = time.monotonic() + wait
        ident = int.from_bytes(os.urandom(6), "big")
        self._send(SENTINEL + json.dumps({"execute": "guest-sync-delimited",
                                          "arguments": {"id": ident}}).encode() + b"\n")
        try:
            while True:
                head, sep, rest = self._buffer.partition(SENTINEL)
                if sep:
                    self._buffer = rest
                    reply = self._reply(deadline)
                    if isinstance(reply, dict) and reply.get("return") == ident:
                        return
                    continue
                self._buffer = b""
                if not self._fill(deadline):
                    raise not_available()
        except EOFError:
            raise disappeared() from None

    # --- commands -----------------------------------------------------------
    def execute(self, name, arguments=None, seconds=None, report_unsupported=True):
        """Run command *name*; its "return" value.  *seconds* defaults to the
        domain's agent timeout; with *report_unsupported* false a command
        qemu-ga lacks raises Unsupported instead of libvirt's error."""
        msg = {"execute": name}
        if arguments:
            msg["arguments"] = arguments
        reply = self.send(msg, self.timeout if seconds is None else seconds)
        return check_reply(name, reply, report_unsupported)

    def send(self, msg, seconds):
        """Send the command object *msg*; qemu-ga's whole reply."""
        self._send(json.dumps(msg).encode() + b"\n")
        try:
            return self._reply(_deadline(seconds))
        except EOFError:
            raise disappeared() from None

    def send_awaiting(self, msg, happened, seconds=SHUTDOWN_WAIT):
        """Send a command qemu-ga answers only when it fails (guest-shutdown):
        done when *happened*() (the event it causes) or qemu-ga went away."""
        self._send(json.dumps(msg).encode() + b"\n")
        try:
            reply = self._reply(_deadline(seconds), happened)
        except EOFError:
            return                  # qemu-ga went down with the guest
        if reply is not None:
            check_reply(msg["execute"], reply, True)


def check_reply(name, reply, report_unsupported=True):
    """The "return" of *reply* to command *name*, or libvirt's error."""
    if "error" in reply:
        error = reply["error"] if isinstance(reply["error"], dict) else {}
        if not report_unsupported and error.get("class") in ("CommandNotFound",
                                                             "CommandDisabled"):
            raise Unsupported(name)
        detail = error.get("desc") or _CLASS_TEXTS.get(error.get("class"),
                                                       error.get("class")
                                                       or "unknown QEMU command error")
        raise VirtError(INTERNAL_ERROR, "unable to execute QEMU agent command '%s': %s"
                        % (name, detail))
    if "return" not in reply:
        raise VirtError(INTERNAL_ERROR, "unable to execute QEMU agent command '%s'" % name)
    return reply["return"]
