"""domxml-to-native / domxml-from-native on the QEMU driver: the argv
virtsh would run, compared with what libvirt 9.0 printed for the same
documents (the conformance corpus), and libvirt's errors."""
import os
import re

import pytest

from qemu_env import DOMAIN_TYPE, guest_xml, needs_qemu

pytestmark = needs_qemu

CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared",
                      "conformance", "xml")
needs_corpus = pytest.mark.skipif(not os.path.isdir(CORPUS),
                                  reason="the conformance corpus is not beside the repo")

# Inputs covering memory sizing, boot options, firmware, disks, chardevs,
# controllers, graphics and USB redirection.
CASES = ("boot-menu-disable-with-timeout", "reboot-timeout-disabled",
         "firmware-manual-efi-nvram-template", "disk-virtio", "serial-many-chardev",
         "usb-controller-default-q35", "graphics-vnc", "iothreads-ids", "pci-many",
         "usb-redir", "usb-redir-boot", "usb-redir-unix")


def words(argv_text, lib_dir):
    """An argv line as comparable words: virtsh's state directory in place of
    libvirt's, without libvirtd's environment and its master-key secret."""
    text = argv_text.strip().replace(lib_dir, "/var/lib/libvirt/qemu")
    out, skip = [], False
    items = text.split(" ")
    for i, word in enumerate(items):
        if skip:
            skip = False
        elif re.match(r"^(PATH|HOME|XDG_[A-Z_]+)=", word):
            continue
        elif word == "-object" and "masterKey0" in items[i + 1]:
            skip = True
        else:
            out.append(word)
    return out


@needs_corpus
@pytest.mark.parametrize("case", CASES)
def test_to_native_matches_libvirt(host, case):
    folder = os.path.join(CORPUS, case)
    proc = host.virtsh("domxml-to-native", "qemu-argv", os.path.join(folder, "in.xml"))
    with open(os.path.join(folder, "qemu.args")) as f:
        expected = f.read()
    lib_dir = os.path.join(host.root, "lib", "qemu")
    assert words(proc.stdout, lib_dir) == words(expected, lib_dir)
    assert proc.stdout.startswith("LC_ALL=C ") and proc.stdout.endswith("\n")


def test_to_native_of_a_defined_domain(host):
    host.define(guest_xml("vm1"))
    argv = host.virtsh("domxml-to-native", "qemu-argv", "--domain", "vm1").stdout.split()
    assert argv[argv.index("-name") + 1] == "guest=vm1,debug-threads=on"
    assert argv[argv.index("-m") + 1] == "128"
    assert argv[argv.index("-machine") + 1].startswith("pc-i440fx-7.2,")


def test_to_native_errors(host):
    path = os.path.join(host.root, "g.xml")
    with open(path, "w") as f:
        f.write(guest_xml("vm1"))
    proc = host.virtsh("domxml-to-native", "vmx", path, check=False)
    assert (proc.returncode, proc.stderr) == (1, "error: invalid argument: unsupported "
                                                 "config type vmx\n")
    proc = host.virtsh("domxml-to-native", "qemu-argv", check=False)
    assert (proc.returncode, proc.stderr) == (1, "error: need either domain or domain XML\n")
    with open(path, "w") as f:
        f.write(guest_xml("vm1").replace("<domain type='%s'>" % DOMAIN_TYPE,
                                         "<domain type='xen'>"))
    proc = host.virtsh("domxml-to-native", "qemu-argv", path, check=False)
    assert proc.returncode == 1
    assert proc.stderr.endswith("does not support virt type 'xen'\n")


def test_from_native_is_not_supported(host):
    path = os.path.join(host.root, "argv")
    with open(path, "w") as f:
        f.write("LC_ALL=C /usr/bin/qemu-system-x86_64 -name guest=x -m 128\n")
    proc = host.virtsh("domxml-from-native", "qemu-argv", path, check=False)
    assert proc.returncode == 1
    assert proc.stdout == "\n"            # virsh's blank line after a command
    assert proc.stderr == ("error: this function is not supported by the connection "
                           "driver: virConnectDomainXMLFromNative\n")
