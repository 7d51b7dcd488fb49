#!/usr/bin/env bash
# make test: gofmt, go vet, every test, a short fuzzing run; a line before
# each phase and one per package as it finishes.
#
# The race detector runs on the packages that start goroutines of their own
# (bot, db, cmd); coach, picture and demo are pure and run without it, several
# times faster. go vet builds with -race too, so the tests reuse its compiled
# packages instead of compiling everything twice.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
start=$SECONDS
phase() { printf '== %s  [%ds]\n' "$*" $((SECONDS - start)); }

phase "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
[ -z "$unformatted" ] || { echo "gofmt would change:"; echo "$unformatted"; exit 1; }

phase "compiling and vetting every package (go vet -race ./...)"
$GO vet -race ./...

race=$($GO list ./bot/... ./db/... ./cmd/...)
plain=$($GO list ./... | grep -vxF "$race")
phase "testing: $(wc -w <<<"$plain") packages, then $(wc -w <<<"$race") with -race, each listed as it finishes"
# -count=1: the tests talk to PostgreSQL, whose state the test cache cannot see.
# -parallel 8: most tests wait on PostgreSQL or on a fake Slack rather than
# on the CPU, so more of them than the 2 cores run at once.
$GO tool gotestsum --format pkgname-and-test-fails --format-hide-empty-pkg --raw-command -- bash -c "
  $GO test -json -count=1 -parallel 8 $(echo $plain) || s=1
  $GO test -json -race -count=1 -parallel 8 -timeout 10m $(echo $race) || s=1
  exit \${s:-0}"

phase "fuzzing (${FUZZ_BUDGET:-20s} in all, compiling included)"
FUZZ_BUDGET=${FUZZ_BUDGET:-20s} scripts/fuzz.sh

phase "make test passed"
