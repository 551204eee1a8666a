"""USB redirection and companion controllers on QEMU's command line."""
from lxml import etree

from virtsh.drivers.qemu import usbredir


def redir(text):
    return etree.fromstring(text)


def test_socket_backends_follow_the_source():
    tcp = redir("<redirdev bus='usb' type='tcp'><source mode='bind' host='0.0.0.0' "
                "service='4000'/><protocol type='telnet'/></redirdev>")
    assert usbredir.backend(tcp, "c") == "socket,id=c,host=0.0.0.0,port=4000,telnet=on," \
                                         "server=on,wait=off"
    unix = redir("<redirdev bus='usb' type='unix'><source path='/s'>"
                 "<reconnect enabled='yes' timeout='7'/></source></redirdev>")
    assert usbredir.backend(unix, "c") == "socket,id=c,path=/s,reconnect=7"


def test_spice_and_dbus_channels():
    assert usbredir.backend(redir("<redirdev bus='usb' type='spicevmc'/>"), "c") == \
        "spicevmc,id=c,name=usbredir"
    assert usbredir.backend(redir("<redirdev bus='usb' type='dbus'/>"), "c") == \
        "dbus,id=c,name=org.qemu.usbredir"


def test_device_sits_on_its_usb_port_with_its_boot_order():
    dev = usbredir.device(redir("<redirdev bus='usb' type='spicevmc'><boot order='2'/>"
                                "<address type='usb' bus='1' port='3'/></redirdev>"), 4)
    assert dev == {"driver": "usb-redir", "chardev": "charredir4", "id": "redir4",
                   "bootindex": 2, "bus": "usb1.0", "port": "3"}


def test_companion_controllers_attach_to_their_master():
    uhci = redir("<controller type='usb' index='0' model='ich9-uhci2'>"
                 "<master startport='2'/></controller>")
    assert usbredir.companion(uhci) == {"driver": "ich9-usb-uhci2", "masterbus": "usb.0",
                                        "firstport": 2}
    assert usbredir.companion(redir("<controller type='usb' index='0' model='ich9-ehci1'/>")) \
        is None
