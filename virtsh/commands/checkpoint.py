"""Checkpoint commands (virsh help group 'checkpoint')."""
from virtsh import jsonout, lookup
from virtsh import moments as M
from virtsh.cmdutil import flag_bits, read_file
from virtsh.cmd import argv, command, data, flag, opt
from virtsh.errors import CommandError, failing
from virtsh.format import field_line
from virtsh.xmlout import print_xml

# drivers.snapshot's CHECKPOINT_* values (not imported: start-up budget)
CREATE_REDEFINE, CREATE_QUIESCE, CREATE_REDEFINE_VALIDATE = 1, 2, 4
LIST_ROOTS = LIST_DESCENDANTS = 1
LIST_TOPOLOGICAL, LIST_LEAVES, LIST_NO_LEAVES = 2, 4, 8
DELETE_CHILDREN, DELETE_METADATA_ONLY, DELETE_CHILDREN_ONLY = 1, 2, 4
XML_SECURE, XML_NO_DOMAIN, XML_SIZE = 1, 2, 4
NO_DOMAIN_CHECKPOINT = 103      # error code: "has no parent"


def _domain_option(complete="domain"):
    return data('domain', "domain name, id or uuid", required=True, complete=complete)


def _name_option(help):
    return data('checkpointname', help, complete="checkpoint")


def _create(ctl, dom, xml, flags, source=None):
    chk = dom.checkpoint_create_xml(xml, flags)
    if source is None:
        ctl.print_extra("Domain checkpoint %s created" % chk.name(), end="")
    else:
        ctl.print_extra("Domain checkpoint %s created from '%s'" % (chk.name(), source),
                        end="")


@command('checkpoint-create', "Create a checkpoint from an XML file",
         _domain_option("domain-active"),
         data('xmlfile', "checkpoint XML file (default: a checkpoint with generated name)",
              complete="file"),
         flag('redefine', "record the metadata of an existing checkpoint again"),
         flag('redefine-validate', "with --redefine, check the recorded checkpoint"),
         flag('quiesce', "quiesce the guest's file systems"),
         desc="Create a checkpoint of a running domain, for later incremental backups.")
def checkpoint_create(ctl, args):
    if args.flag("redefine-validate") and not args.flag("redefine"):
        raise CommandError("Option --redefine is required by option --redefine-validate")
    flags = flag_bits(args, ("redefine", CREATE_REDEFINE),
                      ("redefine-validate", CREATE_REDEFINE_VALIDATE),
                      ("quiesce", CREATE_QUIESCE))
    dom = lookup.domain(ctl, args)
    path = args.string("xmlfile")
    xml = "<domaincheckpoint/>" if path is None else read_file(path)
    _create(ctl, dom, xml, flags, path)


def _diskspec_line(spec):
    if not spec:
        return "/>"
    fields = M.spec_fields(spec)
    found = M.keyed_fields(fields[1:], ("checkpoint", "bitmap"), "diskspec", spec)
    line = "<disk name='%s'" % M.escape(fields[0])
    for key in ("checkpoint", "bitmap"):
        if key in found:
            line += " %s='%s'" % (key, found[key])
    return line + "/>"


@command('checkpoint-create-as', "Create a checkpoint from command-line arguments",
         _domain_option("domain-active"),
         data('name', "name of the new checkpoint"),
         data('description', "description of the new checkpoint"),
         flag('print-xml', "print the checkpoint XML instead of creating it"),
         flag('quiesce', "quiesce the guest's file systems"),
         argv('diskspec', "a disk: disk[,checkpoint=type][,bitmap=name]"),
         desc="Create a checkpoint of a running domain from the options given.")
def checkpoint_create_as(ctl, args):
    dom = lookup.domain(ctl, args)
    lines = []
    name, description = args.string("name"), args.string("description")
    if name is not None:
        lines.append("<name>%s</name>" % M.escape(name))
    if description is not None:
        lines.append("<description>%s</description>" % M.escape(description))
    if args.given("diskspec"):
        lines.append("<disks>")
        lines.extend("  " + _diskspec_line(spec) for spec in args.argv("diskspec"))
        lines.append("</disks>")
    xml = "<domaincheckpoint>\n%s</domaincheckpoint>\n" % "".join(
        "  %s\n" % line for line in lines)
    if args.flag("print-xml"):
        ctl.print(xml)
        return
    _create(ctl, dom, xml, CREATE_QUIESCE if args.flag("quiesce") else 0)


def _checkpoint(args, dom, option="checkpointname"):
    name = args.string(option)
    if name is None:
        raise CommandError("--%s is required" % option)
    return dom.checkpoint_lookup_by_name(name)


@command('checkpoint-delete', "Delete a checkpoint",
         _domain_option("domain-active"),
         _name_option("checkpoint to delete"),
         flag('children', "delete the checkpoint and all its descendants"),
         flag('children-only', "delete the descendants but keep the checkpoint"),
         flag('metadata', "forget the checkpoint's metadata, keep its data"),
         desc="Delete a checkpoint of a domain (and optionally its descendants).")
def checkpoint_delete(ctl, args):
    dom = lookup.domain(ctl, args)
    chk = _checkpoint(args, dom)
    flags = flag_bits(args, ("children", DELETE_CHILDREN),
                      ("children-only", DELETE_CHILDREN_ONLY),
                      ("metadata", DELETE_METADATA_ONLY))
    with failing("Failed to delete checkpoint %s" % chk.name()):
        chk.delete(flags)
    what = "children deleted" if flags & DELETE_CHILDREN_ONLY else "deleted"
    ctl.print_extra("Domain checkpoint %s %s\n" % (chk.name(), what), end="")


@command('checkpoint-dumpxml', "Show the XML of a checkpoint",
         _domain_option(),
         _name_option("checkpoint name"),
         flag('security-info', "include security-sensitive data"),
         flag('no-domain', "leave out the <domain> copy"),
         flag('size', "include the estimated size of a backup"),
         opt('xpath', "show only the nodes this XPath expression selects"),
         flag('wrap', "wrap the --xpath results in a <nodes> element"),
         desc="Print the XML description of a checkpoint.")
def checkpoint_dumpxml(ctl, args):
    flags = flag_bits(args, ("security-info", XML_SECURE), ("no-domain", XML_NO_DOMAIN),
                      ("size", XML_SIZE))
    dom = lookup.domain(ctl, args)
    chk = _checkpoint(args, dom)
    print_xml(ctl, chk.xml_desc(flags), args.get("xpath"), args.flag("wrap"))


@command('checkpoint-edit', "Edit the XML of a checkpoint",
         _domain_option(),
         _name_option("checkpoint to edit"),
         desc="Edit a checkpoint's XML in $VISUAL or $EDITOR and record the result.")
def checkpoint_edit(ctl, args):
    from virtsh import editing
    dom = lookup.domain(ctl, args)
    chk = _checkpoint(args, dom)
    name = chk.name()

    def define(xml, validate):
        edited = dom.checkpoint_create_xml(xml, CREATE_REDEFINE)
        if edited.name() == name:
            return name
        with failing("Failed to clean up %s" % edited.name()):
            edited.delete(DELETE_METADATA_ONLY)
        raise CommandError("Cannot rename checkpoint %s to %s" % (name, edited.name()),
                           "Failed to update %s" % name)

    return editing.run(ctl, editing.Editable(
        lambda: chk.xml_desc(XML_SECURE), define,
        "Checkpoint %s XML configuration not changed." % name,
        "Checkpoint %s edited."))


@command('checkpoint-info', "Show information about a checkpoint",
         _domain_option(),
         _name_option("checkpoint name"),
         desc="Show a checkpoint's parent and number of descendants.")
def checkpoint_info(ctl, args):
    dom = lookup.domain(ctl, args)
    chk = _checkpoint(args, dom)
    ctl.print(field_line("Name:", chk.name()))
    ctl.print(field_line("Domain:", dom.name()))
    ctl.print(field_line("Parent:", M.parent_name(chk, NO_DOMAIN_CHECKPOINT) or "-"))
    ctl.print(field_line("Children:", len(chk.list_all_children(0))))
    ctl.print(field_line("Descendants:",
                               len(chk.list_all_children(LIST_DESCENDANTS))))


@command('checkpoint-list', "List the checkpoints of a domain",
         _domain_option(),
         flag('parent', "add a column with each checkpoint's parent"),
         flag('roots', "only checkpoints without a parent"),
         flag('leaves', "only checkpoints without children"),
         flag('no-leaves', "only checkpoints with children"),
         flag('tree', "draw the checkpoints as a tree"),
         data('from', "only the children of this checkpoint", complete="checkpoint"),
         flag('descendants', "with --from: all descendants"),
         flag('name', "print only the names"),
         flag('topological', "parents before children instead of by name"),
         jsonout.JSON,
         desc="List the checkpoints of a domain as a table, names or a tree.")
def checkpoint_list(ctl, args):
    for pair in (("tree", "name"), ("parent", "roots"), ("parent", "tree"),
                 ("roots", "tree"), ("roots", "from")):
        args.exclusive(*pair)
    for name in ("leaves", "no-leaves"):
        if args.flag(name) and args.flag("tree"):
            raise CommandError("--%s and --tree are mutually exclusive" % name)
    flags = flag_bits(args, ("leaves", LIST_LEAVES), ("no-leaves", LIST_NO_LEAVES),
                      ("topological", LIST_TOPOLOGICAL), ("roots", LIST_ROOTS))
    if args.flag("descendants"):
        if not args.given("from"):
            raise CommandError("--descendants requires --from")
        flags |= LIST_DESCENDANTS
    dom = lookup.domain(ctl, args)
    start = _checkpoint(args, dom, "from") if args.given("from") else None
    chks = start.list_all_children(flags) if start else dom.list_all_checkpoints(flags)
    return M.print_listing(ctl, args, start, chks, flags & LIST_TOPOLOGICAL,
                           NO_DOMAIN_CHECKPOINT, _record, lambda items: _table(items, args))


def _record(chk):
    """Name, creation time (seconds since the epoch) and parent of a checkpoint."""
    root = M.parse_xml(chk.xml_desc(XML_NO_DOMAIN))
    return {"name": chk.name(),
            "creation_time": int(root.findtext("creationTime") or 0),
            "parent": root.findtext("parent/name")}


def _table(chks, args):
    header = ["Name", "Creation Time"]
    if args.flag("parent"):
        header.append("Parent")
    rows = []
    for chk in chks:
        record = _record(chk)
        row = [record["name"], M.creation_time(record["creation_time"])]
        if args.flag("parent"):
            row.append(record["parent"] or "")
        rows.append(row)
    return header, rows


@command('checkpoint-parent', "Show the parent of a checkpoint",
         _domain_option(),
         _name_option("checkpoint name"),
         desc="Print the name of a checkpoint's parent, if it has one.")
def checkpoint_parent(ctl, args):
    dom = lookup.domain(ctl, args)
    chk = _checkpoint(args, dom)
    parent = M.parent_name(chk, NO_DOMAIN_CHECKPOINT)
    if parent is None:
        raise CommandError("checkpoint '%s' has no parent" % chk.name())
    ctl.print(parent, end="")
