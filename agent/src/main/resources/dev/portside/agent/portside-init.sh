#!/bin/sh
# The init of a Portside namespace instance, run inside the instance's network namespace (and its
# own UTS namespace, for the hostname).
#
# It reads the config drive Portside wrote (openstack/latest/meta_data.json and network_data.json,
# OpenStack's formats, read with jq), sets the hostname, brings every link up by its MAC (an
# unaddressed port is a link with no address), makes a VLAN interface for each vlan link (a trunk's
# sub-port: eth0.100, with the sub-port's MAC), adds each address and one default route per family,
# installs the public keys, and then runs the instance's SSH server on its addresses. Its output is
# the instance's console log. Running it again (start after stop, reboot) replaces rather than adds.
# A shell script, not Python: an interpreter start-up would be most of a boot here.
#
# usage: portside-init.sh CONFIG_DIR
set -eu
config=$1
latest=$config/openstack/latest
tab=$(printf '\t')

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%S) portside-init: $*"; }

prefix_of() { # 255.255.255.0 -> 24
  bits=0
  for octet in $(echo "$1" | tr '.' ' '); do
    case $octet in
      255) bits=$((bits + 8)) ;; 254) bits=$((bits + 7)) ;; 252) bits=$((bits + 6)) ;; 248) bits=$((bits + 5)) ;;
      240) bits=$((bits + 4)) ;; 224) bits=$((bits + 3)) ;; 192) bits=$((bits + 2)) ;; 128) bits=$((bits + 1)) ;;
    esac
  done
  echo "$bits"
}

interface_with_mac() {
  for dir in /sys/class/net/*; do
    if [ "$(cat "$dir/address")" = "$1" ]; then basename "$dir"; return; fi
  done
}

# One jq run turns both files into records, one per line: host, link, vlan, net, key.
jq -r --slurpfile meta "$latest/meta_data.json" '
  "host\t" + ($meta[0].hostname // "instance"),
  (.links[] | if .type == "vlan"
    then "vlan\t\(.id)\t\(.vlan_link)\t\(.vlan_id)\t\(.vlan_mac_address | ascii_downcase)\t\(.mtu // 1500)"
    else "link\t\(.id)\t\(.ethernet_mac_address | ascii_downcase)\t\(.mtu // 1500)" end),
  (.networks[] | "net\t\(.link)\t\(.type)\t\(.ip_address)\t\(.netmask)\t\(([.routes[]?
      | select(.network == "0.0.0.0" or .network == "::") | .gateway] + ["-"])[0])"),
  ($meta[0].public_keys // {} | to_entries[] | "key\t\(.value)")
' "$latest/network_data.json" > "$config/init.records"

: > "$config/authorized_keys"
chmod 600 "$config/authorized_keys"
: > "$config/links"
listen=""
default4=""
default6=""
while IFS="$tab" read -r kind a b c d e; do
  case $kind in
    host)
      hostname "$a"
      log "hostname $a" ;;
    link)
      name=$(interface_with_mac "$b")
      if [ -z "$name" ]; then log "no interface with MAC $b"; continue; fi
      ip link set "$name" mtu "$c" up
      echo "$a $name" >> "$config/links"
      log "$name $b up" ;;
    vlan)
      parent=$(awk -v id="$b" '$1 == id {print $2}' "$config/links")
      [ -n "$parent" ] || { log "no interface for link $b of VLAN $c"; continue; }
      name="$parent.$c"
      # A namespace instance on a host without 802.1Q gets the interface from the host instead.
      if ! ip link show "$name" >/dev/null 2>&1 \
        && ! ip link add link "$parent" name "$name" address "$d" mtu "$e" type vlan id "$c" 2>/dev/null; then
        log "cannot make $name: no VLAN interfaces (802.1Q) in this kernel"
        continue
      fi
      ip link set "$name" up
      echo "$a $name" >> "$config/links"
      log "$name VLAN $c on $parent, $d up" ;;
    net)
      name=$(awk -v id="$a" '$1 == id {print $2}' "$config/links")
      [ -n "$name" ] || continue
      if [ "$b" = ipv4 ]; then family=4; prefix=$(prefix_of "$d"); else family=6; prefix=$d; fi
      ip -$family addr replace "$c/$prefix" dev "$name"
      log "$name $c/$prefix"
      listen="$listen $c"
      echo "$a" >> "$config/links.addressed"
      if [ "$e" != "-" ]; then
        if [ $family = 4 ] && [ -z "$default4" ]; then
          ip -4 route replace default via "$e" dev "$name"; default4=$e; log "default route via $e"
        elif [ $family = 6 ] && [ -z "$default6" ]; then
          ip -6 route replace default via "$e" dev "$name"; default6=$e; log "default route via $e"
        fi
      fi ;;
    key)
      echo "$a" >> "$config/authorized_keys" ;;
  esac
done < "$config/init.records"
while read -r id name; do
  grep -qx "$id" "$config/links.addressed" 2>/dev/null || log "$name has no address (unaddressed port)"
done < "$config/links"
rm -f "$config/links.addressed"
ip link set lo up
# Tells the host the instance's network is configured: it reports the ports up only then.
: > "$config/network-ready"

if [ -z "$listen" ]; then
  log "no address: no SSH server; the instance stays up"
  exec sleep infinity
fi
[ -f "$config/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N "" -f "$config/ssh_host_ed25519_key"
mkdir -p /run/sshd
set -- -D -e -f /dev/null -o "HostKey=$config/ssh_host_ed25519_key" -o "AuthorizedKeysFile=$config/authorized_keys" \
  -o PermitRootLogin=prohibit-password -o PasswordAuthentication=no -o UsePAM=no -o PidFile=none \
  -o StrictModes=no
# (StrictModes off: the config dir sits in Portside's data dir; its parents are not sshd's business.)
for address in $listen; do
  case $address in *:*) set -- "$@" -o "ListenAddress=[$address]" ;; *) set -- "$@" -o "ListenAddress=$address" ;; esac
done
log "ssh server on$listen"
exec /usr/sbin/sshd "$@"
