"""Command failures, printed by the engine as virsh's ``error: ...`` lines."""


class CommandError(Exception):
    """A command failed; each line is printed as ``error: <line>``.

    ``CommandError("Failed to suspend domain 'x'", virt_error)`` prints
    virsh's two lines: the command's own, then the driver's message.
    A line that is None is skipped.
    """

    def __init__(self, *lines):
        self.lines = [str(line) for line in lines if line is not None]
        super().__init__("\n".join(self.lines))


class failing:
    """``with failing("Failed to start domain 'x'"): dom.create()`` turns a
    VirtError into that CommandError (virsh's two error lines)."""

    __slots__ = ("message",)

    def __init__(self, message):
        self.message = message

    def __enter__(self):
        return self

    def __exit__(self, etype, exc, tb):
        from virtsh.drivers.errors import VirtError
        if isinstance(exc, VirtError):
            raise CommandError(self.message, exc) from exc
        return False
