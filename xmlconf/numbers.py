"""Numbers as libvirt reads them: C-style bases, scaled units."""

from virtsh.drivers.errors import VirtError, XML_ERROR, INVALID_ARG, OVERFLOW

_UNITS = {
    "b": 1, "bytes": 1,
    "kb": 1000, "k": 1024, "kib": 1024,
    "mb": 1000 ** 2, "m": 1024 ** 2, "mib": 1024 ** 2,
    "gb": 1000 ** 3, "g": 1024 ** 3, "gib": 1024 ** 3,
    "tb": 1000 ** 4, "t": 1024 ** 4, "tib": 1024 ** 4,
    "pb": 1000 ** 5, "p": 1024 ** 5, "pib": 1024 ** 5,
    "eb": 1000 ** 6, "e": 1024 ** 6, "eib": 1024 ** 6,
}

ULLONG_MAX = 2 ** 64 - 1


def parse_uint(text, base=0):
    """An unsigned integer as strtoul reads it (base 0: 0x hex, 0 octal).

    Returns None when *text* is not a number.
    """
    if text is None:
        return None
    s = text.strip()
    try:
        if base == 0:
            if s[:2].lower() == "0x":
                return int(s[2:], 16) if s[2:] and s[2] not in "+-" else None
            if len(s) > 1 and s[0] == "0":
                return int(s[1:], 8) if s[1] not in "+-" else None
            return int(s, 10) if s and s[0] not in "+-" else None
        return int(s, base) if s and s[0] not in "+-" else None
    except ValueError:
        return None


def parse_int(text):
    """A signed decimal integer, None when *text* is not one."""
    if text is None:
        return None
    s = text.strip()
    try:
        return int(s, 10)
    except ValueError:
        return None


def scaled_kib(value, unit, what, default_unit="KiB", max_kib=ULLONG_MAX // 1024):
    """A size with a unit as KiB (rounded up), libvirt's virScaleInteger."""
    n = parse_uint(value, 10)
    if n is None:
        raise VirtError(XML_ERROR, "Invalid value '%s' for element or attribute '%s'"
                        % (value, what))
    scale = _UNITS.get((unit or default_unit).lower())
    if scale is None:
        raise VirtError(INVALID_ARG, "unknown suffix '%s'" % unit)
    total = n * scale
    kib = -(-total // 1024)
    if total > ULLONG_MAX or kib > max_kib:
        raise VirtError(OVERFLOW, "size value '%s%s' is too large" % (value, unit or ""))
    return kib
