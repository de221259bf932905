#!/usr/bin/env python3
# A userspace UDP impairing relay (issue 12 "Loss and faults"; this kernel has no sch_netem): it
# listens on LISTEN for ports 500 and 4500 and relays each client flow to the same port of TARGET
# from its own socket, as a NAT would (the gateway sees LISTEN with another port, RFC 7296 §2.23),
# dropping, duplicating, delaying and reordering IKE and ESP-in-UDP datagrams in both directions.
#   udp-impair.py LISTEN TARGET [--loss P] [--dup P] [--reorder P] [--delay-ms MS] [--seed N]
# A reordered datagram is held 3 × the delay longer, so later ones overtake it. SIGUSR1 stops all
# forwarding from then on (the peer is dead to the other side: DPD, RFC 7296 §2.4). On SIGTERM it
# prints one line of counts.
import argparse, heapq, random, select, signal, socket, sys, time

a = argparse.ArgumentParser()
a.add_argument("listen"); a.add_argument("target")
a.add_argument("--loss", type=float, default=0.0); a.add_argument("--dup", type=float, default=0.0)
a.add_argument("--reorder", type=float, default=0.0); a.add_argument("--delay-ms", type=float, default=0.0)
a.add_argument("--seed", type=int, default=7296)
o = a.parse_args()
rng = random.Random(o.seed)
counts = {"in": 0, "dropped": 0, "duplicated": 0, "reordered": 0, "out": 0, "blackholed": 0}
dead = False

listeners = {}
for port in (500, 4500):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((o.listen, port))
    listeners[s] = port
flows = {}      # (client addr, listen port) -> upstream socket
upstream = {}   # upstream socket -> (listening socket, client addr)
queue = []      # (due, n, socket, data, destination)
n = 0

def schedule(sock, data, dest):
    global n
    counts["in"] += 1
    if dead:
        counts["blackholed"] += 1
        return
    if rng.random() < o.loss:
        counts["dropped"] += 1
        return
    copies = 2 if rng.random() < o.dup else 1
    counts["duplicated"] += copies - 1
    for _ in range(copies):
        delay = o.delay_ms / 1000.0
        if rng.random() < o.reorder:
            counts["reordered"] += 1
            delay += 3 * max(delay, 0.01)
        n += 1
        heapq.heappush(queue, (time.monotonic() + delay, n, sock, data, dest))

def stop(*_):
    print(" ".join(f"{k}={v}" for k, v in counts.items()), flush=True)
    sys.exit(0)

def blackhole(*_):
    global dead
    dead = True
    queue.clear()

signal.signal(signal.SIGUSR1, blackhole)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
while True:
    timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else 1.0
    ready, _, _ = select.select(list(listeners) + list(upstream), [], [], timeout)
    for s in ready:
        data, src = s.recvfrom(65535)
        if s in listeners:
            key = (src, listeners[s])
            if key not in flows:
                u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                u.bind((o.listen, 0))
                flows[key] = u
                upstream[u] = (s, src)
            schedule(flows[key], data, (o.target, listeners[s]))
        else:
            back, client = upstream[s]
            schedule(back, data, client)
    now = time.monotonic()
    while queue and queue[0][0] <= now:
        _, _, sock, data, dest = heapq.heappop(queue)
        try:
            sock.sendto(data, dest)
            counts["out"] += 1
        except OSError:
            pass
