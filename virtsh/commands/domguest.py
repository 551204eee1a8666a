"""Domain Management commands that reach into a running guest: the guest
agent, the console and display, keys and signals, the QEMU monitor, jobs
and launch security."""
from virtsh import lookup
from virtsh.cmd import NUMBER, argv, command, data, flag, opt
from virtsh.cmdutil import flag_bits, read_file
from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError
from virtsh.errors import CommandError, failing


@command('console', "Connect to a domain's console.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('devname', "console, serial or parallel device alias"),
         flag('force', "take over a session already connected"),
         flag('safe', "only connect if the session is safe"))
def console(ctl, args):
    flags = (1 if args.flag("force") else 0) | (2 if args.flag("safe") else 0)
    return run_console(ctl, lookup.domain(ctl, args), args.get("devname"), flags)


def run_console(ctl, dom, devname=None, flags=0):
    """Relay the terminal to the domain's console (also start/create --console)."""
    import os
    if not (os.isatty(0) and os.isatty(1)):
        raise CommandError("Cannot run interactive console without a controlling TTY")
    stream = dom.open_console(devname, flags)
    ctl.print_extra("Connected to domain '%s'" % dom.name())
    ctrl = " (Ctrl + %s)" % ctl.escape[1] if ctl.escape.startswith("^") else ""
    ctl.print_extra("Escape character is %s%s" % (ctl.escape, ctrl))
    ctl.out.flush()
    from virtsh import consolerelay
    consolerelay.run(stream, ctl.escape)
    return True


GRAPHICS_SCHEMES = ("vnc", "spice", "rdp")


@command('domdisplay', "Show the URI of a domain's graphical display.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('include-password', "include the password in the URI"),
         data('type', "only this kind of display (vnc, spice, rdp)"),
         flag('all', "show every display"))
def domdisplay(ctl, args):
    from virtsh.domxml import domain_tree
    dom = lookup.domain(ctl, args)
    if not dom.is_active():
        raise CommandError("Domain is not running")
    wanted = args.get("type")
    tree = domain_tree(dom, secure=args.flag("include-password"))
    shown = 0
    for scheme in GRAPHICS_SCHEMES:
        if wanted and wanted != scheme:
            continue
        graphics = tree.find("devices/graphics[@type='%s']" % scheme)
        uri = graphics_uri(scheme, graphics, args.flag("include-password"))
        if uri is None:
            continue
        shown += 1
        if not args.flag("all"):
            ctl.print(uri, end="")
            break
        ctl.print(uri)
    if not shown:
        if wanted:
            raise CommandError("No graphical display with type '%s' found" % wanted)
        raise CommandError("No graphical display found")


def graphics_uri(scheme, graphics, with_password):
    """``vnc://127.0.0.1:1`` (or ``spice+unix:///PATH`` for a socket) for a
    <graphics> element, None when it listens nowhere."""
    if graphics is None:
        return None
    listen = graphics.find("listen")
    socket = listen.get("socket") if listen is not None and \
        listen.get("type") == "socket" else None
    port = int(graphics.get("port", "0") or 0)
    tls_port = int(graphics.get("tlsPort", "0") or 0)
    if not socket and port <= 0 and tls_port <= 0:
        return None
    password = graphics.get("passwd") if with_password else None
    uri = scheme + ("+unix://" if socket else "://")
    if password and scheme != "spice":
        uri += ":%s@" % password
    if socket:
        uri += socket
    else:
        address = (listen.get("address") if listen is not None else None) \
            or graphics.get("listen")
        if not address or address in ("0.0.0.0", "::"):
            address = "localhost"
        uri += "[%s]" % address if ":" in address else address
        if port > 0:
            uri += ":%d" % (port - 5900 if scheme == "vnc" else port)
    params = ["tls-port=%d" % tls_port] if tls_port > 0 and not socket else []
    if password and scheme == "spice":     # SPICE clients take it as a parameter
        params.append("password=%s" % password)
    return uri + ("?" + "&".join(params) if params else "")


@command('domfsfreeze', "Freeze a guest's file systems.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         argv('mountpoint', "mount points to freeze (default: all)"))
def domfsfreeze(ctl, args):
    dom = lookup.domain(ctl, args)
    with failing("Unable to freeze filesystems"):
        count = dom.fs_freeze(args.argv("mountpoint"), 0)
    ctl.print_extra("Froze %d filesystem(s)" % count)


@command('domfsthaw', "Thaw a guest's frozen file systems.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         argv('mountpoint', "mount points to thaw (default: all)"))
def domfsthaw(ctl, args):
    dom = lookup.domain(ctl, args)
    with failing("Unable to thaw filesystems"):
        count = dom.fs_thaw(args.argv("mountpoint"), 0)
    ctl.print_extra("Thawed %d filesystem(s)" % count)


@command('domfsinfo', "List the file systems mounted in a guest.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def domfsinfo(ctl, args):
    from virtsh.format import print_table
    dom = lookup.domain(ctl, args)
    with failing("Unable to get filesystem information"):
        systems = dom.fs_info()
    if not systems:
        ctl.print_extra("No filesystems are mounted in the domain", end="")
        return
    print_table(ctl, ("Mountpoint", "Name", "Type", "Target"),
                [(mount, name, fstype, ",".join(targets) or "-")
                 for mount, name, fstype, targets in systems])


@command('domfstrim', "Discard unused blocks of a guest's file systems.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('minimum', "only free ranges at least this long (bytes)", kind=NUMBER),
         data('mountpoint', "only this mount point"))
def domfstrim(ctl, args):
    dom = lookup.domain(ctl, args)
    minimum = args.ulong("minimum", 0)
    with failing("Unable to invoke fstrim"):
        dom.fs_trim(args.get("mountpoint"), minimum, 0)


GUEST_INFO_TYPES = (("user", 1), ("os", 2), ("timezone", 4), ("hostname", 8),
                    ("filesystem", 16), ("disk", 32), ("interface", 64))


@command('domhostname', "Show the host name of a guest.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('source', "where to ask: agent or lease"))
def domhostname(ctl, args):
    source = args.get("source")
    flags = {None: 0, "lease": 1, "agent": 2}.get(source)
    if flags is None:
        raise CommandError("Unknown data source '%s'" % source)
    dom = lookup.domain(ctl, args)
    with failing("failed to get hostname"):
        name = dom.hostname(flags)
    ctl.print(name)


@command('domjobabort', "Abort the job running on a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('postcopy', "interrupt a post-copy migration"))
def domjobabort(ctl, args):
    dom = lookup.domain(ctl, args)
    if args.flag("postcopy"):
        dom.abort_job_flags(1)      # VIR_DOMAIN_ABORT_JOB_POSTCOPY
    else:
        dom.abort_job()


@command('domjobinfo', "Show the job running on a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('completed', "the last completed job instead"),
         flag('keep-completed', "do not forget the completed job"),
         flag('anystats', "show statistics of any kind of job"),
         flag('rawstats', "show the raw statistics"))
def domjobinfo(ctl, args):
    from virtsh import jobinfo
    from virtsh.domopts import param_text
    from virtsh.drivers.errors import NO_SUPPORT
    dom = lookup.domain(ctl, args)
    flags = flag_bits(args, ("completed", 1), ("keep-completed", 2))
    try:
        job, params = dom.job_stats(flags)
    except VirtError as e:
        if e.code != NO_SUPPORT:
            raise
        if flags or args.flag("rawstats"):
            raise CommandError("Optional flags or --rawstats are not supported by "
                               "the daemon", e) from None
        job, params = dom.job_info()
    ctl.print("%-17s %-12s" % ("Job type:", JOB_TYPES[job]))
    if jobinfo.is_raw(params) and not args.flag("rawstats"):
        for line in jobinfo.lines(job == D.JOB_COMPLETED, params):
            ctl.print(line)
        return
    for name, value in params:
        ctl.print("%-17s %s" % (name + ":", param_text(value)))


@command('domlaunchsecinfo', "Show the launch security parameters of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def domlaunchsecinfo(ctl, args):
    from virtsh.domopts import print_params
    dom = lookup.domain(ctl, args)
    with failing("Unable to get launch security parameters"):
        params = dom.launch_security_info(0)
    print_params(ctl, params)


@command('domsetlaunchsecstate', "Inject a launch secret into a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         opt('secrethdr', "file with the secret header", complete="file"),
         opt('secret', "file with the secret", complete="file"),
         data('set-address', "guest address of the secret", kind=NUMBER))
def domsetlaunchsecstate(ctl, args):
    import base64
    dom = lookup.domain(ctl, args)
    if not (args.given("secrethdr") and args.given("secret")):
        raise CommandError("Both secret and the secret header are required")
    params = []
    for option, name in (("secrethdr", "sev-secret-header"), ("secret", "sev-secret")):
        data_ = read_file(args.get(option)).encode("utf-8", "surrogateescape")
        params.append((name, base64.b64encode(data_).decode()))
    if args.given("set-address"):
        params.append(("sev-secret-set-address", args.ulong("set-address")))
    with failing("Unable to set launch security state"):
        dom.set_launch_security_state(params, 0)
    ctl.print_extra("\nSet domain launch security state successfully")


@command('get-user-sshkeys', "List the authorized SSH keys of a guest user.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('user', "guest user", required=True))
def get_user_sshkeys(ctl, args):
    dom = lookup.domain(ctl, args)
    for key in dom.ssh_keys(args.get("user"), 0):
        ctl.print(key)


@command('inject-nmi', "Send a non-maskable interrupt to a guest.",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"))
def inject_nmi(ctl, args):
    lookup.domain(ctl, args).inject_nmi()
    return True


@command('send-key', "Send keystrokes to a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         opt('codeset', "keycode set (linux, xt, atset1 ... usb, win32, qnum)"),
         opt('holdtime', "milliseconds to hold each key", kind=NUMBER),
         argv('keycode', "key names (KEY_A) or numbers", required=True))
def send_key(ctl, args):
    from virtsh.args import parse_c_integer
    from virtsh.keycodes import LINUX
    dom = lookup.domain(ctl, args)
    codeset_name = args.get("codeset", "linux")
    if codeset_name not in KEYCODE_SETS:
        raise CommandError("unknown codeset: '%s'" % codeset_name)
    codeset = KEYCODE_SETS.index(codeset_name)
    holdtime = args.int("holdtime", 0)
    if holdtime < 0:
        raise CommandError("invalid value of --holdtime")
    codes = []
    for word in args.argv("keycode"):
        code = parse_key(word, codeset_name, LINUX, parse_c_integer)
        if code is None:
            raise CommandError("invalid keycode: '%s'" % word)
        codes.append(code)
    if len(codes) > 16:
        raise CommandError("too many keycodes")
    dom.send_key(codeset, holdtime, codes, 0)


def parse_key(word, codeset, names, parse_int):
    """A keycode: a number (decimal or 0x hex) below 0xffff, or a key name of
    the linux codeset."""
    if word[:2].lower() == "0x":
        try:
            number = int(word[2:], 16)
        except ValueError:
            number = None
    else:
        number = parse_int(word)
    if number is not None:
        return number if 0 <= number <= 0xffff else None
    return names.get(word) if codeset == "linux" else None


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


@command('lxc-enter-namespace', "Run a command in a container's namespaces.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('noseclabel', "keep the caller's security label"),
         argv('cmd', "the command and its arguments", required=True))
def lxc_enter_namespace(ctl, args):
    from virtsh import nsenter
    dom = lookup.domain(ctl, args)
    fds = dom.lxc_open_namespace(0)
    ctl.out.flush()
    failure = nsenter.run(fds, args.argv("cmd"))
    if failure:
        raise CommandError("internal error: " + failure)
    return True


@command('qemu-attach', "Adopt a QEMU process started outside libvirt.",
         data('pid', "process id of QEMU", required=True))
def qemu_attach(ctl, args):
    pid = args.uint("pid")
    with failing("Failed to attach to pid %d" % pid):
        dom = ctl.conn.qemu_attach(pid, 0)
    ctl.print("Domain '%s' attached to pid %d" % (dom.name(), pid))


@command('qemu-monitor-command', "Run a QEMU monitor command.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('hmp', "the command is in human monitor syntax"),
         flag('pretty', "pretty-print the JSON reply"),
         flag('return-value', "print only the 'return' member of the reply"),
         opt('pass-fds', "file descriptors to pass along"),
         argv('cmd', "the command", required=True))
def qemu_monitor_command(ctl, args):
    import json
    from virtsh import jsonpretty
    args.exclusive("hmp", "pretty")
    args.exclusive("hmp", "return-value")
    dom = lookup.domain(ctl, args)
    words = args.argv("cmd")
    if args.flag("hmp"):
        ctl.print(dom.qemu_monitor_command(" ".join(words), 1))
        return
    reply = dom.qemu_monitor_command(_qmp_command_text(words), 0)
    if not (args.flag("pretty") or args.flag("return-value")):
        ctl.print(reply)
        return
    value = json.loads(reply)
    if args.flag("return-value"):
        if "return" not in value:
            raise CommandError("'return' member missing")
        value = value["return"]
    # virsh prints a reformatted reply without a newline of its own (the
    # blank line after every command ends it; with -q nothing does)
    ctl.print(jsonpretty.pretty(value) if args.flag("pretty") else jsonpretty.compact(value),
              end="")


def _qmp_command_text(words):
    """The QMP command object virsh sends for *words*: the words themselves
    when they are one, else {"execute": first word, "arguments": the rest
    (a JSON object, its braces optional)}."""
    import json
    text = " ".join(words)
    try:
        if isinstance(json.loads(text), dict):
            return text
    except ValueError:
        pass
    msg = {"execute": words[0]}
    if len(words) > 1:
        rest = " ".join(words[1:])
        try:
            msg["arguments"] = json.loads(rest if rest.startswith("{") else "{%s}" % rest)
        except ValueError:
            raise CommandError("failed to wrap arguments '%s' into a QMP command wrapper"
                               % rest) from None
    return json.dumps(msg, separators=(",", ":"))


@command('qemu-monitor-event', "Wait for QEMU monitor events.",
         data('domain', "domain name, id or uuid", complete="domain"),
         data('event', "event name to wait for"),
         flag('pretty', "pretty-print the event data"),
         flag('loop', "keep waiting after the first event"),
         data('timeout', "stop after this many seconds", kind=NUMBER),
         flag('regex', "the event name is a regular expression"),
         flag('no-case', "match the event name ignoring case"),
         flag('timestamp', "print timestamps"))
def qemu_monitor_event(ctl, args):
    from virtsh.eventwait import checked_timeout, print_event, report_end, wait_for_events
    dom = lookup.domain(ctl, args) if args.given("domain") else None
    timeout = checked_timeout(args)
    loop, stamped, pretty = args.flag("loop"), args.flag("timestamp"), args.flag("pretty")
    received = []

    def on_event(domain, event, seconds, micros, details):
        if received and not loop:
            return
        if pretty and details is not None:
            import json
            details = json.dumps(json.loads(details), indent=2)
        where = "" if stamped else " at %d.%06d" % (seconds, micros)
        print_event(ctl, "event %s%s for domain '%s': %s"
                    % (event, where, domain.name(), details or "<null>"), stamped)
        received.append(event)
    flags = (1 if args.flag("regex") else 0) | (2 if args.flag("no-case") else 0)
    ctl.conn.qemu_monitor_event_register(dom, args.get("event"), on_event, flags)
    return report_end(ctl, wait_for_events(received, timeout, loop), len(received))


@command('qemu-agent-command', "Run a guest agent command.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         opt('timeout', "seconds to wait for the reply", kind=NUMBER),
         flag('async', "do not wait for the reply"),
         flag('block', "wait for the reply without limit"),
         flag('pretty', "pretty-print the JSON reply"),
         argv('cmd', "the command", required=True))
def qemu_agent_command(ctl, args):
    from virtsh import jsonpretty
    dom = lookup.domain(ctl, args)
    # libvirt's special timeouts: -2 blocks, -1 is the default, 0 does not wait
    timeout = args.int("timeout", -1)
    if args.given("timeout") and timeout < 1:
        raise CommandError("timeout must be positive")
    if args.given("timeout") + args.flag("async") + args.flag("block") > 1:
        raise CommandError("timeout, async and block options are exclusive")
    if args.flag("async"):
        timeout = 0
    elif args.flag("block"):
        timeout = -2
    reply = dom.qemu_agent_command(" ".join(args.argv("cmd")), timeout, 0)
    if args.flag("pretty"):
        import json
        reply = jsonpretty.pretty(json.loads(reply))
    ctl.print(reply)


@command('guest-agent-timeout', "Set how long to wait for the guest agent.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         opt('timeout', "seconds; -2 blocks, -1 default, 0 does not wait",
             kind=NUMBER))
def guest_agent_timeout(ctl, args):
    timeout = args.int("timeout", -1)
    lookup.domain(ctl, args).set_agent_timeout(timeout, 0)


@command('screenshot', "Save a screenshot of a domain's console.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('file', "where to save it (default: DOMAIN-DATE.EXT)", complete="file"),
         data('screen', "which screen (head) to capture", kind=NUMBER))
def screenshot(ctl, args):
    import time
    dom = lookup.domain(ctl, args)
    screen = args.uint("screen", 0)
    with failing("could not take a screenshot of %s" % dom.name()):
        mime, image = dom.screenshot(screen, 0)
    path = args.get("file")
    if not path:
        ext = {"image/x-portable-pixmap": ".ppm", "image/png": ".png"}.get(mime, "")
        path = "%s-%s%s" % (dom.name(), time.strftime("%Y-%m-%d-%H:%M:%S"), ext)
    try:
        with open(path, "wb") as f:
            f.write(image)
    except OSError as e:
        raise CommandError("cannot create file %s: %s" % (path, e.strerror)) from None
    ctl.print_extra("Screenshot saved to %s, with type of %s" % (path, mime), end="")


KEYCODE_SETS = ("linux", "xt", "atset1", "atset2", "atset3", "os_x", "xt_kbd",
                "usb", "win32", "qnum")


@command('set-user-sshkeys', "Add, remove or replace authorized SSH keys of a guest user.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('user', "guest user", required=True),
         data('file', "file with one key per line", complete="file"),
         flag('reset', "replace the keys instead of adding"),
         flag('remove', "remove the keys instead of adding"))
def set_user_sshkeys(ctl, args):
    from virtsh.domopts import exclusive
    if args.flag("remove") and not args.given("file"):
        raise CommandError("Option --file is required by option --remove")
    exclusive(args, "reset", "remove")
    dom = lookup.domain(ctl, args)
    keys = []
    if args.given("file"):
        path = args.get("file")
        keys = [line for line in read_file(path).splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
        if not keys and not args.flag("reset"):
            raise CommandError("File %s contains no keys" % path)
    elif not args.flag("reset"):
        raise CommandError("Option --file is required")
    # VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND (1) unless replacing or removing
    flags = 2 if args.flag("remove") else 0 if args.flag("reset") else 1
    dom.set_ssh_keys(args.get("user"), keys, flags)


@command('set-user-password', "Set the password of a guest user.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('user', "guest user", required=True),
         data('password', "the new password", required=True),
         flag('encrypted', "the password is already encrypted"))
def set_user_password(ctl, args):
    dom = lookup.domain(ctl, args)
    user = args.get("user")
    dom.set_user_password(user, args.get("password"), 1 if args.flag("encrypted") else 0)
    ctl.print_extra("Password set successfully for %s in %s" % (user, dom.name()), end="")


JOB_TYPES = ("None", "Bounded", "Unbounded", "Completed", "Failed", "Cancelled")


@command('ttyconsole', "Show the host device of a domain's console.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def ttyconsole(ctl, args):
    from virtsh.domxml import domain_tree
    console = domain_tree(lookup.domain(ctl, args)).find("devices/console")
    tty = console.get("tty") if console is not None else None
    if not tty:
        return False
    ctl.print(tty)


@command('vncdisplay', "Show the VNC display of a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"))
def vncdisplay(ctl, args):
    from virtsh.domxml import domain_tree
    dom = lookup.domain(ctl, args)
    if not dom.is_active():
        raise CommandError("Domain is not running")
    graphics = domain_tree(dom).find("devices/graphics[@type='vnc']")
    port = int(graphics.get("port", "0") or 0) if graphics is not None else 0
    if port <= 0:
        raise CommandError("Failed to get VNC port. Is this domain using VNC?")
    listen = graphics.find("listen")
    address = (listen.get("address") if listen is not None else None) \
        or graphics.get("listen") or ""
    if address in ("0.0.0.0", "::"):
        address = ""
    ctl.print("%s:%d" % (address, port - 5900))


@command('guestinfo', "Show information the guest agent reports.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         flag('user', "logged in users"),
         flag('os', "operating system"),
         flag('timezone', "time zone"),
         flag('hostname', "host name"),
         flag('filesystem', "file systems"),
         flag('disk', "disks"),
         flag('interface', "network interfaces"))
def guestinfo(ctl, args):
    from virtsh.domopts import param_text
    dom = lookup.domain(ctl, args)
    types = flag_bits(args, *GUEST_INFO_TYPES)
    for name, value in dom.guest_info(types, 0):
        ctl.print("%-20s: %s" % (name, param_text(value)))


@command('domdirtyrate-calc', "Start measuring a domain's memory dirty rate.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('seconds', "how long to measure (default 1)", kind=NUMBER),
         data('mode', "page-sampling, dirty-bitmap or dirty-ring"))
def domdirtyrate_calc(ctl, args):
    modes = {None: 0, "page-sampling": 1, "dirty-bitmap": 2, "dirty-ring": 4}
    mode = args.get("mode")
    if mode not in modes:
        raise CommandError("Unknown calculation mode '%s'" % mode)
    dom = lookup.domain(ctl, args)
    seconds = args.int("seconds", 1)
    dom.start_dirty_rate_calc(seconds, modes[mode])
    ctl.print_extra("Start to calculate domain's memory dirty rate successfully.")


@command('dom-fd-associate', "Associate file descriptors with a domain.",
         data('domain', "domain name, id or uuid", required=True, complete="domain"),
         data('name', "name of the file descriptor set", required=True),
         data('pass-fds', "comma separated file descriptors", required=True),
         flag('seclabel-writable', "label the files writable"),
         flag('seclabel-restore', "restore the labels afterwards"))
def dom_fd_associate(ctl, args):
    dom = lookup.domain(ctl, args)
    fds = []
    for word in args.get("pass-fds").split(","):
        if not word.strip().lstrip("-").isdigit():
            raise CommandError("Unable to parse FD number '%s'" % word)
        fds.append(int(word))
    flags = flag_bits(args, ("seclabel-restore", 1), ("seclabel-writable", 2))
    dom.fd_associate(args.get("name"), fds, flags)


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
