#!/usr/bin/env python3
"""Reads payment records (one JSON document a line on stdin) and reports the bad ones:
not JSON, no payment id, or an amount that is not a positive number. Exit 1 if any."""
import json
import sys

bad = total = 0
for line in sys.stdin:
    total += 1
    try:
        p = json.loads(line)
        ok = isinstance(p, dict) and p.get("payment_id") and \
            isinstance(p.get("amount"), (int, float)) and p["amount"] > 0
    except ValueError:
        ok = False
    if not ok:
        bad += 1
        if bad <= 3:
            print(f"     bad record: {line.strip()[:80]}")
print(f"     {total} payments read, {bad} bad")
sys.exit(1 if bad else 0)
