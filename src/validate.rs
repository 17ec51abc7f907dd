//! Validation: walks a compiled [`Form`] over a data document in three passes and builds the
//! [`Report`].
//!
//! 1. **Values**: every field present in the data is normalised and checked by its family in
//!    `rules/`; unknown keys are reported and dropped.
//! 2. **Presence**: required, required-if and forbidden-if, evaluated on the normalised data so
//!    conditions see normalised values, from the innermost scope (a list item) outwards.
//! 3. **Rules**: cross-field and deadline rules, once or once per list item (`each`).
//!
//! The time is always passed in. Nothing here panics on any `serde_json::Value`.

use std::collections::{HashMap, HashSet};

use crate::time::Timestamp;
use serde_json::{Map, Value};

use crate::finding::{Finding, Severity};
use crate::ident::Today;
use crate::limits;
use crate::messages::{self, Locale, Localized};
use crate::report::{Basis, Counts, FormRef, Report, ReportFinding};
use crate::rules::dates::{self, DueAt, When};
use crate::rules::{attachments, cross_field, identifiers, presence, text, values, Checked};
use crate::schema::{is_empty, Condition, Due, Field, Form, Kind, ListSets, Ref, Rule, RuleKind, ScopeFrame};
use crate::time;

impl Raw<'_> {
    /// A finding about no particular field: no basis, label or custom message.
    fn plain(path: &str, finding: Finding) -> Self {
        Raw {
            path: path.to_owned(),
            finding,
            basis: None,
            label: None,
            message: None,
            localized: Vec::new(),
            rule: None,
        }
    }
}

/// A finding before rendering: where it is, what it cites, and the texts its message needs.
struct Raw<'f> {
    path: String,
    finding: Finding,
    basis: Option<&'f str>,
    label: Option<&'f Localized>,
    message: Option<&'f Localized>,
    localized: Vec<(&'static str, Vec<&'f Localized>)>,
    rule: Option<&'f str>,
}

struct Run<'f, 'k> {
    form: &'f Form,
    now: Timestamp,
    today: Today,
    /// Every finding, counted by severity before any cap: `valid` and the counts come from here.
    counts: Counts,
    /// Which findings are rendered (by path): all of them, or one field's for `validate_field`.
    keep: &'k dyn Fn(&str) -> bool,
    /// Kept errors, at most [`limits::MAX_FINDINGS`]: errors are never dropped for warnings.
    errors: Vec<(usize, Raw<'f>)>,
    /// Kept warnings and infos, at most [`limits::MAX_FINDINGS`]; errors go first when rendered.
    others: Vec<(usize, Raw<'f>)>,
    /// Findings to be rendered that the cap left out, for the `too_many_findings` summary.
    dropped: usize,
    /// Paths that already have a value finding, so a bad value is not also called missing.
    flagged: HashSet<String>,
    /// The scopes (the root, groups, list items) the presence pass visited, by path: form order
    /// of each field, for sorting findings the way the form reads.
    order: HashMap<String, Scope<'f>>,
    /// Fields numbered so far by the presence pass: the next form-order number.
    visited: usize,
    /// Each level's fields by name (keyed by the level's address in the form).
    indexes: HashMap<usize, std::rc::Rc<FieldIndex<'f>>>,
    /// Normalised values that rules replace (a certificate number checked by its type).
    replacements: Vec<(String, Value)>,
    /// The lists conditions look into, hashed once (the normalised data is fixed meanwhile).
    lists: ListSets,
}

/// One scope the presence pass visited: its fields are numbered in form order from `start`, each
/// field after one with nested scopes shifted by their fields (`shifts`: field index → total shift
/// after it, ascending). The numbers are those of a depth-first walk of every visited field.
struct Scope<'f> {
    fields: &'f [Field],
    start: usize,
    shifts: Vec<(usize, usize)>,
}

/// One level's fields: position by name, and the positions of those with `required` or
/// `required_if` (checked even when absent).
struct FieldIndex<'f> {
    by_name: HashMap<&'f str, usize>,
    conditioned: Vec<usize>,
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// `null` and blank strings are "not given": such a field is simply absent. A string of only
/// spaces and invisible characters (U+200B, U+FEFF, bidi controls …) is blank: it shows nothing.
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.chars().all(|c| c.is_whitespace() || text::is_invisible(c)),
        _ => false,
    }
}

impl Form {
    /// Validates `data` at time `now`, with messages in `locale`. Never panics; a document that is
    /// not a JSON object gives a report with one `data_not_object` error.
    pub fn validate(&self, data: &Value, now: Timestamp, locale: Locale) -> Report {
        self.validate_keeping(data, now, locale, &|_| true)
    }

    /// [`Form::validate`], rendering (and returning) only the findings whose path `keep` accepts;
    /// the counts and `valid` still cover every finding. `validate_field` keeps one field's: most
    /// of the work of a report is rendering messages, and a field as typed needs only its own.
    pub(crate) fn validate_keeping(
        &self,
        data: &Value,
        now: Timestamp,
        locale: Locale,
        keep: &dyn Fn(&str) -> bool,
    ) -> Report {
        let mut run = Run {
            form: self,
            now,
            today: Today::of(now),
            counts: Counts::default(),
            keep,
            errors: Vec::new(),
            others: Vec::new(),
            dropped: 0,
            flagged: HashSet::new(),
            order: HashMap::new(),
            visited: 0,
            indexes: HashMap::new(),
            replacements: Vec::new(),
            lists: ListSets::default(),
        };
        let mut normalized = match data {
            Value::Object(object) => run.object(&self.fields, object, ""),
            other => {
                run.push_plain("", crate::rules::type_mismatch("object", other));
                Map::new()
            }
        };
        if data.is_object() {
            let mut scopes = vec![ScopeFrame { prefix: String::new(), object: &normalized }];
            run.presence(&self.fields, &mut scopes);
            run.rules(&normalized);
        }
        let replacements = std::mem::take(&mut run.replacements);
        for (path, value) in replacements {
            set_at_path(&mut normalized, &path, value);
        }
        let mut normalized = Value::Object(normalized);
        drop_holes(&mut normalized);
        run.report(normalized, locale)
    }
}

impl<'f> Run<'f, '_> {
    /// Counts every finding; keeps for rendering those `keep` accepts, at most
    /// [`limits::MAX_FINDINGS`] errors and as many others, so memory stays bounded and a flood of
    /// warnings can never push an error out.
    fn push(&mut self, raw: Raw<'f>) {
        let severity = raw.finding.severity;
        let seq = self.counts.errors + self.counts.warnings + self.counts.infos;
        match severity {
            Severity::Error => self.counts.errors += 1,
            Severity::Warning => self.counts.warnings += 1,
            Severity::Info => self.counts.infos += 1,
        }
        if !(self.keep)(&raw.path) {
            return;
        }
        let kept = if severity == Severity::Error { &mut self.errors } else { &mut self.others };
        if kept.len() >= limits::MAX_FINDINGS {
            self.dropped += 1;
        } else {
            kept.push((seq, raw));
        }
    }

    fn push_plain(&mut self, path: &str, finding: Finding) {
        self.push(Raw::plain(path, finding));
    }

    fn field_finding(&mut self, field: &'f Field, path: &str, finding: Finding) {
        let message = match (&field.kind, finding.code.as_ref()) {
            (Kind::Text { pattern: Some(p), .. }, "pattern_mismatch") => p.message.as_ref(),
            _ => None,
        };
        let label = (!field.full_label.zh_cn.is_empty()).then_some(&field.full_label);
        self.push(Raw {
            path: path.to_owned(),
            finding,
            basis: field.basis.as_deref(),
            label,
            message,
            localized: Vec::new(),
            rule: None,
        });
    }

    // ---- pass 1: values ----

    fn object(&mut self, fields: &'f [Field], data: &Map<String, Value>, prefix: &str) -> Map<String, Value> {
        let mut out = Map::new();
        for field in fields {
            if let Some(v) = data.get(&field.name) {
                let path = join(prefix, &field.name);
                if let Some(nv) = self.value(field, v, &path) {
                    out.insert(field.name.clone(), nv);
                }
            }
        }
        let mut unknown = 0usize;
        for key in data.keys() {
            if !fields.iter().any(|f| f.name == *key) {
                unknown += 1;
                if unknown <= limits::MAX_UNKNOWN_FIELDS_REPORTED {
                    let name: String = key.chars().take(64).collect();
                    self.push_plain(
                        &join(prefix, &name),
                        Finding::warning("unknown_field").with("name", name.as_str()),
                    );
                }
            }
        }
        if unknown > limits::MAX_UNKNOWN_FIELDS_REPORTED {
            self.push_plain(prefix, Finding::warning("too_many_unknown_fields").with("count", unknown));
        }
        out
    }

    fn value(&mut self, field: &'f Field, value: &Value, path: &str) -> Option<Value> {
        if is_blank(value) {
            return None;
        }
        let checked: Checked = match &field.kind {
            Kind::Text { long, min_length, max_length, pattern } => {
                text::check(value, *long, *min_length, *max_length, pattern.as_ref())
            }
            Kind::Choice { options, positions, multiple, min_items, max_items } => {
                values::choice(value, options, positions, *multiple, *min_items, *max_items)
            }
            Kind::Boolean => values::boolean(value),
            Kind::Number { min, max, integer } => values::number(value, *min, *max, *integer),
            Kind::Date => dates::date(value),
            Kind::DateTime => dates::datetime(value),
            Kind::Identifier(kind) => identifiers::check(*kind, value, Some(self.today)),
            Kind::Attachment { media_types, max_size } => attachments::check(value, media_types, *max_size),
            Kind::List { item, min_items, max_items, unique } => {
                return self.list(item, value, path, *min_items, *max_items, *unique, field)
            }
            Kind::Group { fields } => {
                let Value::Object(object) = value else {
                    self.flagged.insert(path.to_owned());
                    self.field_finding(field, path, crate::rules::type_mismatch("group", value));
                    return None;
                };
                let inner = self.object(fields, object, path);
                return (!inner.is_empty()).then_some(Value::Object(inner));
            }
        };
        if checked.findings.iter().any(Finding::is_error) {
            self.flagged.insert(path.to_owned());
        }
        for finding in checked.findings {
            self.field_finding(field, path, finding);
        }
        checked.value
    }

    #[allow(clippy::too_many_arguments)]
    fn list(
        &mut self,
        item: &'f Field,
        value: &Value,
        path: &str,
        min: Option<u32>,
        max: Option<u32>,
        unique: bool,
        field: &'f Field,
    ) -> Option<Value> {
        let items: &[Value] = match value {
            Value::Array(items) => items,
            other => std::slice::from_ref(other),
        };
        // Empty items are kept as holes (null) so paths keep the indices the person sees; the
        // holes are dropped from the normalised data at the end.
        let mut out = Vec::with_capacity(items.len().min(limits::MAX_LIST_ITEMS));
        let mut count = 0usize;
        for (i, it) in items.iter().enumerate() {
            if i >= limits::MAX_LIST_ITEMS {
                self.field_finding(
                    field,
                    path,
                    Finding::error("too_many_items").with("max", limits::MAX_LIST_ITEMS).with("count", items.len()),
                );
                break;
            }
            match self.value(item, it, &format!("{path}[{i}]")) {
                Some(v) => {
                    out.push(v);
                    count += 1;
                }
                None => out.push(Value::Null),
            }
        }
        if count == 0 {
            return None;
        }
        if let Some(min) = min {
            if count < min as usize {
                self.field_finding(field, path, Finding::error("too_few_items").with("min", min).with("count", count));
            }
        }
        if let Some(max) = max {
            if count > max as usize {
                self.field_finding(field, path, Finding::error("too_many_items").with("max", max).with("count", count));
            }
        }
        if unique {
            let mut seen: HashMap<String, usize> = HashMap::new();
            for (i, v) in out.iter().enumerate() {
                if v.is_null() {
                    continue;
                }
                let key = v.to_string();
                match seen.get(&key) {
                    Some(first) => {
                        let finding = Finding::error("duplicate_item")
                            .with("first", format!("{path}[{first}]"))
                            .with("first_position", first + 1);
                        self.field_finding(item, &format!("{path}[{i}]"), finding);
                    }
                    None => {
                        seen.insert(key, i);
                    }
                }
            }
        }
        Some(Value::Array(out))
    }

    // ---- pass 2: presence ----

    /// Checks required, required-if and forbidden-if in the innermost scope, then recurses into
    /// the groups and list items present. Each field visited gets the next form-order number, but
    /// only the scope's start and the shifts made by nested scopes are stored ([`Scope`]): a path
    /// is built only for a field that is present or required, so a group of many fields in many
    /// list items costs a look-up per field, not a string and a map entry.
    /// Checks required, required-if and forbidden-if in the innermost scope, then recurses into
    /// the groups and list items present. Only the fields that are present or have a presence
    /// condition are visited (in form order), so a group of many fields in many list items costs
    /// its data, not items × fields. Each field still gets the form-order number of a depth-first
    /// walk of every field (start + index + the fields of the nested scopes before it); only the
    /// scope's start and those shifts are stored ([`Scope`]).
    fn presence<'n>(&mut self, fields: &'f [Field], scopes: &mut Vec<ScopeFrame<'n>>) {
        let Some(frame) = scopes.last() else { return };
        let (object, prefix) = (frame.object, frame.prefix.clone());
        let start = self.visited;
        let mut scope = Scope { fields, start, shifts: Vec::new() };
        let mut shift = 0usize;
        let index = self.field_index(fields);
        let mut visit: Vec<usize> = index.conditioned.clone();
        visit.extend(object.keys().filter_map(|k| index.by_name.get(k.as_str()).copied()));
        visit.sort_unstable();
        visit.dedup();
        for position in visit {
            let Some(field) = fields.get(position) else { continue };
            let value = object.get(&field.name).filter(|v| !is_empty(v));
            let required =
                field.required || field.required_if.as_ref().is_some_and(|c| c.holds(scopes, &mut self.lists));
            if value.is_none() && !required {
                continue;
            }
            let path = join(&prefix, &field.name);
            if !self.flagged.contains(&path) {
                if let Some(f) = presence::missing(field, value, required) {
                    self.field_finding(field, &path, f);
                }
            }
            if value.is_some()
                && field.forbidden_if.as_ref().is_some_and(|c: &Condition| c.holds(scopes, &mut self.lists))
            {
                self.field_finding(field, &path, presence::forbidden());
            }
            // Nested scopes number their fields from just after this field's own number.
            let before = start + position + shift + 1;
            self.visited = before;
            match (&field.kind, value) {
                (Kind::Group { fields: inner }, Some(Value::Object(o))) => {
                    scopes.push(ScopeFrame { prefix: path.clone(), object: o });
                    self.presence(inner, scopes);
                    scopes.pop();
                }
                (Kind::List { item, .. }, Some(Value::Array(items))) => {
                    if let Kind::Group { fields: inner } = &item.kind {
                        for (i, it) in items.iter().enumerate() {
                            if let Value::Object(o) = it {
                                scopes.push(ScopeFrame { prefix: format!("{path}[{i}]"), object: o });
                                self.presence(inner, scopes);
                                scopes.pop();
                            }
                        }
                    }
                }
                _ => {}
            }
            if self.visited > before {
                shift += self.visited - before;
                scope.shifts.push((position, shift));
            }
        }
        self.visited = start + fields.len() + shift;
        self.order.insert(prefix, scope);
    }

    /// The positions of a level's fields by name, and those with a presence rule, built once per
    /// level per validation.
    fn field_index(&mut self, fields: &'f [Field]) -> std::rc::Rc<FieldIndex<'f>> {
        let key = fields.as_ptr() as usize;
        self.indexes
            .entry(key)
            .or_insert_with(|| {
                std::rc::Rc::new(FieldIndex {
                    by_name: fields.iter().enumerate().map(|(i, f)| (f.name.as_str(), i)).collect(),
                    conditioned: fields
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| f.required || f.required_if.is_some())
                        .map(|(i, _)| i)
                        .collect(),
                })
            })
            .clone()
    }

    // ---- pass 3: rules ----

    fn rules(&mut self, root: &Map<String, Value>) {
        let form = self.form;
        for rule in &form.rules {
            let top = [ScopeFrame { prefix: String::new(), object: root }];
            match &rule.each {
                None => self.rule(rule, &top),
                Some(list) => {
                    let list_path = list.path_in(&top);
                    if let Some(Value::Array(items)) = list.get(&top) {
                        for (i, it) in items.iter().enumerate() {
                            if let Value::Object(o) = it {
                                let scopes =
                                    [top[0].clone(), ScopeFrame { prefix: format!("{list_path}[{i}]"), object: o }];
                                self.rule(rule, &scopes);
                            }
                        }
                    }
                }
            }
        }
    }

    fn rule_finding(
        &mut self,
        rule: &'f Rule,
        at: Option<&'f Ref>,
        scopes: &[ScopeFrame<'_>],
        finding: Finding,
        basis: Option<&'f str>,
        localized: Vec<(&'static str, Vec<&'f Localized>)>,
    ) {
        let path = at.map(|r| r.path_in(scopes)).unwrap_or_default();
        let label = at.map(|r| &r.label).filter(|l| !l.zh_cn.is_empty());
        self.push(Raw {
            path,
            finding,
            basis,
            label,
            message: rule.message.as_ref(),
            localized,
            rule: rule.id.as_deref(),
        });
    }

    fn rule(&mut self, rule: &'f Rule, scopes: &[ScopeFrame<'_>]) {
        if rule.when.as_ref().is_some_and(|w| !w.holds(scopes, &mut self.lists)) {
            return;
        }
        let get = |r: &Ref| r.get(scopes).filter(|v| !is_empty(v));
        let basis = rule.basis.as_deref();
        match &rule.kind {
            RuleKind::SameAs { field, other } | RuleKind::DiffersFrom { field, other } => {
                let (Some(a), Some(b)) = (get(field), get(other)) else { return };
                let finding = match rule.kind {
                    RuleKind::SameAs { .. } => cross_field::same_as(a, b, rule.severity),
                    _ => cross_field::differs_from(a, b, rule.severity),
                };
                if let Some(f) = finding {
                    let f = f.with("other", other.path_in(scopes));
                    self.rule_finding(rule, Some(field), scopes, f, basis, vec![("other_label", vec![&other.label])]);
                }
            }
            RuleKind::NotAfter { field, other } => {
                let (Some(a), Some(b)) = (get(field).and_then(When::read), get(other).and_then(When::read)) else {
                    return;
                };
                if dates::is_after(a, b) {
                    let f = Finding::new("not_after", rule.severity).with("other", other.path_in(scopes));
                    self.rule_finding(rule, Some(field), scopes, f, basis, vec![("other_label", vec![&other.label])]);
                }
            }
            RuleKind::NotInFuture { field } => {
                let Some(v) = get(field) else { return };
                if When::read(v).is_some_and(|w| dates::in_future(w, self.now)) {
                    let f = Finding::new("not_in_future", rule.severity)
                        .with("value", v.clone())
                        .with("now", time::format_instant(self.now));
                    self.rule_finding(rule, Some(field), scopes, f, basis, Vec::new());
                }
            }
            RuleKind::Certificate { type_field, number_field, kinds } => {
                let (Some(t), Some(n)) = (get(type_field), get(number_field)) else { return };
                let Some(checked) = cross_field::certificate(kinds, t, n, Some(self.today)) else { return };
                let path = number_field.path_in(scopes);
                if checked.is_valid() {
                    if let Some(norm) = &checked.normalized {
                        self.replacements.push((path.clone(), Value::String(norm.clone())));
                    }
                }
                for f in checked.findings {
                    // The rule's severity applies to the identifier's errors; its warnings stay warnings.
                    let severity = if f.severity == Severity::Error { rule.severity } else { f.severity };
                    let f = Finding { severity, ..f };
                    self.rule_finding(rule, Some(number_field), scopes, f, basis, Vec::new());
                }
            }
            RuleKind::SubjectCertificate { nature_field, type_field, allowed, labels } => {
                let (Some(n), Some(t)) = (get(nature_field), get(type_field)) else { return };
                if let Some(f) = cross_field::subject_certificate(allowed, n, t, rule.severity) {
                    let label_of = |v: &str| labels.get(v);
                    let nature_label: Vec<&Localized> = n.as_str().and_then(label_of).into_iter().collect();
                    let type_label: Vec<&Localized> = t.as_str().and_then(label_of).into_iter().collect();
                    let allowed_labels: Vec<&Localized> = n
                        .as_str()
                        .and_then(|n| allowed.get(n))
                        .map(|list| list.iter().filter_map(|a| label_of(a)).collect())
                        .unwrap_or_default();
                    let f = f.with("allowed", allowed.get(n.as_str().unwrap_or_default()).cloned().unwrap_or_default());
                    let localized = vec![
                        ("nature_label", nature_label),
                        ("type_label", type_label),
                        ("allowed_labels", allowed_labels),
                    ];
                    self.rule_finding(rule, Some(type_field), scopes, f, basis, localized);
                }
            }
            RuleKind::Deadline { due, at, late_basis } => {
                let t = match at {
                    Some(r) => match get(r).and_then(When::read).and_then(|w| match w {
                        When::Day(d) => time::start_of_day(d),
                        When::Instant(t) => Some(t),
                    }) {
                        Some(t) => t,
                        None => return,
                    },
                    None => self.now,
                };
                let (due_at, anchor) = match due {
                    Due::After { field, days, hours } => {
                        let Some(start) = get(field).and_then(When::read) else { return };
                        let due_at = match (days, hours) {
                            (Some(d), _) => DueAt::after_days(start, *d),
                            (None, Some(h)) => DueAt::after_hours(start, *h),
                            (None, None) => None,
                        };
                        let Some(due_at) = due_at else { return };
                        (due_at, Some(field))
                    }
                    Due::Fixed { instant, inclusive, date_only, .. } => {
                        let due_at = if *date_only {
                            DueAt::EndOfDay(time::beijing_date(*instant))
                        } else {
                            DueAt::Instant { at: *instant, inclusive: *inclusive }
                        };
                        (due_at, at.as_ref())
                    }
                };
                let finding = dates::deadline(due_at, t, rule.severity);
                let basis = if finding.severity == Severity::Info { basis } else { late_basis.as_deref().or(basis) };
                let finding = match &rule.id {
                    Some(id) => finding.with("deadline", id.as_str()),
                    None => finding,
                };
                self.rule_finding(rule, anchor, scopes, finding, basis, Vec::new());
            }
        }
    }

    // ---- rendering ----

    /// The form order of a path: that of the field it names, or of the nearest enclosing one
    /// (`websites[0].domains[1]` sorts with `websites[0].domains`); paths outside the form last.
    fn order_of(&self, path: &str) -> usize {
        let mut p = path;
        loop {
            if let Some(o) = self.field_order(p) {
                return o;
            }
            match p.rfind(['.', '[']).and_then(|i| p.get(..i)) {
                Some(shorter) => p = shorter,
                None => return usize::MAX,
            }
        }
    }

    /// The form order of the field at `path` (`prefix.name`) in a scope the presence pass visited.
    fn field_order(&self, path: &str) -> Option<usize> {
        let (prefix, name) = path.rsplit_once('.').unwrap_or(("", path));
        if name.contains('[') {
            return None;
        }
        let scope = self.order.get(prefix)?;
        let index = scope.fields.iter().position(|f| f.name == name)?;
        let before = scope.shifts.partition_point(|(i, _)| *i < index);
        let shift = before.checked_sub(1).and_then(|b| scope.shifts.get(b)).map_or(0, |(_, s)| *s);
        Some(scope.start + index + shift)
    }

    /// Renders what was kept: every kept error, then warnings and infos up to the cap (in form
    /// order within each), then one `too_many_findings` with the number left out. `valid` and the
    /// counts cover every finding, rendered or not; the summary itself is not counted.
    fn report(mut self, normalized: Value, locale: Locale) -> Report {
        let errors = std::mem::take(&mut self.errors);
        let others = std::mem::take(&mut self.others);
        let mut others = self.keyed(others);
        let room = limits::MAX_FINDINGS.saturating_sub(errors.len());
        if others.len() > room {
            self.dropped += others.len() - room;
            others.truncate(room);
        }
        let mut keyed = self.keyed(errors);
        keyed.extend(others);
        keyed.sort_by_key(|(o, i, _)| (*o, *i));
        let mut findings = Vec::with_capacity(keyed.len() + 1);
        for (_, _, raw) in keyed {
            findings.push(self.render(raw, locale));
        }
        if self.dropped > 0 {
            let finding = Finding::warning("too_many_findings").with("count", self.dropped);
            findings.push(self.render(Raw::plain("", finding), locale));
        }
        let counts = self.counts;
        Report {
            form: FormRef { id: self.form.id.clone(), version: self.form.version.clone() },
            valid: counts.errors == 0,
            now: time::format_instant(self.now),
            locale,
            counts,
            findings,
            normalized,
        }
    }

    /// Findings with their form order and arrival order, sorted by both.
    fn keyed(&self, raws: Vec<(usize, Raw<'f>)>) -> Vec<(usize, usize, Raw<'f>)> {
        let mut keyed: Vec<(usize, usize, Raw<'f>)> =
            raws.into_iter().map(|(i, r)| (self.order_of(&r.path), i, r)).collect();
        keyed.sort_by_key(|(o, i, _)| (*o, *i));
        keyed
    }

    fn render(&self, raw: Raw<'f>, locale: Locale) -> ReportFinding {
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
        let basis =
            raw.basis.and_then(|id| self.form.basis_text(id, locale).map(|text| Basis { id: id.to_owned(), text }));
        ReportFinding {
            path: raw.path,
            code: raw.finding.code.into_owned(),
            severity: raw.finding.severity,
            label,
            message,
            basis,
            rule: raw.rule.map(str::to_owned),
            params: raw.finding.params,
        }
    }
}

/// Sets the value at a data path (`a.b[2].c`) in normalised data, if the path exists.
fn set_at_path(root: &mut Map<String, Value>, path: &str, value: Value) {
    let mut segments = Vec::new();
    for part in path.split('.') {
        let (name, rest) = part.split_once('[').unwrap_or((part, ""));
        segments.push((name, None));
        for idx in rest.split('[').filter(|s| !s.is_empty()) {
            if let Ok(i) = idx.trim_end_matches(']').parse::<usize>() {
                segments.push(("", Some(i)));
            }
        }
    }
    let mut current: Option<&mut Value> = None;
    for (name, index) in segments {
        let next = match (current, index) {
            (None, None) => root.get_mut(name),
            (Some(Value::Object(o)), None) => o.get_mut(name),
            (Some(Value::Array(a)), Some(i)) => a.get_mut(i),
            _ => None,
        };
        let Some(next) = next else { return };
        current = Some(next);
    }
    if let Some(slot) = current {
        *slot = value;
    }
}

/// Removes the holes left for empty list items.
fn drop_holes(value: &mut Value) {
    match value {
        Value::Array(items) => {
            items.retain(|v| !v.is_null());
            items.iter_mut().for_each(drop_holes);
        }
        Value::Object(o) => o.values_mut().for_each(drop_holes),
        _ => {}
    }
}
