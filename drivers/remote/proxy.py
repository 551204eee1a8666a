"""Local stand-ins for the far host's objects, built from the @api declarations.

For each object kind (Domain, Network ...) one class is made: a subclass of
the driver base class whose every API method is a remote call, so the
read-only check, ``isinstance`` and the constants work as with any driver.
Plain accessors (name, uuid ...) answer from the identity that came with
the object's reference; volatile answers (a domain's id and state) are
trusted only briefly and until the connection's next write call.
"""
import time

from virtsh.drivers.remote import protocol

FRESH_SECONDS = 1.0
_MISSING = object()
_CLASSES = {}


class RemoteObject:
    """The state every stand-in keeps: its connection, handle and identity."""

    def _bind(self, conn, handle, ident, fresh):
        self.conn = conn
        self._handle = handle
        self._ident = ident
        self._fresh = fresh
        self._mark = (conn._generation, time.monotonic())
        if "name" in ident and "domain" in ident:      # a snapshot or checkpoint
            self._name, self._domain = ident["name"], ident["domain"]

    def _take(self, other):
        """Adopt the newer identity a write call sent back."""
        self._bind(self.conn, other._handle, other._ident, other._fresh)

    def _fresh_value(self, name):
        generation, when = self._mark
        if (generation != self.conn._generation
                or time.monotonic() - when > FRESH_SECONDS):
            return _MISSING
        return self._fresh.get(name, _MISSING)

    def _remote(self, method, args, kwargs, spec):
        return self.conn._call(self, method, args, kwargs, spec)


def _forwarded(method, spec):
    def call(self, *args, **kwargs):
        return self._remote(method, args, kwargs, spec)
    call.__name__ = method
    return call


def _volatile(method, spec):
    def call(self, *args, **kwargs):
        if not args and not kwargs:
            value = self._fresh_value(method)
            if value is not _MISSING:
                return value
        return self._remote(method, args, kwargs, spec)
    call.__name__ = method
    return call


def _identity(method):
    def get(self):
        value = self._ident.get(method, _MISSING)
        if value is _MISSING:
            return self._remote(method, (), {}, None)
        return value
    get.__name__ = method
    return get


def proxy_class(kind):
    """The stand-in class of object kind *kind* (made once)."""
    cls = _CLASSES.get(kind)
    if cls is None:
        base = protocol.kinds()[kind]
        volatile = protocol.VOLATILE.get(kind, ())
        namespace = {"__doc__": "A %s on the far host." % kind}
        for method, spec in protocol.api_methods(base).items():
            maker = _volatile if method in volatile else _forwarded
            namespace[method] = maker(method, spec)
        for getter in protocol.identity_getters(base):
            if getter in volatile:
                namespace[getter] = _volatile(getter, None)
            else:
                namespace[getter] = _identity(getter)
        cls = _CLASSES[kind] = type("Remote" + kind, (RemoteObject, base), namespace)
    return cls


def make(conn, tagged):
    """The stand-in for a reference received from the far side."""
    cls = proxy_class(tagged["c"])
    obj = cls.__new__(cls)
    obj._bind(conn, tagged["$obj"], tagged["i"], tagged["v"])
    return obj
