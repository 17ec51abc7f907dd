//! Form definitions: compiling the JSON of `docs/definitions.md` into a reusable [`Form`].
//!
//! Compilation checks everything that can be checked without data: the shape of the JSON (with
//! the path of any unknown key or wrong type), names, references between fields, patterns (compiled
//! once, with a size limit), legal bases, deadlines and the limits of `limits.rs`. A compiled form
//! is immutable and can validate any number of documents.
//!
//! This module is the walk only: it reads the keys every field has (name, label, basis, presence)
//! and hands the rest to the field's family in `rules/` (each family owns its keys, its compile
//! step and its check step). The result is a plan: every field is a slot in one table
//! ([`FieldId`]), numbered depth-first, with its label, position and family computed once, and
//! every group knows its fields by name, so validation never builds a map or a path string to find
//! its way (`validate.rs`, `path.rs`).

mod condition;
mod definition;
pub(crate) mod pattern;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

pub(crate) use condition::{is_empty, Condition, ListSets, Ref, ScopeFrame};
pub(crate) use definition::{ConditionDef, DefinitionDef, FieldDef, KindName, RuleDef, RuleKindName};

use crate::error::SchemaError;
use crate::ident::IdentifierKind;
use crate::limits;
use crate::messages::{self, Localized};
use crate::rules::{attachment, choice, cross_field, deadline, number, structure, text};
use crate::Severity;

/// A compiled form definition: validates data, describes its fields, and is what a payload names.
#[derive(Debug)]
pub struct Form {
    pub(crate) id: String,
    pub(crate) version: String,
    pub(crate) title: Localized,
    pub(crate) description: Option<Localized>,
    pub(crate) bases: BTreeMap<String, Localized>,
    /// Every field of the form, list items included, numbered depth-first in form order.
    pub(crate) fields: Vec<Field>,
    /// The fields at the root of the document.
    pub(crate) root: Scope,
    pub(crate) rules: Vec<Rule>,
    pub(crate) definition: Value,
    /// What one field's findings depend on, for `validate_field`, worked out on first use.
    pub(crate) focus_plans: Vec<std::sync::OnceLock<crate::validate::FocusPlan>>,
    /// The definition's digest, computed on first use by `seal::definition_digest` and kept, so a
    /// receiver verifying many payloads against one compiled form hashes the definition once.
    #[cfg(feature = "seal")]
    pub(crate) digest: std::sync::OnceLock<String>,
}

/// A field's slot in [`Form::fields`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct FieldId(pub u32);

#[derive(Debug)]
pub(crate) struct Field {
    /// The key in the data; empty for a list item.
    pub name: String,
    /// The label as the form shows it next to the field.
    pub label: Localized,
    /// The label qualified by its enclosing groups ("应急联系人·手机号码"), for messages and error
    /// summaries, where "手机号码" alone would not say whose.
    pub full_label: Localized,
    pub help: Option<Localized>,
    pub placeholder: Option<Localized>,
    pub basis: Option<String>,
    pub required: bool,
    pub required_if: Option<Condition>,
    pub forbidden_if: Option<Condition>,
    pub severity: Severity,
    pub kind: Kind,
    /// The group or list this field belongs to; `None` at the root.
    pub parent: Option<FieldId>,
    /// Its position among the fields of its group (or the root); 0 for a list item.
    pub position: u32,
    /// Whether this is the item of a list (it has no name; its paths end in an index).
    pub item: bool,
    /// The slot after this field's last descendant: the fields inside it are the slots
    /// `self..end` (slots are numbered depth-first).
    pub end: FieldId,
}

impl Field {
    /// Whether this field is a list's item.
    pub fn is_item(&self) -> bool {
        self.item
    }
}

/// The fields of the root, a group or a list item: in form order, and by name.
#[derive(Debug, Default)]
pub(crate) struct Scope {
    pub fields: Vec<FieldId>,
    /// (name, field), sorted by name: a data key is looked up, never compared with every field.
    by_name: Vec<(String, FieldId)>,
    /// The fields checked even when absent (`required`, `required_if`).
    pub conditioned: Vec<FieldId>,
}

/// Scopes up to this many fields match a data object's keys in one sorted walk ([`Scope::gather`]).
pub(crate) const GATHER_AT_MOST: usize = 64;

impl Scope {
    /// The values of `object` by field position, found in one walk over the object's keys and
    /// the scope's names, both sorted, instead of one look-up per field. `None` for a scope of
    /// more than [`GATHER_AT_MOST`] fields, or keys that are not in order (a map that keeps
    /// insertion order), where looking each field up is the way.
    pub fn gather<'v>(
        &self,
        object: &'v Map<String, Value>,
        form: &Form,
    ) -> Option<[Option<&'v Value>; GATHER_AT_MOST]> {
        if self.by_name.len() > GATHER_AT_MOST {
            return None;
        }
        let mut values = [None; GATHER_AT_MOST];
        let mut names = self.by_name.iter().peekable();
        let mut previous: Option<&str> = None;
        for (key, value) in object {
            if previous.is_some_and(|p| p > key.as_str()) {
                return None;
            }
            previous = Some(key);
            while let Some((name, id)) = names.peek() {
                match name.as_str().cmp(key.as_str()) {
                    std::cmp::Ordering::Less => {
                        names.next();
                    }
                    std::cmp::Ordering::Equal => {
                        let position = form.field(*id).map_or(usize::MAX, |f| f.position as usize);
                        if let Some(slot) = values.get_mut(position) {
                            *slot = Some(value);
                        }
                        names.next();
                        break;
                    }
                    std::cmp::Ordering::Greater => break,
                }
            }
        }
        Some(values)
    }

    /// The field named `name` in this scope.
    pub fn find(&self, name: &str) -> Option<FieldId> {
        self.by_name
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .and_then(|i| self.by_name.get(i))
            .map(|(_, id)| *id)
    }
}

/// A field's family and what its family compiled from the definition.
#[derive(Debug)]
pub(crate) enum Kind {
    Text(text::Text),
    Choice(choice::Choice),
    Boolean,
    Number(number::Number),
    Date,
    DateTime,
    Identifier(IdentifierKind),
    Attachment(attachment::Attachment),
    List(structure::List),
    Group(Scope),
}

impl Kind {
    /// The definition's name of this kind, for messages and `describe`.
    pub fn name(&self) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed(match self {
            Kind::Text(t) if t.long => "long_text",
            Kind::Text(_) => "text",
            Kind::Choice(_) => "choice",
            Kind::Boolean => "boolean",
            Kind::Number(_) => "number",
            Kind::Date => "date",
            Kind::DateTime => "datetime",
            // The definition spells identifier kinds in snake_case, the CLI in kebab-case.
            Kind::Identifier(k) => return std::borrow::Cow::Owned(k.as_str().replace('-', "_")),
            Kind::Attachment(_) => "attachment",
            Kind::List(_) => "list",
            Kind::Group(_) => "group",
        })
    }
}

#[derive(Debug)]
pub(crate) struct Rule {
    pub id: Option<String>,
    pub severity: Severity,
    pub basis: Option<String>,
    pub when: Option<Condition>,
    pub each: Option<Ref>,
    pub message: Option<Localized>,
    pub kind: RuleKind,
}

impl Rule {
    /// The field the rule's findings are placed at, if any (a fixed deadline without `at` is
    /// about the form as a whole).
    pub(crate) fn anchor(&self) -> Option<&Ref> {
        match &self.kind {
            RuleKind::Cross(cross_field::Cross::SameAs { field, .. })
            | RuleKind::Cross(cross_field::Cross::DiffersFrom { field, .. })
            | RuleKind::Cross(cross_field::Cross::NotAfter { field, .. })
            | RuleKind::Cross(cross_field::Cross::NotInFuture { field }) => Some(field),
            RuleKind::Cross(cross_field::Cross::Certificate { number_field, .. }) => Some(number_field),
            RuleKind::Cross(cross_field::Cross::SubjectCertificate { type_field, .. }) => Some(type_field),
            RuleKind::Deadline(d) => match &d.due {
                deadline::Due::After { field, .. } => Some(field),
                deadline::Due::Fixed { .. } => d.at.as_ref(),
            },
        }
    }

    /// Every reference the rule reads: its fields, its `when` and its `each`.
    pub(crate) fn refs(&self, f: &mut dyn FnMut(&Ref)) {
        use cross_field::Cross as C;
        match &self.kind {
            RuleKind::Cross(
                C::SameAs { field, other } | C::DiffersFrom { field, other } | C::NotAfter { field, other },
            ) => {
                f(field);
                f(other);
            }
            RuleKind::Cross(C::NotInFuture { field }) => f(field),
            RuleKind::Cross(C::Certificate { type_field, number_field, .. }) => {
                f(type_field);
                f(number_field);
            }
            RuleKind::Cross(C::SubjectCertificate { nature_field, type_field, .. }) => {
                f(nature_field);
                f(type_field);
            }
            RuleKind::Deadline(d) => {
                if let deadline::Due::After { field, .. } = &d.due {
                    f(field);
                }
                if let Some(at) = &d.at {
                    f(at);
                }
            }
        }
        if let Some(when) = &self.when {
            when.refs(f);
        }
        if let Some(each) = &self.each {
            f(each);
        }
    }
}

/// A rule's family and what it compiled.
#[derive(Debug)]
pub(crate) enum RuleKind {
    Cross(cross_field::Cross),
    Deadline(deadline::Deadline),
}

/// Options for compiling a form.
#[derive(Clone, Debug, Default)]
pub struct CompileOptions {
    /// Campaign deadlines to override, by name: `{ "website_campaign": { "by": "2005-07-15" } }`
    /// or `{ "virus_campaign": { "before": "2005-06-27T16:30:00+08:00" } }`.
    pub deadline_overrides: Map<String, Value>,
}

impl Form {
    /// Compiles a definition from JSON text.
    pub fn compile(json: &str) -> Result<Form, SchemaError> {
        Form::compile_with(json, &CompileOptions::default())
    }

    /// Compiles a definition from JSON text, with options (deadline overrides).
    pub fn compile_with(json: &str, options: &CompileOptions) -> Result<Form, SchemaError> {
        if json.len() > limits::MAX_DEFINITION_BYTES {
            return Err(SchemaError::new(
                "schema_too_large",
                "",
                format!("the definition is {} bytes; the limit is {}", json.len(), limits::MAX_DEFINITION_BYTES),
            ));
        }
        let value: Value = crate::json::parse_unique(json).map_err(|e| match e {
            crate::json::JsonError::Syntax(e) => SchemaError::new("schema_json", "", format!("not valid JSON: {e}")),
            crate::json::JsonError::DuplicateKey(path) => {
                SchemaError::new("schema_duplicate_key", path.clone(), format!("the key {path} is given twice"))
            }
        })?;
        Form::from_value(value, options)
    }

    /// Compiles a definition already parsed as JSON.
    pub fn from_value(mut value: Value, options: &CompileOptions) -> Result<Form, SchemaError> {
        apply_overrides(&mut value, &options.deadline_overrides)?;
        let def = DefinitionDef::read(&value)?;
        Compiler::default().compile(def, value)
    }

    /// The form's id (`network-unit-filing`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The form's version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The form's title.
    pub fn title(&self) -> &Localized {
        &self.title
    }

    /// The form's description, if any.
    pub fn description(&self) -> Option<&Localized> {
        self.description.as_ref()
    }

    /// The exact definition this form was compiled from, after deadline overrides.
    pub fn definition(&self) -> &Value {
        &self.definition
    }

    /// The citation text of a legal basis id, form-local ones first.
    pub(crate) fn basis_text(&self, id: &str, locale: messages::Locale) -> Option<String> {
        self.bases.get(id).map(|l| l.get(locale).to_owned()).or_else(|| messages::basis(id, locale).map(str::to_owned))
    }
}

fn apply_overrides(value: &mut Value, overrides: &Map<String, Value>) -> Result<(), SchemaError> {
    if overrides.is_empty() {
        return Ok(());
    }
    let deadlines = value.get_mut("deadlines").and_then(Value::as_object_mut);
    let Some(deadlines) = deadlines else {
        let name = overrides.keys().next().cloned().unwrap_or_default();
        return Err(SchemaError::new(
            "schema_unknown_deadline",
            "deadlines",
            format!("the form has no deadline named {name:?}"),
        ));
    };
    for (name, new) in overrides {
        let path = format!("deadlines.{name}");
        let Some(Value::Object(entry)) = deadlines.get_mut(name) else {
            return Err(SchemaError::new(
                "schema_unknown_deadline",
                path,
                format!("the form has no deadline named {name:?}"),
            ));
        };
        let Some(new) = new.as_object() else {
            return Err(SchemaError::new("schema_invalid", path, "an override is an object with `by` or `before`"));
        };
        for key in new.keys() {
            if key != "by" && key != "before" {
                return Err(SchemaError::new(
                    "schema_invalid",
                    format!("{path}.{key}"),
                    "an override sets only `by` or `before`",
                ));
            }
        }
        entry.remove("by");
        entry.remove("before");
        for (k, v) in new {
            entry.insert(k.clone(), v.clone());
        }
    }
    Ok(())
}

impl Form {
    /// The field in slot `id`.
    pub(crate) fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.get(id.0 as usize)
    }

    /// The scope of a group field, or of a list item that is a group.
    pub(crate) fn scope_of(&self, id: FieldId) -> Option<&Scope> {
        match &self.field(id)?.kind {
            Kind::Group(scope) => Some(scope),
            _ => None,
        }
    }
}

/// Names a field may not have: in JavaScript (the embed's drafts, a portal's objects) they reach
/// `Object.prototype`. `__proto__` is already not a name (it starts with `_`); listed for clarity.
const RESERVED_NAMES: [&str; 3] = ["__proto__", "constructor", "prototype"];

pub(crate) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && s.len() <= 64
}

fn is_form_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The keys of a field definition that only some families accept, in the order they are checked.
fn family_keys(def: &FieldDef) -> [(&'static str, bool); 17] {
    [
        ("min_length", def.min_length.is_some()),
        ("max_length", def.max_length.is_some()),
        ("pattern", def.pattern.is_some()),
        ("pattern_message", def.pattern_message.is_some()),
        ("options", def.options.is_some()),
        ("multiple", def.multiple),
        ("min_items", def.min_items.is_some()),
        ("max_items", def.max_items.is_some()),
        ("unique", def.unique),
        ("min", def.min.is_some()),
        ("max", def.max.is_some()),
        ("integer", def.integer),
        ("item", def.item.is_some()),
        ("fields", def.fields.is_some()),
        ("repeatable", def.repeatable),
        ("media_types", def.media_types.is_some()),
        ("max_size", def.max_size.is_some()),
    ]
}

/// Whether the family of `def` accepts `key`: each family says which keys are its own.
fn accepts(def: &FieldDef, key: &str) -> bool {
    use KindName as K;
    match def.kind {
        K::Text | K::LongText => text::accepts(def, key),
        K::Choice => choice::accepts(def, key),
        K::Number => number::accepts(key),
        K::Attachment => attachment::accepts(key),
        K::List | K::Group => structure::accepts(def, key),
        K::Boolean
        | K::Date
        | K::Datetime
        | K::Email
        | K::Url
        | K::Phone
        | K::Mobile
        | K::Ip
        | K::Domain
        | K::Uscc
        | K::OrgCode
        | K::ResidentId
        | K::PsbFilingNumber
        | K::IcpNumber => false,
    }
}

/// The compiler's state while it walks a definition: the field table being filled, the form's
/// legal bases, and the budgets of `limits.rs` spent so far.
#[derive(Default)]
pub(crate) struct Compiler {
    fields: Vec<Field>,
    field_count: usize,
    bases: BTreeMap<String, Localized>,
    /// The size of the conditions compiled so far ([`limits::MAX_CONDITION_SIZE`]).
    condition_size: std::cell::Cell<usize>,
}

impl Compiler {
    fn compile(mut self, def: DefinitionDef, value: Value) -> Result<Form, SchemaError> {
        if !is_form_id(&def.id) {
            return Err(SchemaError::new("schema_invalid", "id", "an id is lower-case letters, digits and `-`"));
        }
        if def.version.trim().is_empty() || def.version.len() > 64 {
            return Err(SchemaError::new("schema_invalid", "version", "a version is 1-64 characters"));
        }
        self.bases = def.bases;
        let basis = match def.basis {
            Some(b) => Some(self.basis("basis", b)?),
            None => None,
        };
        let root = self.scope(&def.fields, "fields", basis.as_deref(), 0, None)?;
        // References are resolved once every field exists, so a condition may name a later field.
        let mut resolved = Vec::new();
        self.resolve_conditions(&def.fields, &root, "fields", &mut Vec::new(), &mut resolved)?;
        for (id, required_if, forbidden_if) in resolved {
            if let Some(field) = self.fields.get_mut(id.0 as usize) {
                field.required_if = required_if;
                field.forbidden_if = forbidden_if;
            }
        }
        let root = self.index_conditioned(root);
        // Each field's subtree ends where its last descendant's does (children come after parents).
        for i in (0..self.fields.len()).rev() {
            let (Some(parent), Some(end)) =
                (self.fields.get(i).and_then(|f| f.parent), self.fields.get(i).map(|f| f.end))
            else {
                continue;
            };
            if let Some(p) = self.fields.get_mut(parent.0 as usize) {
                p.end = p.end.max(end);
            }
        }
        let mut deadlines = BTreeMap::new();
        for (name, d) in &def.deadlines {
            let path = format!("deadlines.{name}");
            if let Some(b) = &d.basis {
                self.basis(&format!("{path}.basis"), b.clone())?;
            }
            let due = deadline::fixed_due(d.by.as_deref(), d.before.as_deref(), &path)?;
            deadlines.insert(name.clone(), (due, d.basis.clone()));
        }
        if def.rules.len() > limits::MAX_RULES {
            return Err(SchemaError::new("schema_limit", "rules", format!("at most {} rules", limits::MAX_RULES)));
        }
        let mut rules = Vec::with_capacity(def.rules.len());
        for (i, r) in def.rules.iter().enumerate() {
            rules.push(self.rule(r, &format!("rules[{i}]"), &root, &deadlines, basis.as_deref())?);
        }
        let n_fields = self.fields.len();
        Ok(Form {
            id: def.id,
            version: def.version,
            title: def.title,
            description: def.description,
            bases: self.bases,
            fields: self.fields,
            root,
            rules,
            definition: value,
            focus_plans: std::iter::repeat_with(std::sync::OnceLock::new).take(n_fields).collect(),
            #[cfg(feature = "seal")]
            digest: std::sync::OnceLock::new(),
        })
    }

    pub(crate) fn basis(&self, path: &str, id: String) -> Result<String, SchemaError> {
        if self.bases.contains_key(&id) || messages::basis(&id, messages::Locale::ZhCn).is_some() {
            Ok(id)
        } else {
            Err(SchemaError::new(
                "schema_unknown_basis",
                path,
                format!("unknown legal basis {id:?}: add it to `bases`"),
            ))
        }
    }

    /// The field in slot `id`, while compiling.
    pub(crate) fn field_mut(&mut self, id: FieldId) -> Option<&mut Field> {
        self.fields.get_mut(id.0 as usize)
    }

    /// Compiles the fields of the root, a group or a list item into a scope.
    pub(crate) fn scope(
        &mut self,
        defs: &[FieldDef],
        path: &str,
        basis: Option<&str>,
        depth: usize,
        parent: Option<FieldId>,
    ) -> Result<Scope, SchemaError> {
        if depth > limits::MAX_DEFINITION_DEPTH {
            return Err(SchemaError::new(
                "schema_limit",
                path,
                format!("groups and lists nest at most {} deep", limits::MAX_DEFINITION_DEPTH),
            ));
        }
        let mut seen = BTreeSet::new();
        let mut scope = Scope { fields: Vec::with_capacity(defs.len()), by_name: Vec::new(), conditioned: Vec::new() };
        for (i, def) in defs.iter().enumerate() {
            let fpath = format!("{path}[{i}]");
            let name = def.name.clone().unwrap_or_default();
            if !is_name(&name) {
                return Err(SchemaError::new(
                    "schema_invalid",
                    format!("{fpath}.name"),
                    "a field name is lower-case letters, digits and `_`, starting with a letter",
                ));
            }
            if RESERVED_NAMES.contains(&name.as_str()) {
                return Err(SchemaError::new(
                    "schema_invalid",
                    format!("{fpath}.name"),
                    format!("{name:?} is reserved: field names become JavaScript property names, and this one reaches the object prototype"),
                ));
            }
            if !seen.insert(name.clone()) {
                return Err(SchemaError::new(
                    "schema_duplicate_name",
                    format!("{fpath}.name"),
                    format!("two fields are named {name:?}"),
                ));
            }
            let position = u32::try_from(i).unwrap_or(u32::MAX);
            let id = self.field(def, name.clone(), &fpath, basis, depth, parent, position, false)?;
            scope.fields.push(id);
            scope.by_name.push((name, id));
        }
        scope.by_name.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(scope)
    }

    /// Compiles one field (and, through its family, the fields inside it) into the next slot.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn field(
        &mut self,
        def: &FieldDef,
        name: String,
        path: &str,
        basis: Option<&str>,
        depth: usize,
        parent: Option<FieldId>,
        position: u32,
        item: bool,
    ) -> Result<FieldId, SchemaError> {
        self.field_count += 1;
        if self.field_count > limits::MAX_FIELDS {
            return Err(SchemaError::new(
                "schema_limit",
                path,
                format!("a form has at most {} fields", limits::MAX_FIELDS),
            ));
        }
        let label = match (&def.label, name.is_empty()) {
            (Some(l), _) => l.clone(),
            (None, true) => Localized::default(),
            (None, false) => {
                return Err(SchemaError::new(
                    "schema_invalid",
                    format!("{path}.label"),
                    "a field needs a label in zh-CN and en",
                ))
            }
        };
        let basis = match &def.basis {
            Some(b) => Some(self.basis(&format!("{path}.basis"), b.clone())?),
            None => basis.map(str::to_owned),
        };
        for (key, present) in family_keys(def) {
            if present && !accepts(def, key) {
                return Err(SchemaError::new(
                    "schema_invalid",
                    format!("{path}.{key}"),
                    format!("`{key}` does not apply to this kind of field"),
                ));
            }
        }
        // The slot is taken before the family compiles the fields inside this one, so slots are
        // numbered depth-first in form order.
        let id = self.reserve(name, label, basis, parent, position, item);
        let kind = self.kind(def, path, depth, id)?;
        if let Some(field) = self.field_mut(id) {
            field.help = def.help.clone();
            field.placeholder = def.placeholder.clone();
            field.required = def.required;
            field.severity = def.severity.unwrap_or(Severity::Error);
            field.kind = kind;
        }
        Ok(id)
    }

    /// Takes the next slot for a field whose family is not compiled yet.
    pub(crate) fn reserve(
        &mut self,
        name: String,
        label: Localized,
        basis: Option<String>,
        parent: Option<FieldId>,
        position: u32,
        item: bool,
    ) -> FieldId {
        let id = FieldId(u32::try_from(self.fields.len()).unwrap_or(u32::MAX));
        self.fields.push(Field {
            name,
            full_label: label.clone(),
            label,
            help: None,
            placeholder: None,
            basis,
            required: false,
            required_if: None,
            forbidden_if: None,
            severity: Severity::Error,
            kind: Kind::Boolean,
            parent,
            position,
            item,
            end: FieldId(id.0 + 1),
        });
        id
    }

    /// Hands the field to its family.
    fn kind(&mut self, def: &FieldDef, path: &str, depth: usize, id: FieldId) -> Result<Kind, SchemaError> {
        use KindName as K;
        Ok(match def.kind {
            K::Text | K::LongText => Kind::Text(text::compile(def, path)?),
            K::Choice => Kind::Choice(choice::compile(def, path)?),
            K::Boolean => Kind::Boolean,
            K::Number => Kind::Number(number::compile(def, path)?),
            K::Date => Kind::Date,
            K::Datetime => Kind::DateTime,
            K::Email => Kind::Identifier(IdentifierKind::Email),
            K::Url => Kind::Identifier(IdentifierKind::Url),
            K::Phone => Kind::Identifier(IdentifierKind::Phone),
            K::Mobile => Kind::Identifier(IdentifierKind::Mobile),
            K::Ip => Kind::Identifier(IdentifierKind::Ip),
            K::Domain => Kind::Identifier(IdentifierKind::Domain),
            K::Uscc => Kind::Identifier(IdentifierKind::Uscc),
            K::OrgCode => Kind::Identifier(IdentifierKind::OrgCode),
            K::ResidentId => Kind::Identifier(IdentifierKind::ResidentId),
            K::PsbFilingNumber => Kind::Identifier(IdentifierKind::PsbFilingNumber),
            K::IcpNumber => Kind::Identifier(IdentifierKind::IcpNumber),
            K::Attachment => Kind::Attachment(attachment::compile(def)),
            K::List => structure::compile_list(self, def, path, depth, id)?,
            K::Group => structure::compile_group(self, def, path, depth, id)?,
        })
    }

    /// Prefixes the labels of a scope's fields (and theirs, recursively) with a group's label,
    /// unless a label already names the group. A list's item keeps its label; the fields of a
    /// group item are prefixed.
    pub(crate) fn qualify(&mut self, scope: &[FieldId], group: &Localized) {
        fn join(group: &str, label: &str, sep: &str) -> String {
            if group.is_empty() || label.contains(group) {
                label.to_owned()
            } else {
                format!("{group}{sep}{label}")
            }
        }
        for &id in scope {
            let mut inner = Vec::new();
            let mut item = None;
            if let Some(f) = self.field_mut(id) {
                f.full_label = Localized {
                    zh_cn: join(&group.zh_cn, &f.full_label.zh_cn, "·"),
                    en: join(&group.en, &f.full_label.en, ": "),
                };
                match &f.kind {
                    Kind::Group(scope) => inner.clone_from(&scope.fields),
                    Kind::List(list) => item = Some(list.item),
                    _ => {}
                }
            }
            if let Some(Some(Kind::Group(scope))) = item.map(|i| self.fields.get(i.0 as usize).map(|f| &f.kind)) {
                inner.clone_from(&scope.fields);
            }
            self.qualify(&inner, group);
        }
    }

    /// Second walk over the definition: compiles `required_if` / `forbidden_if` now that every
    /// field they may refer to exists, against this scope and the enclosing ones.
    fn resolve_conditions<'c>(
        &'c self,
        defs: &[FieldDef],
        scope: &'c Scope,
        path: &str,
        outer: &mut Vec<&'c Scope>,
        out: &mut Vec<(FieldId, Option<Condition>, Option<Condition>)>,
    ) -> Result<(), SchemaError> {
        outer.push(scope);
        for (i, (def, &id)) in defs.iter().zip(&scope.fields).enumerate() {
            let fpath = format!("{path}[{i}]");
            let mut required_if = None;
            let mut forbidden_if = None;
            if let Some(c) = &def.required_if {
                required_if = Some(self.condition(c, &format!("{fpath}.required_if"), outer)?);
            }
            if let Some(c) = &def.forbidden_if {
                forbidden_if = Some(self.condition(c, &format!("{fpath}.forbidden_if"), outer)?);
            }
            if required_if.is_some() || forbidden_if.is_some() {
                out.push((id, required_if, forbidden_if));
            }
        }
        for (i, (def, &id)) in defs.iter().zip(&scope.fields).enumerate() {
            let fpath = format!("{path}[{i}]");
            let Some(field) = self.fields.get(id.0 as usize) else { continue };
            match &field.kind {
                Kind::Group(inner) => {
                    let defs = def.fields.as_deref().unwrap_or_default();
                    self.resolve_conditions(defs, inner, &format!("{fpath}.fields"), outer, out)?;
                }
                Kind::List(list) => {
                    if let Some(Field { kind: Kind::Group(inner), .. }) = self.fields.get(list.item.0 as usize) {
                        let defs = match (&def.item, &def.fields) {
                            (Some(it), _) => it.fields.as_deref().unwrap_or_default(),
                            (None, Some(f)) => f.as_slice(),
                            (None, None) => &[],
                        };
                        self.resolve_conditions(defs, inner, &format!("{fpath}.fields"), outer, out)?;
                    }
                }
                _ => {}
            }
        }
        outer.pop();
        Ok(())
    }

    /// Records, in every scope, the fields checked even when absent; done once the conditions are
    /// resolved.
    fn index_conditioned(&mut self, mut root: Scope) -> Scope {
        let conditioned = |fields: &[Field], scope: &Scope| -> Vec<FieldId> {
            scope
                .fields
                .iter()
                .copied()
                .filter(|id| fields.get(id.0 as usize).is_some_and(|f| f.required || f.required_if.is_some()))
                .collect()
        };
        root.conditioned = conditioned(&self.fields, &root);
        for i in 0..self.fields.len() {
            let list = match self.fields.get(i).map(|f| &f.kind) {
                Some(Kind::Group(scope)) => conditioned(&self.fields, scope),
                _ => continue,
            };
            if let Some(Field { kind: Kind::Group(scope), .. }) = self.fields.get_mut(i) {
                scope.conditioned = list;
            }
        }
        root
    }

    /// Compiles one condition and adds its size to the definition's total, refusing what would
    /// pass [`limits::MAX_CONDITION_SIZE`].
    pub(crate) fn condition(
        &self,
        def: &ConditionDef,
        path: &str,
        scopes: &[&Scope],
    ) -> Result<Condition, SchemaError> {
        let condition = compile_condition(def, path, scopes, &self.fields, &mut 0)?;
        let total = self.condition_size.get().saturating_add(condition.size());
        if total > limits::MAX_CONDITION_SIZE {
            return Err(SchemaError::new(
                "schema_limit",
                path,
                format!(
                    "the conditions of a form have at most {} parts and compared values together",
                    limits::MAX_CONDITION_SIZE
                ),
            ));
        }
        self.condition_size.set(total);
        Ok(condition)
    }

    /// Compiles a rule: the keys every rule has here, the rest by its family.
    fn rule(
        &self,
        def: &RuleDef,
        path: &str,
        root: &Scope,
        deadlines: &BTreeMap<String, (deadline::Due, Option<String>)>,
        form_basis: Option<&str>,
    ) -> Result<Rule, SchemaError> {
        let mut scopes: Vec<&Scope> = vec![root];
        let each = match &def.each {
            Some(p) => {
                let (r, field) = resolve(p, &format!("{path}.each"), &scopes, &self.fields)?;
                let item = match &field.kind {
                    Kind::List(list) => self.fields.get(list.item.0 as usize),
                    _ => None,
                };
                match item {
                    Some(Field { kind: Kind::Group(inner), .. }) => scopes.push(inner),
                    _ => {
                        return Err(SchemaError::new(
                            "schema_reference_kind",
                            format!("{path}.each"),
                            "`each` names a list of groups",
                        ))
                    }
                }
                Some(r)
            }
            None => None,
        };
        let mut basis = match &def.basis {
            Some(b) => Some(self.basis(&format!("{path}.basis"), b.clone())?),
            None => form_basis.map(str::to_owned),
        };
        let cx = RuleCx { path, scopes: &scopes, fields: &self.fields };
        let kind = match def.kind {
            RuleKindName::Deadline => {
                let late_basis = match &def.late_basis {
                    Some(b) => Some(self.basis(&format!("{path}.late_basis"), b.clone())?),
                    None => None,
                };
                RuleKind::Deadline(deadline::compile(def, &cx, deadlines, &mut basis, late_basis)?)
            }
            _ => RuleKind::Cross(cross_field::compile(def, &cx)?),
        };
        let when = match &def.when {
            Some(c) => Some(self.condition(c, &format!("{path}.when"), &scopes)?),
            None => None,
        };
        if let Some(id) = &def.id {
            if !is_name(id) {
                return Err(SchemaError::new(
                    "schema_invalid",
                    format!("{path}.id"),
                    "a rule id is lower-case letters, digits and `_`",
                ));
            }
        }
        Ok(Rule {
            id: def.id.clone(),
            severity: def.severity.unwrap_or(Severity::Error),
            basis,
            when,
            each,
            message: def.message.clone(),
            kind,
        })
    }
}

/// What a rule family's compile step may ask of the walk: the rule's path and its references.
pub(crate) struct RuleCx<'c> {
    pub path: &'c str,
    scopes: &'c [&'c Scope],
    fields: &'c [Field],
}

impl<'c> RuleCx<'c> {
    /// Resolves the reference under `key`, which the rule needs.
    pub fn need(&self, key: &str, value: &Option<String>) -> Result<(Ref, &'c Field), SchemaError> {
        match value {
            Some(p) => resolve(p, &format!("{}.{key}", self.path), self.scopes, self.fields),
            None => Err(SchemaError::new(
                "schema_invalid",
                format!("{}.{key}", self.path),
                format!("this rule needs `{key}`"),
            )),
        }
    }

    /// Refuses a reference under `key` that is not a date or date-time field.
    pub fn dated(&self, key: &str, field: &Field) -> Result<(), SchemaError> {
        if matches!(field.kind, Kind::Date | Kind::DateTime) {
            Ok(())
        } else {
            Err(SchemaError::new(
                "schema_reference_kind",
                format!("{}.{key}", self.path),
                "this rule compares dates: name a date or datetime field",
            ))
        }
    }
}

/// Resolves a dotted reference against a scope chain (outermost first), innermost scope first.
fn resolve<'a>(
    reference: &str,
    path: &str,
    scopes: &[&Scope],
    fields: &'a [Field],
) -> Result<(Ref, &'a Field), SchemaError> {
    let segments: Vec<&str> = reference.split('.').collect();
    let first = segments.first().copied().unwrap_or_default();
    let get = |id: FieldId| fields.get(id.0 as usize);
    for (up, scope) in scopes.iter().rev().enumerate() {
        let Some(mut id) = scope.find(first) else { continue };
        let mut steps = vec![id];
        for seg in segments.iter().skip(1) {
            match get(id).map(|f| &f.kind) {
                Some(Kind::Group(inner)) => {
                    id = inner.find(seg).ok_or_else(|| {
                        SchemaError::new("schema_unknown_reference", path, format!("no field {reference:?}"))
                    })?;
                    steps.push(id);
                }
                _ => {
                    return Err(SchemaError::new(
                        "schema_reference_kind",
                        path,
                        format!("{reference:?}: only groups have fields (a list item is reached with `each`)"),
                    ));
                }
            }
        }
        let field = get(id)
            .ok_or_else(|| SchemaError::new("schema_unknown_reference", path, format!("no field {reference:?}")))?;
        return Ok((Ref { up, steps, field: id }, field));
    }
    Err(SchemaError::new("schema_unknown_reference", path, format!("no field {reference:?}")))
}

/// Compiles a condition; `nodes` counts its nodes so far ([`limits::MAX_CONDITION_NODES`]).
fn compile_condition(
    def: &ConditionDef,
    path: &str,
    scopes: &[&Scope],
    fields: &[Field],
    nodes: &mut usize,
) -> Result<Condition, SchemaError> {
    *nodes += 1;
    if *nodes > limits::MAX_CONDITION_NODES {
        return Err(SchemaError::new(
            "schema_limit",
            path,
            format!("a condition has at most {} parts (`all`, `any`, `not` and tests)", limits::MAX_CONDITION_NODES),
        ));
    }
    let tests = [def.equals.is_some(), def.in_.is_some(), def.not_empty.is_some(), def.empty.is_some()];
    let combinators = [def.all.is_some(), def.any.is_some(), def.not.is_some()];
    let n_tests = tests.iter().filter(|b| **b).count();
    let n_comb = combinators.iter().filter(|b| **b).count();
    match (&def.field, n_tests, n_comb) {
        (Some(f), 1, 0) => {
            let (r, _) = resolve(f, &format!("{path}.field"), scopes, fields)?;
            let scalar = |v: &Value, at: String| {
                if v.is_array() || v.is_object() {
                    Err(SchemaError::new(
                        "schema_invalid",
                        at,
                        "a condition compares with a string, number, boolean or null (on a list, `equals` means \"contains\")",
                    ))
                } else {
                    Ok(())
                }
            };
            Ok(if let Some(v) = &def.equals {
                scalar(v, format!("{path}.equals"))?;
                Condition::Equals(r, v.clone())
            } else if let Some(vs) = &def.in_ {
                if vs.len() > limits::MAX_CONDITION_VALUES {
                    return Err(SchemaError::new(
                        "schema_limit",
                        format!("{path}.in"),
                        format!("`in` lists at most {} values", limits::MAX_CONDITION_VALUES),
                    ));
                }
                for (i, v) in vs.iter().enumerate() {
                    scalar(v, format!("{path}.in[{i}]"))?;
                }
                Condition::In(r, condition::ValueSet::new(vs.clone()))
            } else if let Some(b) = def.not_empty {
                if b {
                    Condition::NotEmpty(r)
                } else {
                    Condition::Empty(r)
                }
            } else if let Some(b) = def.empty {
                if b {
                    Condition::Empty(r)
                } else {
                    Condition::NotEmpty(r)
                }
            } else {
                Condition::Empty(r)
            })
        }
        (None, 0, 1) => {
            if let Some(all) = &def.all {
                let mut v = Vec::with_capacity(all.len());
                for (i, c) in all.iter().enumerate() {
                    v.push(compile_condition(c, &format!("{path}.all[{i}]"), scopes, fields, nodes)?);
                }
                Ok(Condition::All(v))
            } else if let Some(any) = &def.any {
                let mut v = Vec::with_capacity(any.len());
                for (i, c) in any.iter().enumerate() {
                    v.push(compile_condition(c, &format!("{path}.any[{i}]"), scopes, fields, nodes)?);
                }
                Ok(Condition::Any(v))
            } else if let Some(not) = &def.not {
                Ok(Condition::Not(Box::new(compile_condition(not, &format!("{path}.not"), scopes, fields, nodes)?)))
            } else {
                Err(SchemaError::new("schema_invalid", path, "empty condition"))
            }
        }
        _ => Err(SchemaError::new(
            "schema_invalid",
            path,
            "a condition is `field` with one of `equals`, `in`, `not_empty`, `empty`; or one of `all`, `any`, `not`",
        )),
    }
}
