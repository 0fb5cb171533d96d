#!/usr/bin/env bash
# Compute benchmark: boot-to-ACTIVE latency of 200 servers (a management network and an unaddressed
# port each) on Portside with the fake virt driver, sequential and 4 at a time; then the baseline,
# in the same run: the network work of one such boot alone (create an unaddressed port, bind it) on
# Portside's network service and on Debian's neutron-server.
# Usage, as root from the repository root: bash bench/compute.sh [N]   (N servers per phase, default 200)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="$root/../shared/peers/neutron"
n=${1:-200}
work=$(mktemp -d /tmp/portside-computebench.XXXXXX)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/portside.yaml" <<YAML
fake_hosts: [{name: bench-host, vcpus: 4096, memory_mb: 4194304, local_gb: 1000000}]
YAML
"$root/portside" --version >/dev/null
"$root/portside" serve --data-dir "$work/portside" --config "$work/portside.yaml" --identity-port 15700 \
  --network-port 19797 --image-port 19292 --compute-port 18774 > "$work/portside.log" 2>&1 &
echo $! > "$work/portside.pid"
for _ in $(seq 1 300); do grep -q "admin credentials in" "$work/portside.log" && break; sleep 0.1; done
read -r token image < <(python3 - "$work/portside/openrc" <<'PY'
import http.client, json, sys
env = dict(l.split(" ", 1)[1].strip().split("=", 1) for l in open(sys.argv[1]) if l.startswith("export "))
body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
        "domain": {"id": "default"}, "password": env["OS_PASSWORD"].strip("'")}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
c = http.client.HTTPConnection("127.0.0.1", 15700)
c.request("POST", "/v3/auth/tokens", json.dumps(body), {"Content-Type": "application/json"})
r = c.getresponse(); r.read(); token = r.getheader("X-Subject-Token")
g = http.client.HTTPConnection("127.0.0.1", 19292)
g.request("GET", "/v2/images?name=portside-ns", headers={"X-Auth-Token": token})
print(token, json.loads(g.getresponse().read())["images"][0]["id"])
PY
)
echo "== Portside (embedded H2, fake driver): $n servers per phase"
python3 "$root/bench/boot.py" 18774 19797 "$token" "$image" "$n" | tee "$work/boot.txt"
echo "== baseline: create an unaddressed port and bind it, Portside's network service"
python3 "$root/bench/bind.py" 19797 "$token" "$n" | tee "$work/bind-portside.txt"
echo "RSS of portside after the run: $(( $(awk '/VmRSS/ {print $2}' /proc/"$(cat "$work/portside.pid")"/status) / 1024 )) MB"
kill "$(cat "$work/portside.pid")"; rm "$work/portside.pid"

echo "== baseline: create an unaddressed port and bind it, neutron-server (Debian, ML2, PostgreSQL)"
bash "$peers/up.sh" "$work/neutron" > /dev/null
cp "$work/neutron/server.pid" "$work/neutron.pid"
python3 "$root/bench/bind.py" 19696 - "$n" | tee "$work/bind-neutron.txt"

boot=$(awk '/BOOT_P50_MS/ {print $2}' "$work/boot.txt")
own=$(awk '/BIND_P50_MS/ {print $2}' "$work/bind-portside.txt")
neutron=$(awk '/BIND_P50_MS/ {print $2}' "$work/bind-neutron.txt")
echo "== ratios (p50)"
python3 -c "print(f'Portside boot-to-ACTIVE / Portside port create+bind: {$boot/$own:.2f}x'); print(f'Portside boot-to-ACTIVE / neutron-server port create+bind: {$boot/$neutron:.2f}x')"
