# Campaign 5 (sourced by trial.sh): one backup on the filesystem backend, damaged
# six ways on six copies. Each restore must refuse (non-zero, one clear line) or
# restore exact data, never exit 0 with wrong data; `validate --deep` must flag
# each damage (exit non-zero). One OUTCOME line per kind of damage.
command -v jq >/dev/null || outcome failed "corrupt: jq is required"
src="$ID-src"
# Small records (values up to 16 KiB), so that each partition has several segments.
MB=${KB_FAULTS_CORRUPT_MB:-2} MAX_VALUE=16384
make_source "$src" 3
orig="$WORK/orig"
# shellcheck disable=SC2046
until_ok backup $(backup_args "$orig" "$src" 64KiB)
manifest=$(ls "$orig/$ID"/manifests/manifest-*.json | sort | tail -1)
manifest=${manifest#"$orig"/}

segments() {  # [partition]: the manifest's segment keys
    jq -r --arg p "${1:-}" '.topics[].partitions[] | select($p == "" or (.partition | tostring) == $p)
        | .segments[].key' "$orig/$manifest"
}
pick() { shuf -n1; }  # one random line

# Each damage works on a fresh copy in $dir and says what it did in $what.
damage_flip() {
    local seg size n i pos
    seg=$(segments | pick) size=$(stat -c %s "$dir/$seg") n=$((RANDOM % 8 + 1))
    for i in $(seq 1 "$n"); do
        pos=$(shuf -i 0-$((size - 1)) -n1)
        python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2])); b = f.read(1)
f.seek(int(sys.argv[2])); f.write(bytes([b[0] ^ (1 << int(sys.argv[3]))]))' "$dir/$seg" "$pos" $((RANDOM % 8))
    done
    what="$n bit(s) flipped in $seg"
}
damage_truncate() {
    local seg size to
    seg=$(segments | pick) size=$(stat -c %s "$dir/$seg")
    to=$(shuf -i 0-$((size - 1)) -n1)
    truncate -s "$to" "$dir/$seg"
    what="$seg truncated from $size to $to bytes"
}
damage_swap() {  # two segments' contents swapped (any partitions)
    local a b
    local pair
    mapfile -t pair < <(segments | shuf -n2)
    a=${pair[0]} b=${pair[1]}
    mv "$dir/$a" "$dir/swap.tmp" && mv "$dir/$b" "$dir/$a" && mv "$dir/swap.tmp" "$dir/$b"
    what="contents of $a and $b swapped"
}
damage_delete_entry() {  # one entry (not the first of several) removed from the newest manifest
    delete_entry "$(segments | awk -F/ '{p = $(NF-1); k[p, ++n[p]] = $0}
        END {for (p in n) for (i = (n[p] > 1 ? 2 : 1); i <= n[p]; i++) print k[p, i]}' | pick)"
}
damage_delete_first_entry() {  # the first entry of a partition with several segments
    local p
    p=$(segments | awk -F/ '{n[$(NF-1)]++} END {for (p in n) if (n[p] > 1) print p}' | pick)
    [[ -n $p ]] || outcome failed "$CAMPAIGN: no partition has two segments (make the source bigger)"
    delete_entry "$(segments "$p" | head -1)"
}
delete_entry() {  # key
    jq --arg k "$1" '(.topics[].partitions[].segments) |= map(select(.key != $k))' \
        "$dir/$manifest" >"$WORK/m.json" && mv "$WORK/m.json" "$dir/$manifest"
    what="manifest entry $1 deleted"
}
damage_p1_over_p0() {
    local a b
    a=$(segments 1 | pick) b=$(segments 0 | pick)
    cp "$dir/$a" "$dir/$b"
    what="partition-1 segment $a copied over partition-0 segment $b"
}

# KB_FAULTS_CORRUPTIONS picks some (scripts/faults.sh --corruptions).
for kind in ${KB_FAULTS_CORRUPTIONS:-flip truncate swap delete_entry delete_first_entry p1_over_p0}; do
    TOPICS+=("$src-$kind")
    # A subshell per damage: its OUTCOME line ends it, not the whole campaign.
    (
        CAMPAIGN="corrupt_$kind"
        dir="$WORK/damaged-$kind" dst="$src-$kind"
        cp -r "$orig" "$dir"
        "damage_$kind"
        note "$what"
        vrc=0
        "$KB" validate --path "$dir" --backup-id "$ID" --deep >"$WORK/validate.out" 2>&1 || vrc=$?
        # shellcheck disable=SC2046
        run_tool $(restore_args "$dir" "$src" "$dst")
        rm -rf "$dir"
        # Both verdicts go into the line: validate's, then the restore's.
        v=""
        ((vrc == 3)) || v="validate --deep exit $vrc, not 3 ($(tail -1 "$WORK/validate.out")); "
        if ((RC != 0)); then
            clear_failure "$RC" "$WORK/run.err" ||
                outcome failed "$CAMPAIGN: $what: ${v}restore exited $RC unclearly: $(head -c 300 "$WORK/run.err" | tr '\n' ' ')"
            [[ -z $v ]] || outcome failed "$CAMPAIGN: $what: ${v}restore refused: $(error_line "$WORK/run.err")"
            outcome refused "$CAMPAIGN: $what: $(error_line "$WORK/run.err")"
        fi
        line=$(check "$src" "$dst") || outcome failed "$CAMPAIGN: $what: ${v}restore exit 0 with wrong data: $line"
        [[ -z $v ]] || outcome failed "$CAMPAIGN: $what: ${v}restore exact ($line)"
        outcome passed "$CAMPAIGN: $what: restored exactly ($line)"
    )
done
