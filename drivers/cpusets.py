"""Host CPU sets as libvirt writes them: ``0-3,6``, ``^2`` exclusions.

Used by drivers for ``cpuset`` attributes and NUMA node sets and by the
commands that print CPU lists (libvirt's virBitmapParse / virBitmapFormat).
"""
from virtsh.drivers.errors import VirtError, INVALID_ARG


def parse(text, limit=4096):
    """The set of CPU numbers in *text*; libvirt's error when malformed."""
    cpus, excluded = set(), set()
    for part in text.split(","):
        part = part.strip()
        target = cpus
        if part.startswith("^"):
            target, part = excluded, part[1:]
        low, dash, high = part.partition("-")
        try:
            first = int(low)
            last = int(high) if dash else first
        except ValueError:
            raise VirtError(INVALID_ARG, "Failed to parse bitmap '%s'" % text) from None
        if first < 0 or last < first or last >= limit:
            raise VirtError(INVALID_ARG, "Failed to parse bitmap '%s'" % text)
        target.update(range(first, last + 1))
    return cpus - excluded


def format(cpus):  # noqa: A001  (libvirt's name for it)
    """``{0,1,2,5}`` -> ``0-2,5`` (empty string for an empty set)."""
    ranges = []
    for cpu in sorted(cpus):
        if ranges and cpu == ranges[-1][1] + 1:
            ranges[-1][1] = cpu
        else:
            ranges.append([cpu, cpu])
    return ",".join(str(a) if a == b else "%d-%d" % (a, b) for a, b in ranges)
