#!/usr/bin/env bash
# Networking benchmark: Portside and Debian's neutron-server, one after the other on this machine,
# driven by the same client (shared/peers/neutron/bench.py): sequential and 4-client port creation
# with and without an address, listing and showing ports. Then Portside alone with 10,000 ports.
# Usage, as root from the repository root: bash bench/network.sh [N]   (N ports per phase, default 300)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="$root/../shared/peers/neutron"
n=${1:-300}
work=$(mktemp -d /tmp/portside-netbench.XXXXXX)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== Portside (embedded H2), $n ports per phase"
"$root/portside" --version >/dev/null
"$root/portside" serve --data-dir "$work/portside" --identity-port 15700 --network-port 19797 > "$work/portside.log" 2>&1 &
echo $! > "$work/portside.pid"
for _ in $(seq 1 200); do curl -fsS -o /dev/null http://127.0.0.1:19797/ 2>/dev/null && break; sleep 0.1; done
token_and_project=$(python3 - "$work/portside/openrc" <<'PY'
import http.client, json, sys
env = dict(l.split(" ", 1)[1].strip().split("=", 1) for l in open(sys.argv[1]) if l.startswith("export "))
body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
        "domain": {"id": "default"}, "password": env["OS_PASSWORD"].strip("'")}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
c = http.client.HTTPConnection("127.0.0.1", 15700)
c.request("POST", "/v3/auth/tokens", json.dumps(body), {"Content-Type": "application/json"})
r = c.getresponse(); token = json.loads(r.read())["token"]
print(r.getheader("X-Subject-Token"), token["project"]["id"])
PY
)
# A benchmark makes more ports than Neutron's default quota (500): lift it for the admin project.
read -r bench_token bench_project <<< "$token_and_project"
curl -fsS -o /dev/null -X PUT -H "X-Auth-Token: $bench_token" -H "Content-Type: application/json" \
  -d '{"quota": {"network": -1, "subnet": -1, "port": -1}}' "http://127.0.0.1:19797/v2.0/quotas/$bench_project"
python3 "$peers/bench.py" 19797 $token_and_project "$n"
python3 "$root/bench/list_ports.py" 19797 $token_and_project 10000
kill "$(cat "$work/portside.pid")"; rm "$work/portside.pid"

echo "== neutron-server (Debian, ML2, PostgreSQL, 1 API worker), $n ports per phase"
bash "$peers/up.sh" "$work/neutron" > /dev/null
cp "$work/neutron/server.pid" "$work/neutron.pid"
python3 "$peers/bench.py" 19696 - 0123456789abcdef0123456789abcdef "$n"
