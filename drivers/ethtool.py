"""Offload features of a network device, asked of the kernel with the
SIOCETHTOOL ioctl, named as libvirt's node device XML names them."""
import struct

SIOCETHTOOL = 0x8946
# (name, ETHTOOL_G* command) of the on/off features, in libvirt's order
_SIMPLE = (("rx", 0x14), ("tx", 0x16), ("sg", 0x18), ("tso", 0x1e), ("gso", 0x23),
           ("gro", 0x2b))
ETHTOOL_GFLAGS = 0x25
_FLAGS = (("lro", 1 << 15), ("rxvlan", 1 << 8), ("txvlan", 1 << 7),
          ("ntuple", 1 << 27), ("rxhash", 1 << 28))
ETHTOOL_GFEATURES = 0x3a
TX_UDP_TUNNEL_BIT = 25          # NETIF_F_GSO_UDP_TUNNEL


def _ioctl(ifname, payload):
    """Run one ethtool command on *ifname*; its reply (bytes) or None."""
    import ctypes
    import fcntl
    import socket
    buf = ctypes.create_string_buffer(payload, len(payload))
    request = struct.pack("16sP16x", ifname.encode()[:15], ctypes.addressof(buf))
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        fcntl.ioctl(sock.fileno(), SIOCETHTOOL, request)
    except OSError:
        return None
    finally:
        sock.close()
    return buf.raw


def _value(ifname, cmd):
    reply = _ioctl(ifname, struct.pack("II", cmd, 0))
    return None if reply is None else struct.unpack("II", reply[:8])[1]


def features(ifname):
    """The names of the features that are on for *ifname*."""
    found = [name for name, cmd in _SIMPLE if _value(ifname, cmd)]
    flags = _value(ifname, ETHTOOL_GFLAGS) or 0
    found += [name for name, bit in _FLAGS if flags & bit]
    blocks = 2                  # 64 feature bits: enough for the tunnel bit
    reply = _ioctl(ifname, struct.pack("II", ETHTOOL_GFEATURES, blocks) + bytes(16 * blocks))
    if reply is not None:
        block = TX_UDP_TUNNEL_BIT // 32
        active = struct.unpack("I", reply[8 + 16 * block + 8:8 + 16 * block + 12])[0]
        if active & (1 << TX_UDP_TUNNEL_BIT % 32):
            found.append("txudptnl")
    return found
