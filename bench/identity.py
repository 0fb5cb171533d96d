#!/usr/bin/env python3
"""Identity benchmark: Portside side by side with Debian's Keystone, measured in the same run.

Measures, for each server: time from start to its first answer, resident memory when idle and
after load, and one client's rate of password tokens, rescoped (token-method) tokens and token
validations, with p50/p99 latencies. Prints a Markdown table with Portside/Keystone ratios.

Usage (as root, from the repository root): python3 bench/identity.py [--tokens N] [--no-peer]
Only loopback is used: Portside on 127.0.0.1:15500, the Keystone peer on 127.0.0.1:15000.
"""
import argparse, http.client, json, os, shutil, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORTSIDE_PORT, KEYSTONE_PORT = 15500, 15000


class Client:
    """One client on one keep-alive connection, reconnecting when the server closes it (uWSGI does)."""

    def __init__(self, port):
        self.port, self.conn = port, None

    def request(self, method, path, body=None, headers=None):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                h = {"Content-Type": "application/json"}
                h.update(headers or {})
                self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close(); self.conn = None
                return r.status, r, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close(); self.conn = None
                if attempt == 2:
                    raise


def password_auth(password):
    return {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "admin", "domain": {"id": "default"}, "password": password}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}


def wait_until_up(port, path, deadline_s=120):
    start = time.perf_counter()
    while time.perf_counter() - start < deadline_s:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", path); c.getresponse().read(); c.close()
            return time.perf_counter() - start
        except OSError:
            time.sleep(0.01)
    raise SystemExit(f"nothing answered on port {port} within {deadline_s}s")


def rss_mb(pid):
    """Resident memory of a process and all its descendants, in MB."""
    pids, total = [pid], 0
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid=,rss="], capture_output=True, text=True).stdout.split("\n")
    table = [tuple(map(int, line.split())) for line in out if line.strip()]
    while pids:
        p = pids.pop()
        for child, parent, rss in table:
            if child == p:
                total += rss
            if parent == p:
                pids.append(child)
    return total / 1024


def timed(n, fn):
    lat = []
    start = time.perf_counter()
    for _ in range(n):
        t = time.perf_counter(); fn(); lat.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - start
    lat.sort()
    return {"rate": n / elapsed, "p50": 1000 * lat[len(lat) // 2], "p99": 1000 * lat[max(0, int(len(lat) * 0.99) - 1)], "n": n}


def load(port, password, n):
    c = Client(port)
    def issue():
        s, r, d = c.request("POST", "/v3/auth/tokens", password_auth(password))
        assert s == 201, (s, d[:300])
        return r.getheader("X-Subject-Token")
    admin = issue()
    for _ in range(max(2, n // 10)):   # warm-up, not measured
        issue()
    results = {"password tokens/s": timed(n, issue)}
    rescope = {"auth": {"identity": {"methods": ["token"], "token": {"id": admin}},
                        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
    def rescoped():
        s, _, d = c.request("POST", "/v3/auth/tokens", rescope)
        assert s == 201, (s, d[:300])
    results["token-method tokens/s"] = timed(n, rescoped)
    def validate():
        s, _, d = c.request("GET", "/v3/auth/tokens", headers={"X-Auth-Token": admin, "X-Subject-Token": admin})
        assert s == 200, (s, d[:300])
    results["validations/s"] = timed(n, validate)
    return results


def portside(args, work):
    subprocess.run([os.path.join(ROOT, "portside"), "--version"], check=True, capture_output=True)  # build first
    data = os.path.join(work, "portside")
    def start():
        p = subprocess.Popen([os.path.join(ROOT, "portside"), "serve", "--data-dir", data, "--identity-port",
                              str(PORTSIDE_PORT)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return p, wait_until_up(PORTSIDE_PORT, "/")
    p, first_start = start()                   # a new cloud: creates the database and the admin
    p.send_signal(signal.SIGTERM); p.wait(30)
    p, restart = start()
    time.sleep(2)
    idle = rss_mb(p.pid)
    password = [l.split("=", 1)[1].strip("'\n") for l in open(os.path.join(data, "openrc")) if "OS_PASSWORD" in l][0]
    results = load(PORTSIDE_PORT, password, args.tokens)
    loaded = rss_mb(p.pid)
    p.send_signal(signal.SIGTERM); p.wait(30)
    return {"first start s": first_start, "restart s": restart, "idle RSS MB": idle, "RSS after load MB": loaded, **results}


def keystone(args, work):
    peer = os.path.join(work, "keystone")
    subprocess.run([os.path.join(ROOT, "bench", "peers", "keystone-up.sh"), peer], check=True, capture_output=True)
    def master():
        return int(open(os.path.join(peer, "uwsgi.pid")).read())
    os.kill(master(), signal.SIGTERM); time.sleep(2)
    p = subprocess.Popen([os.path.join(peer, "start.sh")])
    restart = wait_until_up(KEYSTONE_PORT, "/v3")
    time.sleep(2)
    idle = rss_mb(master())
    password = open(os.path.join(peer, "admin-password")).read().strip()
    # bcrypt at Keystone's default cost makes each password token take a few hundred ms: fewer requests.
    results = load(KEYSTONE_PORT, password, args.keystone_tokens)
    loaded = rss_mb(master())
    os.kill(master(), signal.SIGTERM); p.wait(30)
    return {"first start s": None, "restart s": restart, "idle RSS MB": idle, "RSS after load MB": loaded, **results}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokens", type=int, default=2000, help="requests per measurement for Portside")
    ap.add_argument("--keystone-tokens", type=int, default=40, help="requests per measurement for Keystone")
    ap.add_argument("--no-peer", action="store_true", help="measure Portside alone")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="portside-bench-")
    try:
        ours = portside(args, work)
        theirs = None if args.no_peer else keystone(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| measure | Portside | Keystone (Debian, Zed) | Portside vs Keystone |")
    print("| --- | --- | --- | --- |")
    for key, value in ours.items():
        peer = None if theirs is None else theirs[key]
        print(f"| {key} | {describe(value)} | {describe(peer)} | {compare(value, peer)} |")


def describe(value):
    if value is None:
        return "—"
    if isinstance(value, dict):
        return f"{value['rate']:.1f}/s (n={value['n']}), p50 {value['p50']:.2f} ms, p99 {value['p99']:.2f} ms"
    return f"{value:.2f}"


def compare(ours, theirs):
    if ours is None or theirs is None:
        return "—"
    if isinstance(ours, dict):
        return f"{ours['rate'] / theirs['rate']:.0f}× the rate"
    return f"{theirs / ours:.1f}× less"

if __name__ == "__main__":
    main()
