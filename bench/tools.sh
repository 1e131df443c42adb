# The bench's outside tools, pinned, built or installed on first use and cached outside the
# source tree under ${XDG_CACHE_HOME:-~/.cache}/kafka-backup/. Each function prints a path.
KB_BENCH_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/kafka-backup
S5CMD_VERSION=v2.3.0
MATPLOTLIB_VERSION=3.11.2

# s5cmd from its Go module through the Go proxy. Its module zip has no vendor tree, so it is
# built from a copy with -mod=mod (go.sum pins the dependencies).
s5cmd_bin() {
    local bin=$KB_BENCH_CACHE/s5cmd-$S5CMD_VERSION/bin/s5cmd src dir
    if [[ ! -x $bin ]]; then
        command -v go >/dev/null || { echo "go not found: it builds s5cmd" >&2; return 2; }
        echo "building s5cmd $S5CMD_VERSION with Go (once)..." >&2
        src=$(go mod download -json "github.com/peak/s5cmd/v2@$S5CMD_VERSION" |
            sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p') || { echo "go mod download of s5cmd failed" >&2; return 1; }
        dir=$(mktemp -d)
        cp -r "$src/." "$dir" && chmod -R u+w "$dir" && rm -rf "$dir/vendor"
        (cd "$dir" && nice -n 10 go build -mod=mod -trimpath -o "$bin" .) >&2 ||
            { rm -rf "$dir"; echo "go build of s5cmd failed" >&2; return 1; }
        rm -rf "$dir"
    fi
    echo "$bin"
}

# A Python with matplotlib (a venv of its own, pinned by bench/requirements-plot.txt) for
# bench/report.py.
plot_python() {
    local venv=$KB_BENCH_CACHE/bench-venv-mpl-$MATPLOTLIB_VERSION
    local reqs
    reqs=$(dirname "${BASH_SOURCE[0]}")/requirements-plot.txt
    if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import matplotlib' 2>/dev/null; then
        echo "installing matplotlib $MATPLOTLIB_VERSION into $venv (once)..." >&2
        python3 -m venv "$venv" >&2 && "$venv/bin/pip" install -q -r "$reqs" >&2 ||
            { echo "installing matplotlib failed" >&2; return 1; }
    fi
    echo "$venv/bin/python"
}
