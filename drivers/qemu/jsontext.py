"""JSON of the state files, read without importing the json package.

``json`` imports ``re`` (and with it ``enum``, ``functools`` ...): 5-6 ms
of a one-shot ``domstate`` on a running guest, which only needs to read
its status file.  The C scanner that ``json.loads`` itself uses is
called here directly with json's defaults; writing, documents the
scanner refuses (json.loads then says why) and interpreters without the C
accelerator use the json package.
"""
try:
    from _json import make_scanner as _make_scanner
except ImportError:             # pragma: no cover - CPython always has it
    _make_scanner = None


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
