"""The wire format between a local virtsh and its helper on the far host.

After the helper's greeting line (``virtsh-remote PROTOCOL VERSION``), each
message is a 4-byte big-endian length and a JSON document.  A request names
a method of an object the helper holds (handle 0 is the connection), with
its arguments; the answer is a result, a VirtError (code, message, detail)
or an unexpected failure.  JSON has no tuples, sets, bytes or objects, so
those travel tagged (``{"$tuple": [...]}`` ...).  The object kinds and the
methods a kind may be asked for come from the @api declarations of the
drivers' base classes, so a new API is forwarded without touching this.
"""
import json
import struct

PROTOCOL = 1
GREETING = b"virtsh-remote"
MAX_MESSAGE = 256 << 20

_LENGTH = struct.Struct(">I")

# Answers sent along with an object's reference to spare round trips
# (``list --all`` needs each domain's id and state).  They change without
# the object being touched, so the local side trusts them only briefly.
VOLATILE = {"Domain": ("id", "state")}


class Unencodable(TypeError):
    """A value that cannot cross the wire (a callback, a file, a stream)."""


def _kinds():
    from virtsh.drivers import connection, domain, hostobjects, network, snapshot, storage
    return {cls.__name__: cls for cls in (
        connection.Connection, domain.Domain, network.Network, network.NetworkPort,
        storage.StoragePool, storage.StorageVol, hostobjects.Interface,
        hostobjects.NodeDevice, hostobjects.Secret, hostobjects.NWFilter,
        hostobjects.NWFilterBinding, snapshot.DomainSnapshot,
        snapshot.DomainCheckpoint)}


_KINDS = None


def kinds():
    """{kind name: driver base class} of every object that crosses the wire."""
    global _KINDS
    if _KINDS is None:
        _KINDS = _kinds()
    return _KINDS


def kind_of(obj):
    """The kind name of a driver object (None for anything else)."""
    for name, cls in kinds().items():
        if isinstance(obj, cls):
            return name
    return None


def api_methods(cls):
    """{method name: (API name, write)} of the @api declarations of *cls*."""
    found = {}
    for klass in reversed(cls.__mro__):
        for attr, fn in vars(klass).items():
            spec = getattr(fn, "virt_api", None)
            if spec:
                found[attr] = spec
    return found


def identity_getters(cls):
    """The plain (non-API) argument-free accessors of *cls*: name, uuid ...
    Their answers travel with every reference to the object."""
    from virtsh.drivers.base import ApiObject
    found = []
    for klass in cls.__mro__:
        if klass is ApiObject or not issubclass(klass, ApiObject):
            continue
        for attr, fn in vars(klass).items():
            if (not attr.startswith("_") and callable(fn) and attr != "close"
                    and not getattr(fn, "virt_api", None) and attr not in found):
                found.append(attr)
    return found


# --- values ------------------------------------------------------------------
def encode(value, ref):
    """*value* as JSON-ready data; *ref(obj)* encodes anything else (a
    driver object ...) or raises Unencodable."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode(v, ref) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode(v, ref) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"$set": [encode(v, ref) for v in value]}
    if isinstance(value, (bytes, bytearray)):
        import base64
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode(v, ref) for k, v in value.items()}
        return {"$dict": [[encode(k, ref), encode(v, ref)] for k, v in value.items()]}
    return ref(value)       # a driver object, file or callback, or Unencodable


def _freeze(value):
    """A decoded value usable as a dict key or set member."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


# tags of what decode_hook's *resolve* turns into objects: driver objects,
# and the files, callbacks and streams of streams.py
_REFERENCES = frozenset(("$obj", "$h", "$file", "$cb", "$stream"))


def decode_hook(resolve):
    """A json object_hook undoing encode(); *resolve(tagged)* turns a
    reference (see _REFERENCES) back into an object."""
    def hook(d):
        if len(d) != 1 and "$obj" not in d:
            return d
        if "$tuple" in d:
            return tuple(d["$tuple"])
        if "$set" in d:
            return {_freeze(v) for v in d["$set"]}
        if "$bytes" in d:
            import base64
            return base64.b64decode(d["$bytes"])
        if "$dict" in d:
            return {_freeze(k): v for k, v in d["$dict"]}
        if not _REFERENCES.isdisjoint(d):
            return resolve(d)
        return d
    return hook


# --- messages ----------------------------------------------------------------
def pack(document):
    """One message: length prefix and JSON text."""
    body = json.dumps(document, separators=(",", ":")).encode("utf-8")
    return _LENGTH.pack(len(body)) + body


def body_length(prefix):
    """The length announced by a 4-byte prefix; ValueError when absurd."""
    (length,) = _LENGTH.unpack(prefix)
    if length > MAX_MESSAGE:
        raise ValueError("message of %d bytes" % length)
    return length


def unpack(body, hook):
    """The document of a message body."""
    return json.loads(body.decode("utf-8"), object_hook=hook)


def greeting(version):
    """The helper's first line."""
    return b"%s %d %s\n" % (GREETING, PROTOCOL, version.encode("ascii"))


def parse_greeting(line):
    """(protocol, version) from a greeting line; None if it is not one."""
    words = line.split()
    if len(words) != 3 or words[0] != GREETING or not words[1].isdigit():
        return None
    return int(words[1]), words[2].decode("ascii", "replace")
