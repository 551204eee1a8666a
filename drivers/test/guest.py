"""Test driver: statistics and guest queries of a domain.

``DomainGuestMixin`` is part of TestDomain (through DomainDevicesMixin).
As in libvirt's test driver, counters are derived from the clock, the
guest clock starts at 627319920 s, and every guest has two file systems
(/ and /boot) on its first disk.
"""
import time

from virtsh.drivers import domain as D
from virtsh.drivers.errors import (
    VirtError, ARGUMENT_UNSUPPORTED, INVALID_ARG, OPERATION_FAILED, OPERATION_INVALID,
    OPERATION_UNSUPPORTED, SYSTEM_ERROR)
from virtsh.drivers.test.apichecks import check_flags, unsupported_flags
from virtsh.drivers.deftree import disk_source, disks, find_disk, find_net

GUEST_CLOCK = 627319920          # testDomainObjPrivateAlloc's seconds
TOTAL_CPU_TIME = 48772617035     # ns, testDomainGetCPUStats
DISK_CAPACITY = 1099506450432
DISK_ALLOCATION = 1099511627776
SAVE_MAGIC = b"TestGuestMagic\0"
FILE_SYSTEMS = ("/", "/boot")


class DomainGuestMixin:
    """Statistics and guest APIs of TestDomain (host figures come from
    DomainDevicesMixin._node_info)."""

    def _guest(self, rec):
        """Per-domain guest state of libvirt's testDomainObjPrivate:
        the guest clock and which of the two file systems are frozen."""
        guest = rec.guest
        if guest is None:
            guest = rec.guest = {"clock": (GUEST_CLOCK, 0), "frozen": set()}
        return guest

    # --- statistics -----------------------------------------------------------
    def block_stats(self, path):
        if not path:
            raise VirtError(OPERATION_UNSUPPORTED,
                            "summary statistics are not supported yet")
        rec = self._active_rec()
        if find_disk(rec.current.tree, path) is None:
            raise VirtError(INVALID_ARG, "invalid path: %s" % path)
        base = time.time_ns() // 1000
        return [("rd_req", base // 10), ("rd_bytes", base // 20),
                ("wr_req", base // 30), ("wr_bytes", base // 40),
                ("errs", base // 2000000)]

    def interface_stats(self, device):
        rec = self._active_rec()
        find_net(rec.current.tree, device)
        base = time.time_ns() // 1000
        return [("rx_bytes", base // 10), ("rx_packets", base // 100),
                ("rx_errs", base // 1000000), ("rx_drop", base // 2000000),
                ("tx_bytes", base // 20), ("tx_packets", base // 110),
                ("tx_errs", base // 3000000), ("tx_drop", base // 4000000)]

    def memory_stats(self, flags=0):
        check_flags(flags, 0, "testDomainMemoryStats")
        rec = self._active_rec()
        balloon = rec.current.tree.find("devices/memballoon")
        if balloon is None or balloon.get("model") == "none":
            return []
        cur = rec.figures()[1]
        return [(D.MEMORY_STAT_ACTUAL_BALLOON, cur), (D.MEMORY_STAT_SWAP_IN, 0),
                (D.MEMORY_STAT_SWAP_OUT, 0), (D.MEMORY_STAT_MAJOR_FAULT, 0),
                (D.MEMORY_STAT_MINOR_FAULT, 0), (D.MEMORY_STAT_UNUSED, cur // 2),
                (D.MEMORY_STAT_AVAILABLE, cur), (D.MEMORY_STAT_USABLE, cur // 2),
                (D.MEMORY_STAT_LAST_UPDATE, GUEST_CLOCK),
                (D.MEMORY_STAT_DISK_CACHES, cur // 8),
                (D.MEMORY_STAT_HUGETLB_PGALLOC, 0), (D.MEMORY_STAT_HUGETLB_PGFAIL, 0),
                (D.MEMORY_STAT_RSS, cur // 2)]

    def block_info(self, path, flags=0):
        check_flags(flags, 0, "testDomainGetBlockInfo")
        disk = find_disk(self._rec().current.tree, path)
        if disk is None:
            raise VirtError(INVALID_ARG, "invalid path %s not assigned to domain" % path)
        if disk_source(disk) is None:
            raise VirtError(INVALID_ARG, "disk '%s' does not currently have a source "
                            "assigned" % path)
        return DISK_CAPACITY, DISK_ALLOCATION, DISK_ALLOCATION

    def disk_errors(self, flags=0):
        rec = self._active_rec()
        return [(d.find("target").get("dev"), i % 2 + 1)
                for i, d in enumerate(disks(rec.current.tree))]

    def control_info(self, flags=0):
        seconds = self._guest(self._active_rec())["clock"][0]
        if 0 < seconds < 10000:
            return D.CONTROL_JOB, 0, seconds
        if 10000 <= seconds < 30000:
            return D.CONTROL_OCCUPIED, 0, seconds - 10000
        if 30000 <= seconds < 60000:
            return D.CONTROL_ERROR, (0, 1, 2, 3)[seconds % 4], seconds - 30000
        return D.CONTROL_OK, 0, 0

    def cpu_stats(self, start_cpu, ncpus, flags=0):
        self._active_rec()
        if start_cpu == -1:
            return [("cpu_time", TOTAL_CPU_TIME), ("user_time", 5540000000),
                    ("system_time", 6460000000)]
        total = self._node_info()[6]
        if ncpus == 0:
            return total
        if start_cpu >= total:
            raise VirtError(INVALID_ARG, "start_cpu %d larger than maximum of %d"
                            % (start_cpu, total - 1))
        per_cpu = TOTAL_CPU_TIME // total
        return [[("cpu_time", per_cpu + i), ("vcpu_time", per_cpu + i - 1234567890)]
                for i in range(start_cpu, min(total, start_cpu + ncpus))]

    # --- guest ----------------------------------------------------------------
    def get_time(self, flags=0):
        rec = self._rec()
        if rec.state != D.RUNNING:
            raise VirtError(OPERATION_INVALID, "domain is not running")
        return self._guest(rec)["clock"]

    def set_time(self, seconds, nseconds, flags=0):
        check_flags(flags, D.TIME_SYNC, "testDomainSetTime")
        self._guest(self._active_rec())["clock"] = (seconds, nseconds)

    def hostname(self, flags=0):
        check_flags(flags, 0, "testDomainGetHostname")
        return "%shost" % self._active_rec().name

    def fs_info(self, flags=0):
        rec = self._active_rec()
        for disk in disks(rec.current.tree):
            if disk.get("device", "disk") == "disk":
                dev = disk.find("target").get("dev")
                return [("/", dev + "1", "ext4", [dev]), ("/boot", dev + "2", "ext4", [dev])]
        return []

    def _mounts(self, mountpoints):
        for mount in mountpoints:
            if mount not in FILE_SYSTEMS:
                raise VirtError(OPERATION_INVALID, "mount point not found: %s" % mount)
        return set(mountpoints or FILE_SYSTEMS)

    def fs_freeze(self, mountpoints=(), flags=0):
        frozen = self._guest(self._active_rec())["frozen"]
        wanted = self._mounts(mountpoints)
        newly = wanted - frozen
        frozen |= wanted
        return len(newly)

    def fs_thaw(self, mountpoints=(), flags=0):
        frozen = self._guest(self._active_rec())["frozen"]
        wanted = self._mounts(mountpoints)
        thawed = wanted & frozen
        frozen -= wanted
        return len(thawed)

    def fs_trim(self, mountpoint=None, minimum=0, flags=0):
        self._active_rec()
        if mountpoint:
            self._mounts([mountpoint])

    def set_user_password(self, user, password, flags=0):
        check_flags(flags, 1, "testDomainSetUserPassword")
        self._active_rec()

    def interface_addresses(self, source=0, flags=0):
        if source > D.IFADDR_SOURCE_ARP:
            raise VirtError(ARGUMENT_UNSUPPORTED, "Unknown IP address data source %d"
                            % source)
        rec = self._active_rec()
        result = []
        for i, net in enumerate(rec.current.tree.findall("devices/interface")):
            target = net.find("target")
            mac = net.find("mac")
            name = target.get("dev") if target is not None else ""
            hwaddr = mac.get("address") if mac is not None else ""
            if net.get("type") == "network":
                offset = 20 * (rec.id - 1) + i + 1
                addr = self._network_address(net.find("source").get("network"), offset)
            else:
                addr = (D.IP_ADDR_IPV4, "192.168.0.%d" % (i + 1), 24)
            result.append((name, hwaddr, [addr]))
        return result

    def _network_address(self, network, offset):
        """The address libvirt's test driver makes up for an interface on
        *network*: its first DHCP range start (or its own address) + offset."""
        import ipaddress
        from lxml import etree
        root = etree.fromstring(self.conn.lookup_network_by_name(network).xml_desc())
        ip = root.find("ip")
        if ip is None:
            raise VirtError(OPERATION_FAILED, "network '%s' has no IP address" % network)
        if ip.get("prefix"):
            prefix = int(ip.get("prefix"))
        elif ip.get("netmask"):
            prefix = ipaddress.ip_network("0.0.0.0/" + ip.get("netmask")).prefixlen
        else:
            prefix = 24 if ip.get("family") != "ipv6" else 64
        start = ip.find("dhcp/range")
        base = ipaddress.ip_address(start.get("start") if start is not None
                                    else ip.get("address"))
        kind = D.IP_ADDR_IPV6 if base.version == 6 else D.IP_ADDR_IPV4
        return kind, str(base + offset), prefix

    def screenshot(self, screen=0, flags=0):
        check_flags(flags, 0, "testDomainScreenshot")
        self._rec()
        from virtsh.drivers.test import screenshot
        return "image/png", screenshot.PNG

    def send_key(self, codeset, holdtime, keycodes, flags=0):
        check_flags(flags, 0, "testDomainSendKey")
        self._active_rec()

    def core_dump(self, path, flags=0):
        self.core_dump_with_format(path, D.CORE_DUMP_FORMAT_RAW, flags)

    def core_dump_with_format(self, path, dumpformat, flags=0):
        check_flags(flags, D.DUMP_CRASH, "testDomainCoreDumpWithFormat")
        rec = self._active_rec()
        try:
            with open(path, "wb") as f:
                f.write(SAVE_MAGIC)
        except OSError as e:
            raise VirtError(SYSTEM_ERROR, "domain '%s' coredump: failed to open %s: %s"
                            % (rec.name, path, e.strerror)) from None
        if dumpformat != D.CORE_DUMP_FORMAT_RAW:
            raise VirtError(OPERATION_UNSUPPORTED,
                            "kdump-compressed format is not supported here")
        if flags & D.DUMP_CRASH:
            self._stopped(rec, 3)        # VIR_DOMAIN_SHUTOFF_CRASHED

    def launch_security_info(self, flags=0):
        # libvirt asks every driver with VIR_TYPED_PARAM_STRING_OKAY (0x4),
        # which the test driver does not accept.
        raise unsupported_flags(flags | 4, "testDomainGetLaunchSecurityInfo")
