"""The QEMU driver's checks of a definition, after its defaults.

Each check is a small function raising libvirt's error for one kind of
configuration QEMU (or this driver) cannot run; ``check`` runs them all.
"""
import re

from virtsh.drivers.errors import VirtError, CONFIG_UNSUPPORTED, XML_ERROR
from virtsh.drivers.qemu.defaults import is_q35


def unsupported(text):
    return VirtError(CONFIG_UNSUPPORTED, text)


def _pci_root(root, machine):
    for c in root.findall("devices/controller[@type='pci']"):
        model, index = c.get("model"), c.get("index", "0")
        if model in ("pci-root", "pcie-root") and index != "0":
            raise VirtError(XML_ERROR, "pci-root and pcie-root controllers should have index 0")
        if index == "0" and model in ("pci-root", "pcie-root"):
            wanted = "pcie-root" if is_q35(machine) else "pci-root"
            if model != wanted:
                raise VirtError(XML_ERROR,
                                "The PCI controller with index='0' must be model='%s' for "
                                "this machine type, but model='%s' was found instead"
                                % (wanted, model))


def _machine_features(root, machine):
    tseg = root.find("features/smm/tseg")
    if tseg is not None:
        if not is_q35(machine):
            raise unsupported("SMM TSEG is only supported with q35 machine type")
        from virtsh.drivers.qemu.command import scale_kib
        if scale_kib(int(tseg.text), tseg.get("unit", "MiB")) % 1024:
            raise unsupported("SMM TSEG size must be divisible by 1 MiB")
    if root.find("features/hpt") is not None:
        raise unsupported("The 'hpt' feature is not supported for architecture '%s' or "
                          "machine type '%s'" % (root.find("os/type").get("arch"), machine))
    iommu = root.find("devices/iommu")
    if iommu is not None and iommu.get("model") == "virtio" and not is_q35(machine):
        raise unsupported("IOMMU device: 'virtio' is only supported with Q35 and ARM Virt "
                          "machines")


def _cpu(root, machine):
    cpu = root.find("cpu")
    if cpu is None:
        return
    for cache in cpu.findall("cache"):
        mode = cache.get("mode")
        if mode == "emulate" and cache.get("level") != "3":
            raise unsupported("CPU cache mode 'emulate' can only be used with level='3'")
        if mode == "passthrough" and cpu.get("mode") not in ("host-passthrough", "maximum"):
            raise unsupported("CPU cache mode 'passthrough' can only be used with "
                              "'host-passthrough' / 'maximum' CPUs")


def _vcpus(root, machine):
    first = root.find("vcpus/vcpu[@id='0']")
    if first is not None and first.get("enabled") == "no":
        raise unsupported("vcpu 0 can't be offline")


def _memory(root, machine):
    from virtsh.drivers.qemu.command import memory_kib
    if not memory_kib(root) and root.find("cpu/numa/cell") is None:
        raise VirtError(XML_ERROR, "Memory size must be specified via <memory> or in the "
                        "<numa> configuration")
    if root.find("maxMemory") is not None and root.find("cpu/numa/cell") is None:
        raise unsupported("At least one numa node has to be configured when enabling "
                          "memory hotplug")


def _tuning(root, machine):
    if root.find("cputune/cachetune") is not None and root.get("type") != "kvm":
        raise unsupported("cachetune is only supported for KVM domains")
    sec = root.find("launchSecurity")
    if sec is not None and sec.get("type") == "sev":
        raise unsupported("SEV launch security is not supported with this QEMU binary")


def _disks(root, machine):
    for disk in root.findall("devices/disk"):
        driver = disk.find("driver")
        fmt = driver.get("type") if driver is not None else None
        if fmt == "dir" and disk.get("type") != "dir":
            raise unsupported("'directory' storage format is not directly supported by "
                              "QEMU, use 'dir' disk type instead")
        if disk.find("source/encryption") is not None and fmt not in (None, "raw", "qcow2"):
            raise unsupported("encryption is supported only with 'raw' and 'qcow2' image "
                              "format")
        dev = disk.find("target").get("dev", "") if disk.find("target") is not None else ""
        if re.match(r"^[a-z]+\d+$", dev):
            raise unsupported("invalid disk target '%s', partitions can't appear in disk "
                              "targets" % dev)


def _controllers(root, machine):
    for c in root.findall("devices/controller[@type='usb']"):
        model = c.get("model")
        if model in ("qemu-xhci", "nec-xhci") and int(c.get("ports", "0")) > 15:
            raise unsupported("'%s' controller only supports up to '15' ports" % model)


def _graphics(root, conf):
    for g in root.findall("devices/graphics[@type='spice']"):
        if g.get("tlsPort") not in (None, "-1") and not conf.get("spice_tls"):
            raise unsupported("spice TLS port set in XML configuration, but TLS is "
                              "disabled in qemu.conf")


CHECKS = (_pci_root, _machine_features, _cpu, _vcpus, _memory, _tuning, _disks,
          _controllers)


def check(root, conf):
    """Raise libvirt's error for the first thing QEMU cannot run."""
    machine = root.find("os/type").get("machine", "")
    for fn in CHECKS:
        fn(root, machine)
    _graphics(root, conf)
