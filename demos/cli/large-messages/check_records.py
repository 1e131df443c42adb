#!/usr/bin/env python3
"""Compares records read back from Kafka with the lines of a JSON Lines file.

Usage: kafka-console-consumer.sh ... | python3 check_records.py EXPECTED.json
Reads one record value a line on stdin; prints size and SHA-256 of each and exits 1
at the first record that is missing, truncated or different.
"""
import hashlib
import sys


def digests(lines):
    for line in lines:
        body = line.rstrip(b"\n")
        yield len(body), hashlib.sha256(body).hexdigest()


def main():
    with open(sys.argv[1], "rb") as f:
        expected = list(digests(f))
    got = list(digests(sys.stdin.buffer))
    for i, want in enumerate(expected):
        have = got[i] if i < len(got) else None
        if have != want:
            print(f"record {i}: expected {want[0]} bytes sha256 {want[1][:16]}..., "
                  f"got {'nothing' if have is None else f'{have[0]} bytes sha256 {have[1][:16]}...'}")
            sys.exit(1)
        print(f"  record {i}: {have[0]:>9} bytes  sha256 {have[1][:16]}...  ok")
    if len(got) != len(expected):
        print(f"expected {len(expected)} records, got {len(got)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
