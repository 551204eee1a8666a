"""The test driver's own post-parse step for domain definitions.

libvirt's test driver names every interface that has no device name
``testnetN`` (N counts the names it generated), as a real host would give
it a tap device.  The generic defaults are xmlconf's; this is the one the
test driver adds on top.
"""


def apply(tree):
    """Name unnamed interfaces of the domain tree *tree* in place."""
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
    return tree
