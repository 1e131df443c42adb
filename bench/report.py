"""bench/run.sh's report: rows.tsv and requests.tsv -> table.md and chart.png.

rows.tsv: label, MB, wall s, peak RSS MB, CPU s (one line per measured run; bench/lib.sh
`measure`). A label is "<case>|<tool>" with tool ours, oso or ref. When a label ran more than
once (rounds), the fastest run is kept. requests.tsv: label, PUT-class and GET-class S3
requests MinIO counted during that run.
"""
import argparse
import collections
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

Run = collections.namedtuple("Run", "mb secs rss cpu put get")


def read_runs(rows_path, requests_path):
    requests = collections.defaultdict(list)
    with open(requests_path) as f:
        for line in f:
            label, put, get = line.rstrip("\n").split("\t")
            requests[label].append((int(put), int(get)))
    runs = collections.defaultdict(list)
    seen = collections.Counter()
    with open(rows_path) as f:
        for line in f:
            label, mb, secs, rss, cpu = line.rstrip("\n").split("\t")
            req = requests[label][seen[label]] if seen[label] < len(requests[label]) else None
            seen[label] += 1
            put, get = req if req else (None, None)
            runs[label].append(Run(float(mb), float(secs), float(rss), float(cpu), put, get))
    return {label: min(rs, key=lambda r: r.secs) for label, rs in runs.items()}


def rate(run):
    return run.mb / run.secs


def per_gb(run, value):
    return None if value is None else value / (run.mb / 1024)


def fmt(x, spec="%.0f"):
    return "–" if x is None else spec % x


def reference_for(case):
    """The reference row a case is read against (label without |ref)."""
    kind, shape, target, comp = case.split()
    data = shape.split("-")[0]
    if kind == "restore":
        return "ref produce perf-test %s" % data
    if target == "minio" and comp == "none":
        return "ref upload s5cmd %s" % data
    return "ref fetch-only kcat %s" % shape


def case_table(best):
    cases = [label[:-5] for label in best if label.endswith("|ours")]
    lines = [
        "| case | ours MB/s | OSO MB/s | ours ÷ OSO | peak MB ours / OSO | CPU s/GB ours / OSO"
        " | S3 PUT+LIST per GB ours / OSO | S3 GET+HEAD per GB ours / OSO | reference (MB/s) | ours ÷ ref |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for case in cases:
        ours, oso = best[case + "|ours"], best.get(case + "|oso")
        ref_label = reference_for(case)
        ref = best.get(ref_label + "|ref")
        lines.append(
            "| %s | %.1f | %s | %s | %.0f / %s | %.1f / %s | %s / %s | %s / %s | %s (%s) | %s |"
            % (
                case,
                rate(ours),
                fmt(oso and rate(oso), "%.1f"),
                fmt(oso and rate(ours) / rate(oso), "%.2f×"),
                ours.rss,
                fmt(oso and oso.rss),
                per_gb(ours, ours.cpu),
                fmt(oso and per_gb(oso, oso.cpu), "%.1f"),
                fmt(per_gb(ours, ours.put)),
                fmt(oso and per_gb(oso, oso.put)),
                fmt(per_gb(ours, ours.get)),
                fmt(oso and per_gb(oso, oso.get)),
                ref_label[4:],
                fmt(ref and rate(ref), "%.1f"),
                fmt(ref and rate(ours) / rate(ref), "%.2f×"),
            )
        )
    return cases, lines


def reference_table(best):
    lines = [
        "| reference | MB/s | wall s | peak MB | CPU s/GB | S3 PUT+LIST per GB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, run in best.items():
        if label.endswith("|ref"):
            lines.append(
                "| %s | %.1f | %.1f | %.0f | %.1f | %s |"
                % (label[4:-4], rate(run), run.secs, run.rss, per_gb(run, run.cpu), fmt(per_gb(run, run.put)))
            )
    return lines


def chart_panel(ax, best, cases, heading):
    ys = range(len(cases))
    ours = [rate(best[c + "|ours"]) for c in cases]
    oso = [rate(best[c + "|oso"]) if c + "|oso" in best else 0 for c in cases]
    ax.barh([y - 0.2 for y in ys], ours, height=0.4, label="kafka-backup (ours)", color="#2a6fdb")
    ax.barh([y + 0.2 for y in ys], oso, height=0.4, label="OSO kafka-backup-core 0.25.2", color="#f08a24")
    refs = [best.get(reference_for(c) + "|ref") for c in cases]
    ax.scatter([rate(r) for r in refs if r], [y for y, r in zip(ys, refs) if r], marker="|", s=300,
               color="black", label="reference (see table)", zorder=3)
    ax.set_yticks(list(ys))
    ax.set_yticklabels(cases, fontsize=8)
    ax.invert_yaxis()
    ax.set_title(heading, fontsize=9)
    ax.grid(axis="x", alpha=0.3)


def chart(best, cases, path, title):
    """One panel per data set (their rates differ by an order of magnitude)."""
    groups = [(name, [c for c in cases if c.split()[1].startswith(name)]) for name in ("large", "small")]
    groups = [(name, g) for name, g in groups if g]
    fig, axes = plt.subplots(len(groups), 1, squeeze=False,
                             figsize=(11, 0.5 * len(cases) + 1.5 * len(groups) + 0.5),
                             gridspec_kw={"height_ratios": [len(g) for _, g in groups]})
    for ax, (name, group) in zip(axes[:, 0], groups):
        chart_panel(ax, best, group, "%s records" % ("5 MB" if name == "large" else "1 KB"))
    axes[0, 0].legend(fontsize=8, loc="lower right")
    axes[-1, 0].set_xlabel("MB/s (payload MB over wall time)")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    p = argparse.ArgumentParser()
    for name in ("rows", "requests", "out", "title", "machine", "sizes"):
        p.add_argument("--" + name, required=True)
    args = p.parse_args()
    best = read_runs(args.rows, args.requests)
    cases, table = case_table(best)
    text = [
        "# %s" % args.title,
        "",
        "Machine: %s. Data: %s." % (args.machine, args.sizes),
        "Both tools read the same OSO-style config per case (zstd level 3). Restore rows restore the"
        " backup made by the same tool in the same case. S3 requests are counted by MinIO.",
        "",
        *table,
        "",
        "References (same run, same bytes):",
        "",
        *reference_table(best),
        "",
    ]
    with open(args.out + "/table.md", "w") as f:
        f.write("\n".join(text))
    chart(best, cases, args.out + "/chart.png", args.title)


if __name__ == "__main__":
    main()
