"""virtio-serial channels of a running domain: where their sockets live and
whether the guest has their port open.

A ``<channel type='unix'>`` with a virtio target and no source path gets
one in the domain's channel directory, as libvirt lays it out
(``LIB/channel/target/domain-ID-NAME/TARGET-NAME``, or
``vioser-CC-BB-PP.sock`` for an unnamed port).  QEMU reports a guest
opening or closing a port with VSERPORT_CHANGE; the supervisor records
that in the small ``NAME.vserports`` file (it must never wait for the
domain's lock: a command holding it may be waiting for QEMU's next
event), and the live XML shows it as ``<target ... state='connected'/>``.
"""
import os

STATE_FILE = "vserports"
AGENT_CHANNEL = "org.qemu.guest_agent.0"


def directory(lib_dir, dom_id, name):
    """The channel directory of domain *name* running with id *dom_id*
    (libvirt's short name: the id and at most 20 characters of the name)."""
    return os.path.join(lib_dir, "channel", "target", "domain-%d-%s" % (dom_id, name[:20]))


def virtio_unix(root):
    """The unix-socket channels with a virtio target, in document order."""
    return [c for c in root.findall("devices/channel[@type='unix']")
            if c.find("target") is not None and c.find("target").get("type") == "virtio"]


def fill_paths(root, chan_dir):
    """Give every virtio unix channel without a socket path one in *chan_dir*
    (a server socket QEMU creates); whether any was given."""
    from lxml import etree
    given = False
    for channel in virtio_unix(root):
        source = channel.find("source")
        if source is not None and source.get("path"):
            continue
        target = channel.find("target")
        if target.get("name"):
            leaf = target.get("name")
        else:
            addr = channel.find("address")
            leaf = "vioser-%02d-%02d-%02d.sock" % tuple(
                int(addr.get(k, "0")) if addr is not None else 0
                for k in ("controller", "bus", "port"))
        if source is None:
            source = etree.Element("source")
            channel.insert(0, source)
        source.set("mode", "bind")
        source.set("path", os.path.join(chan_dir, leaf))
        given = True
    return given


def record_initial(root, chardevs):
    """Set each virtio channel's state from QEMU's query-chardev answer
    (its ``frontend-open``), as libvirt does right after a start."""
    opened = {c["label"]: c.get("frontend-open", False) for c in chardevs}
    for i, channel in enumerate(root.findall("devices/channel")):
        target = channel.find("target")
        if target is not None and target.get("type") == "virtio":
            is_open = opened.get("charchannel%d" % i, False)
            target.set("state", "connected" if is_open else "disconnected")


def read_states(store, name):
    """{channel alias: True/False} the guest changed since the start."""
    from virtsh.drivers import files
    text = files.read_text(store.run(name, STATE_FILE)) or ""
    states = {}
    for line in text.splitlines():
        alias, _, value = line.partition(" ")
        states[alias] = value == "open"
    return states


def record_change(store, name, alias, is_open):
    """Remember that the guest opened or closed the port *alias* (from the
    supervisor, without the domain's lock: it alone writes this file)."""
    from virtsh.drivers import files
    states = read_states(store, name)
    states[alias] = is_open
    files.write_atomic(store.run(name, STATE_FILE),
                       "".join("%s %s\n" % (a, "open" if o else "closed")
                               for a, o in sorted(states.items())), durable=False)


def apply_states(text, states):
    """The live XML *text* with the channel states of *states* applied."""
    import re       # (not at the top: a destroy reads this module's paths only)

    def fix(match):
        channel = match.group(0)
        alias = re.search(r"<alias name='([^']+)'/>", channel)
        if alias is None or alias.group(1) not in states:
            return channel
        state = "connected" if states[alias.group(1)] else "disconnected"
        return re.sub(r" state='\w+'", " state='%s'" % state, channel, count=1)
    return re.sub(r"<channel [^>]*>.*?</channel>", fix, text, flags=re.S)
