//! Table-driven identifier vectors: every file under `tests/data/ident/` (format in
//! `tests/data/README.md`). Each case is named by its file and index so a failure says where.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use formseal::ident;

fn files_in(dir: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut paths: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read_to_string(&p).unwrap()))
        .collect()
}

#[test]
fn identifier_vectors() {
    let (mut count, mut failures) = (0, Vec::new());
    for (name, text) in files_in("tests/data/ident") {
        let (n, f) = common::identifier_file(&name, &text);
        count += n;
        failures.extend(f);
    }
    assert!(count > 400, "only {count} identifier cases");
    assert!(failures.is_empty(), "{} of {count} identifier cases failed:\n{}", failures.len(), failures.join("\n"));
}

/// The wasm run embeds the vector files; it must embed exactly the files the directories hold,
/// with the same contents.
#[test]
fn embedded_vector_lists_match_the_directories() {
    for (dir, embedded) in [("tests/data/ident", common::IDENT_FILES), ("tests/data/rules", common::RULE_FILES)] {
        let on_disk = files_in(dir);
        let listed: Vec<(String, String)> = embedded.iter().map(|(n, t)| ((*n).to_owned(), (*t).to_owned())).collect();
        assert_eq!(listed, on_disk, "{dir}: update the list in tests/common/mod.rs");
    }
}

#[test]
fn every_identifier_code_has_messages_in_both_locales() {
    let known: BTreeSet<&str> = formseal::messages::known_codes().collect();
    let missing: Vec<&str> = ident::codes().filter(|c| !known.contains(c)).collect();
    assert!(missing.is_empty(), "codes without a catalogue entry: {missing:?}");
}
