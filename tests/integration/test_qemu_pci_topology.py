"""Guests whose PCI(e) topology the driver completed start, with every
controller it added present in QEMU where the definition puts it."""
import os
import re

from qemu_env import guest_xml, needs_qemu, qmp, wait_for

pytestmark = needs_qemu

# (vendor, device) of the QEMU devices looked for
E1000 = (0x8086, 0x100E)
X3130_UPSTREAM = (0x104C, 0x8232)
XIO3130_DOWNSTREAM = (0x104C, 0x8233)
PCIE_PCI_BRIDGE = (0x1B36, 0x000E)


def pci_devices(buses, bus_number=0):
    """{(vendor, device): [bus number, ...]} of query-pci's tree."""
    found = {}
    for bus in buses:
        for dev in bus["devices"]:
            ids = (dev["id"]["vendor"], dev["id"]["device"])
            found.setdefault(ids, []).append(bus["bus"])
            bridge = dev.get("pci_bridge")
            if bridge and bridge.get("devices") is not None:
                nested = {"bus": bridge["bus"]["secondary"], "devices": bridge["devices"]}
                for key, value in pci_devices([nested]).items():
                    found.setdefault(key, []).extend(value)
    return found


def test_q35_guest_with_a_switch_and_a_legacy_nic_starts(host):
    xml = guest_xml("pcie", """
    <controller type='pci' index='0' model='pcie-root'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-switch-upstream-port'/>
    <controller type='pci' model='pcie-switch-downstream-port'/>
    <interface type='user'><model type='e1000'/></interface>
    """).replace("machine='pc'", "machine='q35'")
    host.define(xml)
    defined = host.virtsh("dumpxml", "pcie").stdout
    assert "model='pcie-to-pci-bridge'" in defined       # for the legacy e1000
    host.virtsh("start", "pcie")
    try:
        assert host.state("pcie") == "running (booted)"
        # devices behind bridges show once the firmware has numbered the buses
        wait_for(lambda: E1000 in pci_devices(qmp(host, "pcie", "query-pci")), 30,
                 "the e1000 behind its bridges")
        found = pci_devices(qmp(host, "pcie", "query-pci"))
        for wanted in (E1000, X3130_UPSTREAM, XIO3130_DOWNSTREAM, PCIE_PCI_BRIDGE):
            assert wanted in found, wanted
        assert all(bus > 0 for bus in found[E1000])          # behind the bridge
        log = os.path.join(host.root, "log", "qemu", "pcie.log")
        line = [a for a in open(log).read().split()
                if '"driver":"x3130-upstream"' in a]
        assert line and re.search(r'"bus":"pci\.\d+","addr":"0x0"', line[0])
    finally:
        host.virtsh("destroy", "pcie")
