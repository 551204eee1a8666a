"""Virtual networks on this host, without a daemon.

A driver gets libvirt's networks by mixing ``LocalNetworkMixin`` into its
Connection and defining ``_network_dirs()`` -> (config_dir, state_dir):
persistent definitions live in ``config_dir/NAME.xml`` (autostart links in
``config_dir/autostart``), a running network's live definition in
``state_dir/NAME.xml`` beside its dnsmasq files and ports, so every
process sees the same networks.  netsetup.py does the host plumbing.
"""
import os

from virtsh.drivers import files, netsetup
from virtsh.drivers import network as N
from virtsh.drivers.errors import (
    VirtError, INTERNAL_ERROR, NO_NETWORK, NO_NETWORK_PORT, OPERATION_FAILED,
    OPERATION_INVALID, check_flags)
from virtsh.drivers.listing import wanted


def _remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


class LocalNetwork(N.Network):
    """A handle on a network (its files are read again on every call)."""

    def __init__(self, conn, name, uuid):
        super().__init__(conn)
        self._name = name
        self._uuid = uuid

    def name(self):
        return self._name

    def uuid(self):
        return self._uuid

    def _state(self):
        """(live definition or None, persistent definition or None)."""
        return self.conn._network_state(self._name)

    def _files(self):
        return netsetup.NetworkFiles(self.conn._network_dirs()[1], self._name)

    def is_active(self):
        return self._state()[0] is not None

    def is_persistent(self):
        return self._state()[1] is not None

    def autostart(self):
        return os.path.lexists(self.conn._network_path(self._name, "autostart"))

    def set_autostart(self, enabled):
        if self._state()[1] is None:
            raise VirtError(OPERATION_INVALID, "cannot set autostart for transient network")
        link = self.conn._network_path(self._name, "autostart")
        if enabled and not os.path.lexists(link):
            os.makedirs(os.path.dirname(link), mode=0o700, exist_ok=True)
            os.symlink(self.conn._network_path(self._name, "config"), link)
        elif not enabled and os.path.lexists(link):
            os.unlink(link)

    def bridge_name(self):
        live, config = self._state()
        bridge = (live or config).bridge
        if not bridge:
            raise VirtError(INTERNAL_ERROR, "network '%s' does not have a bridge name."
                            % self._name)
        return bridge

    def xml_desc(self, flags=0):
        from virtsh.xmlconf import network
        check_flags(flags, N.XML_INACTIVE, "networkGetXMLDesc")
        live, config = self._state()
        if flags & N.XML_INACTIVE and config is not None:
            return network.format(config)
        return network.format(live or config)

    def create(self):
        live, config = self._state()
        if live is not None:
            raise VirtError(OPERATION_INVALID, "network is already active")
        self.conn._start_network(config)

    def destroy(self):
        live, config = self._state()
        if live is None:
            raise VirtError(OPERATION_INVALID, "network '%s' is not active" % self._name)
        netsetup.tear_down(live, self._files())
        import shutil
        shutil.rmtree(self.conn._network_path(self._name, "ports"), ignore_errors=True)
        _remove(self._files().leases)
        _remove(self.conn._network_path(self._name, "state"))

    def undefine(self):
        live, config = self._state()
        if config is None:
            raise VirtError(OPERATION_INVALID, "network '%s' is not persistent"
                            % self._name)
        _remove(self.conn._network_path(self._name, "autostart"))
        _remove(self.conn._network_path(self._name, "config"))

    def update(self, command, section, parent_index, xml, flags=0):
        from virtsh.xmlconf import netupdate, network
        check_flags(flags, N.UPDATE_AFFECT_LIVE | N.UPDATE_AFFECT_CONFIG, "networkUpdate")
        live, config = self._state()
        if not flags & (N.UPDATE_AFFECT_LIVE | N.UPDATE_AFFECT_CONFIG):
            flags |= N.UPDATE_AFFECT_LIVE if live is not None else N.UPDATE_AFFECT_CONFIG
        if flags & N.UPDATE_AFFECT_CONFIG and config is None:
            raise VirtError(OPERATION_INVALID, "cannot change persistent config of a "
                            "transient network")
        if flags & N.UPDATE_AFFECT_LIVE and live is None:
            raise VirtError(OPERATION_INVALID, "network is not running")
        command, section = N.UPDATE_COMMANDS[command], N.UPDATE_SECTIONS[section]
        changed = {}
        if flags & N.UPDATE_AFFECT_LIVE:
            changed["state"] = netupdate.apply(live.copy(), command, section,
                                               parent_index, xml)
        if flags & N.UPDATE_AFFECT_CONFIG:
            changed["config"] = netupdate.apply(config.copy(), command, section,
                                                parent_index, xml)
        for which, defn in changed.items():
            files.save_config(self.conn._network_path(self._name, which), network.format(defn))
        if "state" in changed:
            netsetup.apply_live_update(changed["state"], self._files(), section)

    def dhcp_leases(self, mac=None, flags=0):
        import ipaddress
        import time
        check_flags(flags, 0, "networkGetDHCPLeases")
        live = self._state()[0]
        if live is None:
            return []
        prefixes = [(iface.network, iface.network.prefixlen)
                    for iface, _ in netsetup.ip_networks(live)]
        now = time.time()
        result = []
        for expiry, lease_mac, ip, hostname, clientid, iaid in netsetup.read_leases(
                self._files()):
            if lease_mac is None:          # a DUID without a MAC: libvirt has none either
                continue
            if mac and lease_mac.lower() != mac.lower():
                continue
            if expiry and expiry < now:
                continue
            addr = ipaddress.ip_address(ip)
            prefix = next((p for net, p in prefixes if addr in net), 0)
            result.append({"iface": live.bridge, "expirytime": expiry,
                           "type": 1 if addr.version == 6 else 0,     # libvirt's IPV6/IPV4
                           "mac": lease_mac, "iaid": iaid, "ipaddr": ip,
                           "prefix": prefix, "hostname": hostname,
                           "clientid": clientid})
        return result

    # --- ports --------------------------------------------------------------
    def _ports_dir(self):
        if self._state()[0] is None:
            raise VirtError(OPERATION_INVALID, "network '%s' is not active" % self._name)
        return self.conn._network_path(self._name, "ports")

    def list_all_ports(self, flags=0):
        check_flags(flags, 0, "networkListAllPorts")
        directory = self._ports_dir()
        names = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
        return [LocalPort(self, n[:-4]) for n in names if n.endswith(".xml")]

    def lookup_port_by_uuid(self, uuid):
        port = LocalPort(self, uuid.lower())
        if not os.path.isfile(port._path()):
            raise VirtError(NO_NETWORK_PORT, "Network port with UUID %s does not exist"
                            % uuid)
        return port

    def create_port(self, xml, flags=0):
        from virtsh.xmlconf import objxml
        check_flags(flags, 1, "networkPortCreateXML")
        root = objxml.parse_root(xml, "networkport", "networkport")
        objxml.ensure_uuid(root)
        uuid = root.findtext("uuid")
        network = root.find("network")
        if network is None:
            network = objxml.element("network")
            root.find("uuid").addnext(network)
        network.text = self._name
        port = LocalPort(self, uuid)
        path = os.path.join(self._ports_dir(), uuid + ".xml")
        if os.path.exists(path):
            raise VirtError(OPERATION_FAILED, "network port with uuid %s already exists"
                            % uuid)
        files.save_config(path, objxml.write(root))
        return port


class LocalPort(N.NetworkPort):
    """A port of a running network, kept as XML in the network's state."""

    def __init__(self, network, uuid):
        super().__init__(network)
        self._uuid = uuid

    def uuid(self):
        return self._uuid

    def _path(self):
        return os.path.join(self.network._ports_dir(), self._uuid + ".xml")

    def xml_desc(self, flags=0):
        check_flags(flags, 0, "networkPortGetXMLDesc")
        try:
            with open(self._path()) as f:
                return f.read()
        except FileNotFoundError:
            raise VirtError(NO_NETWORK_PORT, "Network port with UUID %s does not exist"
                            % self._uuid) from None

    def delete(self, flags=0):
        check_flags(flags, 0, "networkPortDelete")
        self.xml_desc()
        os.unlink(self._path())


class LocalNetworkMixin:
    """The network part of a Connection keeping networks on this host."""

    def _network_dirs(self):
        """(config_dir, state_dir) of this connection's networks."""
        raise NotImplementedError

    def _network_path(self, name, which):
        config, state = self._network_dirs()
        return {"config": os.path.join(config, name + ".xml"),
                "autostart": os.path.join(config, "autostart", name + ".xml"),
                "state": os.path.join(state, name + ".xml"),
                "ports": os.path.join(state, name + ".ports")}[which]

    def _read_network(self, path):
        from virtsh.xmlconf import network
        try:
            with open(path) as f:
                return network.parse(f.read())
        except (OSError, VirtError):
            return None

    def _network_names(self):
        names = set()
        for directory in self._network_dirs():
            if os.path.isdir(directory):
                names.update(e[:-4] for e in os.listdir(directory) if e.endswith(".xml"))
        return sorted(names)

    def _network_state(self, name):
        """(live definition or None, persistent definition or None)."""
        live = self._read_network(self._network_path(name, "state"))
        config = self._read_network(self._network_path(name, "config"))
        if live is None and config is None:
            raise VirtError(NO_NETWORK, "no network with matching name '%s'" % name)
        return live, config

    def _networks(self):
        """name -> (live, config) of every network."""
        found = {}
        for name in self._network_names():
            try:
                found[name] = self._network_state(name)
            except VirtError:
                continue
        return found

    def _check_new_network(self, defn, live):
        """libvirt's name, UUID and bridge clash checks; returns the
        existing (live, config) of the same network or None."""
        same = None
        for name, (other_live, other_config) in self._networks().items():
            other = other_live or other_config
            if other.uuid == defn.uuid and name != defn.name:
                raise VirtError(OPERATION_FAILED, "network '%s' is already defined "
                                "with uuid %s" % (name, other.uuid))
            if name == defn.name:
                if other.uuid != defn.uuid:
                    raise VirtError(OPERATION_FAILED, "network '%s' already exists "
                                    "with uuid %s" % (name, other.uuid))
                if live and other_live is not None:
                    raise VirtError(OPERATION_INVALID, "network is already active as "
                                    "'%s'" % name)
                same = (other_live, other_config)
                continue
            bridges = {d.bridge for d in (other_live, other_config) if d is not None}
            if defn.bridge and defn.bridge in bridges:
                raise VirtError(INTERNAL_ERROR, "bridge name '%s' already in use."
                                % defn.bridge)
        return same

    def _fill_in(self, defn, same):
        """Give a managed network a free virbrN bridge name and a MAC, as
        libvirt does when it first sees the definition."""
        from virtsh.xmlconf import objxml
        if netsetup.mode_of(defn) not in netsetup.MANAGED_MODES:
            return
        bridge = defn.tree.find("bridge")
        previous = next((d for d in same or () if d is not None), None)
        if not bridge.get("name") or "%d" in bridge.get("name"):
            if previous is not None and previous.bridge:
                name = previous.bridge
            else:
                template = bridge.get("name") or "virbr%d"
                used = netsetup.host_links()
                for live, config in self._networks().values():
                    used.update(d.bridge for d in (live, config) if d is not None)
                name = next(template % i for i in range(256) if template % i not in used)
            attrs = [(k, v) for k, v in bridge.attrib.items() if k != "name"]
            bridge.attrib.clear()
            bridge.set("name", name)
            for k, v in attrs:
                bridge.set(k, v)
        if defn.tree.find("mac") is None:
            mac = previous.tree.find("mac") if previous is not None else None
            address = mac.get("address") if mac is not None else \
                "52:54:00:%02x:%02x:%02x" % tuple(os.urandom(3))
            elem = objxml.element("mac", {"address": address})
            anchor = defn.tree.find("mtu")
            (anchor if anchor is not None else bridge).addnext(elem)

    def _start_network(self, defn):
        from virtsh.xmlconf import network
        netsetup.check_can_start(defn)
        state_dir = self._network_dirs()[1]
        os.makedirs(state_dir, mode=0o700, exist_ok=True)
        net_files = netsetup.NetworkFiles(state_dir, defn.name)
        try:
            netsetup.bring_up(defn, net_files)
        except BaseException:
            netsetup.tear_down(defn, net_files)
            raise
        files.save_config(self._network_path(defn.name, "state"), network.format(defn))

    def _autostart_networks(self):
        """Once per boot: forget networks a previous boot left running (their
        bridges and dnsmasq died with it), start the autostart ones."""
        from virtsh.drivers.bootmark import first_since_boot
        config, state = self._network_dirs()
        if not first_since_boot(state):
            return
        import shutil
        for entry in os.listdir(state):
            if not entry.startswith("."):
                path = os.path.join(state, entry)
                if os.path.isdir(path):
                    shutil.rmtree(path)
                else:
                    os.unlink(path)
        links = os.path.join(config, "autostart")
        for entry in sorted(os.listdir(links)) if os.path.isdir(links) else ():
            defn = self._read_network(os.path.join(config, entry))
            if defn is not None:
                try:
                    self._start_network(defn)
                except (VirtError, OSError):
                    pass

    # --- APIs -------------------------------------------------------------
    def list_all_networks(self, flags=0):
        check_flags(flags, 0x3f, "connectListAllNetworks")
        result = []
        for name, (live, config) in self._networks().items():
            net = LocalNetwork(self, name, (live or config).uuid)
            if (wanted(flags, N.LIST_ACTIVE, N.LIST_INACTIVE, live is not None)
                    and wanted(flags, N.LIST_PERSISTENT, N.LIST_TRANSIENT,
                               config is not None)
                    and wanted(flags, N.LIST_AUTOSTART, N.LIST_NO_AUTOSTART,
                               net.autostart())):
                result.append(net)
        return result

    def lookup_network_by_name(self, name):
        if "/" in name:
            raise VirtError(NO_NETWORK, "no network with matching name '%s'" % name)
        live, config = self._network_state(name)
        return LocalNetwork(self, name, (live or config).uuid)

    def lookup_network_by_uuid(self, uuid):
        key = uuid.replace("-", "").lower()
        for name, (live, config) in self._networks().items():
            defn = live or config
            if defn.uuid.replace("-", "").lower() == key:
                return LocalNetwork(self, name, defn.uuid)
        raise VirtError(NO_NETWORK, "no network with matching uuid '%s'" % uuid)

    def define_network(self, xml, flags=0):
        from virtsh.xmlconf import network
        check_flags(flags, 1, "networkDefineXMLFlags")
        defn = network.parse(xml)
        netsetup.validate(defn)
        same = self._check_new_network(defn, live=False)
        self._fill_in(defn, same)
        files.save_config(self._network_path(defn.name, "config"), network.format(defn))
        return LocalNetwork(self, defn.name, defn.uuid)

    def create_network(self, xml, flags=0):
        from virtsh.xmlconf import network
        check_flags(flags, 1, "networkCreateXMLFlags")
        defn = network.parse(xml)
        netsetup.validate(defn)
        same = self._check_new_network(defn, live=True)
        self._fill_in(defn, same)
        self._start_network(defn)
        return LocalNetwork(self, defn.name, defn.uuid)

    def network_bridge(self, name):
        """The host bridge a guest NIC with <source network='NAME'/> joins
        (for the QEMU driver's tap set-up); the network must be running."""
        live, _ = self._network_state(name)
        if live is None:
            raise VirtError(OPERATION_INVALID, "network '%s' is not active" % name)
        if not live.bridge:
            raise VirtError(INTERNAL_ERROR, "network '%s' does not have a bridge name."
                            % name)
        return live.bridge

    def network_leases_for_mac(self, mac):
        """Every (network name, lease dict) whose MAC is *mac*: what
        ``domifaddr --source lease`` reports for a guest NIC."""
        found = []
        for name, (live, _) in self._networks().items():
            if live is not None:
                net = LocalNetwork(self, name, live.uuid)
                found += [(name, lease) for lease in net.dhcp_leases(mac)]
        return found
