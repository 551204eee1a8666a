"""The guests of test_qemu_migratable and their reference outputs: libvirt
9.0's ``dumpxml --migratable`` of each, running and inactive, and the
``save-image-dumpxml`` of its save image, recorded with
the real virsh in embed mode (no daemon) by running this module:

    python3 tests/integration/migratable_ref.py

Outputs are normalized (uuid, MAC addresses, the image directory) so that
they compare across hosts and runs.
"""
import os
import re
import subprocess
import sys
import tempfile

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "migratable")
GUESTS = ("pc-diskless", "q35-bare", "pc-chain-sound", "pc-vnc-nic", "pc-agent", "q35-agent",
          "pc-spice-redir")
VIEWS = ("running", "inactive", "saved")     # the last: save-image-dumpxml


def prepare(name, workdir):
    """The definition of guest *name* with its images created in *workdir*."""
    img = ["qemu-img", "create", "-q", "-f", "qcow2"]
    subprocess.run(img + [os.path.join(workdir, "base.qcow2"), "64M"], check=True)
    subprocess.run(img + ["-b", os.path.join(workdir, "base.qcow2"), "-F", "qcow2",
                          os.path.join(workdir, "top.qcow2")], check=True)
    subprocess.run(img + [os.path.join(workdir, "plain.qcow2"), "64M"], check=True)
    with open(os.path.join(DATA, name + ".xml")) as f:
        xml = f.read().replace("@DIR@", workdir)
    path = os.path.join(workdir, name + ".xml")
    with open(path, "w") as f:
        f.write(xml)
    return path


def normalize(text, workdir):
    """*text* without what differs between hosts and runs."""
    text = re.sub(r"<uuid>[^<]*</uuid>", "<uuid>UUID</uuid>", text)
    text = re.sub(r"<mac address='[^']*'/>", "<mac address='MAC'/>", text)
    return text.replace(workdir, "@DIR@")


def expected(name, view):
    with open(os.path.join(DATA, "%s.%s.xml" % (name, view))) as f:
        return f.read()


def _record(virsh="/usr/bin/virsh"):
    for name in GUESTS:
        with tempfile.TemporaryDirectory() as workdir:
            os.chmod(workdir, 0o755)    # libvirt's QEMU runs as its own user
            uri = "qemu:///embed?root=%s" % os.path.join(workdir, "root")
            path = prepare(name, workdir)

            def run(*args):
                proc = subprocess.run([virsh, "-q", "-c", uri, *args],
                                      capture_output=True, text=True, timeout=120)
                if proc.returncode:
                    raise RuntimeError("virsh %s: %s" % (" ".join(args), proc.stderr))
                return proc.stdout
            run("define", path)
            # one virsh process: an embedded driver's guests end with it
            image = os.path.join(workdir, "image")
            out = run("start {0} --paused; dumpxml --migratable {0}; echo @@; "
                      "dumpxml --inactive --migratable {0}; echo @@; save {0} {1}; "
                      "save-image-dumpxml {1}".format(name, image))
            views = dict(zip(VIEWS, out.split("@@")))
            for view, text in views.items():
                with open(os.path.join(DATA, "%s.%s.xml" % (name, view)), "w") as f:
                    f.write(normalize(text, workdir))
        print("recorded", name, file=sys.stderr)


if __name__ == "__main__":
    _record()
