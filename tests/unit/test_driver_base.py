"""The @api mechanism: unsupported APIs and read-only connections."""
import pytest

from virtsh.drivers.base import ApiObject, api
from virtsh.drivers.errors import VirtError, NO_SUPPORT, OPERATION_DENIED


class Thing(ApiObject):
    def __init__(self, readonly):
        self.readonly = readonly

    def _connection(self):
        return self

    @api("virThingRead")
    def read(self):
        """Read it."""

    @api("virThingWrite", write=True)
    def write(self, value):
        """Write it."""


class Driver(Thing):
    def read(self):
        return "read"

    def write(self, value):
        return "wrote %s" % value


def test_undeclared_override_raises_libvirt_not_supported():
    with pytest.raises(VirtError) as err:
        Thing(readonly=False).read()
    assert err.value.code == NO_SUPPORT
    assert str(err.value) == ("this function is not supported by the connection "
                              "driver: virThingRead")


def test_override_runs_on_a_writable_connection():
    assert Driver(readonly=False).write(3) == "wrote 3"
    assert Driver(readonly=True).read() == "read"


def test_read_only_connection_refuses_writes_before_the_driver_runs():
    for obj in (Driver(readonly=True), Thing(readonly=True)):
        with pytest.raises(VirtError) as err:
            obj.write(1)
        assert err.value.code == OPERATION_DENIED
        assert str(err.value) == "operation forbidden: read only access prevents virThingWrite"


def test_override_keeps_its_docstring_and_name():
    assert Driver.write.__name__ == "write"
    assert Driver.write.virt_api == ("virThingWrite", True)
