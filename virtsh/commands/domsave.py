"""Domain Management commands that write a domain's state to a file or read
it back: save/restore, managed save, save images and memory dumps."""
from virtsh import lookup
from virtsh.cmd import command, data, flag, opt
from virtsh.cmdutil import flag_bits, read_file
from virtsh.drivers import domain as D
from virtsh.errors import CommandError, failing


@command('dump', "Dump a domain's memory to a file.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('file', "where to write the dump", required=True, complete="file"),
         flag('live', "keep the domain running while dumping"),
         flag('crash', "crash the domain after the dump"),
         flag('bypass-cache', "avoid the file system cache"),
         flag('reset', "reset the domain after the dump"),
         flag('verbose', "show progress"),
         flag('memory-only', "dump only the guest memory"),
         data('format', "format of a memory-only dump (elf, kdump-zlib ...)"))
def dump(ctl, args):
    from virtsh.domopts import exclusive
    exclusive(args, "live", "crash")
    exclusive(args, "live", "reset")
    exclusive(args, "crash", "reset")
    fmt = args.get("format")
    if fmt is not None:
        if not args.flag("memory-only"):
            raise CommandError("--format only works with --memory-only")
        if fmt not in DUMP_FORMATS:
            raise CommandError("format '%s' is not supported, expecting 'kdump-zlib', "
                               "'kdump-lzo', 'kdump-snappy', 'win-dmp' or 'elf'" % fmt)
    dom = lookup.domain(ctl, args)
    flags = flag_bits(args, ("live", D.DUMP_LIVE), ("crash", D.DUMP_CRASH),
                      ("bypass-cache", D.DUMP_BYPASS_CACHE), ("reset", D.DUMP_RESET),
                      ("memory-only", D.DUMP_MEMORY_ONLY))
    path = args.get("file")
    from virtsh.jobprogress import showing
    with failing("Failed to core dump domain '%s' to %s" % (dom.name(), path)), \
            showing(ctl, "Dump", args.flag("verbose")):
        if fmt is not None:
            dom.core_dump_with_format(path, DUMP_FORMATS.index(fmt), flags)
        else:
            dom.core_dump(path, flags)
    ctl.print_extra("\nDomain '%s' dumped to %s" % (dom.name(), path))


DUMP_FORMATS = ("elf", "kdump-zlib", "kdump-lzo", "kdump-snappy", "win-dmp")


@command('managedsave', "Save a running domain's state to an image the host manages; start resumes it.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         flag('bypass-cache', "avoid the file system cache"),
         flag('running', "resume running"),
         flag('paused', "resume paused"),
         flag('verbose', "show progress"))
def managedsave(ctl, args):
    dom = lookup.domain(ctl, args)
    name = dom.name()
    flags = flag_bits(args, ("bypass-cache", D.SAVE_BYPASS_CACHE),
                  ("running", D.SAVE_RUNNING), ("paused", D.SAVE_PAUSED))
    from virtsh.jobprogress import showing
    with failing("Failed to save domain '%s' state" % name), \
            showing(ctl, "Managedsave", args.flag("verbose")):
        dom.managed_save(flags)
    ctl.print_extra("\nDomain '%s' state saved by libvirt" % name)
    return True


@command('managedsave-remove', "Delete a domain's managed save image.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-inactive"))
def managedsave_remove(ctl, args):
    dom = lookup.domain(ctl, args)
    name = dom.name()
    with failing("Failed to check for domain managed save image"):
        has_image = dom.has_managed_save()
    if not has_image:
        ctl.print_extra("Domain '%s' has no manage save image; removal skipped" % name,
                        end="")
        return True
    with failing("Failed to remove managed save image for domain '%s'" % name):
        dom.managed_save_remove()
    ctl.print_extra("Removed managedsave image for domain '%s'" % name, end="")
    return True


@command('managedsave-edit', "change the domain XML inside a managed save image",
         data('domain', "domain name, id or uuid", required=True,
              complete="domain-inactive"),
         flag('running', "resume the domain running when it next starts"),
         flag('paused', "resume the domain paused when it next starts"),
         desc="Edit the domain XML stored in a domain's managed save image "
              "in $VISUAL or $EDITOR, and store the result back.")
def managedsave_edit(ctl, args):
    from virtsh import editing
    from virtsh.lookup import domain
    flags = _saved_state_flags(args)
    dom = domain(ctl, args)
    return editing.run(ctl, editing.Editable(
        lambda: dom.managed_save_xml(SAVE_IMAGE_XML_SECURE),
        lambda xml, validate: dom.managed_save_define_xml(xml, flags),
        "Managed save image of domain '%s' XML configuration not changed."
        % dom.name(),
        "Managed save image of Domain '%s' XML configuration edited."
        % dom.name()))


@command('managedsave-dumpxml', "Show the domain XML stored in a managed save image.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-inactive"),
         flag('security-info', "include passwords and other secrets"),
         opt('xpath', "print only the nodes this XPath selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def managedsave_dumpxml(ctl, args):
    from virtsh import xmlconf
    from virtsh.xmlout import print_xml
    dom = lookup.domain(ctl, args)
    flags = xmlconf.XML_SECURE if args.flag("security-info") else 0
    print_xml(ctl, dom.managed_save_xml(flags), args.get("xpath"), args.flag("wrap"))
    return True


@command('managedsave-define', "Replace the domain XML stored in a managed save image.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-inactive"),
         data('xml', "file with the new domain XML", required=True, complete="file"),
         flag('running', "resume running"),
         flag('paused', "resume paused"))
def managedsave_define(ctl, args):
    dom = lookup.domain(ctl, args)
    xml = read_file(args.get("xml"))
    flags = flag_bits(args, ("running", D.SAVE_RUNNING), ("paused", D.SAVE_PAUSED))
    with failing("Failed to update %s XML configuration" % dom.name()):
        dom.managed_save_define_xml(xml, flags)
    ctl.print_extra("Managed save state file of domain '%s' updated." % dom.name())
    return True


@command('restore', "Start a domain again from a file written by save.",
         data('file', "the saved state", required=True, complete="file"),
         flag('bypass-cache', "avoid the file system cache"),
         data('xml', "file with a changed domain XML to use"),
         flag('running', "restore it running"),
         flag('paused', "restore it paused"),
         flag('reset-nvram', "start from a fresh NVRAM"))
def restore(ctl, args):
    path = args.get("file")
    xml = read_file(args.get("xml")) if args.given("xml") else None
    flags = flag_bits(args, ("bypass-cache", D.SAVE_BYPASS_CACHE), ("running", D.SAVE_RUNNING),
                  ("paused", D.SAVE_PAUSED), ("reset-nvram", D.SAVE_RESET_NVRAM))
    with failing("Failed to restore domain from %s" % path):
        ctl.conn.restore_domain(path, xml, flags)
    ctl.print_extra("Domain restored from %s" % path)
    return True


@command('save', "Save a running domain's state to a file and stop it.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         data('file', "where to write the state", required=True, complete="file"),
         flag('bypass-cache', "avoid the file system cache"),
         data('xml', "file with a changed domain XML to store"),
         flag('running', "restore it running"),
         flag('paused', "restore it paused"),
         flag('verbose', "show progress"))
def save(ctl, args):
    dom = lookup.domain(ctl, args)
    path = args.get("file")
    xml = read_file(args.get("xml")) if args.given("xml") else None
    flags = flag_bits(args, ("bypass-cache", D.SAVE_BYPASS_CACHE), ("running", D.SAVE_RUNNING),
                  ("paused", D.SAVE_PAUSED))
    from virtsh.jobprogress import showing
    with failing("Failed to save domain '%s' to %s" % (dom.name(), path)), \
            showing(ctl, "Save", args.flag("verbose")):
        dom.save(path, xml, flags)
    ctl.print_extra("\nDomain '%s' saved to %s" % (dom.name(), path))
    return True


@command('save-image-define', "Replace the domain XML stored in a save file.",
         data('file', "the saved state", required=True, complete="file"),
         data('xml', "file with the new domain XML", required=True, complete="file"),
         flag('running', "restore it running"),
         flag('paused', "restore it paused"))
def save_image_define(ctl, args):
    path = args.get("file")
    xml = read_file(args.get("xml"))
    flags = flag_bits(args, ("running", D.SAVE_RUNNING), ("paused", D.SAVE_PAUSED))
    with failing("Failed to update %s" % path):
        ctl.conn.save_image_define_xml(path, xml, flags)
    ctl.print_extra("State file %s updated." % path)
    return True


@command('save-image-dumpxml', "Show the domain XML stored in a save file.",
         data('file', "the saved state", required=True, complete="file"),
         flag('security-info', "include passwords and other secrets"),
         opt('xpath', "print only the nodes this XPath selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def save_image_dumpxml(ctl, args):
    from virtsh import xmlconf
    from virtsh.xmlout import print_xml
    flags = xmlconf.XML_SECURE if args.flag("security-info") else 0
    xml = ctl.conn.save_image_get_xml(args.get("file"), flags)
    print_xml(ctl, xml, args.get("xpath"), args.flag("wrap"))
    return True


@command('save-image-edit', "change the domain XML inside a saved state file",
         data('file', "the saved state file", required=True, complete="file"),
         flag('running', "restore the domain running"),
         flag('paused', "restore the domain paused"),
         desc="Edit the domain XML stored in a file written by 'save' in "
              "$VISUAL or $EDITOR, and store the result back.")
def save_image_edit(ctl, args):
    from virtsh import editing
    flags = _saved_state_flags(args)
    path = args.get("file")
    conn = ctl.conn
    return editing.run(ctl, editing.Editable(
        lambda: conn.save_image_get_xml(path, SAVE_IMAGE_XML_SECURE),
        lambda xml, validate: conn.save_image_define_xml(path, xml, flags),
        "Saved image %s XML configuration not changed." % path,
        "State file %s edited." % path))


SAVE_IMAGE_XML_SECURE = 1       # virDomainSaveImageXMLFlags


def _saved_state_flags(args):
    """SAVE_RUNNING / SAVE_PAUSED from --running / --paused (the state a
    saved image resumes in)."""
    from virtsh.drivers.domain import SAVE_PAUSED, SAVE_RUNNING
    args.exclusive("running", "paused")
    return ((SAVE_RUNNING if args.flag("running") else 0)
            | (SAVE_PAUSED if args.flag("paused") else 0))
