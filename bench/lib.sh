# Shared by the bench scripts: the large-message data generator and the timing row.
# Needs WORK (a scratch directory).

# key<TAB>value lines: values 1-10 MB (or exactly $3 MB), a mix of repetitive JSON,
# JSON with random fields and base64 noise, from a fixed seed. Each value repeats a
# unit of at most ~1.4 MB, so zstd with a long window finds matches: the data is
# more compressible than most real payloads.
generate() {  # total_mb out_file [fixed_mb]
    python3 - "$1" "$2" "${3:-0}" <<'PY'
import base64, random, sys
total, out, fixed = int(sys.argv[1]) << 20, sys.argv[2], int(sys.argv[3])
r = random.Random(42)
with open(out, "w") as f:
    written, i = 0, 0
    while written < total:
        n = (fixed << 20) if fixed else r.randint(1 << 20, 10 << 20)
        kind = i % 3
        if kind == 0:
            unit = '{"id":%d,"status":"shipped","items":[1,2,3]},' % i
        elif kind == 1:
            unit = "".join('{"id":%d,"v":"%016x"},' % (j, r.getrandbits(64)) for j in range(4000))
        else:
            unit = base64.b64encode(r.randbytes(1 << 20)).decode()
        body = (unit * (n // len(unit) + 1))[:n]
        f.write("k%d\t%s\n" % (i, body))
        written += n
        i += 1
PY
}

# ~1 KB values (JSON: random ids and a text of words from a 500-word vocabulary), key<TAB>value
# lines, from a fixed seed: the small-record workload.
generate_small() {  # total_mb out_file [value_bytes]
    python3 - "$1" "$2" "${3:-1024}" <<'PY'
import random, sys
total, out, size = int(sys.argv[1]) << 20, sys.argv[2], int(sys.argv[3])
r = random.Random(7)
words = ["w%x" % r.getrandbits(20) for _ in range(500)]
with open(out, "w") as f:
    for i in range(total // size):
        head = '{"id":%d,"user":"u%06d","v":"%016x","note":"' % (
            i, r.randrange(10**6), r.getrandbits(64))
        body = head + " ".join(r.choices(words, k=size // 6))
        f.write("k%d\t%s\n" % (i, body[: size - 2] + '"}'))
PY
}

# key<TAB>value lines of 1-10 MB values with the compressibility of real JSON records
# (zstd -3: ratio ~4, ~200 MB/s a core): each value is a slice, at a random place, of
# 48 MB of distinct records, so no match reaches back further than its own value.
generate_varied() {  # total_mb out_file
    python3 - "$1" "$2" <<'PY'
import random, sys
total, out = int(sys.argv[1]) << 20, sys.argv[2]
r = random.Random(7)
words = ["shipped", "pending", "cancelled", "returned", "eu-west-1", "us-east-2", "alpha", "beta",
         "gamma", "customer", "order", "invoice", "warehouse", "priority", "standard"]
parts = []
size = 0
i = 0
while size < (48 << 20):
    s = '{"id":%d,"user":"u%07d","status":"%s","region":"%s","amount":%d.%02d,"sku":"%012x","note":"%s"},' % (
        i, r.randrange(10**7), r.choice(words), r.choice(words), r.randrange(10**5), r.randrange(100),
        r.getrandbits(48), " ".join(r.choice(words) for _ in range(r.randrange(1, 6))))
    parts.append(s); size += len(s); i += 1
pool = "".join(parts)
with open(out, "w") as f:
    written, k = 0, 0
    while written < total:
        n = r.randint(1 << 20, 10 << 20)
        start = r.randrange(len(pool) - n)
        f.write("k%d\t%s\n" % (k, pool[start:start + n]))
        written += n; k += 1
PY
}

# Runs a command under /usr/bin/time -v and prints one table row (see header).
measure() {  # label mb command...  -> one table row
    local label=$1 mb=$2; shift 2
    /usr/bin/time -v -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }
    python3 - "$label" "$mb" "$WORK/time" "${KB_BENCH_TSV:-}" <<'PY'
import re, sys
label, mb, text = sys.argv[1], float(sys.argv[2]), open(sys.argv[3]).read()
tsv = sys.argv[4]
def f(name):
    return re.search(name + r": (.*)", text).group(1).strip()
wall = f("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)").split(":")
secs = max(0.01, sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall))))  # m:ss.cc: 0 when tiny
cpu = float(f("User time \\(seconds\\)")) + float(f("System time \\(seconds\\)"))
rss = int(f("Maximum resident set size \\(kbytes\\)")) / 1024
print("| %-40s | %8.1f | %7.1f | %8.0f | %10.1f |" % (label, mb / secs, secs, rss, cpu / (mb / 1024)))
if tsv:  # KB_BENCH_TSV: also one machine-readable line (label, MB, wall s, peak MB, CPU s)
    with open(tsv, "a") as f:
        f.write("%s\t%.3f\t%.3f\t%.1f\t%.3f\n" % (label, mb, secs, rss, cpu))
PY
}

header() {
    echo
    echo "| run                                      | MB/s     | wall s  | peak MB  | CPU s / GB |"
    echo "|------------------------------------------|----------|---------|----------|------------|"
}
