"""The far side: ``virtsh --remote-helper`` serving a local driver over stdio.

The local virtsh starts this over SSH.  It greets, receives the URI to open
(``test:///default``, ``qemu:///system`` ...), then answers one request at a
time until its input ends.  Objects handed out are kept in a table and
named by handle; only methods declared with @api on the object's kind (and
its plain accessors such as name or uuid) may be called.  Files, callbacks
and descriptors travel as frames in between (streams.py).
"""
import os
import sys
import threading

from virtsh.drivers.errors import VirtError, INTERNAL_ERROR, NO_SUPPORT
from virtsh.drivers.remote import protocol
from virtsh.drivers.remote.streams import DESCRIPTOR_RESULTS, FarStreams


class Session:
    """The objects of one connection, by handle (0: the connection)."""

    def __init__(self, conn):
        self.objects = {0: conn}
        self.handles = {}           # (kind, stable identity) -> handle
        self.streams = None         # the FarStreams of the channel
        self._lock = threading.RLock()      # events reference objects too

    def ref(self, obj):
        """The wire reference of *obj*: handle, kind, identity, volatile answers."""
        with self._lock:
            return self._ref(obj)

    def _ref(self, obj):
        kind = protocol.kind_of(obj)
        if kind is None:
            raise protocol.Unencodable(type(obj).__name__)
        cls = protocol.kinds()[kind]
        volatile = protocol.VOLATILE.get(kind, ())
        ident, fresh = {}, {}
        for getter in protocol.identity_getters(cls):
            try:
                value = getattr(obj, getter)()
            except (VirtError, NotImplementedError):
                continue
            (fresh if getter in volatile else ident)[getter] = value
        for method in volatile:
            if method not in fresh and method in protocol.api_methods(cls):
                try:
                    fresh[method] = getattr(obj, method)()
                except VirtError:
                    pass
        ident = protocol.encode(ident, self.ref)
        key = (kind, repr(sorted((k, _stable(v)) for k, v in ident.items())))
        handle = self.handles.get(key)
        if handle is None:
            handle = len(self.objects)
            self.handles[key] = handle
        self.objects[handle] = obj
        return {"$obj": handle, "c": kind,
                "i": ident,
                "v": protocol.encode(fresh, self.ref)}

    def resolve(self, tagged):
        far = self.streams.resolve(tagged) if self.streams else None
        if far is not None:
            return far
        handle = tagged.get("$h", tagged.get("$obj"))
        try:
            return self.objects[handle]
        except (KeyError, TypeError):
            raise VirtError(INTERNAL_ERROR, "unknown object handle %r" % (handle,)) from None

    def call(self, request):
        """Run one request; the answer document."""
        target = self.resolve({"$h": request["h"]})
        cls = protocol.kinds()[protocol.kind_of(target)]
        name = request["m"]
        spec = protocol.api_methods(cls).get(name)
        if spec is None and name not in protocol.identity_getters(cls):
            raise VirtError(INTERNAL_ERROR, "no remote method %r" % name)
        result = getattr(target, name)(*request["a"], **request["k"])
        if name in DESCRIPTOR_RESULTS and isinstance(result, int):
            return {"r": self.streams.export(result)}
        try:
            answer = {"r": protocol.encode(result, self.ref)}
        except protocol.Unencodable:
            raise VirtError(NO_SUPPORT, spec[0] if spec else name) from None
        if spec and spec[1] and request["h"] != 0:
            answer["s"] = self.ref(target)
        return answer


def _stable(value):
    """An encoded identity value without the volatile parts of the
    references in it (a snapshot's domain), to key the handle table."""
    if isinstance(value, dict):
        if "$obj" in value:
            return ("$obj", value["$obj"])
        return repr(sorted((k, _stable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return repr([_stable(v) for v in value])
    return repr(value)


def _answer(session, document):
    try:
        return session.call(document)
    except VirtError as e:
        return {"e": [e.code, e.message, e.detail]}
    except Exception as e:          # a bug: reported, the helper goes on
        return {"x": "%s: %s" % (type(e).__name__, e)}


def serve(stdin, stdout, version):
    """Greet, open the requested driver, answer requests until EOF."""
    lock = threading.Lock()         # event and stream threads send too

    def send(document):
        data = protocol.pack(document)
        with lock:
            stdout.write(data)
            stdout.flush()

    def receive(hook):
        prefix = stdin.read(4)
        if len(prefix) < 4:
            return None
        return protocol.unpack(stdin.read(protocol.body_length(prefix)), hook)

    stdout.write(protocol.greeting(version))
    stdout.flush()
    hello = receive(None)
    if hello is None:
        return 0
    from virtsh.drivers import open as open_driver
    try:
        conn = open_driver(hello["uri"], readonly=hello["readonly"])
    except VirtError as e:
        send({"e": [e.code, e.message, e.detail]})
        return 1
    send({"r": None})
    session = Session(conn)
    hook = protocol.decode_hook(session.resolve)
    session.streams = FarStreams(lambda document: send(protocol.encode(document, session.ref)),
                                 lambda: receive(hook))
    try:
        while True:
            try:
                request = receive(hook)
            except VirtError as e:      # a stale handle among the arguments
                send({"e": [e.code, e.message, e.detail]})
                continue
            if request is None:
                return 0
            if not session.streams.handle(request):
                send(_answer(session, request))
    finally:
        conn.close()


def main(version):
    """``virtsh --remote-helper``: serve on stdio.  Anything the drivers
    print goes to stderr so that it cannot corrupt the message stream."""
    stdin = os.fdopen(os.dup(0), "rb")
    stdout = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        return serve(stdin, stdout, version)
    except (BrokenPipeError, ConnectionResetError):
        return 1
