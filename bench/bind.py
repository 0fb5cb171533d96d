"""The network work one boot of the spec's shape needs, alone: create an unaddressed port and
bind it to a host (PUT binding:host_id, device_id, device_owner), as Nova asks of Neutron. Run
against Portside's network service and against a real neutron-server, it is the baseline the
boot latency is set against.

usage: bind.py PORT TOKEN|- N   (- : Neutron noauth, as admin)
"""
import http.client, json, sys, time

HOST, PORT = "127.0.0.1", int(sys.argv[1])
TOKEN = None if sys.argv[2] == "-" else sys.argv[2]
N = int(sys.argv[3])
PROJ = "0123456789abcdef0123456789abcdef"
H = {"Content-Type": "application/json"}
H.update({"X-Auth-Token": TOKEN} if TOKEN else {"X-Project-Id": PROJ, "X-Roles": "admin"})


def req(conn, method, path, body=None):
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=H)
    r = conn.getresponse()
    data = r.read()
    return r.status, (json.loads(data) if data else None)


c = http.client.HTTPConnection(HOST, PORT)
s, n = req(c, "POST", "/v2.0/networks", {"network": {"name": "bind-bench", "tenant_id": PROJ}})
net = n["network"]["id"]
lat = []
for i in range(N + 20):
    t = time.perf_counter()
    s, p = req(c, "POST", "/v2.0/ports", {"port": {"network_id": net, "fixed_ips": [], "tenant_id": PROJ}})
    assert s == 201, (s, p)
    s, b = req(c, "PUT", f"/v2.0/ports/{p['port']['id']}", {"port": {"binding:host_id": "bench-host",
                                                                    "device_id": f"server-{i}",
                                                                    "device_owner": "compute:nova"}})
    assert s == 200, (s, b)
    if i >= 20:
        lat.append(time.perf_counter() - t)
lat.sort()
print(f"port create + bind: p50 {1000 * lat[len(lat) // 2]:.1f} ms, p99 {1000 * lat[int(len(lat) * 0.99) - 1]:.1f} ms")
print(f"BIND_P50_MS {1000 * lat[len(lat) // 2]:.2f}")
