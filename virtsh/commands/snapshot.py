"""Snapshot commands (virsh help group 'snapshot')."""
from virtsh import jsonout, lookup
from virtsh import moments as M
from virtsh.cmdutil import flag_bits, read_file
from virtsh.cmd import argv, command, data, flag, opt
from virtsh.errors import CommandError, failing
from virtsh.format import field_line
from virtsh.xmlout import print_xml

# drivers.snapshot's flag values (not imported: start-up budget)
CREATE_REDEFINE, CREATE_CURRENT, CREATE_NO_METADATA, CREATE_HALT = 1, 2, 4, 8
CREATE_DISK_ONLY, CREATE_REUSE_EXT, CREATE_QUIESCE, CREATE_ATOMIC = 16, 32, 64, 128
CREATE_LIVE, CREATE_VALIDATE = 256, 512
LIST_ROOTS = LIST_DESCENDANTS = 1
LIST_METADATA, LIST_LEAVES, LIST_NO_LEAVES, LIST_NO_METADATA = 2, 4, 8, 16
LIST_INACTIVE, LIST_ACTIVE, LIST_DISK_ONLY, LIST_INTERNAL = 32, 64, 128, 256
LIST_EXTERNAL, LIST_TOPOLOGICAL = 512, 1024
REVERT_RUNNING, REVERT_PAUSED, REVERT_FORCE, REVERT_RESET_NVRAM = 1, 2, 4, 8
DELETE_CHILDREN, DELETE_METADATA_ONLY, DELETE_CHILDREN_ONLY = 1, 2, 4
XML_SECURE = 1
NO_DOMAIN_SNAPSHOT = 72         # error code: "has no parent"
SNAPSHOT_REVERT_RISKY = 73

_CREATE_FLAGS = (("halt", CREATE_HALT), ("disk-only", CREATE_DISK_ONLY),
                 ("reuse-external", CREATE_REUSE_EXT), ("quiesce", CREATE_QUIESCE),
                 ("atomic", CREATE_ATOMIC), ("live", CREATE_LIVE),
                 ("validate", CREATE_VALIDATE), ("no-metadata", CREATE_NO_METADATA))


def _domain_option():
    return data('domain', "domain name, id or uuid", required=True, complete="domain")


def _create(ctl, dom, xml, flags, source=None):
    snap = dom.snapshot_create_xml(xml, flags)
    if source is None:
        ctl.print_extra("Domain snapshot %s created" % snap.name(), end="")
    else:
        ctl.print_extra("Domain snapshot %s created from '%s'" % (snap.name(), source),
                        end="")


@command('snapshot-create', "Create a snapshot from an XML file",
         _domain_option(),
         data('xmlfile', "snapshot XML file (default: a snapshot with generated name)",
              complete="file"),
         flag('redefine', "record the metadata of an existing snapshot again"),
         flag('current', "with --redefine, make it the current snapshot"),
         flag('no-metadata', "take the snapshot without keeping metadata"),
         flag('halt', "stop the domain once the snapshot is taken"),
         flag('disk-only', "snapshot the disks only, not the memory"),
         flag('reuse-external', "reuse existing external files"),
         flag('quiesce', "quiesce the guest's file systems"),
         flag('atomic', "all disks at once or none"),
         flag('live', "snapshot while the domain keeps running"),
         flag('validate', "validate the XML against the schema"),
         desc="Create a snapshot (disks and memory) of a domain from an XML description.")
def snapshot_create(ctl, args):
    flags = flag_bits(args, ("redefine", CREATE_REDEFINE), ("current", CREATE_CURRENT),
                      *_CREATE_FLAGS)
    dom = lookup.domain(ctl, args)
    path = args.string("xmlfile")
    xml = "<domainsnapshot/>" if path is None else read_file(path)
    _create(ctl, dom, xml, flags, path)


def _memspec_line(spec):
    fields = M.spec_fields(spec)
    bare = [f for f in fields if f.startswith("/") and not f.startswith("file=")]
    if len(bare) > 1:
        raise CommandError("unable to parse memspec: %s" % spec)
    found = M.keyed_fields([f for f in fields if f not in bare],
                           ("snapshot", "file"), "memspec", spec)
    if bare:
        if "file" in found:
            raise CommandError("unable to parse memspec: %s" % spec)
        found["file"] = bare[0]
    line = "<memory"
    if "snapshot" in found:
        line += " snapshot='%s'" % M.escape(found["snapshot"])
    if "file" in found:
        line += " file='%s'" % M.escape(found["file"])
    return line + "/>"


def _diskspec_lines(spec):
    if not spec:
        return ["/>"]
    fields = M.spec_fields(spec)
    found = M.keyed_fields(fields[1:], ("snapshot", "driver", "file"), "diskspec", spec)
    line = "<disk name='%s'" % M.escape(fields[0])
    if "snapshot" in found:
        line += " snapshot='%s'" % found["snapshot"]
    if "driver" not in found and "file" not in found:
        return [line + "/>"]
    lines = [line + ">"]
    if "driver" in found:
        lines.append("  <driver type='%s'/>" % found["driver"])
    if "file" in found:
        lines.append("  <source file='%s'/>" % M.escape(found["file"]))
    return lines + ["</disk>"]


@command('snapshot-create-as', "Create a snapshot from command-line arguments",
         _domain_option(),
         data('name', "name of the new snapshot"),
         data('description', "description of the new snapshot"),
         flag('print-xml', "print the snapshot XML instead of creating it"),
         flag('no-metadata', "take the snapshot without keeping metadata"),
         flag('halt', "stop the domain once the snapshot is taken"),
         flag('disk-only', "snapshot the disks only, not the memory"),
         flag('reuse-external', "reuse existing external files"),
         flag('quiesce', "quiesce the guest's file systems"),
         flag('atomic', "all disks at once or none"),
         flag('live', "snapshot while the domain keeps running"),
         flag('validate', "validate the XML against the schema"),
         opt('memspec', "where the memory goes: [file=]name[,snapshot=type]"),
         argv('diskspec', "a disk: disk[,snapshot=type][,driver=type][,file=name]"),
         desc="Create a snapshot (disks and memory) of a domain from the options given.")
def snapshot_create_as(ctl, args):
    flags = flag_bits(args, *_CREATE_FLAGS)
    dom = lookup.domain(ctl, args)
    lines = []
    name, description = args.string("name"), args.string("description")
    if name is not None:
        lines.append("<name>%s</name>" % M.escape(name))
    if description is not None:
        lines.append("<description>%s</description>" % M.escape(description))
    memspec = args.string("memspec")
    if memspec is not None:
        lines.append(_memspec_line(memspec))
    if args.given("diskspec"):
        lines.append("<disks>")
        for spec in args.argv("diskspec"):
            lines.extend("  " + line for line in _diskspec_lines(spec))
        lines.append("</disks>")
    xml = "<domainsnapshot>\n%s</domainsnapshot>\n" % "".join(
        "  %s\n" % line for line in lines)
    if args.flag("print-xml"):
        ctl.print(xml)
        return
    _create(ctl, dom, xml, flags)


def _snapshot(ctl, args, dom, option="snapshotname", exclusive=True):
    """The snapshot named by *option* or --current (virsh's rules)."""
    name = args.string(option)
    current = args.flag("current")
    if exclusive and current and name is not None:
        raise CommandError("--%s and --current are mutually exclusive" % option)
    if name is not None:
        return dom.snapshot_lookup_by_name(name)
    if current:
        return dom.snapshot_current()
    raise CommandError("--%s or --current is required" % option)


@command('snapshot-current', "Show or set the current snapshot",
         _domain_option(),
         flag('name', "show only the name, not the XML"),
         flag('security-info', "include security-sensitive data in the XML"),
         data('snapshotname', "existing snapshot to make the current one",
              complete="snapshot"),
         desc="Show the current snapshot of a domain, or make another snapshot current.")
def snapshot_current(ctl, args):
    args.exclusive("name", "snapshotname")
    dom = lookup.domain(ctl, args)
    name = args.string("snapshotname")
    if name is not None:
        snap = dom.snapshot_lookup_by_name(name)
        xml = snap.xml_desc(XML_SECURE)
        flags = CREATE_REDEFINE | CREATE_CURRENT
        if "<state>disk-snapshot</state>" in xml:
            flags |= CREATE_DISK_ONLY
        dom.snapshot_create_xml(xml, flags)
        ctl.print_extra("Snapshot %s set as current" % name, end="")
        return
    if not dom.has_current_snapshot():
        raise CommandError("domain '%s' has no current snapshot" % args.get("domain"))
    snap = dom.snapshot_current()
    if args.flag("name"):
        ctl.print(snap.name(), end="")
    else:
        ctl.print(snap.xml_desc(XML_SECURE if args.flag("security-info") else 0), end="")


@command('snapshot-delete', "Delete a snapshot",
         _domain_option(),
         data('snapshotname', "snapshot to delete", complete="snapshot"),
         flag('current', "delete the current snapshot"),
         flag('children', "delete the snapshot and all its descendants"),
         flag('children-only', "delete the descendants but keep the snapshot"),
         flag('metadata', "forget the snapshot's metadata, keep its data"),
         desc="Delete a snapshot of a domain (and optionally its descendants).")
def snapshot_delete(ctl, args):
    dom = lookup.domain(ctl, args)
    snap = _snapshot(ctl, args, dom)
    flags = flag_bits(args, ("children", DELETE_CHILDREN),
                      ("children-only", DELETE_CHILDREN_ONLY),
                      ("metadata", DELETE_METADATA_ONLY))
    with failing("Failed to delete snapshot %s" % snap.name()):
        snap.delete(flags)
    if flags & DELETE_CHILDREN_ONLY:
        ctl.print_extra("Domain snapshot %s children deleted\n" % snap.name(), end="")
    else:
        ctl.print_extra("Domain snapshot %s deleted\n" % snap.name(), end="")


@command('snapshot-dumpxml', "Show the XML of a snapshot",
         _domain_option(),
         data('snapshotname', "snapshot name", required=True, complete="snapshot"),
         flag('security-info', "include security-sensitive data"),
         opt('xpath', "show only the nodes this XPath expression selects"),
         flag('wrap', "wrap the --xpath results in a <nodes> element"),
         desc="Print the XML description of a snapshot.")
def snapshot_dumpxml(ctl, args):
    name = args.string("snapshotname")
    dom = lookup.domain(ctl, args)
    snap = dom.snapshot_lookup_by_name(name)
    xml = snap.xml_desc(XML_SECURE if args.flag("security-info") else 0)
    print_xml(ctl, xml, args.get("xpath"), args.flag("wrap"))


@command('snapshot-edit', "Edit the XML of a snapshot",
         _domain_option(),
         data('snapshotname', "snapshot to edit", complete="snapshot"),
         flag('current', "edit the current snapshot, or make the edited one current"),
         flag('rename', "allow the edit to rename the snapshot"),
         flag('clone', "allow the edit to copy the snapshot under a new name"),
         desc="Edit a snapshot's XML in $VISUAL or $EDITOR and record the result.")
def snapshot_edit(ctl, args):
    from virtsh import editing
    args.exclusive("rename", "clone")
    flags = CREATE_REDEFINE
    if args.flag("current") and args.given("snapshotname"):
        flags |= CREATE_CURRENT
    dom = lookup.domain(ctl, args)
    snap = _snapshot(ctl, args, dom, exclusive=False)
    name = snap.name()

    def define(xml, validate):
        define_flags = flags
        if "<state>disk-snapshot</state>" in xml:
            define_flags |= CREATE_DISK_ONLY
        edited = dom.snapshot_create_xml(xml, define_flags)
        if edited.name() == name:
            return "Snapshot %s edited." % name
        if args.flag("clone"):
            return "Snapshot %s cloned to %s." % (name, edited.name())
        from virtsh.drivers.errors import VirtError
        try:
            (snap if args.flag("rename") else edited).delete(DELETE_METADATA_ONLY)
        except VirtError as e:
            raise CommandError(e, "Failed to clean up %s" % (
                name if args.flag("rename") else edited.name()),
                "Failed to update %s" % name) from None
        if not args.flag("rename"):
            raise CommandError("Must use --rename or --clone to change %s to %s"
                               % (name, edited.name()), "Failed to update %s" % name)
        return "Snapshot %s edited." % name

    return editing.run(ctl, editing.Editable(
        lambda: snap.xml_desc(XML_SECURE), define,
        "Snapshot %s XML configuration not changed." % name, "%s",
        define_unchanged=bool(flags & CREATE_CURRENT)))


def _snapshot_state(snap):
    """(state, external, parent, creation time) read from the snapshot XML."""
    root = M.parse_xml(snap.xml_desc())
    state = root.findtext("state") or ""
    if root.find("memory") is not None:
        external = (root.find("memory[@snapshot='external']") is not None or
                    root.find("disks/disk[@snapshot='external']") is not None)
    else:
        external = state == "disk-snapshot"
    created = int(root.findtext("creationTime") or 0)
    return state, external, root.findtext("parent/name"), created


@command('snapshot-info', "Show information about a snapshot",
         _domain_option(),
         data('snapshotname', "snapshot name", complete="snapshot"),
         flag('current', "the current snapshot"),
         jsonout.JSON,
         desc="Show a snapshot's state, location, parent and number of descendants.")
def snapshot_info(ctl, args):
    dom = lookup.domain(ctl, args)
    snap = _snapshot(ctl, args, dom)
    state, external, parent, _ = _snapshot_state(snap)
    facts = {"name": snap.name(), "domain": dom.name(), "current": bool(snap.is_current()),
             "state": state, "location": "external" if external else "internal",
             "parent": parent, "children": snap.num_children(0),
             "descendants": snap.num_children(LIST_DESCENDANTS),
             "metadata": bool(snap.has_metadata())}
    if jsonout.wanted(args):
        return jsonout.emit(ctl, facts)
    for label, key in (("Name:", "name"), ("Domain:", "domain"), ("Current:", "current"),
                       ("State:", "state"), ("Location:", "location"),
                       ("Parent:", "parent"), ("Children:", "children"),
                       ("Descendants:", "descendants"), ("Metadata:", "metadata")):
        value = facts[key]
        if isinstance(value, bool):
            value = "yes" if value else "no"
        ctl.print(field_line(label, "-" if value is None else value))


_LIST_FILTERS = (("leaves", LIST_LEAVES), ("no-leaves", LIST_NO_LEAVES),
                 ("inactive", LIST_INACTIVE), ("active", LIST_ACTIVE),
                 ("disk-only", LIST_DISK_ONLY), ("internal", LIST_INTERNAL),
                 ("external", LIST_EXTERNAL))


@command('snapshot-list', "List the snapshots of a domain",
         _domain_option(),
         flag('parent', "add a column with each snapshot's parent"),
         flag('roots', "only snapshots without a parent"),
         flag('leaves', "only snapshots without children"),
         flag('no-leaves', "only snapshots with children"),
         flag('metadata', "only snapshots whose metadata would block undefine"),
         flag('no-metadata', "only snapshots without metadata kept by libvirt"),
         flag('inactive', "only snapshots taken while the domain was off"),
         flag('active', "only snapshots taken while the domain ran"),
         flag('disk-only', "only disk-only snapshots"),
         flag('internal', "only internal snapshots"),
         flag('external', "only external snapshots"),
         flag('tree', "draw the snapshots as a tree"),
         data('from', "only the children of this snapshot", complete="snapshot"),
         flag('current', "only the children of the current snapshot"),
         flag('descendants', "with --from or --current: all descendants"),
         flag('name', "print only the names"),
         flag('topological', "parents before children instead of by name"),
         jsonout.JSON,
         desc="List the snapshots of a domain as a table, names or a tree.")
def snapshot_list(ctl, args):
    for pair in (("tree", "name"), ("parent", "roots"), ("parent", "tree"),
                 ("roots", "tree"), ("roots", "from"), ("roots", "current")):
        args.exclusive(*pair)
    for name, _ in _LIST_FILTERS:
        if args.flag(name) and args.flag("tree"):
            raise CommandError("--%s and --tree are mutually exclusive" % name)
    flags = flag_bits(args, ("topological", LIST_TOPOLOGICAL), ("roots", LIST_ROOTS),
                      ("metadata", LIST_METADATA), ("no-metadata", LIST_NO_METADATA),
                      *_LIST_FILTERS)
    if args.flag("descendants"):
        if not args.given("from") and not args.flag("current"):
            raise CommandError("--descendants requires either --from or --current")
        flags |= LIST_DESCENDANTS
    dom = lookup.domain(ctl, args)
    start = None
    if args.given("from") or args.flag("current"):
        start = _snapshot(ctl, args, dom, option="from")
    snaps = start.list_all_children(flags) if start else dom.list_all_snapshots(flags)
    return M.print_listing(ctl, args, start, snaps, flags & LIST_TOPOLOGICAL,
                           NO_DOMAIN_SNAPSHOT, _snapshot_record,
                           lambda items: _table(items, args))


def _snapshot_record(snap):
    """One snapshot of ``snapshot-list --json``."""
    state, external, parent, created = _snapshot_state(snap)
    return {"name": snap.name(), "creation_time": created, "state": state,
            "location": "external" if external else "internal", "parent": parent}


def _table(snaps, args):
    header = ["Name", "Creation Time", "State"]
    if args.flag("parent"):
        header.append("Parent")
    rows = []
    for snap in snaps:
        state, _, parent, created = _snapshot_state(snap)
        row = [snap.name(), M.creation_time(created), state]
        if args.flag("parent"):
            row.append(parent or "")
        rows.append(row)
    return header, rows


@command('snapshot-parent', "Show the parent of a snapshot",
         _domain_option(),
         data('snapshotname', "snapshot name", complete="snapshot"),
         flag('current', "the current snapshot"),
         desc="Print the name of a snapshot's parent, if it has one.")
def snapshot_parent(ctl, args):
    dom = lookup.domain(ctl, args)
    snap = _snapshot(ctl, args, dom)
    parent = M.parent_name(snap, NO_DOMAIN_SNAPSHOT)
    if parent is None:
        raise CommandError("snapshot '%s' has no parent" % snap.name())
    ctl.print(parent, end="")


@command('snapshot-revert', "Revert a domain to a snapshot",
         _domain_option(),
         data('snapshotname', "snapshot name", complete="snapshot"),
         flag('current', "revert to the current snapshot"),
         flag('running', "leave the domain running afterwards"),
         flag('paused', "leave the domain paused afterwards"),
         flag('force', "go ahead with risky reverts"),
         flag('reset-nvram', "start from a fresh copy of the NVRAM template"),
         desc="Bring a domain back to the state a snapshot recorded.")
def snapshot_revert(ctl, args):
    from virtsh.drivers.errors import VirtError
    flags = flag_bits(args, ("running", REVERT_RUNNING), ("paused", REVERT_PAUSED),
                      ("reset-nvram", REVERT_RESET_NVRAM))
    dom = lookup.domain(ctl, args)
    snap = _snapshot(ctl, args, dom)
    try:
        try:
            snap.revert(flags)
        except VirtError as e:
            if not (args.flag("force") and e.code == SNAPSHOT_REVERT_RISKY):
                raise
            snap.revert(flags | REVERT_FORCE)
    except VirtError as e:
        raise CommandError("Failed to revert snapshot %s" % snap.name(), e) from None
    ctl.print_extra("Domain snapshot %s reverted\n" % snap.name(), end="")
