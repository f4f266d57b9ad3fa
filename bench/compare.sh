#!/usr/bin/env bash
# Compares the SDK's cost, as a ratio of the raw net/http + encoding/json
# baseline, between two checkouts in one session: it builds the bench test
# binary of each, runs them alternately (so that the load of a shared
# machine falls on both alike), and prints for each benchmark the median
# and range of the per-run ratios sdk/raw (time and allocs).
# Usage: bench/compare.sh BEFORE_DIR AFTER_DIR [runs (default 8)] [outdir]
# (each DIR is a repository root holding bench/). The raw outputs are kept
# in outdir (default a temporary directory) for benchstat. BENCH overrides
# the benchmark pattern (default: the v1 comparisons, sdk and raw, and
# BenchmarkPaired, whose per-call sdk/raw percentile ratios it also
# summarises; copy bench/paired_test.go into BEFORE_DIR/bench if it lacks it).
set -euo pipefail
before=$(cd "$1" && pwd); after=$(cd "$2" && pwd); runs=${3:-8}
out=${4:-$(mktemp -d)}; mkdir -p "$out"
bench=${BENCH:-'^Benchmark(Fetch|CreateMessage|ListPage50|All20Pages|All200Pages|Paired)$/(sdk|raw|Fetch|CreateMessage|ListPage50|All20Pages)$'}
for side in before after; do
  dir=${!side}
  (cd "$dir/bench" && go test -c -o "$out/$side.test" .)
done
: > "$out/before.txt"; : > "$out/after.txt"
for i in $(seq "$runs"); do
  for side in before after; do
    dir=${!side}
    (cd "$dir/bench" && "$out/$side.test" -test.run '^$' -test.bench "$bench" -test.benchmem -test.count 1) >> "$out/$side.txt"
  done
done
for side in before after; do
  echo "== $side ($runs runs, ratio sdk/raw per run: median [min, max])"
  awk '
  /^Benchmark/ {
    split($1, p, "/"); name = p[1]; sub(/-[0-9]+$/, "", p[2]); impl = p[2]
    ns = 0; al = 0
    for (i = 3; i < NF; i++) {
      if ($(i+1) == "ns/op") ns = $i
      if ($(i+1) == "allocs/op") al = $i
    }
    if (name == "BenchmarkPaired") {
      for (i = 3; i < NF; i++) {
        if ($(i+1) == "sdk/raw-p50") { k = ++cnt["Paired p50 " impl]; r["Paired p50 " impl, k] = $i; key = "Paired p50 " impl }
      }
      if (!(key in seen)) { seen[key] = 1; order[++m] = key }
      a[key] = "-"
      next
    }
    if (impl == "sdk") { sns[name] = ns; sal[name] = al }
    if (impl == "raw" && (name in sns)) {
      k = ++cnt[name]; r[name, k] = sns[name] / ns
      a[name] = sal[name] "/" al; delete sns[name]
      if (!(name in seen)) { seen[name] = 1; order[++m] = name }
    }
  }
  END {
    printf "%-22s %8s %16s %14s\n", "benchmark", "median", "range", "allocs sdk/raw"
    for (j = 1; j <= m; j++) {
      n = order[j]; c = cnt[n]
      for (x = 1; x <= c; x++) v[x] = r[n, x]
      for (x = 1; x <= c; x++) for (y = x + 1; y <= c; y++) if (v[y] < v[x]) { t = v[x]; v[x] = v[y]; v[y] = t }
      med = (c % 2) ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
      printf "%-22s %8.3f   [%5.3f, %5.3f] %14s\n", n, med, v[1], v[c], a[n]
    }
  }' "$out/$side.txt"
done
echo "raw outputs: $out/before.txt $out/after.txt"
