"""What a formatting flag leaves out of a domain definition.

libvirt prints one definition several ways: without ``--security-info``
passwords are hidden; with ``--migratable`` whatever the destination
re-creates on its own (the implicit PS/2 keyboard, a SPICE display's "no
listen" marker, the default pSeries host bridge model) is left out, and so
is what this host named for a running domain (device aliases, pty paths,
disk node indexes, the security label it generated).  Each view edits a
copy of the canonical tree, never the definition itself.
"""
from virtsh.xmlconf import XML_INACTIVE, XML_MIGRATABLE, XML_SECURE
from virtsh.xmlconf.tree import attr, insert


def may_edit(root, flags):
    """Whether apply() may edit *root* for *flags*: printing needs a copy
    only then.  Only the inactive, secure view (what a define writes) of a
    definition without a bare <panic/> is sure to be left as it is."""
    if flags & XML_MIGRATABLE or not flags & XML_INACTIVE or not flags & XML_SECURE:
        return True
    return any(not p.attrib and not len(p) for p in root.iterfind("devices/panic"))


def apply(root, flags):
    """Edit *root* (a copy) for *flags* (keep may_edit in step)."""
    for p in root.findall("devices/panic"):
        if not p.attrib and not len(p):
            p.getparent().remove(p)  # libvirt prints nothing for a bare <panic/>
    if not flags & XML_SECURE:
        hide_secrets(root)
    if flags & XML_MIGRATABLE:
        migratable(root)
        drop_host_names(root)
    if not flags & XML_INACTIVE:
        live(root)
    return root


def live(root):
    """What a running domain shows beyond its definition."""
    for tune in root.iterfind("cputune/cachetune"):
        if tune.get("id") is None:
            attr(tune, "domain/cputune/cachetune", "id", "vcpus_" + tune.get("vcpus", ""))
    for target in root.iterfind("devices/memory[@model='virtio-mem']/target"):
        if target.find("current") is None:
            insert(target, "domain/devices/memory/target", "current", {"unit": "KiB"}, "0")


def hide_secrets(root):
    for g in root.iterfind("devices/graphics[@passwd]"):
        del g.attrib["passwd"]


def migratable(root):
    devs = root.find("devices")
    if devs is None:
        return
    for i in devs.findall("input[@type='keyboard'][@bus='ps2']"):
        devs.remove(i)
    for g in devs.findall("graphics[@socket]"):
        for lst in g.findall("listen[@type='socket']"):
            if lst.get("socket") == g.get("socket"):
                _drop(g, lst)
    for g in devs.findall("graphics[@type='spice']"):
        listens = g.findall("listen")
        if listens and all(lst.get("type") == "none" for lst in listens):
            for lst in listens:
                _drop(g, lst)
            if g.get("autoport") is None:
                g.set("autoport", "no")
    for c in devs.findall("controller[@type='pci'][@model='pci-root']"):
        m = c.find("model[@name='spapr-pci-host-bridge']")
        if m is not None and c.get("index") == "0":
            c.remove(m)


def drop_host_names(root):
    """What a start gave the devices of a running domain, which the
    destination's start gives them anew (a saved image's definition is one
    of a running domain too); user aliases (``ua-``) stay."""
    for label in root.findall("seclabel[@type='dynamic']"):
        if label.find("label") is not None and label.find("baselabel") is None:
            root.remove(label)      # a start's label: the destination's start makes its own
    devs = root.find("devices")
    for dev in devs if devs is not None else ():
        for alias in dev.findall("alias"):
            if not alias.get("name", "").startswith("ua-"):
                _drop(dev, alias)
        if dev.get("type") == "pty":
            dev.attrib.pop("tty", None)
            for source in dev.findall("source"):
                _drop(dev, source)
        for target in dev.findall("target[@state]"):
            del target.attrib["state"]
        for chain in dev.iter("source", "backingStore"):
            chain.attrib.pop("index", None)


def _drop(parent, elem):
    """Remove *elem*; a parent left without children prints as empty."""
    parent.remove(elem)
    if not len(parent):
        parent.text = None
