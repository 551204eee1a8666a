"""URI parsing: the forms virsh users type."""
import pytest

from virtsh.drivers.uri import URI


@pytest.mark.parametrize("text, driver, transport, user, host, port, path, params", [
    ("test:///default", "test", None, None, None, None, "/default", {}),
    ("qemu:///system", "qemu", None, None, None, None, "/system", {}),
    ("qemu:///embed?root=/tmp/vms", "qemu", None, None, None, None, "/embed", {"root": "/tmp/vms"}),
    ("qemu+ssh://root@host.example:2222/system?keyfile=/k%20ey&no_verify=1",
     "qemu", "ssh", "root", "host.example", 2222, "/system", {"keyfile": "/k ey", "no_verify": "1"}),
    ("test+ssh://[::1]/default", "test", "ssh", None, "::1", None, "/default", {}),
    ("test:///tmp/node.xml", "test", None, None, None, None, "/tmp/node.xml", {}),
])
def test_parses_each_part(text, driver, transport, user, host, port, path, params):
    uri = URI(text)
    assert (uri.driver, uri.transport, uri.user, uri.host, uri.port, uri.path, uri.params) == \
        (driver, transport, user, host, port, path, params)
    assert str(uri) == text


@pytest.mark.parametrize("text", ["", "noscheme", ":///x"])
def test_rejects_text_without_a_scheme(text):
    with pytest.raises(ValueError):
        URI(text)
