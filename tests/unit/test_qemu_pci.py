"""The PCI(e) bus model of the QEMU driver (drivers/qemu/pcibuses.py and
pcidevices.py):
what each bus accepts, the controllers libvirt adds when a device finds
no slot, and the addresses the planner gives, checked against what
libvirt 9.0 with QEMU 7.2 answers for the same devices."""
import pytest
from lxml import etree

from virtsh.drivers.errors import VirtError
from virtsh.drivers.qemu import defaults, pcibuses
from virtsh.drivers.qemu.pcibuses import AddressSet, Bus
from virtsh.xmlconf.tree import by_tag
from virtsh.drivers.qemu.pcidevices import (AUTO, PCI_DEVICE, PCIE_DEVICE, ROOT_PORT,
                                            AGGREGATE, DOWNSTREAM_PORT)


def append(devices, type_, index, model):
    return defaults.add_controller(devices, type_, index, model=model, by_index=False)


def planned(xml, q35=True):
    """The <devices> element *xml* after the planner ran on it."""
    devices = etree.fromstring("<devices>%s</devices>" % xml)
    root = "pcie-root" if q35 else "pci-root"
    if devices.find("controller[@type='pci'][@index='0']") is None:
        devices.insert(0, etree.Element("controller", type="pci", index="0", model=root))
    pcibuses.assign(devices, q35, append)
    return devices


def where(elem):
    a = elem.find("address")
    return int(a.get("bus"), 16), int(a.get("slot"), 16), int(a.get("function"), 16)


def controller(devices, index):
    return devices.find("controller[@type='pci'][@index='%d']" % index)


def nic(model):
    return "<interface type='user'><model type='%s'/></interface>" % model


def test_what_each_bus_takes():
    assert Bus("pcie-root").takes(ROOT_PORT | AGGREGATE)
    assert not Bus("pcie-root").takes(PCIE_DEVICE | AUTO)        # no endpoints placed there
    assert Bus("pcie-root-port").takes(PCIE_DEVICE | AUTO)
    assert not Bus("pcie-root-port").takes(PCI_DEVICE | AUTO)
    assert Bus("pcie-switch-upstream-port").takes(DOWNSTREAM_PORT)
    assert not Bus("pcie-switch-upstream-port").takes(PCIE_DEVICE | AUTO)
    assert Bus("pci-bridge").takes(PCI_DEVICE | AUTO)
    assert not Bus("dmi-to-pci-bridge").takes(PCI_DEVICE | AUTO)  # only by explicit address


def test_root_ports_share_a_slot_as_its_eight_functions():
    aset = AddressSet(["pcie-root"], grow=False)
    spots = [aset.reserve_next(ROOT_PORT | AGGREGATE) for _ in range(9)]
    assert spots[:8] == [(0, 1, f) for f in range(8)]
    assert spots[8] == (0, 2, 0)


def test_a_switch_under_a_root_port():
    devices = planned("<controller type='pci' index='1' model='pcie-root-port'/>"
                      "<controller type='pci' index='2' model='pcie-switch-upstream-port'/>"
                      "<controller type='pci' index='3' model='pcie-switch-downstream-port'/>"
                      "<controller type='pci' index='4' model='pcie-switch-downstream-port'/>"
                      + nic("virtio"))
    assert where(controller(devices, 1)) == (0, 1, 0)
    assert where(controller(devices, 2)) == (1, 0, 0)            # in the root port's slot
    assert [where(controller(devices, i)) for i in (3, 4)] == [(2, 0, 0), (2, 1, 0)]
    down = controller(devices, 4).find("target")
    assert (down.get("chassis"), down.get("port")) == ("4", "0x1")
    assert controller(devices, 2).find("model").get("name") == "x3130-upstream"
    assert where(devices.find("interface")) == (3, 0, 0)         # first free downstream port
    # the user laid out the buses: no root port is added for hotplug
    assert controller(devices, 5) is None


def test_an_endpoint_without_a_slot_gets_a_new_root_port_and_one_spare():
    devices = planned(nic("virtio") + nic("e1000e"))
    ports = [controller(devices, i) for i in (1, 2, 3)]
    assert [c.get("model") for c in ports] == ["pcie-root-port"] * 3
    assert [where(c) for c in ports] == [(0, 1, 0), (0, 1, 1), (0, 1, 2)]
    assert ports[0].find("address").get("multifunction") == "on"
    assert [(t.get("chassis"), t.get("port")) for t in (c.find("target") for c in ports)] \
        == [("1", "0x8"), ("2", "0x9"), ("3", "0xa")]
    assert [where(n) for n in devices.findall("interface")] == [(1, 0, 0), (2, 0, 0)]
    assert controller(devices, 4) is None


def test_a_legacy_pci_device_on_a_pcie_guest_gets_a_bridge_on_a_root_port():
    devices = planned(nic("rtl8139") + nic("virtio"))
    models = [(c.get("index"), c.get("model"))
              for c in devices.findall("controller[@type='pci']")]
    assert models == [("0", "pcie-root"), ("1", "pcie-root-port"), ("2", "pcie-to-pci-bridge"),
                      ("3", "pcie-root-port"), ("4", "pcie-root-port")]
    assert where(controller(devices, 2)) == (1, 0, 0)
    assert controller(devices, 2).find("model").get("name") == "pcie-pci-bridge"
    rtl, virtio = devices.findall("interface")
    assert where(rtl) == (2, 1, 0)
    assert where(virtio) == (3, 0, 0)                            # port 4 is the spare


def test_a_legacy_pci_device_behind_a_dmi_bridge_gets_a_pci_bridge():
    devices = planned("<controller type='pci' index='1' model='dmi-to-pci-bridge'/>"
                      + nic("e1000"))
    assert where(controller(devices, 1)) == (0, 0x1e, 0)
    bridge = controller(devices, 2)
    assert bridge.get("model") == "pci-bridge"
    assert where(bridge) == (1, 0, 0)
    assert bridge.find("target").get("chassisNr") == "2"
    assert where(devices.find("interface")) == (2, 1, 0)


def test_a_pc_keeps_a_slot_for_a_bridge_and_adds_one_when_full():
    # slots 2-31 of the root bus are free: one is kept back for a bridge
    devices = planned(nic("e1000") * 30, q35=False)
    bridge = controller(devices, 1)
    assert bridge.get("model") == "pci-bridge"
    assert where(bridge) == (0, 2, 0)                            # controllers come first
    assert max(where(n) for n in devices.findall("interface")) == (1, 1, 0)
    assert controller(devices, 2) is None
    assert controller(planned(nic("e1000") * 29, q35=False), 1) is None


def test_too_many_root_ports_for_pcie_root_is_libvirts_error():
    with pytest.raises(VirtError, match="a PCI slot is needed to connect a PCI controller "
                                        "model='pcie-root-port'"):
        planned("<controller type='pci' model='pcie-root-port'/>" * 241)


def test_q35_primary_video_takes_slot_1_and_ich9_audio_its_own_slot():
    devices = planned("<sound model='ich9'/><video><model type='qxl'/></video>"
                      "<video><model type='qxl'/></video>")
    first, second = devices.findall("video")
    assert where(first) == (0, 1, 0)
    assert where(devices.find("sound")) == (0, 0x1b, 0)
    assert controller(devices, 2).get("model") == "pcie-to-pci-bridge"   # qxl is plain PCI
    assert where(second) == (2, 1, 0)


def test_ibmvscsi_controllers_get_spapr_vio_registers():
    devices = etree.fromstring(
        "<devices><controller type='scsi' index='0' model='ibmvscsi'/>"
        "<controller type='scsi' index='1' model='ibmvscsi'>"
        "<address type='spapr-vio' reg='0x00002000'/></controller></devices>")
    defaults._spapr_vio_addresses(devices, by_tag(devices))
    regs = [c.find("address").get("reg") for c in devices.findall("controller")]
    assert regs == ["0x00003000", "0x00002000"]
