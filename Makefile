# formseal: the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs what it needs, idempotently, on a machine where nothing was installed by
# hand (the Rust toolchain comes with the machine; components are added if missing).

CARGO ?= cargo
NOW ?= 2005-06-01T10:00:00+08:00
BIN := target/release/formseal

.PHONY: demo test build deps lint fmt check-fmt clean

## Build the CLI and validate the built-in examples: a valid and an invalid report.
demo: build
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

## Every test: formatting, lints, unit, table-driven, CLI and doc tests.
test: deps check-fmt lint
	$(CARGO) test --all-features

build: deps
	$(CARGO) build --release --features cli

deps:
	@command -v $(CARGO) >/dev/null || { echo "cargo is missing: install Rust with rustup"; exit 1; }
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy

check-fmt: deps
	$(CARGO) fmt --all -- --check

lint: deps
	$(CARGO) clippy --all-targets --all-features -- -D warnings

fmt: deps
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
