#!/usr/bin/env bash
# Starts Debian's Keystone (Zed) on 127.0.0.1:15000 as a side-by-side peer for bench/identity.py:
# fernet tokens, bcrypt at Keystone's default cost, PostgreSQL, 2 uWSGI processes (one per core).
# Usage: keystone-up.sh [DIR]; prints DIR and the admin password; stop with: kill $(cat DIR/uwsgi.pid)
set -eu
DIR=${1:-$(mktemp -d /tmp/keystone-peer.XXXXXX)}; mkdir -p "$DIR/fernet-keys" "$DIR/credential-keys"
need=()
command -v keystone-manage >/dev/null || need+=(python3-keystone)
command -v uwsgi >/dev/null || need+=(uwsgi-core uwsgi-plugin-python3)
python3 -c 'import psycopg2' 2>/dev/null || need+=(python3-psycopg2)
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
[ ${#need[@]} -eq 0 ] || { apt-get update -q >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null; }
pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online || pg_ctlcluster $(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}') start
su postgres -c "psql -q -c \"DROP DATABASE IF EXISTS keystone_peer\" -c \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='keystone_peer') THEN CREATE USER keystone_peer PASSWORD 'keystone_peer'; END IF; END\\\$\\\$\" -c \"CREATE DATABASE keystone_peer OWNER keystone_peer\""
cat > "$DIR/keystone.conf" <<CONF
[DEFAULT]
log_file = $DIR/keystone.log
[database]
connection = postgresql://keystone_peer:keystone_peer@127.0.0.1/keystone_peer
[token]
provider = fernet
[fernet_tokens]
key_repository = $DIR/fernet-keys
[credential]
key_repository = $DIR/credential-keys
CONF
export OS_KEYSTONE_CONFIG_FILES="$DIR/keystone.conf"
keystone-manage --config-file "$DIR/keystone.conf" db_sync > "$DIR/manage.log" 2>&1
keystone-manage --config-file "$DIR/keystone.conf" fernet_setup --keystone-user root --keystone-group root >> "$DIR/manage.log" 2>&1
keystone-manage --config-file "$DIR/keystone.conf" credential_setup --keystone-user root --keystone-group root >> "$DIR/manage.log" 2>&1
password=peer-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
keystone-manage --config-file "$DIR/keystone.conf" bootstrap --bootstrap-password "$password" \
  --bootstrap-public-url http://127.0.0.1:15000/v3 --bootstrap-region-id RegionOne >> "$DIR/manage.log" 2>&1
echo "$password" > "$DIR/admin-password"
# The start command is kept beside the config, so the benchmark can time a restart.
cat > "$DIR/start.sh" <<START
#!/usr/bin/env bash
exec uwsgi --plugin python3 --http-socket 127.0.0.1:15000 \\
  --wsgi-file /usr/bin/keystone-wsgi-public --processes 2 --threads 1 --master --die-on-term \\
  --pidfile "$DIR/uwsgi.pid" --env OS_KEYSTONE_CONFIG_FILES="$DIR/keystone.conf" >> "$DIR/uwsgi.log" 2>&1
START
chmod +x "$DIR/start.sh"
nohup "$DIR/start.sh" >/dev/null 2>&1 &
for _ in $(seq 1 240); do curl -fsS -o /dev/null http://127.0.0.1:15000/v3 2>/dev/null && { echo "keystone up, dir $DIR"; exit 0; }; sleep 0.25; done
echo "keystone did not start; see $DIR/uwsgi.log"; exit 1
