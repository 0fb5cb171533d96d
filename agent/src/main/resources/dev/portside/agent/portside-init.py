"""The init of a Portside namespace instance, run inside the instance's network namespace.

It reads the config drive Portside wrote (openstack/latest/meta_data.json and network_data.json,
OpenStack's formats), sets the hostname, brings every link up by its MAC (an unaddressed port is a
link with no address), adds each address and the default route, installs the public keys, and
then runs the instance's SSH server on its addresses. Its output is the instance's console log.

usage: python3 portside-init.py CONFIG_DIR
"""
import json
import os
import socket
import subprocess
import sys
import time


def log(message):
    print(time.strftime("%Y-%m-%dT%H:%M:%S") + " portside-init: " + message, flush=True)


def run(*command):
    subprocess.run(command, check=True)


def interfaces_by_mac():
    found = {}
    for name in os.listdir("/sys/class/net"):
        with open(f"/sys/class/net/{name}/address") as f:
            found[f.read().strip().lower()] = name
    return found


def main(config):
    latest = os.path.join(config, "openstack", "latest")
    with open(os.path.join(latest, "meta_data.json")) as f:
        meta = json.load(f)
    with open(os.path.join(latest, "network_data.json")) as f:
        network = json.load(f)

    hostname = meta.get("hostname", "instance")
    socket.sethostname(hostname)
    log(f"hostname {hostname}")
    run("ip", "link", "set", "lo", "up")

    macs = interfaces_by_mac()
    links = {}
    for link in network.get("links", []):
        name = macs.get(link["ethernet_mac_address"].lower())
        if name is None:
            log(f"no interface with MAC {link['ethernet_mac_address']} for port {link.get('vif_id')}")
            continue
        links[link["id"]] = name
        run("ip", "link", "set", name, "mtu", str(link.get("mtu", 1500)), "up")
        log(f"{name} {link['ethernet_mac_address']} up")

    listen = []
    has_default = {4: False, 6: False}
    for net in network.get("networks", []):
        name = links.get(net["link"])
        if name is None:
            continue
        version = 4 if net["type"] == "ipv4" else 6
        prefix = net["netmask"] if version == 6 else str(sum(bin(int(o)).count("1") for o in net["netmask"].split(".")))
        run("ip", "-" + str(version), "addr", "replace", f"{net['ip_address']}/{prefix}", "dev", name)
        log(f"{name} {net['ip_address']}/{prefix}")
        listen.append(net["ip_address"])
        for route in net.get("routes", []):
            if route["network"] in ("0.0.0.0", "::") and not has_default[version]:
                run("ip", "-" + str(version), "route", "replace", "default", "via", route["gateway"], "dev", name)
                has_default[version] = True
                log(f"default route via {route['gateway']}")
    for link_id, name in links.items():
        if not any(net["link"] == link_id for net in network.get("networks", [])):
            log(f"{name} has no address (unaddressed port)")

    keys = os.path.join(config, "authorized_keys")
    with open(keys, "w") as f:
        for key in meta.get("public_keys", {}).values():
            f.write(key.strip() + "\n")
    os.chmod(keys, 0o600)
    host_key = os.path.join(config, "ssh_host_ed25519_key")
    if not os.path.exists(host_key):
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", host_key)
    if not listen:
        log("no address: no SSH server; the instance stays up")
        while True:
            time.sleep(3600)
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    log("ssh server on " + ", ".join(listen))
    sys.stdout.flush()
    command = ["/usr/sbin/sshd", "-D", "-e", "-f", "/dev/null", "-o", "HostKey=" + host_key,
               "-o", "AuthorizedKeysFile=" + keys, "-o", "PermitRootLogin=prohibit-password",
               "-o", "PasswordAuthentication=no", "-o", "UsePAM=no", "-o", "PidFile=none",
               # The config dir sits in Portside's data dir; its parents are not sshd's business.
               "-o", "StrictModes=no"]
    for address in listen:
        command += ["-o", "ListenAddress=" + (f"[{address}]" if ":" in address else address)]
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1])
