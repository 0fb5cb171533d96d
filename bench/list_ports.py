#!/usr/bin/env python3
"""Fills a network with unaddressed ports up to COUNT in all, then times listing them and showing one.
usage: list_ports.py PORT TOKEN PROJECT_ID COUNT"""
import http.client, json, sys, time

port, token, project, count = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
headers = {"X-Auth-Token": token, "Content-Type": "application/json"}
c = http.client.HTTPConnection("127.0.0.1", port)


def req(method, path, body=None):
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    r = c.getresponse()
    data = r.read()
    return r.status, json.loads(data) if data else None


s, existing = req("GET", "/v2.0/ports?fields=id")
s, net = req("POST", "/v2.0/networks", {"network": {"name": "list-bench", "tenant_id": project}})
for _ in range(count - len(existing["ports"])):
    s, _ = req("POST", "/v2.0/ports", {"port": {"network_id": net["network"]["id"], "fixed_ips": []}})
    assert s == 201, s
times = []
for _ in range(5):
    t = time.perf_counter(); s, listed = req("GET", "/v2.0/ports"); times.append(time.perf_counter() - t)
times.sort()
print(f"list {len(listed['ports'])} ports: median {1000 * times[2]:.0f} ms (of 5)")
one = listed["ports"][0]["id"]
shows = []
for _ in range(200):
    t = time.perf_counter(); req("GET", f"/v2.0/ports/{one}"); shows.append(time.perf_counter() - t)
shows.sort()
print(f"show port p50 {1000 * shows[100]:.2f} ms")
