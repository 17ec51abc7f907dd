//! Arbitrary data against each built-in form (the first byte picks the form and locale): reading
//! and validating never panic; `valid` is exactly "no error finding exists", whatever the number
//! of findings (the cap never hides an error); the counts match the findings (all of them, or the
//! rendered ones plus the `too_many_findings` summary's count); and the normalised data of a valid
//! report validates again; `Form::check`'s verdict and normalised data (an overlay on the input
//! until made) are the report's.
#![no_main]

use formseal::{limits, Form, Locale, Report, Severity, Timestamp};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn forms() -> &'static Vec<Form> {
    static FORMS: OnceLock<Vec<Form>> = OnceLock::new();
    FORMS.get_or_init(|| formseal::forms::BUILTINS.iter().filter_map(|b| Form::builtin(b.id).ok()).collect())
}

fn check_counts(report: &Report) {
    let count =
        |s: Severity| report.findings.iter().filter(|f| f.severity == s && f.code != "too_many_findings").count();
    let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    let any_error = report.findings.iter().any(|f| f.severity == Severity::Error);
    assert_eq!(report.valid, !any_error, "valid is not \"no error finding\": {:?}", report.counts);
    assert_eq!(report.valid, report.counts.errors == 0, "valid disagrees with the counts: {:?}", report.counts);
    let summaries: Vec<_> = report.findings.iter().filter(|f| f.code == "too_many_findings").collect();
    assert!(summaries.len() <= 1, "more than one summary");
    assert!(report.findings.len() <= limits::MAX_FINDINGS + 1, "{} findings rendered", report.findings.len());
    match summaries.first() {
        None => {
            assert_eq!((errors, warnings, infos), (report.counts.errors, report.counts.warnings, report.counts.infos));
        }
        Some(summary) => {
            // Errors are rendered first: all of them, up to the cap.
            assert_eq!(errors, report.counts.errors.min(limits::MAX_FINDINGS), "an error was capped before a warning");
            assert!(warnings <= report.counts.warnings && infos <= report.counts.infos);
            let hidden = summary.params.get("count").and_then(serde_json::Value::as_u64).unwrap_or(0);
            let total = report.counts.errors + report.counts.warnings + report.counts.infos;
            assert_eq!(errors + warnings + infos + hidden as usize, total, "the summary miscounts");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let forms = forms();
    let Some(form) = forms.get(usize::from(selector) % forms.len().max(1)) else { return };
    let locale = if selector & 0x80 == 0 { Locale::ZhCn } else { Locale::En };
    let Ok(value) = formseal::parse_data(bytes) else { return };
    // 2005-06-01T10:00:00+08:00, the examples' own time.
    let now = Timestamp::from_second(1_117_591_200).unwrap_or(Timestamp::UNIX_EPOCH);
    let report = form.validate(&value, now, locale);
    check_counts(&report);
    // The outcome holds the normalised data as an overlay on the input; made, it is the report's.
    let outcome = form.check(&value, now);
    assert_eq!(outcome.valid(), report.valid, "check and validate disagree");
    assert_eq!(outcome.normalized(), report.normalized, "the overlay is not the report's normalised data");
    if report.valid {
        let again = form.validate(&report.normalized, now, locale);
        assert!(again.valid, "normalised data of a valid report is invalid: {:?}", again.findings);
    }
});
