"""domcapabilities' display kinds follow what the QEMU binary was built with."""
from virtsh.drivers.qemu.host import graphics_types


def test_spice_is_offered_only_by_a_binary_built_with_it():
    assert graphics_types({"devices": ["qxl", "qxl-vga", "virtio-vga"]}) == ["vnc", "spice"]
    assert graphics_types({"devices": ["virtio-vga", "VGA"]}) == ["vnc"]
