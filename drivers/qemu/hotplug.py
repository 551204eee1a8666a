"""Devices of QEMU guests: attach, detach and update, persistent and live.

A mixin of QemuDomain.  The persistent definition is edited as XML and
passes the driver's defaults again (addresses, MACs ...).  A running guest
gets the device through QMP the way libvirt plugs it: ``blockdev-add`` of
the storage and format nodes plus ``device_add`` for disks, ``netdev_add``
plus ``device_add`` for NICs, ``device_del`` and the wait for QEMU to drop
the device before the back ends go, and the tray commands for removable
media.
"""
import json
import time

from virtsh.drivers import domain as D
from virtsh.drivers.errors import (VirtError, INTERNAL_ERROR, OPERATION_INVALID,
                                   OPERATION_FAILED, OPERATION_UNSUPPORTED,
                                   CONFIG_UNSUPPORTED, DEVICE_MISSING,
                                   SYSTEM_ERROR)
from virtsh.drivers.qemu import edits
from virtsh.drivers.qemu.running import RunningBase

AFFECT = D.AFFECT_LIVE | D.AFFECT_CONFIG
UNPLUG_WAIT = 5.0               # seconds libvirt waits for DEVICE_DELETED


def parse_device(xml):
    from virtsh.xmlconf import domain as xd
    from lxml import etree
    elem = xd.parse_document(xml, "device_definition")
    for node in elem.iter():
        if isinstance(node.tag, str):
            node.tail = None
            if len(node):
                node.text = None
    return etree.fromstring(etree.tostring(elem))


def _target(disk):
    t = disk.find("target")
    return t.get("dev") if t is not None else None


def _mac(nic):
    m = nic.find("mac")
    return (m.get("address") or "").lower() if m is not None else None


def find_device(root, dev):
    """The element of *root* that the device description *dev* names, or None."""
    candidates = root.findall("devices/" + dev.tag)
    if dev.tag == "disk":
        return next((d for d in candidates if _target(d) == _target(dev)), None)
    if dev.tag == "interface":
        mac = _mac(dev)
        if mac:
            return next((n for n in candidates if _mac(n) == mac), None)
        same = [n for n in candidates if n.get("type") == dev.get("type")]
        return same[0] if len(same) == 1 else None
    alias = dev.find("alias")
    for elem in candidates:
        if alias is not None and elem.find("alias") is not None:
            if elem.find("alias").get("name") == alias.get("name"):
                return elem
            continue
        if all(elem.get(k) == v for k, v in dev.attrib.items()):
            return elem
    return None


def _missing(dev):
    if dev.tag == "disk":
        return VirtError(OPERATION_FAILED, "no target device %s" % _target(dev))
    if dev.tag == "interface" and _mac(dev):
        return VirtError(DEVICE_MISSING, "no device found at address '(<null>)' matching "
                         "MAC address '%s' and alias '(<null>)'" % _mac(dev))
    return VirtError(OPERATION_FAILED, "matching %s device was not found" % dev.tag)


def _check_new(root, dev):
    if dev.tag == "disk" and find_device(root, dev) is not None:
        raise VirtError(OPERATION_INVALID, "target %s already exists" % _target(dev))
    if dev.tag == "interface" and _mac(dev) and find_device(root, dev) is not None:
        raise VirtError(OPERATION_INVALID, "domain already has interface with mac "
                        "address %s" % _mac(dev))


def _devices_signature(root):
    """Serialized devices (aliases left out), to find what defaults added."""
    from lxml import etree
    out = []
    for elem in root.find("devices"):
        if not isinstance(elem.tag, str):
            continue
        plain = etree.fromstring(etree.tostring(elem))
        for alias in plain.findall("alias"):
            plain.remove(alias)
        plain.tail = None
        out.append(etree.tostring(plain))
    return out


def completed_device(dom, live, dev):
    """*dev* as the driver's defaults complete it inside the live definition
    *live* (address, MAC, driver ...)."""
    from virtsh.drivers.qemu import qemuns
    from virtsh.xmlconf import domain as xd
    from lxml import etree
    before = dom.conn.prepare_definition(
        qemuns.format(xd.DomainDef(live), edits.XML_INACTIVE | edits.XML_SECURE)).tree
    trial = xd.copy_tree(live)
    trial.find("devices").append(etree.fromstring(etree.tostring(dev)))
    after = dom.conn.prepare_definition(
        qemuns.format(xd.DomainDef(trial), edits.XML_INACTIVE | edits.XML_SECURE)).tree
    old = _devices_signature(before)
    for elem, sig in zip(list(after.find("devices")), _devices_signature(after)):
        if sig in old:
            old.remove(sig)
        elif elem.tag == dev.tag:
            return elem
    raise VirtError(INTERNAL_ERROR, "cannot find the new %s device" % dev.tag)


def _alias_for(live, dev):
    """The alias a new device gets: libvirt's name, unused in *live*."""
    from virtsh.drivers.qemu import live as L
    from virtsh.xmlconf import domain as xd
    from lxml import etree
    trial = xd.copy_tree(live)
    copy = etree.fromstring(etree.tostring(dev))
    trial.find("devices").append(copy)
    L.assign_aliases(trial)
    used = {a.get("name") for a in live.iter("alias")}
    proposed = copy.find("alias").get("name") if copy.find("alias") is not None else None
    if proposed and proposed not in used:
        return proposed
    prefix = {"interface": "net", "disk": "disk"}.get(dev.tag, dev.tag)
    n = 0
    while "%s%d" % (prefix, n) in used:
        n += 1
    return "%s%d" % (prefix, n)


def _set_alias(dev, name):
    from lxml import etree
    for old in dev.findall("alias"):
        dev.remove(old)
    alias = etree.Element("alias", name=name)
    address = dev.find("address")
    (address.addprevious(alias) if address is not None else dev.append(alias))


def _alias(dev):
    a = dev.find("alias")
    return a.get("name") if a is not None else None


class _Plug:
    """QMP steps for one device of a running guest."""

    def __init__(self, mon, live):
        self.mon = mon
        self.live = live

    def _node_base(self):
        used = [0]
        for node in self.mon.cmd("query-named-block-nodes"):
            parts = node.get("node-name", "").split("-")
            if len(parts) == 3 and parts[0] == "libvirt" and parts[1].isdigit():
                used.append(int(parts[1]))
        return max(used) + 1

    def _disk_args(self, disk):
        """(blockdev-add argument dicts, device_add dict) of a disk."""
        from virtsh.drivers.qemu import command
        from virtsh.xmlconf import domain as xd
        trial = xd.copy_tree(self.live)
        devices = trial.find("devices")
        for elem in list(devices):
            devices.remove(elem)
        devices.append(xd.copy_tree(disk))
        for boot in trial.findall("os/boot"):
            boot.getparent().remove(boot)
        argv = []
        command._disks(trial, devices, argv.extend)
        blockdevs = [json.loads(v) for k, v in zip(argv, argv[1:]) if k == "-blockdev"]
        device = [json.loads(v) for k, v in zip(argv, argv[1:]) if k == "-device"][0]
        base = self._node_base()
        for spec in blockdevs:
            for key in ("node-name", "file"):
                if key in spec:
                    spec[key] = spec[key].replace("libvirt-1-", "libvirt-%d-" % base)
        if "drive" in device:
            device["drive"] = device["drive"].replace("libvirt-1-", "libvirt-%d-" % base)
        device["id"] = _alias(disk)
        return blockdevs, device

    def attach(self, dev):
        from virtsh.drivers.qemu import command
        from virtsh.drivers.qemu import live as L
        if dev.tag == "disk":
            if dev.get("device") in ("cdrom", "floppy"):
                raise VirtError(OPERATION_UNSUPPORTED, "cold plug of a %s is required"
                                % dev.get("device"))
            blockdevs, device = self._disk_args(dev)
            added = []
            try:
                for spec in blockdevs:
                    self.mon.cmd("blockdev-add", **spec)
                    added.append(spec["node-name"])
                self.mon.cmd("device_add", **device)
            except VirtError:
                for node in reversed(added):
                    self._quiet("blockdev-del", node_name=node)
                raise
            L.refresh_backing(dev)           # the live XML shows the chain
        elif dev.tag == "interface":
            if dev.get("type") != "user":
                raise VirtError(CONFIG_UNSUPPORTED, "live attach of interface type "
                                "'%s' is not supported" % dev.get("type"))
            alias = _alias(dev)
            n = int(alias[3:]) if alias.startswith("net") and alias[3:].isdigit() else 0
            argv = command._nic(dev, n)
            netdev, device = json.loads(argv[1]), json.loads(argv[3])
            device["id"] = alias
            self.mon.cmd("netdev_add", **netdev)
            try:
                self.mon.cmd("device_add", **device)
            except VirtError:
                self._quiet("netdev_del", id=netdev["id"])
                raise
        else:
            raise VirtError(OPERATION_UNSUPPORTED, "live attach of device '%s' is not "
                            "supported" % dev.tag)

    def detach(self, dev):
        """Unplug *dev*; True once QEMU has removed it."""
        alias = _alias(dev)
        if dev.tag not in ("disk", "interface") or not alias:
            raise VirtError(OPERATION_UNSUPPORTED, "live detach of device '%s' is not "
                            "supported" % dev.tag)
        if dev.tag == "disk" and dev.get("device") in ("cdrom", "floppy"):
            raise VirtError(OPERATION_UNSUPPORTED, "live detach of a %s is not "
                            "supported" % dev.get("device"))
        nodes = self._nodes_of(alias) if dev.tag == "disk" else []
        self.mon.cmd("device_del", id=alias)
        if not self._wait_gone(alias):
            return False
        for node in nodes:
            self._quiet("blockdev-del", node_name=node)
        if dev.tag == "interface":
            self._quiet("netdev_del", id="host" + alias)
        return True

    def _nodes_of(self, alias):
        """Node names (format first, then storage) behind device *alias*."""
        for block in self.mon.cmd("query-block"):
            if block.get("qdev") in (alias, "/machine/peripheral/%s/virtio-backend" % alias):
                inserted = block.get("inserted") or {}
                top = inserted.get("node-name")
                if not top:
                    return []
                image = inserted.get("image", {})
                nodes = [top]
                for node in self.mon.cmd("query-named-block-nodes"):
                    if node.get("node-name") != top and \
                            node.get("file") == image.get("filename") and \
                            node.get("node-name", "").startswith("libvirt-"):
                        nodes.append(node["node-name"])
                return nodes
        return []

    def _wait_gone(self, alias):
        deadline = time.monotonic() + UNPLUG_WAIT
        while True:
            children = self.mon.cmd("qom-list", path="/machine/peripheral")
            if not any(c["name"] == alias for c in children):
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)

    def change_media(self, old, new):
        """Eject the medium of removable disk *old*; insert *new*'s source."""
        alias = _alias(old)
        nodes = self._nodes_of(alias)
        self.mon.cmd("blockdev-open-tray", id=alias, force=True)
        self.mon.cmd("blockdev-remove-medium", id=alias)
        for node in nodes:
            self._quiet("blockdev-del", node_name=node)
        if new.find("source") is not None and (new.find("source").get("file")
                                               or new.find("source").get("dev")):
            _set_alias(new, alias)
            blockdevs, _ = self._disk_args(new)
            for spec in blockdevs:
                self.mon.cmd("blockdev-add", **spec)
            self.mon.cmd("blockdev-insert-medium", id=alias,
                         **{"node-name": blockdevs[-1]["node-name"]})
            self.mon.cmd("blockdev-close-tray", id=alias)

    def _quiet(self, command, **arguments):
        try:
            self.mon.cmd(command, **{k.replace("_", "-"): v for k, v in arguments.items()})
        except VirtError:
            pass


class HotplugMixin(RunningBase):
    """attach-device, detach-device, update-device and their relatives."""

    def attach_device(self, xml, flags=0):
        dev = parse_device(xml)
        with edits.editing(self, flags & AFFECT) as defs:
            if defs.config is not None:
                _check_new(defs.config, dev)
                defs.config.find("devices").append(parse_device(xml))
            if defs.live is not None:
                _check_new(defs.live, dev)
                new = completed_device(self, defs.live, dev)
                if new.tag == "disk":
                    check_source(new)
                _set_alias(new, _alias_for(defs.live, new))
                mon = self._monitor()
                try:
                    _Plug(mon, defs.live).attach(new)
                finally:
                    mon.close()
                defs.live.find("devices").append(new)

    def attach_device_current(self, xml):
        self.attach_device(xml, D.AFFECT_LIVE)

    def detach_device(self, xml, flags=0):
        dev = parse_device(xml)
        with edits.editing(self, flags & AFFECT) as defs:
            found = [(root, find_device(root, dev)) for root in defs.selected()]
            for root, elem in found:
                if elem is None:
                    raise _missing(dev)
            self._remove(defs, found)

    def detach_device_current(self, xml):
        self.detach_device(xml, D.AFFECT_LIVE)

    def detach_device_alias(self, alias, flags=0):
        with edits.editing(self, flags & AFFECT) as defs:
            found = []
            for root in defs.selected():
                elem = next((e for e in root.find("devices")
                             if isinstance(e.tag, str) and _alias(e) == alias), None)
                if elem is None:
                    raise VirtError(INTERNAL_ERROR, "no device found with alias %s"
                                    % alias)
                found.append((root, elem))
            self._remove(defs, found)

    def _remove(self, defs, found):
        for root, elem in found:
            if root is defs.live:
                mon = self._monitor()
                try:
                    removed = _Plug(mon, defs.live).detach(elem)
                finally:
                    mon.close()
                if not removed:
                    continue
            root.find("devices").remove(elem)

    def update_device(self, xml, flags=0):
        dev = parse_device(xml)
        if dev.tag == "interface":
            return self._update_link(dev, flags)
        if dev.tag != "disk" or dev.get("device") not in ("cdrom", "floppy"):
            raise VirtError(OPERATION_UNSUPPORTED, "update of device '%s' is not "
                            "supported" % dev.tag)
        with edits.editing(self, flags & AFFECT) as defs:
            for root in defs.selected():
                old = find_device(root, dev)
                if old is None:
                    raise _missing(dev)
                new = parse_device(xml)
                for keep in ("alias", "address"):
                    if new.find(keep) is None and old.find(keep) is not None:
                        new.append(parse_device(_text(old.find(keep))))
                if root is defs.live:
                    check_source(new)
                    mon = self._monitor()
                    try:
                        _Plug(mon, defs.live).change_media(old, new)
                    finally:
                        mon.close()
                old.getparent().replace(old, new)


    def _update_link(self, dev, flags):
        """The one change of an interface libvirt makes live: its link state."""
        from lxml import etree
        wanted = dev.find("link").get("state", "up") if dev.find("link") is not None \
            else "up"
        with edits.editing(self, flags & AFFECT) as defs:
            for root in defs.selected():
                nic = find_device(root, dev)
                if nic is None:
                    raise _missing(dev)
                if root is defs.live:
                    self._qmp_once_locked("set_link", name=_alias(nic), up=wanted == "up")
                link = nic.find("link")
                if link is None:
                    link = etree.SubElement(nic, "link")
                link.set("state", wanted)

    def _qmp_once_locked(self, command, **arguments):
        mon = self._monitor()
        try:
            return mon.cmd(command, **arguments)
        finally:
            mon.close()


def check_source(disk):
    """libvirt's error for plugging a disk whose source file is missing."""
    import os
    src = disk.find("source")
    path = src is not None and (src.get("file") or src.get("dev"))
    if not path:
        return
    try:
        os.stat(path)
    except OSError as e:
        raise VirtError(SYSTEM_ERROR, "Cannot access storage file '%s': %s"
                        % (path, os.strerror(e.errno))) from None


def _text(elem):
    from lxml import etree
    return etree.tostring(elem).decode()
