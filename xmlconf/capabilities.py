"""Host capabilities XML (``virsh capabilities``), formatted as libvirt does.

The driver describes its host with plain values; ``format`` prints them::

    Host(arch="i686", features=("pae",), page_sizes=(4, 2048),
         cells=[Cell(0, 2097152, [(4, 524288)], [Cpu(0, 0, 0, 0, "0")])],
         secmodels=[("testSecurity", "")])
    Guest("hvm", "i686", 32, "/usr/bin/test-hv", ("test",), ("pae",))
"""
from virtsh.xmlconf.writer import escape


class Cpu:
    """One host CPU of a NUMA cell."""

    __slots__ = ("id", "socket_id", "die_id", "core_id", "siblings")

    def __init__(self, id_, socket_id, die_id, core_id, siblings):
        self.id = id_
        self.socket_id = socket_id
        self.die_id = die_id
        self.core_id = core_id
        self.siblings = siblings


class Cell:
    """A NUMA cell: memory KiB, (page size KiB, count) pairs, its CPUs."""

    __slots__ = ("id", "memory", "pages", "cpus")

    def __init__(self, id_, memory, pages, cpus):
        self.id = id_
        self.memory = memory
        self.pages = pages
        self.cpus = cpus


class Host:
    """The <host> part; *cells* None leaves out <topology>."""

    __slots__ = ("arch", "features", "page_sizes", "cells", "secmodels", "iommu")

    def __init__(self, arch, features=(), page_sizes=(), cells=None,
                 secmodels=(), iommu=False):
        self.arch = arch
        self.features = features
        self.page_sizes = page_sizes
        self.cells = cells
        self.secmodels = secmodels
        self.iommu = iommu


class Guest:
    """One <guest>: OS type, arch, word size, emulator, domain types, features."""

    __slots__ = ("os_type", "arch", "wordsize", "emulator", "domain_types", "features")

    def __init__(self, os_type, arch, wordsize, emulator, domain_types, features=()):
        self.os_type = os_type
        self.arch = arch
        self.wordsize = wordsize
        self.emulator = emulator
        self.domain_types = domain_types
        self.features = features


def format(host, guests):  # noqa: A001
    """The capabilities document."""
    out = ["<capabilities>\n", "\n", "  <host>\n", "    <cpu>\n",
           "      <arch>%s</arch>\n" % host.arch]
    if host.features:
        out.append("      <features>\n")
        out.extend("        <%s/>\n" % f for f in host.features)
        out.append("      </features>\n")
    out.extend("      <pages unit='KiB' size='%d'/>\n" % s for s in host.page_sizes)
    out.append("    </cpu>\n")
    out.append("    <power_management/>\n")
    out.append("    <iommu support='%s'/>\n" % ("yes" if host.iommu else "no"))
    if host.cells is not None:
        out.append("    <topology>\n")
        out.append("      <cells num='%d'>\n" % len(host.cells))
        for cell in host.cells:
            out.extend(_cell(cell))
        out.append("      </cells>\n")
        out.append("    </topology>\n")
    for model, doi in host.secmodels:
        out.append("    <secmodel>\n")
        out.append("      <model>%s</model>\n" % escape(model))
        out.append("      <doi>%s</doi>\n" % escape(doi))
        out.append("    </secmodel>\n")
    out.append("  </host>\n\n")
    for guest in guests:
        out.extend(_guest(guest))
    out.append("</capabilities>\n")
    return "".join(out)


def _cell(cell):
    pad = " " * 8
    yield "%s<cell id='%d'>\n" % (pad, cell.id)
    yield "%s  <memory unit='KiB'>%d</memory>\n" % (pad, cell.memory)
    for size, count in cell.pages:
        yield "%s  <pages unit='KiB' size='%d'>%d</pages>\n" % (pad, size, count)
    yield "%s  <cpus num='%d'>\n" % (pad, len(cell.cpus))
    for cpu in cell.cpus:
        yield ("%s    <cpu id='%d' socket_id='%d' die_id='%d' core_id='%d' "
               "siblings='%s'/>\n" % (pad, cpu.id, cpu.socket_id, cpu.die_id,
                                      cpu.core_id, cpu.siblings))
    yield "%s  </cpus>\n" % pad
    yield "%s</cell>\n" % pad


def _guest(guest):
    yield "  <guest>\n"
    yield "    <os_type>%s</os_type>\n" % guest.os_type
    yield "    <arch name='%s'>\n" % guest.arch
    yield "      <wordsize>%d</wordsize>\n" % guest.wordsize
    yield "      <emulator>%s</emulator>\n" % escape(guest.emulator)
    for dtype in guest.domain_types:
        yield "      <domain type='%s'/>\n" % dtype
    yield "    </arch>\n"
    if guest.features:
        yield "    <features>\n"
        for f in guest.features:
            yield "      <%s/>\n" % f
        yield "    </features>\n"
    yield "  </guest>\n\n"
