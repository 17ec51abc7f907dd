#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! Writes the seed corpora of the fuzz targets (`fuzz/fuzz_targets/`) from the test data, so
//! fuzzing starts from inputs that reach deep into each check instead of from nothing. Run by
//! `scripts/fuzz.sh` (`make fuzz`, `make fuzz-smoke`) before fuzzing; the corpora are not committed.
//!
//! `FUZZ_CORPUS=<dir> cargo test --test fuzz_seeds -- --ignored` writes `<dir>/<target>/<hash>`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use formseal::ident::IdentifierKind;
use formseal::seal::envelope::{seal, SealOptions};
use formseal::seal::keys::{Algorithm, PrivateKey};
use formseal::SignedDuration;
use formseal::{Form, Locale};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn json_file(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    paths.sort();
    paths
}

/// FNV-1a, for stable file names that also drop duplicates.
fn name(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("seed-{hash:016x}")
}

fn with_selector(selector: u8, bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![selector];
    out.extend_from_slice(bytes);
    out
}

#[test]
#[ignore = "writes files; run by scripts/fuzz.sh"]
fn write_fuzz_seeds() {
    let out = std::env::var_os("FUZZ_CORPUS").map_or_else(|| root().join("fuzz/corpus"), PathBuf::from);
    let mut seeds: BTreeMap<&str, Vec<Vec<u8>>> = BTreeMap::new();

    // compile_definition: the built-in definitions, the schema-error cases, the rule vectors' forms,
    // the shape vectors' base.
    for b in formseal::forms::BUILTINS {
        seeds.entry("compile_definition").or_default().push(b.definition.as_bytes().to_vec());
    }
    for case in json_file(&root().join("tests/data/schema/errors.json"))["cases"].as_array().unwrap() {
        seeds.entry("compile_definition").or_default().push(serde_json::to_vec(&case["definition"]).unwrap());
    }
    for path in files("tests/data/rules", "json") {
        let file = json_file(&path);
        seeds.entry("compile_definition").or_default().push(serde_json::to_vec(&file["definition"]).unwrap());
    }
    // The shape vectors' base: a small definition using most keys the definition reader reads.
    let shapes = json_file(&root().join("tests/data/schema/shapes.json"));
    seeds.entry("compile_definition").or_default().push(serde_json::to_vec(&shapes["base"]).unwrap());

    // validate_builtin: each form's examples, in both locales (the high bit of the selector).
    for (i, b) in formseal::forms::BUILTINS.iter().enumerate() {
        for example in [b.valid_example(), b.invalid_example()] {
            for locale_bit in [0, 0x80] {
                seeds
                    .entry("validate_builtin")
                    .or_default()
                    .push(with_selector(i as u8 | locale_bit, example.as_bytes()));
            }
        }
    }

    // validate_field: each form's examples, with a spread of field paths and typed values (the
    // selectors are the form, the path and the value, in that order).
    for (i, b) in formseal::forms::BUILTINS.iter().enumerate() {
        for example in [b.valid_example(), b.invalid_example()] {
            for path in (0u8..64).step_by(7) {
                let mut seed = vec![i as u8, path, path.wrapping_mul(3)];
                seed.extend_from_slice(example.as_bytes());
                seeds.entry("validate_field").or_default().push(seed);
            }
        }
    }

    // identifier and domain: every vector input, with its kind's selector.
    for path in files("tests/data/ident", "json") {
        let file = json_file(&path);
        let kind = IdentifierKind::parse(file["kind"].as_str().unwrap()).unwrap();
        let selector = IdentifierKind::ALL.iter().position(|k| *k == kind).unwrap() as u8;
        for case in file["cases"].as_array().unwrap() {
            let input = case["input"].as_str().unwrap();
            seeds.entry("identifier").or_default().push(with_selector(selector, input.as_bytes()));
            if matches!(kind, IdentifierKind::Domain) {
                seeds.entry("domain").or_default().push(input.as_bytes().to_vec());
            }
        }
    }

    // jcs: the RFC 8785 inputs, and below the payloads and headers of real envelopes.
    for path in files("tests/data/jcs/input", "json") {
        seeds.entry("jcs").or_default().push(fs::read(path).unwrap());
    }

    // verify_envelope: genuine envelopes as text (mode 0), and the edit mode with no edits and one.
    let now = "2005-06-01T10:00:00+08:00".parse().unwrap();
    let options = SealOptions { now, ttl: SignedDuration::from_hours(24), nonce: [9; 16], locale: Locale::ZhCn };
    for (i, alg) in [Algorithm::EdDSA, Algorithm::Es256, Algorithm::Sm2Sm3].into_iter().enumerate() {
        let key = PrivateKey::from_seed(alg, Some(format!("k{i}")), &[7; 32]).unwrap();
        for id in ["user-filing", "incident-report"] {
            let form = Form::builtin(id).unwrap();
            let data: Value = serde_json::from_str(formseal::forms::builtin(id).unwrap().valid_example()).unwrap();
            let Ok(envelope) = seal(&form, &data, &key, &options) else { continue };
            let text = serde_json::to_string(&envelope).unwrap();
            seeds.entry("verify_envelope").or_default().push(with_selector(0, text.as_bytes()));
            for part in [&envelope.protected, &envelope.payload] {
                seeds.entry("jcs").or_default().push(formseal::seal::b64::decode(part).unwrap());
            }
        }
        let mode = i as u8 + 1;
        seeds.entry("verify_envelope").or_default().push(vec![mode]);
        seeds.entry("verify_envelope").or_default().push(vec![mode, 0, 40, b'A']);
    }
    // The payload edit mode (128 + which genuine payload): signed again with no edit, then one
    // edit of each member (data, warnings, attachments, nonce, iat, exp, locale).
    for which in 0..6u8 {
        seeds.entry("verify_envelope").or_default().push(vec![128 + which]);
        for op in 0..7u8 {
            seeds.entry("verify_envelope").or_default().push(vec![128 + which, op, 3, 1, 2, b'a', b'b', 4]);
        }
    }

    let mut total = 0;
    for (target, inputs) in &seeds {
        let dir = out.join(target);
        fs::create_dir_all(&dir).unwrap();
        for bytes in inputs {
            fs::write(dir.join(name(bytes)), bytes).unwrap();
        }
        println!("{target}: {} seeds", inputs.len());
        total += inputs.len();
    }
    // One seed set per fuzz target: the targets are the `[[bin]]`s of fuzz/Cargo.toml.
    let manifest = fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap();
    let targets: Vec<&str> = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|bin| bin.lines().find_map(|l| l.trim().strip_prefix("name = \"")?.strip_suffix('"')))
        .collect();
    let mut seeded: Vec<&str> = seeds.keys().copied().collect();
    let mut expected = targets;
    seeded.sort_unstable();
    expected.sort_unstable();
    assert_eq!(seeded, expected, "one seed set per fuzz target (fuzz/Cargo.toml)");
    assert!(total > 500, "only {total} seeds");
}
