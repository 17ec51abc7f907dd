//! Heap allocations per whole-form validation, counted by a global allocator (`stats_alloc`, which
//! wraps the system allocator and counts every call): the figure behind the budget "allocations
//! per whole-form validation ≤ 60" (docs/budgets.md). `bench/run.sh` runs it and
//! `bench/report.mjs` puts its figures into latest.md.
//!
//! What is counted: one call of `Form::validate` on an already parsed document with an already
//! compiled form, including dropping its `Report` — everything a receiver or a page pays per
//! submission. The form is compiled and one validation is run before counting, so lazily
//! initialised statics (the message catalogue, the legal bases) are not charged to every call; that
//! first call's own count is printed as well (`first call`: for the first form it includes the
//! statics). "bytes" are the bytes requested by allocations plus what reallocations grew by. The
//! counts are exact and do not depend on the machine's load, so one run is enough; the bench still
//! runs `CALLS` calls and checks that every call allocated the same.
//!
//! Usage: `cargo bench --bench allocations [-- --json <path>]`; prints a table, and with `--json`
//! writes `{ "<form>/<valid|invalid>": { allocations, reallocations, deallocations, bytes, first } }`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::alloc::System;
use std::collections::BTreeMap;
use std::hint::black_box;

use formseal::{Form, Locale, Timestamp};
use serde_json::{json, Value};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const NOW: &str = "2005-06-01T10:00:00+08:00";
const CALLS: usize = 200;

/// One call's counts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Counts {
    allocations: usize,
    reallocations: usize,
    deallocations: usize,
    bytes: usize,
}

fn count(f: impl FnOnce()) -> Counts {
    let region = Region::new(GLOBAL);
    f();
    let s = region.change();
    Counts {
        allocations: s.allocations,
        reallocations: s.reallocations,
        deallocations: s.deallocations,
        bytes: s.bytes_allocated,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json_out = args.iter().position(|a| a == "--json").and_then(|i| args.get(i + 1)).cloned();
    let now: Timestamp = NOW.parse().unwrap();

    let mut results = BTreeMap::new();
    println!("allocations per Form::validate (the report dropped inside the count), {CALLS} calls each");
    println!(
        "{:<45} {:>11} {:>8} {:>10} {:>9} {:>12} {:>7} {:>11}",
        "form/example", "allocations", "reallocs", "bytes", "findings", "first call", "check", "normalized"
    );
    for builtin in formseal::forms::BUILTINS {
        let form = Form::builtin(builtin.id).unwrap();
        for (kind, text) in [("valid", builtin.valid_example()), ("invalid", builtin.invalid_example())] {
            let data: Value = serde_json::from_str(text).unwrap();
            // The examples must give the verdict their name says, or the count measures the wrong path.
            let mut first_report = None;
            let first = count(|| first_report = Some(form.validate(&data, now, Locale::ZhCn)));
            let report = first_report.unwrap();
            assert_eq!(report.valid, kind == "valid", "{}/{kind}: {:?}", builtin.id, report.counts);
            let findings = report.findings.len();
            // What the normalised data alone costs to hold: a clone allocates what building it did.
            let normalized = count(|| drop(black_box(report.normalized.clone())));
            drop(report);
            // The engine without rendering: `Form::check`, the outcome dropped inside the count.
            let check = count(|| drop(black_box(form.check(black_box(&data), now))));
            let mut per_call = Vec::with_capacity(CALLS);
            for _ in 0..CALLS {
                per_call.push(count(|| drop(black_box(form.validate(black_box(&data), now, Locale::ZhCn)))));
            }
            let c = per_call[0];
            assert!(per_call.iter().all(|p| *p == c), "{}/{kind}: counts vary between calls: {per_call:?}", builtin.id);
            assert_eq!(
                c.allocations, c.deallocations,
                "{}/{kind}: a call leaks or frees what it did not allocate",
                builtin.id
            );
            let name = format!("{}/{kind}", builtin.id);
            println!(
                "{name:<45} {:>11} {:>8} {:>10} {findings:>9} {:>12} {:>7} {:>11}",
                c.allocations, c.reallocations, c.bytes, first.allocations, check.allocations, normalized.allocations
            );
            results.insert(
                name,
                json!({
                    "allocations": c.allocations,
                    "reallocations": c.reallocations,
                    "deallocations": c.deallocations,
                    "bytes": c.bytes,
                    "findings": findings,
                    "first": first.allocations,
                    "check": check.allocations,
                    "normalized": normalized.allocations,
                    "calls": CALLS,
                }),
            );
        }
    }
    if let Some(path) = json_out {
        std::fs::write(&path, serde_json::to_string_pretty(&results).unwrap()).unwrap();
        println!("written to {path}");
    }
}
