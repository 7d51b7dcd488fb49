# Sales Coach — the two commands a newcomer needs are `make run` and `make test`.

GO       ?= go
BIN      := bin/salescoach
DEV_DB   ?= postgres://postgres@127.0.0.1:5432/salescoach?sslmode=disable
TEAM     ?= T0DEMO
USER_ID  ?= U0MANAGER

.PHONY: run test build vet fuzz bench postgres clean

build:
	$(GO) build -o $(BIN) ./cmd/salescoach

postgres:
	@scripts/ensure-postgres.sh

# run: a local PostgreSQL, migrations, the demo team (six months of history,
# made once), and a console as its manager.
run: postgres build
	DATABASE_URL="$${DATABASE_URL:-$(DEV_DB)}" $(BIN) migrate
	DATABASE_URL="$${DATABASE_URL:-$(DEV_DB)}" $(BIN) demo --team $(TEAM)
	DATABASE_URL="$${DATABASE_URL:-$(DEV_DB)}" $(BIN) console --team $(TEAM) --user $(USER_ID) --manager

# test: vet and every test against a real PostgreSQL (started when down).
test: postgres
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 10m ./...
	@scripts/fuzz.sh

# fuzz: every fuzz target for FUZZTIME (default 3s) on its seed corpus.
fuzz:
	@scripts/fuzz.sh

clean:
	rm -rf bin

# bench: the §14 figures of the real binary on a real PostgreSQL: the load
# on salescoach beside a floor and the Bolt peer (../shared/peers/bolt-js,
# installed with npm ci into a cache directory; left out when node or npm is
# missing), a round after 100,000 more deals, then the report and the weekly
# digest at scale (about 20 minutes in all). BENCH_FLAGS passes flags, e.g.
# BENCH_FLAGS=--scale=false for the load alone (about 12 minutes);
# go run ./cmd/bench --help lists them.
bench: postgres build
	$(GO) run ./cmd/bench --bin $(BIN) $(BENCH_FLAGS)
