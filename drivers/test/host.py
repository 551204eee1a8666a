"""Test driver: host APIs of the connection (mixed into TestConnection).

The host part proper (node info, NUMA cells, CPU and memory figures,
capabilities) is here; interfaces and node devices have their own mixins,
which HostMixin brings in.  Secrets and network filters: libvirt's test
driver has none, so neither has this one (the base class reports the APIs
as not supported).  Numbers are those of libvirt's test driver.
"""
from virtsh.drivers.errors import VirtError, INVALID_ARG, check_flags
from virtsh.drivers.test.interfaces import InterfacesMixin
from virtsh.drivers.test.nodedevs import NodeDevicesMixin

SYSINFO_XML = """<sysinfo type='smbios'>
  <bios>
    <entry name='vendor'>LENOVO</entry>
    <entry name='version'>G4ETA1WW (2.61 )</entry>
    <entry name='date'>05/07/2014</entry>
    <entry name='release'>2.61</entry>
  </bios>
</sysinfo>
"""

# testNodeGetCPUStats: (field, ns)
CPU_STATS = (("user", 9797400000), ("kernel", 34678723400000),
             ("idle", 87264900000), ("iowait", 763600000))

PAGE_SIZES = (4, 8, 2048, 1024 * 1024)      # KiB
EMULATOR = "/usr/bin/test-hv"
LIB_VERSION = 9000000
MAX_VCPUS = 32

# libvirt's x86 CPU models in its cpu_map order (virsh cpu-models).
X86_CPU_MODELS = (
    "486", "pentium", "pentium2", "pentium3", "pentiumpro", "coreduo", "n270",
    "core2duo", "qemu32", "kvm32", "cpu64-rhel5", "cpu64-rhel6", "qemu64",
    "kvm64", "Conroe", "Penryn", "Nehalem", "Nehalem-IBRS", "Westmere",
    "Westmere-IBRS", "SandyBridge", "SandyBridge-IBRS", "IvyBridge",
    "IvyBridge-IBRS", "Haswell-noTSX", "Haswell-noTSX-IBRS", "Haswell",
    "Haswell-IBRS", "Broadwell-noTSX", "Broadwell-noTSX-IBRS", "Broadwell",
    "Broadwell-IBRS", "Skylake-Client", "Skylake-Client-IBRS",
    "Skylake-Client-noTSX-IBRS", "Skylake-Server", "Skylake-Server-IBRS",
    "Skylake-Server-noTSX-IBRS", "Cascadelake-Server",
    "Cascadelake-Server-noTSX", "Icelake-Client", "Icelake-Client-noTSX",
    "Icelake-Server", "Icelake-Server-noTSX", "Cooperlake", "Snowridge",
    "athlon", "phenom", "Opteron_G1", "Opteron_G2", "Opteron_G3",
    "Opteron_G4", "Opteron_G5", "EPYC", "EPYC-IBPB", "EPYC-Rome",
    "EPYC-Milan", "Dhyana")
# Architectures libvirt knows (virArch names); only x86 has a model list here.
ARCHES = ("none", "alpha", "armv6l", "armv7l", "armv7b", "aarch64", "cris",
          "i686", "ia64", "lm32", "loongarch64", "m68k", "microblaze",
          "microblazeel", "mips", "mipsel", "mips64", "mips64el", "openrisc",
          "parisc", "parisc64", "ppc", "ppcle", "ppc64", "ppc64le", "ppcemb",
          "riscv32", "riscv64", "s390", "s390x", "sh4", "sh4eb", "sparc",
          "sparc64", "unicore32", "x86_64", "xtensa", "xtensaeb")


class Cell:
    """A NUMA cell of the default node (testCell): memory KiB, free KiB, CPU ids."""

    __slots__ = ("mem", "free_mem", "cpus")

    def __init__(self, mem, free_mem, cpus):
        self.mem = mem
        self.free_mem = free_mem
        self.cpus = cpus


class HostMixin(InterfacesMixin, NodeDevicesMixin):
    """The host part of TestConnection."""

    # --- node loading -----------------------------------------------------
    def _init_host(self, root):
        if root is None:
            self._cells = [Cell((i + 1) * 2048 * 1024, (i + 1) * 1024 * 1024,
                                range(i * 8, i * 8 + 8)) for i in range(2)]
        else:
            self._cells = []
        self._init_interfaces(root)
        self._init_node_devices(root)

    # --- the connection itself -------------------------------------------
    def get_uri(self):
        return str(self.uri)

    def get_type(self):
        return "TEST"

    def get_version(self):
        return 2

    def get_lib_version(self):
        return LIB_VERSION

    def get_hostname(self):
        import socket
        return socket.gethostname()

    def is_alive(self):
        return True

    # --- host -------------------------------------------------------------
    def get_node_info(self):
        return self.node_info

    def get_max_vcpus(self, type_=None):
        return MAX_VCPUS

    def get_sysinfo(self, flags=0):
        check_flags(flags, 0, "testConnectGetSysinfo")
        return SYSINFO_XML

    def get_capabilities(self):
        from virtsh.xmlconf import capabilities as C
        cells = []
        for i, cell in enumerate(self._cells):
            first_page = PAGE_SIZES[1] if i == 1 else PAGE_SIZES[0]
            pages = [(first_page, cell.mem // first_page)]
            pages += [(size, 0) for size in PAGE_SIZES[2:]]
            cpus = [C.Cpu(n, n // 8, 0, n % 8, str(n)) for n in cell.cpus]
            cells.append(C.Cell(i, cell.mem, pages, cpus))
        host = C.Host("i686", ("pae", "nonpae"), PAGE_SIZES, cells,
                      [("testSecurity", "")])
        guests = [C.Guest(os_type, "i686", 32, EMULATOR, ("test",), ("pae", "nonpae"))
                  for os_type in ("hvm", "xen")]
        return C.format(host, guests)

    def get_cells_free_memory(self, start_cell, max_cells):
        if start_cell < 0 or start_cell >= len(self._cells):
            raise VirtError(INVALID_ARG, "Range exceeds available cells")
        return [c.mem for c in self._cells[start_cell:start_cell + max_cells]]

    def get_free_memory(self):
        return sum(c.free_mem for c in self._cells)

    def get_cpu_stats(self, cpu_num=-1, flags=0):
        check_flags(flags, 0, "testNodeGetCPUStats")
        return dict(CPU_STATS)

    def get_free_pages(self, pages, start_cell, cell_count, flags=0):
        check_flags(flags, 0, "testNodeGetFreePages")
        counts = []
        for _ in range(cell_count):
            x = 6
            for _ in pages:
                x = x * 2 + 7
                counts.append(x)
        return counts

    def get_cpu_map(self, flags=0):
        check_flags(flags, 0, "testNodeGetCPUMap")
        return 8, [bool(0x15 & (1 << i)) for i in range(8)], 3

    def get_cpu_model_names(self, arch, flags=0):
        check_flags(flags, 0, "testConnectGetCPUModelNames")
        if arch not in ARCHES or arch == "none":
            raise VirtError(INVALID_ARG, "cannot find architecture %s" % arch)
        if arch in ("i686", "x86_64"):
            return list(X86_CPU_MODELS)
        return None
