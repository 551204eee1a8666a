"""veth pairs of a container's interfaces, set up with iproute2's ``ip``.

The host end keeps the interface's target name (joined to the bridge of
``type='bridge'``); the peer moves into the container's network
namespace, where it takes the guest name, MAC, addresses and routes.
"""
import subprocess

IP = "ip"


class NetError(Exception):
    """A step of the network set-up failed (the message says which)."""


def ip(*args):
    done = subprocess.run((IP,) + args, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise NetError("ip %s: %s" % (" ".join(args), done.stderr.strip()))


def _address(addr, prefix, family, peer):
    if prefix is None:
        prefix = "128" if family == "ipv6" or ":" in addr else "24"
    spec = ["addr", "add", "%s/%s" % (addr, prefix)]
    return spec + (["peer", peer] if peer else [])


def create_host_ends(nets, netns_pid):
    """Create each pair, configure the host end, move the peer to *netns_pid*."""
    for net in nets:
        ip("link", "add", net["host"], "type", "veth", "peer", "name", net["peer"])
        ip("link", "set", net["peer"], "address", net["mac"])
        if net["bridge"]:
            ip("link", "set", net["host"], "master", net["bridge"])
        for spec in net["host_ips"]:
            ip(*_address(*spec), "dev", net["host"])
        ip("link", "set", net["host"], "up")
        ip("link", "set", net["peer"], "netns", str(netns_pid))


def configure_guest_ends(nets):
    """Inside the container's namespace: names, addresses, routes, links up."""
    ip("link", "set", "lo", "up")
    for net in nets:
        ip("link", "set", net["peer"], "name", net["guest"])
        for spec in net["ips"]:
            ip(*_address(*spec), "dev", net["guest"])
        ip("link", "set", net["guest"], "up")
        for family, address, prefix, gateway in net["routes"]:
            dest = "default" if address in ("0.0.0.0", "::") and not prefix else (
                "%s/%s" % (address, prefix) if prefix else address)
            ip("-6" if family == "ipv6" else "-4", "route", "add", dest, "via", gateway,
               "dev", net["guest"])


def remove_host_ends(names):
    """Delete host ends still present (the peers die with the namespace)."""
    for name in names:
        subprocess.run((IP, "link", "del", name), stdin=subprocess.DEVNULL,
                       capture_output=True)


def guest_addresses(pid):
    """[(name, mac, [(family, address, prefix)])] inside the netns of *pid*."""
    import json
    done = subprocess.run(("nsenter", "-t", str(pid), "-n", IP, "-j", "addr", "show"),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True)
    out = []
    for link in json.loads(done.stdout or "[]"):
        if link.get("ifname") == "lo":
            continue
        addrs = [(a["family"], a["local"], a["prefixlen"]) for a in link.get("addr_info", [])
                 if a.get("family") in ("inet", "inet6")]
        out.append((link["ifname"], link.get("address", ""), addrs))
    return out
