#!/usr/bin/env bash
# Networking benchmark: Portside and Debian's neutron-server, one after the other on this machine,
# driven by the same client (shared/peers/neutron/bench.py): sequential and 4-client port creation
# with and without an address, listing and showing ports. Then Portside alone with 10,000 ports.
# Then the same on PostgreSQL (when a local cluster runs, as ./run-tests starts one).
# Usage, as root from the repository root: bash bench/network.sh [N] [--big]   (N ports per phase, default 300;
# --big also lists 100,000 ports on the embedded database)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="$root/../shared/peers/neutron"
n=${1:-300}
big=0; [ "${2:-}" = --big ] && big=1
work=$(mktemp -d /tmp/portside-netbench.XXXXXX)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

# One Portside run: the peers' client (a cold pass of $n per phase, then a warm pass of 1,500), then the
# list benchmark at 10,000 ports (and, with --big, at 100,000). $1 names it, $2 is an optional database URL.
run_portside() {
  local label=$1 url=${2:-} dir="$work/portside-$1"
  echo "== Portside ($label), $n ports per phase, then 1,500 warm"
  "$root/portside" serve --data-dir "$dir" --identity-port 15700 --network-port 19797 \
    ${url:+--database-url "$url"} > "$work/portside-$label.log" 2>&1 &
  echo $! > "$work/portside.pid"
  for _ in $(seq 1 300); do curl -fsS -o /dev/null http://127.0.0.1:19797/ 2>/dev/null && break; sleep 0.1; done
  token_and_project=$(python3 - "$dir/openrc" <<'PY'
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
  echo "-- warm (1,500 per phase: the client keeps one connection idle through all four phases, and Portside closes connections idle for 30 s)"
  python3 "$peers/bench.py" 19797 $token_and_project 1500
  python3 "$root/bench/list_ports.py" 19797 $token_and_project 10000
  if [ "$big" = 1 ]; then python3 "$root/bench/list_ports.py" 19797 $token_and_project 100000; fi
  kill "$(cat "$work/portside.pid")"; wait "$(cat "$work/portside.pid")" 2>/dev/null || true; rm "$work/portside.pid"
}

"$root/portside" --version >/dev/null
run_portside h2
if command -v pg_lsclusters >/dev/null && [ "$(id -u)" = 0 ]; then
  pg_port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
  db=portside_bench_$$
  su postgres -c "psql -q -p $pg_port -c \"CREATE ROLE portside_bench LOGIN PASSWORD 'portside_bench'\"" 2>/dev/null || true
  su postgres -c "createdb -p $pg_port -O portside_bench $db"
  big=0 run_portside postgresql "jdbc:postgresql://127.0.0.1:$pg_port/$db?user=portside_bench&password=portside_bench"
  su postgres -c "dropdb -p $pg_port $db"
fi

echo "== neutron-server (Debian, ML2, PostgreSQL, 1 API worker), $n ports per phase"
bash "$peers/up.sh" "$work/neutron" > /dev/null
cp "$work/neutron/server.pid" "$work/neutron.pid"
python3 "$peers/bench.py" 19696 - 0123456789abcdef0123456789abcdef "$n"
