//! Rendering: an [`Outcome`] of validation becomes a [`Report`] in one locale. This is the only
//! place messages are made: each finding's template from the catalogue (or the definition's own
//! message) filled with its parameters, the field's label and the texts of the options it names,
//! its legal basis cited, its typed path written out.

use serde::Serialize;
use serde_json::Value;

use crate::finding::Finding;
use crate::messages::{self, Locale};
use crate::normalized::{Normalized, Shown};
use crate::path::Path;
use crate::report::{Basis, Counts, FormRef, Report, ReportFinding};
use crate::time;
use crate::validate::{Outcome, Raw};

/// The report of `outcome` in `locale`: the kept findings in order, then one `too_many_findings`
/// with the number left out. `valid` and the counts cover every finding; the summary is not
/// counted.
pub(crate) fn report(outcome: Outcome<'_>, locale: Locale) -> Report {
    let view = view(outcome, locale);
    let ReportView { form, valid, now, locale, counts, findings, normalized } = view;
    Report { form, valid, now, locale, counts, findings, normalized: normalized.value.into_value(normalized.form) }
}

/// A [`Report`] whose normalised data is still the overlay on the document: it serialises to
/// exactly what the report serialises to (the same members in the same order; the tests compare
/// them), without making the data as a `serde_json::Value` first. The JavaScript façade hands
/// this to JavaScript.
#[derive(Serialize)]
pub(crate) struct ReportView<'f> {
    form: FormRef,
    valid: bool,
    now: String,
    locale: Locale,
    counts: Counts,
    findings: Vec<ReportFinding>,
    normalized: Held<'f>,
}

/// The normalised data with its form, to serialise it.
struct Held<'f> {
    form: &'f crate::Form,
    value: Normalized<'f>,
}

impl Serialize for Held<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Shown { form: self.form, value: &self.value }.serialize(serializer)
    }
}

/// The report of `outcome` in `locale` with the normalised data left as it is (see [`ReportView`]).
pub(crate) fn view(outcome: Outcome<'_>, locale: Locale) -> ReportView<'_> {
    let Outcome { form, now, counts, findings: raws, dropped, normalized } = outcome;
    let findings = rendered(form, raws, dropped, locale);
    ReportView {
        form: FormRef { id: form.id.clone(), version: form.version.clone() },
        valid: counts.errors == 0,
        now: time::format_instant(now),
        locale,
        counts,
        findings,
        normalized: Held { form, value: normalized },
    }
}

/// The findings of `outcome` in `locale`, as its report lists them, and nothing else (one field's
/// findings for `validate_field`: its normalised data is never made).
pub(crate) fn findings(outcome: Outcome<'_>, locale: Locale) -> Vec<ReportFinding> {
    let Outcome { form, findings: raws, dropped, .. } = outcome;
    rendered(form, raws, dropped, locale)
}

/// The kept findings in `locale`, then one `too_many_findings` with the number left out.
fn rendered(form: &crate::Form, raws: Vec<Raw<'_>>, dropped: usize, locale: Locale) -> Vec<ReportFinding> {
    let mut findings = Vec::with_capacity(raws.len() + usize::from(dropped > 0));
    for raw in raws {
        findings.push(finding(form, raw, locale));
    }
    if dropped > 0 {
        let summary = Finding::warning("too_many_findings").with("count", dropped);
        findings.push(finding(form, Raw::plain(Path::root(), summary), locale));
    }
    findings
}

/// One finding in `locale`.
pub(crate) fn finding(form: &crate::Form, raw: Raw<'_>, locale: Locale) -> ReportFinding {
    let label = raw.label.map(|l| l.get(locale));
    let sep = match locale {
        Locale::ZhCn => "、",
        Locale::En => ", ",
    };
    // The texts a message may use beyond the finding's parameters: the label, and option labels
    // joined in the locale.
    let joined: Vec<(&str, String)> = raw
        .localized
        .iter()
        .map(|(name, texts)| (*name, texts.iter().map(|t| t.get(locale)).collect::<Vec<_>>().join(sep)))
        .collect();
    let params = &raw.finding.params;
    let lookup = |name: &str| -> Option<messages::Text<'_>> {
        if let Some((_, text)) = joined.iter().rev().find(|(n, _)| *n == name) {
            return Some(messages::Text::Str(text));
        }
        if name == "label" {
            if let Some(l) = label {
                return Some(messages::Text::Str(l));
            }
        }
        params.get(name).map(messages::Text::Json)
    };
    let template = match raw.message {
        Some(custom) => Some(custom.get(locale)),
        None => messages::template(&raw.finding.code, locale),
    };
    let message = match template {
        Some(t) => messages::fill_with(t, &lookup),
        // An unknown code renders as the code and every parameter the message could have used.
        None => {
            let mut all = params.clone();
            if let Some(l) = label {
                all.insert("label".into(), Value::String(l.to_owned()));
            }
            for (name, text) in joined.iter() {
                all.insert((*name).into(), Value::String(text.clone()));
            }
            messages::render(&raw.finding.code, &all, locale)
        }
    };
    let label = label.map(str::to_owned);
    let basis = raw.basis.and_then(|id| form.basis_text(id, locale).map(|text| Basis { id: id.to_owned(), text }));
    ReportFinding {
        path: raw.path.render(form),
        code: raw.finding.code.into_owned(),
        severity: raw.finding.severity,
        label,
        message,
        basis,
        rule: raw.rule.map(str::to_owned),
        params: raw.finding.params,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Form;

    /// A document with its form and the time it is validated at.
    type Case = (Form, Value, crate::Timestamp);

    /// Every document the rule vectors and the built-in examples hold.
    fn documents() -> Result<Vec<Case>, Box<dyn std::error::Error>> {
        let mut out = Vec::new();
        let example_time: crate::Timestamp = "2005-06-01T10:00:00+08:00".parse()?;
        for b in crate::forms::BUILTINS {
            for text in [b.valid_example(), b.invalid_example()] {
                out.push((Form::builtin(b.id)?, serde_json::from_str(text)?, example_time));
            }
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rules");
        for entry in std::fs::read_dir(dir)? {
            let file: Value = serde_json::from_str(&std::fs::read_to_string(entry?.path())?)?;
            let definition = file["definition"].to_string();
            for case in file["cases"].as_array().into_iter().flatten() {
                let now = case["now"].as_str().unwrap_or("2005-06-01T10:00:00+08:00").parse()?;
                out.push((Form::compile(&definition)?, case["data"].clone(), now));
            }
        }
        Ok(out)
    }

    /// The JavaScript façade hands `render_view` to JavaScript, the CLI and Rust callers get
    /// `render`: the two must serialise to the same JSON, byte for byte, in both locales.
    #[test]
    fn a_report_view_serialises_exactly_as_the_report() -> Result<(), Box<dyn std::error::Error>> {
        let documents = documents()?;
        assert!(documents.len() > 80, "only {} documents", documents.len());
        for (form, data, now) in &documents {
            for locale in [Locale::ZhCn, Locale::En] {
                let report = serde_json::to_string(&form.validate(data, *now, locale))?;
                let view = serde_json::to_string(&form.check(data, *now).render_view(locale))?;
                assert_eq!(view, report, "{} {data}", form.id);
            }
        }
        Ok(())
    }
}
