# formseal: the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs what it needs, idempotently, on a machine where nothing was installed by
# hand (the Rust toolchain comes with the machine; components are added if missing).

CARGO ?= cargo
NOW ?= 2005-06-01T10:00:00+08:00
BIN := target/release/formseal
# wasm-opt (npm `binaryen`) and cargo-installed tools are found here first.
export PATH := $(CURDIR)/tests/js/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# The wasm-bindgen CLI must be exactly the version Cargo.lock pins.
WASM_BINDGEN_VERSION = $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)

.PHONY: demo demo-cli test test-native test-wasm test-js build deps tools pkg size bench lint fmt check-fmt clean fuzz fuzz-smoke postgres

## Build everything (the npm package, the CLI with the receiver) and run the demo portal with the
## reference receiver at http://127.0.0.1:8080 (Ctrl-C stops it; submissions stay in formseal-data/).
demo: pkg deps
	$(CARGO) build --release --features serve
	@echo "== formseal demo portal: open http://127.0.0.1:8080/ (README example: /example.html)"
	$(BIN) serve --addr 127.0.0.1:8080 --data formseal-data --www www --pkg pkg

## The CLI on its own: validate the built-in examples, a valid and an invalid report.
demo-cli: build
	@echo "== formseal forms"
	@$(BIN) forms
	@echo
	@echo "== A valid network unit filing, checked at $(NOW) (the seeds' own time)"
	@$(BIN) validate network-unit-filing forms/examples/network-unit-filing.valid.json --now $(NOW) --format text
	@echo
	@echo "== An invalid one: every finding, its article, in Chinese"
	@$(BIN) validate network-unit-filing forms/examples/network-unit-filing.invalid.json --now $(NOW) --format text || true
	@echo
	@echo "== The same in English"
	@$(BIN) validate incident-report forms/examples/incident-report.invalid.json --now $(NOW) --format text --locale en || true
	@echo
	@echo "== Identifiers on their own"
	@$(BIN) check uscc -- 91110000600037341L 91110000600037341M || true

## Every test: formatting and lints, the native tests, the same vectors inside wasm (Node and
## headless Chromium), the npm package as users get it (Node ESM + CommonJS, a page in Chromium),
## and a short run of every fuzz target.
test: check-fmt lint test-native test-wasm test-js fuzz-smoke

test-native: deps postgres
	$(CARGO) test --all-features

## Debian's PostgreSQL server, installed with apt when absent: the receiver's tests (tests/serve.rs,
## tests/serve_load.rs) and `make bench` start private clusters of it with scripts/pg.sh (as the
## unprivileged user formseal-pg when run as root) and stop them afterwards. `make demo` needs none.
postgres:
	@bash scripts/pg.sh install

test-wasm: tools
	wasm-pack test --node -- --test wasm
	CHROMEDRIVER=$$(command -v chromedriver) wasm-pack test --headless --chrome -- --features browser-tests --test wasm

test-js: pkg
	cd tests/js && node --test

## Fuzzing (fuzz/, cargo-fuzz on nightly; both installed when absent): every target for
## FUZZ_SECONDS seconds after seeding the corpora from the test data. A crash stops the run and
## leaves its input in fuzz/artifacts/<target>/. `make fuzz-smoke` is the short run of `make test`,
## with a fixed seed so that it makes the same mutations on every run.
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_SMOKE_SEED ?= 1
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

fuzz-smoke: deps
	FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) FUZZ_SEED=$(FUZZ_SMOKE_SEED) bash scripts/fuzz.sh

## The npm package in pkg/ (web, bundler and node variants, wasm-opt -Oz).
pkg: tools
	bash scripts/build-pkg.sh

## What a page downloads before its first validation: raw, gzip and brotli.
size: pkg
	@bash scripts/size.sh

## Benchmarks (not part of `make test`; several minutes): native (criterion), formseal vs Ajv, Zod and
## Valibot in Node, cold start and one field in Chromium, and bytes; writes bench/results/latest.md.
bench: pkg postgres
	bash bench/run.sh

build: deps
	$(CARGO) build --release --features cli

deps:
	@command -v $(CARGO) >/dev/null || { echo "cargo is missing: install Rust with rustup"; exit 1; }
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy

## The wasm toolchain, installed only when absent (each cargo install takes minutes).
tools: deps
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)" || $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@command -v wasm-pack >/dev/null || $(CARGO) install wasm-pack
	@[ tests/js/node_modules/.package-lock.json -nt tests/js/package-lock.json ] || (cd tests/js && npm ci --no-audit --no-fund)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || { apt-get update -qq && apt-get install -y -qq fonts-noto-cjk; }
	@command -v brotli >/dev/null || { apt-get update -qq && apt-get install -y -qq brotli; }

check-fmt: deps
	$(CARGO) fmt --all -- --check
	cd fuzz && $(CARGO) fmt -- --check

lint: tools
	$(CARGO) clippy --all-targets --all-features -- -D warnings
	$(CARGO) clippy --lib --target wasm32-unknown-unknown -- -D warnings
	$(CARGO) clippy --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings
	$(CARGO) clippy --target wasm32-unknown-unknown --test wasm -- -D warnings

fmt: deps
	$(CARGO) fmt --all
	cd fuzz && $(CARGO) fmt

clean:
	$(CARGO) clean
