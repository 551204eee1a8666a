"""The LXC driver's post-parse defaults and checks on a domain definition.

Applied after xmlconf's generic parse (which knows no hypervisor): the
emulator path, the host architecture, ``lxc`` console targets,
``accessmode`` of every filesystem, RAM filesystem sizes in KiB and the
security model of a ``<seclabel type='none'/>``.
"""
import os

from virtsh.drivers.errors import VirtError, INVALID_ARG, CONFIG_UNSUPPORTED
from virtsh.xmlconf import numbers
from virtsh.xmlconf.tree import attr, child, insert

EMULATOR = "/usr/lib/libvirt/libvirt_lxc"
DEV = "domain/devices"


def apply(root, raw):
    """Complete the canonical tree *root*; *raw* is the document as written."""
    if root.get("type") != "lxc":
        raise VirtError(INVALID_ARG, "virDomainDefineXMLFlags: unsupported domain type '%s'"
                        % root.get("type"))
    os_type = root.find("os/type")
    if os_type is None or os_type.text != "exe":
        raise VirtError(CONFIG_UNSUPPORTED, "no guest for os type '%s'"
                        % (os_type.text if os_type is not None else "hvm"))
    if os_type.get("arch") is None:
        attr(os_type, "domain/os/type", "arch", os.uname().machine)
    devs = child(root, "domain", "devices")
    if devs.find("emulator") is None:
        insert(devs, DEV, "emulator", text=EMULATOR)
    _consoles(devs, raw)
    _filesystems(devs)
    for ip in devs.iterfind("interface/ip"):
        if ip.get("family") is None and ip.get("address"):
            attr(ip, DEV + "/interface/ip", "family",
                 "ipv6" if ":" in ip.get("address") else "ipv4")
    for label in root.findall("seclabel"):
        if label.get("type") == "none" and label.get("model") is None:
            attr(label, "domain/seclabel", "model", "none")


def _consoles(devs, raw):
    """Consoles written without a target type are the container's own."""
    written = raw.findall("devices/console")
    for console, source in zip(devs.findall("console"), written):
        target = source.find("target")
        if target is None or target.get("type") is None:
            attr(console.find("target"), DEV + "/console/target", "type", "lxc")


def _filesystems(devs):
    for fs in devs.findall("filesystem"):
        if fs.get("accessmode") is None:
            attr(fs, DEV + "/filesystem", "accessmode", "passthrough")
        source = fs.find("source")
        if fs.get("type") == "ram" and source is not None and source.get("usage"):
            kib = numbers.scaled_kib(source.get("usage"), source.get("units"),
                                     "filesystem size")
            source.set("usage", str(kib))
            attr(source, DEV + "/filesystem/source", "units", "KiB")
