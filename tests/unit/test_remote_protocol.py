"""The remote driver's wire format, URI mapping and the far side's object
table, in-process against the test driver (no SSH)."""
import pytest

from virtsh.drivers import open as open_driver
from virtsh.drivers.errors import VirtError
from virtsh.drivers.remote import far_uri, protocol
from virtsh.drivers.remote.server import Session
from virtsh.drivers.uri import URI


def round_trip(value):
    body = protocol.pack({"v": protocol.encode(value, None)})[4:]
    return protocol.unpack(body, protocol.decode_hook(None))["v"]


@pytest.mark.parametrize("value", [
    None, True, 0, -5, 2**63, 1.5, "é", [1, [2]], (1, "a", (2.5, None)),
    {0, 3, 7}, b"\x00\xffpng", {"a": (1, 2)}, {2048: 10, 4: 0},
    {"$tuple": "not a tag"}, [{"name": "x", "value": b"y"}]])
def test_values_survive_the_wire_with_their_types(value):
    assert round_trip(value) == value
    assert type(round_trip(value)) is type(value)


def test_what_json_cannot_carry_is_left_to_the_reference_maker():
    def refuse(obj):
        raise protocol.Unencodable(type(obj).__name__)
    with pytest.raises(protocol.Unencodable):
        protocol.encode([print], refuse)
    # the remote driver's maker turns callbacks (and files) into references
    assert protocol.encode({"cb": print}, lambda obj: {"$cb": 7}) == {"cb": {"$cb": 7}}


@pytest.mark.parametrize("uri, far", [
    ("test+ssh://root@h/default", "test:///default"),
    ("qemu+ssh://h:2222/system?keyfile=/k&known_hosts=/kh&no_verify=1", "qemu:///system"),
    ("qemu+ssh://h/embed?root=/var/tmp/x%20y&virtsh=/opt/virtsh",
     "qemu:///embed?root=/var/tmp/x%20y"),
    ("qemu+ssh://h/system?name=qemu:///session", "qemu:///session"),
    ("test+ssh://h/tmp/node.xml", "test:///tmp/node.xml"),
])
def test_far_uri_keeps_driver_path_and_driver_params(uri, far):
    assert far_uri(URI(uri)) == far


def test_greeting_names_protocol_and_version():
    line = protocol.greeting("1.2.3").rstrip(b"\n")
    assert protocol.parse_greeting(line) == (protocol.PROTOCOL, "1.2.3")
    assert protocol.parse_greeting(b"bash: virtsh: command not found") is None


def test_forwarded_methods_come_from_the_api_declarations():
    domain = protocol.kinds()["Domain"]
    methods = protocol.api_methods(domain)
    assert methods["destroy"] == ("virDomainDestroy", True)
    assert methods["state"] == ("virDomainGetState", False)
    assert protocol.identity_getters(domain) == ["name", "uuid", "id"]


@pytest.fixture
def session():
    conn = open_driver("test:///default")
    yield Session(conn)
    conn.close()


def call(session, handle, method, *args):
    return session.call({"h": handle, "m": method, "a": list(args), "k": {}})


def test_a_reference_carries_identity_and_state(session):
    listed = call(session, 0, "list_all_domains", 0)["r"]
    (ref,) = listed
    assert ref["c"] == "Domain"
    assert ref["i"] == {"name": "test", "uuid": "6695eb01-f6a4-8304-79aa-97f2502e193f"}
    state = session.objects[0].lookup_domain_by_name("test").state()
    assert ref["v"] == {"id": 1, "state": {"$tuple": list(state)}}


def test_same_object_keeps_its_handle(session):
    first = call(session, 0, "lookup_domain_by_name", "test")["r"]["$obj"]
    again = call(session, 0, "list_all_domains", 0)["r"][0]["$obj"]
    assert first == again != 0


def test_write_call_sends_back_the_fresh_state(session):
    handle = call(session, 0, "lookup_domain_by_name", "test")["r"]["$obj"]
    answer = call(session, handle, "destroy")
    assert answer["s"]["v"] == {"id": -1, "state": {"$tuple": [5, 2]}}


def test_only_declared_methods_are_served(session):
    with pytest.raises(VirtError, match="no remote method '__class__'"):
        call(session, 0, "__class__")
    with pytest.raises(VirtError, match="unknown object handle 99"):
        call(session, 99, "state")
