"""Reaching into a QEMU guest: console screen, keys, NMI, the guest agent.

A mixin of QemuDomain.  The screen and keyboard go through QMP
(``screendump``, ``send-key``, ``inject-nmi``).  The guest agent answers
on the virtio channel org.qemu.guest_agent.0 once the guest opened its
port (agent.py speaks to it, agentinfo.py shapes its answers).
"""
import os
from contextlib import contextmanager

from virtsh.drivers import domain as D
from virtsh.drivers.errors import (VirtError, ARGUMENT_UNSUPPORTED, AGENT_UNRESPONSIVE,
                                   INTERNAL_ERROR, INVALID_ARG, NO_HOSTNAME, OPERATION_FAILED,
                                   OPERATION_INVALID, OPERATION_UNSUPPORTED)
from virtsh.drivers.qemu import agentinfo, channels, edits
from virtsh.drivers.qemu.agent import TIMEOUT_DEFAULT, check_timeout
from virtsh.drivers.qemu.channels import AGENT_CHANNEL
from virtsh.drivers.qemu.running import RunningBase
from virtsh.drivers.snapshot import check_flags

LLONG_MAX = 2 ** 63 - 1
HOSTNAME_LEASE, HOSTNAME_AGENT = 1, 2
POWER_ACPI, POWER_AGENT = 1, 2
SSH_KEYS_APPEND, SSH_KEYS_REMOVE = 1, 2
PASSWORD_ENCRYPTED = 1
(GUEST_INFO_USERS, GUEST_INFO_OS, GUEST_INFO_TIMEZONE, GUEST_INFO_HOSTNAME,
 GUEST_INFO_FILESYSTEM, GUEST_INFO_DISKS, GUEST_INFO_INTERFACES) = (1 << i for i in range(7))
GUEST_INFO_ALL = (1 << 7) - 1
GUEST_INFO_COMMANDS = ((GUEST_INFO_USERS, "guest-get-users"), (GUEST_INFO_OS, "guest-get-osinfo"),
                       (GUEST_INFO_TIMEZONE, "guest-get-timezone"),
                       (GUEST_INFO_HOSTNAME, "guest-get-host-name"),
                       (GUEST_INFO_FILESYSTEM, "guest-get-fsinfo"),
                       (GUEST_INFO_DISKS, "guest-get-disks"),
                       (GUEST_INFO_INTERFACES, "guest-network-get-interfaces"))
SUSPEND_COMMANDS = {0: "guest-suspend-ram", 1: "guest-suspend-disk", 2: "guest-suspend-hybrid"}
MONITOR_COMMAND_HMP = 1
# Key code sets QEMU's "number" key values (qnum: XT scan codes) agree
# with for the keys of a basic keyboard (codes below 0x54).
_SAME_AS_QNUM = {D.KEYCODE_SET_QNUM, D.KEYCODE_SET_XT, D.KEYCODE_SET_ATSET1,
                 D.KEYCODE_SET_LINUX}
_BASIC_KEYS = 0x54
CODESETS = ("linux", "xt", "atset1", "atset2", "atset3", "os_x", "xt_kbd", "usb",
            "win32", "qnum")


def _wait_dump(mon, progress, job):
    """Poll ``query-dump`` until the dump is written, recording it in *job*."""
    import time
    while True:
        info = mon.cmd("query-dump")
        if progress is not None and info.get("total"):
            progress(info["completed"], info["total"])
        if info["status"] == "completed":
            job.complete(info)
            return
        job.update(info)
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

    # --- the guest agent --------------------------------------------------------
    @contextmanager
    def _agent(self):
        """A session with the guest agent, under the domain's lock, after
        libvirt's qemuDomainAgentAvailable checks in its order."""
        from virtsh.drivers.qemu.agent import Agent
        with self.store.lock(self.name()):
            status = self._running_status()
            if status["state"] != D.RUNNING:
                raise VirtError(OPERATION_INVALID, "domain is not running")
            target = self._agent_channel()
            if target is None:
                raise VirtError(ARGUMENT_UNSUPPORTED, "QEMU guest agent is not configured")
            if target.get("state") != "connected":
                raise VirtError(AGENT_UNRESPONSIVE, "QEMU guest agent is not connected")
            path = target.getparent().find("source").get("path")
            with Agent(path, status.get("agent_timeout", TIMEOUT_DEFAULT)) as session:
                yield session

    def _agent_channel(self):
        """The <target> of the live definition's guest agent channel, or None."""
        root = edits.read(self, D.AFFECT_LIVE).live
        for channel in channels.virtio_unix(root):
            target = channel.find("target")
            source = channel.find("source")
            if target.get("name") == AGENT_CHANNEL and source is not None:
                return target
        return None

    def _agent_call(self, command, **arguments):
        """One agent command in a session of its own; its return value."""
        with self._agent() as session:
            return session.execute(command, arguments)

    def set_agent_timeout(self, timeout, flags=0):
        check_timeout(timeout)
        with self.store.lock(self.name()):
            status = self._status()
            if status is None:          # nothing to keep it in: a start resets it
                if not self.exists():
                    raise self._gone()
                return
            status["agent_timeout"] = timeout
            self.store.write_status(self.name(), status)

    def get_time(self, flags=0):
        nanoseconds = self._agent_call("guest-get-time")
        return nanoseconds // 10 ** 9, nanoseconds % 10 ** 9

    def set_time(self, seconds, nseconds, flags=0):
        if flags & D.TIME_SYNC:
            self._agent_call("guest-set-time")
            return
        if seconds > LLONG_MAX // 10 ** 9:
            raise VirtError(INVALID_ARG, "Time '%d' is too big for guest agent" % seconds)
        self._agent_call("guest-set-time", time=seconds * 10 ** 9 + nseconds)

    def hostname(self, flags=0):
        if flags & HOSTNAME_LEASE and flags & HOSTNAME_AGENT:
            raise VirtError(INVALID_ARG, "Flags 'VIR_DOMAIN_GET_HOSTNAME_LEASE' and "
                            "'VIR_DOMAIN_GET_HOSTNAME_AGENT' are mutually exclusive",
                            raw=True)
        if flags & HOSTNAME_LEASE:
            return self._lease_hostname()
        return self._agent_call("guest-get-host-name")["host-name"]

    def _lease_hostname(self):
        """The host name a virtual network's DHCP lease of a NIC carries."""
        self._running_status()
        root = edits.read(self, D.AFFECT_LIVE).live
        for nic in root.findall("devices/interface[@type='network']"):
            for _, lease in self.conn.network_leases_for_mac(nic.find("mac").get("address")):
                if lease.get("hostname"):
                    return lease["hostname"]
        raise VirtError(NO_HOSTNAME, "no hostname found for domain %s" % self.name())

    def fs_info(self, flags=0):
        with self._agent() as session:
            reply = session.execute("guest-get-fsinfo")
        root = edits.read(self, D.AFFECT_LIVE).live
        return [(fs["mountpoint"], fs["name"], fs["type"],
                 [d["alias"] for d in fs["disks"] if d["alias"]])
                for fs in agentinfo.file_systems(root, reply)]

    def fs_freeze(self, mountpoints=(), flags=0):
        if mountpoints:
            return self._agent_call("guest-fsfreeze-freeze-list",
                                    mountpoints=list(mountpoints))
        return self._agent_call("guest-fsfreeze-freeze")

    def fs_thaw(self, mountpoints=(), flags=0):
        if mountpoints:
            raise VirtError(ARGUMENT_UNSUPPORTED, "specifying mountpoints is not supported")
        return self._agent_call("guest-fsfreeze-thaw")

    def fs_trim(self, mountpoint=None, minimum=0, flags=0):
        if mountpoint:
            raise VirtError(ARGUMENT_UNSUPPORTED,
                            "Specifying mount point is not supported for now")
        self._agent_call("guest-fstrim", minimum=minimum)

    def guest_info(self, types=0, flags=0):
        """The groups asked for in *types* (all when 0); a group qemu-ga does
        not know is an error only when asked for by name."""
        from virtsh.drivers.qemu.agent import Unsupported
        wanted = types or GUEST_INFO_ALL
        params, replies = [], {}
        with self._agent() as session:
            for bit, command in GUEST_INFO_COMMANDS:
                if wanted & bit:
                    try:
                        replies[bit] = session.execute(command, report_unsupported=bool(types))
                    except Unsupported:
                        pass
        root = edits.read(self, D.AFFECT_LIVE).live
        formats = {GUEST_INFO_USERS: agentinfo.user_params,
                   GUEST_INFO_OS: agentinfo.os_params,
                   GUEST_INFO_TIMEZONE: agentinfo.timezone_params,
                   GUEST_INFO_HOSTNAME: lambda r: [("hostname", r["host-name"])],
                   GUEST_INFO_FILESYSTEM: lambda r: agentinfo.fs_params(
                       agentinfo.file_systems(root, r)),
                   GUEST_INFO_DISKS: lambda r: agentinfo.disk_params(root, r),
                   GUEST_INFO_INTERFACES: lambda r: agentinfo.interface_params(
                       agentinfo.interfaces(r))}
        for bit, _ in GUEST_INFO_COMMANDS:
            if bit in replies:
                params += formats[bit](replies[bit])
        return params

    def guest_vcpus(self, flags=0):
        return agentinfo.vcpu_params(self._agent_call("guest-get-vcpus"))

    def set_guest_vcpus(self, cpumap, state, flags=0):
        with self._agent() as session:
            changes = agentinfo.vcpu_changes(session.execute("guest-get-vcpus"),
                                             cpumap, state)
            _set_vcpus(session, changes)

    def _set_vcpus_by_agent(self, count, flags):
        """setvcpus --guest: have the guest put *count* vCPUs online."""
        if flags & D.VCPU_MAXIMUM:
            raise VirtError(INVALID_ARG, "Flags 'VIR_DOMAIN_VCPU_MAXIMUM' and "
                            "'VIR_DOMAIN_VCPU_GUEST' are mutually exclusive", raw=True)
        if flags & D.AFFECT_CONFIG:
            raise VirtError(INVALID_ARG, "Flags 'VIR_DOMAIN_AFFECT_CONFIG' and "
                            "'VIR_DOMAIN_VCPU_GUEST' are mutually exclusive", raw=True)
        with self._agent() as session:
            enabled = self.vcpus_flags(D.AFFECT_LIVE)
            if count > enabled:
                raise VirtError(INVALID_ARG, "requested vcpu count is greater than the "
                                "count of enabled vcpus in the domain: %d > %d"
                                % (count, enabled))
            _set_vcpus(session, agentinfo.vcpu_plan(session.execute("guest-get-vcpus"),
                                                    count))

    def _vcpus_by_agent(self, flags):
        """getvcpucount --guest: how many vCPUs the guest has online."""
        if flags & D.AFFECT_CONFIG:
            raise VirtError(INVALID_ARG, "Flags 'VIR_DOMAIN_AFFECT_CONFIG' and "
                            "'VIR_DOMAIN_VCPU_GUEST' are mutually exclusive", raw=True)
        cpus = self._agent_call("guest-get-vcpus")
        if flags & D.VCPU_MAXIMUM:
            return len(cpus)
        return len([c for c in cpus if c["online"]])

    def ssh_keys(self, user, flags=0):
        return self._agent_call("guest-ssh-get-authorized-keys", username=user)["keys"]

    def set_ssh_keys(self, user, keys, flags=0):
        if flags & SSH_KEYS_REMOVE:
            self._agent_call("guest-ssh-remove-authorized-keys", username=user,
                             keys=list(keys))
        else:
            self._agent_call("guest-ssh-add-authorized-keys", username=user,
                             keys=list(keys), reset=not flags & SSH_KEYS_APPEND)

    def set_user_password(self, user, password, flags=0):
        import base64
        self._agent_call("guest-set-user-password", username=user,
                         password=base64.b64encode(password.encode()).decode(),
                         crypted=bool(flags & PASSWORD_ENCRYPTED))

    def qemu_agent_command(self, command, timeout, flags=0):
        """Any agent command (JSON text); qemu-ga's whole reply as JSON text."""
        import json
        from virtsh.drivers.qemu.agent import check_reply
        check_timeout(timeout)
        try:
            msg = json.loads(command)
        except ValueError as e:
            raise VirtError(INTERNAL_ERROR, "cannot parse json %s: %s"
                            % (command, e)) from None
        with self._agent() as session:
            reply = session.send(msg, timeout)
        check_reply(msg.get("execute", "<unknown>") if isinstance(msg, dict)
                    else "<unknown>", reply)
        return json.dumps(reply, separators=(",", ":"), ensure_ascii=False)

    def pm_suspend(self, target, duration=0, flags=0):
        if duration:
            raise VirtError(INVALID_ARG, "Duration not supported. Use 0 for now")
        if target not in SUSPEND_COMMANDS:
            raise VirtError(INVALID_ARG, "Unknown suspend target: %u" % target)
        with self._agent() as session:
            session.send_awaiting({"execute": SUSPEND_COMMANDS[target]},
                                  self._qmp_event_since("SUSPEND"), session.timeout)

    def _qmp_event_since(self, kind):
        """A test of whether QEMU sent event *kind* from now on (the
        supervisor logs QEMU's events)."""
        import json
        import time
        from virtsh.drivers.qemu import eventlog
        since, path = time.time(), eventlog.path(self.store, self.name())

        def happened():
            try:
                with open(path, "rb") as f:
                    records = [json.loads(line) for line in f if line.endswith(b"\n")]
            except (OSError, ValueError):
                return False
            return any(r.get("qmp", {}).get("event") == kind and r.get("time", 0) >= since
                       for r in records)
        return happened

    def _power_by_agent(self, flags, reboot):
        """shutdown/reboot by the guest agent when libvirt would use it
        (asked to, or by default when it is connected); False when ACPI
        is to be used (not asked to, or it failed and ACPI may follow)."""
        function = "qemuDomainReboot" if reboot else "qemuDomainShutdownFlags"
        check_flags(flags, POWER_ACPI | POWER_AGENT, function)
        asked, acpi = flags & POWER_AGENT, flags & POWER_ACPI
        if not asked and (flags or not self._agent_connected()):
            return False
        try:
            with self._agent() as session:
                session.send_awaiting(
                    {"execute": "guest-shutdown",
                     "arguments": {"mode": "reboot" if reboot else "powerdown"}},
                    self._qmp_event_since("RESET" if reboot else "SHUTDOWN"))
        except VirtError:
            if asked and not acpi:
                raise
            return False
        return True

    def _agent_connected(self):
        if not self.is_active():
            return False
        target = self._agent_channel()
        return target is not None and target.get("state") == "connected"

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
            from virtsh.drivers.qemu.jobs import Job, OPERATION_DUMP
            mon = self._monitor()
            job = Job(self.store, self.name(), OPERATION_DUMP)
            try:
                running = status["state"] == D.RUNNING
                if running and not flags & D.DUMP_LIVE:
                    mon.cmd("stop")
                mon.send_fd(fd, "dump")
                mon.cmd("dump-guest-memory", paging=False, protocol="fd:dump",
                        format=formats[dumpformat], detach=True)
                _wait_dump(mon, getattr(self.conn, "progress", None), job)
                if running and not flags & D.DUMP_LIVE and not flags & D.DUMP_CRASH:
                    mon.cmd("cont")
            finally:
                job.end()
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
            return agentinfo.interfaces(self._agent_call("guest-network-get-interfaces"))
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


def _set_vcpus(session, changes):
    """guest-set-vcpus until every change is made (qemu-ga stops at the
    first vCPU it cannot change and says how many it did)."""
    while changes:
        done = session.execute("guest-set-vcpus", {"vcpus": changes})
        if not isinstance(done, int) or done <= 0 or done > len(changes):
            raise VirtError(INTERNAL_ERROR, "guest agent returned malformed or invalid "
                            "return value")
        changes = changes[done:]
