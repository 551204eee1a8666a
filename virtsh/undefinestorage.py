"""The storage side of ``undefine --storage/--remove-all-storage/--wipe-storage``.

virsh does this in the client, through the public API: it reads the
domain's disks before the undefine, resolves each to a storage volume,
and deletes (optionally wipes) those volumes once the domain is gone.
"""
from virtsh.drivers.errors import VirtError
from virtsh.errors import CommandError

# Where a disk names its source, in the order virsh looks.
_SOURCE_ATTRS = ("file", "dir", "name", "dev", "volume")


def check_options(args):
    """virsh's option rules, checked before anything is looked up."""
    if args.flag("wipe-storage") and not (args.given("storage")
                                          or args.flag("remove-all-storage")):
        raise CommandError("'--wipe-storage' requires '--storage <string>' or "
                           "'--remove-all-storage'")


def volumes_to_remove(ctl, dom, wanted, remove_all):
    """[(target, source, volume)] of the disks to remove with the domain.

    *wanted* is the --storage list (targets or sources, comma separated)
    or None.  Disks outside any pool are reported and skipped; a name in
    *wanted* that matches no disk stops the undefine (CommandError)."""
    if wanted is None and not remove_all:
        return []
    if dom.is_active():
        raise CommandError("Storage volume deletion is supported only on stopped domains")
    if wanted is not None and remove_all:
        raise CommandError("Specified both --storage and --remove-all-storage")
    from virtsh.domxml import domain_tree
    tokens = wanted.split(",") if wanted is not None else None
    found = []
    for disk in domain_tree(dom).findall("devices/disk"):
        target, pool, source = _describe(disk)
        if source is None:
            continue
        if tokens is not None:
            picked = next((t for t in tokens if t in (target, source)), None)
            if picked is None:
                continue
            tokens.remove(picked)
        vol = _lookup(ctl.conn, pool, source)
        if vol is None:
            ctl.error("Storage volume '%s'(%s) is not managed by libvirt. "
                      "Remove it manually.\n" % (target, source))
            continue
        found.append((target, source, vol))
    if tokens:
        for token in tokens:
            ctl.error("Volume '%s' was not found in domain's definition.\n" % token)
        raise CommandError()
    return found


def _describe(disk):
    target = disk.find("target")
    src = disk.find("source")
    source = None
    if src is not None:
        source = next((src.get(a) for a in _SOURCE_ATTRS if src.get(a)), None)
    return (target.get("dev") if target is not None else ""), \
        (src.get("pool") if src is not None else None), source


def _lookup(conn, pool, source):
    try:
        if pool:
            return conn.lookup_storage_pool_by_name(pool).lookup_volume_by_name(source)
        return conn.lookup_storage_vol_by_path(source)
    except VirtError:
        return None


def remove(ctl, found, wipe):
    """Delete (after wiping, if asked) the volumes; False if one failed."""
    ok = True
    last_error = None
    for target, source, vol in found:
        if wipe:
            ctl.print_extra("Wiping volume '%s'(%s) ... " % (target, source), end="")
            try:
                vol.wipe()
            except VirtError as e:
                ctl.error("Failed! Volume not removed.")
                ok, last_error = False, e
                continue
            ctl.print_extra("Done.")
        try:
            vol.delete()
        except VirtError as e:
            ctl.error("Failed to remove storage volume '%s'(%s)" % (target, source))
            ok, last_error = False, e
            continue
        ctl.print_extra("Volume '%s'(%s) removed." % (target, source))
    if last_error is not None:
        ctl.error(str(last_error))
    return ok
