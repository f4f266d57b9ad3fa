#!/usr/bin/env bash
# Runs the comparison benchmarks once (all three clients side by side) and
# prints each client's cost as a ratio of the raw net/http baseline.
# Usage: bench/ratios.sh [-count N] [extra go test flags]
set -euo pipefail
cd "$(dirname "$0")"
out=$(mktemp)
go test -run '^$' -bench . -benchmem "$@" . | tee "$out"
echo
awk '
/^Benchmark/ {
  split($1, parts, "/"); name = parts[1]; sub(/-[0-9]+$/, "", parts[2]); impl = parts[2]
  key = name SUBSEP impl
  n[key]++
  for (i = 3; i < NF; i++) {
    if ($(i+1) == "ns/op")     ns[key] += $i
    if ($(i+1) == "allocs/op") al[key] += $i
    if ($(i+1) == "B/op")      by[key] += $i
  }
  if (!(name in seen)) { seen[name] = 1; order[++m] = name }
  impls[impl] = 1
}
END {
  printf "%-22s %-10s %14s %10s %12s %12s\n", "benchmark", "client", "ns/op", "x raw", "allocs/op", "x raw"
  for (i = 1; i <= m; i++) {
    name = order[i]; r = name SUBSEP "raw"
    if (!(r in n)) continue
    rns = ns[r] / n[r]; ral = al[r] / n[r]
    split("sdk raw twilio-go", list, " ")
    for (j = 1; j <= 3; j++) {
      k = name SUBSEP list[j]
      if (!(k in n)) continue
      kns = ns[k] / n[k]; kal = al[k] / n[k]
      printf "%-22s %-10s %14.0f %10.2f %12.0f %12.2f\n", name, list[j], kns, kns / rns, kal, (ral ? kal / ral : 0)
    }
  }
}' "$out"
rm -f "$out"
