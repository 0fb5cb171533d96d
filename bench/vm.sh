#!/usr/bin/env bash
# VM benchmark: Portside's test image booted as a QEMU VM and as a namespace instance, to ACTIVE and
# to SSH, p50 over N (default 5), against the baseline in the same run: the same image, overlay,
# config drive and tap booted by a bare qemu-system-x86_64 command, to SSH. Then iperf3 from VM1 to
# VM3 through VM2 (the spec's middle box doing NAT) with VM2 as a VM and as a namespace.
# Usage, as root from the repository root: bash bench/vm.sh [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=${1:-5}
work=$(mktemp -d /tmp/portside-vmbench.XXXXXX)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
images=$("$root/bin/build-test-image")
printf 'compute_driver: namespace,qemu\nqemu_accel: tcg\nshutdown_timeout: 10\n' > "$work/portside.yaml"
"$root/portside" serve --data-dir "$work/portside" --config "$work/portside.yaml" --identity-port 15710 \
  --network-port 19710 --image-port 19711 --compute-port 18710 > "$work/portside.log" 2>&1 &
echo $! > "$work/portside.pid"
for _ in $(seq 1 600); do grep -q "admin credentials in" "$work/portside.log" && break; sleep 0.2; done
echo "== boot: bare QEMU vs Portside (VM, namespace), $n each, interleaved"
python3 "$root/bench/vm.py" "$work/portside/openrc" "$images" "$work" "$n"
echo "== iperf3 VM1 -> VM2 (NAT) -> VM3, VM2 a namespace, then a VM"
for kind in --namespaces ""; do
  out=$(bash "$root/bin/demo" --openrc "$work/portside/openrc" $kind 2>&1) || { echo "$out" | tail -20; exit 1; }
  echo "VM2 ${kind:-as a VM}: $(echo "$out" | grep -E 'receiver' | tail -1)"
done
