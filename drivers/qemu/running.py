"""What the mixins of running-guest APIs share: a QMP session to the guest."""
from virtsh.drivers.errors import VirtError, OPERATION_INVALID


class RunningBase:
    """Base of the QemuDomain mixins that talk to a running QEMU."""

    def _monitor(self):
        """A QMP session on the command monitor (close it when done)."""
        from virtsh.drivers.qemu import lifecycle
        return lifecycle.connect_monitor(self.store, self.name())

    def _running_status(self):
        """The status of the running domain; libvirt's error otherwise."""
        status = self._status()
        if status is None:
            if not self.exists():
                raise self._gone()
            raise VirtError(OPERATION_INVALID, "domain is not running")
        return status

    def _qmp_once(self, command, **arguments):
        """One QMP command on the running domain."""
        self._running_status()
        mon = self._monitor()
        try:
            return mon.cmd(command, **arguments)
        finally:
            mon.close()
