#!/usr/bin/env bash
# Runs every fuzz target for a short fixed time and fails if any target fails.
#   bash .ci/fuzz.sh                 # 20s per target
#   FUZZTIME=2m bash .ci/fuzz.sh     # any -fuzztime value: 90s, 5000x, ...
# Seed corpora: testdata/fuzz/<Target>/ and internal/form/testdata/fuzz/<Target>/.
# A failing input is written by go test to the package's testdata/fuzz/<Target>/;
# commit it with the fix so that it stays a regression test.
set -uo pipefail
cd "$(dirname "$0")/.."

FUZZTIME="${FUZZTIME:-20s}"
# Minimizing each new interesting input may otherwise take up to 60s of the
# budget (the default -fuzzminimizetime); crashers are still minimized.
FUZZMINIMIZETIME="${FUZZMINIMIZETIME:-1s}"
# Fuzzing runs on Go 1.27: up to 1.26 the fuzz coordinator can report its own
# -fuzztime deadline as a failure ("context deadline exceeded", no failing
# input written; golang/go#75804, fixed in Go 1.27.0). The targets still run
# for their full time and any failing input still fails the step.
FUZZ_TOOLCHAIN="${FUZZ_TOOLCHAIN:-go1.27.3}"

# package:target, one per line.
targets="
.:FuzzDecodeResponse
.:FuzzDecodeError
./internal/form:FuzzValues
./eventstreams:FuzzParseBatch
./conversationstest:FuzzLoadState
./orchestrator:FuzzV2Answers
"

# Every Fuzz function in the module must be listed above.
listed=$(for t in $targets; do echo "${t#*:}"; done | sort)
found=$(grep -rhoE '^func (Fuzz[A-Za-z0-9_]+)\(' --include='*_test.go' . | sed -E 's/^func (Fuzz[A-Za-z0-9_]+)\(/\1/' | sort)
if [ "$listed" != "$found" ]; then
  echo "fuzz: the targets listed in .ci/fuzz.sh differ from the Fuzz functions in the code:" >&2
  diff <(echo "$listed") <(echo "$found") >&2
  exit 1
fi

failed=()
for t in $targets; do
  pkg="${t%%:*}" name="${t#*:}"
  echo "== fuzz $name ($pkg) for $FUZZTIME"
  if ! GOTOOLCHAIN="$FUZZ_TOOLCHAIN" go test -run='^$' -fuzz="^${name}\$" -fuzztime="$FUZZTIME" -fuzzminimizetime="$FUZZMINIMIZETIME" "$pkg"; then
    failed+=("$name")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all targets passed"
