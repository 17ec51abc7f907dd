//! formseal and the Rust `jsonschema` crate on `network-unit-filing`, in one process, in
//! alternating rounds: the native peer of the budget "faster than the Rust `jsonschema` crate on
//! the equivalent JSON Schema" (docs/budgets.md). `bench/run.sh` runs it; `bench/report.mjs` puts
//! its medians and ratios into bench/results/latest.md.
//!
//! Usage: `formseal-jsonschema-peer [--rounds N] [--ms M] [--json PATH]`. Each round times every
//! implementation and case for M ms (batches of 16 calls) in turn, so all of them share the same
//! minutes of a shared machine; the figure is the median over the rounds of the time per call.
//!
//! Implementations timed:
//! - `formseal`: `Form::validate` on a parsed document (all findings, messages rendered in zh-CN
//!   with labels and legal bases, findings in form order, the normalised document), as in
//!   benches/native.rs.
//! - `jsonschema`: `Validator::iter_errors` collected into a `Vec` (every error, as formseal
//!   reports every finding); `jsonschema-is-valid`: `Validator::is_valid` (a yes/no that may stop
//!   at the first error), the crate's fastest path.
//!
//! Before timing, the run checks that the schema accepts the valid example and refuses the invalid
//! one, and that formseal does the same; otherwise it exits with status 1 and prints the errors.
//!
//! ## The schema, and what JSON Schema cannot express
//!
//! `network-unit-filing.schema.json` (draft 2020-12, built-in formats validated with
//! `should_validate_formats(true)`, no custom keywords or format functions) holds what the
//! definition in forms/network-unit-filing.json says that JSON Schema can say: every `required`,
//! the conditional requirements as `if`/`then` (`required_if` of `bbs_rules` and
//! `approval_certificate`, `forbidden_if` of `org_code` as `not: {required}`), the certificate rules
//! as `if certificate_type = … then certificate_number matches …` and the nature/certificate table
//! as `if subject_nature = … then certificate_type ∈ …`, enums, lengths, item counts, `uniqueItems`,
//! patterns for the shapes of every identifier, and the formats `date`, `idn-email`,
//! `idn-hostname`, `iri`, `ipv4`, `ipv6`. It cannot express, so this peer does less than formseal:
//!
//! - check characters and checksums (USCC mod 31, organisation code mod 11, resident ID
//!   ISO 7064 MOD 11-2, the USCC's embedded organisation code), GB/T 2260 county codes, a birth
//!   date that is a real calendar date and not in the future;
//! - normalisation before checking (trim, full-width to half-width, upper case, separators
//!   dropped, 15-digit IDs converted) and the normalised document; patterns here see the raw text;
//! - uniqueness after normalisation (`HUAXIN-WT.com.cn` repeats `huaxin-wt.com.cn`: `uniqueItems`
//!   compares exact JSON values only);
//! - comparing two fields (`differs_from`: the emergency contact's mobile is not the principal's);
//! - anything relative to the time of the check (`not_in_future`, the 30-day and campaign
//!   deadlines), since a schema has no "now";
//! - severities: warnings (late filing, unknown fields, legacy IDs, mixed-script domains …) do not
//!   exist, so they are left out rather than made errors (no `additionalProperties: false`);
//! - the CNNIC registry rules, the mixed-script and look-alike policies, emoji in domains, the
//!   01x/0400/0800 area-code gaps, IP addresses in special ranges, the province of a filing
//!   number;
//! - legal bases, labels and messages in a locale.
//!
//! On the invalid example the schema therefore finds 6 of formseal's 10 errors (the run prints
//! them).
//!
//! ## Build
//!
//! A crate of its own (see Cargo.toml): formseal is built here with `regex`'s Unicode and `perf`
//! features switched on by `jsonschema`'s dependency on it, which the shipped library does not
//! have. The built-in form's only pattern (`admin_area`) is ASCII, so this changes formseal's
//! timing little; benches/native.rs measures formseal as shipped.

use std::hint::black_box;
use std::time::{Duration, Instant};

use formseal::{Form, Locale, Timestamp};
use serde_json::{json, Value};

const FORM: &str = "network-unit-filing";
const NOW: &str = "2005-06-01T10:00:00+08:00";
const SCHEMA: &str = include_str!("../network-unit-filing.schema.json");
const IMPLEMENTATIONS: [&str; 3] = ["formseal", "jsonschema", "jsonschema-is-valid"];

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn fail(message: String) -> ! {
    eprintln!("{message}");
    std::process::exit(1);
}

/// Time per call (ns) of `f`, run in batches of 16 for `budget`.
fn time_per_call(budget: Duration, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for _ in 0..16 {
            f();
        }
        n += 16;
    }
    start.elapsed().as_nanos() as f64 / n as f64
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => xs[n / 2],
        _ => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = arg(&args, "--rounds").and_then(|r| r.parse().ok()).unwrap_or(15);
    let ms: u64 = arg(&args, "--ms").and_then(|m| m.parse().ok()).unwrap_or(200);
    let json_out = arg(&args, "--json");

    let schema: Value = serde_json::from_str(SCHEMA).unwrap_or_else(|e| fail(format!("schema: {e}")));
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| fail(format!("the schema does not compile: {e}")));
    let Some(builtin) = formseal::forms::builtin(FORM) else { fail(format!("no built-in form {FORM}")) };
    let form = Form::builtin(FORM).unwrap_or_else(|e| fail(format!("{FORM}: {e}")));
    let now: Timestamp = NOW.parse().unwrap_or_else(|e| fail(format!("{NOW}: {e}")));
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap_or_else(|e| fail(format!("example: {e}")));
    let cases = [("valid", parse(builtin.valid_example())), ("invalid", parse(builtin.invalid_example()))];

    // Same verdicts on the same data before any timing.
    let mut verdicts = serde_json::Map::new();
    for (case, data) in &cases {
        let errors: Vec<String> = validator
            .iter_errors(data)
            .map(|e| format!("{} ({}): {e}", e.instance_path(), e.kind().keyword()))
            .collect();
        let report = form.validate(data, now, Locale::ZhCn);
        let expect_valid = *case == "valid";
        if errors.is_empty() != expect_valid || validator.is_valid(data) != expect_valid {
            fail(format!("jsonschema on the {case} example: {} errors:\n{}", errors.len(), errors.join("\n")));
        }
        if report.valid != expect_valid {
            fail(format!("formseal on the {case} example: {:?}", report.counts));
        }
        println!(
            "{case}: formseal {} errors/{} warnings; jsonschema {} errors",
            report.counts.errors,
            report.counts.warnings,
            errors.len()
        );
        for e in &errors {
            println!("  jsonschema: {e}");
        }
        verdicts.insert(
            (*case).to_owned(),
            json!({ "formseal_errors": report.counts.errors, "formseal_warnings": report.counts.warnings,
                    "jsonschema_errors": errors.len(), "jsonschema": errors }),
        );
    }

    // Warm-up, then alternating rounds.
    let budget = Duration::from_millis(ms);
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); cases.len() * IMPLEMENTATIONS.len()];
    for round in 0..=rounds {
        let slice = if round == 0 { budget / 4 } else { budget };
        for (c, (_, data)) in cases.iter().enumerate() {
            for (i, name) in IMPLEMENTATIONS.iter().enumerate() {
                let ns = match *name {
                    "formseal" => time_per_call(slice, || {
                        black_box(form.validate(black_box(data), now, Locale::ZhCn));
                    }),
                    "jsonschema" => time_per_call(slice, || {
                        black_box(validator.iter_errors(black_box(data)).collect::<Vec<_>>());
                    }),
                    _ => time_per_call(slice, || {
                        black_box(validator.is_valid(black_box(data)));
                    }),
                };
                if round > 0 {
                    if let Some(s) = samples.get_mut(c * IMPLEMENTATIONS.len() + i) {
                        s.push(ns);
                    }
                }
            }
        }
    }

    let mut medians = serde_json::Map::new();
    println!("median time per call over {rounds} alternating rounds of {ms} ms (µs):");
    for (c, (case, _)) in cases.iter().enumerate() {
        let mut row = Vec::new();
        for (i, name) in IMPLEMENTATIONS.iter().enumerate() {
            let m = samples.get_mut(c * IMPLEMENTATIONS.len() + i).map_or(f64::NAN, |s| median(s));
            medians.insert(format!("{case}/{name}"), json!(m));
            row.push(m);
        }
        let [fs, js, jv] = [row[0], row[1], row[2]];
        println!(
            "  {case:<8} formseal {:>8.2}  jsonschema {:>8.2}  jsonschema is_valid {:>8.2}  formseal/jsonschema speed {:.2}× ({:.2}× vs is_valid)",
            fs / 1e3,
            js / 1e3,
            jv / 1e3,
            js / fs,
            jv / fs
        );
    }
    if let Some(path) = json_out {
        let out =
            json!({ "form": FORM, "rounds": rounds, "msPerSample": ms, "medians_ns": medians, "verdicts": verdicts });
        let text = serde_json::to_string_pretty(&out).unwrap_or_default();
        std::fs::write(&path, text).unwrap_or_else(|e| fail(format!("{path}: {e}")));
        println!("written to {path}");
    }
}
