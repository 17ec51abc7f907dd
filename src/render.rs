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
    let label = raw.label.map(|l| l.get(locale).to_owned());
    let mut params = raw.finding.params.clone();
    if let Some(l) = &label {
        params.insert("label".into(), Value::String(l.clone()));
    }
    let sep = match locale {
        Locale::ZhCn => "、",
        Locale::En => ", ",
    };
    for (name, texts) in &raw.localized {
        let joined: Vec<&str> = texts.iter().map(|t| t.get(locale)).collect();
        params.insert((*name).into(), Value::String(joined.join(sep)));
    }
    let message = match raw.message {
        Some(custom) => messages::fill(custom.get(locale), &params),
        None => messages::render(&raw.finding.code, &params, locale),
    };
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
