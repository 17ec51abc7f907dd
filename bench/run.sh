#!/usr/bin/env bash
# `make bench`: everything after `make pkg`. Installs the peers (npm ci, only when the lock file
# changed), builds the forms-only web package, runs the native (criterion, allocation counts, the
# Rust jsonschema crate as a peer), Node, Chromium (cold start, one field, the embed with a large
# form) and size benchmarks
# and writes bench/results/latest.md and bench/results/chart.svg.
# BENCH_QUICK=1 shortens every run (for trying the pipeline, not for numbers).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f bench/node_modules/.package-lock.json ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  (cd bench && npm ci --no-audit --no-fund)
fi
mkdir -p bench/out
if [ "${BENCH_QUICK:-}" = 1 ]; then ROUNDS=3 MS=100 COLD=3 CALLS=2000 EMBED_RUNS=3 CRIT="--warm-up-time 0.2 --measurement-time 0.5"; else ROUNDS=15 MS=200 COLD=15 CALLS=10000 EMBED_RUNS=9 CRIT=""; fi

echo "== forms-only web build (--no-default-features): what a page needs before its first validation"
CARGO_PROFILE_RELEASE_OPT_LEVEL=z wasm-pack --quiet build --release --target web --out-dir bench/out/pkg-forms-only \
  --out-name formseal --no-pack -- --no-default-features
rm -f bench/out/pkg-forms-only/.gitignore

echo "== native (criterion)"
rm -rf target/criterion
# shellcheck disable=SC2086
cargo bench --bench native -- --noplot $CRIT > bench/out/criterion.log 2>&1 || { tail -30 bench/out/criterion.log; exit 1; }
grep -E 'time:' bench/out/criterion.log || true

echo "== native: allocations per whole-form validation (benches/allocations.rs, a counting allocator)"
cargo bench --bench allocations -- --json bench/out/allocations.json > bench/out/allocations.log 2>&1 || { tail -30 bench/out/allocations.log; exit 1; }
grep -E '^(form/example|network-unit-filing)' bench/out/allocations.log || true

# A crate of its own (its Cargo.toml says why); its first build compiles formseal and jsonschema
# in release with LTO, a few minutes. Not --locked: its lock file also pins formseal's own
# dependencies, and Cargo adds whatever formseal's Cargo.toml gained since.
echo "== native: formseal vs the Rust jsonschema crate, one process, alternating rounds (benches/jsonschema-peer)"
(cd benches/jsonschema-peer && cargo run --release --quiet -- --rounds "$ROUNDS" --ms "$MS" --json ../../bench/out/jsonschema.json) \
  > bench/out/jsonschema.log 2>&1 || { tail -30 bench/out/jsonschema.log; exit 1; }
grep -A3 '^median' bench/out/jsonschema.log || true

echo "== Node: formseal (wasm and native) vs Ajv, Zod, Valibot (alternating rounds)"
NATIVE_BIN=$(cargo bench --bench throughput --no-run --message-format=json 2>/dev/null | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    for (const l of s.split("\n")) { try { const j = JSON.parse(l); if (j.executable && j.target.name === "throughput") console.log(j.executable); } catch {} }
  });')
NATIVE_BIN=$NATIVE_BIN node bench/node.mjs "$ROUNDS" "$MS"
echo "== Chromium: cold start and one field as typed"
node bench/browser.mjs "$COLD" "$CALLS" > bench/out/browser.log
echo "== Chromium: the embed with a form of 5,000 controls, 1,000 wrong (a submit, a keystroke)"
node bench/embed.mjs "$EMBED_RUNS" > bench/out/embed.json
grep -A1 -E '"(submit|keystroke)_ms"' bench/out/embed.json || true
echo "== bytes"
node bench/size.mjs > bench/out/size.log
echo "== receiver: submissions/s, p50/p95; SQLite vs 1 and 3 receivers on PostgreSQL (scripts/pg.sh)"
cargo bench --features serve --bench receiver > bench/out/receiver.md 2> bench/out/receiver.log || { tail -30 bench/out/receiver.log; exit 1; }
cat bench/out/receiver.md
node bench/report.mjs
node bench/chart-png.mjs
