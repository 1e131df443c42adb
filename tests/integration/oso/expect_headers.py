"""Checks a restored topic against its source, record by record (dumps of
dump_records.py), with the headers OSO's restore options make:

  expect_headers.py SOURCE.jsonl TARGET.jsonl MODE     MODE: none | add | strip | strip+add

add: the source record's headers, then x-original-offset (i64 little-endian source
offset), x-original-timestamp (i64 LE timestamp) and x-source-partition (i32 LE), as
OSO's inject_offset_headers writes them. strip: the source headers without any named
x-original-offset, x-original-timestamp, x-source-cluster or x-source-partition.
Keys, values, timestamps, partitions and order must be identical. Prints a count.
"""
import json
import struct
import sys

TOOL = {"x-original-offset", "x-original-timestamp", "x-source-cluster", "x-source-partition"}
source_file, target_file, mode = sys.argv[1:4]


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def expected_headers(src):
    partition, offset, ts, headers = src[0], src[1], src[2], src[5]
    if "strip" in mode:
        headers = [h for h in headers if h[0] not in TOOL]
    if "add" in mode:
        headers = headers + [["x-original-offset", struct.pack("<q", offset).hex()],
                             ["x-original-timestamp", struct.pack("<q", ts).hex()],
                             ["x-source-partition", struct.pack("<i", partition).hex()]]
    return headers


source, target = load(source_file), load(target_file)
if len(source) != len(target):
    sys.exit(f"{len(target)} records restored, {len(source)} in the source")
for i, (s, t) in enumerate(zip(source, target)):
    if s[0] != t[0] or s[2:5] != t[2:5]:
        sys.exit(f"record {i}: source {s} restored as {t}")
    want = expected_headers(s)
    if t[5] != want:
        sys.exit(f"record {i} (partition {s[0]} offset {s[1]}): headers {t[5]}, expected {want}")
print(f"{len(target)} records as expected ({mode})")
