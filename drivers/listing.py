"""The filter rule of libvirt's ListAll* APIs, shared by the drivers."""


def wanted(flags, yes_flag, no_flag, value):
    """Whether an object whose property is *value* passes the pair of
    filter flags (yes_flag, no_flag): with neither or both, everything does."""
    if bool(flags & yes_flag) == bool(flags & no_flag):
        return True
    return value if flags & yes_flag else not value
