"""What a formatting flag leaves out of a domain definition.

libvirt prints one definition several ways: without ``--security-info``
passwords are hidden; with ``--migratable`` whatever the destination
re-creates on its own (the implicit PS/2 keyboard, a SPICE display's "no
listen" marker, the default pSeries host bridge model) is left out, and of
a running domain also what this host named for it (device aliases, pty
paths, disk node indexes, its dynamic security label).  Each view edits a
copy of the canonical tree, never the definition itself.
"""
from virtsh.xmlconf import XML_INACTIVE, XML_MIGRATABLE, XML_SECURE
from virtsh.xmlconf.tree import attr, insert


def apply(root, flags):
    """Edit *root* (a copy) for *flags*."""
    for p in root.findall("devices/panic"):
        if not p.attrib and not len(p):
            p.getparent().remove(p)  # libvirt prints nothing for a bare <panic/>
    if not flags & XML_SECURE:
        hide_secrets(root)
    if flags & XML_MIGRATABLE:
        migratable(root)
        if not flags & XML_INACTIVE:
            migratable_running(root)
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


def migratable_running(root):
    """What a start gave the devices of a running domain, which the
    destination's start gives them anew; user aliases (``ua-``) stay."""
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
    for label in root.findall("seclabel[@type='dynamic']"):
        if label.find("baselabel") is None:
            root.remove(label)


def _drop(parent, elem):
    """Remove *elem*; a parent left without children prints as empty."""
    parent.remove(elem)
    if not len(parent):
        parent.text = None
