"""A synchronous QMP client (the qemu.qmp package) with libvirt's errors."""
import socket

from virtsh.drivers.errors import VirtError, INTERNAL_ERROR, OPERATION_FAILED


class Monitor:
    """One QMP session: to a unix socket path, or over an existing socket."""

    def __init__(self, address, timeout=30.0):
        import logging
        from qemu.qmp.legacy import QEMUMonitorProtocol
        logging.getLogger("qemu.qmp").setLevel(logging.CRITICAL)
        if isinstance(address, str):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(address)
            except OSError as e:
                sock.close()
                raise VirtError(OPERATION_FAILED,
                                "failed to connect to monitor socket: %s"
                                % e.strerror) from None
            address = sock
        self._qmp = QEMUMonitorProtocol(address)
        self._qmp.settimeout(timeout)
        try:
            self.greeting = self._qmp.connect(negotiate=True)
        except Exception as e:  # qemu.qmp raises several unrelated types
            self.close()
            raise VirtError(INTERNAL_ERROR,
                            "QEMU monitor is not responding: %s" % e) from None

    def cmd(self, name, **arguments):
        """Run a command; its 'return' value, or VirtError for QMP's error."""
        msg = {"execute": name}
        if arguments:
            msg["arguments"] = arguments
        try:
            reply = self._qmp.cmd_obj(msg)
        except Exception as e:
            raise VirtError(OPERATION_FAILED,
                            "QEMU monitor lost during %s: %s" % (name, e)) from None
        if "error" in reply:
            raise VirtError(INTERNAL_ERROR, "unable to execute QEMU command '%s': %s"
                            % (name, reply["error"].get("desc", "")))
        return reply.get("return")

    def close(self):
        try:
            self._qmp.close()
        except Exception:  # closing a half-open session must not fail
            pass
