"""The UEFI variable store (NVRAM) of a guest with a pflash loader.

A start creates the store from its template when it does not exist yet;
undefine removes it (--nvram) or keeps it (--keep-nvram), and refuses to
guess when asked neither.
"""
import glob
import os
import shutil

from virtsh.drivers.errors import VirtError, OPERATION_FAILED, OPERATION_INVALID, SYSTEM_ERROR

# Firmware descriptors (QEMU's firmware.json), highest priority first.
DESCRIPTOR_DIRS = ("/etc/qemu/firmware", "/usr/share/qemu/firmware")


def store_path(root):
    """The local file of the guest's variable store, or None."""
    nvram = root.find("os/nvram")
    if nvram is None or nvram.get("type") not in (None, "file"):
        return None
    return (nvram.text or "").strip() or None


def prepare(root):
    """Create the variable store from its template if it is missing."""
    path = store_path(root)
    if path is None or os.path.exists(path):
        return
    loader = root.findtext("os/loader", "").strip()
    template = root.find("os/nvram").get("template") or template_of(loader)
    if template is None:
        raise VirtError(OPERATION_FAILED,
                        "unable to find any master var store for loader: %s" % loader)
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        shutil.copyfile(template, path)
        os.chmod(path, 0o600)
    except OSError as e:
        raise VirtError(SYSTEM_ERROR, "Failed to create file '%s': %s"
                        % (path, e.strerror)) from None


def template_of(loader):
    """The variables template the firmware descriptors pair with the code
    file *loader*, or None."""
    import json
    for directory in DESCRIPTOR_DIRS:
        for descriptor in sorted(glob.glob(os.path.join(directory, "*.json"))):
            try:
                with open(descriptor) as f:
                    mapping = json.load(f).get("mapping", {})
            except (OSError, ValueError, AttributeError):
                continue
            if mapping.get("executable", {}).get("filename") == loader:
                template = mapping.get("nvram-template", {}).get("filename")
                if template:
                    return template
    return None


def on_undefine(root, flags):
    """Remove or keep the variable store as undefine's *flags* say."""
    from virtsh.drivers import domain as D
    path = store_path(root)
    if path is None or not os.path.exists(path):
        return
    if flags & D.UNDEFINE_NVRAM:
        try:
            os.unlink(path)
        except OSError as e:
            raise VirtError(SYSTEM_ERROR, "failed to remove nvram: %s: %s"
                            % (path, e.strerror)) from None
    elif not flags & D.UNDEFINE_KEEP_NVRAM:
        raise VirtError(OPERATION_INVALID, "cannot undefine domain with nvram")
