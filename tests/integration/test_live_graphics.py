"""The shared live conformance cases (SPICE and VNC displays under qemu.conf's
*_auto_unix_socket off and on): started here, a guest's live displays are
what libvirt showed for it, and its display commands point at them."""
import glob
import os
import re
import shutil
import tempfile

import pytest
from lxml import etree

from qemu_env import DOMAIN_TYPE, Host, needs_qemu

LIVE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared",
                    "conformance", "live")
CASES = sorted(os.path.basename(d) for d in glob.glob(os.path.join(LIVE, "*"))
               if os.path.isdir(d))

pytestmark = [needs_qemu, pytest.mark.skipif(not CASES, reason="no shared/conformance/live")]

SHOWN = ("graphics", "audio", "video", "channel")     # what the display settings touch


def read(case, name):
    with open(os.path.join(LIVE, case, name)) as f:
        return f.read()


def display_devices(xml, tags=SHOWN):
    """The display-related devices as text; ports, socket directories and
    the run id neutral."""
    root = etree.fromstring(xml.encode())
    text = "\n".join(etree.tostring(e, with_tail=False).decode()
                     for tag in tags for e in root.findall("devices/" + tag))
    text = re.sub(r"socket=\"[^\"]*/([^/\"]+\.sock)\"", r'socket="DIR/\1"', text)
    return re.sub(r'port="\d+"', 'port="N"', text)


@pytest.fixture
def host():
    h = Host(tempfile.mkdtemp(prefix="lg", dir="/tmp"))
    os.makedirs(os.path.join(h.root, "etc"))
    yield h
    h.kill_leftovers()
    shutil.rmtree(h.root, ignore_errors=True)


def define_case(host, case):
    """Write the case's qemu.conf, define its guest; the guest's name."""
    with open(os.path.join(host.root, "etc", "qemu.conf"), "w") as f:
        f.write(read(case, "conf.txt"))
    xml = read(case, "in.xml")
    host.define(xml.replace("type='kvm'", "type='%s'" % DOMAIN_TYPE, 1))
    return re.search(r"<name>([^<]+)</name>", xml).group(1)


@pytest.mark.parametrize("case", CASES)
def test_started_guest_shows_the_displays_libvirt_shows(host, case):
    name = define_case(host, case)
    started = host.virtsh("start", name, check=False)
    if read(case, "start.rc").strip() != "0":
        assert started.returncode == 1
        assert started.stderr.strip() == read(case, "start.err").strip()
        assert host.virtsh("domstate", name).stdout.strip() == "shut off"
        return
    assert started.returncode == 0, started.stderr
    live = host.virtsh("dumpxml", name).stdout
    assert display_devices(live) == display_devices(read(case, "live.out"))
    # the inactive definition keeps what was asked for; the migratable XML
    # gives back what the start chose
    inactive = host.virtsh("dumpxml", "--inactive", name).stdout
    assert display_devices(inactive) == display_devices(read(case, "inactive.out"))
    migratable = host.virtsh("dumpxml", "--migratable", name).stdout
    assert display_devices(migratable, ("graphics",)) == \
        display_devices(read(case, "migratable.out"), ("graphics",))
    sockets = re.findall(r"socket='([^']+)'", live)
    if sockets:
        dom_id = host.virtsh("domid", name).stdout.strip()
        run_dir = os.path.join(host.root, "lib", "qemu", "domain-%s-%s" % (dom_id, name[:20]))
        assert {os.path.dirname(s) for s in sockets} == {run_dir}
        assert os.path.exists(sockets[0])       # QEMU listens there
        host.virtsh("destroy", name)
        assert not os.path.exists(run_dir)


def live_port(host, name, kind):
    graphics = etree.fromstring(host.virtsh("dumpxml", name).stdout.encode()).find(
        "devices/graphics[@type='%s']" % kind)
    return int(graphics.get("port"))


def test_spice_on_an_address_gets_a_free_port_and_domdisplay_names_it(host):
    name = define_case(host, "spice-autoport-yes-off")
    host.virtsh("start", name)
    port = live_port(host, name, "spice")
    assert 5900 <= port <= 65535
    uri = "spice://127.0.0.1:%d" % port
    assert host.virtsh("domdisplay", name).stdout.strip() == uri
    assert host.virtsh("domdisplay", "--type", "spice", name).stdout.strip() == uri
    wrong = host.virtsh("domdisplay", "--type", "vnc", name, check=False)
    assert wrong.returncode == 1
    assert "No graphical display with type 'vnc' found" in wrong.stderr
    # a second guest does not get the port the first one holds
    xml = read("spice-autoport-yes-off", "in.xml").replace(name, "second").replace(
        "<uuid>2", "<uuid>3").replace("type='kvm'", "type='%s'" % DOMAIN_TYPE, 1)
    host.define(xml)
    host.virtsh("start", "second")
    assert live_port(host, "second", "spice") not in (port, 0)


def test_vnc_displays_of_a_guest_on_an_address(host):
    name = define_case(host, "vnc-bare-off")
    host.virtsh("start", name)
    display = live_port(host, name, "vnc") - 5900
    assert host.virtsh("vncdisplay", name).stdout.strip() == "127.0.0.1:%d" % display
    assert host.virtsh("domdisplay", name).stdout.strip() == "vnc://127.0.0.1:%d" % display


def test_spice_password_reaches_qemu_and_domdisplay_includes_it(host):
    define_case(host, "spice-autoport-yes-off")
    xml = host.virtsh("dumpxml", "--inactive", "virtsh-live-spice-autoport-yes").stdout
    host.define(xml.replace("<graphics type='spice' autoport='yes'",
                            "<graphics type='spice' autoport='yes' passwd='s3cret'"))
    name = "virtsh-live-spice-autoport-yes"
    host.virtsh("start", name)
    port = live_port(host, name, "spice")
    spice = host.virtsh("qemu-monitor-command", name, '{"execute":"query-spice"}').stdout
    assert '"auth":"spice"' in spice.replace(" ", "")
    assert host.virtsh("domdisplay", "--include-password", name).stdout.strip() == \
        "spice://127.0.0.1:%d?password=s3cret" % port
    assert host.virtsh("domdisplay", name).stdout.strip() == "spice://127.0.0.1:%d" % port


def test_displays_on_sockets_are_unix_uris(host):
    define_case(host, "vnc-bare-on")        # its qemu.conf: both auto_unix_socket on
    host.define("""<domain type='%s'><name>both</name><memory unit='MiB'>64</memory>
      <os><type arch='x86_64'>hvm</type></os><devices>
      <graphics type='vnc' passwd='abc'/><graphics type='spice' autoport='yes' passwd='xyz'/>
      </devices></domain>""" % DOMAIN_TYPE)
    host.virtsh("start", "both")
    run_dir = os.path.join(host.root, "lib", "qemu",
                           "domain-%s-both" % host.virtsh("domid", "both").stdout.strip())
    vnc, spice = "vnc+unix://%s/vnc.sock" % run_dir, "spice+unix://%s/spice.sock" % run_dir
    # (-q: no empty line after each command; one display has no newline)
    assert host.virtsh("-q", "domdisplay", "--all", "both").stdout == "%s\n%s\n" % (vnc, spice)
    assert host.virtsh("-q", "domdisplay", "--all", "--include-password", "both").stdout == \
        "vnc+unix://:abc@%s/vnc.sock\n%s?password=xyz\n" % (run_dir, spice)
    assert host.virtsh("-q", "domdisplay", "--type", "spice", "both").stdout == spice
    no_port = host.virtsh("vncdisplay", "both", check=False)
    assert no_port.returncode == 1
    assert no_port.stderr == "error: Failed to get VNC port. Is this domain using VNC?\n"


def test_a_restored_guest_gets_sockets_of_its_own_run(host):
    """The save image keeps what was asked for, not the old run's sockets."""
    name = define_case(host, "spice-autoport-yes-on")
    host.virtsh("start", name)
    image = os.path.join(host.root, "guest.save")
    host.virtsh("save", name, image)
    kept = host.virtsh("save-image-dumpxml", image).stdout
    assert display_devices(kept, ("graphics",)) == \
        display_devices(read("spice-autoport-yes-on", "migratable.out"), ("graphics",))
    host.virtsh("restore", image)
    assert display_devices(host.virtsh("dumpxml", name).stdout) == \
        display_devices(read("spice-autoport-yes-on", "live.out"))
