"""A small synchronous QMP client with libvirt's errors.

QMP is one JSON object per line over a unix socket: a greeting, then
``qmp_capabilities``, then commands answered in order (events may come
in between).  This client does just that.  The qemu.qmp package would
do it too, but its asyncio stack costs more start-up time (~50 ms of
imports) than the rest of a typical command, and every virtsh command
that talks to a guest is a fresh process.
"""
import json
from socket import MSG_NOSIGNAL     # QEMU gone mid-command: EPIPE, not a SIGPIPE death

from virtsh.drivers.errors import VirtError, INTERNAL_ERROR, OPERATION_FAILED


class Monitor:
    """One QMP session over a connected stream socket (taken over)."""

    def __init__(self, sock, timeout=30.0):
        self.sock = sock
        self.sock.settimeout(timeout)
        self._buffer = b""
        self._id = 0
        try:
            self.greeting = self._message(lambda m: "QMP" in m)
            self.cmd("qmp_capabilities")
        except (OSError, EOFError, VirtError) as e:
            self.close()
            raise VirtError(INTERNAL_ERROR, "QEMU monitor is not responding: %s"
                            % (e or "connection closed")) from None
        except BaseException:       # Ctrl-C: QEMU serves one session at a time,
            self.close()            # a half-open one would block the next
            raise

    def _message(self, wanted):
        """The next message satisfying *wanted* (others, i.e. events, skipped)."""
        while True:
            line, sep, rest = self._buffer.partition(b"\n")
            if sep:
                self._buffer = rest
                try:
                    msg = json.loads(line)
                except ValueError:
                    continue
                if wanted(msg):
                    return msg
                continue
            data = self.sock.recv(65536)
            if not data:
                raise EOFError
            self._buffer += data

    def cmd(self, name, /, **arguments):
        """Run a command; its 'return' value, or VirtError for QMP's error."""
        self._id += 1
        msg = {"execute": name, "id": self._id}
        if arguments:
            msg["arguments"] = arguments
        try:
            self.sock.sendall(json.dumps(msg).encode() + b"\n", MSG_NOSIGNAL)
            reply = self._message(lambda m: m.get("id") == self._id)
        except (OSError, EOFError) as e:
            raise VirtError(OPERATION_FAILED, "QEMU monitor lost during %s%s"
                            % (name, ": %s" % e if str(e) else "")) from None
        if "error" in reply:
            raise VirtError(INTERNAL_ERROR, "unable to execute QEMU command '%s': %s"
                            % (name, reply["error"].get("desc", "")))
        return reply.get("return")

    def passthrough(self, msg):
        """Send the command object *msg* as given (libvirt's id added) and
        return QEMU's whole reply, an error reply included."""
        self._id += 1
        msg = dict(msg, id="libvirt-%d" % self._id)
        try:
            self.sock.sendall(json.dumps(msg).encode() + b"\n", MSG_NOSIGNAL)
            return self._message(lambda m: m.get("id") == msg["id"])
        except (OSError, EOFError) as e:
            raise VirtError(OPERATION_FAILED, "QEMU monitor lost during %s%s"
                            % (msg.get("execute"), ": %s" % e if str(e) else "")) from None

    def send_fd(self, fd, name):
        """Hand QEMU the file descriptor *fd* under *name*: the ``getfd``
        command travels with the descriptor attached (SCM_RIGHTS)."""
        import socket
        import struct
        self._id += 1
        msg = {"execute": "getfd", "arguments": {"fdname": name}, "id": self._id}
        try:
            self.sock.sendmsg([json.dumps(msg).encode() + b"\n"],
                              [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("i", fd))],
                              MSG_NOSIGNAL)
            reply = self._message(lambda m: m.get("id") == self._id)
        except (OSError, EOFError) as e:
            raise VirtError(OPERATION_FAILED, "QEMU monitor lost during getfd: %s"
                            % e) from None
        if "error" in reply:
            raise VirtError(INTERNAL_ERROR, "unable to execute QEMU command 'getfd': %s"
                            % reply["error"].get("desc", ""))

    def send(self, name):
        """Send a command without waiting for its answer (event loops)."""
        self._id += 1
        try:
            self.sock.sendall(json.dumps({"execute": name, "id": self._id}).encode() + b"\n",
                              MSG_NOSIGNAL)
        except OSError:
            pass

    def events(self, alive, poll=0.2):
        """Yield QMP events until QEMU closes the monitor, or until *alive*()
        turns false while nothing arrives (checked every *poll* seconds).

        Events written just before QEMU exits are still yielded even when
        the socket then reports a reset."""
        import select
        while True:
            messages = []
            while b"\n" in self._buffer:
                line, _, self._buffer = self._buffer.partition(b"\n")
                try:
                    messages.append(json.loads(line))
                except ValueError:
                    pass
            for msg in messages:
                if "event" in msg:
                    yield msg
            if messages:
                continue
            if not select.select([self.sock], [], [], poll)[0]:
                if not alive():
                    return
                continue
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            self._buffer += data

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
