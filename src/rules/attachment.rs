//! Attachment metadata: the name, media type, size and digests of a file the person attaches.
//! formseal never sees the file's bytes; the embedding computes the SHA-256 (WebCrypto) and the
//! payload seals the metadata, so the receiver can match the file it is given.
//!
//! Keys: `media_types` (`type/subtype` or `type/*`), `max_size` (bytes).

use serde_json::{Map, Value};

use super::{type_mismatch, Checked};
use crate::finding::Finding;
use crate::schema::FieldDef;

/// A compiled attachment field.
#[derive(Debug)]
pub(crate) struct Attachment {
    pub media_types: Vec<String>,
    pub max_size: Option<u64>,
}

/// The keys this family accepts beyond those of every field.
pub(crate) fn accepts(key: &str) -> bool {
    matches!(key, "media_types" | "max_size")
}

pub(crate) fn compile(def: &FieldDef) -> Attachment {
    Attachment {
        media_types: def
            .media_types
            .clone()
            .unwrap_or_default()
            .iter()
            .map(|m| m.trim().to_ascii_lowercase())
            .collect(),
        max_size: def.max_size,
    }
}

impl Attachment {
    pub(crate) fn check(&self, value: &Value) -> Checked {
        check(value, &self.media_types, self.max_size)
    }
}

const KNOWN_KEYS: [&str; 5] = ["name", "media_type", "size", "sha256", "sm3"];

fn is_hex_digest(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn media_type_allowed(media_type: &str, allowed: &[String]) -> bool {
    allowed.is_empty()
        || allowed.iter().any(|a| {
            a == media_type || a.strip_suffix("/*").is_some_and(|prefix| media_type.split('/').next() == Some(prefix))
        })
}

fn check(value: &Value, media_types: &[String], max_size: Option<u64>) -> Checked {
    let Value::Object(object) = value else {
        return Checked::with(None, vec![type_mismatch("attachment", value)]);
    };
    let mut findings = Vec::new();
    let mut out = Map::new();
    for key in object.keys() {
        if !KNOWN_KEYS.contains(&key.as_str()) {
            findings.push(Finding::warning("unknown_field").with("name", key.as_str()));
        }
    }
    match object.get("name").and_then(Value::as_str).map(str::trim) {
        Some(name) if !name.is_empty() && name.chars().count() <= 255 && !name.chars().any(char::is_control) => {
            out.insert("name".into(), Value::String(name.to_owned()));
        }
        _ => findings.push(Finding::error("attachment_name_invalid")),
    }
    match object.get("media_type").and_then(Value::as_str).map(|m| m.trim().to_ascii_lowercase()) {
        Some(m) if m.contains('/') && m.len() <= 127 => {
            if !media_type_allowed(&m, media_types) {
                findings.push(
                    Finding::error("attachment_media_type")
                        .with("media_type", m.as_str())
                        .with("allowed", media_types.join(", ")),
                );
            }
            out.insert("media_type".into(), Value::String(m));
        }
        _ => findings.push(Finding::error("attachment_media_type_invalid")),
    }
    match object.get("size").and_then(Value::as_u64) {
        Some(0) => findings.push(Finding::error("attachment_empty")),
        Some(size) => {
            if let Some(max) = max_size {
                if size > max {
                    findings.push(Finding::error("attachment_too_large").with("size", size).with("max_size", max));
                }
            }
            out.insert("size".into(), Value::from(size));
        }
        None => findings.push(Finding::error("attachment_size_invalid")),
    }
    for (key, required) in [("sha256", true), ("sm3", false)] {
        match object.get(key) {
            Some(Value::String(d)) if is_hex_digest(d.trim()) => {
                out.insert(key.into(), Value::String(d.trim().to_ascii_lowercase()));
            }
            None | Some(Value::Null) if !required => {}
            _ => findings.push(Finding::error("attachment_digest_invalid").with("algorithm", key)),
        }
    }
    Checked::with(Some(Value::Object(out)), findings)
}
