"""UUIDs as libvirt prints them, without the uuid module (its import costs
~3 ms of start-up: it loads platform and more)."""
import os

from virtsh.drivers.errors import VirtError, INTERNAL_ERROR

_HEX = frozenset("0123456789abcdefABCDEF")


def _dashed(digits):
    return "%s-%s-%s-%s-%s" % (digits[:8], digits[8:12], digits[12:16], digits[16:20],
                               digits[20:])


def random_uuid():
    """A random (version 4, RFC 4122 variant) UUID: what uuid.uuid4() prints."""
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    return _dashed(b.hex())


def canonical_uuid(text):
    """A UUID as libvirt reads it (any dashes, any case) in its printed form."""
    digits = (text or "").strip().replace("-", "")
    if len(digits) != 32 or not _HEX.issuperset(digits):
        raise VirtError(INTERNAL_ERROR, "malformed uuid element")
    return _dashed(digits.lower())
