#!/usr/bin/env bash
# Dataplane benchmark (as root): starts Portside with the namespace driver on a fresh data dir and
# runs bench/dataplane.py against it: boot to ACTIVE and to SSH (p50 over N), and TCP throughput
# through the spec's middle box against a peer on the same bridge.
# Usage, from the repository root: bash bench/dataplane.sh [N]   (default 10)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d /tmp/portside-dpbench.XXXXXX)
trap 'kill $(cat "$work/portside.pid" 2>/dev/null) 2>/dev/null || true; sleep 1; rm -rf "$work"' EXIT
printf 'compute_driver: namespace\n' > "$work/portside.yaml"
"$root/portside" serve --data-dir "$work/data" --config "$work/portside.yaml" --identity-port 15800 \
  --network-port 15801 --image-port 15802 --compute-port 15803 > "$work/serve.log" 2>&1 &
echo $! > "$work/portside.pid"
for _ in $(seq 1 600); do grep -q "admin credentials in" "$work/serve.log" && break; sleep 0.2; done
password=$(sed -n "s/^export OS_PASSWORD='\(.*\)'$/\1/p" "$work/data/openrc")
python3 "$root/bench/dataplane.py" 15800 "$password" "${1:-10}"
# Leave the host as it was: delete what the run made.
python3 - "$password" <<'PY'
import http.client, json, sys, time
def call(port, method, path, body=None, token=None):
    c = http.client.HTTPConnection("127.0.0.1", port); h = {"Content-Type": "application/json"}
    if token: h["X-Auth-Token"] = token
    c.request(method, path, json.dumps(body) if body else None, h); r = c.getresponse(); d = r.read()
    return r, (json.loads(d) if d else None)
r, _ = call(15800, "POST", "/v3/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {"user": {
    "name": "admin", "domain": {"id": "default"}, "password": sys.argv[1]}}}, "scope": {"project": {"name": "admin",
    "domain": {"id": "default"}}}}})
t = r.getheader("X-Subject-Token")
for s in call(15803, "GET", "/v2.1/servers", token=t)[1]["servers"]:
    call(15803, "DELETE", f"/v2.1/servers/{s['id']}", token=t)
for _ in range(300):
    if not call(15803, "GET", "/v2.1/servers", token=t)[1]["servers"]: break
    time.sleep(0.1)
PY
