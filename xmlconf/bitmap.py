"""CPU and NUMA node sets ("0-3,^2,8") as libvirt reads and prints them."""

from virtsh.drivers.errors import VirtError, XML_ERROR

MAX_BIT = 8192 * 8


def parse(text, what="cpuset"):
    """The set of numbers *text* names; VirtError when it is malformed."""
    bits = set()
    if text is None or not text.strip():
        raise VirtError(XML_ERROR, "Invalid value '%s' for %s" % (text, what))
    for part in text.split(","):
        part = part.strip()
        neg = part.startswith("^")
        if neg:
            part = part[1:]
        try:
            if "-" in part and not neg:
                lo, hi = (int(x, 10) for x in part.split("-", 1))
                if lo > hi or lo < 0:
                    raise ValueError
                rng = range(lo, hi + 1)
            else:
                n = int(part, 10)
                if n < 0:
                    raise ValueError
                rng = (n,)
        except ValueError:
            raise VirtError(8, "Failed to parse bitmap '%s'" % text) from None
        if any(n >= MAX_BIT for n in rng):
            raise VirtError(8, "Failed to parse bitmap '%s'" % text)
        if neg:
            bits.difference_update(rng)
        else:
            bits.update(rng)
    return bits


def format(bits):  # noqa: A001
    """libvirt's virBitmapFormat: sorted ranges, 'a-b' or 'a', comma-joined."""
    out = []
    start = prev = None
    for n in sorted(bits):
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(str(start) if start == prev else "%d-%d" % (start, prev))
            start = prev = n
    if start is not None:
        out.append(str(start) if start == prev else "%d-%d" % (start, prev))
    return ",".join(out)


def normalize(text, what="cpuset"):
    return format(parse(text, what))
