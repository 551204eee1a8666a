"""What the QEMU driver's migratable XML leaves out beyond the generic view.

Devices every QEMU host adds on its own when it loads a definition are
dropped so that the destination (or an older libvirt there) adds its own:
the default USB controller (no model, or piix3-uhci but on Q35), a lone
``pci-root``, a lone audio backend of a default kind (none, spice) that
sets nothing.  Controllers go only when they are the only one of their
kind and carry no user alias.  The socket path a start chose for a virtio
channel in the domain's channel directory goes too: the destination's
start chooses its own.  libvirt formats a copy of the definition made by
formatting and parsing it, which numbers virtio consoles by position.
"""
from virtsh.drivers.qemu.defaults import is_q35

DEFAULT_AUDIO_TYPES = ("none", "spice")


def strip(root):
    """Edit the <domain> tree *root* (a copy) for a migratable view."""
    devs = root.find("devices")
    if devs is None:
        return root
    usb = devs.findall("controller[@type='usb']")
    pci = devs.findall("controller[@type='pci']")
    implicit = []
    os_type = root.find("os/type")
    usb_models = (None,) if is_q35(os_type.get("machine", "")) else (None, "piix3-uhci")
    if len(usb) == 1 and _default(usb[0]) and usb[0].get("model") in usb_models:
        implicit.append(usb[0])
    if (len(pci) == 1 and _default(pci[0]) and pci[0].get("model") == "pci-root"
            and pci[0].find("pcihole64") is None):
        implicit.append(pci[0])
    if implicit:
        _reorder_controllers(devs, [c for c in devs.findall("controller")
                                    if c not in implicit])
    audio = devs.findall("audio")
    if len(audio) == 1 and _default_audio(audio[0]):
        devs.remove(audio[0])
    for position, console in enumerate(devs.findall("console")):
        target = console.find("target[@type='virtio']")
        if target is not None:      # the copy libvirt formats is parsed anew
            target.set("port", str(position))
    for channel in devs.findall("channel[@type='unix']"):
        target, source = channel.find("target"), channel.find("source")
        if (target is not None and target.get("type") == "virtio" and source is not None
                and _chosen_channel_path(source.get("path", ""))):
            channel.remove(source)
    return root


def _reorder_controllers(devs, kept):
    """Put the *kept* controllers in place of all of them, in the order
    libvirt re-adds them one by one: ahead of the first of the same type
    with a higher index, else after the last of that type, else last."""
    at = list(devs).index(devs.find("controller"))
    order = []
    for c in kept:
        where = None
        for i in range(len(order) - 1, -1, -1):
            if order[i].get("type") == c.get("type"):
                if _index(order[i]) > _index(c):
                    where = i
                elif where is None:
                    where = i + 1
        order.insert(len(order) if where is None else where, c)
    for c in devs.findall("controller"):
        devs.remove(c)
    for offset, c in enumerate(order):
        devs.insert(at + offset, c)


def _index(controller):
    return int(controller.get("index", "0"))


def _default(controller):
    """Index 0 and no user alias: a controller the host may re-create."""
    alias = controller.find("alias")
    return controller.get("index") == "0" and (
        alias is None or not alias.get("name", "").startswith("ua-"))


def _default_audio(audio):
    return (audio.get("type") in DEFAULT_AUDIO_TYPES and not len(audio)
            and set(audio.attrib) <= {"id", "type"})


def _chosen_channel_path(path):
    """A socket in a domain's channel directory (LIB/channel/target/domain-ID-NAME/)."""
    parts = path.split("/")
    return (len(parts) >= 4 and parts[-4:-2] == ["channel", "target"]
            and parts[-2].startswith("domain-"))
