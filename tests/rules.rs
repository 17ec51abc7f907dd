//! Table-driven rule tests: every file under `tests/data/rules/` holds a small form definition and
//! cases of data, time and the exact findings expected (format in `tests/data/README.md`). The
//! same files run under wasm (`tests/wasm.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::fs;
use std::path::Path;

#[test]
fn rule_vectors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rules");
    let mut paths: Vec<_> = fs::read_dir(&dir).expect("tests/data/rules").map(|e| e.expect("entry").path()).collect();
    paths.sort();
    let (mut failures, mut count) = (Vec::new(), 0);
    for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (n, f) = common::rule_file(&file_name, &fs::read_to_string(path).expect("read"));
        count += n;
        failures.extend(f);
    }
    assert!(count > 50, "only {count} rule cases found");
    assert!(failures.is_empty(), "{} of {count} rule cases failed:\n{}", failures.len(), failures.join("\n"));
}
