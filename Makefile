# Lavka: the two commands of the README quick start, and the pieces they use.
#   make run   — install what is missing, build release, migrate + demo data, serve
#   make test  — install what is missing, Rust tests on SQLite and PostgreSQL,
#                Playwright on desktop and mobile against the release build
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help run test bench bench-memory bench-heap soak bench-micro bench-checkout lighthouse bundle-size tools tools-test build

help:
	@echo "make run    build and run the shop on http://127.0.0.1:3000 (SQLite, demo data)"
	@echo "make test   run every test (Rust on SQLite and PostgreSQL, Playwright desktop + mobile)"
	@echo "make bench  load figures: 10,000 products, 20,000 customers, 100,000 orders (wrk; bench-results.json/.md)"
	@echo "            make bench DB=postgres: the same on a PostgreSQL server on this machine"
	@echo "make bench-memory  server RSS over a 10,000-product shop's first minute (last release build)"
	@echo "make bench-heap  the same minute under heaptrack: the peak heap and where it is allocated"
	@echo "make soak   100 one-second wrk runs abandoning renders mid-way; the server must still answer and stop"
	@echo "make bench-micro  criterion micro-benchmarks of pricing, facet counting and the order state machine"
	@echo "make bench-checkout  orders/s and p99 on SQLite and PostgreSQL, race with zero oversell"
	@echo "make lighthouse  Lighthouse (mobile) on home, category, product and cart"
	@echo "make bundle-size  the main bundle's and the lazy chunks' sizes from the last build"

tools:
	@scripts/tools.sh build

tools-test:
	@scripts/tools.sh test

build: tools
	@scripts/build.sh

run: build
	@scripts/run.sh

test: tools tools-test
	@scripts/test.sh

bench: tools
	@BENCH_DB=$(or $(DB),$(BENCH_DB),sqlite) scripts/bench.sh

bench-memory:
	@scripts/bench-memory.sh

bench-heap:
	@scripts/bench-heap.sh

soak:
	@scripts/cancel-soak.sh

bench-micro:
	@scripts/bench-micro.sh

bench-checkout: tools
	@scripts/bench-checkout.sh

lighthouse: tools
	@scripts/lighthouse.sh

bundle-size:
	@scripts/bundle-size.sh
