"""Small helpers many command handlers share: reading an input file and
virsh's --live/--config/--current options."""
from virtsh.cmd import flag
from virtsh.errors import CommandError

AFFECT_CURRENT, AFFECT_LIVE, AFFECT_CONFIG = 0, 1, 2
# The three options of a command that changes a domain, or reads its settings
CHANGE_TARGET = (flag('config', "change the persistent definition"),
                 flag('live', "change the running domain"),
                 flag('current', "change the current state of the domain"))
READ_TARGET = (flag('config', "of the persistent definition"),
               flag('live', "of the running domain"),
               flag('current', "of the current state of the domain"))


def read_file(path):
    """The text of *path*, or virsh's error when it cannot be opened or read
    (a folder opens, and fails to read)."""
    import os
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as e:
        raise CommandError("Failed to open file '%s': %s"
                           % (path, os.strerror(e.errno))) from None
    try:                                # os.read: no buffered file object to set up
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    except OSError as e:
        raise CommandError("Failed to read file '%s': %s"
                           % (path, os.strerror(e.errno))) from None
    finally:
        os.close(fd)
    return b"".join(chunks).decode("utf-8", "surrogateescape")


def affect_flags(args):
    """virDomainModificationImpact bits from --live/--config/--current,
    refusing --current together with either of the others."""
    current = args.flag("current")
    for other in ("live", "config"):
        if current and args.flag(other):
            raise CommandError("Options --current and --%s are mutually exclusive"
                               % other)
    return ((AFFECT_LIVE if args.flag("live") else 0) |
            (AFFECT_CONFIG if args.flag("config") else 0))


def flag_bits(args, *pairs):
    """OR of the bit of each (option, bit) pair whose option was given."""
    bits = 0
    for option, bit in pairs:
        if args.flag(option):
            bits |= bit
    return bits
