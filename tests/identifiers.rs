//! Table-driven identifier vectors: every file under `tests/data/ident/` (format in
//! `tests/data/README.md`). Each case is named by its file and index so a failure says where.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use formseal::ident::{self, IdentifierKind, Today};
use serde::Deserialize;

#[derive(Deserialize)]
struct VectorFile {
    kind: String,
    #[serde(default)]
    today: Option<String>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    #[serde(default)]
    name: String,
    input: String,
    valid: bool,
    #[serde(default)]
    normalized: Option<String>,
    #[serde(default)]
    display: Option<String>,
    #[serde(default)]
    codes: Vec<String>,
}

fn parse_today(s: &str) -> Today {
    let parts: Vec<&str> = s.split('-').collect();
    assert_eq!(parts.len(), 3, "today must be YYYY-MM-DD: {s}");
    Today { year: parts[0].parse().unwrap(), month: parts[1].parse().unwrap(), day: parts[2].parse().unwrap() }
}

#[test]
fn identifier_vectors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ident");
    let mut failures = Vec::new();
    let mut count = 0;
    let mut entries: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).unwrap();
        let file: VectorFile = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file_name}: {e}"));
        let kind = IdentifierKind::parse(&file.kind).unwrap_or_else(|| panic!("{file_name}: unknown kind"));
        let today = file.today.as_deref().map(parse_today);
        for (i, case) in file.cases.iter().enumerate() {
            count += 1;
            let id = format!("{file_name}#{i} {} ({:?})", case.name, case.input);
            let got = ident::check(kind, &case.input, today);
            let got_codes: BTreeSet<&str> = got.findings.iter().map(|f| f.code.as_ref()).collect();
            let want_codes: BTreeSet<&str> = case.codes.iter().map(String::as_str).collect();
            if got.is_valid() != case.valid {
                failures.push(format!("{id}: valid {} expected {} ({got_codes:?})", got.is_valid(), case.valid));
            }
            if got_codes != want_codes {
                failures.push(format!("{id}: codes {got_codes:?} expected {want_codes:?}"));
            }
            if case.normalized.is_some() && got.normalized != case.normalized {
                failures.push(format!("{id}: normalized {:?} expected {:?}", got.normalized, case.normalized));
            }
            if case.display.is_some() && got.display != case.display {
                failures.push(format!("{id}: display {:?} expected {:?}", got.display, case.display));
            }
            if case.valid && got.normalized.is_none() {
                failures.push(format!("{id}: a valid value must have a normalized form"));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {count} identifier cases failed:\n{}", failures.len(), failures.join("\n"));
    assert!(count > 0, "no identifier vectors found");
}

#[test]
fn every_identifier_code_has_messages_in_both_locales() {
    let known: BTreeSet<&str> = formseal::messages::known_codes().collect();
    let missing: Vec<&str> = ident::codes().filter(|c| !known.contains(c)).collect();
    assert!(missing.is_empty(), "codes without a catalogue entry: {missing:?}");
}
