"""Domain tuning facts both local drivers share: libvirt's NUMA memory modes
and the checks of a numatune request, the per-device block I/O parameters
and how a device list edits <blkiotune>."""
from virtsh.drivers import cpusets
from virtsh.drivers.errors import CONFIG_UNSUPPORTED, INVALID_ARG, OPERATION_INVALID, VirtError

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


def numa_request(params):
    """(mode index or None, nodeset in canonical form or None) of numatune
    *params*, with libvirt's errors for a mode or nodeset out of range."""
    values = dict(params)
    mode, nodeset = values.get("numa_mode"), values.get("numa_nodeset")
    if mode is not None and not 0 <= mode < len(NUMA_MODES):
        raise VirtError(INVALID_ARG, "unsupported numatune mode: '%d'" % mode)
    if nodeset is not None:
        nodes = cpusets.parse(nodeset)
        if not nodes:
            raise VirtError(OPERATION_INVALID, "Invalid nodeset of 'numatune': %s"
                            % nodeset)
        nodeset = cpusets.format(nodes)
    return mode, nodeset


def check_nodeset_given(root, memory, nodeset):
    """A new <numatune><memory> of domain tree *root* needs a nodeset unless
    the vCPUs are placed automatically."""
    if memory is None and nodeset is None:
        vcpu = root.find("vcpu")
        if vcpu is None or vcpu.get("placement", "static") == "static":
            raise VirtError(CONFIG_UNSUPPORTED, "nodeset for NUMA memory tuning "
                            "must be set if 'placement' is 'static'")

