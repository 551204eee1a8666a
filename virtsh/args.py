"""Parsed options of one command, with virsh's typed accessors.

The engine fills an Args from the command line; handlers read it:
``args.get("domain")``, ``args.flag("live")``, ``args.int("cellno")``,
``args.scaled("size", 1024)``.  Bad numbers raise the CommandError virsh
prints ("Numeric value 'x' for <cellno> option is malformed or out of
range").
"""
from virtsh.errors import CommandError

INT_MAX = 2**31 - 1
UINT_MAX = 2**32 - 1
ULLONG_MAX = 2**64 - 1
LLONG_MAX = 2**63 - 1

_SCALE_POWERS = "bkmgtpe"


class Args:
    """Option name -> value (str, True for flags, list for argv options)."""

    __slots__ = ("command", "values")

    def __init__(self, command, values=None):
        self.command = command
        self.values = values if values is not None else {}

    def __contains__(self, name):
        return name in self.values

    def given(self, name):
        """Whether the option was on the command line."""
        return name in self.values

    def get(self, name, default=None):
        """The string value of an option (None when absent)."""
        return self.values.get(name, default)

    def string(self, name, default=None):
        """The value of an option that must not be empty (virsh's
        vshCommandOptStringReq: most options naming an object or a file)."""
        value = self.values.get(name)
        if value is None:
            return default
        if value == "":
            raise CommandError("Failed to get option '%s': Option argument is empty"
                               % name)
        return value

    def flag(self, name):
        """Whether a boolean option was given."""
        return bool(self.values.get(name))

    def exclusive(self, first, second):
        """Refuse two options given together (virsh's VSH_EXCLUSIVE_OPTIONS)."""
        if first in self.values and second in self.values:
            raise CommandError("Options --%s and --%s are mutually exclusive"
                               % (first, second))

    def argv(self, name):
        """The words collected by an argv option (empty list when absent)."""
        return list(self.values.get(name, ()))

    # --- numbers ----------------------------------------------------------
    def _numeric(self, name, default, low, high):
        text = self.values.get(name)
        if text is None:
            return default
        value = parse_c_integer(text)
        if value is None or not low <= value <= high:
            raise CommandError("Numeric value '%s' for <%s> option is "
                               "malformed or out of range" % (text, name))
        return value

    def int(self, name, default=None):
        """A signed int option (virsh's vshCommandOptInt)."""
        return self._numeric(name, default, -INT_MAX - 1, INT_MAX)

    def uint(self, name, default=None):
        """An unsigned int option; like C, "-1" wraps to UINT_MAX."""
        value = self._numeric(name, default, -UINT_MAX, UINT_MAX)
        return value % (UINT_MAX + 1) if value is not None else None

    def ulong(self, name, default=None):
        """An unsigned long long option ("-1" wraps, as with strtoull)."""
        value = self._numeric(name, default, -ULLONG_MAX, ULLONG_MAX)
        return value % (ULLONG_MAX + 1) if value is not None else None

    def long(self, name, default=None):
        return self._numeric(name, default, -LLONG_MAX - 1, LLONG_MAX)

    def scaled(self, name, scale=1, maximum=ULLONG_MAX, default=None):
        """A size with an optional unit suffix (``1G``, ``512MiB``, ``10KB``),
        returned in bytes / *scale*-units as virsh's vshCommandOptScaledInt
        does: a bare number is multiplied by *scale*."""
        text = self.values.get(name)
        if text is None:
            return default
        malformed = ("Scaled numeric value '%s' for <%s> option is malformed "
                     "or out of range" % (text, name))
        number, suffix = split_number(text)
        if number is None or number > ULLONG_MAX or text.lstrip().startswith("-"):
            raise CommandError(malformed)
        try:
            return scale_integer(number, suffix, scale, maximum)
        except ValueError as e:
            raise CommandError(malformed, str(e)) from None


def parse_c_integer(text):
    """Whole-string base-10 integer as C's strtol accepts it (leading blanks,
    sign), or None."""
    s = text.lstrip(" \t\n\r\f\v")
    body = s[1:] if s[:1] in "+-" else s
    if not body.isdigit() or not body.isascii():
        return None
    return int(s)


def split_number(text):
    """(leading unsigned integer, rest) as strtoull parses it; (None, text)
    when there is no number."""
    s = text.lstrip(" \t\n\r\f\v")
    i = 1 if s[:1] == "+" else 0
    j = i
    while j < len(s) and s[j].isdigit() and s[j].isascii():
        j += 1
    if j == i:
        return None, text
    return int(s[i:j]), s[j:]


def scale_integer(value, suffix, scale, maximum):
    """Apply a unit suffix as libvirt's virScaleInteger does; raise
    ValueError with libvirt's message on a bad suffix or overflow."""
    if not suffix:
        factor = scale
    else:
        power = _SCALE_POWERS.find(suffix[0].lower())
        rest = suffix[1:]
        if power < 0:
            raise ValueError("invalid argument: unknown suffix '%s'" % suffix)
        if power == 0:
            if rest:
                raise ValueError("invalid argument: unknown suffix '%s'" % suffix)
            factor = 1
        elif rest == "":
            factor = 1024 ** power
        elif rest.lower() == "ib":
            factor = 1024 ** power
        elif rest.lower() == "b":
            factor = 1000 ** power
        else:
            raise ValueError("invalid argument: unknown suffix '%s'" % suffix)
    result = value * factor
    if result > maximum:
        raise ValueError("value too large: value too large")
    return result
