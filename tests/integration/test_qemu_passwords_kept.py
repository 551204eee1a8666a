"""A graphics password survives save, restore and hot-plug, and is shown
only with --security-info."""
import os

from qemu_env import guest_xml

VNC = "<graphics type='vnc' port='-1' autoport='yes' passwd='s3cret'/>"


def test_save_image_keeps_the_password_and_shows_it_only_when_asked(host):
    host.define(guest_xml("pw", VNC))
    host.virtsh("start", "pw")
    image = os.path.join(host.root, "pw.sav")
    host.virtsh("save", "pw", image)
    plain = host.virtsh("save-image-dumpxml", image).stdout
    secure = host.virtsh("save-image-dumpxml", image, "--security-info").stdout
    assert "<graphics type='vnc'" in plain and "s3cret" not in plain
    assert "passwd='s3cret'" in secure
    host.virtsh("restore", image)
    assert host.state("pw") == "running (restored)"
    assert "s3cret" not in host.virtsh("dumpxml", "pw").stdout
    assert "passwd='s3cret'" in host.virtsh("dumpxml", "pw", "--security-info").stdout
    host.virtsh("destroy", "pw")
    assert "passwd='s3cret'" in host.virtsh("dumpxml", "pw", "--inactive",
                                            "--security-info").stdout
