"""Dataplane benchmark against a running Portside with the namespace driver (as root).

1. Boot to SSH: boots one server at a time (a management port), N times, and measures from
   POST /servers to ACTIVE, and to the first successful SSH login with its key pair.
2. Throughput: the spec's scenario (VM1 on net1, VM2 NATing between two unaddressed ports without
   port security, VM3 on net2) plus VM4, a peer of VM1 on net1; iperf3 VM1->VM3 through VM2 against
   VM1->VM4 on the same bridge, in the same run, both through Portside's port filtering. Then the
   same path through VM2 with port security ON on its unaddressed ports (Portside's MAC filtering,
   a security group allowing the iperf3 port), against the unfiltered path, alternating over rounds.

usage: dataplane.py IDENTITY_PORT PASSWORD [N]
"""
import http.client, json, os, statistics, subprocess, sys, tempfile, time

IDENTITY, PASSWORD = int(sys.argv[1]), sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 10
BASE = IDENTITY  # the other services sit on the ports bench/dataplane.sh gives them
NETWORK, IMAGE, COMPUTE = BASE + 1, BASE + 2, BASE + 3


def call(port, method, path, body=None, token=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-Auth-Token"] = token
    c.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = c.getresponse()
    data = r.read()
    return r.status, (json.loads(data) if data else None), r


s, b, r = call(IDENTITY, "POST", "/v3/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {
    "user": {"name": "admin", "domain": {"id": "default"}, "password": PASSWORD}}},
    "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
TOKEN = r.getheader("X-Subject-Token")
net = lambda m, p, b=None: call(NETWORK, m, p, b, TOKEN)[1]
nova = lambda m, p, b=None: call(COMPUTE, m, "/v2.1" + p, b, TOKEN)
image = call(IMAGE, "GET", "/v2/images?name=portside-ns", None, TOKEN)[1]["images"][0]["id"]
key = nova("POST", "/os-keypairs", {"keypair": {"name": "bench"}})[1]["keypair"]["private_key"]
keyfile = tempfile.NamedTemporaryFile("w", delete=False, suffix=".pem")
keyfile.write(key)
keyfile.close()
os.chmod(keyfile.name, 0o600)
SSH = ["ssh", "-i", keyfile.name, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
       "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=2"]

group = net("POST", "/v2.0/security-groups", {"security_group": {"name": "bench"}})["security_group"]["id"]
for proto, port in (("tcp", 22), ("tcp", 5201), ("icmp", None)):
    rule = {"security_group_id": group, "direction": "ingress", "ethertype": "IPv4", "protocol": proto,
            "remote_ip_prefix": "0.0.0.0/0"}
    if port:
        rule.update(port_range_min=port, port_range_max=port)
    net("POST", "/v2.0/security-group-rules", {"security_group_rule": rule})


def network(name, cidr):
    n = net("POST", "/v2.0/networks", {"network": {"name": name}})["network"]["id"]
    net("POST", "/v2.0/subnets", {"subnet": {"network_id": n, "ip_version": 4, "cidr": cidr}})
    return n


def port(network_id, **extra):
    body = {"network_id": network_id, "security_groups": [group]}
    body.update(extra)
    if extra.get("port_security_enabled") is False:
        body["security_groups"] = []
    return net("POST", "/v2.0/ports", {"port": body})["port"]


def boot(name, ports):
    t = time.perf_counter()
    s, b, _ = nova("POST", "/servers", {"server": {"name": name, "imageRef": image, "flavorRef": "1", "key_name": "bench",
                                                   "networks": [{"port": p["id"]} for p in ports]}})
    assert s == 202, b
    sid = b["server"]["id"]
    while True:
        server = nova("GET", f"/servers/{sid}")[1]["server"]
        if server["status"] == "ACTIVE":
            break
        assert server["status"] == "BUILD", server
        time.sleep(0.002)
    active = time.perf_counter() - t
    address = ports[0]["fixed_ips"][0]["ip_address"]
    while subprocess.run(SSH + [f"root@{address}", "true"], capture_output=True).returncode != 0:
        time.sleep(0.01)
    return sid, address, active, time.perf_counter() - t


def on(address, command):
    return subprocess.run(SSH + [f"root@{address}", command], capture_output=True, text=True, check=True).stdout


mgmt = network("bench-mgmt", "10.210.0.0/24")
actives, sshs = [], []
for i in range(N + 1):
    sid, address, active, ssh = boot(f"boot-{i}", [port(mgmt)])
    if i > 0:  # the first boot warms the JVM and the page cache
        actives.append(active)
        sshs.append(ssh)
    nova("DELETE", f"/servers/{sid}")
    time.sleep(0.3)
p50 = lambda xs: 1000 * statistics.median(xs)
print(f"boot to ACTIVE: p50 {p50(actives):.0f} ms, max {1000 * max(actives):.0f} ms (n={N})")
print(f"boot to SSH:    p50 {p50(sshs):.0f} ms, max {1000 * max(sshs):.0f} ms (n={N})")

net1, net2 = network("bench-net1", "10.211.0.0/24"), network("bench-net2", "10.212.0.0/24")
p1, p3, p4 = port(net1), port(net2), port(net1)
u1, u2 = port(net1, fixed_ips=[], port_security_enabled=False), port(net2, fixed_ips=[], port_security_enabled=False)
vm1 = boot("vm1", [port(mgmt), p1])[1]
vm2 = boot("vm2", [port(mgmt), u1, u2])[1]
vm3 = boot("vm3", [port(mgmt), p3])[1]
vm4 = boot("vm4", [port(mgmt), p4])[1]
a1, a3, a4 = (p["fixed_ips"][0]["ip_address"] for p in (p1, p3, p4))
v1, v2 = "10.211.0.100", "10.212.0.100"
on(vm2, f"sysctl -qw net.ipv4.ip_forward=1 && ip route replace 10.211.0.0/24 dev eth1 && "
        f"ip route replace 10.212.0.0/24 dev eth2 && ip neigh replace {a1} lladdr {p1['mac_address']} dev eth1 && "
        f"ip neigh replace {a3} lladdr {p3['mac_address']} dev eth2 && "
        f"iptables -t nat -A PREROUTING -i eth1 -d {v1} -j DNAT --to-destination {a3} && "
        f"iptables -t nat -A POSTROUTING -o eth2 -j SNAT --to-source {v2}")
on(vm1, f"ip neigh replace {v1} lladdr {u1['mac_address']} dev eth1")
on(vm3, f"ip neigh replace {v2} lladdr {u2['mac_address']} dev eth1")


def iperf(server_mgmt, bind, target):
    on(server_mgmt, f"iperf3 -s -1 -D -B {bind} -p 5201")
    time.sleep(0.3)
    out = json.loads(on(vm1, f"iperf3 -c {target} -p 5201 -t 5 -J"))
    return out["end"]["sum_received"]["bits_per_second"] / 1e9


logins = []
for _ in range(5):
    t = time.perf_counter()
    on(vm1, "true")
    logins.append(time.perf_counter() - t)
print(f"baseline: one SSH login to an instance already running: p50 {p50(logins):.0f} ms (n=5)")


def vm2_port_security(on_):
    for u in (u1, u2):
        body = {"port_security_enabled": True, "security_groups": [group]} if on_ else \
            {"port_security_enabled": False, "security_groups": []}
        net("PUT", f"/v2.0/ports/{u['id']}", {"port": body})


ROUNDS = 3
direct, open_path, filtered = [], [], []
for _ in range(ROUNDS):
    direct.append(iperf(vm4, a4, a4))
    vm2_port_security(False)
    open_path.append(iperf(vm3, a3, v1))
    vm2_port_security(True)
    filtered.append(iperf(vm3, a3, v1))
med = statistics.median
print(f"iperf3 TCP 5 s, median of {ROUNDS} alternating rounds:")
print(f"  VM1->VM4 same bridge:                            {med(direct):.1f} Gbit/s")
print(f"  VM1->VM3 through VM2, its ports unfiltered:      {med(open_path):.1f} Gbit/s, "
      f"ratio to same bridge {med(open_path) / med(direct):.2f}")
print(f"  VM1->VM3 through VM2, port security on its ports: {med(filtered):.1f} Gbit/s, "
      f"ratio to unfiltered {med(filtered) / med(open_path):.2f}")
print(f"  rounds: same bridge {[round(x, 1) for x in direct]}, unfiltered {[round(x, 1) for x in open_path]}, "
      f"filtered {[round(x, 1) for x in filtered]}")
