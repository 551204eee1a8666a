"""MAC addresses as libvirt accepts them (virMacAddrParse's shape)."""


def looks_like_mac(text):
    """Six colon-separated groups of one or two hex digits."""
    parts = text.split(":")
    return len(parts) == 6 and all(
        1 <= len(p) <= 2 and all(c in "0123456789abcdefABCDEF" for c in p) for p in parts)
