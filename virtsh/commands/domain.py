"""Domain Management commands (virsh help group 'domain'): defining a
domain, its life cycle (start to undefine) and its identity and description.

The group's other commands live beside this module: domsave (state files),
domdevices (devices and disks), domtune (resources), dommigrate and
domguest (guest agent, console, display, monitor)."""
from virtsh import lookup
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt
from virtsh.cmdutil import CHANGE_TARGET, affect_flags, flag_bits, read_file
from virtsh.drivers import domain as D
from virtsh.drivers.errors import NO_DOMAIN_METADATA, VirtError
from virtsh.errors import CommandError, failing


@command('autostart', "Choose whether a domain starts when the host boots.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('disable', "do not start it with the host any more"))
def autostart(ctl, args):
    dom = lookup.domain(ctl, args)
    name = dom.name()
    if args.flag("disable"):
        with failing("Failed to unmark domain '%s' as autostarted" % name):
            dom.set_autostart(False)
        ctl.print_extra("Domain '%s' unmarked as autostarted" % name)
    else:
        with failing("Failed to mark domain '%s' as autostarted" % name):
            dom.set_autostart(True)
        ctl.print_extra("Domain '%s' marked as autostarted" % name)
    return True


@command('autostart-guests', "Start every autostart domain that is not running.",
         desc="Start each domain marked for autostart that is shut off, as a "
              "daemon does when the host boots (contrib/virtsh-autostart.service "
              "runs this for qemu:///system). A domain that fails to start is "
              "reported and the others still start.",
         hidden=True)
def autostart_guests(ctl, args):
    ok = True
    for dom in ctl.conn.list_all_domains(D.LIST_INACTIVE | D.LIST_AUTOSTART):
        name = dom.name()
        try:
            dom.create(0)
        except VirtError as e:
            ctl.error("Failed to autostart domain '%s'" % name)
            ctl.error(str(e))
            ok = False
            continue
        ctl.print_extra("Domain '%s' started" % name)
    return ok


@command('create', "Start a new transient domain from an XML file.",
         data('file', "domain XML file", required=True, complete="file"),
         flag('console', "attach to the console once started"),
         flag('paused', "leave the new domain paused"),
         flag('autodestroy', "destroy the domain when virtsh exits"),
         data('pass-fds', "file descriptors to pass to the guest"),
         flag('validate', "check the XML against the schema"),
         flag('reset-nvram', "start from a fresh NVRAM"))
def create(ctl, args):
    path = args.get("file")
    xml = read_file(path)
    flags = flag_bits(args, ("paused", D.START_PAUSED), ("autodestroy", D.START_AUTODESTROY),
                  ("validate", D.START_VALIDATE), ("reset-nvram", D.START_RESET_NVRAM))
    with failing("Failed to create domain from %s" % path):
        dom = ctl.conn.create_domain(xml, flags)
    ctl.print_extra("Domain '%s' created from %s" % (dom.name(), path))
    if not args.flag("console"):
        return True
    from virtsh.commands.domguest import run_console
    return run_console(ctl, dom)


@command('define', "Define (or redefine) a persistent domain from an XML file.",
         data('file', "domain XML file", required=True, complete="file"),
         flag('validate', "check the XML against the schema"))
def define(ctl, args):
    path = args.get("file")
    xml = read_file(path)
    flags = D.DEFINE_VALIDATE if args.flag("validate") else 0
    with failing("Failed to define domain from %s" % path):
        dom = ctl.conn.define_domain(xml, flags)
    ctl.print_extra("Domain '%s' defined from %s" % (dom.name(), path))
    return True


@command('desc', "Show or change a domain's description or title.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('live', "the running definition"),
         flag('config', "the persistent definition"),
         flag('current', "the definition in force"),
         flag('title', "the title instead of the description"),
         flag('edit', "edit the text in an editor"),
         argv('new-desc', "the new text"))
def desc(ctl, args):
    dom = lookup.domain(ctl, args)
    flags = affect_flags(args)
    title = args.flag("title")
    kind = D.METADATA_TITLE if title else D.METADATA_DESCRIPTION
    what = "title" if title else "description"
    words = args.argv("new-desc")
    if args.flag("edit"):
        text = _edit_text(_metadata_or_empty(dom, kind, flags), title)
        if text is None:
            ctl.print_extra("Domain %s not changed" % what)
            return True
        words = [text]
    elif not words and not args.given("new-desc"):
        try:
            text = dom.metadata(kind, None, flags)
        except VirtError as e:
            if e.code != NO_DOMAIN_METADATA:
                raise
            ctl.print("No %s for domain: %s" % (what, dom.name()), end="")
            return True
        ctl.print(text, end="")
        return True
    text = " ".join(words)
    _metadata_or_empty(dom, kind, flags)       # virsh reads the old text first
    try:
        dom.set_metadata(kind, text, None, None, flags)
    except VirtError as e:
        raise CommandError("Failed to set new domain %s" % what, e) from e
    ctl.print_extra("Domain %s updated successfully" % what, end="")
    return True


def _metadata_or_empty(dom, kind, flags):
    try:
        return dom.metadata(kind, None, flags)
    except VirtError as e:
        if e.code != NO_DOMAIN_METADATA:
            raise
        return ""


def _edit_text(text, single_line):
    """Let the user edit *text*; the new text, or None when unchanged.  A
    title loses the newline editors add at the end."""
    import os
    import tempfile
    from virtsh.editing import run_editor
    fd, path = tempfile.mkstemp(prefix="virtsh", suffix=".txt")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        run_editor(path)
        with open(path) as f:
            edited = f.read()
    finally:
        os.unlink(path)
    if single_line and edited.endswith("\n"):
        edited = edited[:-1]
    return None if edited == text else edited


@command('destroy', "Stop a domain at once, like pulling its power cord.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         flag('graceful', "fail rather than kill a guest that resists"),
         flag('remove-logs', "remove the domain's log files"))
def destroy(ctl, args):
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    with failing("Failed to destroy domain '%s'" % name):
        dom.destroy(1 if args.flag("graceful") else 0)
    ctl.print_extra("Domain '%s' destroyed" % name)
    return True


@command('domid', "Show the id of a domain ('-' when it is not running).",
         data('domain', "domain name or uuid", required=True, complete="domain"))
def domid(ctl, args):
    dom_id = lookup.domain(ctl, args).id()
    ctl.print(str(dom_id) if dom_id >= 0 else "-")
    return True


@command('domname', "Show the name of a domain given its id or uuid.",
         data('domain', "domain id or uuid", required=True, complete="domain"))
def domname(ctl, args):
    ctl.print(lookup.domain(ctl, args).name())
    return True


@command('domrename', "Give a shut off domain a new name.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-inactive"),
         data('new-name', "the new name", required=True))
def domrename(ctl, args):
    lookup.domain(ctl, args).rename(args.get("new-name"))
    ctl.print_extra("Domain successfully renamed")
    return True


@command('dompmsuspend', "Suspend a running guest to memory or disk (guest power management).",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         data('target', "mem, disk or hybrid", required=True),
         opt('duration', "seconds until the guest wakes up", kind=NUMBER))
def dompmsuspend(ctl, args):
    targets = {"mem": 0, "disk": 1, "hybrid": 2}
    dom = lookup.domain(ctl, args)
    duration = args.ulong("duration", 0)
    target = args.get("target")
    if target not in targets:
        raise CommandError("Invalid target")
    with failing("Domain '%s' could not be suspended" % dom.name()):
        dom.pm_suspend(targets[target], duration)
    ctl.print_extra("Domain '%s' successfully suspended" % dom.name())
    return True


@command('dompmwakeup', "Wake up a guest suspended with dompmsuspend.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def dompmwakeup(ctl, args):
    dom = lookup.domain(ctl, args)
    with failing("Domain '%s' could not be woken up" % dom.name()):
        dom.pm_wakeup()
    ctl.print_extra("Domain '%s' successfully woken up" % dom.name())
    return True


@command('domuuid', "Show the UUID of a domain.",
         data('domain', "domain name or id", required=True, complete="domain"))
def domuuid(ctl, args):
    ctl.print(lookup.domain(ctl, args).uuid())
    return True


@command('domxml-from-native', "Turn a native guest configuration into domain XML.",
         data('format', "the native format (e.g. qemu-argv)", required=True),
         data('config', "file with the native configuration", required=True, complete="file"))
def domxml_from_native(ctl, args):
    native = read_file(args.get("config"))
    xml = ctl.conn.domain_xml_from_native(args.get("format"), native)
    ctl.print(xml, end="")
    return True


@command('domxml-to-native', "Turn domain XML into a native guest configuration.",
         data('format', "the native format (e.g. qemu-argv)", required=True),
         opt('domain', "take the XML of this domain", complete="domain"),
         data('xml', "domain XML file", complete="file"))
def domxml_to_native(ctl, args):
    if args.given("domain") and args.given("xml"):
        raise CommandError("Options --domain and --xml are mutually exclusive")
    if not args.given("domain") and not args.given("xml"):
        raise CommandError("need either domain or domain XML")
    if args.given("domain"):
        xml = lookup.domain(ctl, args).xml_desc()
    else:
        xml = read_file(args.get("xml"))
    ctl.print(ctl.conn.domain_xml_to_native(args.get("format"), xml), end="")
    return True


@command('dumpxml', "Show the XML description of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('inactive', "the persistent definition, not the running one"),
         flag('security-info', "include passwords and other secrets"),
         flag('update-cpu', "expand the CPU model to the host's"),
         flag('migratable', "the XML a migration would send"),
         opt('xpath', "print only the nodes this XPath selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def dumpxml(ctl, args):
    from virtsh import xmlconf
    from virtsh.xmlout import print_xml
    dom = lookup.domain(ctl, args)
    flags = flag_bits(args, ("inactive", xmlconf.XML_INACTIVE),
                  ("security-info", xmlconf.XML_SECURE),
                  ("update-cpu", xmlconf.XML_UPDATE_CPU),
                  ("migratable", xmlconf.XML_MIGRATABLE))
    print_xml(ctl, dom.xml_desc(flags), args.get("xpath"), args.flag("wrap"))
    return True


@command('edit', "change a domain's persistent XML in your editor",
         data('domain', "domain name, id or uuid", required=True,
              complete="domain"),
         flag('skip-validate', "do not check the edited XML against the schema"),
         opt('xpath', "edit without an editor: the nodes this XPath selects"),
         opt('set', "with --xpath: the new text or attribute value"),
         flag('delete', "with --xpath: remove the selected nodes"),
         desc="Open the domain's persistent XML in $VISUAL or $EDITOR and "
              "redefine the domain from the result; with --xpath, set or "
              "delete nodes without an editor.")
def edit(ctl, args):
    from virtsh import editing
    from virtsh.drivers.domain import DEFINE_VALIDATE
    from virtsh.lookup import domain
    from virtsh.xmlconf import XML_INACTIVE, XML_SECURE
    change = editing.xpath_change(args)
    dom = domain(ctl, args)
    checked = not args.flag("skip-validate")

    def define(xml, validate):
        flags = DEFINE_VALIDATE if checked and validate else 0
        return ctl.conn.define_domain(xml, flags).name()

    thing = editing.Editable(
        lambda: dom.xml_desc(XML_INACTIVE | XML_SECURE), define,
        "Domain '%s' XML configuration not changed." % dom.name(),
        "Domain '%s' XML configuration edited.", can_relax=checked)
    return editing.run(ctl, thing, change)


LIFECYCLE_TYPES = ("poweroff", "reboot", "crash")


LIFECYCLE_ACTIONS = ("destroy", "restart", "rename-restart", "preserve",
                     "coredump-destroy", "coredump-restart")


@command('metadata', "Show or change a domain's custom metadata element of a namespace.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('uri', "the namespace URI of the element", required=True),
         flag('live', "the running definition"),
         flag('config', "the persistent definition"),
         flag('current', "the definition in force"),
         flag('edit', "edit the element in an editor"),
         data('key', "the namespace prefix to use when setting"),
         data('set', "the new element, as XML"),
         flag('remove', "remove the element"))
def metadata(ctl, args):
    dom = lookup.domain(ctl, args)
    flags = affect_flags(args)
    uri, key = args.get("uri"), args.get("key")
    if args.flag("edit"):
        raise CommandError("editing metadata is not supported")
    if args.given("set") or args.flag("remove"):
        if args.given("set") and not key:
            raise CommandError("namespace key is required when modifying metadata")
        value = None if args.flag("remove") else args.get("set")
        dom.set_metadata(D.METADATA_ELEMENT, value, key, uri, flags)
        ctl.print_extra("Metadata removed" if value is None else "Metadata modified")
        return True
    ctl.print(dom.metadata(D.METADATA_ELEMENT, uri, flags))
    return True


@command('reboot', "Ask a domain to reboot.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         data('mode', "how: acpi, agent, initctl, signal or paravirt"))
def reboot(ctl, args):
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    flags = power_mode_flags(args.get("mode"))
    with failing("Failed to reboot domain '%s'" % name):
        dom.reboot(flags)
    ctl.print_extra("Domain '%s' is being rebooted" % name)
    return True


@command('reset', "Reset a domain's virtual hardware, like pressing its reset button.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"))
def reset(ctl, args):
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    with failing("Failed to reset domain '%s'" % name):
        dom.reset()
    ctl.print_extra("Domain '%s' was reset" % name)
    return True


@command('resume', "Resume a paused domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"))
def resume(ctl, args):
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    with failing("Failed to resume domain '%s'" % name):
        dom.resume()
    ctl.print_extra("Domain '%s' resumed" % name)
    return True


@command('set-lifecycle-action', "Change what happens on poweroff, reboot or crash.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('type', "poweroff, reboot or crash", required=True),
         data('action', "destroy, restart, rename-restart, preserve, "
              "coredump-destroy or coredump-restart", required=True),
         *CHANGE_TARGET)
def set_lifecycle_action(ctl, args):
    flags = affect_flags(args)
    type_, action = args.get("type"), args.get("action")
    if type_ not in LIFECYCLE_TYPES:
        raise CommandError("Invalid lifecycle type '%s'." % type_)
    if action not in LIFECYCLE_ACTIONS:
        raise CommandError("Invalid lifecycle action '%s'." % action)
    dom = lookup.domain(ctl, args)
    with failing("Unable to change lifecycle action."):
        dom.set_lifecycle_action(LIFECYCLE_TYPES.index(type_),
                                 LIFECYCLE_ACTIONS.index(action), flags)


@command('shutdown', "Ask a domain to power off.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         data('mode', "how: acpi, agent, initctl, signal or paravirt"))
def shutdown(ctl, args):
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    flags = power_mode_flags(args.get("mode"))
    with failing("Failed to shutdown domain '%s'" % name):
        dom.shutdown(flags)
    ctl.print_extra("Domain '%s' is being shutdown" % name)
    return True


@command('start', "Start a defined domain (from its managed save image if it has one).",
         data('domain', "domain name or uuid", required=True, complete="domain-inactive"),
         flag('console', "attach to the console once started"),
         flag('paused', "leave the domain paused"),
         flag('autodestroy', "destroy the domain when virtsh exits"),
         flag('bypass-cache', "avoid the file system cache"),
         flag('force-boot', "boot afresh, discarding a managed save image"),
         data('pass-fds', "file descriptors to pass to the guest"),
         flag('reset-nvram', "start from a fresh NVRAM"))
def start(ctl, args):
    dom = lookup.domain(ctl, args)
    name = dom.name()
    if dom.id() >= 0:
        raise CommandError("Domain is already active")
    flags = flag_bits(args, ("paused", D.START_PAUSED), ("autodestroy", D.START_AUTODESTROY),
                  ("bypass-cache", D.START_BYPASS_CACHE),
                  ("force-boot", D.START_FORCE_BOOT), ("reset-nvram", D.START_RESET_NVRAM))
    with failing("Failed to start domain '%s'" % name):
        if not (flags & D.START_FORCE_BOOT and _start_forcing_boot(dom, flags)):
            dom.create(flags & ~D.START_FORCE_BOOT)
    ctl.print_extra("Domain '%s' started" % name)
    if not args.flag("console"):
        return True
    from virtsh.commands.domguest import run_console
    return run_console(ctl, dom)


def _start_forcing_boot(dom, flags):
    """Start with FORCE_BOOT; a driver that does not take the flag gets it
    emulated as virsh does (drop the managed save image, start normally).
    True when the domain already started."""
    from virtsh.drivers.errors import INVALID_ARG, NO_SUPPORT
    try:
        dom.create(flags)
        return True
    except VirtError as e:
        if e.code not in (NO_SUPPORT, INVALID_ARG):
            raise
    try:
        has_image = dom.has_managed_save()
    except VirtError:
        has_image = False
    if has_image:
        dom.managed_save_remove()
    return False


@command('suspend', "Pause a running domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"))
def suspend(ctl, args):
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    with failing("Failed to suspend domain '%s'" % name):
        dom.suspend()
    ctl.print_extra("Domain '%s' suspended" % name)
    return True


@command('undefine', "Remove a domain's persistent definition (a running one becomes transient).",
         data('domain', "domain name or uuid", required=True, complete="domain"),
         flag('managed-save', "also remove the managed save image"),
         data('storage', "also remove these volumes (target or source names, comma separated)"),
         flag('remove-all-storage', "also remove every volume of the domain"),
         flag('delete-storage-volume-snapshots', "also remove volume snapshots"),
         flag('wipe-storage', "wipe the removed volumes"),
         flag('snapshots-metadata', "also remove snapshot metadata"),
         flag('checkpoints-metadata', "also remove checkpoint metadata"),
         flag('nvram', "also remove the NVRAM file"),
         flag('keep-nvram', "keep the NVRAM file"),
         flag('tpm', "also remove the TPM state"),
         flag('keep-tpm', "keep the TPM state"),
         aliases=(Alias('delete-snapshots', 'delete-storage-volume-snapshots'),))
def undefine(ctl, args):
    from virtsh import undefinestorage
    args.exclusive("nvram", "keep-nvram")
    args.exclusive("tpm", "keep-tpm")
    undefinestorage.check_options(args)
    dom = lookup.domain(ctl, args)
    name = args.get("domain")        # virsh names it as the user did
    flags = flag_bits(args, ("managed-save", D.UNDEFINE_MANAGED_SAVE),
                  ("snapshots-metadata", D.UNDEFINE_SNAPSHOTS_METADATA),
                  ("checkpoints-metadata", D.UNDEFINE_CHECKPOINTS_METADATA),
                  ("nvram", D.UNDEFINE_NVRAM), ("keep-nvram", D.UNDEFINE_KEEP_NVRAM),
                  ("tpm", D.UNDEFINE_TPM), ("keep-tpm", D.UNDEFINE_KEEP_TPM))
    if not args.flag("managed-save"):
        try:
            if dom.has_managed_save():
                raise CommandError("Refusing to undefine while domain managed "
                                   "save image exists")
        except VirtError:
            pass
    volumes = undefinestorage.volumes_to_remove(
        ctl, dom, args.values.get("storage"), args.flag("remove-all-storage"))
    with failing("Failed to undefine domain '%s'" % name):
        dom.undefine(flags)
    ctl.print_extra("Domain '%s' has been undefined" % name)
    return undefinestorage.remove(ctl, volumes, args.flag("wipe-storage"))


def power_mode_flags(mode):
    """shutdown/reboot --mode words (comma separated) as libvirt's flags."""
    bits = {"acpi": 1, "agent": 2, "initctl": 4, "signal": 8, "paravirt": 16}
    flags = 0
    for word in (mode.split(",") if mode else ()):
        if word not in bits:
            raise CommandError("Unknown mode %s value, expecting 'acpi', 'agent', "
                               "'initctl', 'signal', or 'paravirt'" % word)
        flags |= bits[word]
    return flags
