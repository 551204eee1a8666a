"""Test driver: save image files, in libvirt's test-driver layout.

A file is the magic ``TestGuestMagic\\0``, the XML length as a native
4-byte int, then the domain XML (formatted with secrets).  Errors are the
ones libvirt's test driver reports.
"""
import errno
import os
import struct

from virtsh.drivers.errors import VirtError, INTERNAL_ERROR, SYSTEM_ERROR

MAGIC = b"TestGuestMagic\0"


def _system_error(err, text):
    return VirtError(SYSTEM_ERROR, "%s: %s" % (text, os.strerror(err)))


def write(path, defn):
    """Store definition *defn* in a save image at *path*."""
    from virtsh import xmlconf
    from virtsh.xmlconf import domain as xd
    xml = xd.format(defn, xmlconf.XML_SECURE).encode()
    what = "saving domain '%s' to '%s'" % (defn.name, path)
    try:
        fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    except OSError as e:
        raise _system_error(e.errno, what + ": open failed") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + struct.pack("=i", len(xml)) + xml)
    except OSError as e:
        os.unlink(path)
        raise _system_error(e.errno, what + ": write failed") from None


def read(path):
    """The DomainDef stored in the save image at *path*."""
    from virtsh.xmlconf import domain as xd
    try:
        with open(path, "rb") as f:
            data = f.read(len(MAGIC) + 4 + 8192)
    except OSError as e:
        raise _system_error(e.errno, "cannot read domain image '%s'" % path) from None
    if len(data) < len(MAGIC):
        raise _system_error(errno.EIO, "incomplete save header in '%s'" % path)
    if data[:len(MAGIC)] != MAGIC:
        raise VirtError(INTERNAL_ERROR, "mismatched header magic")
    if len(data) < len(MAGIC) + 4:
        raise _system_error(errno.EIO, "failed to read metadata length in '%s'" % path)
    (length,) = struct.unpack("=i", data[len(MAGIC):len(MAGIC) + 4])
    if not 1 <= length <= 8192:
        raise VirtError(INTERNAL_ERROR, "length of metadata out of range")
    xml = data[len(MAGIC) + 4:len(MAGIC) + 4 + length]
    if len(xml) != length:
        raise _system_error(errno.EIO, "incomplete metadata in '%s'" % path)
    return xd.parse(xml.decode())
