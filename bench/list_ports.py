#!/usr/bin/env python3
"""Fills a network with unaddressed ports up to COUNT in all, then times listing them (whole, and in
pages of 100 followed by their "next" links, as an SDK pages), showing one, and a filtered list.
usage: list_ports.py PORT TOKEN PROJECT_ID COUNT"""
import http.client, json, statistics, sys, time
from concurrent.futures import ThreadPoolExecutor

port, token, project, count = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
headers = {"X-Auth-Token": token, "Content-Type": "application/json"}
c = http.client.HTTPConnection("127.0.0.1", port)


def raw(method, path, body=None, conn=None):
    conn = conn or c
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    r = conn.getresponse()
    return r.status, r.read()


def req(method, path, body=None, conn=None):
    s, data = raw(method, path, body, conn)
    return s, json.loads(data) if data else None


# A list's time is the server's: from the request to its last byte, before this client parses it.
def timed(path, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter(); s, data = raw("GET", path); times.append(time.perf_counter() - t)
        assert s == 200, (s, data[:200])
    return statistics.median(times) * 1000, json.loads(data)


s, existing = req("GET", "/v2.0/ports?fields=id")
s, net = req("POST", "/v2.0/networks", {"network": {"name": "list-bench", "tenant_id": project}})
missing = count - len(existing["ports"])


def fill(n):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(n):
        s, _ = req("POST", "/v2.0/ports", {"port": {"network_id": net["network"]["id"], "fixed_ips": []}}, conn)
        assert s == 201, s


with ThreadPoolExecutor(4) as pool:
    list(pool.map(fill, [missing // 4 + (1 if i < missing % 4 else 0) for i in range(4)]))
# The server closes connections idle for 30 s, as this one was while the ports were made.
c.close()
c = http.client.HTTPConnection("127.0.0.1", port)

whole, listed = timed("/v2.0/ports", 11)
print(f"list {len(listed['ports'])} ports: median {whole:.0f} ms (of 11, to the last byte)")
first, page = timed("/v2.0/ports?limit=100", 21)
print(f"first page of 100: median {first:.1f} ms (of 21)")
pages = []
path = "/v2.0/ports?limit=100"
for _ in range(50):
    t = time.perf_counter(); s, data = raw("GET", path); pages.append(time.perf_counter() - t)
    page = json.loads(data)
    nxt = [link["href"] for link in page.get("ports_links", []) if link["rel"] == "next"]
    if not nxt:
        break
    path = nxt[0][nxt[0].index("/v2.0"):]
print(f"pages of 100 by next links: median {statistics.median(pages) * 1000:.1f} ms (of {len(pages)})")
one = listed["ports"][len(listed["ports"]) // 2]["id"]
shows = []
for _ in range(200):
    t = time.perf_counter(); req("GET", f"/v2.0/ports/{one}"); shows.append(time.perf_counter() - t)
print(f"show port p50 {statistics.median(shows) * 1000:.2f} ms")
filtered, body = timed(f"/v2.0/ports?device_id=none-such&network_id={net['network']['id']}", 11)
print(f"filtered list (no match): median {filtered:.1f} ms (of 11)")
