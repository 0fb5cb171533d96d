#!/usr/bin/env bash
# Multi-host benchmark, as root from the repository root: bash bench/multihost.sh [BOOTS] [UPDATES]
#  1. port update -> rule in force: a controller (PostgreSQL, RabbitMQ) and three compute hosts in
#     namespaces (bin/fabric, namespace driver), one server per host; UPDATES (default 200) port
#     updates round-robin over their ports, each timed until its host's nftables ruleset has it.
#  2. boots/s: BOOTS (default 50) servers booted by 5 clients across three fake compute hosts of a
#     controller, then the same against the one-process Portside (fake driver, three fake hosts,
#     embedded H2) in the same run: the baseline.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
boots=${1:-50}
updates=${2:-200}
work=$(mktemp -d /tmp/portside-multihost.XXXXXX)
vhost="portside-bench-$$"
db="portside_bench_$$"
cleanup() {
  kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true
  "$root/bin/fabric" down >/dev/null 2>&1 || true
  rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
  su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS $db WITH (FORCE)'" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"$root/bin/broker" >/dev/null
rabbitmqctl -q add_vhost "$vhost"
rabbitmqctl -q set_permissions -p "$vhost" portside '.*' '.*' '.*'
pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online || pg_ctlcluster $(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}') start
su postgres -c "psql -q -c \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='portside_bench') THEN CREATE ROLE portside_bench LOGIN PASSWORD 'portside_bench'; END IF; END\\\$\\\$\" -c 'CREATE DATABASE $db OWNER portside_bench'"
"$root/portside" --version >/dev/null

ready() { for _ in $(seq 1 600); do grep -q "admin credentials in" "$1" && return 0; sleep 0.1; done; cat "$1"; exit 1; }
password() { sed -n "s/^export OS_PASSWORD='\?\([^']*\)'\?$/\1/p" "$1/openrc"; }

cat > "$work/controller.yaml" <<YAML
database_url: "jdbc:postgresql://127.0.0.1:5432/$db?user=portside_bench&password=portside_bench"
transport_url: "rabbit://portside:portside@127.0.0.1:5672/$vhost"
service_down_time: 10
operator_enabled: false
public_network_cidr: ""
YAML
"$root/portside" controller --data-dir "$work/controller" --config "$work/controller.yaml" > "$work/controller.log" 2>&1 &
echo $! > "$work/controller.pid"
ready "$work/controller.log"
pw=$(password "$work/controller")

"$root/bin/fabric" up 3
for n in 1 2 3; do
  "$root/bin/fabric" run $n "$root/portside" compute-host --host host$n --local-ip 10.99.0.$((10 + n)) \
    --transport-url "rabbit://portside:portside@10.99.0.1:5672/$vhost" --data-dir "$work/host$n" \
    --report-interval 2 > "$work/host$n.log" 2>&1 &
  echo $! > "$work/host$n.pid"
done
sleep 8
echo "== port update -> rule in force on its host: $updates updates over 3 hosts"
python3 "$root/bench/multihost.py" rules 5000 8774 9696 "$pw" "$updates" 3 | tee "$work/rules.txt"
for n in 1 2 3; do kill "$(cat "$work/host$n.pid")"; rm "$work/host$n.pid"; done
"$root/bin/fabric" down

for n in 1 2 3; do
  "$root/portside" compute-host --host fake$n --local-ip 127.0.0.1 --compute-driver fake \
    --transport-url "rabbit://portside:portside@127.0.0.1:5672/$vhost" --data-dir "$work/fake$n" \
    --report-interval 2 > "$work/fake$n.log" 2>&1 &
  echo $! > "$work/fake$n.pid"
done
sleep 12
echo "== $boots boots across 3 fake compute hosts of a controller"
python3 "$root/bench/multihost.py" boots 5000 8774 9696 "$pw" "$boots" | tee "$work/boots-multi.txt"
kill $(cat "$work"/*.pid); rm "$work"/*.pid
sleep 2

cat > "$work/one.yaml" <<YAML
compute_driver: fake
fake_hosts: [{name: fake1}, {name: fake2}, {name: fake3}]
operator_enabled: false
public_network_cidr: ""
YAML
"$root/portside" serve --data-dir "$work/one" --config "$work/one.yaml" > "$work/one.log" 2>&1 &
echo $! > "$work/one.pid"
ready "$work/one.log"
echo "== baseline: $boots boots on the one-process Portside (three fake hosts, embedded H2)"
python3 "$root/bench/multihost.py" boots 5000 8774 9696 "$(password "$work/one")" "$boots" | tee "$work/boots-one.txt"
multi=$(awk '/BOOTS_PER_S/ {print $2}' "$work/boots-multi.txt")
one=$(awk '/BOOTS_PER_S/ {print $2}' "$work/boots-one.txt")
python3 -c "print(f'== ratio: controller + 3 hosts over RabbitMQ / one process: {$multi/$one:.2f}x the boots/s')"
