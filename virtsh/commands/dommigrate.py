"""Domain Management commands of migration: moving a domain to another
host and the knobs of a running migration."""
from virtsh import lookup
from virtsh.cmd import Alias, NUMBER, command, data, flag, opt
from virtsh.cmdutil import flag_bits, read_file
from virtsh.errors import CommandError, failing


@command('migrate', "Move a domain to another host.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('desturi', "connection URI of the destination", required=True),
         flag('live', "migrate while the guest keeps running"),
         flag('offline', "move only the definition of a shut off domain"),
         flag('p2p', "let the source host drive the migration"),
         flag('direct', "direct migration between the hypervisors"),
         flag('tunnelled', "carry the data over the libvirt connection"),
         flag('persistent', "make the domain persistent on the destination"),
         flag('undefinesource', "undefine the domain on the source afterwards"),
         flag('suspend', "leave the domain paused on the destination"),
         flag('copy-storage-all', "copy whole disk images too"),
         flag('copy-storage-inc', "copy disk images incrementally"),
         flag('copy-storage-synchronous-writes', "make disk copies write synchronously"),
         flag('change-protection', "refuse changes to the domain during migration"),
         flag('unsafe', "migrate even if it may corrupt data"),
         flag('verbose', "show progress"),
         flag('compressed', "compress the memory data"),
         flag('auto-converge', "throttle the guest to make migration converge"),
         flag('rdma-pin-all', "pin all guest memory for RDMA"),
         flag('abort-on-error', "abort on soft errors"),
         flag('postcopy', "allow switching to post-copy"),
         flag('postcopy-after-precopy', "switch to post-copy after the first pass"),
         flag('postcopy-resume', "resume a failed post-copy migration"),
         flag('zerocopy', "use zero-copy transfers"),
         data('migrateuri', "URI for the migration data"),
         data('graphicsuri', "URI the graphics clients reconnect to"),
         data('listen-address', "address the destination listens on"),
         data('dname', "new name on the destination"),
         data('timeout', "seconds before the guest is suspended or switched to post-copy", kind=NUMBER),
         flag('timeout-suspend', "suspend the guest after the timeout"),
         flag('timeout-postcopy', "switch to post-copy after the timeout"),
         data('xml', "file with the domain XML to use on the destination"),
         data('migrate-disks', "comma separated disks to copy"),
         data('disks-port', "port for the disk copy", kind=NUMBER),
         data('disks-uri', "URI for the disk copy"),
         data('comp-methods', "comma separated compression methods"),
         data('comp-mt-level', "multithread compression level", kind=NUMBER),
         data('comp-mt-threads', "multithread compression threads", kind=NUMBER),
         data('comp-mt-dthreads', "multithread decompression threads", kind=NUMBER),
         data('comp-xbzrle-cache', "XBZRLE cache size in bytes", kind=NUMBER),
         data('auto-converge-initial', "initial auto-converge throttle", kind=NUMBER),
         data('auto-converge-increment', "auto-converge throttle increment", kind=NUMBER),
         data('persistent-xml', "file with the persistent XML for the destination"),
         flag('tls', "encrypt the data with TLS"),
         data('postcopy-bandwidth', "post-copy bandwidth in MiB/s", kind=NUMBER),
         flag('parallel', "use several connections"),
         data('parallel-connections', "how many connections", kind=NUMBER),
         data('bandwidth', "bandwidth limit in MiB/s", kind=NUMBER),
         data('tls-destination', "host name to check the TLS certificate against"),
         aliases=(Alias('tunneled', 'tunnelled'),))
def migrate(ctl, args):
    dom = lookup.domain(ctl, args)
    flags = flag_bits(args, *_MIGRATE_FLAGS)
    params = {name: args.get(option) for option, name in _MIGRATE_STRING_PARAMS
              if args.given(option)}
    for option, name in (("xml", "destination_xml"), ("persistent-xml", "persistent_xml")):
        if args.given(option):
            params[name] = read_file(args.get(option))
    for option, name in _MIGRATE_NUMBER_PARAMS:
        if args.given(option):
            params[name] = args.ulong(option)
    if args.given("timeout") and not args.flag("live"):
        raise CommandError("migrate: Unexpected timeout for offline migration")
    if (args.flag("timeout-suspend") or args.flag("timeout-postcopy")) \
            and not args.given("timeout"):
        raise CommandError("migrate: Unexpected --timeout-* option without --timeout")
    desturi = args.get("desturi")
    if flags & _MIGRATE_PEER2PEER or args.flag("direct"):
        dom.migrate_to_uri(desturi, params, flags)
        return True
    import sys
    from virtsh import drivers
    from virtsh.drivers import migrate as migration
    with failing("failed to connect to the hypervisor"):
        dest = drivers.open(desturi)
    watch = migration.Watch(_print_job_progress if args.flag("verbose") else None,
                            args.ulong("timeout") if args.given("timeout") else 0,
                            "postcopy" if args.flag("timeout-postcopy") else "suspend")
    try:
        migration.migrate(dom, dest, params, flags, watch)
    finally:
        if args.flag("verbose"):
            sys.stderr.write("\n")
    return True


def _print_job_progress(remaining, total):
    """virsh's progress line of a job, redrawn in place on stderr."""
    import sys
    percent = 100 if remaining == 0 else min(99, int(100.0 - remaining * 100.0 / total))
    sys.stdout.flush()
    sys.stderr.write("\rMigration: [%3d %%]" % percent)
    sys.stderr.flush()


@command('migrate-setmaxdowntime', "Set the longest pause a live migration may cause.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('downtime', "milliseconds", required=True, kind=NUMBER))
def migrate_setmaxdowntime(ctl, args):
    dom = lookup.domain(ctl, args)
    downtime = args.ulong("downtime")
    if downtime < 1:
        raise CommandError("Invalid downtime.")
    dom.migrate_set_max_downtime(downtime)
    return True


@command('migrate-getmaxdowntime', "Show the longest pause a live migration may cause.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def migrate_getmaxdowntime(ctl, args):
    ctl.print("%d" % lookup.domain(ctl, args).migrate_get_max_downtime())
    return True


@command('migrate-compcache', "Show or set the migration compression cache size.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         opt('size', "the new size in bytes", kind=NUMBER))
def migrate_compcache(ctl, args):
    dom = lookup.domain(ctl, args)
    if args.given("size"):
        dom.migrate_set_compression_cache(args.ulong("size"))
    size = dom.migrate_get_compression_cache()
    value, unit = _pretty_bytes(size)
    ctl.print("Compression cache: %.3f %s" % (value, unit))
    return True


@command('migrate-setspeed', "Set the bandwidth limit of migrations (MiB/s).",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('bandwidth', "MiB/s", required=True, kind=NUMBER),
         flag('postcopy', "the limit of the post-copy phase"))
def migrate_setspeed(ctl, args):
    dom = lookup.domain(ctl, args)
    dom.migrate_set_max_speed(args.ulong("bandwidth"), 1 if args.flag("postcopy") else 0)
    return True


@command('migrate-getspeed', "Show the bandwidth limit of migrations (MiB/s).",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('postcopy', "the limit of the post-copy phase"))
def migrate_getspeed(ctl, args):
    dom = lookup.domain(ctl, args)
    ctl.print("%d" % dom.migrate_get_max_speed(1 if args.flag("postcopy") else 0))
    return True


@command('migrate-postcopy', "Switch a running migration to post-copy.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def migrate_postcopy(ctl, args):
    lookup.domain(ctl, args).migrate_start_post_copy()
    return True


# virDomainMigrateFlags of migrate's boolean options
_MIGRATE_PEER2PEER = 2


_MIGRATE_FLAGS = (
    ("live", 1), ("p2p", _MIGRATE_PEER2PEER), ("tunnelled", 4), ("persistent", 8),
    ("undefinesource", 16), ("suspend", 32), ("copy-storage-all", 64),
    ("copy-storage-inc", 128), ("change-protection", 256), ("unsafe", 512),
    ("offline", 1024), ("compressed", 2048), ("abort-on-error", 4096),
    ("auto-converge", 8192), ("rdma-pin-all", 16384), ("postcopy", 32768),
    ("tls", 65536), ("parallel", 131072),
    ("copy-storage-synchronous-writes", 262144), ("postcopy-resume", 524288),
    ("zerocopy", 1048576),
)


# migrate's options that become typed parameters (libvirt's VIR_MIGRATE_PARAM_*)
_MIGRATE_STRING_PARAMS = (
    ("migrateuri", "migrate_uri"), ("graphicsuri", "graphics_uri"),
    ("listen-address", "listen_address"), ("dname", "destination_name"),
    ("migrate-disks", "migrate_disks"), ("disks-uri", "disks_uri"),
    ("comp-methods", "compression"), ("tls-destination", "tls.destination"),
)


_MIGRATE_NUMBER_PARAMS = (
    ("disks-port", "disks_port"), ("comp-mt-level", "compression.mt.level"),
    ("comp-mt-threads", "compression.mt.threads"),
    ("comp-mt-dthreads", "compression.mt.dthreads"),
    ("comp-xbzrle-cache", "compression.xbzrle.cache"),
    ("auto-converge-initial", "auto_converge.initial"),
    ("auto-converge-increment", "auto_converge.increment"),
    ("postcopy-bandwidth", "bandwidth.postcopy"),
    ("parallel-connections", "parallel.connections"), ("bandwidth", "bandwidth"),
)


def _pretty_bytes(size):
    """(value, unit) with the largest binary unit that keeps value >= 1."""
    units = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
    value, i = float(size), 0
    while value >= 1024 and i < len(units) - 1:
        value /= 1024
        i += 1
    return value, units[i]
