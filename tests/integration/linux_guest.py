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


def build_initramfs(path, after_ready="", extra_entries=()):
    """Write a gzip'd cpio initramfs to *path*; *after_ready* is extra shell,
    *extra_entries* more files (_newc entries)."""
    import gzip
    entries = [_newc(d, stat.S_IFDIR | 0o755) for d in ("bin", "proc", "sys", "dev", "lib")]
    with open(BUSYBOX, "rb") as f:
        entries.append(_newc("bin/busybox", stat.S_IFREG | 0o755, f.read()))
    entries.append(_newc("init", stat.S_IFREG | 0o755, (INIT % after_ready).encode()))
    entries.extend(module_entries(m for m in ("drivers/input/evdev.ko", "drivers/acpi/button.ko")
                                  if os.path.exists(_module_file(m))))
    entries.extend(extra_entries)
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


# --- booting from a disk: the initramfs only loads drivers and switch_root's ---

DISK_BOOT_MODULES = (           # insmod order: dependencies first
    "drivers/virtio/virtio_ring.ko", "drivers/virtio/virtio.ko",
    "drivers/virtio/virtio_pci_legacy_dev.ko", "drivers/virtio/virtio_pci_modern_dev.ko",
    "drivers/virtio/virtio_pci.ko", "drivers/block/virtio_blk.ko",
    "net/core/failover.ko", "drivers/net/net_failover.ko", "drivers/net/virtio_net.ko",
    "lib/crc16.ko", "crypto/crc32c_generic.ko", "fs/mbcache.ko", "fs/jbd2/jbd2.ko",
    "fs/ext4/ext4.ko")
DISK_LOADER_INIT = """#!/bin/busybox sh
/bin/busybox mount -t devtmpfs dev /dev
for module in %s; do /bin/busybox insmod /lib/$module; done
n=0
while [ ! -b /dev/vda ] && [ $n -lt 300 ]; do /bin/busybox sleep 0.1; n=$((n+1)); done
/bin/busybox mount -t ext4 /dev/vda /root || echo ROOT-MOUNT-FAILED > /dev/ttyS0
/bin/busybox umount /dev
exec /bin/busybox switch_root /root /sbin/init
"""
DISK_ROOT_INIT = """#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
%s
while true; do sleep 1; done
"""


def _module_file(module):
    return "/lib/modules/%s/kernel/%s" % (kernel()[1], module)


def module_entries(modules):
    """Initramfs entries putting each kernel module (a path below the host
    kernel's kernel/ directory) at /lib/NAME.ko."""
    entries = []
    for module in modules:
        with open(_module_file(module), "rb") as f:
            entries.append(_newc("lib/" + os.path.basename(module),
                                 stat.S_IFREG | 0o644, f.read()))
    return entries


def disk_boot_available():
    """Whether the kernel's virtio and ext4 drivers exist as plain .ko files."""
    return available() and all(os.path.exists(_module_file(m)) for m in DISK_BOOT_MODULES)


def build_disk_loader(path):
    """Write an initramfs that mounts /dev/vda (virtio, ext2/3/4) as the root
    and runs its /sbin/init: the guest then truly runs from its disk."""
    import gzip
    entries = [_newc(d, stat.S_IFDIR | 0o755) for d in ("bin", "dev", "lib", "root")]
    with open(BUSYBOX, "rb") as f:
        entries.append(_newc("bin/busybox", stat.S_IFREG | 0o755, f.read()))
    entries.extend(module_entries(DISK_BOOT_MODULES))
    names = " ".join(os.path.basename(m) for m in DISK_BOOT_MODULES)
    entries.append(_newc("init", stat.S_IFREG | 0o755, (DISK_LOADER_INIT % names).encode()))
    entries.append(_newc("TRAILER!!!", 0))
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(b"".join(entries))
    return path


def build_root_tree(directory, init_body, scripts=None):
    """Lay out a busybox root filesystem in *directory* (for mkfs -d): its
    /sbin/init runs *init_body*; *scripts* maps more paths to shell text."""
    for sub in ("bin", "sbin", "proc", "sys", "dev", "tmp", "etc"):
        os.makedirs(os.path.join(directory, sub), exist_ok=True)
    shutil.copy(BUSYBOX, os.path.join(directory, "bin", "busybox"))
    texts = dict(scripts or {}, **{"sbin/init": DISK_ROOT_INIT % init_body})
    for name, text in texts.items():
        path = os.path.join(directory, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o755)
    return directory


# --- a guest with the QEMU guest agent -------------------------------------------

QEMU_GA = shutil.which("qemu-ga") or shutil.which("qemu-ga", path="/usr/sbin:/sbin")
AGENT_MODULES = DISK_BOOT_MODULES + ("drivers/char/virtio_console.ko",)
# Run after READY: drivers, /dev/virtio-ports names (there is no udev), the
# disk (if any) on /mnt, the NIC up, then qemu-ga on its port.
AGENT_START = """export PATH=/sbin:/usr/sbin:/bin:/usr/bin
hostname agentguest
for pass in 1 2; do        # a module whose dependency came later loads next time
  for module in %s; do insmod /lib/$module 2>/dev/null; done
done
n=0
while [ ! -e /sys/class/virtio-ports/vport0p1 ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n+1)); done
mkdir -p /dev/virtio-ports
for port in /sys/class/virtio-ports/*; do
  ln -sf /dev/${port##*/} /dev/virtio-ports/$(cat $port/name)
done
[ -b /dev/vda ] && mount -t ext4 /dev/vda /mnt
ip link set lo up
ip link set eth0 up 2>/dev/null && ip addr add 10.0.2.15/24 dev eth0
%s
echo AGENT-STARTING > /dev/ttyS0
"""
QEMU_GA_COMMAND = ("qemu-ga -m virtio-serial -p /dev/virtio-ports/org.qemu.guest_agent.0 "
                   "-d -f /run/qemu-ga.pid")
# Stand-ins for what qemu-ga runs and busybox lacks (or keeps elsewhere).
GUEST_TOOLS = {
    "sbin/shutdown": """#!/bin/sh
case " $* " in *" -r "*) exec /bin/busybox reboot -f;; esac
exec /bin/busybox poweroff -f
""",
    "usr/sbin/chpasswd": """#!/bin/sh
IFS=: read -r user pass
grep -q "^$user:" /etc/shadow || exit 1
[ "$1" = "-e" ] || pass=$(mkpasswd -m sha512 "$pass")
sed -i "s|^$user:[^:]*:|$user:$pass:|" /etc/shadow
""",
    "etc/passwd": "root:x:0:0:root:/root:/bin/sh\n",
    "etc/shadow": "root:*:19000:0:99999:7:::\n",
    "etc/os-release": 'NAME="virtsh test guest"\nID=virtshtest\nVERSION_ID=1\n'
                      'PRETTY_NAME="virtsh test guest 1"\n',
}


def agent_available():
    return QEMU_GA is not None and disk_boot_available() and \
        os.path.exists(_module_file(AGENT_MODULES[-1]))


def _libraries(binary):
    """The shared libraries and dynamic loader *binary* needs (ldd's paths)."""
    import subprocess
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    paths = []
    for line in out.splitlines():
        words = line.split()
        path = words[2] if "=>" in words and len(words) > 2 else words[0]
        if path.startswith("/"):
            paths.append(path)
    return paths


def build_agent_initramfs(path, agent_command=QEMU_GA_COMMAND):
    """An initramfs like build_initramfs's whose guest also starts the guest
    agent (*agent_command*: another command may hold the port instead)."""
    names = " ".join(os.path.basename(m) for m in AGENT_MODULES)
    files = {"usr/sbin/qemu-ga": QEMU_GA}
    files.update({p.lstrip("/"): p for p in _libraries(QEMU_GA)})
    files.update({"lib/" + os.path.basename(m): _module_file(m) for m in AGENT_MODULES})
    dirs = {"sbin", "usr", "usr/sbin", "etc", "mnt", "run", "tmp", "root", "var", "var/run"}
    for name in list(files) + list(GUEST_TOOLS):
        parent = os.path.dirname(name)
        while parent:
            dirs.add(parent)
            parent = os.path.dirname(parent)
    dirs -= {"bin", "proc", "sys", "dev", "lib"}        # build_initramfs makes those
    entries = [_newc(d, stat.S_IFDIR | 0o755) for d in sorted(dirs)]
    for name, source in files.items():
        with open(source, "rb") as f:
            entries.append(_newc(name, stat.S_IFREG | 0o755, f.read()))
    for name, text in GUEST_TOOLS.items():
        mode = 0o755 if text.startswith("#!") else 0o600 if "shadow" in name else 0o644
        entries.append(_newc(name, stat.S_IFREG | mode, text.encode()))
    entries.append(_newc("sbin/hwclock", stat.S_IFLNK | 0o777, b"/bin/busybox"))
    return build_initramfs(path, AGENT_START % (names, agent_command), entries)
