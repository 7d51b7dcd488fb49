#!/usr/bin/env bash
# Fuzzes every fuzz target on top of its committed seed corpus (the seeds
# alone already run with the tests).
#
#   FUZZTIME=5m scripts/fuzz.sh     each target for 5 minutes (make fuzz)
#   FUZZ_BUDGET=20s scripts/fuzz.sh 20 seconds in all, compiling included:
#                                   what compiling leaves is shared evenly by
#                                   the targets, at least 1s each (make test)
#
# FUZZTIME wins when both are set; with neither, the budget is 20s.
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

if [ -z "${FUZZTIME:-}" ]; then
  budget=${FUZZ_BUDGET:-20s}
  seconds=${budget%s}
  [[ $seconds =~ ^[0-9]+$ ]] || { echo "FUZZ_BUDGET must be whole seconds, e.g. 20s (got $budget)"; exit 1; }
fi
start=$(date +%s%N)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cache=$($GO env GOCACHE)/fuzz
module=$($GO list -m)
binary() { echo "$work/$(echo "$1" | tr '/.' '__').test"; }

# Each package is compiled for fuzzing once, all of them side by side, and
# its binary runs each of its targets from the package's folder (where
# testdata/fuzz is), with the corpus cache go test itself would use. Under a
# budget, compiling may take two thirds of it: a package whose fuzzing build
# takes longer (an empty build cache compiles everything once more, with the
# fuzzer's instrumentation) is left out this time, saying so; what it did
# compile is cached for the next run.
limit=()
if [ -z "${FUZZTIME:-}" ]; then
  limit=(timeout -k 5 $((seconds * 2 / 3 > 5 ? seconds * 2 / 3 : 5)))
fi
pids=()
for pkg in $(printf '%s\n' "${targets[@]}" | cut -d' ' -f1 | sort -u); do
  "${limit[@]}" $GO test -c -fuzz=. -o "$(binary "$pkg")" "$pkg" >"$(binary "$pkg").log" 2>&1 &
  pids+=("$!:$pkg")
done
skipped=" "
for p in "${pids[@]}"; do
  pkg=${p#*:}
  if wait "${p%%:*}"; then
    continue
  elif [ $? -eq 124 ] && [ ${#limit[@]} -gt 0 ]; then
    echo "fuzz $pkg: compiling it for fuzzing took over ${limit[3]}s, so its targets wait for the next run or make fuzz (their seeds ran with the tests)"
    skipped+="$pkg "
  else
    echo "fuzz $pkg: does not compile"; cat "$(binary "$pkg").log"; exit 1
  fi
done
kept=()
for t in "${targets[@]}"; do
  [[ $skipped == *" ${t%% *} "* ]] || kept+=("$t")
done
targets=("${kept[@]}")

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# each_ms: a target's share of what is left of the budget, less what starting
# a fuzzing run took the last time (the first guess is 500ms), at least 500ms.
overhead=500
each_ms() {
  local left=$((seconds * 1000 - ($(now_ms) - start / 1000000)))
  local e=$((left / $1 - overhead))
  [ "$e" -ge 500 ] || e=500
  echo "$e"
}
# deadline_race reports whether a failed run is only Go 1.26's fuzzing
# coordinator tripping over its own -fuzztime deadline (go.dev/issue/75804,
# fixed in Go 1.27): "context deadline exceeded" and no failing input written.
# Anything else (a crash, a failing input, a panic) is a real failure.
raced=
deadline_race() {
  raced=
  grep -q '^    context deadline exceeded$' "$1" || return 1
  grep -q 'Failing input written to\|panic:' "$1" && return 1
  [ "$(grep -c '^--- FAIL' "$1")" -eq 1 ] || return 1
  raced=yes
}
log=$work/log
n=${#targets[@]}
for t in "${targets[@]}"; do
  read -r pkg target <<<"$t"
  bin=$(binary "$pkg")
  if [ -n "${FUZZTIME:-}" ]; then each=$FUZZTIME; else each=$(each_ms "$n")ms; fi
  n=$((n - 1))
  began=$(now_ms)
  raced=
  printf 'fuzz %-14s %-22s %s ' "$pkg" "$target" "$each"
  if (cd "$pkg" && "$bin" -test.run='^$' -test.fuzz="^${target}\$" -test.fuzztime="$each" \
      -test.fuzzcachedir="$cache/$module/${pkg#./}") >"$log" 2>&1 || deadline_race "$log"; then
    # From the last progress line: how many inputs ran, how many were new.
    summary=$(grep -o 'execs: [0-9]*\|new interesting: [0-9]*' "$log" | tail -2 | paste -sd, - || true)
    echo "ok: ${summary:-the time went on replaying the corpus, nothing new was tried}${raced:+ (stopped by the Go fuzzing deadline race, go.dev/issue/75804: no failing input)}"
    if [ -z "${FUZZTIME:-}" ]; then
      overhead=$(( $(now_ms) - began - ${each%ms} ))
      [ "$overhead" -ge 0 ] || overhead=0
    fi
  else
    echo FAIL
    cat "$log"
    exit 1
  fi
done
