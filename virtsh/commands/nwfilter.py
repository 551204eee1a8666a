"""Network Filter commands (virsh help group 'filter')."""
from virtsh import jsonout
from virtsh.cmd import command, data, flag, opt
from virtsh.errors import CommandError, failing


def _nwfilter(ctl, args):
    from virtsh import lookup
    return lookup.nwfilter(ctl, args)


def _binding(ctl, args):
    text = args.get("binding")
    with failing("failed to get nwfilter binding '%s'" % text):
        return ctl.conn.lookup_nwfilter_binding(text)


@command('nwfilter-define', "define or change a network filter from an XML file",
         data('file', "file with the filter XML", required=True, complete="file"),
         flag('validate', "validate the XML document against the schema"))
def nwfilter_define(ctl, args):
    from virtsh.cmdutil import read_file
    path = args.get("file")
    xml = read_file(path)
    with failing("Failed to define network filter from %s" % path):
        nwfilter = ctl.conn.define_nwfilter(xml, 1 if args.flag("validate") else 0)
    ctl.print_extra("Network filter %s defined from %s" % (nwfilter.name(), path))


@command('nwfilter-dumpxml', "print the XML of a network filter",
         data('nwfilter', "filter name or uuid", required=True, complete="nwfilter"),
         opt('xpath', "print only the nodes this XPath expression selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def nwfilter_dumpxml(ctl, args):
    from virtsh.xmlout import print_xml
    nwfilter = _nwfilter(ctl, args)
    print_xml(ctl, nwfilter.xml_desc(), args.get("xpath"), args.flag("wrap"))


@command('nwfilter-edit', "edit the XML of a network filter in an editor",
         data('nwfilter', "network filter name or uuid", required=True,
              complete="nwfilter"))
def nwfilter_edit(ctl, args):
    from virtsh import editing, lookup
    nwfilter = lookup.nwfilter(ctl, args)
    return editing.run(ctl, editing.Editable(
        nwfilter.xml_desc,
        lambda xml, validate: ctl.conn.define_nwfilter(xml).name(),
        "Network filter %s XML configuration not changed." % nwfilter.name(),
        "Network filter %s XML configuration edited."))


@command('nwfilter-list', "list network filters", jsonout.JSON)
def nwfilter_list(ctl, args):
    from virtsh.drivers.errors import VirtError, NO_SUPPORT
    from virtsh.format import print_table
    conn = ctl.conn
    try:
        filters = conn.list_all_nwfilters()
    except VirtError as e:
        if e.code != NO_SUPPORT:
            raise CommandError("Failed to list network filters", e) from None
        with failing("Failed to count network filters"):
            conn.num_of_nwfilters()
        raise CommandError("Failed to list network filters", e) from None
    rows = [(f.uuid(), f.name()) for f in sorted(filters, key=lambda f: f.name().lower())]
    if jsonout.wanted(args):
        return jsonout.emit(ctl, jsonout.records(("uuid", "name"), rows))
    print_table(ctl, ("UUID", "Name"), rows)


@command('nwfilter-undefine', "remove a network filter",
         data('nwfilter', "filter name or uuid", required=True, complete="nwfilter"))
def nwfilter_undefine(ctl, args):
    nwfilter = _nwfilter(ctl, args)
    text = args.get("nwfilter")
    with failing("Failed to undefine network filter %s" % text):
        nwfilter.undefine()
    ctl.print_extra("Network filter %s undefined" % text)


@command('nwfilter-binding-create', "bind a network filter to a port from an XML file",
         data('file', "file with the binding XML", required=True, complete="file"),
         flag('validate', "validate the XML document against the schema"))
def nwfilter_binding_create(ctl, args):
    from virtsh.cmdutil import read_file
    path = args.get("file")
    xml = read_file(path)
    with failing("Failed to create network filter from %s" % path):
        binding = ctl.conn.create_nwfilter_binding(xml, 1 if args.flag("validate") else 0)
    ctl.print_extra("Network filter binding on %s created from %s" % (binding.port_dev(), path))


@command('nwfilter-binding-delete', "remove a network filter binding",
         data('binding', "port device of the binding", required=True))
def nwfilter_binding_delete(ctl, args):
    binding = _binding(ctl, args)
    text = args.get("binding")
    with failing("Failed to delete network filter binding on %s" % text):
        binding.delete()
    ctl.print_extra("Network filter binding on %s deleted" % text)


@command('nwfilter-binding-dumpxml', "print the XML of a network filter binding",
         data('binding', "port device of the binding", required=True),
         opt('xpath', "print only the nodes this XPath expression selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def nwfilter_binding_dumpxml(ctl, args):
    from virtsh.xmlout import print_xml
    binding = _binding(ctl, args)
    print_xml(ctl, binding.xml_desc(), args.get("xpath"), args.flag("wrap"))


@command('nwfilter-binding-list', "list network filter bindings")
def nwfilter_binding_list(ctl, args):
    from virtsh.format import print_table
    with failing("Failed to list network filter bindings"):
        bindings = ctl.conn.list_all_nwfilter_bindings()
    rows = [(b.port_dev(), b.filter_name())
            for b in sorted(bindings, key=lambda b: b.port_dev())]
    print_table(ctl, ("Port Dev", "Filter"), rows)
