"""Domain tuning facts both local drivers share: libvirt's NUMA memory modes,
the per-device block I/O parameters and how a device list edits <blkiotune>."""
from virtsh.drivers.errors import VirtError, INVALID_ARG

NUMA_MODES = ("strict", "preferred", "interleave", "restrictive")
BLKIO_DEVICE_PARAMS = (("device_weight", "weight"),
                       ("device_read_iops_sec", "read_iops_sec"),
                       ("device_write_iops_sec", "write_iops_sec"),
                       ("device_read_bytes_sec", "read_bytes_sec"),
                       ("device_write_bytes_sec", "write_bytes_sec"))


def set_blkio_devices(blkiotune, tag, text, name):
    """Apply a virsh blkiotune device list ("PATH,VALUE,PATH,VALUE...") for
    the device setting *tag* to the <blkiotune> element; 0 drops a setting."""
    from lxml import etree
    words = text.split(",") if text else []
    if len(words) % 2:
        raise VirtError(INVALID_ARG, "unable to parse blkio device '%s' '%s'"
                        % (name, text))
    for path, value in zip(words[::2], words[1::2]):
        if not value.isdigit():
            raise VirtError(INVALID_ARG, "invalid value '%s' for parameter '%s' of "
                            "device '%s'" % (value, name, path))
        device = next((d for d in blkiotune.findall("device")
                       if d.findtext("path") == path), None)
        if device is None:
            device = etree.SubElement(blkiotune, "device")
            etree.SubElement(device, "path").text = path
        elem = device.find(tag)
        if int(value) == 0:         # 0 drops the setting, then the device
            if elem is not None:
                device.remove(elem)
            if len(device) == 1:
                blkiotune.remove(device)
            continue
        if elem is None:
            elem = etree.SubElement(device, tag)
        elem.text = value
