"""Storage Pool commands (virsh help group 'pool')."""
from virtsh import jsonout
from virtsh.cmd import NUMBER, command, data, flag, opt
from virtsh.errors import CommandError, failing

POOL_EVENTS = ("lifecycle", "refresh")
POOL_STATES = ("inactive", "building", "running", "degraded", "inaccessible")


def _pool(ctl, args, **how):
    from virtsh import lookup
    return lookup.pool(ctl, args, **how)


def _yes_no(value):
    return "yes" if value else "no"


def pretty_capacity(value):
    """virsh's vshPrettyCapacity: "1.00 GiB"."""
    units = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
    scaled = float(value)
    for unit in units:
        if scaled < 1024 or unit == units[-1]:
            return "%.2f %s" % (scaled, unit)
        scaled /= 1024


def _build_flags(args):
    """virStoragePoolBuildFlags (also the create flags' build bits)."""
    if args.flag("overwrite") and args.flag("no-overwrite"):
        raise CommandError("Options --overwrite and --no-overwrite are mutually exclusive")
    return (4 if args.flag("no-overwrite") else 0) | (8 if args.flag("overwrite") else 0)


def _create_flags(args):
    """virStoragePoolCreateFlags from --build/--overwrite/--no-overwrite."""
    if args.flag("overwrite") and args.flag("no-overwrite"):
        raise CommandError("Options --overwrite and --no-overwrite are mutually exclusive")
    return ((1 if args.flag("build") else 0) | (2 if args.flag("overwrite") else 0)
            | (4 if args.flag("no-overwrite") else 0))


def _source_spec(args):
    """find-storage-pool-sources-as's <source> document (None without a host)."""
    host = args.get("host")
    if not host:
        return None
    port = args.get("port")
    lines = ["<source>\n",
             "  <host name='%s'%s/>\n" % (host, " port='%s'" % port if port else "")]
    if args.get("initiator"):
        lines.append("  <initiator>\n    <iqn name='%s'/>\n  </initiator>\n"
                     % args.get("initiator"))
    lines.append("</source>\n")
    return "".join(lines)


def _find_sources(ctl, pool_type, spec):
    with failing("Failed to find any %s pool sources" % pool_type):
        xml = ctl.conn.find_storage_pool_sources(pool_type, spec)
    ctl.print(xml, end="")


@command('find-storage-pool-sources-as', "find the pool sources on a host",
         data('type', "pool type (logical, netfs ...)", required=True),
         data('host', "host to query"),
         data('port', "port on the host"),
         data('initiator', "iSCSI initiator IQN"))
def find_storage_pool_sources_as(ctl, args):
    _find_sources(ctl, args.get("type"), _source_spec(args))


@command('find-storage-pool-sources', "find the pool sources described by a file",
         data('type', "pool type (logical, netfs ...)", required=True),
         data('srcSpec', "file with a <source> description", complete="file"))
def find_storage_pool_sources(ctl, args):
    from virtsh.cmdutil import read_file
    spec = read_file(args.get("srcSpec")) if args.given("srcSpec") else None
    _find_sources(ctl, args.get("type"), spec)


@command('pool-autostart', "make a pool start (or not) with the host",
         data('pool', "pool name or uuid", required=True, complete="pool"),
         flag('disable', "do not start the pool with the host"))
def pool_autostart(ctl, args):
    pool = _pool(ctl, args)
    name = args.get("pool")
    enable = not args.flag("disable")
    verb = "mark" if enable else "unmark"
    with failing("failed to %s pool %s as autostarted" % (verb, name)):
        pool.set_autostart(enable)
    ctl.print_extra("Pool %s %sed as autostarted" % (name, verb))


@command('pool-build', "build the storage underneath a pool",
         data('pool', "pool name or uuid", required=True, complete="pool"),
         flag('no-overwrite', "refuse to overwrite existing data"),
         flag('overwrite', "overwrite any existing data"))
def pool_build(ctl, args):
    pool = _pool(ctl, args)
    name = args.get("pool")
    with failing("Failed to build pool %s" % name):
        pool.build(_build_flags(args))
    ctl.print_extra("Pool %s built" % name)


_AS_OPTIONS = (
    data('name', "name of the pool", required=True),
    data('type', "pool type (dir, fs, netfs, logical ...)", required=True),
    flag('print-xml', "print the XML instead of using it"),
    data('source-host', "host of the storage source"),
    data('source-path', "path of the storage source"),
    data('source-dev', "device of the storage source"),
    data('source-name', "name of the storage source"),
    data('target', "target directory of the pool"),
    data('source-format', "format of the storage source"),
    data('auth-type', "authentication type (chap, ceph)"),
    data('auth-username', "authentication user name"),
    data('secret-usage', "usage of the secret holding the password"),
    data('secret-uuid', "UUID of the secret holding the password"),
    data('adapter-name', "SCSI host adapter name"),
    data('adapter-wwnn', "WWNN of a vHBA adapter"),
    data('adapter-wwpn', "WWPN of a vHBA adapter"),
    data('adapter-parent', "parent of a vHBA adapter"),
    data('adapter-parent-wwnn', "WWNN of the parent of a vHBA adapter"),
    data('adapter-parent-wwpn', "WWPN of the parent of a vHBA adapter"),
    data('adapter-parent-fabric-wwn', "fabric WWN of the parent of a vHBA adapter"),
    data('source-protocol-ver', "NFS protocol version"),
    data('source-initiator', "iSCSI initiator IQN"),
)
_BUILD_OPTIONS = (
    flag('build', "build the pool first"),
    flag('no-overwrite', "refuse to overwrite existing data when building"),
    flag('overwrite', "overwrite any existing data when building"),
)


def build_pool_xml(args):
    """The pool document virsh's pool-define-as/pool-create-as writes."""
    get = args.get
    source = []
    if get("source-host"):
        source.append("<host name='%s'/>" % get("source-host"))
    if get("source-path"):
        source.append("<dir path='%s'/>" % get("source-path"))
    if get("source-dev"):
        source.append("<device path='%s'/>" % get("source-dev"))
    if get("source-initiator"):
        source += ["<initiator>", "  <iqn name='%s'/>" % get("source-initiator"),
                   "</initiator>"]
    if get("adapter-wwnn") and get("adapter-wwpn"):
        if get("adapter-parent"):
            parent = " parent='%s'" % get("adapter-parent")
        elif get("adapter-parent-wwnn") and get("adapter-parent-wwpn"):
            parent = " parent_wwnn='%s' parent_wwpn='%s'" % (
                get("adapter-parent-wwnn"), get("adapter-parent-wwpn"))
        elif get("adapter-parent-fabric-wwn"):
            parent = " parent_fabric_wwn='%s'" % get("adapter-parent-fabric-wwn")
        else:
            parent = ""
        source.append("<adapter type='fc_host'%s wwnn='%s' wwpn='%s'/>"
                      % (parent, get("adapter-wwnn"), get("adapter-wwpn")))
    elif get("adapter-name"):
        source.append("<adapter type='scsi_host' name='%s'/>" % get("adapter-name"))
    if get("auth-type") and get("auth-username") and (get("secret-usage")
                                                       or get("secret-uuid")):
        secret = ("usage='%s'" % get("secret-usage") if get("secret-usage")
                  else "uuid='%s'" % get("secret-uuid"))
        source += ["<auth type='%s' username='%s'>" % (get("auth-type"),
                                                       get("auth-username")),
                   "  <secret %s/>" % secret, "</auth>"]
    if get("source-format"):
        source.append("<format type='%s'/>" % get("source-format"))
    if get("source-name"):
        source.append("<name>%s</name>" % get("source-name"))
    if get("source-protocol-ver"):
        source.append("<protocol ver='%s'/>" % get("source-protocol-ver"))
    lines = ["<pool type='%s'>" % get("type"), "  <name>%s</name>" % get("name")]
    if source:
        lines += ["  <source>"] + ["    " + s for s in source] + ["  </source>"]
    if get("target"):
        lines += ["  <target>", "    <path>%s</path>" % get("target"), "  </target>"]
    lines.append("</pool>")
    return "".join(line + "\n" for line in lines)


@command('pool-create-as', "create and start a transient pool from arguments",
         *(_AS_OPTIONS + _BUILD_OPTIONS))
def pool_create_as(ctl, args):
    xml = build_pool_xml(args)
    if args.flag("print-xml"):
        ctl.print(xml, end="")
        return
    flags = _create_flags(args)
    name = args.get("name")
    with failing("Failed to create pool %s" % name):
        ctl.conn.create_storage_pool(xml, flags)
    ctl.print_extra("Pool %s created" % name)


@command('pool-create', "create and start a transient pool from an XML file",
         data('file', "file with the pool XML", required=True, complete="file"),
         *_BUILD_OPTIONS)
def pool_create(ctl, args):
    from virtsh.cmdutil import read_file
    path = args.get("file")
    xml = read_file(path)
    flags = _create_flags(args)
    with failing("Failed to create pool from %s" % path):
        pool = ctl.conn.create_storage_pool(xml, flags)
    ctl.print_extra("Pool %s created from %s" % (pool.name(), path))


@command('pool-define-as', "define (but do not start) a pool from arguments",
         *_AS_OPTIONS)
def pool_define_as(ctl, args):
    xml = build_pool_xml(args)
    if args.flag("print-xml"):
        ctl.print(xml, end="")
        return
    name = args.get("name")
    with failing("Failed to define pool %s" % name):
        ctl.conn.define_storage_pool(xml)
    ctl.print_extra("Pool %s defined" % name)


@command('pool-define', "define (but do not start) a pool from an XML file",
         data('file', "file with the pool XML", required=True, complete="file"),
         flag('validate', "validate the XML document against the schema"))
def pool_define(ctl, args):
    from virtsh.cmdutil import read_file
    path = args.get("file")
    xml = read_file(path)
    with failing("Failed to define pool from %s" % path):
        pool = ctl.conn.define_storage_pool(xml, 1 if args.flag("validate") else 0)
    ctl.print_extra("Pool %s defined from %s" % (pool.name(), path))


def _simple(verb, done, method, *call_args):
    """A pool command calling one pool method: "Failed to <verb> pool X" or
    "Pool X <done>"."""
    def handler(ctl, args):
        pool = _pool(ctl, args)
        name = args.get("pool")
        with failing("Failed to %s pool %s" % (verb, name)):
            getattr(pool, method)(*call_args)
        ctl.print_extra("Pool %s %s" % (name, done))
    return handler


command('pool-delete', "delete the storage underneath an inactive pool",
        data('pool', "pool name or uuid", required=True, complete="pool"))(
    _simple("delete", "deleted", "delete"))
command('pool-destroy', "stop a pool (a transient one disappears)",
        data('pool', "pool name or uuid", required=True, complete="pool"))(
    _simple("destroy", "destroyed", "destroy"))
command('pool-refresh', "rescan the volumes of a pool",
        data('pool', "pool name or uuid", required=True, complete="pool"))(
    _simple("refresh", "refreshed", "refresh"))
command('pool-undefine', "remove the persistent definition of an inactive pool",
        data('pool', "pool name or uuid", required=True, complete="pool"))(
    _simple("undefine", "has been undefined", "undefine"))


@command('pool-dumpxml', "print the XML of a pool",
         data('pool', "pool name or uuid", required=True, complete="pool"),
         flag('inactive', "the persistent definition, not the running one"),
         opt('xpath', "print only the nodes this XPath expression selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def pool_dumpxml(ctl, args):
    from virtsh.xmlout import print_xml
    pool = _pool(ctl, args)
    xml = pool.xml_desc(1 if args.flag("inactive") else 0)
    print_xml(ctl, xml, args.get("xpath"), args.flag("wrap"))


@command('pool-edit', "edit the XML of a pool in an editor",
         data('pool', "pool name or uuid", required=True, complete="pool"))
def pool_edit(ctl, args):
    from virtsh import editing, lookup
    pool = lookup.pool(ctl, args)
    inactive = 1                        # VIR_STORAGE_XML_INACTIVE
    return editing.run(ctl, editing.Editable(
        lambda: editing.inactive_xml(pool, inactive),
        lambda xml, validate: ctl.conn.define_storage_pool(xml).name(),
        "Pool %s XML configuration not changed." % pool.name(),
        "Pool %s XML configuration edited."))


@command('pool-info', "show basic facts about a pool",
         data('pool', "pool name or uuid", required=True, complete="pool"),
         flag('bytes', "show sizes in bytes"),
         jsonout.JSON)
def pool_info(ctl, args):
    from virtsh.format import print_fields
    pool = _pool(ctl, args)
    with failing("Failed to get pool information"):
        info = pool.info()
    facts = dict(_pool_record(pool, info),
                 persistent=jsonout.probe(pool.is_persistent, bool),
                 autostart=jsonout.probe(pool.autostart, bool))
    if jsonout.wanted(args):
        return jsonout.emit(ctl, facts)
    fields = [("Name:", facts["name"]), ("UUID:", facts["uuid"]),
              ("State:", facts["state"]),
              ("Persistent:", "unknown" if facts["persistent"] is None
               else _yes_no(facts["persistent"])),
              ("Autostart:", "no autostart" if facts["autostart"] is None
               else _yes_no(facts["autostart"]))]
    if facts["capacity_bytes"] is not None:
        show = str if args.flag("bytes") else pretty_capacity
        fields += [(label, show(facts[key])) for label, key in _POOL_SIZES]
    print_fields(ctl, fields)


_POOL_SIZES = (("Capacity:", "capacity_bytes"), ("Allocation:", "allocation_bytes"),
               ("Available:", "available_bytes"))


def _pool_record(pool, info):
    """Name, UUID, state and sizes of a pool from its info(): sizes are None
    unless the pool is running (or degraded)."""
    state, capacity, allocation, available = info
    running = state in (2, 3)
    return {"name": pool.name(), "uuid": pool.uuid(),
            "state": POOL_STATES[state] if state < len(POOL_STATES) else "unknown",
            "capacity_bytes": capacity if running else None,
            "allocation_bytes": allocation if running else None,
            "available_bytes": available if running else None}


def list_flags(args):
    """ListAllStoragePools flags from pool-list's options."""
    from virtsh.drivers import storage as S
    if args.flag("all"):
        flags = S.LIST_ACTIVE | S.LIST_INACTIVE
    elif args.flag("inactive"):
        flags = S.LIST_INACTIVE
    else:
        flags = S.LIST_ACTIVE
    for option, bit in (("persistent", S.LIST_PERSISTENT),
                        ("transient", S.LIST_TRANSIENT),
                        ("autostart", S.LIST_AUTOSTART),
                        ("no-autostart", S.LIST_NO_AUTOSTART)):
        if args.flag(option):
            flags |= bit
    for pool_type in filter(None, (args.get("type") or "").split(",")):
        bit = S.list_type_flag(pool_type)
        if not bit:
            raise CommandError("Invalid pool type '%s'" % pool_type)
        flags |= bit
    return flags


@command('pool-list', "list pools",
         flag('inactive', "list inactive pools"),
         flag('all', "list inactive and active pools"),
         flag('transient', "list transient pools"),
         flag('persistent', "list persistent pools"),
         flag('autostart', "list pools that start with the host"),
         flag('no-autostart', "list pools that do not start with the host"),
         data('type', "only pools of these types (comma separated)"),
         flag('details', "show sizes and persistence too"),
         flag('uuid', "print only the UUIDs"),
         flag('name', "print only the names"),
         jsonout.JSON)
def pool_list(ctl, args):
    from virtsh.format import print_table
    for other in ("name", "uuid"):
        if args.flag("details") and args.flag(other):
            raise CommandError("Options --details and --%s are mutually exclusive"
                               % other)
    flags = list_flags(args)
    with failing("Failed to list pools"):
        pools = sorted(ctl.conn.list_all_storage_pools(flags),
                       key=lambda p: p.name().lower())
    if jsonout.wanted(args):
        return jsonout.emit(ctl, [
            dict(_pool_record(pool, pool.info()), autostart=bool(pool.autostart()), persistent=bool(pool.is_persistent()))
            for pool in pools])
    if args.flag("name") or args.flag("uuid"):
        for pool in pools:
            if args.flag("uuid"):
                ctl.print("%-36s" % pool.uuid(), end=" " if args.flag("name") else "\n")
            if args.flag("name"):
                ctl.print("%-20s" % pool.name())
        return
    details = args.flag("details")
    rows = []
    for pool in pools:
        state, capacity, allocation, available = pool.info()
        autostart = _yes_no(pool.autostart())
        if not details:
            rows.append((pool.name(), "active" if pool.is_active() else "inactive",
                         autostart))
            continue
        sizes = (("-",) * 3 if state not in (2, 3) else
                 tuple(pretty_capacity(v) for v in (capacity, allocation, available)))
        rows.append((pool.name(), POOL_STATES[state], autostart,
                     _yes_no(pool.is_persistent())) + sizes)
    header = ("Name", "State", "Autostart")
    if details:
        header += ("Persistent", "Capacity", "Allocation", "Available")
    print_table(ctl, header, rows)


@command('pool-name', "print the name of a pool given its UUID",
         data('pool', "pool uuid", required=True, complete="pool"))
def pool_name(ctl, args):
    ctl.print(_pool(ctl, args, by_name=False).name())


@command('pool-start', "start a defined pool",
         data('pool', "pool name or uuid", required=True, complete="pool"),
         *_BUILD_OPTIONS)
def pool_start(ctl, args):
    pool = _pool(ctl, args)
    name = args.get("pool")
    flags = _create_flags(args)
    with failing("Failed to start pool %s" % name):
        pool.create(flags)
    ctl.print_extra("Pool %s started" % name)


@command('pool-uuid', "print the UUID of a pool given its name",
         data('pool', "pool name", required=True, complete="pool"))
def pool_uuid(ctl, args):
    ctl.print(_pool(ctl, args, by_uuid=False).uuid())


@command('pool-event', "wait for pool events and print them",
         data('pool', "only events of this pool", complete="pool"),
         data('event', "the event to wait for (see --list)"),
         flag('loop', "go on after the first event"),
         data('timeout', "stop waiting after this many seconds", kind=NUMBER),
         flag('list', "list the event names"),
         flag('timestamp', "print a timestamp before each event"))
def pool_event(ctl, args):
    from virtsh import objevents
    if args.given("pool"):
        _pool(ctl, args)
    return objevents.run(ctl, args, POOL_EVENTS)


@command('pool-capabilities', "show what the storage driver supports")
def pool_capabilities(ctl, args):
    with failing("failed to get storage pool capabilities"):
        xml = ctl.conn.get_storage_pool_capabilities()
    ctl.print(xml, end="")
