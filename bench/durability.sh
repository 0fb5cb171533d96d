#!/usr/bin/env bash
# What durable commits cost: the same port-creation workload (shared/peers/neutron/bench.py) against
# Portside on its embedded database as shipped (H2 WRITE_DELAY=0: each commit reaches the file before
# it is acknowledged) and with H2's own default (WRITE_DELAY=500: commits written every 500 ms, lost on
# kill -9), alternating twice in one run. Usage, from the repository root: bash bench/durability.sh [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="$root/../shared/peers/neutron"
n=${1:-300}
work=$(mktemp -d /tmp/portside-durbench.XXXXXX)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
"$root/portside" --version >/dev/null

run() { # name, extra serve args...
  local name=$1; shift
  rm -rf "$work/$name"
  "$root/portside" serve --data-dir "$work/$name" --identity-port 15710 --network-port 19710 \
    --image-port 19711 --compute-port 19712 "$@" > "$work/$name.log" 2>&1 &
  echo $! > "$work/$name.pid"
  for _ in $(seq 1 300); do curl -fsS -o /dev/null http://127.0.0.1:19710/ 2>/dev/null && break; sleep 0.1; done
  token_and_project=$(python3 - "$work/$name/openrc" <<'PY'
import http.client, json, sys
env = dict(l.split(" ", 1)[1].strip().split("=", 1) for l in open(sys.argv[1]) if l.startswith("export "))
body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
        "domain": {"id": "default"}, "password": env["OS_PASSWORD"].strip("'")}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
c = http.client.HTTPConnection("127.0.0.1", 15710)
c.request("POST", "/v3/auth/tokens", json.dumps(body), {"Content-Type": "application/json"})
r = c.getresponse(); token = json.loads(r.read())["token"]
print(r.getheader("X-Subject-Token"), token["project"]["id"])
PY
)
  # A benchmark makes more ports than Neutron's default quota (500): lift it for the admin project.
  read -r bench_token bench_project <<< "$token_and_project"
  curl -fsS -o /dev/null -X PUT -H "X-Auth-Token: $bench_token" -H "Content-Type: application/json" \
    -d '{"quota": {"network": -1, "subnet": -1, "port": -1}}' "http://127.0.0.1:19710/v2.0/quotas/$bench_project"
  echo "== $name"
  python3 "$peers/bench.py" 19710 $token_and_project "$n"
  kill "$(cat "$work/$name.pid")"; wait "$(cat "$work/$name.pid")" 2>/dev/null || true; rm "$work/$name.pid"
}

h2_mode="MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE"
for round in 1 2; do
  run "durable-$round"
  run "delayed-$round" --database-url "jdbc:h2:file:$work/delayed-$round/portside;$h2_mode;WRITE_DELAY=500"
done
