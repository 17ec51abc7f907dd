//! Validation: walks a compiled [`Form`] over a data document and yields an [`Outcome`]: raw
//! findings (code, severity, parameters, typed path, what they cite) and the normalised data.
//! Messages are rendered afterwards, in one locale, by [`Outcome::render`] (`render.rs`).
//!
//! 1. **Values**: every field present in the data is normalised and checked by its family in
//!    `rules/`; unknown keys are found by lookup in the scope's index, reported and dropped.
//! 2. **Presence**: required, required-if and forbidden-if, evaluated on the normalised data so
//!    conditions see normalised values, from the innermost scope (a list item) outwards.
//! 3. **Rules**: cross-field and deadline rules, once or once per list item (`each`).
//!
//! Findings sort the way the form reads: by the position of each field and the index of each
//! list item on the way to them ([`Path::order_key`]), then in the order they were found. A
//! finding inside a group or list item that the normalised data does not hold sorts with the
//! field that holds it; unknown keys and form-level findings sort last.
//!
//! Nothing here builds a path string or a map keyed by strings: paths are typed and rendered
//! only for the report. The time is always passed in. Nothing here panics on any value.

use std::collections::HashSet;

use crate::time::Timestamp;
use serde_json::{Map, Value};

use crate::finding::{Finding, Severity};
use crate::ident::Today;
use crate::limits;
use crate::messages::{Locale, Localized};
use crate::normalized::{member, member_mut, Members, Normalized};
use crate::path::Path;
use crate::report::{Counts, Report};
use crate::rules::{boolean, dates, identifier, presence, structure, text, Checked, Normal};
use crate::schema::{Condition, Field, FieldId, Form, Kind, ListSets, Ref, Rule, RuleKind, Scope, ScopeFrame};

/// A finding before rendering: where it is, what it cites, and the texts its message needs.
#[derive(Debug)]
pub(crate) struct Raw<'f> {
    pub path: Path,
    pub finding: Finding,
    pub basis: Option<&'f str>,
    pub label: Option<&'f Localized>,
    pub message: Option<&'f Localized>,
    pub localized: Vec<(&'static str, Vec<&'f Localized>)>,
    pub rule: Option<&'f str>,
}

impl Raw<'_> {
    /// A finding about no particular field: no basis, label or custom message.
    pub fn plain(path: Path, finding: Finding) -> Self {
        Raw { path, finding, basis: None, label: None, message: None, localized: Vec::new(), rule: None }
    }
}

/// What validating one document gives before any message is rendered: whether it is valid, the
/// counts, the findings kept (sorted the way the form reads) and the normalised data.
#[derive(Debug)]
pub struct Outcome<'f> {
    pub(crate) form: &'f Form,
    pub(crate) now: Timestamp,
    pub(crate) counts: Counts,
    /// Kept findings, sorted: every kept error and as many others as the cap leaves room for.
    pub(crate) findings: Vec<Raw<'f>>,
    /// Findings the cap left out, for the `too_many_findings` summary.
    pub(crate) dropped: usize,
    /// The normalised data, borrowing from the document what the checks left as it was.
    pub(crate) normalized: Normalized<'f>,
}

impl<'f> Outcome<'f> {
    /// True when no finding is an error.
    pub fn valid(&self) -> bool {
        self.counts.errors == 0
    }

    /// Findings per severity, all of them (rendered or not).
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The normalised data: what would be sealed (made on each call: it is an overlay on the
    /// document until asked for).
    pub fn normalized(&self) -> Value {
        self.normalized.to_value(self.form)
    }
}

/// Where `validate_field` looks (`field.rs`): the field it checks, the value typed there, and
/// the fields its findings depend on. A run with a focus checks the focused field (and what is
/// inside it) fully, the fields its conditions and rules read fully, the other fields of the
/// groups and list item around it only as far as whether they are empty (which decides whether
/// the group is there at all), and nothing else.
pub(crate) struct Focus<'v> {
    /// The focused field with its list indices.
    pub target: Path,
    /// From the root to the focused field: each field, and for a list item its index.
    pub chain: Vec<(FieldId, Option<u32>)>,
    /// The value typed at the focused field (in place of the document's).
    pub value: &'v Value,
    /// What the findings inside the focused field depend on (the same for every list index).
    pub plan: &'v FocusPlan,
}

/// What the findings inside one field depend on, worked out once per field of a form from its
/// compiled references (`field.rs`) and kept with the form.
#[derive(Debug)]
pub(crate) struct FocusPlan {
    /// Fields read by the conditions and rules that can place findings inside the field (and
    /// everything inside those fields): checked fully wherever they are.
    pub needed: Vec<bool>,
    /// Groups and lists holding a needed field: walked to reach it.
    pub holds_needed: Vec<bool>,
    /// The rules whose findings can land inside the field.
    pub rules: Vec<bool>,
}

/// How a field is walked: checked (at a place) or only looked at for whether it is there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Child {
    Check(Place),
    Presence,
}

/// How much of a scope the walk checks (see [`Focus`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// Everything: a whole validation, the focused field, a field the focus depends on.
    Full,
    /// A scope on the way to the focused field: `chain[depth]` is the next field on the way.
    Chain(usize),
    /// Elsewhere: only the needed fields, and the groups and lists holding them.
    Off,
}

pub(crate) struct Run<'f> {
    form: &'f Form,
    now: Timestamp,
    today: Today,
    /// Every finding, counted by severity before any cap: `valid` and the counts come from here.
    counts: Counts,
    /// Which findings are kept (by path): all of them, or those inside one field for
    /// `validate_field`.
    keep: Option<&'f Path>,
    /// Kept errors, at most [`limits::MAX_FINDINGS`]: errors are never dropped for warnings.
    errors: Vec<(usize, Raw<'f>)>,
    /// Kept warnings and infos, at most [`limits::MAX_FINDINGS`]; errors go first when rendered.
    others: Vec<(usize, Raw<'f>)>,
    dropped: usize,
    /// Fields (with their list indices) whose value has an error, so a bad value is not also
    /// called missing.
    flagged: HashSet<Path>,
    /// The list indices of where the walk is.
    indices: Vec<u32>,
    /// Normalised values that rules replace (a certificate number checked by its type).
    replacements: Vec<(Path, Value)>,
    /// The lists conditions look into, hashed once (the normalised data is fixed meanwhile).
    lists: ListSets,
    focus: Option<&'f Focus<'f>>,
}

/// The document itself, or an empty container where a focused field's group or list is missing.
fn empty_object() -> &'static Value {
    static EMPTY: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Value::Object(Map::new()))
}

fn empty_array() -> &'static Value {
    static EMPTY: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Value::Array(Vec::new()))
}

/// `null` and blank strings are "not given": such a field is simply absent. A string of only
/// spaces and invisible characters (U+200B, U+FEFF, bidi controls …) is blank: it shows nothing.
pub(crate) fn is_blank(value: &Value) -> bool {
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
        self.check(data, now).render(locale)
    }

    /// Validates `data` at time `now` without rendering any message: the outcome says whether it
    /// is valid, counts the findings and holds the normalised data; [`Outcome::render`] gives the
    /// report in a locale.
    pub fn check<'a>(&'a self, data: &'a Value, now: Timestamp) -> Outcome<'a> {
        Run::new(self, now, None).run(data)
    }

    /// The findings inside the focused field, checking only what they depend on (`field.rs`).
    pub(crate) fn check_focused<'f>(&'f self, data: &'f Value, now: Timestamp, focus: &'f Focus<'f>) -> Outcome<'f> {
        let mut run = Run::new(self, now, Some(&focus.target));
        run.focus = Some(focus);
        run.run(data)
    }
}

impl<'f> Run<'f> {
    pub(crate) fn new(form: &'f Form, now: Timestamp, keep: Option<&'f Path>) -> Self {
        Run {
            form,
            now,
            today: Today::of(now),
            counts: Counts::default(),
            keep,
            errors: Vec::new(),
            others: Vec::new(),
            dropped: 0,
            flagged: HashSet::new(),
            indices: Vec::new(),
            replacements: Vec::new(),
            lists: ListSets::default(),
            focus: None,
        }
    }

    /// Where the walk starts: the whole document, or the way to the focused field.
    fn start(&self) -> Place {
        if self.focus.is_some() {
            Place::Chain(0)
        } else {
            Place::Full
        }
    }

    fn run(mut self, data: &'f Value) -> Outcome<'f> {
        let form = self.form;
        let mut normalized = match data {
            Value::Object(object) => self.object(&form.root, object, None, self.start()),
            other => {
                self.push(Raw::plain(Path::root(), crate::rules::type_mismatch("object", other)));
                Vec::new()
            }
        };
        if data.is_object() {
            let mut scopes = vec![ScopeFrame { object: &normalized, depth: 0 }];
            self.presence(&form.root, &mut scopes, self.start());
            self.rules(&normalized);
        }
        let findings = self.sorted(&normalized);
        for (path, value) in std::mem::take(&mut self.replacements) {
            if let Some(slot) = value_at(&mut normalized, &path, form) {
                *slot = Normalized::New(value);
            }
        }
        let normalized = Normalized::Group(normalized);
        Outcome { form, now: self.now, counts: self.counts, findings, dropped: self.dropped, normalized }
    }

    /// Counts every finding; keeps those `keep` accepts, at most [`limits::MAX_FINDINGS`] errors
    /// and as many others, so memory stays bounded and a flood of warnings can never push an error
    /// out.
    fn push(&mut self, raw: Raw<'f>) {
        let severity = raw.finding.severity;
        let seq = self.counts.errors + self.counts.warnings + self.counts.infos;
        match severity {
            Severity::Error => self.counts.errors += 1,
            Severity::Warning => self.counts.warnings += 1,
            Severity::Info => self.counts.infos += 1,
        }
        if self.keep.is_some_and(|keep| !raw.path.is_within(keep, self.form)) {
            return;
        }
        let kept = if severity == Severity::Error { &mut self.errors } else { &mut self.others };
        if kept.len() >= limits::MAX_FINDINGS {
            self.dropped += 1;
        } else {
            kept.push((seq, raw));
        }
    }

    fn field_finding(&mut self, field: &'f Field, path: Path, finding: Finding) {
        let message = match (&field.kind, finding.code.as_ref()) {
            (Kind::Text(t), "pattern_mismatch") => t.pattern.as_ref().and_then(|p| p.message.as_ref()),
            _ => None,
        };
        let label = (!field.full_label.zh_cn.is_empty()).then_some(&field.full_label);
        self.push(Raw {
            path,
            finding,
            basis: field.basis.as_deref(),
            label,
            message,
            localized: Vec::new(),
            rule: None,
        });
    }

    fn here(&self, id: FieldId) -> Path {
        Path::at(id, &self.indices)
    }

    // ---- pass 1: values ----

    /// The fields of one scope present in `data`, normalised; unknown keys reported. `owner` is
    /// the group or list item the object is (`None` for the document).
    fn object(
        &mut self,
        scope: &'f Scope,
        data: &'f Map<String, Value>,
        owner: Option<FieldId>,
        place: Place,
    ) -> Members<'f> {
        let form = self.form;
        // At most one member per key of the data: one allocation, never a regrowth.
        let mut out = Vec::with_capacity(data.len().min(scope.fields.len()));
        // In a whole validation the data's keys are matched with the fields in one sorted walk.
        let gathered = if self.focus.is_none() { scope.gather(data, form) } else { None };
        for &id in &scope.fields {
            let Some(field) = form.field(id) else { continue };
            if let Some(values) = &gathered {
                let Some(v) = values.get(field.position as usize).copied().flatten() else { continue };
                if let Some(nv) = self.value(id, field, v, Place::Full) {
                    out.push((id, nv));
                }
                continue;
            }
            let (input, child) = match self.place_of(id, place) {
                Some(found) => found,
                None => continue,
            };
            let input = match (input, child) {
                (Some(v), _) => Some(v),
                // On the way to the focused field a missing group or list counts as empty.
                (None, Child::Check(Place::Chain(_))) => Some(data.get(&field.name).unwrap_or(&Value::Null)),
                (None, _) => data.get(&field.name),
            };
            if let Some(v) = input {
                let nv = match child {
                    Child::Check(place) => self.value(id, field, v, place),
                    Child::Presence => self.presence_only(id, field, v),
                };
                if let Some(nv) = nv {
                    out.push((id, nv));
                }
            }
        }
        if place == Place::Full && data.len() > out.len() {
            let mut unknown = 0usize;
            for key in data.keys() {
                if scope.find(key).is_none() {
                    unknown += 1;
                    if unknown <= limits::MAX_UNKNOWN_FIELDS_REPORTED {
                        let name: String = key.chars().take(64).collect();
                        let path = Path::unknown(owner, &self.indices, &name);
                        self.push(Raw::plain(path, Finding::warning("unknown_field").with("name", name)));
                    }
                }
            }
            if unknown > limits::MAX_UNKNOWN_FIELDS_REPORTED {
                let path = owner.map_or_else(Path::root, |id| self.here(id));
                self.push(Raw::plain(path, Finding::warning("too_many_unknown_fields").with("count", unknown)));
            }
        }
        out
    }

    /// How the field `id` in a scope at `place` is walked, and the value to use instead of the
    /// document's (on the way to a focused field); `None` skips it.
    fn place_of(&self, id: FieldId, place: Place) -> Option<(Option<&'f Value>, Child)> {
        let Some(focus) = self.focus else { return Some((None, Child::Check(Place::Full))) };
        match place {
            Place::Full => Some((None, Child::Check(Place::Full))),
            Place::Chain(depth) => {
                let next = focus.chain.get(depth).map(|(f, _)| *f);
                if next == Some(id) {
                    if depth + 1 == focus.chain.len() {
                        Some((Some(focus.value), Child::Check(Place::Full)))
                    } else {
                        Some((None, Child::Check(Place::Chain(depth + 1))))
                    }
                } else if focus.plan.needed.get(id.0 as usize) == Some(&true) {
                    Some((None, Child::Check(Place::Full)))
                } else if focus.plan.holds_needed.get(id.0 as usize) == Some(&true) {
                    Some((None, Child::Check(Place::Off)))
                } else if depth > 0 {
                    // A neighbour in a group or list item on the way: only whether it is empty
                    // matters (it decides whether the group is there at all).
                    Some((None, Child::Presence))
                } else {
                    None
                }
            }
            Place::Off => {
                if focus.plan.needed.get(id.0 as usize) == Some(&true) {
                    Some((None, Child::Check(Place::Full)))
                } else if focus.plan.holds_needed.get(id.0 as usize) == Some(&true) {
                    Some((None, Child::Check(Place::Off)))
                } else {
                    None
                }
            }
        }
    }

    /// Whether a neighbour of the focused field's way is there, without checking it where that
    /// is cheap to know: an identifier is there when it is text that is not blank (its check
    /// keeps what was typed either way). Its findings would not be kept, so none are made.
    fn presence_only(&mut self, id: FieldId, field: &'f Field, value: &'f Value) -> Option<Normalized<'f>> {
        match &field.kind {
            Kind::Identifier(_) => (!is_blank(value) && crate::rules::as_text(value).is_some())
                .then_some(Normalized::New(Value::Bool(true))),
            _ => self.value(id, field, value, Place::Full),
        }
    }

    /// Normalises and checks one value with its field's family.
    fn value(&mut self, id: FieldId, field: &'f Field, value: &'f Value, place: Place) -> Option<Normalized<'f>> {
        if is_blank(value) && !matches!(place, Place::Chain(_)) {
            return None;
        }
        let checked: Checked = match &field.kind {
            Kind::Text(t) => t.check(value),
            Kind::Choice(c) => c.check(value),
            Kind::Boolean => boolean::check(value),
            Kind::Number(n) => n.check(value),
            Kind::Date => dates::date(value),
            Kind::DateTime => dates::datetime(value),
            Kind::Identifier(kind) => identifier::check(*kind, value, Some(self.today)),
            Kind::Attachment(a) => a.check(value),
            Kind::List(list) => return self.list(id, field, list, value, place),
            Kind::Group(scope) => {
                let value = match (place, value) {
                    (Place::Chain(_), v) if !v.is_object() => empty_object(),
                    _ => value,
                };
                let Value::Object(object) = value else {
                    let path = self.here(id);
                    self.flagged.insert(path.clone());
                    self.field_finding(field, path, crate::rules::type_mismatch("group", value));
                    return None;
                };
                let inner = self.object(scope, object, Some(id), place);
                return (!inner.is_empty()).then_some(Normalized::Group(inner));
            }
        };
        if !checked.findings.is_empty() {
            let path = self.here(id);
            if checked.findings.iter().any(Finding::is_error) {
                self.flagged.insert(path.clone());
            }
            let mut path = path;
            let last = checked.findings.len().saturating_sub(1);
            for (k, finding) in checked.findings.into_iter().enumerate() {
                let path = if k == last { std::mem::replace(&mut path, Path::root()) } else { path.clone() };
                self.field_finding(field, path, finding);
            }
        }
        match checked.value {
            Normal::Absent => None,
            Normal::Same => Some(Normalized::Same(value)),
            Normal::New(v) => Some(Normalized::New(v)),
        }
    }

    fn list(
        &mut self,
        id: FieldId,
        field: &'f Field,
        list: &'f structure::List,
        value: &'f Value,
        place: Place,
    ) -> Option<Normalized<'f>> {
        let form = self.form;
        let item = form.field(list.item)?;
        let value = match (place, value) {
            (Place::Chain(_), v) if !v.is_array() => empty_array(),
            _ => value,
        };
        let items: &'f [Value] = match value {
            Value::Array(items) => items,
            other => std::slice::from_ref(other),
        };
        // On the way to a focused list item: that item, and the others only where they matter
        // (a unique list compares them; a condition may read the list).
        let (focused, others) = match (place, self.focus) {
            (Place::Chain(depth), Some(focus)) => {
                let index = focus.chain.get(depth).and_then(|(_, i)| *i).map_or(usize::MAX, |i| i as usize);
                let all = list.unique || focus.plan.needed.get(id.0 as usize) == Some(&true);
                (Some((index, depth)), all)
            }
            _ => (None, true),
        };
        let len = match focused {
            Some((index, _)) if index < limits::MAX_LIST_ITEMS => items.len().max(index + 1),
            _ => items.len(),
        };
        // Empty items are kept as holes (null) so paths keep the indices the person sees; the
        // holes are left out of the normalised data.
        let mut out: Vec<Option<Normalized<'f>>> = Vec::with_capacity(len.min(limits::MAX_LIST_ITEMS));
        let mut count = 0usize;
        for i in 0..len {
            if i >= limits::MAX_LIST_ITEMS {
                let finding =
                    Finding::error("too_many_items").with("max", limits::MAX_LIST_ITEMS).with("count", items.len());
                self.field_finding(field, self.here(id), finding);
                break;
            }
            let it = items.get(i).unwrap_or(&Value::Null);
            let (it, item_place) = match (focused, self.focus) {
                (Some((index, depth)), Some(focus)) if index == i => {
                    if depth + 1 == focus.chain.len() {
                        (focus.value, Place::Full)
                    } else {
                        (it, Place::Chain(depth + 1))
                    }
                }
                (Some(_), _) if !others => {
                    out.push(None);
                    continue;
                }
                (Some(_), _) => (it, Place::Full),
                (None, _) => (it, place),
            };
            self.indices.push(u32::try_from(i).unwrap_or(u32::MAX));
            let v = self.value(list.item, item, it, item_place);
            self.indices.pop();
            count += usize::from(v.is_some());
            out.push(v);
        }
        if count == 0 {
            return None;
        }
        for finding in list.count(count) {
            self.field_finding(field, self.here(id), finding);
        }
        if list.unique {
            for (i, first) in structure::duplicates(&out, form) {
                let mut at = self.indices.clone();
                at.push(u32::try_from(first).unwrap_or(u32::MAX));
                let first_path = Path::at(list.item, &at).render(form);
                at.pop();
                at.push(u32::try_from(i).unwrap_or(u32::MAX));
                let finding =
                    Finding::error("duplicate_item").with("first", first_path).with("first_position", first + 1);
                self.field_finding(item, Path::at(list.item, &at), finding);
            }
        }
        Some(Normalized::List(out))
    }

    // ---- pass 2: presence ----

    /// Checks required, required-if and forbidden-if in the innermost scope, then recurses into
    /// the groups and list items present. Only the fields that are present or have a presence
    /// condition are visited (in form order), so a group of many fields in many list items costs
    /// its data, not items × fields.
    fn presence<'n>(&mut self, scope: &'f Scope, scopes: &mut Vec<ScopeFrame<'n>>, place: Place) {
        let form = self.form;
        let Some(frame) = scopes.last() else { return };
        let object = frame.object;
        // On the way to a focused field only the next field on the way is visited, and its
        // presence is checked only when it is the focused field.
        let (visit, checks): (std::borrow::Cow<'_, [FieldId]>, bool) = match (place, self.focus) {
            (Place::Off, _) => return,
            (Place::Chain(depth), Some(focus)) => match focus.chain.get(depth) {
                Some((id, _)) => (std::borrow::Cow::Owned(vec![*id]), depth + 1 == focus.chain.len()),
                None => return,
            },
            // Few keys in a wide scope: visit those fields and the conditioned ones, not every field.
            _ if object.len() + scope.conditioned.len() < scope.fields.len() / 4 => {
                let mut ids: Vec<FieldId> = scope.conditioned.clone();
                ids.extend(object.iter().map(|(id, _)| *id));
                ids.sort_unstable();
                ids.dedup();
                (std::borrow::Cow::Owned(ids), true)
            }
            _ => (std::borrow::Cow::Borrowed(scope.fields.as_slice()), true),
        };
        for &id in visit.iter() {
            let Some(field) = form.field(id) else { continue };
            let value = member(object, id).filter(|v| !v.is_empty());
            if checks {
                let conditioned = field.required || field.required_if.is_some();
                if value.is_none() && !conditioned {
                    continue;
                }
                let required =
                    field.required || field.required_if.as_ref().is_some_and(|c| c.holds(scopes, &mut self.lists));
                if value.is_none() && !required {
                    continue;
                }
                if value.is_none() || matches!(field.kind, Kind::Boolean) {
                    let path = self.here(id);
                    if !self.flagged.contains(&path) {
                        if let Some(f) = presence::missing(field, value.and_then(Normalized::value), required) {
                            self.field_finding(field, path, f);
                        }
                    }
                }
                if value.is_some()
                    && field.forbidden_if.as_ref().is_some_and(|c: &Condition| c.holds(scopes, &mut self.lists))
                {
                    self.field_finding(field, self.here(id), presence::forbidden());
                }
            }
            // Where the walk goes next: everywhere inside a fully checked field; on the way, only
            // to the next field (or list item) on the way.
            let (inner_place, only_item) = match (place, self.focus) {
                (Place::Chain(depth), Some(focus)) if depth + 1 < focus.chain.len() => {
                    let item = focus.chain.get(depth + 1).and_then(|(_, i)| *i);
                    match item {
                        Some(i) if depth + 2 == focus.chain.len() => (Place::Full, Some(i)),
                        Some(i) => (Place::Chain(depth + 2), Some(i)),
                        None => (Place::Chain(depth + 1), None),
                    }
                }
                _ => (Place::Full, None),
            };
            match (&field.kind, value) {
                (Kind::Group(inner), Some(Normalized::Group(o))) => {
                    scopes.push(ScopeFrame { object: o, depth: self.indices.len() });
                    self.presence(inner, scopes, inner_place);
                    scopes.pop();
                }
                (Kind::List(list), Some(Normalized::List(items))) => {
                    if let Some(Kind::Group(inner)) = form.field(list.item).map(|f| &f.kind) {
                        for (i, it) in items.iter().enumerate() {
                            if only_item.is_some_and(|only| only as usize != i) {
                                continue;
                            }
                            if let Some(Normalized::Group(o)) = it {
                                self.indices.push(u32::try_from(i).unwrap_or(u32::MAX));
                                scopes.push(ScopeFrame { object: o, depth: self.indices.len() });
                                self.presence(inner, scopes, inner_place);
                                scopes.pop();
                                self.indices.pop();
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    // ---- pass 3: rules ----

    fn rules(&mut self, root: &[(FieldId, Normalized<'_>)]) {
        let form = self.form;
        let top = ScopeFrame { object: root, depth: 0 };
        for (r, rule) in form.rules.iter().enumerate() {
            if self.focus.is_some_and(|focus| focus.plan.rules.get(r) != Some(&true)) {
                continue;
            }
            match &rule.each {
                None => self.rule(rule, &[top]),
                Some(list) => {
                    if let Some(Normalized::List(items)) = list.get(&[top]) {
                        for (i, it) in items.iter().enumerate() {
                            if let Some(Normalized::Group(o)) = it {
                                self.indices.clear();
                                self.indices.push(u32::try_from(i).unwrap_or(u32::MAX));
                                self.rule(rule, &[top, ScopeFrame { object: o, depth: 1 }]);
                            }
                        }
                        self.indices.clear();
                    }
                }
            }
        }
    }

    fn rule(&mut self, rule: &'f Rule, scopes: &[ScopeFrame<'_>]) {
        if rule.when.as_ref().is_some_and(|w| !w.holds(scopes, &mut self.lists)) {
            return;
        }
        let mut at = RuleAt { run: self, rule, scopes };
        match &rule.kind {
            RuleKind::Cross(cross) => cross.check(&mut at),
            RuleKind::Deadline(deadline) => deadline.check(&mut at),
        }
    }

    // ---- ordering ----

    /// The kept findings in report order: every kept error, then as many warnings and infos as
    /// the cap leaves room for, sorted the way the form reads.
    fn sorted(&mut self, normalized: &[(FieldId, Normalized<'_>)]) -> Vec<Raw<'f>> {
        let errors = std::mem::take(&mut self.errors);
        let others = std::mem::take(&mut self.others);
        let mut others = self.keyed(others, normalized);
        let room = limits::MAX_FINDINGS.saturating_sub(errors.len());
        if others.len() > room {
            self.dropped += others.len() - room;
            others.truncate(room);
        }
        let mut keyed = self.keyed(errors, normalized);
        keyed.extend(others);
        keyed.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        keyed.into_iter().map(|(_, _, raw)| raw).collect()
    }

    /// Findings with their place in the form (`None` last) and arrival order, sorted by both.
    fn keyed(
        &self,
        raws: Vec<(usize, Raw<'f>)>,
        normalized: &[(FieldId, Normalized<'_>)],
    ) -> Vec<((bool, Vec<u32>), usize, Raw<'f>)> {
        let mut keyed: Vec<_> = raws
            .into_iter()
            .map(|(seq, raw)| {
                let key = raw.path.order_key(self.form, normalized);
                ((key.is_none(), key.unwrap_or_default()), seq, raw)
            })
            .collect();
        keyed.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        keyed
    }
}

/// What a rule's check step sees: the rule, the normalised values its references name in the
/// current scope, and where to report.
pub(crate) struct RuleAt<'r, 'f, 'n> {
    run: &'r mut Run<'f>,
    pub rule: &'f Rule,
    scopes: &'r [ScopeFrame<'n>],
}

impl<'f, 'n> RuleAt<'_, 'f, 'n> {
    /// The normalised, non-empty value `r` names here.
    pub fn get(&self, r: &Ref) -> Option<&'n Normalized<'n>> {
        r.get(self.scopes).filter(|v| !v.is_empty())
    }

    /// The normalised, non-empty value `r` names here, when it is one JSON value (not a group or
    /// a list of fields).
    pub fn value(&self, r: &Ref) -> Option<&'n Value> {
        self.get(r).and_then(Normalized::value)
    }

    /// Whether two normalised values are equal.
    pub fn same(&self, a: &Normalized<'_>, b: &Normalized<'_>) -> bool {
        a.same_as(b, self.run.form)
    }

    /// The typed path of `r` here.
    pub fn path(&self, r: &Ref) -> Path {
        let depth = r.frame(self.scopes).map_or(0, |f| f.depth);
        Path::at(r.field, self.run.indices.get(..depth).unwrap_or_default())
    }

    /// The path of `r` here, as text (for a finding's parameters).
    pub fn path_text(&self, r: &Ref) -> String {
        self.path(r).render(self.run.form)
    }

    /// The full label of the field `r` names.
    pub fn label(&self, r: &Ref) -> &'f Localized {
        static EMPTY: std::sync::OnceLock<Localized> = std::sync::OnceLock::new();
        let form: &'f Form = self.run.form;
        form.field(r.field).map_or_else(|| EMPTY.get_or_init(Localized::default), |f| &f.full_label)
    }

    /// The time of validation.
    pub fn now(&self) -> Timestamp {
        self.run.now
    }

    /// The Beijing calendar date of the validation.
    pub fn today(&self) -> Today {
        self.run.today
    }

    /// Reports a finding of the rule at the field `at` names (the document when `None`).
    pub fn report(
        &mut self,
        at: Option<&Ref>,
        finding: Finding,
        basis: Option<&'f str>,
        localized: Vec<(&'static str, Vec<&'f Localized>)>,
    ) {
        let path = at.map_or_else(Path::root, |r| self.path(r));
        let label = at.map(|r| self.label(r)).filter(|l| !l.zh_cn.is_empty());
        let rule = self.rule;
        self.run.push(Raw {
            path,
            finding,
            basis,
            label,
            message: rule.message.as_ref(),
            localized,
            rule: rule.id.as_deref(),
        });
    }

    /// Replaces the normalised value `at` names, once every rule has run.
    pub fn replace(&mut self, at: &Ref, value: Value) {
        let path = self.path(at);
        self.run.replacements.push((path, value));
    }
}

/// The value at a typed path in normalised data, if the path exists there.
fn value_at<'v, 'd>(
    root: &'v mut [(FieldId, Normalized<'d>)],
    path: &Path,
    form: &Form,
) -> Option<&'v mut Normalized<'d>> {
    let mut indices = path.indices.iter();
    let mut steps = path.chain(form).into_iter();
    let mut current = member_mut(root, steps.next()?)?;
    for id in steps {
        current = if form.field(id)?.is_item() {
            let i = *indices.next()? as usize;
            match current {
                Normalized::List(items) => items.get_mut(i)?.as_mut()?,
                _ => return None,
            }
        } else {
            match current {
                Normalized::Group(members) => member_mut(members, id)?,
                _ => return None,
            }
        };
    }
    Some(current)
}

impl<'f> Outcome<'f> {
    /// Renders the outcome in `locale`: every kept finding with its message, label and legal
    /// basis, then one `too_many_findings` with the number left out.
    pub fn render(self, locale: Locale) -> Report {
        crate::render::report(self, locale)
    }

    /// Renders the outcome in `locale` as a report that serialises exactly as [`Outcome::render`]'s
    /// does, without making the normalised data as a `serde_json::Value` first.
    #[cfg(any(target_arch = "wasm32", test))]
    pub(crate) fn render_view(self, locale: Locale) -> crate::render::ReportView<'f> {
        crate::render::view(self, locale)
    }
}
