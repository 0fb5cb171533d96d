"""Multi-host measurements against a running Portside (a controller, or the one-process all-in-one).

  multihost.py boots IDENTITY COMPUTE NETWORK PASSWORD N
      N servers (one port each on one network, fake driver), 5 clients at once: wall time and boots/s.
  multihost.py rules IDENTITY COMPUTE NETWORK PASSWORD N HOSTS
      one server per host (namespace driver, a port with port security each), then N port updates
      round-robin over them (an allowed address pair added): the time from the API's answer to the
      update until the host's nftables ruleset holds the new address (polled with bin/fabric run).
"""
import http.client, json, os, statistics, subprocess, sys, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = "127.0.0.1"


def token(identity, password):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
            "domain": {"id": "default"}, "password": password}}},
            "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
    c = http.client.HTTPConnection(HOST, identity)
    c.request("POST", "/v3/auth/tokens", json.dumps(body), {"Content-Type": "application/json"})
    r = c.getresponse()
    global PROJECT
    PROJECT = json.loads(r.read())["token"]["project"]["id"]
    return r.getheader("X-Subject-Token")


class Api:
    def __init__(self, port, tok):
        self.conn = http.client.HTTPConnection(HOST, port)
        self.h = {"Content-Type": "application/json", "X-Auth-Token": tok}

    def __call__(self, method, path, body=None):
        self.conn.request(method, path, json.dumps(body) if body is not None else None, self.h)
        r = self.conn.getresponse()
        data = r.read()
        return r.status, (json.loads(data) if data else None)


def image(tok):
    g = Api(IMAGE_PORT, tok)
    return g("GET", "/v2/images?name=portside-ns")[1]["images"][0]["id"]


def network(net, name, cidr):
    s, n = net("POST", "/v2.0/networks", {"network": {"name": name}})
    assert s == 201, n
    s, sub = net("POST", "/v2.0/subnets", {"subnet": {"network_id": n["network"]["id"], "ip_version": 4, "cidr": cidr}})
    assert s == 201, sub
    return n["network"]["id"]


def boot(api, name, nets, host=None):
    server = {"name": name, "imageRef": IMG, "flavorRef": "1", "networks": nets}
    if host:
        server["availability_zone"] = "nova:" + host
    s, r = api("POST", "/v2.1/servers", {"server": server})
    assert s == 202, (s, r)
    sid = r["server"]["id"]
    while True:
        s, r = api("GET", f"/v2.1/servers/{sid}")
        status = r["server"]["status"]
        if status == "ACTIVE":
            return sid
        assert status == "BUILD", r["server"].get("fault")
        time.sleep(0.01)


def boots(identity, compute, network_port, password, n):
    tok = token(identity, password)
    net_id = network(Api(network_port, tok), "bench-boots", "10.200.0.0/16")
    # The benchmark's servers are many for the admin project's default quota.
    s, r = Api(compute, tok)("PUT", f"/v2.1/os-quota-sets/{PROJECT}",
                             {"quota_set": {"instances": -1, "cores": -1, "ram": -1}})
    assert s == 200, r
    clients = 5
    done = []

    def work(k):
        api = Api(compute, tok)
        for i in range(k, n, clients):
            done.append(boot(api, f"b{i}", [{"uuid": net_id}]))

    t = time.perf_counter()
    threads = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
    [th.start() for th in threads]
    [th.join() for th in threads]
    wall = time.perf_counter() - t
    assert len(done) == n
    print(f"BOOTS {n} in {wall:.2f} s: {n / wall:.2f} boots/s")
    print(f"BOOTS_PER_S {n / wall:.3f}")


def on_host(n, *command):
    return subprocess.run([os.path.join(ROOT, "bin/fabric"), "run", str(n), *command], capture_output=True,
                          text=True).stdout


def rules(identity, compute, network_port, password, n, hosts):
    tok = token(identity, password)
    net = Api(network_port, tok)
    api = Api(compute, tok)
    net_id = network(net, "bench-rules", "10.201.0.0/24")
    ports = []
    for h in range(1, hosts + 1):
        s, p = net("POST", "/v2.0/ports", {"port": {"network_id": net_id, "name": f"r{h}"}})
        assert s == 201, p
        ports.append((h, p["port"]["id"]))
        boot(api, f"r{h}", [{"port": p["port"]["id"]}], host=f"host{h}")
    latencies = []
    for i in range(n):
        h, port = ports[i % len(ports)]
        address = f"192.0.2.{i % 250 + 1}/32" if i < 250 else f"198.51.100.{i % 250 + 1}/32"
        pairs = [{"ip_address": address}]
        s, r = net("PUT", f"/v2.0/ports/{port}", {"port": {"allowed_address_pairs": pairs}})
        assert s == 200, r
        t = time.perf_counter()
        wanted = address.split("/")[0]
        while wanted not in on_host(h, "nft", "list", "table", "bridge", "portside"):
            if time.perf_counter() - t > 30:
                raise SystemExit(f"rule for {wanted} not on host{h} within 30 s")
        latencies.append(time.perf_counter() - t)
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    print(f"RULES {n} updates over {hosts} hosts: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {latencies[-1] * 1000:.1f} ms")


if __name__ == "__main__":
    kind = sys.argv[1]
    identity, compute, network_port = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    IMAGE_PORT = int(os.environ.get("IMAGE_PORT", "9292"))
    password = sys.argv[5]
    IMG = image(token(identity, password))
    if kind == "boots":
        boots(identity, compute, network_port, password, int(sys.argv[6]))
    else:
        rules(identity, compute, network_port, password, int(sys.argv[6]), int(sys.argv[7]))
