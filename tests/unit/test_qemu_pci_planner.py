"""The PCI planner's shortcut (drivers/qemu/pcibuses.py): when a trial of
libvirt's dry run adds no bus, the real placement runs at once on the
dry run's buses.  These guests sit on the edge between the shortcut and
the two full passes; each expectation is what the two full passes give
(the video case is libvirt 9.0's, from the conformance corpus).  Also
the machine type tables of drivers/qemu/caps.py."""
from lxml import etree

from virtsh.drivers.qemu import caps, defaults, pcibuses


def append(devices, type_, index, model):
    return defaults.add_controller(devices, type_, index, model=model, by_index=False)


def planned(xml, q35=False):
    devices = etree.fromstring("<devices><controller type='pci' index='0' model='%s'/>%s"
                               "</devices>" % ("pcie-root" if q35 else "pci-root", xml))
    pcibuses.assign(devices, q35, append)
    return devices


def where(elem):
    a = elem.find("address")
    return int(a.get("bus"), 16), int(a.get("slot"), 16), int(a.get("function"), 16)


def nics(count):
    return "<interface type='user'><model type='e1000'/></interface>" * count


def test_the_slot_kept_for_a_bridge_is_free_again_in_the_real_pass():
    # the dry run keeps slot 2 back, the real pass gives it to the first NIC
    devices = planned(nics(3))
    assert [where(n) for n in devices.findall("interface")] == [(0, 2, 0), (0, 3, 0), (0, 4, 0)]
    assert len(devices.findall("controller")) == 1


def test_a_pc_full_up_to_the_kept_slot_gets_its_bridge():
    assert planned(nics(29)).find("controller[@model='pci-bridge']") is None
    bridge = planned(nics(30)).find("controller[@model='pci-bridge']")
    assert where(bridge) == (0, 2, 0)


def test_a_primary_video_card_whose_slot_is_taken_goes_first_in_the_real_pass():
    devices = planned("<video><model type='qxl' primary='yes'/></video>"
                      "<video><model type='qxl'/></video><video><model type='qxl'/></video>"
                      "<memballoon model='virtio'><address type='pci' domain='0x0000' "
                      "bus='0x00' slot='0x02' function='0x0'/></memballoon>")
    assert [where(v) for v in devices.findall("video")] == [(0, 3, 0), (0, 4, 0), (0, 5, 0)]


def test_usb2_companions_share_their_controllers_slot():
    devices = planned("<controller type='usb' index='0' model='ich9-ehci1'/>"
                      "<controller type='usb' index='0' model='ich9-uhci1'/>"
                      "<controller type='usb' index='0' model='ich9-uhci2'/>")
    ehci, uhci1, uhci2 = devices.findall("controller[@type='usb']")
    assert [where(c) for c in (ehci, uhci1, uhci2)] == [(0, 2, 7), (0, 2, 0), (0, 2, 1)]
    assert uhci1.find("address").get("multifunction") == "on"


def test_q35_endpoints_on_declared_root_ports_add_no_bus():
    devices = planned("<controller type='pci' index='1' model='pcie-root-port'/>"
                      "<controller type='pci' index='2' model='pcie-root-port'/>"
                      "<interface type='user'><model type='virtio'/></interface>", q35=True)
    assert len(devices.findall("controller")) == 3
    assert where(devices.find("interface")) == (1, 0, 0)


CAPS = {"machines": [
    {"name": "pc-i440fx-7.2", "alias": "pc", "default": True},
    {"name": "pc-q35-7.2", "alias": "q35", "default": False},
    {"name": "pc-q35-7.1", "alias": None, "default": False}]}


def test_machine_aliases_and_names():
    assert caps.default_machine(CAPS) == "pc"
    assert caps.canonical_machine(CAPS, "q35") == "pc-q35-7.2"
    assert caps.canonical_machine(CAPS, "pc-q35-7.1") == "pc-q35-7.1"
    assert caps.has_machine(CAPS, "pc") and caps.has_machine(CAPS, "pc-q35-7.1")
    assert not caps.has_machine(CAPS, "virt")


def test_each_capabilities_answers_from_its_own_machines():
    other = {"machines": [{"name": "pc-i440fx-6.2", "alias": "pc", "default": False}]}
    assert caps.canonical_machine(CAPS, "pc") == "pc-i440fx-7.2"
    assert caps.canonical_machine(other, "pc") == "pc-i440fx-6.2"
    assert caps.default_machine(other) is None
