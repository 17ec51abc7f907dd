//! The message catalogue: what the person filing reads, in zh-CN (the default) and en.
//!
//! Messages are keyed by finding code and live in JSON files, one per family of checks
//! (`engine.json`, `ident.json`, `domain.json`), each `{ code: { "zh-CN": text, "en": text } }`.
//! A text refers to the finding's parameters as `{name}`. Legal bases (articles of the regulation
//! and of the 2005 notice) live in `bases.json` in the same shape. The files are embedded in the
//! binary and parsed once, on first use.
//!
//! This module renders; it does not decide what is wrong.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::finding::Params;

/// A language the person filing can read messages in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    /// Simplified Chinese, the default.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Locale {
    /// Every supported locale.
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// The BCP 47 tag (`zh-CN`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// Parses a BCP 47 tag leniently: `zh`, `zh-CN`, `zh-Hans`, `zh_cn` → zh-CN; `en`, `en-GB` → en.
    pub fn parse(tag: &str) -> Option<Locale> {
        let lower = tag.trim().to_ascii_lowercase().replace('_', "-");
        let primary = lower.split('-').next().unwrap_or("");
        match primary {
            "zh" => Some(Locale::ZhCn),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

/// A text in every supported locale. Definitions use this shape for titles, labels and help.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
    /// English.
    pub en: String,
}

impl Localized {
    /// The text in `locale`, falling back to the other locale when empty.
    pub fn get(&self, locale: Locale) -> &str {
        let (first, second) = match locale {
            Locale::ZhCn => (&self.zh_cn, &self.en),
            Locale::En => (&self.en, &self.zh_cn),
        };
        if first.is_empty() {
            second
        } else {
            first
        }
    }
}

type Catalogue = HashMap<String, Localized>;

const MESSAGE_FILES: [(&str, &str); 3] = [
    ("engine.json", include_str!("engine.json")),
    ("ident.json", include_str!("ident.json")),
    ("domain.json", include_str!("domain.json")),
];

fn load(files: &[(&str, &str)]) -> Catalogue {
    let mut all = Catalogue::new();
    for (_name, text) in files {
        // The files are part of the build and tested (`catalogue_files_parse`); a broken file
        // degrades to showing codes rather than panicking at run time.
        if let Ok(map) = serde_json::from_str::<Catalogue>(text) {
            all.extend(map);
        }
    }
    all
}

fn messages() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| load(&MESSAGE_FILES))
}

fn bases() -> &'static Catalogue {
    static BASES: OnceLock<Catalogue> = OnceLock::new();
    BASES.get_or_init(|| load(&[("bases.json", include_str!("bases.json"))]))
}

/// The message template for `code`, if the catalogue has one.
pub fn template(code: &str, locale: Locale) -> Option<&'static str> {
    messages().get(code).map(|l| l.get(locale))
}

/// Every code the catalogue knows.
pub fn known_codes() -> impl Iterator<Item = &'static str> {
    messages().keys().map(String::as_str)
}

/// The citation text of a built-in legal basis (`reg33.art12` → 《…》第十二条).
pub fn basis(id: &str, locale: Locale) -> Option<&'static str> {
    bases().get(id).map(|l| l.get(locale))
}

/// Every built-in legal basis id.
pub fn known_bases() -> impl Iterator<Item = &'static str> {
    bases().keys().map(String::as_str)
}

/// Renders the message of a finding: the template with `{name}` replaced by parameter values.
/// An unknown code renders as the code and its parameters, so nothing is ever silently empty.
pub fn render(code: &str, params: &Params, locale: Locale) -> String {
    match template(code, locale) {
        Some(t) => fill(t, params),
        None if params.is_empty() => code.to_owned(),
        None => format!("{code} {}", Value::Object(params.clone())),
    }
}

/// Replaces `{name}` in `template` with the parameter `name` (strings without quotes).
pub fn fill(template: &str, params: &Params) -> String {
    fill_with(template, &|name| params.get(name).map(Text::Json))
}

/// A parameter's text for [`fill_with`].
pub enum Text<'a> {
    /// Text as it is.
    Str(&'a str),
    /// A JSON value: strings without quotes, anything else as JSON.
    Json(&'a Value),
}

/// [`fill`] with the parameters looked up by `param`, so a caller can add texts (a label, option
/// labels) without copying the finding's parameters.
pub fn fill_with<'a>(template: &str, param: &dyn Fn(&str) -> Option<Text<'a>>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| param(&after[..close]).map(|p| (close, p))) {
            Some((close, text)) => {
                match text {
                    Text::Str(s) => out.push_str(s),
                    Text::Json(Value::String(s)) => out.push_str(s),
                    Text::Json(other) => out.push_str(&other.to_string()),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_files_parse() {
        for (name, text) in MESSAGE_FILES.iter().chain([("bases.json", include_str!("bases.json"))].iter()) {
            let parsed: Result<Catalogue, _> = serde_json::from_str(text);
            assert!(parsed.is_ok(), "{name}: {parsed:?}");
            for (code, text) in parsed.unwrap_or_default() {
                assert!(!text.zh_cn.is_empty() && !text.en.is_empty(), "{name}: {code} lacks a locale");
            }
        }
    }

    #[test]
    fn fill_replaces_known_params_only() {
        let mut p = Params::new();
        p.insert("n".into(), Value::from(3));
        p.insert("s".into(), Value::from("x"));
        assert_eq!(fill("{n} days, {s}, {missing}", &p), "3 days, x, {missing}");
    }

    #[test]
    fn locale_tags() {
        assert_eq!(Locale::parse("zh-Hans-CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("EN_gb"), Some(Locale::En));
        assert_eq!(Locale::parse("fr"), None);
    }
}
