# Sales Coach — the two commands a newcomer needs are `make run` and `make test`.

GO       ?= go
BIN      := bin/salescoach
DEV_DB   ?= postgres://postgres@127.0.0.1:5432/salescoach?sslmode=disable
TEAM     ?= T0DEMO
USER_ID  ?= U0MANAGER

.PHONY: run test build vet fuzz bench postgres test-postgres bench-postgres clean

build:
	$(GO) build -o $(BIN) ./cmd/salescoach

# The PostgreSQL servers of the tests and of make run; started when local and down.
TEST_DB  ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable

postgres:
	@scripts/ensure-postgres.sh "$${DATABASE_URL:-$(DEV_DB)}" DATABASE_URL

test-postgres:
	@scripts/ensure-postgres.sh "$${TEST_DATABASE_URL:-$(TEST_DB)}" TEST_DATABASE_URL

bench-postgres:
	@scripts/ensure-postgres.sh "$${BENCH_ADMIN_URL:-$(TEST_DB)}" BENCH_ADMIN_URL

# run: a local PostgreSQL, migrations, the demo team (six months of history,
# made once), and a console as its manager.
run: postgres build
	DATABASE_URL="$${DATABASE_URL:-$(DEV_DB)}" $(BIN) migrate
	DATABASE_URL="$${DATABASE_URL:-$(DEV_DB)}" $(BIN) demo --team $(TEAM)
	DATABASE_URL="$${DATABASE_URL:-$(DEV_DB)}" $(BIN) console --team $(TEAM) --user $(USER_ID) --manager

# test: gofmt, go vet, every test against a real PostgreSQL (TEST_DATABASE_URL's
# server, started when local and down) and FUZZ_BUDGET (20s) of fuzzing in
# all, compiling included; scripts/test.sh says what runs how.
test: test-postgres
	@GO=$(GO) scripts/test.sh

# fuzz: every fuzz target for FUZZTIME (default 1m) each, on its seed corpus.
FUZZTIME ?= 1m
fuzz:
	@GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

clean:
	rm -rf bin

# bench: the §14 figures of the real binary on a real PostgreSQL: the load
# on salescoach beside a floor and the Bolt peer (../shared/peers/bolt-js,
# installed with npm ci into a cache directory; left out when node or npm is
# missing), a round after 100,000 more deals, then the report and the weekly
# digest at scale (about 20 minutes in all). BENCH_FLAGS passes flags, e.g.
# BENCH_FLAGS=--scale=false for the load alone (about 12 minutes);
# go run ./cmd/bench --help lists them.
bench: bench-postgres build
	$(GO) run ./cmd/bench --bin $(BIN) $(BENCH_FLAGS)
