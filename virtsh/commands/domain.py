"""Domain Management commands (virsh help group 'domain')."""
from virtsh import lookup
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt
from virtsh.cmdutil import affect_flags, flag_bits, read_file
from virtsh.drivers import domain as D
from virtsh.drivers.errors import NO_DOMAIN_METADATA, VirtError
from virtsh.errors import CommandError, failing


@command('attach-device', "",
         data('domain', "", required=True),
         data('file', "", required=True),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def attach_device(ctl, args):
    raise NotImplementedError  # TODO


@command('attach-disk', "",
         data('domain', "", required=True),
         data('source', "", required=True),
         data('target', "", required=True),
         data('targetbus', ""),
         data('driver', ""),
         data('subdriver', ""),
         data('iothread', ""),
         data('cache', ""),
         data('io', ""),
         data('type', ""),
         data('mode', ""),
         data('sourcetype', ""),
         data('serial', ""),
         data('wwn', ""),
         data('alias', ""),
         flag('rawio', ""),
         data('address', ""),
         flag('multifunction', ""),
         flag('print-xml', ""),
         data('source-protocol', ""),
         data('source-host-name', ""),
         data('source-host-transport', ""),
         data('source-host-socket', ""),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         aliases=(Alias('shareable', 'mode', 'shareable'),))
def attach_disk(ctl, args):
    raise NotImplementedError  # TODO


@command('attach-interface', "",
         data('domain', "", required=True),
         data('type', "", required=True),
         data('source', "", required=True),
         data('target', ""),
         data('mac', ""),
         data('script', ""),
         data('model', ""),
         data('alias', ""),
         data('inbound', ""),
         data('outbound', ""),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         flag('print-xml', ""),
         flag('managed', ""),
         data('source-mode', ""))
def attach_interface(ctl, args):
    raise NotImplementedError  # TODO


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


@command('blkdeviotune', "",
         data('domain', "", required=True),
         data('device', "", required=True),
         data('total-bytes-sec', "", kind=NUMBER),
         data('read-bytes-sec', "", kind=NUMBER),
         data('write-bytes-sec', "", kind=NUMBER),
         data('total-iops-sec', "", kind=NUMBER),
         data('read-iops-sec', "", kind=NUMBER),
         data('write-iops-sec', "", kind=NUMBER),
         data('total-bytes-sec-max', "", kind=NUMBER),
         data('read-bytes-sec-max', "", kind=NUMBER),
         data('write-bytes-sec-max', "", kind=NUMBER),
         data('total-iops-sec-max', "", kind=NUMBER),
         data('read-iops-sec-max', "", kind=NUMBER),
         data('write-iops-sec-max', "", kind=NUMBER),
         data('size-iops-sec', "", kind=NUMBER),
         data('group-name', ""),
         data('total-bytes-sec-max-length', "", kind=NUMBER),
         data('read-bytes-sec-max-length', "", kind=NUMBER),
         data('write-bytes-sec-max-length', "", kind=NUMBER),
         data('total-iops-sec-max-length', "", kind=NUMBER),
         data('read-iops-sec-max-length', "", kind=NUMBER),
         data('write-iops-sec-max-length', "", kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         aliases=(Alias('total_bytes_sec', 'total-bytes-sec'), Alias('read_bytes_sec', 'read-bytes-sec'), Alias('write_bytes_sec', 'write-bytes-sec'), Alias('total_iops_sec', 'total-iops-sec'), Alias('read_iops_sec', 'read-iops-sec'), Alias('write_iops_sec', 'write-iops-sec'), Alias('total_bytes_sec_max', 'total-bytes-sec-max'), Alias('read_bytes_sec_max', 'read-bytes-sec-max'), Alias('write_bytes_sec_max', 'write-bytes-sec-max'), Alias('total_iops_sec_max', 'total-iops-sec-max'), Alias('read_iops_sec_max', 'read-iops-sec-max'), Alias('write_iops_sec_max', 'write-iops-sec-max'), Alias('size_iops_sec', 'size-iops-sec'), Alias('group_name', 'group-name'), Alias('total_bytes_sec_max_length', 'total-bytes-sec-max-length'), Alias('read_bytes_sec_max_length', 'read-bytes-sec-max-length'), Alias('write_bytes_sec_max_length', 'write-bytes-sec-max-length'), Alias('total_iops_sec_max_length', 'total-iops-sec-max-length'), Alias('read_iops_sec_max_length', 'read-iops-sec-max-length'), Alias('write_iops_sec_max_length', 'write-iops-sec-max-length'),))
def blkdeviotune(ctl, args):
    raise NotImplementedError  # TODO


@command('blkiotune', "",
         data('domain', "", required=True),
         data('weight', "", kind=NUMBER),
         data('device-weights', ""),
         data('device-read-iops-sec', ""),
         data('device-write-iops-sec', ""),
         data('device-read-bytes-sec', ""),
         data('device-write-bytes-sec', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def blkiotune(ctl, args):
    raise NotImplementedError  # TODO


@command('blockcommit', "",
         data('domain', "", required=True),
         data('path', "", required=True),
         data('bandwidth', "", kind=NUMBER),
         data('base', ""),
         flag('shallow', ""),
         data('top', ""),
         flag('active', ""),
         flag('delete', ""),
         flag('wait', ""),
         flag('verbose', ""),
         data('timeout', "", kind=NUMBER),
         flag('pivot', ""),
         flag('keep-overlay', ""),
         flag('async', ""),
         flag('keep-relative', ""),
         flag('bytes', ""))
def blockcommit(ctl, args):
    raise NotImplementedError  # TODO


@command('blockcopy', "",
         data('domain', "", required=True),
         data('path', "", required=True),
         data('dest', ""),
         data('bandwidth', "", kind=NUMBER),
         flag('shallow', ""),
         flag('reuse-external', ""),
         flag('blockdev', ""),
         flag('wait', ""),
         flag('verbose', ""),
         data('timeout', "", kind=NUMBER),
         flag('pivot', ""),
         flag('finish', ""),
         flag('async', ""),
         data('xml', ""),
         data('format', ""),
         data('granularity', "", kind=NUMBER),
         data('buf-size', "", kind=NUMBER),
         flag('bytes', ""),
         flag('transient-job', ""),
         flag('synchronous-writes', ""),
         flag('print-xml', ""),
         aliases=(Alias('raw', 'format', 'raw'),))
def blockcopy(ctl, args):
    raise NotImplementedError  # TODO


@command('blockjob', "",
         data('domain', "", required=True),
         data('path', "", required=True),
         flag('abort', ""),
         flag('async', ""),
         flag('pivot', ""),
         flag('info', ""),
         flag('bytes', ""),
         flag('raw', ""),
         data('bandwidth', "", kind=NUMBER))
def blockjob(ctl, args):
    raise NotImplementedError  # TODO


@command('blockpull', "",
         data('domain', "", required=True),
         data('path', "", required=True),
         data('bandwidth', "", kind=NUMBER),
         data('base', ""),
         flag('wait', ""),
         flag('verbose', ""),
         data('timeout', "", kind=NUMBER),
         flag('async', ""),
         flag('keep-relative', ""),
         flag('bytes', ""))
def blockpull(ctl, args):
    raise NotImplementedError  # TODO


@command('blockresize', "",
         data('domain', "", required=True),
         data('path', "", required=True),
         data('size', "", required=True, kind=NUMBER))
def blockresize(ctl, args):
    raise NotImplementedError  # TODO


@command('change-media', "",
         data('domain', "", required=True),
         data('path', "", required=True),
         data('source', ""),
         flag('eject', ""),
         flag('insert', ""),
         flag('update', ""),
         flag('current', ""),
         flag('live', ""),
         flag('config', ""),
         flag('force', ""),
         flag('print-xml', ""),
         flag('block', ""))
def change_media(ctl, args):
    raise NotImplementedError  # TODO


@command('console', "",
         data('domain', "", required=True),
         data('devname', ""),
         flag('force', ""),
         flag('safe', ""))
def console(ctl, args):
    raise NotImplementedError  # TODO


@command('cpu-stats', "",
         data('domain', "", required=True),
         flag('total', ""),
         data('start', "", kind=NUMBER),
         data('count', "", kind=NUMBER))
def cpu_stats(ctl, args):
    raise NotImplementedError  # TODO


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
    return True


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
        raise CommandError("editing a %s is not supported" % what)
    if not words and not args.given("new-desc"):
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
    try:
        dom.set_metadata(kind, text, None, None, flags)
    except VirtError as e:
        raise CommandError("Failed to set new domain %s" % what, e) from e
    ctl.print_extra("Domain %s updated successfully" % what, end="")
    return True


@command('destroy', "Stop a domain at once, like pulling its power cord.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         flag('graceful', "fail rather than kill a guest that resists"),
         flag('remove-logs', "remove the domain's log files"))
def destroy(ctl, args):
    dom = lookup.domain(ctl, args)
    name = dom.name()
    with failing("Failed to destroy domain '%s'" % name):
        dom.destroy(1 if args.flag("graceful") else 0)
    ctl.print_extra("Domain '%s' destroyed" % name)
    return True


@command('detach-device', "",
         data('domain', "", required=True),
         data('file', "", required=True),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def detach_device(ctl, args):
    raise NotImplementedError  # TODO


@command('detach-device-alias', "",
         data('domain', "", required=True),
         data('alias', "", required=True),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def detach_device_alias(ctl, args):
    raise NotImplementedError  # TODO


@command('detach-disk', "",
         data('domain', "", required=True),
         data('target', "", required=True),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         flag('print-xml', ""))
def detach_disk(ctl, args):
    raise NotImplementedError  # TODO


@command('detach-interface', "",
         data('domain', "", required=True),
         data('type', "", required=True),
         data('mac', ""),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         flag('print-xml', ""))
def detach_interface(ctl, args):
    raise NotImplementedError  # TODO


@command('domdisplay', "",
         data('domain', "", required=True),
         flag('include-password', ""),
         data('type', ""),
         flag('all', ""))
def domdisplay(ctl, args):
    raise NotImplementedError  # TODO


@command('domfsfreeze', "",
         data('domain', "", required=True),
         argv('mountpoint', ""))
def domfsfreeze(ctl, args):
    raise NotImplementedError  # TODO


@command('domfsthaw', "",
         data('domain', "", required=True),
         argv('mountpoint', ""))
def domfsthaw(ctl, args):
    raise NotImplementedError  # TODO


@command('domfsinfo', "",
         data('domain', "", required=True))
def domfsinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('domfstrim', "",
         data('domain', "", required=True),
         data('minimum', "", kind=NUMBER),
         data('mountpoint', ""))
def domfstrim(ctl, args):
    raise NotImplementedError  # TODO


@command('domhostname', "",
         data('domain', "", required=True),
         data('source', ""))
def domhostname(ctl, args):
    raise NotImplementedError  # TODO


@command('domid', "Show the id of a domain ('-' when it is not running).",
         data('domain', "domain name or uuid", required=True, complete="domain"))
def domid(ctl, args):
    dom_id = lookup.domain(ctl, args).id()
    ctl.print(str(dom_id) if dom_id >= 0 else "-")
    return True


@command('domif-setlink', "",
         data('domain', "", required=True),
         data('interface', "", required=True),
         data('state', "", required=True),
         flag('config', ""),
         flag('print-xml', ""),
         aliases=(Alias('persistent', 'config'),))
def domif_setlink(ctl, args):
    raise NotImplementedError  # TODO


@command('domiftune', "",
         data('domain', "", required=True),
         data('interface', "", required=True),
         data('inbound', ""),
         data('outbound', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def domiftune(ctl, args):
    raise NotImplementedError  # TODO


@command('domjobabort', "",
         data('domain', "", required=True),
         flag('postcopy', ""))
def domjobabort(ctl, args):
    raise NotImplementedError  # TODO


@command('domjobinfo', "",
         data('domain', "", required=True),
         flag('completed', ""),
         flag('keep-completed', ""),
         flag('anystats', ""),
         flag('rawstats', ""))
def domjobinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('domlaunchsecinfo', "",
         data('domain', "", required=True))
def domlaunchsecinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('domsetlaunchsecstate', "",
         data('domain', "", required=True),
         opt('secrethdr', ""),
         opt('secret', ""),
         data('set-address', "", kind=NUMBER))
def domsetlaunchsecstate(ctl, args):
    raise NotImplementedError  # TODO


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
    if args.given("domain") == args.given("xml"):
        raise CommandError("Exactly one of --domain and --xml is required")
    if args.given("domain"):
        xml = lookup.domain(ctl, args).xml_desc()
    else:
        xml = read_file(args.get("xml"))
    ctl.print(ctl.conn.domain_xml_to_native(args.get("format"), xml), end="")
    return True


@command('dump', "",
         data('domain', "", required=True),
         data('file', "", required=True),
         flag('live', ""),
         flag('crash', ""),
         flag('bypass-cache', ""),
         flag('reset', ""),
         flag('verbose', ""),
         flag('memory-only', ""),
         data('format', ""))
def dump(ctl, args):
    raise NotImplementedError  # TODO


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


@command('get-user-sshkeys', "",
         data('domain', "", required=True),
         data('user', "", required=True))
def get_user_sshkeys(ctl, args):
    raise NotImplementedError  # TODO


@command('inject-nmi', "Send a non-maskable interrupt to a guest.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"))
def inject_nmi(ctl, args):
    lookup.domain(ctl, args).inject_nmi()
    return True


@command('iothreadinfo', "",
         data('domain', "", required=True),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def iothreadinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('iothreadpin', "",
         data('domain', "", required=True),
         data('iothread', "", required=True, kind=NUMBER),
         data('cpulist', "", required=True),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def iothreadpin(ctl, args):
    raise NotImplementedError  # TODO


@command('iothreadadd', "",
         data('domain', "", required=True),
         data('id', "", required=True, kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def iothreadadd(ctl, args):
    raise NotImplementedError  # TODO


@command('iothreadset', "",
         data('domain', "", required=True),
         data('id', "", required=True, kind=NUMBER),
         data('poll-max-ns', "", kind=NUMBER),
         data('poll-grow', "", kind=NUMBER),
         data('poll-shrink', "", kind=NUMBER),
         data('thread-pool-min', "", kind=NUMBER),
         data('thread-pool-max', "", kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def iothreadset(ctl, args):
    raise NotImplementedError  # TODO


@command('iothreaddel', "",
         data('domain', "", required=True),
         data('id', "", required=True, kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def iothreaddel(ctl, args):
    raise NotImplementedError  # TODO


@command('send-key', "",
         data('domain', "", required=True),
         opt('codeset', ""),
         opt('holdtime', "", kind=NUMBER),
         argv('keycode', "", required=True))
def send_key(ctl, args):
    raise NotImplementedError  # TODO


@command('send-process-signal', "Send a signal to a process inside a guest.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         data('pid', "the process id", required=True),
         data('signame', "the signal: a number or a name like sigterm", required=True))
def send_process_signal(ctl, args):
    dom = lookup.domain(ctl, args)
    pid = args.long("pid")
    signum = _signal_number(args.get("signame"))
    dom.send_process_signal(pid, signum)
    return True


@command('lxc-enter-namespace', "",
         data('domain', "", required=True),
         flag('noseclabel', ""),
         argv('cmd', "", required=True))
def lxc_enter_namespace(ctl, args):
    raise NotImplementedError  # TODO


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
    with failing("Failed to save domain '%s' state" % name):
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


@command('memtune', "",
         data('domain', "", required=True),
         data('hard-limit', "", kind=NUMBER),
         data('soft-limit', "", kind=NUMBER),
         data('swap-hard-limit', "", kind=NUMBER),
         data('min-guarantee', "", kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def memtune(ctl, args):
    raise NotImplementedError  # TODO


@command('perf', "",
         data('domain', "", required=True),
         data('enable', ""),
         data('disable', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def perf(ctl, args):
    raise NotImplementedError  # TODO


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
    desturi = args.get("desturi")
    if flags & _MIGRATE_PEER2PEER or args.flag("direct"):
        dom.migrate_to_uri(desturi, params, flags)
    else:
        from virtsh import drivers
        with failing("failed to connect to the hypervisor"):
            dest = drivers.open(desturi)
        dom.migrate(dest, params, flags)
    ctl.print_extra("\nMigration: [100 %]" if args.flag("verbose") else "", end="")
    return True


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


@command('numatune', "",
         data('domain', "", required=True),
         data('mode', ""),
         data('nodeset', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def numatune(ctl, args):
    raise NotImplementedError  # TODO


@command('qemu-attach', "",
         data('pid', "", required=True))
def qemu_attach(ctl, args):
    raise NotImplementedError  # TODO


@command('qemu-monitor-command', "",
         data('domain', "", required=True),
         flag('hmp', ""),
         flag('pretty', ""),
         flag('return-value', ""),
         opt('pass-fds', ""),
         argv('cmd', "", required=True))
def qemu_monitor_command(ctl, args):
    raise NotImplementedError  # TODO


@command('qemu-monitor-event', "",
         data('domain', ""),
         data('event', ""),
         flag('pretty', ""),
         flag('loop', ""),
         data('timeout', "", kind=NUMBER),
         flag('regex', ""),
         flag('no-case', ""),
         flag('timestamp', ""))
def qemu_monitor_event(ctl, args):
    raise NotImplementedError  # TODO


@command('qemu-agent-command', "",
         data('domain', "", required=True),
         opt('timeout', "", kind=NUMBER),
         flag('async', ""),
         flag('block', ""),
         flag('pretty', ""),
         argv('cmd', "", required=True))
def qemu_agent_command(ctl, args):
    raise NotImplementedError  # TODO


@command('guest-agent-timeout', "",
         data('domain', "", required=True),
         opt('timeout', "", kind=NUMBER))
def guest_agent_timeout(ctl, args):
    raise NotImplementedError  # TODO


@command('reboot', "Ask a domain to reboot.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         data('mode', "how: acpi, agent, initctl, signal or paravirt"))
def reboot(ctl, args):
    dom = lookup.domain(ctl, args)
    flags = power_mode_flags(args.get("mode"))
    with failing("Failed to reboot domain '%s'" % dom.name()):
        dom.reboot(flags)
    ctl.print_extra("Domain '%s' is being rebooted" % dom.name())
    return True


@command('reset', "Reset a domain's virtual hardware, like pressing its reset button.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"))
def reset(ctl, args):
    dom = lookup.domain(ctl, args)
    with failing("Failed to reset domain '%s'" % dom.name()):
        dom.reset()
    ctl.print_extra("Domain '%s' was reset" % dom.name())
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


@command('resume', "Resume a paused domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"))
def resume(ctl, args):
    dom = lookup.domain(ctl, args)
    with failing("Failed to resume domain '%s'" % dom.name()):
        dom.resume()
    ctl.print_extra("Domain '%s' resumed" % dom.name())
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
    with failing("Failed to save domain '%s' to %s" % (dom.name(), path)):
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


@command('schedinfo', "",
         data('domain', "", required=True),
         opt('weight', "", kind=NUMBER),
         opt('cap', "", kind=NUMBER),
         flag('current', ""),
         flag('config', ""),
         flag('live', ""),
         argv('set', ""))
def schedinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('screenshot', "",
         data('domain', "", required=True),
         data('file', ""),
         data('screen', "", kind=NUMBER))
def screenshot(ctl, args):
    raise NotImplementedError  # TODO


@command('set-lifecycle-action', "",
         data('domain', "", required=True),
         data('type', "", required=True),
         data('action', "", required=True),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def set_lifecycle_action(ctl, args):
    raise NotImplementedError  # TODO


@command('set-user-sshkeys', "",
         data('domain', "", required=True),
         data('user', "", required=True),
         data('file', ""),
         flag('reset', ""),
         flag('remove', ""))
def set_user_sshkeys(ctl, args):
    raise NotImplementedError  # TODO


@command('set-user-password', "",
         data('domain', "", required=True),
         data('user', "", required=True),
         data('password', "", required=True),
         flag('encrypted', ""))
def set_user_password(ctl, args):
    raise NotImplementedError  # TODO


@command('setmaxmem', "Change a domain's maximum memory.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('size', "the new size (KiB unless a unit is given)", required=True, kind=NUMBER),
         flag('config', "the persistent definition"),
         flag('live', "the running definition"),
         flag('current', "the definition in force"),
         aliases=(Alias('kilobytes', 'size'),))
def setmaxmem(ctl, args):
    dom = lookup.domain(ctl, args)
    kib = _memory_kib(args)
    flags = affect_flags(args) | D.MEM_MAXIMUM
    with failing("Unable to change MaxMemorySize"):
        dom.set_memory(kib, flags)
    return True


@command('setmem', "Change a domain's current memory (the balloon).",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('size', "the new size (KiB unless a unit is given)", required=True, kind=NUMBER),
         flag('config', "the persistent definition"),
         flag('live', "the running definition"),
         flag('current', "the definition in force"),
         aliases=(Alias('kilobytes', 'size'),))
def setmem(ctl, args):
    dom = lookup.domain(ctl, args)
    kib = _memory_kib(args)
    given = any(args.flag(f) for f in ("config", "live", "current"))
    dom.set_memory(kib, affect_flags(args) if given else D.AFFECT_LIVE)
    return True


@command('setvcpus', "Change the number of virtual CPUs of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('count', "the new number of vCPUs", required=True, kind=NUMBER),
         flag('maximum', "change the maximum (needs --config)"),
         flag('config', "the persistent definition"),
         flag('live', "the running definition"),
         flag('current', "the definition in force"),
         flag('guest', "change the CPUs the guest agent sees online"),
         flag('hotpluggable', "make added vCPUs hot-unpluggable"))
def setvcpus(ctl, args):
    dom = lookup.domain(ctl, args)
    count = args.uint("count")
    if args.flag("maximum") and not args.flag("config"):
        raise CommandError("Option --config is required by option --maximum")
    if count == 0:
        raise CommandError("Can't set 0 processors for a VM")
    flags = affect_flags(args) | flag_bits(args, ("maximum", D.VCPU_MAXIMUM),
                                       ("guest", D.VCPU_GUEST),
                                       ("hotpluggable", D.VCPU_HOTPLUGGABLE))
    given = any(args.flag(f) for f in ("config", "live", "current", "guest",
                                       "hotpluggable", "maximum"))
    dom.set_vcpus(count, flags if given else D.AFFECT_LIVE)
    return True


@command('shutdown', "Ask a domain to power off.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         data('mode', "how: acpi, agent, initctl, signal or paravirt"))
def shutdown(ctl, args):
    dom = lookup.domain(ctl, args)
    flags = power_mode_flags(args.get("mode"))
    with failing("Failed to shutdown domain '%s'" % dom.name()):
        dom.shutdown(flags)
    ctl.print_extra("Domain '%s' is being shutdown" % dom.name())
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
        dom.create(flags)
    ctl.print_extra("Domain '%s' started" % name)
    return True


@command('suspend', "Pause a running domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"))
def suspend(ctl, args):
    dom = lookup.domain(ctl, args)
    with failing("Failed to suspend domain '%s'" % dom.name()):
        dom.suspend()
    ctl.print_extra("Domain '%s' suspended" % dom.name())
    return True


@command('ttyconsole', "",
         data('domain', "", required=True))
def ttyconsole(ctl, args):
    raise NotImplementedError  # TODO


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
    dom = lookup.domain(ctl, args)
    name = dom.name()
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
    with failing("Failed to undefine domain '%s'" % name):
        dom.undefine(flags)
    ctl.print_extra("Domain '%s' has been undefined" % name)
    return True


@command('update-device', "",
         data('domain', "", required=True),
         data('file', "", required=True),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         flag('force', ""))
def update_device(ctl, args):
    raise NotImplementedError  # TODO


@command('update-memory-device', "",
         data('domain', "", required=True),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         flag('print-xml', ""),
         data('alias', ""),
         data('node', "", kind=NUMBER),
         data('requested-size', "", kind=NUMBER))
def update_memory_device(ctl, args):
    raise NotImplementedError  # TODO


@command('vcpucount', "",
         data('domain', "", required=True),
         flag('maximum', ""),
         flag('active', ""),
         flag('live', ""),
         flag('config', ""),
         flag('current', ""),
         flag('guest', ""))
def vcpucount(ctl, args):
    raise NotImplementedError  # TODO


@command('vcpuinfo', "",
         data('domain', "", required=True),
         flag('pretty', ""))
def vcpuinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('vcpupin', "",
         data('domain', "", required=True),
         data('vcpu', "", kind=NUMBER),
         data('cpulist', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def vcpupin(ctl, args):
    raise NotImplementedError  # TODO


@command('emulatorpin', "",
         data('domain', "", required=True),
         data('cpulist', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def emulatorpin(ctl, args):
    raise NotImplementedError  # TODO


@command('vncdisplay', "",
         data('domain', "", required=True))
def vncdisplay(ctl, args):
    raise NotImplementedError  # TODO


@command('guestvcpus', "",
         data('domain', "", required=True),
         data('cpulist', ""),
         flag('enable', ""),
         flag('disable', ""))
def guestvcpus(ctl, args):
    raise NotImplementedError  # TODO


@command('setvcpu', "",
         data('domain', "", required=True),
         data('vcpulist', "", required=True),
         flag('enable', ""),
         flag('disable', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def setvcpu(ctl, args):
    raise NotImplementedError  # TODO


@command('domblkthreshold', "",
         data('domain', "", required=True),
         data('dev', "", required=True),
         data('threshold', "", required=True, kind=NUMBER))
def domblkthreshold(ctl, args):
    raise NotImplementedError  # TODO


@command('guestinfo', "",
         data('domain', "", required=True),
         flag('user', ""),
         flag('os', ""),
         flag('timezone', ""),
         flag('hostname', ""),
         flag('filesystem', ""),
         flag('disk', ""),
         flag('interface', ""))
def guestinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('domdirtyrate-calc', "",
         data('domain', "", required=True),
         data('seconds', "", kind=NUMBER),
         data('mode', ""))
def domdirtyrate_calc(ctl, args):
    raise NotImplementedError  # TODO


@command('dom-fd-associate', "",
         data('domain', "", required=True),
         data('name', "", required=True),
         data('pass-fds', "", required=True),
         flag('seclabel-writable', ""),
         flag('seclabel-restore', ""))
def dom_fd_associate(ctl, args):
    raise NotImplementedError  # TODO


def power_mode_flags(mode):
    """shutdown/reboot --mode words (comma separated) as libvirt's flags."""
    bits = {"acpi": 1, "agent": 2, "initctl": 4, "signal": 8, "paravirt": 16}
    flags = 0
    for word in (mode.split(",") if mode else ()):
        if word not in bits:
            raise CommandError("Unknown mode %s value, expecting 'acpi', 'agent', "
                               "'initctl', 'signal' or 'paravirt'" % word)
        flags |= bits[word]
    return flags


def _memory_kib(args):
    """The size option of setmem/setmaxmem in KiB (a bare number is KiB)."""
    from virtsh.args import ULLONG_MAX
    size = args.scaled("size", 1024, ULLONG_MAX)
    return -(-size // 1024)


def _signal_number(name):
    """A signal given as a number, or a name with or without ``sig``."""
    import signal
    if name.isdigit():
        return int(name)
    word = name.lower()
    word = word[3:] if word.startswith("sig") else word
    if word == "nop":
        return 0
    try:
        return int(signal.Signals["SIG" + word.upper()])
    except KeyError:
        raise CommandError("malformed signal name: %s" % name) from None


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
