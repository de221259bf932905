#!/usr/bin/env python3
# IKE_SA_INIT flooder for tests/interop/harness/ike-flood.sh (issue 12 "Floods"): spoofed RFC 7296 §1.2
# requests (SA: AES-CBC-128/HMAC-SHA2-256/PRF-HMAC-SHA2-256/X25519, KE, Ni) from random sources of
# a documentation prefix and random ports, through a raw socket (IP_HDRINCL), at up to RATE per
# second for SECONDS. The prefix is routed back to this namespace as local (`ip route add local`),
# so the gateway's answers arrive here and are counted by kind: COOKIE (§2.6), a full IKE_SA_INIT
# response (state created), other notifies. Prints key=value lines.
#   ike-flood.py TARGET_IP SOURCE_PREFIX(a.b.c.0/NN) RATE SECONDS
import ipaddress, os, random, socket, struct, sys, threading, time

target, prefix, rate, seconds = sys.argv[1], ipaddress.ip_network(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
sources = [int(a) for a in prefix.hosts()]
source_set = set(sources)

def transform(last, ttype, tid, attrs=b""):
    body = struct.pack("!BBH", ttype, 0, tid) + attrs
    return struct.pack("!BBH", 0 if last else 3, 0, 4 + len(body)) + body

transforms = (transform(False, 1, 12, struct.pack("!HH", 0x800E, 128)) + transform(False, 2, 5)
              + transform(False, 3, 12) + transform(True, 4, 31))
proposal = struct.pack("!BBHBBBB", 0, 0, 8 + len(transforms), 1, 1, 0, 4) + transforms
sa = struct.pack("!BBH", 34, 0, 4 + len(proposal)) + proposal            # next: KE
ke = struct.pack("!BBHHH", 40, 0, 8 + 32, 31, 0) + os.urandom(32)       # next: Nonce
def ike(spi, nonce):
    no = struct.pack("!BBH", 0, 0, 4 + len(nonce)) + nonce
    body = sa + ke + no
    return struct.pack("!QQBBBBII", spi, 0, 33, 0x20, 34, 0x08, 0, 28 + len(body)) + body

counts = {"cookie": 0, "sa": 0, "other": 0}
stop = threading.Event()

def receive():
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
    r.settimeout(0.5)
    while not stop.is_set():
        try:
            pkt = r.recv(4096)
        except socket.timeout:
            continue
        ihl = (pkt[0] & 0x0F) * 4
        if len(pkt) < ihl + 8 + 28 or struct.unpack("!H", pkt[ihl:ihl + 2])[0] != 500:
            continue
        if struct.unpack("!I", pkt[16:20])[0] not in source_set:
            continue  # the legitimate clients' answers
        ikeh = pkt[ihl + 8:]
        if ikeh[18] != 34 or not ikeh[19] & 0x20:
            continue
        if ikeh[16] == 41 and len(ikeh) >= 36 and struct.unpack("!H", ikeh[34:36])[0] == 16390:
            counts["cookie"] += 1
        elif ikeh[16] == 33:
            counts["sa"] += 1
        else:
            counts["other"] += 1

rx = threading.Thread(target=receive, daemon=True)
rx.start()
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
dst = socket.inet_aton(target)
sent = 0
start = time.monotonic()
end = start + seconds
# One template per source; per packet only the UDP source port, SPIi and the start of Ni change
# (the kernel fills in the IPv4 checksum; a zero UDP checksum means none, RFC 768).
payload = ike(1, os.urandom(32))
templates = []
for src in sources:
    udp = struct.pack("!HHHH", 0, 500, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, struct.pack("!I", src), dst)
    templates.append(bytearray(ip + udp))
spi_at, nonce_at = 28, 28 + len(payload) - 32
getrandbits, send = random.getrandbits, s.sendto
while True:
    now = time.monotonic()
    if now >= end:
        break
    # Pace in batches of 256: at most RATE per second on average.
    if sent >= (now - start) * rate:
        time.sleep(0.0005)
        continue
    for _ in range(256):
        pkt = templates[getrandbits(16) % len(templates)]
        pkt[20:22] = (1024 + getrandbits(15)).to_bytes(2, "big")
        pkt[spi_at:spi_at + 8] = (getrandbits(64) | 1).to_bytes(8, "big")
        pkt[nonce_at:nonce_at + 8] = getrandbits(64).to_bytes(8, "big")
        try:
            send(pkt, (target, 0))
            sent += 1
        except OSError:
            pass
elapsed = time.monotonic() - start
time.sleep(1.0)  # answers still in flight
stop.set()
rx.join()
print(f"flood_sent={sent}")
print(f"flood_pps={sent / elapsed:.0f}")
print(f"flood_answers_cookie={counts['cookie']}")
print(f"flood_answers_sa={counts['sa']}")
print(f"flood_answers_other={counts['other']}")
