"""Sends or counts raw Ethernet frames on one interface, for tests of Portside's port filtering.

  frames.py send IFACE DST_MAC SRC_MAC ETHERTYPE COUNT [SRC_IP DST_IP]
      COUNT frames carrying a test marker; for ethertype 0x0800, a valid IPv4 ICMP echo request
      from SRC_IP to DST_IP (so the host's IP hooks pass it on), else the marker as the payload.
  frames.py send-tagged VLAN IFACE DST_MAC SRC_MAC ETHERTYPE COUNT [SRC_IP DST_IP]
      the same frames with an 802.1Q tag for VLAN, as a VLAN-aware instance sends them.
  frames.py count IFACE ETHERTYPE SECONDS
      prints "ready" once listening, then, after SECONDS, how many frames of that ethertype with
      the marker arrived.
"""
import socket
import struct
import sys
import time

MARKER = b"portside-frame-test"
ETH_P_ALL = 0x0003


def mac(text):
    return bytes(int(part, 16) for part in text.split(":"))


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def icmp_echo(source, destination):
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x5053, 1) + MARKER
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 0, 0, 64, 1, 0,
                         socket.inet_aton(source), socket.inet_aton(destination))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + icmp


def send(iface, dst, src, ethertype, count, addresses, vlan=None):
    kind = int(ethertype, 16)
    payload = icmp_echo(*addresses) if kind == 0x0800 else MARKER
    tag = b"" if vlan is None else struct.pack("!HH", 0x8100, vlan)
    frame = mac(dst) + mac(src) + tag + kind.to_bytes(2, "big") + payload.ljust(46, b"\0")
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((iface, 0))
        for _ in range(count):
            s.send(frame)
            time.sleep(0.002)


def ours(frame, kind):
    if kind != 0x0800:
        return MARKER in frame[14:]
    # Only the echo requests sent: an ICMP error quoting one (a redirect from a router) carries the marker too.
    header = (frame[14] & 0x0F) * 4
    icmp = 14 + header
    return frame[23] == 1 and frame[icmp] == 8 and frame[icmp + 8:icmp + 8 + len(MARKER)] == MARKER


def count(iface, ethertype, seconds):
    kind = int(ethertype, 16)
    wanted = kind.to_bytes(2, "big")
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL)) as s:
        s.bind((iface, 0))
        s.settimeout(0.2)
        print("ready", flush=True)
        seen = 0
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                frame, address = s.recvfrom(4096)
            except socket.timeout:
                continue
            if address[2] != socket.PACKET_OUTGOING and frame[12:14] == wanted and ours(frame, kind):
                seen += 1
        print(seen, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "send":
        send(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]), sys.argv[7:9])
    elif sys.argv[1] == "send-tagged":
        send(sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], int(sys.argv[7]), sys.argv[8:10], int(sys.argv[2]))
    else:
        count(sys.argv[2], sys.argv[3], float(sys.argv[4]))
