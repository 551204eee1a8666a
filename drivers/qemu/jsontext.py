"""JSON of the state files, read and written without importing the json package.

``json`` imports ``re`` (and with it ``enum``, ``functools`` ...): 5-6 ms
of a one-shot ``domstate`` on a running guest, which only needs to read
its status file, and of a ``destroy``, which only appends one event.  The
C scanner and encoder that ``json.loads`` and ``json.dumps`` themselves
use are called here directly with json's defaults; documents the scanner
refuses (json.loads then says why), values the encoder cannot write and
interpreters without the C accelerator use the json package.
"""
try:
    from _json import (make_scanner as _make_scanner, make_encoder as _make_encoder,
                       encode_basestring_ascii as _encode_string)
except ImportError:             # pragma: no cover - CPython always has it
    _make_scanner = _make_encoder = None


class _Defaults:
    """The decoder settings the C scanner reads (json.JSONDecoder's)."""
    strict = True
    object_hook = object_pairs_hook = None
    parse_float, parse_int = float, int

    @staticmethod
    def parse_constant(name):
        return {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}[name]


_scan = _make_scanner(_Defaults) if _make_scanner else None


def loads(text):
    """The value of the JSON document *text*; ValueError when it is not one."""
    if not isinstance(text, str):
        raise TypeError("the JSON text must be str, not %s" % type(text).__name__)
    if _scan is not None:
        start = len(text) - len(text.lstrip())
        try:
            value, end = _scan(text, start)
        except Exception:       # json below tells what is wrong
            value, end = None, -1
        if end >= 0 and not text[end:].strip():
            return value
    import json                 # errors (and odd interpreters) take the long way
    return json.loads(text)


def _refuse(value):
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


def dumps(value, compact=False):
    """The JSON text of *value*, as json.dumps(value) writes it (*compact*:
    with separators=(",", ":"))."""
    items, keys = (",", ":") if compact else (", ", ": ")
    if _make_encoder is not None and isinstance(value, (dict, list)):
        # json.dumps's defaults: check_circular, ensure_ascii, allow_nan
        encode = _make_encoder({}, _refuse, _encode_string, None, keys, items,
                               False, False, True)
        try:
            return "".join(encode(value, 0))
        except (TypeError, ValueError):
            pass            # json below says what is wrong
    import json
    return json.dumps(value, separators=(items, keys))
