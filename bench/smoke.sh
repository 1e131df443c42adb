#!/usr/bin/env bash
# bench_run_smoke (CTest label `bench`, not in scripts/test.sh's default labels): bench/run.sh at
# a tiny size, then checks that its table is whole: every case has a number for ours and for OSO,
# and every reference row is there. Figures at this size mean nothing. It builds the OSO peer on
# first use (bench/peers/oso/build.sh: run it once beforehand, it can take longer than the test's
# timeout on a busy machine).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d /tmp/kb-bench-smoke.XXXXXX)
trap 'rm -rf "$out"' EXIT
"$here/run.sh" --large-mb 16 --small-mb 2 --rounds 1 --out "$out" >"$out/stdout" 2>&1 ||
    { tail -30 "$out/stdout" >&2; echo "FAIL: bench/run.sh failed" >&2; exit 1; }
python3 - "$out/table.md" <<'PY'
import sys
rows = [l.split("|")[1:-1] for l in open(sys.argv[1]) if l.startswith("| ")]
cases = [r for r in rows if r[0].strip().startswith(("backup ", "restore "))]
refs = [r for r in rows if not r[0].strip().startswith(("backup ", "restore ", "case", "reference"))]
def number(cell):
    try:
        return float(cell.strip().rstrip("×")) > 0
    except ValueError:
        return False
bad = [r[0].strip() for r in cases if not (number(r[1]) and number(r[2]))]
if len(cases) != 17 or len(refs) != 19 or bad:
    sys.exit("FAIL: %d cases (want 17), %d references (want 19), without both figures: %s"
             % (len(cases), len(refs), bad))
print("ok: %d cases with ours and OSO, %d references" % (len(cases), len(refs)))
PY
