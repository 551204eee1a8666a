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
    name = args.get(option)
    return domain_by_text(ctl, name)


def domain_by_text(ctl, name):
    conn = ctl.conn
    tries = []
    if name.isdigit() or (name.startswith("-") and name[1:].isdigit()):
        tries.append(lambda: conn.lookup_domain_by_id(int(name)))
    if looks_like_uuid(name):
        tries.append(lambda: conn.lookup_domain_by_uuid(name))
    tries.append(lambda: conn.lookup_domain_by_name(name))
    for attempt in tries:
        try:
            return attempt()
        except VirtError:
            continue
    raise CommandError("failed to get domain '%s'" % name)
