"""USB redirection on QEMU's command line: a ``<redirdev bus='usb'>`` is a
character device (its backend: a TCP or unix socket, the SPICE client's
``usbredir`` channel, or D-Bus) and a ``usb-redir`` device on the guest's
USB bus; a USB 1 companion controller (``<master startport=.../>``) is a
UHCI function attached to its EHCI master."""
COMPANIONS = {"ich9-uhci1": "ich9-usb-uhci1", "ich9-uhci2": "ich9-usb-uhci2",
              "ich9-uhci3": "ich9-usb-uhci3"}


def usb_bus(index):
    """QEMU's name of the bus of USB controller *index*."""
    return "usb.0" if str(index) == "0" else "usb%s.0" % index


def companion(controller):
    """The device of a companion controller (its PCI placement still to add),
    or None if *controller* is none."""
    master = controller.find("master")
    if master is None or controller.get("model") not in COMPANIONS:
        return None
    return {"driver": COMPANIONS[controller.get("model")],
            "masterbus": usb_bus(controller.get("index", "0")),
            "firstport": int(master.get("startport", "0"))}


def backend(redir, chardev):
    """The -chardev value behind redirdev *redir*."""
    kind, source = redir.get("type"), redir.find("source")
    if kind == "spicevmc":
        return "spicevmc,id=%s,name=usbredir" % chardev
    if kind == "dbus":
        return "dbus,id=%s,name=org.qemu.usbredir" % chardev
    if kind == "tcp":
        value = "socket,id=%s,host=%s,port=%s" % (chardev, source.get("host"),
                                                  source.get("service"))
        if redir.find("protocol[@type='telnet']") is not None:
            value += ",telnet=on"
    else:                                       # unix
        value = "socket,id=%s,path=%s" % (chardev, source.get("path"))
    if source is not None and source.get("mode") == "bind":
        value += ",server=on,wait=off"
    reconnect = source.find("reconnect[@enabled='yes']") if source is not None else None
    if reconnect is not None:
        value += ",reconnect=%s" % reconnect.get("timeout")
    return value


def device(redir, i):
    """The usb-redir device of the *i*-th redirdev (its chardev: ``backend``)."""
    dev = {"driver": "usb-redir", "chardev": "charredir%d" % i, "id": "redir%d" % i}
    boot = redir.find("boot")
    if boot is not None:
        dev["bootindex"] = int(boot.get("order"))
    addr = redir.find("address[@type='usb']")
    if addr is not None:
        dev["bus"] = usb_bus(addr.get("bus", "0"))
        dev["port"] = addr.get("port")
    return dev
