"""Details of the QEMU driver's definition defaults and checks, each one
compared with what libvirtd 9.0 (QEMU 7.2) prints or answers for the
same definition: where the machine's own controllers go, device defaults
(watchdog action, serial target models, shared memory size and MSI,
USB ports), the order of devices, and the errors for panic models and
IOMMUs."""
import re
import shutil

import pytest

from virtsh import drivers
from virtsh.drivers.errors import VirtError


DOMAIN = """<domain type='qemu'>
  <name>guest</name>
  <memory unit='KiB'>131072</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='%s'>hvm</type></os>
  %s
  <devices>%s</devices>
</domain>"""

ACPI = "<features><acpi/><ioapic driver='qemu'/></features>"


@pytest.fixture
def conn(tmp_path):
    if not shutil.which("qemu-system-x86_64"):
        pytest.skip("qemu-system-x86_64 not installed")
    return drivers.open("qemu:///embed?root=%s" % tmp_path)


def defined(conn, devices, machine="q35", features=""):
    """The definition libvirt would keep, as dumpxml prints it."""
    return conn.define_domain(DOMAIN % (machine, features, devices)).xml_desc()


def refusal(conn, devices, machine="q35", features=""):
    with pytest.raises(VirtError) as err:
        conn.define_domain(DOMAIN % (machine, features, devices))
    return str(err.value)


def controllers(xml):
    return re.findall(r"<controller type='(\w+)' index='(\d+)'", xml)


def test_q35_sata_controller_follows_a_declared_one(conn):
    xml = defined(conn, "<controller type='sata' index='1'/>")
    assert controllers(xml)[:4] == [("sata", "1"), ("usb", "0"), ("sata", "0"), ("pci", "0")]


def test_machine_usb_controller_follows_a_declared_second_one(conn):
    xml = defined(conn, "<controller type='usb' index='1' model='piix3-uhci'/>", machine="pc")
    assert controllers(xml) == [("usb", "1"), ("usb", "0"), ("pci", "0")]


def test_sata_controller_a_disk_needs_is_the_machines_own(conn):
    xml = defined(conn, "<controller type='sata' index='1'/>"
                  "<disk type='file' device='disk'><source file='/tmp/x.img'/>"
                  "<target dev='sda' bus='sata'/></disk>")
    assert controllers(xml)[:4] == [("sata", "1"), ("usb", "0"), ("sata", "0"), ("pci", "0")]


def test_watchdog_resets_by_default(conn):
    xml = defined(conn, "<watchdog model='i6300esb'/>", machine="pc")
    assert "<watchdog model='i6300esb' action='reset'>" in xml


@pytest.mark.parametrize("kind", ["pci-serial", "usb-serial"])
def test_serial_targets_name_their_device_model(conn, kind):
    xml = defined(conn, "<serial type='pty'><target type='%s'/></serial>" % kind)
    assert ("<target type='%s' port='0'>\n        <model name='%s'/>\n      </target>"
            % (kind, kind)) in xml


def test_usb_serial_takes_a_usb_port_after_inputs(conn):
    xml = defined(conn, "<serial type='pty'><target type='usb-serial'/></serial>"
                  "<input type='tablet' bus='usb'/>")
    serial = xml[xml.index("<serial"):xml.index("</serial>")]
    tablet = xml[xml.index("<input type='tablet'"):]
    assert "<address type='usb' bus='0' port='1'/>" in tablet.split("</input>")[0]
    assert "<address type='usb' bus='0' port='2'/>" in serial


def test_qemu_xhci_has_four_ports_then_a_hub(conn):
    tablets = "<input type='tablet' bus='usb'/>" * 5
    xml = defined(conn, tablets)
    ports = re.findall(r"<address type='usb' bus='0' port='([\d.]+)'/>", xml)
    assert sorted(ports) == ["1", "1.1", "1.2", "2", "3", "4"]
    assert "<hub type='usb'>\n      <address type='usb' bus='0' port='1'/>" in xml


def test_plain_shared_memory_is_four_mebibytes(conn):
    xml = defined(conn, "<shmem name='s1'><model type='ivshmem-plain'/></shmem>")
    assert "<model type='ivshmem-plain'/>\n      <size unit='M'>4</size>\n      <address" in xml


def test_doorbell_shared_memory_uses_ioeventfd(conn):
    xml = defined(conn, "<shmem name='s1'><model type='ivshmem-doorbell'/>"
                  "<server path='/tmp/s'/><msi vectors='4'/></shmem>")
    assert ("<model type='ivshmem-doorbell'/>\n      <server path='/tmp/s'/>\n"
            "      <msi vectors='4' ioeventfd='on'/>\n      <address") in xml
    assert "<size" not in xml


def test_shared_memory_server_must_match_the_model(conn):
    assert refusal(conn, "<shmem name='s1'><model type='ivshmem-doorbell'/></shmem>") == (
        "unsupported configuration: shmem model 'ivshmem-doorbell' is supported only "
        "with server option enabled")
    assert refusal(conn, "<shmem name='s1'><model type='ivshmem-plain'/>"
                   "<server path='/tmp/s'/></shmem>") == (
        "unsupported configuration: shmem model 'ivshmem-plain' is supported only "
        "with server option disabled")


def test_iommu_prints_after_shared_memory_and_panic(conn):
    xml = defined(conn, "<iommu model='intel'/><shmem name='s1'><model type='ivshmem-plain'/>"
                  "</shmem><panic model='isa'/>", features=ACPI)
    assert xml.index("<panic") < xml.index("<shmem") < xml.index("<iommu")


def test_virtio_iommu_requires_acpi(conn):
    assert refusal(conn, "<iommu model='virtio'/>") == (
        "unsupported configuration: IOMMU device: 'virtio' requires ACPI")
    assert refusal(conn, "<iommu model='virtio'/>", machine="pc") == (
        "unsupported configuration: IOMMU device: 'virtio' is only supported with Q35 "
        "and ARM Virt machines")
    assert "<iommu model='virtio'>" in defined(conn, "<iommu model='virtio'/>", features=ACPI)


@pytest.mark.parametrize("model", ["pvpanic", "ISA"])
def test_unknown_panic_model(conn, model):
    assert refusal(conn, "<panic model='%s'/>" % model) == (
        "unsupported configuration: unknown panic model '%s'" % model)


@pytest.mark.parametrize("panic", ["<panic/>", "<panic model='default'/>"])
def test_default_panic_model_is_the_machines(conn, panic):
    assert "<panic model='isa'/>" in defined(conn, panic)


def test_test_driver_shares_the_generic_defaults_and_checks():
    """Watchdog actions and panic models are the parser's, not the QEMU
    driver's: the test driver answers the same (and prints no bare panic)."""
    test = drivers.open("test:///default")
    guest = ("<domain type='test'><name>gen</name><memory>131072</memory>"
             "<os><type>hvm</type></os><devices><watchdog model='ib700'/>%s</devices></domain>")
    xml = test.define_domain(guest % "<panic/>").xml_desc()
    assert "<watchdog model='ib700' action='reset'/>" in xml
    assert "<panic" not in xml
    with pytest.raises(VirtError) as err:
        test.define_domain(guest % "<panic model='pvpanic'/>")
    assert str(err.value) == "unsupported configuration: unknown panic model 'pvpanic'"


NUMA = "<cpu><numa><cell id='0' cpus='0' memory='262144' unit='KiB'/></numa></cpu>"


@pytest.mark.parametrize("current, expected", [
    ("", "262144"), ("<currentMemory>100000</currentMemory>", "100000"),
    ("<currentMemory>200000</currentMemory>", "200000"),
    ("<currentMemory>0</currentMemory>", "262144")])
def test_current_memory_follows_the_numa_total(conn, current, expected):
    """The cells' 256 MiB replace the 128 MiB <memory>; the balloon is
    that much unless the document set less (above <memory> is fine)."""
    xml = defined(conn, "", machine="pc", features=current + NUMA)
    assert "<memory unit='KiB'>262144</memory>" in xml
    assert "<currentMemory unit='KiB'>%s</currentMemory>" % expected in xml


@pytest.mark.parametrize("tpm, expected", [
    ("<tpm><backend type='emulator'/></tpm>",
     "<tpm model='tpm-tis'>\n      <backend type='emulator' version='1.2'/>"),
    ("<tpm model='tpm-crb'><backend type='emulator'/></tpm>",
     "<tpm model='tpm-crb'>\n      <backend type='emulator' version='2.0'/>"),
    ("<tpm model='tpm-crb'><backend type='passthrough'/></tpm>",
     "<backend type='passthrough'>\n        <device path='/dev/tpm0'/>\n      </backend>")])
def test_tpm_defaults(conn, tpm, expected):
    assert expected in defined(conn, tpm, machine="pc")


@pytest.mark.parametrize("machine, devices, error", [
    ("pc", "<controller type='ide' index='1'/>",
     "unsupported configuration: Only a single IDE controller is supported for this "
     "machine type"),
    ("q35", "<controller type='ide' index='0'/>",
     "unsupported configuration: IDE controllers are unsupported for this QEMU binary or "
     "machine type"),
    ("q35", "<disk type='file' device='disk'><source file='/tmp/x.img'/>"
     "<target dev='hde' bus='ide'/></disk>",
     "internal error: Only 1 IDE controller is supported")])
def test_ide_controllers_the_machine_lacks(conn, machine, devices, error):
    assert refusal(conn, devices, machine=machine) == error
