"""The remote driver's frames beside calls, both ends in this process: the
two sides talk through queues, each message packed and unpacked as on the
wire (the integration tests run them over a real sshd)."""
import io
import os
import queue
import socket
import threading

from virtsh.drivers.remote import protocol, streams


class Wire:
    """A near and a far side joined by two message queues."""

    def __init__(self):
        to_near, to_far = queue.Queue(), queue.Queue()
        near_hook = protocol.decode_hook(lambda tagged: self.near.local_stream(tagged))
        far_hook = protocol.decode_hook(lambda tagged: self.far.resolve(tagged))

        def carry(target, hook, ref):
            return lambda document: target.put(protocol.unpack(
                protocol.pack(protocol.encode(document, ref))[4:], hook))

        self.near = streams.NearStreams(carry(to_far, far_hook, self.near_ref), to_near.get)
        self.far = streams.FarStreams(carry(to_near, near_hook, None), to_far.get)
        self.to_near = to_near

    def near_ref(self, obj):
        wire = self.near.argument(obj)
        if wire is None:
            raise protocol.Unencodable(type(obj).__name__)
        return wire

    def far_loop(self):
        """Serve the near side's frames as the helper's main loop does."""
        def run():
            while True:
                self.far.handle(self.far.receive())
        threading.Thread(target=run, daemon=True).start()

    def far_call(self, work):
        """Run *work()* as the far side's call; the near side's answer."""
        def run():
            self.far.send({"r": work()})
        threading.Thread(target=run, daemon=True).start()
        return self.near.reply()["r"]


def test_a_file_argument_is_read_and_written_in_frames():
    wire = Wire()
    data = os.urandom(2 * streams.CHUNK + 5)
    far_file = wire.far.resolve(wire.near_ref(io.BytesIO(data)))
    assert wire.far_call(lambda: len(far_file.read())) == len(data)
    assert wire.far_call(lambda: far_file.read(10)) == b""          # at its end now
    target = io.BytesIO()
    far_target = wire.far.resolve(wire.near_ref(target))
    assert wire.far_call(lambda: far_target.write(data)) == len(data)
    assert target.getvalue() == data


def test_callbacks_fire_later_from_the_far_side():
    wire = Wire()
    seen = queue.Queue()
    far_callback = wire.far.resolve(wire.near_ref(lambda *args: seen.put(args)))
    assert wire.near.wants_reader()
    wire.near.start_reader()
    far_callback("lifecycle", 3)            # whenever the far driver calls it
    assert seen.get(timeout=5) == ("lifecycle", 3)


def test_a_descriptor_result_becomes_a_local_socket_both_ways():
    wire = Wire()
    console, guest = socket.socketpair()
    tagged = wire.far.export(console.detach())
    local = socket.socket(fileno=wire.near.local_stream(tagged))
    wire.near.start_reader()
    wire.far_loop()
    for end in (local, guest):
        end.settimeout(10)
    guest.sendall(b"login: ")
    assert local.recv(100) == b"login: "
    local.sendall(b"root\r")
    assert guest.recv(100) == b"root\r"
    guest.close()                           # the console ends: so does the local end
    assert local.recv(100) == b""
    local.close()
