"""Pure parts of the QEMU driver's running-guest modules: save image
headers, disk image sizes, throttling rules, device matching, vCPU counts."""
import subprocess

import pytest

from virtsh.drivers.errors import VirtError
from virtsh.drivers.qemu import hotplug, resources, saverestore, stats, tuning
from virtsh.xmlconf import domain as xd

DOMAIN = """<domain type='kvm'><name>vm</name><vcpu current='1'>4</vcpu>
  <devices>
    <disk type='file' device='disk'><source file='/a.img'/><target dev='vda'/></disk>
    <disk type='file' device='cdrom'><target dev='hdc'/></disk>
    <interface type='user'><mac address='52:54:00:AA:00:01'/></interface>
  </devices></domain>"""


def test_save_image_header_round_trip(tmp_path):
    path = tmp_path / "x.save"
    xml = "<domain><name>vm</name></domain>\n"
    image = saverestore.Image(xml, True, saverestore.area_for(xml))
    path.write_bytes(image.head_bytes() + b"migration stream")
    again = saverestore.Image.read(str(path))
    assert (again.xml, again.running) == (xml, True)
    again.xml, again.running = xml.replace("vm", "vm2"), False
    again.rewrite(str(path))
    data = path.read_bytes()
    assert data.endswith(b"migration stream") and data.startswith(b"LibvirtQemudSave")
    assert saverestore.Image.read(str(path)).xml.startswith("<domain><name>vm2<")


def test_save_image_errors(tmp_path):
    partial = tmp_path / "partial.save"
    image = saverestore.Image("<domain/>", False, 4096)
    partial.write_bytes(image.head_bytes(saverestore.MAGIC_PARTIAL))
    with pytest.raises(VirtError, match="image magic is incorrect"):
        saverestore.Image.read(str(partial))
    with pytest.raises(VirtError, match="Failed to open file '.*missing': No such file"):
        saverestore.Image.read(str(tmp_path / "missing"))
    image.xml = "x" * 5000
    with pytest.raises(VirtError, match="too large"):
        image.head_bytes()


def test_image_sizes_of_qcow2_and_sparse_raw(tmp_path):
    qcow2 = tmp_path / "a.qcow2"
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(qcow2), "16M"],
                   check=True)
    capacity, allocation, physical = stats.image_sizes(str(qcow2))
    assert capacity == 16 * 1024 * 1024 and physical == qcow2.stat().st_size
    raw = tmp_path / "b.img"
    with open(raw, "wb") as f:
        f.truncate(8 * 1024 * 1024)
    assert stats.image_sizes(str(raw)) == (8 * 1024 * 1024, 0, 8 * 1024 * 1024)


def test_throttling_rules():
    values = dict((name, 0) for name in tuning.IOTUNE_PARAMS)
    values["group_name"] = ""
    tuning.check_iotune(dict(values, total_bytes_sec=10))
    with pytest.raises(VirtError, match="total and read/write of bytes_sec"):
        tuning.check_iotune(dict(values, total_bytes_sec=10, read_bytes_sec=5))
    with pytest.raises(VirtError, match="cannot be set higher than total_iops_sec_max"):
        tuning.check_iotune(dict(values, total_iops_sec=10, total_iops_sec_max=5))


def test_devices_are_found_as_libvirt_finds_them():
    root = xd.parse_document(DOMAIN)
    disk = hotplug.parse_device("<disk><target dev='vda'/></disk>")
    assert hotplug.find_device(root, disk).find("source").get("file") == "/a.img"
    nic = hotplug.parse_device("<interface type='user'>"
                               "<mac address='52:54:00:aa:00:01'/></interface>")
    assert hotplug.find_device(root, nic) is not None
    with pytest.raises(VirtError, match="target vda already exists"):
        hotplug._check_new(root, disk)
    other = hotplug.parse_device("<interface type='user'>"
                                 "<mac address='52:54:00:aa:00:02'/></interface>")
    assert hotplug.find_device(root, other) is None
    assert "matching MAC address '52:54:00:aa:00:02'" in str(hotplug._missing(other))


def test_vcpu_counts_keep_libvirts_form():
    root = xd.parse_document(DOMAIN)
    assert resources.vcpu_counts(root) == (4, 1)
    resources.set_vcpu_counts(root, current=4)
    assert root.find("vcpu").get("current") is None
    resources.set_vcpu_counts(root, maximum=2, current=1)
    assert (root.findtext("vcpu"), root.find("vcpu").get("current")) == ("2", "1")
