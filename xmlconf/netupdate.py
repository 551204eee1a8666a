"""virNetworkUpdate: change one section of a network definition.

``apply(defn, command, section, parent_index, xml) -> NetworkDef`` adds,
deletes or replaces one element (a DHCP host or range, a DNS record, a
port group, a forward interface) in a copy of the definition, with
libvirt's checks and messages.
"""
from virtsh.drivers.errors import (
    VirtError, OPERATION_INVALID, OPERATION_UNSUPPORTED, XML_ERROR)
from virtsh.xmlconf import objxml

# section -> (container path below <network>, element tag, identifying
# attributes, what libvirt calls the entry)
_SECTIONS = {
    "ip-dhcp-host": ("ip/dhcp", "host", ("mac", "name", "ip"), "dhcp host"),
    "ip-dhcp-range": ("ip/dhcp", "range", ("start", "end"), "dhcp range"),
    "dns-host": ("dns", "host", ("ip",), "DNS HOST record"),
    "dns-txt": ("dns", "txt", ("name",), "DNS TXT record"),
    "dns-srv": ("dns", "srv", ("service", "protocol", "domain", "target"),
                "DNS SRV record"),
    "forward-interface": ("forward", "interface", ("dev",), "forward interface"),
    "portgroup": ("", "portgroup", ("name",), "portgroup"),
}


def apply(defn, command, section, parent_index, xml):
    """Apply update *command* ("add-first", "add-last", "delete", "modify")
    to *section* of *defn* (changed in place and returned)."""
    from virtsh.xmlconf import network
    name = defn.name
    spec = _SECTIONS.get(section)
    if spec is None:
        raise VirtError(OPERATION_UNSUPPORTED, "can't update '%s' section of "
                        "network '%s'" % (section, name))
    container_path, tag, keys, what = spec
    new = objxml.parse_root(xml, tag, "network_update_xml")
    objxml.canonical(new, network.ORDER, "network/" + (container_path + "/" if
                                                      container_path else "") + tag)
    container = _container(defn.tree, container_path, parent_index, section, name)
    same = [e for e in container.findall(tag)
            if all(e.get(k) == new.get(k) for k in keys if new.get(k) is not None)]
    if command in ("add-first", "add-last"):
        if same:
            raise VirtError(OPERATION_INVALID, "there is an existing %s entry in "
                            "network '%s' that matches \"%s\""
                            % (what, name, objxml.write(new).strip()))
        siblings = container.findall(tag)
        if command == "add-first" and siblings:
            siblings[0].addprevious(new)
        elif siblings:
            siblings[-1].addnext(new)
        else:
            container.append(new)
    elif command == "delete":
        if not same:
            raise VirtError(OPERATION_INVALID, "couldn't locate a matching %s entry "
                            "in network '%s'" % (what, name))
        container.remove(same[0])
    elif command == "modify":
        if section == "ip-dhcp-range":
            raise VirtError(OPERATION_UNSUPPORTED, "dhcp ranges cannot be modified, "
                            "only added or deleted")
        key = keys[0]
        match = [e for e in container.findall(tag) if e.get(key) == new.get(key)]
        if not match:
            raise VirtError(OPERATION_INVALID, "couldn't locate an existing %s entry "
                            "with \"%s='%s'\" in network '%s'"
                            % (what, key, new.get(key), name))
        match[0].addnext(new)
        container.remove(match[0])
    else:
        raise VirtError(OPERATION_UNSUPPORTED, "can't update '%s' section of "
                        "network '%s'" % (section, name))
    objxml.canonical(defn.tree, network.ORDER)
    return defn


def _container(root, path, parent_index, section, name):
    """The element updates of *section* go into, created when missing."""
    if not path:
        return root
    first, _, rest = path.partition("/")
    if first == "ip":
        ips = [ip for ip in root.findall("ip") if ip.get("family") != "ipv6"]
        if parent_index is not None and parent_index >= 0:
            ips = root.findall("ip")[parent_index:parent_index + 1]
        if not ips:
            raise VirtError(XML_ERROR, "can't update '%s' section of network '%s' - "
                            "no IPv4 address" % (section, name))
        elem = ips[0]
    else:
        elem = root.find(first)
        if elem is None:
            elem = objxml.element(first)
            root.append(elem)
    for part in filter(None, rest.split("/")):
        child = elem.find(part)
        if child is None:
            child = objxml.element(part)
            elem.insert(0, child)
        elem = child
    return elem
