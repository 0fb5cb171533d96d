"""Boot-to-ACTIVE latency with the fake virt driver, against a running Portside.

Each server gets a port compute makes on a management network and a pre-made unaddressed port
(the spec's shape). Latency is from POST /servers to the first GET that shows ACTIVE (polled every
millisecond), so it is the control plane's whole cost: API checks, scheduling and the claim, port
creation and binding, the driver, the vif-plugged event, the state change.

usage: boot.py COMPUTE_PORT NETWORK_PORT TOKEN IMAGE_ID N
"""
import http.client, json, sys, threading, time

HOST = "127.0.0.1"
COMPUTE, NETWORK, TOKEN, IMAGE, N = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
H = {"Content-Type": "application/json", "X-Auth-Token": TOKEN}


def req(conn, method, path, body=None):
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=H)
    r = conn.getresponse()
    data = r.read()
    return r.status, (json.loads(data) if data else None)


net = http.client.HTTPConnection(HOST, NETWORK)
s, n = req(net, "POST", "/v2.0/networks", {"network": {"name": "bench-mgmt"}})
mgmt = n["network"]["id"]
req(net, "POST", "/v2.0/subnets", {"subnet": {"network_id": mgmt, "ip_version": 4, "cidr": "10.0.0.0/16"}})
s, n = req(net, "POST", "/v2.0/networks", {"network": {"name": "bench-traffic"}})
traffic = n["network"]["id"]


def unaddressed_port():
    s, p = req(net, "POST", "/v2.0/ports", {"port": {"network_id": traffic, "fixed_ips": []}})
    assert s == 201, (s, p)
    return p["port"]["id"]


def boot(conn, name, port, latencies):
    body = {"server": {"name": name, "imageRef": IMAGE, "flavorRef": "1",
                       "networks": [{"uuid": mgmt}, {"port": port}]}}
    t = time.perf_counter()
    s, r = req(conn, "POST", "/v2.1/servers", body)
    assert s == 202, (s, r)
    sid = r["server"]["id"]
    while True:
        s, r = req(conn, "GET", f"/v2.1/servers/{sid}")
        status = r["server"]["status"]
        if status == "ACTIVE":
            break
        assert status == "BUILD", r
        time.sleep(0.001)
    latencies.append(time.perf_counter() - t)
    return sid


def run(label, n, clients):
    ports = [unaddressed_port() for _ in range(n)]
    latencies, ids = [], []
    per = n // clients

    def worker(k):
        conn = http.client.HTTPConnection(HOST, COMPUTE)
        for i in range(per):
            ids.append(boot(conn, f"{label}-{k}-{i}", ports[k * per + i], latencies))

    t = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    [x.start() for x in threads]
    [x.join() for x in threads]
    elapsed = time.perf_counter() - t
    ordered = list(latencies)
    lat = sorted(latencies)
    first, last = sorted(ordered[:20]), sorted(ordered[-20:])
    print(f"{label}: {len(lat)} servers, {len(lat) / elapsed:.1f} boots/s, p50 {1000 * lat[len(lat) // 2]:.1f} ms, "
          f"p99 {1000 * lat[int(len(lat) * 0.99) - 1]:.1f} ms, first 20 p50 {1000 * first[10]:.1f} ms, "
          f"last 20 p50 {1000 * last[10]:.1f} ms")
    conn = http.client.HTTPConnection(HOST, COMPUTE)
    for sid in ids:
        req(conn, "DELETE", f"/v2.1/servers/{sid}")
    return lat[len(lat) // 2]


run("warm-up", 40, 1)
time.sleep(1)
p50 = run("sequential", N, 1)
time.sleep(1)
run("4 at a time", N, 4)
print(f"BOOT_P50_MS {1000 * p50:.2f}")
