"""Boot latency of Portside's test image as a QEMU VM and as a namespace instance, and of the same
image under a bare qemu-system-x86_64 command (the baseline), all to the same point: SSH answers.

usage: vm.py OPENRC IMAGE_DIR WORK N   (run by bench/vm.sh, as root)
"""
import json, os, statistics, subprocess, sys, time, urllib.request

openrc, image_dir, work, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
env = dict(l.split(" ", 1)[1].strip().split("=", 1) for l in open(openrc) if l.startswith("export "))
env = {k: v.strip("'") for k, v in env.items()}
os.environ.update(env)
key = os.path.join(work, "key")
subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
SSH = ["ssh", "-i", key, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
       "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=1"]


def cli(*args):
    return json.loads(subprocess.run(["openstack", *args, "-f", "json"], check=True, capture_output=True, text=True).stdout)


def api(method, url, token, body=None):
    req = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None, method=method,
                                 headers={"X-Auth-Token": token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"{}")


def await_ssh(address, deadline=300):
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if subprocess.run(SSH + ["root@" + address, "true"], capture_output=True).returncode == 0:
            return
        time.sleep(0.05)
    raise SystemExit("no SSH on " + address)


token = cli("token", "issue")["id"]
compute = [e for s in cli("catalog", "list") if s["Type"] == "compute" for e in s["Endpoints"]][0]["url"]
pub = open(key + ".pub").read().strip()
cli("keypair", "create", "--public-key", key + ".pub", "benchkey")
cli("network", "create", "bench-mgmt")
cli("subnet", "create", "--network", "bench-mgmt", "--subnet-range", "10.230.0.0/24", "bench-mgmt-sub")
subprocess.run(["openstack", "security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22", "default"],
               capture_output=True)
net = cli("network", "show", "bench-mgmt")["id"]
images = {"vm": cli("image", "create", "--disk-format", "qcow2", "--container-format", "bare", "--file",
                    image_dir + "/portside-test.qcow2", "bench-image")["id"],
          "namespace": cli("image", "show", "portside-ns")["id"]}
flavor = cli("flavor", "show", "m1.tiny")["id"]


def portside_boot(kind, i):
    t0 = time.monotonic()
    server = api("POST", compute + "/servers", token, {"server": {"name": f"bench-{kind}-{i}", "imageRef": images[kind],
                 "flavorRef": flavor, "key_name": "benchkey", "networks": [{"uuid": net}]}})["server"]
    sid = server["id"]
    while True:
        s = api("GET", compute + "/servers/" + sid, token)["server"]
        if s["status"] in ("ACTIVE", "ERROR"):
            break
        time.sleep(0.02)
    active = time.monotonic() - t0
    assert s["status"] == "ACTIVE", s
    address = s["addresses"]["bench-mgmt"][0]["addr"]
    await_ssh(address)
    ssh = time.monotonic() - t0
    subprocess.run(["openstack", "server", "delete", "--wait", sid], check=True)
    return active, ssh


def bare_boot(i):
    """The same image, disk overlay, config drive and a tap on a bridge, booted by qemu itself."""
    d = os.path.join(work, f"bare{i}")
    os.makedirs(d + "/cd/openstack/latest")
    mac = "fa:16:3e:77:00:%02x" % i
    json.dump({"uuid": f"bare{i}", "hostname": "bare", "name": "bare", "public_keys": {"k": pub}},
              open(d + "/cd/openstack/latest/meta_data.json", "w"))
    json.dump({"links": [{"id": "l0", "type": "bridge", "ethernet_mac_address": mac, "mtu": 1500}],
               "networks": [{"id": "n0", "type": "ipv4", "link": "l0", "ip_address": "10.231.0.5",
                             "netmask": "255.255.255.0", "routes": []}], "services": []},
              open(d + "/cd/openstack/latest/network_data.json", "w"))
    subprocess.run(["genisoimage", "-quiet", "-o", d + "/disk.config", "-V", "config-2", "-r", "-J", "-l", d + "/cd"], check=True)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", image_dir + "/portside-test.raw",
                    d + "/disk", "1G"], check=True)
    t0 = time.monotonic()
    subprocess.run(["qemu-system-x86_64", "-machine", "pc,accel=tcg", "-cpu", "qemu64", "-smp", "1", "-m", "512",
                    "-nodefaults", "-no-user-config", "-display", "none", "-serial", "file:" + d + "/console.log",
                    "-drive", f"file={d}/disk,format=qcow2,if=virtio,index=0",
                    "-drive", f"file={d}/disk.config,format=raw,if=virtio,index=1,readonly=on",
                    "-netdev", "tap,id=n0,ifname=tapbenchbare,script=no,downscript=no",
                    "-device", f"virtio-net-pci,netdev=n0,mac={mac}", "-daemonize", "-pidfile", d + "/pid"], check=True)
    await_ssh("10.231.0.5")
    took = time.monotonic() - t0
    subprocess.run(["kill", open(d + "/pid").read().strip()])
    time.sleep(1)
    return took


subprocess.run("ip link add brbenchbare type bridge && ip addr add 10.231.0.1/24 dev brbenchbare && "
               "ip link set brbenchbare up && ip tuntap add dev tapbenchbare mode tap && "
               "ip link set tapbenchbare master brbenchbare up", shell=True, check=True)
results = {"vm": [], "namespace": [], "bare": []}
try:
    for i in range(n):  # interleaved, so drift on the machine falls on every kind alike
        results["bare"].append(bare_boot(i))
        results["vm"].append(portside_boot("vm", i))
        results["namespace"].append(portside_boot("namespace", i))
finally:
    subprocess.run("ip link del tapbenchbare; ip link del brbenchbare", shell=True)
p50 = statistics.median
bare = p50(results["bare"])
vm_active, vm_ssh = p50([a for a, _ in results["vm"]]), p50([s for _, s in results["vm"]])
ns_active, ns_ssh = p50([a for a, _ in results["namespace"]]), p50([s for _, s in results["namespace"]])
print(f"p50 over {n}, TCG")
print(f"  bare qemu-system-x86_64 -> SSH        {bare:6.2f} s")
print(f"  Portside VM: create -> ACTIVE         {vm_active:6.2f} s")
print(f"  Portside VM: create -> SSH            {vm_ssh:6.2f} s   ratio to bare {vm_ssh / bare:.3f}")
print(f"  Portside namespace: create -> ACTIVE  {ns_active:6.2f} s")
print(f"  Portside namespace: create -> SSH     {ns_ssh:6.2f} s")
print("raw:", json.dumps(results))
