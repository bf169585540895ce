# ValueBond — the two commands a new developer needs:
#   make run    build (release) and serve the app with demo data on http://127.0.0.1:3000
#   make test   every test: unit, integration on SQLite and PostgreSQL, browser (Chromium)
# Both install what is missing (Rust wasm target, cargo-leptos, wasm-bindgen-cli, binaryen (npm),
# npm packages, Chromium, PostgreSQL) and skip what is already there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.9
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/version = "\(.*\)"/\1/p;}' Cargo.lock)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BINARYEN_VERSION := 132.0.0
# wasm-opt from npm's binaryen: Debian's (108) corrupts the externref table that
# wasm-bindgen 0.2.130 emits, and prebuilt downloads are not an option here.
TOOLS_DIR := $(CURDIR)/target/tools
export PATH := $(TOOLS_DIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# One target dir for everything (server, WASM, tests) so nothing is built twice.
export CARGO_TARGET_DIR := $(CURDIR)/target
SERVER_FEATURES := --no-default-features --features ssr

BIND ?= 127.0.0.1:3000
DATA_DIR ?= data

.PHONY: help run test lint soak build tools test-tools e2e bench clean

help:
	@echo "make run    - build and serve ValueBond with demo data on http://$(BIND)"
	@echo "make test   - run every test (unit, integration on SQLite + PostgreSQL, Chromium)"
	@echo "make bench  - benchmarks; figures to bench/results/"
	@echo "make lint   - rustfmt and clippy (CI runs it before make test)"
	@echo "make soak   - long runs: 20 crashes, 10,000 hostile requests per backend, a big export"

## The app: release build, embedded SQLite under ./data, demo content seeded once.
run: build
	DATA_DIR=$(DATA_DIR) BIND=$(BIND) SITE_ROOT=target/site ./target/release/valuebond serve --demo

build: tools
	cargo leptos build --release

## Everything: unit + integration tests (SQLite, then PostgreSQL if it can start) + browser tests.
test: build test-tools
	.ci/with-postgres cargo test --release $(SERVER_FEATURES) -- --test-threads=2
	$(MAKE) --no-print-directory e2e

## Style gates (CI runs them before the tests): rustfmt, clippy with warnings as errors
## on the server, its tests and the benchmark binary (functions ≤ 80 lines), files ≤ 600 lines.
lint:
	cargo fmt --check
	cargo clippy --no-default-features --features bench --all-targets -- -D warnings
	.ci/file-sizes

e2e:
	cd end2end && VB_BINARY=$(CURDIR)/target/release/valuebond VB_SITE_ROOT=$(CURDIR)/target/site npx playwright test $(E2E_ARGS)

## The long runs (not in make test): the crash test at 20 SIGKILLs per backend, the hostile
## run at 10,000 requests per backend, a 200,000-response export; figures to
## bench/results/soak-*.md (copy them into the README).
soak: build test-tools
	.ci/with-postgres cargo test --release $(SERVER_FEATURES) --test it soak -- --ignored --test-threads=1 --nocapture

## Benchmarks: figures to bench/results/ (copy the tables into the README).
bench: build test-tools
	cargo build --release --no-default-features --features bench --bin bench
	.ci/with-postgres target/release/bench report
	.ci/with-postgres target/release/bench submissions
	VB_WRITE_RESULTS=1 $(MAKE) --no-print-directory e2e E2E_ARGS=tests/page-weight.spec.ts

## Build tools (skipped when present).
tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" || \
		cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked
	@# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly. `--locked` first;
	@# if the registry lacks one of its locked dependencies, let cargo resolve compatible ones.
	@wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)" || \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --locked || \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@[ -x $(TOOLS_DIR)/node_modules/.bin/wasm-opt ] && wasm-opt --version | grep -q "version $(firstword $(subst ., ,$(BINARYEN_VERSION)))" || \
		npm install --prefix $(TOOLS_DIR) --no-audit --no-fund --no-save binaryen@$(BINARYEN_VERSION)

## Test tools (skipped when present): Chromium + driver, PostgreSQL, npm packages.
test-tools:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium chromium-driver"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y $$missing; fi
	@[ -d end2end/node_modules/@playwright/test ] || (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)

clean:
	cargo clean
	rm -rf end2end/node_modules end2end/test-results end2end/playwright-report
