"""The QEMU driver's defaults for PCI bridges, USB2 companions, firmware
variable stores and other libvirt post-parse rules, in process."""
from virtsh.drivers.qemu import command, defaults
from virtsh.xmlconf import domain as xd

# QEMU 7.2's answer, as far as these defaults look at it
CAPS = {"emulator": "/usr/bin/qemu-system-x86_64", "arch": "x86_64", "kvm": True,
        "version": 7002022,
        "machines": [{"name": "pc-i440fx-7.2", "alias": "pc", "default": True,
                      "max_cpus": 255, "deprecated": False},
                     {"name": "pc-q35-7.2", "alias": "q35", "default": False,
                      "max_cpus": 288, "deprecated": False}]}
CONF = {}

GUEST = """<domain type='kvm'>
  <name>vm1</name>
  <memory unit='KiB'>219100</memory>
  <vcpu>4</vcpu>
  <os><type arch='x86_64' machine='%s'>hvm</type>%s</os>
  <devices>%s</devices>
</domain>"""


def prepared(machine, devices="", os_extra="", nvram_dir=None):
    xml = GUEST % (machine, os_extra, devices)
    defn = xd.parse(xml, features={xd.FEATURE_DISK_FD, xd.FEATURE_DEFAULT_USB})
    defaults.apply(defn.tree, CAPS, CONF, xd.parse_document(xml), nvram_dir=nvram_dir)
    return defn.tree


def where(elem):
    a = elem.find("address")
    return int(a.get("bus"), 16), int(a.get("slot"), 16), int(a.get("function"), 16)


def nics(count, model="e1000"):
    return "<interface type='user'><model type='%s'/></interface>" % model * count


def test_i440fx_bridges_come_first_then_fill_in_bus_order():
    root = prepared("pc", "<controller type='pci' index='1' model='pci-bridge'/>" + nics(32))
    bridge = root.find("devices/controller[@model='pci-bridge']")
    assert bridge.find("model").get("name") == "pci-bridge"
    assert bridge.find("target").get("chassisNr") == "1"
    assert where(bridge) == (0, 2, 0)          # after the IDE/USB slot, before the NICs
    places = [where(n) for n in root.findall("devices/interface")]
    assert places[0] == (0, 3, 0)
    assert (1, 1, 0) in places                 # bus 0 is full: the bridge takes the rest
    assert len(set(places)) == 32


def test_i440fx_adds_a_bridge_when_slots_run_out():
    root = prepared("pc", nics(31))
    bridges = root.findall("devices/controller[@model='pci-bridge']")
    assert [b.get("index") for b in bridges] == ["1"]
    assert where(bridges[0]) == (0, 2, 0)      # planned before the devices it relieves
    assert max(where(n)[0] for n in root.findall("devices/interface")) == 1


def test_i440fx_fills_gaps_in_bus_numbers():
    root = prepared("pc", "<memballoon model='virtio'><address type='pci' domain='0x0000' "
                          "bus='0x03' slot='0x05' function='0x0'/></memballoon>")
    indexes = [c.get("index") for c in root.findall("devices/controller[@type='pci']")]
    assert indexes == ["0", "1", "2", "3"]


def test_expander_bus_gets_pxb_and_a_bus_number_below_the_others():
    root = prepared("pc", "<controller type='pci' index='1' model='pci-expander-bus'>"
                          "<target busNr='254'/></controller>"
                          "<controller type='pci' index='2' model='pci-expander-bus'/>")
    pxbs = root.findall("devices/controller[@model='pci-expander-bus']")
    assert [p.find("model").get("name") for p in pxbs] == ["pxb", "pxb"]
    assert [p.find("target").get("busNr") for p in pxbs] == ["254", "252"]


def test_q35_legacy_devices_go_behind_the_pci_bridge():
    root = prepared("q35", "<controller type='pci' index='1' model='dmi-to-pci-bridge'/>"
                           "<controller type='pci' index='2' model='pci-bridge'/>"
                           + nics(1) + nics(1, "virtio"))
    dmi = root.find("devices/controller[@model='dmi-to-pci-bridge']")
    bridge = root.find("devices/controller[@model='pci-bridge']")
    assert dmi.find("model").get("name") == "i82801b11-bridge"
    assert where(dmi) == (0, 0x1e, 0)
    assert where(bridge) == (1, 0, 0)
    e1000, virtio = root.findall("devices/interface")
    assert where(e1000) == (2, 1, 0)
    assert root.find("devices/controller[@index='%d']" % where(virtio)[0]).get("model") == \
        "pcie-root-port"


def test_q35_usb2_sets_share_the_ich9_slots():
    usb = "".join("<controller type='usb' index='%d' model='%s'/>" % (i, m)
                  for i in (0, 1) for m in ("ich9-ehci1", "ich9-uhci1", "ich9-uhci2",
                                            "ich9-uhci3"))
    root = prepared("q35", usb)
    places = [(c.get("index"), c.get("model"), where(c))
              for c in root.findall("devices/controller[@type='usb']")]
    assert places[:4] == [("0", "ich9-ehci1", (0, 0x1d, 7)), ("0", "ich9-uhci1", (0, 0x1d, 0)),
                          ("0", "ich9-uhci2", (0, 0x1d, 1)), ("0", "ich9-uhci3", (0, 0x1d, 2))]
    assert places[4][2] == (0, 0x1a, 7)
    assert root.find("devices/controller[@model='ich9-uhci1']/address").get("multifunction") \
        == "on"


def test_a_model_less_usb_controller_on_q35_is_uhci_but_the_default_one_xhci():
    asked = prepared("q35", "<controller type='usb' index='0'/>")
    assert asked.find("devices/controller[@type='usb']").get("model") == "piix3-uhci"
    implied = prepared("q35")
    assert implied.find("devices/controller[@type='usb']").get("model") == "qemu-xhci"


def test_uefi_loader_gets_a_variable_store_and_pflash_drives():
    loader = "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"
    root = prepared("pc", os_extra=loader, nvram_dir="/var/lib/x/nvram")
    assert root.findtext("os/nvram") == "/var/lib/x/nvram/vm1_VARS.fd"
    argv = command.build(root, CAPS, command.Runtime(monitor_path="/m.sock"))
    machine = argv[argv.index("-machine") + 1]
    assert machine.endswith(",pflash0=libvirt-pflash0-format,pflash1=libvirt-pflash1-format")
    assert '"filename":"/var/lib/x/nvram/vm1_VARS.fd"' in " ".join(argv)
    assert argv[argv.index("-m") + 1] == "214"     # memory rounded up to whole MiB
    stateless = prepared("pc", os_extra=loader.replace("readonly", "stateless='yes' readonly"),
                         nvram_dir="/var/lib/x/nvram")
    assert stateless.find("os/nvram") is None


def test_post_parse_fills_luks_engine_label_model_panic_and_cell_cpus():
    root = prepared("pc", "<disk type='file' device='disk'><source file='/a.img'>"
                          "<encryption format='luks'><secret type='passphrase' "
                          "uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/></encryption>"
                          "</source><target dev='vda' bus='virtio'/></disk>"
                          "<panic><address type='isa' iobase='0x505'/></panic>",
                    os_extra="")
    assert root.find("devices/disk/source/encryption").get("engine") == "qemu"
    assert root.find("devices/panic").get("model") == "isa"
    xml = (GUEST % ("pc", "", "")).replace(
        "</domain>", "<seclabel type='dynamic' relabel='yes'/></domain>").replace(
        "<devices>", "<cpu><numa><cell id='0' cpus='0' memory='1024'/>"
                     "<cell id='1' cpus='2' memory='1024'/></numa></cpu><devices>")
    defn = xd.parse(xml)
    defaults.apply(defn.tree, CAPS, CONF, xd.parse_document(xml))
    label = defn.tree.find("seclabel")
    assert dict(label.attrib) == {"type": "none", "model": "none"}
    assert defn.tree.find("cpu/numa/cell").get("cpus") == "0-1,3"
