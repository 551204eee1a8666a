"""Finding the object a command names, with virsh's rules and error lines.

virsh accepts a domain as an id, a UUID or a name (tried in that order),
a network or pool as a UUID or a name, and so on.  Each finder raises the
CommandError virsh prints when nothing matches.
"""
from virtsh.drivers.errors import VirtError
from virtsh.errors import CommandError


def looks_like_uuid(text):
    """True for 32 hex digits, optionally separated by dashes (libvirt's rule)."""
    digits = text.replace("-", "")
    if len(digits) != 32:
        return False
    try:
        int(digits, 16)
    except ValueError:
        return False
    return True


def domain(ctl, args, option="domain"):
    """The Domain named by option *option*: id, then UUID, then name."""
    name = args.string(option)
    return domain_by_text(ctl, name)


def domain_by_text(ctl, name):
    """virsh's order: a plain number as an id, a 36-character text
    as a UUID, then the name; one error line when all fail."""
    conn = ctl.conn
    tries = []
    if name.isascii() and name.isdigit() and int(name) < 2**31:
        tries.append(lambda: conn.lookup_domain_by_id(int(name)))
    if len(name) == 36 and looks_like_uuid(name):
        tries.append(lambda: conn.lookup_domain_by_uuid(name))
    tries.append(lambda: conn.lookup_domain_by_name(name))
    for attempt in tries:
        try:
            return attempt()
        except VirtError:
            continue
    raise CommandError("failed to get domain '%s'" % name)


# --- networks, storage, host objects ----------------------------------------
# virsh tries a UUID lookup only for a 36-character text, then the name; the
# failure prints its own line and then the last driver error, if any.

def first_found(message, attempts):
    """The result of the first attempt that succeeds, or CommandError
    (*message*, last driver error)."""
    last = None
    for attempt in attempts:
        try:
            return attempt()
        except VirtError as e:
            last = e
    raise CommandError(message, last)


def _uuid_then_name(text, by_uuid, by_name, lookup_uuid, lookup_name):
    attempts = []
    if by_uuid and len(text) == 36:
        attempts.append(lambda: lookup_uuid(text))
    if by_name:
        attempts.append(lambda: lookup_name(text))
    return attempts


def network(ctl, args, option="network", by_uuid=True, by_name=True):
    """The Network named by option *option* (UUID, then name)."""
    text = args.string(option)
    conn = ctl.conn
    return first_found("failed to get network '%s'" % text, _uuid_then_name(
        text, by_uuid, by_name, conn.lookup_network_by_uuid, conn.lookup_network_by_name))


def pool(ctl, args, option="pool", by_uuid=True, by_name=True):
    """The StoragePool named by option *option* (UUID, then name)."""
    return pool_by_text(ctl, args.string(option), by_uuid, by_name)


def pool_by_text(ctl, text, by_uuid=True, by_name=True):
    conn = ctl.conn
    return first_found("failed to get pool '%s'" % text, _uuid_then_name(
        text, by_uuid, by_name, conn.lookup_storage_pool_by_uuid,
        conn.lookup_storage_pool_by_name))


def volume(ctl, args, option="vol", pool_option="pool", by_name=True, by_key=True):
    """The StorageVol named by option *option*: by name within the pool of
    *pool_option* when given, else by key, then by path (virsh's order)."""
    text = args.string(option)
    pool_text = args.string(pool_option) if pool_option else None
    the_pool = None
    if pool_text is not None:
        the_pool = pool_by_text(ctl, pool_text)
        if not the_pool.is_active():
            raise CommandError("pool '%s' is not active" % pool_text)
    conn = ctl.conn
    attempts = []
    if the_pool is not None and by_name:
        attempts.append(lambda: the_pool.lookup_volume_by_name(text))
    if by_key:
        attempts.append(lambda: conn.lookup_storage_vol_by_key(text))
        attempts.append(lambda: conn.lookup_storage_vol_by_path(text))
    if the_pool is not None or not pool_option:
        message = "failed to get vol '%s'" % text
    else:
        message = "failed to get vol '%s', specifying --%s might help" % (text, pool_option)
    return first_found(message, attempts)


def looks_like_mac(text):
    """True for six colon-separated hex bytes (libvirt's virMacAddrParse)."""
    parts = text.split(":")
    if len(parts) != 6:
        return False
    try:
        return all(p and len(p) <= 2 and 0 <= int(p, 16) <= 255 for p in parts)
    except ValueError:
        return False


def interface(ctl, args, option="interface", by_name=True, by_mac=True):
    """The Interface named by option *option*: a MAC address or a name."""
    text = args.string(option)
    conn = ctl.conn
    attempts = []
    if looks_like_mac(text):
        if by_mac:
            attempts.append(lambda: conn.lookup_interface_by_mac(text))
    elif by_name:
        attempts.append(lambda: conn.lookup_interface_by_name(text))
    return first_found("failed to get interface '%s'" % text, attempts)


def nodedev(ctl, args, option="device"):
    """The NodeDevice named by option *option*: a name, or "WWNN,WWPN"."""
    return nodedev_by_text(ctl, args.string(option))


def nodedev_by_text(ctl, text):
    conn = ctl.conn
    if "," in text:
        wwnn, _, wwpn = text.partition(",")
        attempt = lambda: conn.lookup_node_device_by_wwn(wwnn, wwpn)  # noqa: E731
    else:
        attempt = lambda: conn.lookup_node_device_by_name(text)  # noqa: E731
    return first_found("Could not find matching device '%s'" % text, [attempt])


def secret(ctl, args, option="secret"):
    """The Secret whose UUID option *option* gives."""
    text = args.string(option)
    message = "failed to get secret '%s'" % text
    if not looks_like_uuid(text):
        raise CommandError(message, "uuidstr in virSecretLookupByUUIDString must "
                           "be a valid UUID")
    return first_found(message, [lambda: ctl.conn.lookup_secret_by_uuid(text)])


def nwfilter(ctl, args, option="nwfilter"):
    """The NWFilter named by option *option* (UUID, then name)."""
    text = args.string(option)
    conn = ctl.conn
    return first_found("failed to get nwfilter '%s'" % text, _uuid_then_name(
        text, True, True, conn.lookup_nwfilter_by_uuid, conn.lookup_nwfilter_by_name))
