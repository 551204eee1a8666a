"""The test driver's screenshot: a small grey PNG made here at import."""
import struct
import zlib

WIDTH, HEIGHT = 16, 16


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _png():
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 0, 0, 0, 0)   # 8-bit grey
    rows = b"".join(b"\0" + b"\x80" * WIDTH for _ in range(HEIGHT))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b""))


PNG = _png()
