#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/) for FUZZ_SECONDS seconds each (default 60), after
# seeding fuzz/corpus/<target>/ from the test data (tests/fuzz_seeds.rs). `make fuzz` runs it with
# the default, `make fuzz-smoke` (part of `make test`) with a few seconds per target.
#
# Installs what it needs when absent: the nightly toolchain (libFuzzer's instrumentation needs it)
# and cargo-fuzz. Sanitizer: none by default (FUZZ_SANITIZER=address to change it): the crate
# forbids unsafe code, so what fuzzing looks for here is panics, aborts, hangs and memory blow-ups,
# which libFuzzer catches without ASan, at several times the executions per second.
#
# FUZZ_SEED fixes libFuzzer's random seed. `make fuzz-smoke` (in `make test`, so in CI) sets it:
# the smoke run then walks the same mutations on every run, so a CI result says something about
# the change under test rather than about the dice; `make fuzz` leaves it unset and explores anew.
#
# Exits non-zero on the first crash, leaving the input in fuzz/artifacts/<target>/; turn it into a
# regression test in tests/ (SECURITY.md, "Fuzzing"). Prints one line per target: executions,
# coverage (libFuzzer's `cov`, instrumented edges reached) and features (`ft`).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
seed_args=()
if [ -n "${FUZZ_SEED:-}" ]; then seed_args=(-seed="$FUZZ_SEED"); fi
sanitizer=${FUZZ_SANITIZER:-none}
targets=(compile_definition validate_builtin validate_field identifier domain jcs verify_envelope)
if [ $# -gt 0 ]; then targets=("$@"); fi

rustup toolchain list | grep '^nightly' >/dev/null || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked || cargo install cargo-fuzz

mkdir -p fuzz/artifacts
FUZZ_CORPUS="$PWD/fuzz/corpus" cargo test --quiet --all-features --test fuzz_seeds -- --ignored --exact write_fuzz_seeds \
  --nocapture >fuzz/artifacts/seeds.log 2>&1 || { cat fuzz/artifacts/seeds.log; echo "seeding failed" >&2; exit 1; }
grep -E '^[a-z_]+: [0-9]+ seeds$' fuzz/artifacts/seeds.log
(cd fuzz && cargo +nightly fuzz build --sanitizer "$sanitizer")

summary=()
for t in "${targets[@]}"; do
  log=fuzz/artifacts/$t.log
  echo "== fuzz $t for ${seconds}s"
  # -timeout: one input over 10 s is a hang; -rss_limit_mb: a memory blow-up is a crash too.
  if ! (cd fuzz && cargo +nightly fuzz run --sanitizer "$sanitizer" "$t" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${seed_args[@]}") >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz $t: CRASH (input in fuzz/artifacts/$t/, log in $log)" >&2
    exit 1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  summary+=("$(printf '%-20s %10s execs in %ss  cov %6s  ft %6s  corpus %5s' "$t" "${execs:-?}" "$seconds" "${cov:-?}" "${ft:-?}" "$corpus")")
done
printf '%s\n' "== fuzz summary (sanitizer: $sanitizer)" "${summary[@]}"
