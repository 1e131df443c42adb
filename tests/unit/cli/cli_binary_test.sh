#!/usr/bin/env bash
# Runs the built kafka-backup binary: help, version, and the one-line errors
# with exit code 2. Usage: cli_binary_test.sh EXPECTED_COMMIT (KB_BIN is set by CTest).
set -u
expected_commit="${1:?expected git commit}"
bin="${KB_BIN:?KB_BIN must point at the bin directory of the build}/kafka-backup"
[[ -x "$bin" ]] || { echo "FAIL: $bin is not built (ninja kafka-backup)"; exit 1; }

failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run NAME EXPECTED_RC ARGS... : runs the binary, keeps stdout/stderr, checks the code.
run() {
    local name=$1 want=$2
    shift 2
    "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [[ $rc -ne $want ]]; then
        echo "FAIL: $name: exit code $rc, expected $want"
        sed 's/^/  stderr: /' "$tmp/err" | head -5
        failures=$((failures + 1))
    fi
}
# expect NAME FILE TEXT : FILE (out|err) contains TEXT literally.
expect() {
    if ! grep -qF -- "$3" "$tmp/$2"; then
        echo "FAIL: $1: $2 does not contain '$3'"
        sed "s/^/  $2: /" "$tmp/$2" | head -5
        failures=$((failures + 1))
    fi
}
# one_line NAME : stderr is exactly one line.
one_line() {
    local n
    n=$(wc -l <"$tmp/err")
    if [[ $n -ne 1 ]]; then
        echo "FAIL: $1: stderr has $n lines, expected 1"
        failures=$((failures + 1))
    fi
}

run "--version" 0 --version
expect "--version" out "$expected_commit"
expect "--version" out "kafka-backup "

run "--help" 0 --help
for cmd in backup restore three-phase-restore validate-restore list describe validate prune \
    show-offset-mapping offset-report offset-reset offset-snapshot offset-rollback; do
    expect "--help lists $cmd" out "  $cmd "
done
expect "--help exit codes" out "130"

run "backup --help" 0 backup --help
for flag in --config --bootstrap-servers --topics --path --backup-id --continuous --compression \
    --compression-level --segment-max-bytes --memory-budget --output; do
    expect "backup --help has $flag" out "$flag"
done
expect "backup --help exit codes" out "Exit codes:"

run "restore --help" 0 restore --help
for flag in --topic-map --from --to --create-topics --reset-consumer-offsets --dry-run; do
    expect "restore --help has $flag" out "$flag"
done

run "no arguments" 2

run "unknown command" 2 bakup
one_line "unknown command"
expect "unknown command" err "kafka-backup: error: unknown command 'bakup'"
expect "unknown command" err "did you mean 'backup'?"

run "bad flag" 2 backup --no-such-flag
one_line "bad flag"
expect "bad flag" err "kafka-backup: error: "
expect "bad flag" err "--no-such-flag"

run "bad flag value" 2 backup --bootstrap-servers h:1 --path /tmp/x --backup-id b --compression zstdd
one_line "bad flag value"
expect "bad flag value" err "did you mean 'zstd'?"

cat >"$tmp/typo.yaml" <<'YAML'
mode: backup
backup_id: t
source:
  bootstrap_server: [localhost:9092]
YAML
run "config typo" 2 backup --config "$tmp/typo.yaml"
one_line "config typo"
expect "config typo" err "unknown key 'source.bootstrap_server'"
expect "config typo" err "did you mean 'bootstrap_servers'?"

run "missing backup id" 2 backup --bootstrap-servers h:1 --path /tmp/x
one_line "missing backup id"
expect "missing backup id" err "missing --backup-id"

unset KB_TEST_UNSET_VAR
printf 'mode: backup\nbackup_id: ${KB_TEST_UNSET_VAR}\n' >"$tmp/env.yaml"
run "unset env var" 2 backup --config "$tmp/env.yaml"
expect "unset env var" err "environment variable 'KB_TEST_UNSET_VAR' is not set"

# A valid request runs: every command has its engine in the build.
run "list of an empty store" 0 list --path "$tmp/empty-store"

if [[ $failures -ne 0 ]]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all CLI binary checks passed"
