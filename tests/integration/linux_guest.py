"""A real Linux guest for the integration tests: the host's kernel from
/boot and a tiny initramfs around busybox-static (built here, in Python).

The guest prints READY on its serial port, then waits for the ACPI power
button (an event on its input device) and powers off, so ACPI shutdown, reboot and
guest-initiated power-off can all be tested.
"""
import glob
import os
import shutil
import stat

BUSYBOX = shutil.which("busybox")
INIT = """#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /lib/evdev.ko 2>/dev/null
insmod /lib/button.ko 2>/dev/null
for dev in /sys/class/input/event*; do
  if grep -q "Power Button" $dev/device/name; then
    (head -c 1 /dev/input/${dev##*/} >/dev/null; poweroff -f) &
  fi
done
sleep 1
echo READY > /dev/ttyS0
%s
while true; do sleep 1; done
"""


def kernel():
    """(vmlinuz, release) of an installed kernel, or (None, None)."""
    for path in sorted(glob.glob("/boot/vmlinuz-*"), reverse=True):
        if os.access(path, os.R_OK):
            return path, os.path.basename(path)[len("vmlinuz-"):]
    return None, None


def available():
    return BUSYBOX is not None and kernel()[0] is not None


def _newc(name, mode, data=b"", ino=[1000]):
    ino[0] += 1
    name_b = name.encode() + b"\0"
    header = "070701" + "".join("%08x" % v for v in (
        ino[0], mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_b), 0))
    out = header.encode() + name_b
    out += b"\0" * (-len(out) % 4) + data
    return out + b"\0" * (-len(out) % 4)


def build_initramfs(path, after_ready=""):
    """Write a gzip'd cpio initramfs to *path*; *after_ready* is extra shell."""
    import gzip
    release = kernel()[1]
    entries = [_newc(d, stat.S_IFDIR | 0o755) for d in ("bin", "proc", "sys", "dev", "lib")]
    with open(BUSYBOX, "rb") as f:
        entries.append(_newc("bin/busybox", stat.S_IFREG | 0o755, f.read()))
    entries.append(_newc("init", stat.S_IFREG | 0o755, (INIT % after_ready).encode()))
    for module in ("drivers/input/evdev.ko", "drivers/acpi/button.ko"):
        full = "/lib/modules/%s/kernel/%s" % (release, module)
        if os.path.exists(full):
            with open(full, "rb") as f:
                entries.append(_newc("lib/" + os.path.basename(module),
                                     stat.S_IFREG | 0o644, f.read()))
    entries.append(_newc("TRAILER!!!", 0))
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(b"".join(entries))
    return path


def guest_xml(name, domain_type, emulator, initrd, serial_log, on_poweroff="destroy"):
    vmlinuz = kernel()[0]
    return """<domain type='%s'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>%s</kernel>
    <initrd>%s</initrd>
    <cmdline>console=ttyS0 quiet panic=-1</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <on_poweroff>%s</on_poweroff>
  <devices>
    <emulator>%s</emulator>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (domain_type, name, vmlinuz, initrd, on_poweroff, emulator, serial_log)
