"""The test driver's own post-parse step for domain definitions.

libvirt's test driver names every interface that has no device name
``testnetN`` (N counts the names it generated), as a real host would give
it a tap device, and its pretend host is an i686 machine, the architecture
a guest without one gets.  The generic defaults are xmlconf's; these are
the ones the test driver adds on top.
"""

HOST_ARCH = "i686"


def apply(tree):
    """Apply the test driver's defaults to the domain tree *tree* in place
    (on define and create)."""
    set_arch(tree)
    name_interfaces(tree)
    return tree


def set_arch(tree):
    """Give a guest without an architecture the test host's (also done
    when a save image's definition is replaced)."""
    from virtsh.xmlconf.tree import attr
    ostype = tree.find("os/type")
    if ostype is not None and ostype.get("arch") is None:
        attr(ostype, "domain/os/type", "arch", HOST_ARCH)


def name_interfaces(tree):
    """Name each interface without a device name ``testnetN``."""
    from virtsh.xmlconf.tree import attr, insert
    path = "domain/devices/interface"
    n = 0
    for nic in tree.findall("devices/interface"):
        target = nic.find("target")
        if target is not None and target.get("dev"):
            continue
        if target is None:
            target = insert(nic, path, "target")
        attr(target, path + "/target", "dev", "testnet%d" % n)
        n += 1
