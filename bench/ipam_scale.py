#!/usr/bin/env python3
"""IPAM at scale: allocation rate on an empty /16 against the same /16 holding 60,000 addresses.
Fills the subnet with ports through the API (with addresses), timing the first and the last
1,000 allocations; IPAM's cost should not grow with what is allocated.
usage: ipam_scale.py PORT TOKEN [COUNT]   (COUNT defaults to 60000)"""
import http.client, json, sys, time

port, token = int(sys.argv[1]), sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 60000
headers = {"X-Auth-Token": token, "Content-Type": "application/json"}
c = http.client.HTTPConnection("127.0.0.1", port)


def req(method, path, body=None):
    c.request(method, path, body=json.dumps(body), headers=headers)
    r = c.getresponse()
    data = json.loads(r.read() or b"null")
    assert r.status in (200, 201), (r.status, data)
    return data


net = req("POST", "/v2.0/networks", {"network": {"name": "ipam-scale"}})["network"]["id"]
req("POST", "/v2.0/subnets", {"subnet": {"network_id": net, "ip_version": 4, "cidr": "10.128.0.0/16"}})
body = {"port": {"network_id": net, "port_security_enabled": False}}
windows = {}
start = time.perf_counter()
for i in range(count):
    if i in (0, count - 1000):
        t = time.perf_counter()
    req("POST", "/v2.0/ports", body)
    if i in (999, count - 1):
        windows["first 1,000" if i == 999 else f"last 1,000 (addresses {count - 1000:,} to {count:,})"] = 1000 / (time.perf_counter() - t)
print(f"filled {count:,} addresses in {time.perf_counter() - start:.0f} s")
for name, rate in windows.items():
    print(f"{name}: {rate:.0f} ports/s")
