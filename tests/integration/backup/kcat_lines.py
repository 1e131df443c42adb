"""Turns kcat -J output into backup_dump's R lines (see backup_dump.cpp), sorted.

Values produced by these tests are text, so kcat's JSON strings are their bytes.
"""
import hashlib
import json
import sys


def field(v):
    if v is None:
        return "-1 -"
    b = v.encode("utf-8")
    return "%d %s" % (len(b), hashlib.sha256(b).hexdigest())


def header_value(v):
    if v is None:
        return "-1:-"
    b = v.encode("utf-8")
    return "%d:%s" % (len(b), hashlib.sha256(b).hexdigest())


lines = []
for raw in sys.stdin:
    raw = raw.strip()
    if not raw:
        continue
    m = json.loads(raw)
    hs = m.get("headers") or []
    pairs = [(hs[i], hs[i + 1]) for i in range(0, len(hs), 2)]
    line = "R %s %d %d %d %s %s %d" % (m["topic"], m["partition"], m["offset"], m["ts"],
                                        field(m.get("key")), field(m.get("payload")), len(pairs))
    for k, v in pairs:
        line += " %s=%s" % (k, header_value(v))
    lines.append((m["partition"], m["offset"], line))
for _, _, line in sorted(lines):
    print(line)
