#!/usr/bin/env python3
"""Writes sample-large-messages.json: JSON Lines, one JSON document of 1-10 MB a line.

Deterministic (fixed seed): the same bytes on every machine, so a run's SHA-256s can be
compared with another's. Each document is a device's telemetry dump: a header, then
readings whose values are partly random (so it compresses about 2-3x, like real
payloads, not 100x like repeated text).

Usage: python3 generate_large_messages.py [OUT] [--sizes-mb 1,1.5,2,3,4,6,8,10]
"""
import argparse
import json
import os
import random

DEFAULT_SIZES_MB = "1,1.5,2,3,4,6,8,10"


def document(rng, index, size):
    head = {"id": f"dump-{index:03d}", "device": f"sensor-{rng.randrange(1000):03d}",
            "firmware": "4.2.1", "target_bytes": size, "readings": []}
    budget = size - len(json.dumps(head, separators=(",", ":"))) - 64
    readings = []
    used = 0
    t = 1736935200000 + index * 3600000
    while used < budget:
        r = {"t": t, "temp": round(rng.uniform(-20, 45), 3), "hum": rng.randrange(100),
             "sig": rng.getrandbits(64).to_bytes(8, "big").hex(), "state": rng.choice(
                 ["ok", "ok", "ok", "warn", "degraded"])}
        s = json.dumps(r, separators=(",", ":"))
        if used + len(s) + 1 > budget:
            break
        readings.append(r)
        used += len(s) + 1
        t += 250
    head["readings"] = readings
    text = json.dumps(head, separators=(",", ":"))
    head["padding"] = "x" * max(0, size - len(text) - len(',"padding":""'))
    return json.dumps(head, separators=(",", ":"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default="sample-large-messages.json")
    ap.add_argument("--sizes-mb", default=DEFAULT_SIZES_MB)
    args = ap.parse_args()
    rng = random.Random(20251130)
    sizes = [int(float(s) * 1024 * 1024) for s in args.sizes_mb.split(",")]
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        for i, size in enumerate(sizes, 1):
            f.write(document(rng, i, size) + "\n")
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
