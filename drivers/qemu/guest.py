"""Reaching into a QEMU guest: console screen, keys, NMI, the guest agent.

A mixin of QemuDomain.  The screen and keyboard go through QMP
(``screendump``, ``send-key``, ``inject-nmi``).  The guest agent needs a
virtio channel named org.qemu.guest_agent.0; the driver does not give
guests that channel yet, so every agent API ends in libvirt's errors for
a guest without (or with an unconnected) agent.
"""
import os

from virtsh.drivers import domain as D
from virtsh.drivers.errors import (VirtError, ARGUMENT_UNSUPPORTED, AGENT_UNRESPONSIVE,
                                   INTERNAL_ERROR, INVALID_ARG, OPERATION_FAILED,
                                   OPERATION_UNSUPPORTED)
from virtsh.drivers.qemu import edits
from virtsh.drivers.qemu.running import RunningBase

AGENT_CHANNEL = "org.qemu.guest_agent.0"
MONITOR_COMMAND_HMP = 1
# Key code sets QEMU's "number" key values (qnum: XT scan codes) agree
# with for the keys of a basic keyboard (codes below 0x54).
_SAME_AS_QNUM = {D.KEYCODE_SET_QNUM, D.KEYCODE_SET_XT, D.KEYCODE_SET_ATSET1,
                 D.KEYCODE_SET_LINUX}
_BASIC_KEYS = 0x54
CODESETS = ("linux", "xt", "atset1", "atset2", "atset3", "os_x", "xt_kbd", "usb",
            "win32", "qnum")


def _wait_dump(mon, progress):
    """Poll ``query-dump`` until the dump is written."""
    import time
    while True:
        info = mon.cmd("query-dump")
        if progress is not None and info.get("total"):
            progress(info["completed"], info["total"])
        if info["status"] == "completed":
            return
        if info["status"] == "failed":
            raise VirtError(OPERATION_FAILED, "dump failed")
        time.sleep(0.02)


def _arp_addresses(mac):
    """IPv4 addresses the host's ARP table has for *mac*."""
    try:
        with open("/proc/net/arp") as f:
            rows = [line.split() for line in f.read().splitlines()[1:]]
    except OSError:
        return []
    return [row[0] for row in rows if len(row) >= 4 and row[3].lower() == mac.lower()]


class GuestMixin(RunningBase):
    """screenshot, send-key, inject-nmi and the guest agent's APIs."""

    def _agent(self):
        """libvirt's qemuDomainAgentAvailable checks, in its order."""
        self._running_status()
        root = edits.read(self, D.AFFECT_LIVE).live
        channel = root.find("devices/channel/target[@name='%s']" % AGENT_CHANNEL)
        if channel is None:
            raise VirtError(ARGUMENT_UNSUPPORTED, "QEMU guest agent is not configured")
        raise VirtError(AGENT_UNRESPONSIVE, "QEMU guest agent is not connected")

    def get_time(self, flags=0):
        self._agent()

    def set_time(self, seconds, nseconds, flags=0):
        self._agent()

    def hostname(self, flags=0):
        self._agent()

    def fs_info(self, flags=0):
        self._agent()

    def fs_freeze(self, mountpoints=(), flags=0):
        self._agent()

    def fs_thaw(self, mountpoints=(), flags=0):
        self._agent()

    def fs_trim(self, mountpoint=None, minimum=0, flags=0):
        self._agent()

    def guest_info(self, types=0, flags=0):
        self._agent()

    def guest_vcpus(self, flags=0):
        self._agent()

    def set_guest_vcpus(self, cpumap, state, flags=0):
        self._agent()

    def ssh_keys(self, user, flags=0):
        self._agent()

    def set_ssh_keys(self, user, keys, flags=0):
        self._agent()

    def set_user_password(self, user, password, flags=0):
        self._agent()

    def qemu_agent_command(self, command, timeout, flags=0):
        self._agent()

    def pm_suspend(self, target, duration=0, flags=0):
        self._agent()

    # --- console and keyboard --------------------------------------------------
    def screenshot(self, screen=0, flags=0):
        import tempfile
        self._running_status()
        if screen != 0:
            raise VirtError(INVALID_ARG, "now is only screen 0 supported", raw=True)
        fd, path = tempfile.mkstemp(prefix="virtsh-screen-", suffix=".ppm")
        os.close(fd)
        try:
            self._qmp_once("screendump", filename=path)
            with open(path, "rb") as f:
                return "image/x-portable-pixmap", f.read()
        finally:
            os.unlink(path)

    def send_key(self, codeset, holdtime, keycodes, flags=0):
        self._running_status()
        keys = []
        for code in keycodes:
            if codeset not in _SAME_AS_QNUM or \
                    (codeset != D.KEYCODE_SET_QNUM and code >= _BASIC_KEYS):
                raise VirtError(INVALID_ARG, "cannot translate keycode %u of %s "
                                "codeset to qnum keycode" % (code, CODESETS[codeset]))
            keys.append({"type": "number", "data": code})
        arguments = {"keys": keys}
        if holdtime:
            arguments["hold-time"] = holdtime
        self._qmp_once("send-key", **arguments)

    def core_dump(self, path, flags=0):
        self.core_dump_with_format(path, D.CORE_DUMP_FORMAT_RAW, flags)

    def core_dump_with_format(self, path, dumpformat, flags=0):
        """dump-guest-memory into *path* (ELF, or a kdump format), with the
        guest paused meanwhile unless DUMP_LIVE; DUMP_CRASH stops it after."""
        from virtsh.drivers.qemu import lifecycle, store as S
        formats = ("elf", "kdump-zlib", "kdump-lzo", "kdump-snappy", "win-dmp")
        if dumpformat != D.CORE_DUMP_FORMAT_RAW and not flags & D.DUMP_MEMORY_ONLY:
            raise VirtError(OPERATION_UNSUPPORTED, "non-raw dump formats need a "
                            "memory-only dump")
        with self.store.lock(self.name()):
            status = self._running_status()
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            except OSError as e:
                raise VirtError(OPERATION_FAILED, "failed to create '%s': %s"
                                % (path, e.strerror)) from None
            mon = self._monitor()
            try:
                running = status["state"] == D.RUNNING
                if running and not flags & D.DUMP_LIVE:
                    mon.cmd("stop")
                mon.send_fd(fd, "dump")
                mon.cmd("dump-guest-memory", paging=False, protocol="fd:dump",
                        format=formats[dumpformat], detach=True)
                _wait_dump(mon, getattr(self.conn, "progress", None))
                if running and not flags & D.DUMP_LIVE and not flags & D.DUMP_CRASH:
                    mon.cmd("cont")
            finally:
                mon.close()
                os.close(fd)
            if flags & D.DUMP_CRASH:
                lifecycle.stop(self.store, self.name(), status, "crashed",
                               S.SHUTOFF_CRASHED)
            elif flags & D.DUMP_RESET:
                self._qmp_once("system_reset")

    def interface_addresses(self, source=0, flags=0):
        """Addresses of the guest's NICs from the networks' DHCP leases, the
        host's ARP table or (not connected, so an error) the guest agent."""
        if source > D.IFADDR_SOURCE_ARP:
            raise VirtError(ARGUMENT_UNSUPPORTED, "Unknown IP address data source %d"
                            % source)
        self._running_status()
        if source == D.IFADDR_SOURCE_AGENT:
            self._agent()
        root = edits.read(self, D.AFFECT_LIVE).live
        result = []
        for nic in root.findall("devices/interface"):
            target, mac = nic.find("target"), nic.find("mac").get("address")
            name = target.get("dev") if target is not None else ""
            if source == D.IFADDR_SOURCE_LEASE:
                if nic.get("type") != "network":
                    continue
                addrs = [(D.IP_ADDR_IPV6 if ":" in lease["ipaddr"] else D.IP_ADDR_IPV4,
                          lease["ipaddr"], lease["prefix"])
                         for _, lease in self.conn.network_leases_for_mac(mac)]
            else:
                addrs = [(D.IP_ADDR_IPV4, ip, 0) for ip in _arp_addresses(mac)]
            if addrs:
                result.append((name, mac, addrs))
        return result

    def open_console(self, dev_name=None, flags=0):
        """A read/write fd on the guest's console pty or unix socket, this
        process being its one session (flag 1, force, takes over)."""
        from virtsh.drivers.qemu import console
        self._running_status()
        root = edits.read(self, D.AFFECT_LIVE).live
        chr_dev = console.find_device(root, dev_name)
        alias = chr_dev.find("alias")
        label = dev_name or (alias.get("name") if alias is not None else "<null>")
        console.claim(self.store, self.name(), flags)
        return console.open_fd(chr_dev, label)

    def qemu_monitor_command(self, command, flags=0):
        """A QMP command (JSON text) or, with flag 1, an HMP command line."""
        import json
        if flags & MONITOR_COMMAND_HMP:
            return self._qmp_once("human-monitor-command", **{"command-line": command})
        try:
            msg = json.loads(command)
        except ValueError:
            raise VirtError(INTERNAL_ERROR, "cannot parse json %s" % command) from None
        if not isinstance(msg, dict):
            raise VirtError(INVALID_ARG, "monitor command is not a QMP command object: "
                            "%s" % command)
        self._running_status()
        mon = self._monitor()
        try:
            reply = mon.passthrough(msg)
        finally:
            mon.close()
        return json.dumps(reply, separators=(",", ":"))

    def inject_nmi(self, flags=0):
        try:
            self._qmp_once("inject-nmi")
        except VirtError as e:
            if e.code == OPERATION_FAILED:
                raise
            raise VirtError(OPERATION_FAILED, "failed to inject NMI") from None
