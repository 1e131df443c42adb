#!/usr/bin/env python3
"""Print the module graph that the #includes draw, and check it against the layers.

    scripts/include_graph.py [--root DIR] [--files] [--allow FILE]

A module is apps, engine/<x>, kafka/<x>, storage (the interface), storage/<x> or
runtime. Every `#include` from a file of one module that resolves to a header of
another is an edge. The layers, top to bottom:

    apps -> engine -> {kafka, storage} -> runtime

An edge runs against them when it points up, when kafka and storage include each
other, when apps reaches past engine into kafka or storage, when a module includes
its own family's upper part (kafka/protocol -> kafka/client, storage -> storage/fs,
storage/fs -> storage/open),
or when engine modules include each other in a circle.

Output: one line per edge, `A -> B  (n)`, with `AGAINST: why` and the first include
that makes it when it is wrong. Exit status 1 when any edge is against the layers
(those listed in --allow, one `A -> B` a line, are reported but tolerated; an
allowed edge that no longer exists is an error too, so the list only shrinks), 2 on
bad usage, 0 otherwise.
"""

import argparse
import os
import re
import sys
from collections import defaultdict

SCANNED = ("runtime", "engine", "kafka", "storage", "apps")
SOURCE = re.compile(r"\.(cpp|hpp|h|cc|ipp)$")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')

# Rank of each family: an edge may only point to a lower rank (or stay in its family).
RANK = {"apps": 3, "engine": 2, "kafka": 1, "storage": 1, "runtime": 0}
# Order inside a family: a module may include only modules of a lower sub-rank.
SUB_RANK = {
    "kafka/protocol": 0,
    "kafka/client": 1,
    "storage": 0,
    "storage/http": 0,
    "storage/open": 2,
}


def module_of(rel):
    """The module a repository path belongs to, or None outside the layered tree."""
    parts = rel.split("/")
    if parts[0] == "runtime":
        return "runtime"
    if parts[0] == "apps":
        return "apps"
    if parts[0] in ("engine", "kafka") and len(parts) > 2:
        return f"{parts[0]}/{parts[1]}"
    if parts[0] == "storage":
        if len(parts) > 2 and parts[1] not in ("include", "src"):
            return f"storage/{parts[1]}"
        return "storage"
    return None


def family(module):
    return module.split("/")[0]


def sub_rank(module):
    return SUB_RANK.get(module, 1)


def source_files(root):
    for top in SCANNED:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("build"))
            for name in sorted(filenames):
                if SOURCE.search(name):
                    yield os.path.relpath(os.path.join(dirpath, name), root)


def public_headers(root, files):
    """Maps `kb/...` include spellings to the module whose include/ dir holds them."""
    headers = {}
    for rel in files:
        marker = "/include/"
        at = rel.find(marker)
        if at >= 0:
            headers[rel[at + len(marker):]] = module_of(rel)
    return headers


def resolve(root, rel, quote, target, headers):
    """The module an include names, or None for system and third-party headers."""
    if target in headers:
        return headers[target]
    if quote == '"':
        local = os.path.normpath(os.path.join(os.path.dirname(rel), target))
        if os.path.exists(os.path.join(root, local)):
            return module_of(local)
    return None


def collect_edges(root):
    """{(from, to): [file:line, ...]} for every include between two modules."""
    files = list(source_files(root))
    headers = public_headers(root, files)
    edges = defaultdict(list)
    for rel in files:
        src = module_of(rel)
        if src is None:
            continue
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                dst = resolve(root, rel, m.group(1), m.group(2), headers)
                if dst is not None and dst != src:
                    edges[(src, dst)].append(f"{rel}:{lineno}")
    return edges


def direction_problem(src, dst):
    """Why an edge runs against the layers, or None when it is fine."""
    fs, fd = family(src), family(dst)
    if {fs, fd} == {"kafka", "storage"}:
        return "kafka and storage never include each other"
    if RANK[fd] > RANK[fs]:
        return f"points up ({fs} is below {fd})"
    if fs == "apps" and fd in ("kafka", "storage"):
        return "apps reaches past engine"
    if fs == fd and fs != "engine" and sub_rank(dst) >= sub_rank(src):
        return f"{dst} is not below {src}"
    return None


def engine_circles(edges):
    """Engine modules that reach each other (strongly connected, Tarjan), as sets."""
    graph = defaultdict(set)
    for src, dst in edges:
        if family(src) == family(dst) == "engine":
            graph[src].add(dst)
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return circles


def read_allowed(path):
    allowed = set()
    if not path:
        return allowed
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                src, arrow, dst = line.partition("->")
                if not arrow:
                    sys.exit(f"include_graph: {path}: '{line}' is not 'A -> B'")
                allowed.add((src.strip(), dst.strip()))
    return allowed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."))
    ap.add_argument("--files", action="store_true", help="list every include of each edge")
    ap.add_argument("--allow", help="file of known 'A -> B' edges to tolerate for now")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    if not os.path.isdir(root):
        ap.error(f"--root {root} is not a directory")

    edges = collect_edges(root)
    allowed = read_allowed(args.allow)
    problems = {e: direction_problem(*e) for e in edges}
    for circle in engine_circles(edges):
        names = " <-> ".join(sorted(circle))
        for e in edges:
            if e[0] in circle and e[1] in circle and not problems[e]:
                problems[e] = f"engine modules in a circle: {names}"

    failed = 0
    for (src, dst), where in sorted(edges.items()):
        why = problems[(src, dst)]
        line = f"{src} -> {dst}  ({len(where)})"
        if why:
            tolerated = (src, dst) in allowed
            line += f"  {'KNOWN' if tolerated else 'AGAINST'}: {why}; first at {where[0]}"
            failed += not tolerated
        print(line)
        if args.files:
            for w in where:
                print(f"    {w}")
    for src, dst in sorted(allowed - {e for e, why in problems.items() if why}):
        print(f"{src} -> {dst}  STALE: allowed in {args.allow} but no longer against the layers; "
              "remove it from the list")
        failed += 1
    if failed:
        print(f"include_graph: {failed} edge(s) against apps -> engine -> {{kafka, storage}} -> runtime",
              file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
