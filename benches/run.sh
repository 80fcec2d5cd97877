#!/usr/bin/env bash
# Whole-process benchmark of pmlint against the parse-only floor.
#
# Builds release binaries, generates corpora of 1, 100, 1,000 and 10,000
# post-mortems (benches/support/corpus.rs, seed 42) in a temporary
# directory, and times on each:
#   pmlint check --today 2026-06-01 --format json -j JOBS DIR > /dev/null
#   pmlint-bench floor -j JOBS DIR     (read + pulldown-cmark parse, no rules)
# with /usr/bin/time -v (wall time, CPU time, peak RSS), and with hyperfine
# when it is installed (median wall time). pmlint exits 1 on the corpus
# (it has planted defects): that is not a failure here.
#
# Environment: SIZES (default "1 100 1000 10000"), SEED (42), JOBS (the
# number of cores), RUNS (5 timed runs per command, after one warm-up),
# PMLINT (another pmlint binary to measure, e.g. an older build).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1 100 1000 10000"}
SEED=${SEED:-42}
JOBS=${JOBS:-$(nproc)}
RUNS=${RUNS:-5}

cargo build --release --locked --features bench-tools --bin pmlint --bin pmlint-bench >&2
PMLINT=${PMLINT:-$PWD/target/release/pmlint}
BENCH=$PWD/target/release/pmlint-bench
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
HYPERFINE=$(command -v hyperfine || true)

# measure NAME CMD…: prints "wall_median cpu_median peak_rss_kb" (seconds,
# seconds, KB). Wall time from hyperfine when available, else from
# /usr/bin/time; CPU time (user + system) and peak RSS from /usr/bin/time.
measure() {
    local name=$1
    shift
    "$@" >/dev/null 2>&1 || true # warm-up (page cache)
    local walls=() cpus=() rss=0
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -v -o "$TMP/time" "$@" >/dev/null 2>&1 || true
        local wall user sys kb
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$TMP/time")
        user=$(awk -F': ' '/User time/ {print $2}' "$TMP/time")
        sys=$(awk -F': ' '/System time/ {print $2}' "$TMP/time")
        kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/time")
        walls+=("$wall")
        cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
        ((kb > rss)) && rss=$kb
    done
    local wall cpu
    wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    if [[ -n $HYPERFINE ]]; then
        "$HYPERFINE" -N -i --warmup 1 --runs "$RUNS" --export-csv "$TMP/$name.csv" \
            -- "$(printf '%q ' "$@")" >/dev/null 2>&1 &&
            wall=$(awk -F, 'NR == 2 {print $4}' "$TMP/$name.csv")
    fi
    echo "$wall $cpu $rss"
}

echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "pmlint $("$PMLINT" --version | cut -d' ' -f2), $JOBS threads, median of $RUNS runs, wall time from $([[ -n $HYPERFINE ]] && echo hyperfine || echo /usr/bin/time)"
echo
printf '| %6s | %6s | %8s | %7s | %9s | %7s | %8s | %8s | %8s | %9s | %5s |\n' \
    files MB "wall s" "CPU s" "files/s" "MB/s" "RSS MB" "floor s" "floor CPU" "floor RSS" ratio
printf '|%s|\n' "-------:|-------:|---------:|--------:|----------:|--------:|---------:|---------:|----------:|----------:|------:"
for n in $SIZES; do
    dir=$TMP/corpus-$n
    bytes=$("$BENCH" gen --seed "$SEED" --count "$n" --out "$dir" | awk '{print $3}')
    read -r wall cpu rss < <(measure "pmlint-$n" "$PMLINT" check --today 2026-06-01 --format json -j "$JOBS" "$dir")
    read -r fwall fcpu frss < <(measure "floor-$n" "$BENCH" floor -j "$JOBS" "$dir")
    awk -v n="$n" -v b="$bytes" -v w="$wall" -v c="$cpu" -v r="$rss" -v fw="$fwall" -v fc="$fcpu" -v fr="$frss" 'BEGIN {
        mb = b / 1e6
        printf "| %6d | %6.1f | %8.3f | %7.2f | %9.0f | %7.1f | %8.1f | %8.3f | %9.2f | %9.1f | %5.1f |\n",
            n, mb, w, c, n / w, mb / w, r / 1024, fw, fc, fr / 1024, w / fw
    }'
done
