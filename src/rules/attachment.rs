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
    use std::borrow::Cow;
    let Value::Object(object) = value else {
        return Checked::with(None, vec![type_mismatch("attachment", value)]);
    };
    let mut findings = Vec::new();
    // Whether the metadata is already in its normal form: only known keys, each value as the
    // normal form writes it. Then the value is kept as given and nothing is copied.
    let mut normal = true;
    for key in object.keys() {
        if !KNOWN_KEYS.contains(&key.as_str()) {
            normal = false;
            findings.push(Finding::warning("unknown_field").with("name", key.as_str()));
        }
    }
    let typed = |key: &str| object.get(key).and_then(Value::as_str);
    let name = match typed("name").map(str::trim) {
        Some(name) if !name.is_empty() && name.chars().count() <= 255 && !name.chars().any(char::is_control) => {
            normal &= typed("name").map(str::len) == Some(name.len());
            Some(name)
        }
        _ => {
            normal = false;
            findings.push(Finding::error("attachment_name_invalid"));
            None
        }
    };
    let media_type = match typed("media_type").map(str::trim) {
        Some(m) if m.contains('/') && m.len() <= 127 => {
            let m: Cow<'_, str> = if m.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(m.to_ascii_lowercase())
            } else {
                Cow::Borrowed(m)
            };
            normal &= matches!(m, Cow::Borrowed(_)) && typed("media_type").map(str::len) == Some(m.len());
            if !media_type_allowed(&m, media_types) {
                findings.push(
                    Finding::error("attachment_media_type")
                        .with("media_type", m.as_ref())
                        .with("allowed", media_types.join(", ")),
                );
            }
            Some(m)
        }
        _ => {
            normal = false;
            findings.push(Finding::error("attachment_media_type_invalid"));
            None
        }
    };
    let size = match object.get("size").and_then(Value::as_u64) {
        Some(0) => {
            normal = false;
            findings.push(Finding::error("attachment_empty"));
            None
        }
        Some(size) => {
            if let Some(max) = max_size {
                if size > max {
                    findings.push(Finding::error("attachment_too_large").with("size", size).with("max_size", max));
                }
            }
            Some(size)
        }
        None => {
            normal = false;
            findings.push(Finding::error("attachment_size_invalid"));
            None
        }
    };
    let mut digests: [Option<Cow<'_, str>>; 2] = [None, None];
    for ((key, required), slot) in [("sha256", true), ("sm3", false)].into_iter().zip(digests.iter_mut()) {
        match object.get(key) {
            Some(Value::String(d)) if is_hex_digest(d.trim()) => {
                let t = d.trim();
                *slot = Some(if t.len() == d.len() && !t.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Borrowed(t)
                } else {
                    normal = false;
                    Cow::Owned(t.to_ascii_lowercase())
                });
            }
            None if !required => {}
            Some(Value::Null) if !required => normal = false,
            _ => {
                normal = false;
                findings.push(Finding::error("attachment_digest_invalid").with("algorithm", key));
            }
        }
    }
    if normal {
        return Checked::same(findings);
    }
    let mut out = Map::new();
    if let Some(name) = name {
        out.insert("name".into(), Value::String(name.to_owned()));
    }
    if let Some(m) = media_type {
        out.insert("media_type".into(), Value::String(m.into_owned()));
    }
    if let Some(size) = size {
        out.insert("size".into(), Value::from(size));
    }
    for (key, digest) in ["sha256", "sm3"].into_iter().zip(digests) {
        if let Some(d) = digest {
            out.insert(key.into(), Value::String(d.into_owned()));
        }
    }
    Checked::with(Some(Value::Object(out)), findings)
}
