#!/usr/bin/env bash
# Fuzzes every fuzz target on top of its committed seed corpus (the seeds
# alone already run with the tests).
#
#   FUZZTIME=5m scripts/fuzz.sh     each target for 5 minutes (make fuzz)
#   FUZZ_BUDGET=24s scripts/fuzz.sh 24 seconds shared evenly by the targets (make test)
#
# FUZZTIME wins when both are set; with neither, the budget is 24s.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}

targets=()
while read -r file; do
  pkg=./$(dirname "${file#./}")
  for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | cut -d' ' -f2); do
    targets+=("$pkg $target")
  done
done < <(git ls-files '*_test.go' 2>/dev/null | xargs grep -l '^func Fuzz' || find . -name '*_test.go' -exec grep -l '^func Fuzz' {} +)
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets found"; exit 1; }

if [ -n "${FUZZTIME:-}" ]; then
  each=$FUZZTIME
else
  budget=${FUZZ_BUDGET:-24s}
  seconds=${budget%s}
  [[ $seconds =~ ^[0-9]+$ ]] || { echo "FUZZ_BUDGET must be whole seconds, e.g. 24s (got $budget)"; exit 1; }
  each=$((seconds * 1000 / ${#targets[@]}))ms
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/log
cache=$($GO env GOCACHE)/fuzz
module=$($GO list -m)
for t in "${targets[@]}"; do
  read -r pkg target <<<"$t"
  # Each package is compiled for fuzzing once and its binary runs each of
  # its targets from the package's folder (where testdata/fuzz is), with
  # the corpus cache go test itself would use.
  bin=$work/$(echo "$pkg" | tr '/.' '__').test
  if [ ! -x "$bin" ]; then
    $GO test -c -fuzz=. -o "$bin" "$pkg" >"$log" 2>&1 || { echo "fuzz $pkg: does not compile"; cat "$log"; exit 1; }
  fi
  printf 'fuzz %-14s %-22s %s ' "$pkg" "$target" "$each"
  if (cd "$pkg" && "$bin" -test.run='^$' -test.fuzz="^${target}\$" -test.fuzztime="$each" \
      -test.fuzzcachedir="$cache/$module/${pkg#./}") >"$log" 2>&1; then
    # From the last progress line: how many inputs ran, how many were new.
    summary=$(grep -o 'execs: [0-9]*\|new interesting: [0-9]*' "$log" | tail -2 | paste -sd, - || true)
    echo "ok: ${summary:-the time went on replaying the corpus, nothing new was tried}"
  else
    echo FAIL
    cat "$log"
    exit 1
  fi
done
