"""Secret commands (virsh help group 'secret')."""
from virtsh import jsonout
from virtsh.cmd import NUMBER, command, data, flag, opt
from virtsh.errors import CommandError, failing

SECRET_EVENTS = ("lifecycle", "value-changed")


def _secret(ctl, args):
    from virtsh import lookup
    return lookup.secret(ctl, args)


_SECRET = data('secret', "secret UUID", required=True, complete="secret")


@command('secret-define', "define or change a secret from an XML file",
         data('file', "file with the secret XML", required=True, complete="file"),
         flag('validate', "validate the XML document against the schema"))
def secret_define(ctl, args):
    from virtsh.cmdutil import read_file
    path = args.get("file")
    xml = read_file(path)
    with failing("Failed to set attributes from %s" % path):
        secret = ctl.conn.define_secret(xml, 1 if args.flag("validate") else 0)
    ctl.print_extra("Secret %s created" % secret.uuid())


@command('secret-dumpxml', "print the XML of a secret",
         _SECRET,
         opt('xpath', "print only the nodes this XPath expression selects"),
         flag('wrap', "wrap the selected nodes in a <nodes> element"))
def secret_dumpxml(ctl, args):
    from virtsh.xmlout import print_xml
    secret = _secret(ctl, args)
    print_xml(ctl, secret.xml_desc(), args.get("xpath"), args.flag("wrap"))


@command('secret-event', "wait for secret events and print them",
         data('secret', "only events of this secret", complete="secret"),
         data('event', "the event to wait for (see --list)"),
         flag('loop', "go on after the first event"),
         data('timeout', "stop waiting after this many seconds", kind=NUMBER),
         flag('list', "list the event names"),
         flag('timestamp', "print a timestamp before each event"))
def secret_event(ctl, args):
    from virtsh import objevents
    if args.given("secret"):
        _secret(ctl, args)
    return objevents.run(ctl, args, SECRET_EVENTS)


@command('secret-get-value', "print the value of a secret (base64 encoded)",
         _SECRET,
         flag('plain', "print the raw value, not base64"))
def secret_get_value(ctl, args):
    import base64
    secret = _secret(ctl, args)
    value = secret.value()
    if args.flag("plain"):
        ctl.out.flush()
        out = getattr(ctl.out, "buffer", None)
        if out is not None:
            out.write(value)
            out.flush()
        else:
            ctl.print(value.decode("utf-8", "replace"), end="")
        return
    ctl.print(base64.b64encode(value).decode(), end="")    # the engine ends the line


_FILTERS = (("ephemeral", 1 << 0), ("no-ephemeral", 1 << 1),
            ("private", 1 << 2), ("no-private", 1 << 3))


@command('secret-list', "list secrets",
         flag('ephemeral', "list ephemeral secrets"),
         flag('no-ephemeral', "list persistent secrets"),
         flag('private', "list private secrets"),
         flag('no-private', "list non-private secrets"),
         jsonout.JSON)
def secret_list(ctl, args):
    from virtsh.drivers.errors import VirtError, NO_SUPPORT
    from virtsh.drivers.hostobjects import SECRET_USAGE_TYPES
    from virtsh.format import print_table
    flags = 0
    for option, bit in _FILTERS:
        if args.flag(option):
            flags |= bit
    conn = ctl.conn
    try:
        secrets = conn.list_all_secrets(flags)
    except VirtError as e:
        if e.code != NO_SUPPORT:
            raise CommandError("Failed to list secrets", e) from None
        if flags:
            raise CommandError("Filtering is not supported by this libvirt") from None
        with failing("Failed to count secrets"):
            conn.num_of_secrets()
        raise CommandError("Failed to list secrets", e) from None
    records = []
    for secret in sorted(secrets, key=lambda s: s.uuid()):
        usage = secret.usage_type()
        records.append({"uuid": secret.uuid(),
                        "usage_type": SECRET_USAGE_TYPES[usage] if usage else None,
                        "usage_id": secret.usage_id() if usage else None})
    if jsonout.wanted(args):
        return jsonout.emit(ctl, records)
    print_table(ctl, ("UUID", "Usage"), [
        (r["uuid"], "%s %s" % (r["usage_type"], r["usage_id"]) if r["usage_type"]
         else "Unused") for r in records])


def _value_from_file(ctl, path, plain):
    import base64
    from virtsh.cmdutil import read_file
    text = read_file(path)
    if plain:
        return text.encode("utf-8", "surrogateescape")
    try:
        return base64.b64decode(text.strip(), validate=True)
    except ValueError:
        raise CommandError("Invalid base64 data") from None


@command('secret-set-value', "set the value of a secret",
         _SECRET,
         opt('file', "read the value from this file", complete="file"),
         flag('plain', "the file holds the raw value, not base64"),
         flag('interactive', "ask for the value on the terminal"),
         data('base64', "the value, base64 encoded (visible to other users)"))
def secret_set_value(ctl, args):
    import base64
    secret = _secret(ctl, args)
    sources = [o for o in ("file", "interactive", "base64") if args.given(o)]
    if len(sources) > 1:
        raise CommandError("Options --%s and --%s are mutually exclusive" % tuple(sources[:2]))
    if not sources:
        raise CommandError("Input secret value is missing")
    if args.given("file"):
        value = _value_from_file(ctl, args.get("file"), args.flag("plain"))
    elif args.flag("interactive"):
        import getpass
        value = getpass.getpass("Enter new value for secret:").encode()
    else:
        try:
            value = base64.b64decode(args.get("base64"), validate=True)
        except ValueError:
            raise CommandError("Invalid base64 data") from None
    with failing("Failed to set secret value"):
        secret.set_value(value)
    ctl.print_extra("Secret value set")


@command('secret-undefine', "remove a secret", _SECRET)
def secret_undefine(ctl, args):
    secret = _secret(ctl, args)
    text = args.get("secret")
    with failing("Failed to delete secret %s" % text):
        secret.undefine()
    ctl.print_extra("Secret %s deleted" % text)
