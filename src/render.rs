//! Rendering: an [`Outcome`] of validation becomes a [`Report`] in one locale. This is the only
//! place messages are made: each finding's template from the catalogue (or the definition's own
//! message) filled with its parameters, the field's label and the texts of the options it names,
//! its legal basis cited, its typed path written out.

use serde_json::Value;

use crate::finding::Finding;
use crate::messages::{self, Locale};
use crate::path::Path;
use crate::report::{Basis, FormRef, Report, ReportFinding};
use crate::time;
use crate::validate::{Outcome, Raw};

/// The report of `outcome` in `locale`: the kept findings in order, then one `too_many_findings`
/// with the number left out. `valid` and the counts cover every finding; the summary is not
/// counted.
pub(crate) fn report(outcome: Outcome<'_>, locale: Locale) -> Report {
    let Outcome { form, now, counts, findings: raws, dropped, normalized } = outcome;
    let mut findings = Vec::with_capacity(raws.len() + usize::from(dropped > 0));
    for raw in raws {
        findings.push(finding(form, raw, locale));
    }
    if dropped > 0 {
        let summary = Finding::warning("too_many_findings").with("count", dropped);
        findings.push(finding(form, Raw::plain(Path::root(), summary), locale));
    }
    Report {
        form: FormRef { id: form.id.clone(), version: form.version.clone() },
        valid: counts.errors == 0,
        now: time::format_instant(now),
        locale,
        counts,
        findings,
        normalized,
    }
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
