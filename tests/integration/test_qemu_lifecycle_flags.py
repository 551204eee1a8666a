"""The flags of start, create, destroy, shutdown, reboot and undefine on
real QEMU (qemu:///embed), with virsh's messages."""
import os
import signal

import pytest

import linux_guest
from qemu_env import QEMU, guest_xml, needs_qemu, wait_for

pytestmark = needs_qemu

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
needs_ovmf = pytest.mark.skipif(not os.path.exists(OVMF_CODE),
                                reason="OVMF is not installed (package ovmf)")



def failed(proc, *lines):
    """The command failed with exactly these error lines."""
    assert proc.returncode == 1
    assert proc.stderr == "".join("error: %s\n" % line for line in lines)


def disk(target, path, fmt="raw"):
    return ("<disk type='file' device='disk'><driver name='qemu' type='%s'/>"
            "<source file='%s'/><target dev='%s' bus='virtio'/></disk>" % (fmt, path, target))


# --- undefine -----------------------------------------------------------------

@needs_ovmf
def test_undefine_nvram_and_keep_nvram(host):
    loader = "<loader readonly='yes' type='pflash'>%s</loader>" % OVMF_CODE
    host.define(guest_xml("efi", os_extra=loader))
    store = os.path.join(host.root, "lib", "qemu", "nvram", "efi_VARS.fd")
    assert "<nvram>%s</nvram>" % store in host.virtsh("dumpxml", "efi").stdout
    assert not os.path.exists(store)
    host.virtsh("start", "efi")         # the store is made from the firmware's template
    with open(store, "rb") as mine, open(OVMF_VARS, "rb") as template:
        assert mine.read() == template.read()
    argv = open("/proc/%d/cmdline" % host.status("efi")["pid"], "rb").read().split(b"\0")
    assert b"pflash0=libvirt-pflash0-format,pflash1=libvirt-pflash1-format" in argv[
        argv.index(b"-machine") + 1]
    host.virtsh("destroy", "efi")

    failed(host.virtsh("undefine", "efi", "--nvram", "--keep-nvram", check=False),
           "Options --nvram and --keep-nvram are mutually exclusive")
    failed(host.virtsh("undefine", "efi", check=False),
           "Failed to undefine domain 'efi'",
           "Requested operation is not valid: cannot undefine domain with nvram")
    assert host.virtsh("undefine", "efi", "--keep-nvram").stdout == \
        "Domain 'efi' has been undefined\n\n"
    assert os.path.exists(store)

    host.define(guest_xml("efi", os_extra=loader))
    host.virtsh("undefine", "efi", "--nvram")
    assert not os.path.exists(store)
    assert host.virtsh("list", "--all", "--name").stdout.split() == []


def test_undefine_managed_save(host):
    host.define(guest_xml("vm1"))
    host.virtsh("start", "vm1")
    assert host.virtsh("managedsave", "vm1").stdout == "\nDomain 'vm1' state saved by libvirt\n\n"
    image = os.path.join(host.root, "lib", "qemu", "save", "vm1.save")
    assert os.path.exists(image)
    failed(host.virtsh("undefine", "vm1", check=False),
           "Refusing to undefine while domain managed save image exists")
    host.virtsh("undefine", "vm1", "--managed-save")
    assert not os.path.exists(image)
    assert host.virtsh("list", "--all", "--name").stdout.split() == []


def _pool_with_volumes(host, *names, fmt="raw"):
    pool = os.path.join(host.root, "pool")
    host.virtsh("pool-define-as", "p1", "dir", "--target", pool)
    host.virtsh("pool-build", "p1")
    host.virtsh("pool-start", "p1")
    for name in names:
        host.virtsh("vol-create-as", "p1", name, "1M", "--format", fmt)
    return pool


def test_undefine_storage_by_target_and_source(host):
    pool = _pool_with_volumes(host, "a.img", "b.img", "c.img")
    loose = os.path.join(host.root, "loose.img")
    open(loose, "wb").close()
    disks = (disk("vda", pool + "/a.img") + disk("vdb", pool + "/b.img")
             + disk("vdc", pool + "/c.img") + disk("vdd", loose))
    host.define(guest_xml("vm1", disks))

    unknown = host.virtsh("undefine", "vm1", "--storage", "vda,vdz", check=False)
    assert unknown.returncode == 1
    assert unknown.stderr == "error: Volume 'vdz' was not found in domain's definition.\n\n"
    assert host.virtsh("list", "--all", "--name").stdout.split() == ["vm1"]

    out = host.virtsh("undefine", "vm1", "--storage", "vda,%s/c.img,vdd" % pool)
    assert out.stdout == ("Domain 'vm1' has been undefined\n"
                          "Volume 'vda'(%s/a.img) removed.\n"
                          "Volume 'vdc'(%s/c.img) removed.\n\n" % (pool, pool))
    assert out.stderr == ("error: Storage volume 'vdd'(%s) is not managed by libvirt. "
                          "Remove it manually.\n\n" % loose)
    assert sorted(os.listdir(pool)) == ["b.img"]
    assert os.path.exists(loose)


def test_undefine_remove_all_storage_with_wipe(host):
    pool = _pool_with_volumes(host, "a.img", "b.img")
    with open(pool + "/a.img", "wb") as f:
        f.write(b"secret" * 1000)
    host.define(guest_xml("vm1", disk("vda", pool + "/a.img") + disk("vdb", pool + "/b.img")))
    failed(host.virtsh("undefine", "vm1", "--wipe-storage", check=False),
           "'--wipe-storage' requires '--storage <string>' or '--remove-all-storage'")
    failed(host.virtsh("undefine", "vm1", "--storage", "vda", "--remove-all-storage",
                       check=False),
           "Specified both --storage and --remove-all-storage")
    out = host.virtsh("undefine", "vm1", "--remove-all-storage", "--wipe-storage")
    assert out.stdout == ("Domain 'vm1' has been undefined\n"
                          "Wiping volume 'vda'(%s/a.img) ... Done.\n"
                          "Volume 'vda'(%s/a.img) removed.\n"
                          "Wiping volume 'vdb'(%s/b.img) ... Done.\n"
                          "Volume 'vdb'(%s/b.img) removed.\n\n" % ((pool,) * 4))
    assert os.listdir(pool) == []
    assert ".img" not in host.virtsh("vol-list", "p1").stdout


def test_undefine_storage_of_running_domain_is_refused(host):
    host.define(guest_xml("vm1"))
    host.virtsh("start", "vm1")
    failed(host.virtsh("undefine", "vm1", "--remove-all-storage", check=False),
           "Storage volume deletion is supported only on stopped domains")
    assert host.state("vm1") == "running (booted)"
    host.virtsh("destroy", "vm1")


def test_undefine_snapshots_metadata(host):
    pool = _pool_with_volumes(host, "a.qcow2", fmt="qcow2")
    host.define(guest_xml("vm1", disk("vda", pool + "/a.qcow2", "qcow2")))
    host.virtsh("snapshot-create-as", "vm1", "s1")
    failed(host.virtsh("undefine", "vm1", check=False),
           "Failed to undefine domain 'vm1'",
           "Requested operation is not valid: cannot delete inactive domain with 1 snapshots")
    host.virtsh("undefine", "vm1", "--snapshots-metadata")
    assert host.virtsh("list", "--all", "--name").stdout.split() == []
    assert os.path.exists(pool + "/a.qcow2")      # metadata only: the disk stays


# --- start and create ---------------------------------------------------------

def test_start_paused_and_create_paused(host):
    host.define(guest_xml("vm1"))
    assert host.virtsh("start", "vm1", "--paused").stdout == "Domain 'vm1' started\n\n"
    assert host.state("vm1") == "paused (user)"
    host.virtsh("resume", "vm1")
    assert host.state("vm1") == "running (unpaused)"
    host.virtsh("destroy", "vm1")

    path = os.path.join(host.root, "t.xml")
    with open(path, "w") as f:
        f.write(guest_xml("t1"))
    assert host.virtsh("create", path, "--paused").stdout == \
        "Domain 't1' created from %s\n\n" % path
    assert host.state("t1") == "paused (user)"
    host.virtsh("destroy", "t1")
    assert host.virtsh("domstate", "t1", check=False).returncode == 1   # transient: gone


def test_autodestroy_ends_with_the_virtsh_process(host):
    host.define(guest_xml("vm1"))
    # one-shot: the connection closes when virtsh exits, and the guest goes
    assert host.virtsh("start", "vm1", "--autodestroy").stdout == "Domain 'vm1' started\n\n"
    assert host.state("vm1") == "shut off (destroyed)"
    # several commands on one connection: it lives until the last is done
    out = host.virtsh("start vm1 --autodestroy; domstate vm1 --reason").stdout
    assert "running (booted)" in out
    assert host.state("vm1") == "shut off (destroyed)"

    path = os.path.join(host.root, "t.xml")
    with open(path, "w") as f:
        f.write(guest_xml("t1"))
    host.virtsh("create", path, "--autodestroy")
    assert host.virtsh("list", "--all", "--name").stdout.split() == ["vm1"]   # transient: gone
    assert not os.path.exists(os.path.join(host.root, "run", "qemu", "t1.status"))
    assert qemu_pids("t1") == []


def qemu_pids(name):
    """Live (not zombie) QEMU processes of the guest *name*."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            argv = open("/proc/%s/cmdline" % entry, "rb").read().split(b"\0")
            state = open("/proc/%s/stat" % entry).read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if ("guest=%s,debug-threads=on" % name).encode() in argv and state != "Z":
            found.append(int(entry))
    return found


def test_console_without_a_terminal(host):
    host.define(guest_xml("vm1"))
    proc = host.virtsh("start", "vm1", "--console", check=False)
    assert proc.stdout == "Domain 'vm1' started\n\n"
    failed(proc, "Cannot run interactive console without a controlling TTY")
    assert host.state("vm1") == "running (booted)"      # started all the same
    host.virtsh("destroy", "vm1")

    path = os.path.join(host.root, "t.xml")
    with open(path, "w") as f:
        f.write(guest_xml("t1"))
    proc = host.virtsh("create", path, "--console", check=False)
    failed(proc, "Cannot run interactive console without a controlling TTY")
    assert host.state("t1") == "running (booted)"
    host.virtsh("destroy", "t1")


def test_force_boot_and_bypass_cache_with_a_managed_save(host):
    host.define(guest_xml("vm1"))
    image = os.path.join(host.root, "lib", "qemu", "save", "vm1.save")
    host.virtsh("start", "vm1")
    host.virtsh("managedsave", "vm1")
    host.virtsh("start", "vm1", "--bypass-cache")
    assert host.state("vm1") == "running (restored)"
    assert not os.path.exists(image)

    host.virtsh("managedsave", "vm1")
    assert os.path.exists(image)
    assert host.virtsh("start", "vm1", "--force-boot").stdout == "Domain 'vm1' started\n\n"
    assert host.state("vm1") == "running (booted)"
    assert not os.path.exists(image)
    host.virtsh("destroy", "vm1")


def test_create_validate(host):
    path = os.path.join(host.root, "bad.xml")
    with open(path, "w") as f:
        f.write(guest_xml("bad", "<bogus/>"))
    for command, verb in (("create", "create"), ("define", "define")):
        proc = host.virtsh(command, path, "--validate", check=False)
        assert proc.returncode == 1
        assert proc.stderr.startswith(
            "error: Failed to %s domain from %s\n"
            "error: XML document failed to validate against schema: " % (verb, path))
        assert "Extra element devices in interleave" in proc.stderr
    # without --validate the unknown element is dropped, as libvirt does
    host.virtsh("create", path)
    assert host.state("bad") == "running (booted)"
    host.virtsh("destroy", "bad")


# --- stopping -------------------------------------------------------------------

def test_destroy_graceful(host):
    host.define(guest_xml("vm1"))
    host.virtsh("start", "vm1")
    assert host.virtsh("destroy", "vm1", "--graceful").stdout == "Domain 'vm1' destroyed\n\n"
    assert host.state("vm1") == "shut off (destroyed)"

    host.virtsh("start", "vm1")
    pid = host.status("vm1")["pid"]
    os.kill(pid, signal.SIGSTOP)            # a QEMU that cannot act on SIGTERM
    try:
        failed(host.virtsh("destroy", "vm1", "--graceful", check=False),
               "Failed to destroy domain 'vm1'",
               "Failed to terminate process %d with SIGTERM: Device or resource busy" % pid)
        assert host.state("vm1") == "paused (user)" or host.state("vm1").startswith("running")
    finally:
        os.kill(pid, signal.SIGCONT)
    # the SIGTERM stays pending: once QEMU runs again, it acts on it
    wait_for(lambda: host.state("vm1") == "shut off (destroyed)", 30, "QEMU to end")


@pytest.mark.skipif(not linux_guest.available(),
                    reason="needs busybox-static and a kernel in /boot")
def test_reboot_and_shutdown_mode_acpi(host):
    initrd = linux_guest.build_initramfs(os.path.join(host.root, "initrd.gz"))
    serial = os.path.join(host.root, "serial.log")
    host.define(linux_guest.guest_xml("linux", "qemu", QEMU, initrd, serial))
    host.virtsh("start", "linux")

    def readies():
        try:
            return open(serial, errors="replace").read().count("READY")
        except FileNotFoundError:
            return 0
    wait_for(lambda: readies() == 1, 120, "the guest to boot")
    assert host.virtsh("reboot", "linux", "--mode", "acpi").stdout == \
        "Domain 'linux' is being rebooted\n\n"
    wait_for(lambda: readies() == 2, 120, "the guest to boot again")
    assert host.state("linux") == "running (booted)"
    assert host.virtsh("shutdown", "linux", "--mode", "acpi").stdout == \
        "Domain 'linux' is being shutdown\n\n"
    wait_for(lambda: host.state("linux") != "running (booted)", 90, "the guest to power off")
    assert host.state("linux") == "shut off (shutdown)"
