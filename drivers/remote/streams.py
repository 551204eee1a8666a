"""Streams, files and callbacks over the remote driver's one channel.

Plain calls stay one request and one answer.  What cannot cross as JSON
travels as frames multiplexed on the same channel, between them:

  a file object argument (vol-upload's source, vol-download's target)
      ``{"$file": id}``; while the call runs the far side asks
      ``{"fr": id, "n": size}`` and the near side answers ``{"fd": id,
      "d": bytes}`` (empty at end of file), or the far side sends
      ``{"fw": id, "d": bytes}`` to be written;
  a callback argument (event registrations)
      ``{"$cb": id}``; each call of it on the far side is an
      ``{"ev": id, "a": [arguments]}`` frame, whenever it happens;
  a descriptor result (open_console)
      ``{"$stream": id}``; bytes go both ways as ``{"so": id, "d": ...}``
      (far to near) and ``{"si": id, "d": ...}`` (near to far), and
      ``{"sx": id}`` ends the stream from either side.  The near side hands
      its caller one end of a socket pair, so the stream is an fd as
      with a local driver.

While a callback or a stream lives, a reader thread on the near side owns
the channel: answers go to the waiting call, frames to their handlers.
"""
import os
import queue
import socket
import threading

from virtsh.drivers.errors import VirtError, INTERNAL_ERROR

CHUNK = 1 << 20
# API methods whose answer on the far side is a file descriptor to relay
DESCRIPTOR_RESULTS = frozenset(("open_console",))
FRAME_KEYS = frozenset(("fr", "fw", "fd", "ev", "so", "si", "sx"))


def is_frame(document):
    return isinstance(document, dict) and not FRAME_KEYS.isdisjoint(document)


# --- the near side (the client) ---------------------------------------------------
class NearStreams:
    """The client's files, callbacks and streams of one connection.

    *send(document)* encodes and writes a message (thread-safe); *read()*
    reads the next one (None when the channel ends)."""

    def __init__(self, send, read):
        self._send = send
        self._read = read
        self._objects = {}          # id -> file object or callback
        self._callbacks = False     # whether a callback was handed over
        self._streams = {}          # id -> our end of the caller's socket pair
        self._replies = None        # the reader thread's answers, once it runs
        self._events = None
        self._errors = []           # failures writing a far file's bytes here

    # -- arguments -----------------------------------------------------------
    def argument(self, obj):
        """The wire form of a file object or callback, or None."""
        if hasattr(obj, "read") or hasattr(obj, "write"):
            return {"$file": self._keep(obj)}
        if callable(obj):
            self._callbacks = True
            return {"$cb": self._keep(obj)}
        return None

    def _keep(self, obj):
        key = len(self._objects) + 1
        self._objects[key] = obj
        return key

    def wants_reader(self):
        """Whether frames may now come outside calls (a callback or a
        stream lives), so a reader thread must own the channel."""
        return self._replies is None and bool(self._streams or self._callbacks)

    def local_stream(self, tagged):
        """The fd the caller gets for the far stream *tagged*."""
        sid = tagged["$stream"]
        theirs, ours = socket.socketpair()
        self._streams[sid] = ours
        threading.Thread(target=self._pump, args=(sid, ours), daemon=True).start()
        return theirs.detach()

    def _pump(self, sid, sock):
        """Relay what the caller writes into its end of the pair."""
        while True:
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            try:
                self._send({"si": sid, "d": data})
            except VirtError:
                break
        if self._streams.pop(sid, None) is not None:
            try:
                self._send({"sx": sid})
            except VirtError:
                pass
        sock.close()

    # -- answers and frames ------------------------------------------------------------
    def reply(self):
        """The answer to the request just sent: read here, handling the
        frames before it, or taken from the reader thread."""
        if self._replies is not None:
            reply = self._replies.get()
        else:
            while True:
                reply = self._read()
                if reply is None or not self.handle(reply):
                    break
        if reply is None:
            raise VirtError(INTERNAL_ERROR, "client socket is closed")
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def raise_failure(self):
        """Raise what went wrong here while the last call ran (writing
        the bytes a far file sent), if anything did."""
        if self._errors:
            error, self._errors[:] = self._errors[0], []
            raise error

    def handle(self, frame):
        """Act on a frame; False if *frame* is an answer."""
        if not is_frame(frame):
            return False
        if "fr" in frame:
            try:
                data = self._objects[frame["fr"]].read(frame["n"])
            except (OSError, KeyError) as e:        # the far side sees an early end
                self._errors.append(VirtError(INTERNAL_ERROR, "cannot read the data "
                                              "to send: %s" % e))
                data = b""
            self._send({"fd": frame["fr"], "d": data or b""})
        elif "fw" in frame:
            try:
                self._objects[frame["fw"]].write(frame["d"])
            except (OSError, KeyError) as e:
                self._errors.append(VirtError(INTERNAL_ERROR, "cannot write the "
                                              "received data: %s" % e))
        elif "ev" in frame:
            if self._events is not None:
                self._events.put(frame)
            else:
                self._deliver(frame)
        elif "so" in frame:
            sock = self._streams.get(frame["so"])
            if sock is not None:
                try:
                    sock.sendall(frame["d"])
                except OSError:
                    pass
        elif "sx" in frame:
            sock = self._streams.pop(frame["sx"], None)
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        return True

    def _deliver(self, frame):
        callback = self._objects.get(frame["ev"])
        if callback is not None:
            callback(*frame["a"])

    def start_reader(self):
        """Hand the channel to a reader thread (and callbacks to another,
        so that a callback may itself call the far side)."""
        self._replies = queue.Queue()
        self._events = queue.Queue()
        threading.Thread(target=self._read_all, daemon=True).start()
        threading.Thread(target=self._run_events, daemon=True).start()

    def _read_all(self):
        while True:
            try:
                document = self._read()
            except VirtError as e:
                document = e
            if document is None or isinstance(document, VirtError):
                self._replies.put(document)
                for sock in list(self._streams.values()):
                    sock.close()
                self._streams.clear()
                self._events.put(None)
                return
            if not self.handle(document):
                self._replies.put(document)

    def _run_events(self):
        while True:
            frame = self._events.get()
            if frame is None:
                return
            self._deliver(frame)


# --- the far side (the helper) ----------------------------------------------------
class FarStreams:
    """The helper's proxies for the client's files and callbacks, and the
    descriptors it relays.  *send(document)* encodes and writes a message
    (thread-safe); *receive()* reads the next one (None at end of input)."""

    def __init__(self, send, receive):
        self.send = send
        self.receive = receive
        self._fds = {}

    def post(self, document):
        """Send from a thread of our own: a client gone meanwhile is no error."""
        try:
            self.send(document)
        except (OSError, ValueError):
            pass

    def resolve(self, tagged):
        """The stand-in for a file or callback argument (None: not one)."""
        if "$file" in tagged:
            return _FarFile(self, tagged["$file"])
        if "$cb" in tagged:
            return _FarCallback(self, tagged["$cb"])
        return None

    def wait_for(self, key, ident):
        """The client's frame *key* for *ident*, handling stream input
        that comes first."""
        while True:
            frame = self.receive()
            if frame is None:
                raise VirtError(INTERNAL_ERROR, "the client went away during the call")
            if frame.get(key) == ident:
                return frame
            self.handle(frame)

    def export(self, fd):
        """Relay descriptor *fd* as a stream; its wire reference."""
        sid = len(self._fds) + 1
        self._fds[sid] = fd
        threading.Thread(target=self._relay, args=(sid, fd), daemon=True).start()
        return {"$stream": sid}

    def _relay(self, sid, fd):
        import select
        while sid in self._fds:
            try:
                if not select.select([fd], [], [], 0.2)[0]:
                    continue
                data = os.read(fd, 65536)
            except (OSError, ValueError):
                data = b""
            if not data:
                break
            self.post({"so": sid, "d": data})
        if self._fds.pop(sid, None) is not None:
            self.post({"sx": sid})
        try:
            os.close(fd)
        except OSError:
            pass

    def handle(self, frame):
        """Act on a client frame; False if it is a request."""
        if not is_frame(frame):
            return False
        if "si" in frame and frame["si"] in self._fds:
            try:
                os.write(self._fds[frame["si"]], frame["d"])
            except OSError:
                pass
        elif "sx" in frame:
            self._fds.pop(frame["sx"], None)    # the relay closes it
        return True


class _FarFile:
    """The client's file object, as the driver on this side sees it."""

    def __init__(self, streams, ident):
        self._streams = streams
        self._id = ident

    def read(self, size=-1):
        out = []
        wanted = size if size is not None and size >= 0 else None
        while wanted is None or wanted > 0:
            n = CHUNK if wanted is None else min(wanted, CHUNK)
            self._streams.send({"fr": self._id, "n": n})
            data = self._streams.wait_for("fd", self._id)["d"]
            if not data:
                break
            out.append(data)
            if wanted is not None:
                wanted -= len(data)
        return b"".join(out)

    def write(self, data):
        for start in range(0, len(data), CHUNK):
            self._streams.send({"fw": self._id, "d": bytes(data[start:start + CHUNK])})
        return len(data)


class _FarCallback:
    """A client callback: each call becomes an event frame."""

    def __init__(self, streams, ident):
        self._streams = streams
        self._id = ident

    def __call__(self, *args):
        self._streams.post({"ev": self._id, "a": list(args)})
