"""The QEMU driver's checks of a definition, after its defaults.

Each check is a small function raising libvirt's error for one kind of
configuration QEMU (or this driver) cannot run; ``check`` runs them all,
on the parts of the definition gathered once (``_Parts``: a path search
per check and device kind cost more than the checks themselves).
"""
import re

from virtsh.drivers.errors import VirtError, CONFIG_UNSUPPORTED, INTERNAL_ERROR, XML_ERROR
from virtsh.drivers.qemu.command import memory_kib, scale_kib
from virtsh.drivers.qemu.defaults import is_i440fx, is_q35
from virtsh.xmlconf.tree import by_tag


def unsupported(text):
    return VirtError(CONFIG_UNSUPPORTED, text)


def _pci_root(guest):
    for c in guest.devices("controller"):
        if c.get("type") != "pci":
            continue
        model, index = c.get("model"), c.get("index", "0")
        if model in ("pci-root", "pcie-root") and index != "0":
            raise VirtError(XML_ERROR, "pci-root and pcie-root controllers should have index 0")
        if index == "0" and model in ("pci-root", "pcie-root"):
            wanted = "pcie-root" if is_q35(guest.machine) else "pci-root"
            if model != wanted:
                raise VirtError(XML_ERROR,
                                "The PCI controller with index='0' must be model='%s' for "
                                "this machine type, but model='%s' was found instead"
                                % (wanted, model))


def _machine_features(guest):
    features = guest.first("features")
    tseg = features.find("smm/tseg") if features is not None else None
    if tseg is not None:
        if not is_q35(guest.machine):
            raise unsupported("SMM TSEG is only supported with q35 machine type")
        if scale_kib(int(tseg.text), tseg.get("unit", "MiB")) % 1024:
            raise unsupported("SMM TSEG size must be divisible by 1 MiB")
    if features is not None and features.find("hpt") is not None:
        raise unsupported("The 'hpt' feature is not supported for architecture '%s' or "
                          "machine type '%s'" % (guest.os_type.get("arch"), guest.machine))
    iommu = next(iter(guest.devices("iommu")), None)
    if iommu is not None and iommu.get("model") == "virtio" and not is_q35(guest.machine):
        raise unsupported("IOMMU device: 'virtio' is only supported with Q35 and ARM Virt "
                          "machines")
    if iommu is not None and iommu.get("model") == "virtio" \
            and (features is None or features.find("acpi") is None):
        raise unsupported("IOMMU device: 'virtio' requires ACPI")


def _cpu(guest):
    cpu = guest.first("cpu")
    if cpu is None:
        return
    for cache in cpu.iterchildren("cache"):
        mode = cache.get("mode")
        if mode == "emulate" and cache.get("level") != "3":
            raise unsupported("CPU cache mode 'emulate' can only be used with level='3'")
        if mode == "passthrough" and cpu.get("mode") not in ("host-passthrough", "maximum"):
            raise unsupported("CPU cache mode 'passthrough' can only be used with "
                              "'host-passthrough' / 'maximum' CPUs")


def _vcpus(guest):
    vcpus = guest.first("vcpus")
    first = vcpus.find("vcpu[@id='0']") if vcpus is not None else None
    if first is not None and first.get("enabled") == "no":
        raise unsupported("vcpu 0 can't be offline")


def _memory(guest):
    if not memory_kib(guest.root) and not guest.numa_cells():
        raise VirtError(XML_ERROR, "Memory size must be specified via <memory> or in the "
                        "<numa> configuration")
    if guest.first("maxMemory") is not None and not guest.numa_cells():
        raise unsupported("At least one numa node has to be configured when enabling "
                          "memory hotplug")


def _tuning(guest):
    if guest.root.get("type") != "kvm" and guest.root.find("cputune/cachetune") is not None:
        raise unsupported("cachetune is only supported for KVM domains")
    sec = guest.first("launchSecurity")
    if sec is not None and sec.get("type") == "sev":
        raise unsupported("SEV launch security is not supported with this QEMU binary")


def _disks(guest):
    for disk in guest.devices("disk"):
        driver = disk.find("driver")
        fmt = driver.get("type") if driver is not None else None
        if fmt == "dir" and disk.get("type") != "dir":
            raise unsupported("'directory' storage format is not directly supported by "
                              "QEMU, use 'dir' disk type instead")
        if disk.find("source/encryption") is not None and fmt not in (None, "raw", "qcow2"):
            raise unsupported("encryption is supported only with 'raw' and 'qcow2' image "
                              "format")
        addr = disk.find("address[@type='drive']")
        if addr is not None and addr.get("controller", "0") != "0" \
                and disk.find("target[@bus='ide']") is not None:
            raise VirtError(INTERNAL_ERROR, "Only 1 IDE controller is supported")
        dev = disk.find("target").get("dev", "") if disk.find("target") is not None else ""
        if re.match(r"^[a-z]+\d+$", dev):
            raise unsupported("invalid disk target '%s', partitions can't appear in disk "
                              "targets" % dev)


def _pci_controllers(guest):
    for c in guest.devices("controller"):
        if c.get("type") != "pci":
            continue
        model = c.get("model")
        if model == "pcie-expander-bus" and not is_q35(guest.machine):
            raise unsupported("pcie-expander-bus controllers are not supported with this "
                              "machine type")
        node = c.findtext("target/node")
        if node is None or not node.strip().isdigit():
            continue
        cells = len(guest.numa_cells())
        if int(node) >= cells:
            raise VirtError(XML_ERROR, "%s with index %s is configured for a NUMA node (%s) "
                            "not present in the domain's <cpu><numa> array (%d)"
                            % (model, c.get("index"), node.strip(), cells))


def _controllers(guest):
    controllers = guest.devices("controller")
    for c in controllers:
        if c.get("type") != "ide":
            continue
        if is_q35(guest.machine):
            raise unsupported("IDE controllers are unsupported for this QEMU binary or "
                              "machine type")
        if is_i440fx(guest.machine) and c.get("index", "0") != "0":
            raise unsupported("Only a single IDE controller is supported for this machine "
                              "type")
    for c in controllers:
        model = c.get("model")
        if c.get("type") == "usb" and model in ("qemu-xhci", "nec-xhci") \
                and int(c.get("ports", "0")) > 15:
            raise unsupported("'%s' controller only supports up to '15' ports" % model)


def _graphics(guest, conf):
    graphics = guest.devices("graphics")
    for g in graphics:
        if g.get("type") == "spice" and g.get("tlsPort") not in (None, "-1") \
                and not conf.get("spice_tls"):
            raise unsupported("spice TLS port set in XML configuration, but TLS is "
                              "disabled in qemu.conf")
    gl_displays = [g for g in graphics
                   if g.get("type") == "egl-headless" or g.find("gl[@enable='yes']") is not None]
    if len(gl_displays) > 1:
        raise unsupported("multiple OpenGL displays are not supported by QEMU")


def _shared_disks(guest):
    for disk in guest.devices("disk"):
        driver = disk.find("driver")
        fmt = driver.get("type") if driver is not None else None
        if disk.find("shareable") is not None and disk.find("readonly") is None \
                and fmt not in (None, "raw"):
            raise unsupported("shared access for disk '%s' requires use of supported "
                              "storage format" % disk.find("target").get("dev"))


# Serial target types an x86 machine has.
_X86_SERIAL_TARGETS = ("isa-serial", "usb-serial", "pci-serial", "isa-debug")


def _devices(guest):
    """Devices this QEMU (7.2, x86) cannot provide as configured."""
    if any(m.get("model") == "sgx-epc" for m in guest.devices("memory")):
        raise unsupported("sgx epc isn't supported by this QEMU binary")
    shmems = guest.devices("shmem")
    if any(s.find("model") is None or s.find("model").get("type", "ivshmem") == "ivshmem"
           for s in shmems):       # the legacy device QEMU 7.2 lacks
        raise unsupported("ivshmem device is not supported with this QEMU binary")
    for shmem in shmems:
        model = shmem.find("model").get("type")
        if (model == "ivshmem-doorbell") != (shmem.find("server") is not None):
            raise unsupported("shmem model '%s' is supported only with server option %s"
                              % (model, "enabled" if model == "ivshmem-doorbell" else "disabled"))
    iommu = next((i for i in guest.devices("iommu") if i.get("model") == "virtio"), None)
    if iommu is not None and iommu.find("address") is not None \
            and iommu.find("address").get("type") != "pci":
        raise unsupported("IOMMU device: 'virtio' needs a PCI address")
    for inp in guest.devices("input"):
        if inp.get("model") in ("virtio-transitional", "virtio-non-transitional") \
                and inp.get("type") != "passthrough":
            raise unsupported("virtio (non-)transitional models are not supported for "
                              "input type=%s" % inp.get("type"))
    serials = guest.devices("serial")
    if serials and guest.os_type.get("arch") in ("x86_64", "i686"):
        for serial in serials:
            target = serial.find("target")
            kind = target.get("type") if target is not None else None
            if kind is not None and kind not in _X86_SERIAL_TARGETS:
                model = target.find("model")
                raise unsupported("Serial device with target type '%s' and target model "
                                  "'%s' not compatible with guest architecture or machine "
                                  "type" % (kind, model.get("name") if model is not None
                                            else "none"))
    for hostdev in guest.devices("hostdev"):
        if hostdev.get("type") == "scsi_host" and hostdev.find("boot") is not None:
            raise unsupported("booting from assigned devices is not supported by vhost "
                              "SCSI devices")


class _Parts:
    """The parts of a definition the checks look at, each gathered once:
    the children of <domain> and of <devices> by tag."""

    def __init__(self, root):
        self.root = root
        self.top = by_tag(root)
        self.os_type = self.first("os").find("type")
        self.machine = self.os_type.get("machine", "")
        devices = self.first("devices")
        self._devices = by_tag(devices) if devices is not None else {}
        self._cells = None

    def first(self, tag):
        found = self.top.get(tag)
        return found[0] if found else None

    def devices(self, tag):
        return self._devices.get(tag, ())

    def numa_cells(self):
        if self._cells is None:
            cpu = self.first("cpu")
            self._cells = cpu.findall("numa/cell") if cpu is not None else []
        return self._cells


CHECKS = (_pci_root, _machine_features, _cpu, _vcpus, _memory, _tuning, _disks,
          _shared_disks, _pci_controllers, _controllers, _devices)


def check(root, conf):
    """Raise libvirt's error for the first thing QEMU cannot run."""
    guest = _Parts(root)
    for fn in CHECKS:
        fn(guest)
    _graphics(guest, conf)
