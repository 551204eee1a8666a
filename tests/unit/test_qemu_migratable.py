"""The rules of the migratable views: of any running domain (what a start
named: aliases, pty paths, node indexes, a dynamic label) and of the QEMU
driver (the implicit controllers and audio backend every host adds)."""
from virtsh.drivers.qemu import qemuns
from virtsh.xmlconf import XML_INACTIVE, XML_MIGRATABLE
from virtsh.xmlconf import domain as xd

RUNNING = """<domain type='qemu'>
  <name>g</name>
  <memory>131072</memory>
  <os><type arch='x86_64' machine='%s'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/img/top.qcow2' index='2'/>
      <backingStore/>
      <target dev='vda' bus='virtio'/>
      <alias name='virtio-disk0'/>
    </disk>
    <disk type='file' device='disk'>
      <source file='/img/data.raw' index='1'/>
      <target dev='vdb' bus='virtio'/>
      <alias name='ua-data'/>
    </disk>
    %s
    <serial type='pty'>
      <source path='/dev/pts/7'/>
      <target port='0'/>
      <alias name='serial0'/>
    </serial>
    <console type='pty' tty='/dev/pts/7'>
      <source path='/dev/pts/7'/>
      <target type='serial' port='0'/>
      <alias name='serial0'/>
    </console>
    <channel type='unix'>
      <source mode='bind' path='/var/lib/x/channel/target/domain-3-g/org.qemu.guest_agent.0'/>
      <target type='virtio' name='org.qemu.guest_agent.0' state='connected'/>
      <alias name='channel0'/>
    </channel>
    <channel type='unix'>
      <source mode='bind' path='/srv/sockets/mine'/>
      <target type='virtio' name='mine' state='disconnected'/>
      <alias name='channel1'/>
    </channel>
    %s
  </devices>
  <seclabel type='dynamic' model='dac' relabel='yes'>
    <label>+0:+0</label>
    <imagelabel>+0:+0</imagelabel>
  </seclabel>
</domain>
"""
PC_CONTROLLERS = """<controller type='usb' index='0' model='piix3-uhci'>
      <alias name='usb'/></controller>
    <controller type='pci' index='0' model='pci-root'><alias name='pci.0'/></controller>"""


def view(machine="pc", controllers=PC_CONTROLLERS, extra="<audio id='1' type='none'/>",
         flags=XML_MIGRATABLE):
    tree = xd.parse_document(RUNNING % (machine, controllers, extra))
    return qemuns.format(xd.DomainDef(tree), flags)


def test_running_view_leaves_out_what_the_start_named():
    out = view()
    assert "<alias name='virtio-disk0'/>" not in out and "serial0" not in out
    assert "<alias name='ua-data'/>" in out                 # the user's own name stays
    assert "<source file='/img/top.qcow2'/>" in out and "<backingStore/>" in out
    assert "<source file='/img/data.raw'/>" in out
    assert "/dev/pts" not in out and "tty=" not in out
    assert "    <serial type='pty'>\n      <target" in out
    assert "state=" not in out
    assert "<seclabel" not in out


def test_the_channel_socket_a_start_chose_goes_a_given_one_stays():
    out = view()
    assert "domain-3-g" not in out
    assert "<source mode='bind' path='/srv/sockets/mine'/>" in out


def test_live_view_without_migratable_keeps_everything():
    out = view(flags=0)
    for kept in ("<alias name='virtio-disk0'/>", "index='2'", "tty='/dev/pts/7'",
                 "state='connected'", "<seclabel", "<controller type='usb'", "<audio"):
        assert kept in out


def test_implicit_pc_controllers_and_audio_go():
    out = view()
    assert "<controller type='usb'" not in out
    assert "<controller type='pci'" not in out
    assert "<audio" not in out


def test_inactive_migratable_drops_the_implicit_devices_too():
    out = view(flags=XML_MIGRATABLE | XML_INACTIVE)
    assert "<controller type='usb'" not in out and "<audio" not in out


def test_piix3_uhci_stays_on_q35_and_a_second_usb_controller_keeps_both():
    q35 = view(machine="q35", controllers="""<controller type='usb' index='0' model='piix3-uhci'/>
    <controller type='pci' index='0' model='pcie-root'/>""")
    assert "<controller type='usb' index='0' model='piix3-uhci'/>" in q35
    assert "<controller type='pci' index='0' model='pcie-root'/>" in q35
    two = view(controllers=PC_CONTROLLERS + "<controller type='usb' index='1' model='ehci'/>")
    assert "model='piix3-uhci'" in two and "model='ehci'" in two


def test_a_user_aliased_default_controller_stays():
    out = view(controllers="""<controller type='usb' index='0' model='piix3-uhci'>
      <alias name='ua-myusb'/></controller>""")
    assert "<alias name='ua-myusb'/>" in out


def test_only_a_bare_default_audio_backend_goes():
    assert "<audio" not in view(extra="<audio id='1' type='spice'/>")
    assert "<audio id='1' type='oss'/>" in view(extra="<audio id='1' type='oss'/>")
    assert "timerPeriod='50'" in view(extra="<audio id='1' type='none' timerPeriod='50'/>")
    two = view(extra="<audio id='1' type='none'/><audio id='2' type='none'/>")
    assert two.count("<audio") == 2


def test_remaining_controllers_are_ordered_as_libvirt_re_adds_them():
    out = view(controllers=PC_CONTROLLERS.replace(
        "<controller type='pci'", "<controller type='virtio-serial' index='1'/>"
        "<controller type='ide' index='0'/><controller type='pci'")
        + "<controller type='virtio-serial' index='0'/>")
    kinds = [line.strip() for line in out.splitlines() if "<controller" in line]
    assert kinds == ["<controller type='virtio-serial' index='0'/>",
                     "<controller type='virtio-serial' index='1'/>",
                     "<controller type='ide' index='0'/>"]


def test_virtio_consoles_are_numbered_by_position():
    out = view(extra="<console type='pty'><target type='virtio' port='0'/></console>")
    assert "<target type='virtio' port='1'/>" in out


def test_a_written_dynamic_label_stays_a_generated_one_goes():
    written = RUNNING.replace("""relabel='yes'>
    <label>+0:+0</label>
    <imagelabel>+0:+0</imagelabel>
  </seclabel>""", "relabel='yes'/>")
    tree = xd.parse_document(written % ("pc", PC_CONTROLLERS, ""))
    out = qemuns.format(xd.DomainDef(tree), XML_MIGRATABLE | XML_INACTIVE)
    assert "<seclabel type='dynamic' model='dac' relabel='yes'/>" in out
