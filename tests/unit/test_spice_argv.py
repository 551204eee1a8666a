"""The SPICE (and VNC socket) parts of the QEMU command line: libvirt's
options for the corpus cases, the start-time listen rules of qemu.conf,
and the configurations QEMU's SPICE server cannot offer."""
import os
import shlex

import pytest

from virtsh.drivers.errors import VirtError
from virtsh.drivers.qemu import command, defaults, displays
from virtsh.xmlconf import domain as xd

CAPS = {"emulator": "/usr/bin/qemu-system-x86_64", "arch": "x86_64", "kvm": True,
        "version": 7002022,
        "machines": [{"name": "pc-i440fx-7.2", "alias": "pc", "default": True,
                      "max_cpus": 255, "deprecated": False}]}
CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared",
                      "conformance", "xml")
LIB = "/var/lib/libvirt/qemu/domain--1-%s"


def options(argv, name):
    return [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == name]


def native(xml, conf=None, name="QEMUGuest1"):
    """The argv domxml-to-native gives for *xml* under qemu.conf *conf*."""
    conf = dict({"vnc_listen": "127.0.0.1", "spice_listen": "127.0.0.1"}, **(conf or {}))
    defn = xd.parse(xml)
    root = defn.tree
    defaults.apply(root, CAPS, conf, xd.parse_document(xml))
    displays.setup_listens(root, conf, LIB % name)
    displays.allocate_spice_ports(root, conf, pretend=True)
    return command.build(root, CAPS, command.Runtime(monitor_path="/m.sock", conf=conf))


CASES = ["audio-spice-minimal", "graphics-spice-auto-socket", "graphics-spice-auto-socket-cfg",
         "graphics-spice-no-args", "video-virtio-gpu-spice-gl", "channel-virtio-default",
         "graphics-vnc-auto-socket"]


@pytest.mark.skipif(not os.path.isdir(CORPUS), reason="conformance corpus not present")
@pytest.mark.parametrize("case", CASES)
def test_display_options_match_libvirts(case):
    folder = os.path.join(CORPUS, case)
    expected = shlex.split(open(os.path.join(folder, "qemu.args")).read())
    xml = open(os.path.join(folder, "in.xml")).read()
    ours = native(xml.replace("/usr/bin/qemu-system-i386", "/usr/bin/qemu-system-x86_64"))
    for name in ("-spice", "-vnc", "-audiodev"):
        assert options(ours, name) == options(expected, name), name
    spicevmc = [c for c in options(expected, "-chardev") if c.startswith("spicevmc")]
    assert [c for c in options(ours, "-chardev") if c.startswith("spicevmc")] == spicevmc


SPICE = """<domain type='kvm'><name>s</name><memory unit='MiB'>64</memory>
  <os><type arch='x86_64'>hvm</type></os><devices>%s</devices></domain>"""


def test_auto_unix_socket_puts_an_empty_listen_on_a_socket():
    xml = SPICE % "<graphics type='spice' autoport='yes'/><graphics type='vnc'/>"
    argv = native(xml, {"spice_auto_unix_socket": 1, "vnc_auto_unix_socket": 1}, "s")
    assert options(argv, "-spice") == [
        "unix,addr=%s/spice.sock,disable-ticketing=on,seamless-migration=on" % (LIB % "s")]
    assert options(argv, "-vnc") == ["vnc=unix:%s/vnc.sock,audiodev=audio1" % (LIB % "s")]


def test_a_given_address_and_a_fixed_port_are_kept():
    xml = SPICE % ("<graphics type='spice' port='5999' autoport='no'>"
                   "<listen type='address' address='0.0.0.0'/></graphics>")
    argv = native(xml, {"spice_auto_unix_socket": 1})
    assert options(argv, "-spice")[0].startswith("port=5999,addr=0.0.0.0,")


def test_password_turns_ticketing_on_and_stays_off_the_command_line():
    xml = SPICE % ("<graphics type='spice' autoport='yes' passwd='s3cret'>"
                   "<mouse mode='server'/><streaming mode='filter'/>"
                   "<clipboard copypaste='no'/></graphics>")
    spice = options(native(xml), "-spice")[0]
    assert spice == ("port=5901,addr=127.0.0.1,agent-mouse=off,streaming-video=filter,"
                     "disable-copy-paste=on,seamless-migration=on")
    assert "s3cret" not in " ".join(native(xml))


def test_qxl_cards_get_their_memory_sizes():
    xml = SPICE % ("<graphics type='spice'/><video><model type='qxl' heads='2'/></video>"
                   "<video><model type='qxl'/></video>")
    qxl = [d for d in options(native(xml), "-device") if "qxl" in d]
    assert qxl[0].startswith('{"driver":"qxl-vga","id":"video0","max_outputs":2,'
                             '"ram_size":67108864,"vram_size":67108864,"vram64_size_mb":0,'
                             '"vgamem_mb":16,')
    assert qxl[1].startswith('{"driver":"qxl","id":"video1","max_outputs":1,')


@pytest.mark.parametrize("graphics, conf, message", [
    ("<graphics type='spice' autoport='yes'><channel name='main' mode='secure'/></graphics>",
     {}, "Auto allocation of spice TLS port requested but spice TLS is disabled in qemu.conf"),
    ("<graphics type='spice' port='5990' autoport='no'><channel name='main' mode='secure'/>"
     "</graphics>", {}, "spice secure channels set in XML configuration, but TLS connection "
     "is not available"),
    ("<graphics type='spice' port='5990' autoport='no' defaultMode='secure'/>", {},
     "spice defaultMode secure requested in XML configuration, but TLS connection is not "
     "available"),
    ("<graphics type='vnc' autoport='no'/>", {}, "vnc port must be in range [5900,65535]"),
])
def test_displays_qemu_cannot_offer_are_refused(graphics, conf, message):
    with pytest.raises(VirtError) as err:
        native(SPICE % graphics, conf)
    assert message in str(err.value)


def test_free_port_skips_ports_in_use():
    import socket
    with socket.socket() as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert displays.free_port(port, port + 50) != port
        with pytest.raises(VirtError, match="Unable to find an unused port"):
            displays.free_port(port, port)
