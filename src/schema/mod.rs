//! Form definitions: compiling the JSON of `docs/definitions.md` into a reusable [`Form`].
//!
//! Compilation checks everything that can be checked without data: the shape of the JSON (with
//! the path of any unknown key or wrong type), names, references between fields, patterns (compiled
//! once, with a size limit), legal bases, deadlines and the limits of `limits.rs`. A compiled form
//! is immutable and can validate any number of documents. Validation itself lives in `validate.rs`.

mod condition;
mod definition;
mod pattern;

use std::collections::{BTreeMap, BTreeSet};

use crate::time::Timestamp;
use regex::Regex;
use serde_json::{Map, Value};

use condition::ValueSet;
pub(crate) use condition::{is_empty, Condition, ListSets, Ref, ScopeFrame};
use definition::{ConditionDef, DefinitionDef, FieldDef, KindName, RuleDef, RuleKindName};

use crate::error::SchemaError;
use crate::ident::IdentifierKind;
use crate::limits;
use crate::messages::{self, Localized};
use crate::time;
use crate::Severity;

/// A compiled form definition: validates data, describes its fields, and is what a payload names.
#[derive(Debug)]
pub struct Form {
    pub(crate) id: String,
    pub(crate) version: String,
    pub(crate) title: Localized,
    pub(crate) description: Option<Localized>,
    pub(crate) bases: BTreeMap<String, Localized>,
    pub(crate) fields: Vec<Field>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) definition: Value,
    /// The definition's digest, computed on first use by `seal::definition_digest` and kept, so a
    /// receiver verifying many payloads against one compiled form hashes the definition once.
    #[cfg(feature = "seal")]
    pub(crate) digest: std::sync::OnceLock<String>,
}

#[derive(Debug)]
pub(crate) struct Field {
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
}

#[derive(Debug)]
pub(crate) struct ChoiceOption {
    pub value: String,
    pub label: Localized,
}

#[derive(Debug)]
pub(crate) enum Kind {
    Text {
        long: bool,
        min_length: Option<u32>,
        max_length: Option<u32>,
        pattern: Option<Pattern>,
    },
    Choice {
        options: Vec<ChoiceOption>,
        /// Each option's value to its position, so a choice is looked up by hash, never scanned.
        positions: std::collections::HashMap<String, usize>,
        multiple: bool,
        min_items: Option<u32>,
        max_items: Option<u32>,
    },
    Boolean,
    Number {
        min: Option<f64>,
        max: Option<f64>,
        integer: bool,
    },
    Date,
    DateTime,
    Identifier(IdentifierKind),
    Attachment {
        media_types: Vec<String>,
        max_size: Option<u64>,
    },
    List {
        item: Box<Field>,
        min_items: Option<u32>,
        max_items: Option<u32>,
        unique: bool,
    },
    Group {
        fields: Vec<Field>,
    },
}

impl Kind {
    /// The definition's name of this kind, for messages and `describe`.
    pub fn name(&self) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed(match self {
            Kind::Text { long: false, .. } => "text",
            Kind::Text { long: true, .. } => "long_text",
            Kind::Choice { .. } => "choice",
            Kind::Boolean => "boolean",
            Kind::Number { .. } => "number",
            Kind::Date => "date",
            Kind::DateTime => "datetime",
            // The definition spells identifier kinds in snake_case, the CLI in kebab-case.
            Kind::Identifier(k) => return std::borrow::Cow::Owned(k.as_str().replace('-', "_")),
            Kind::Attachment { .. } => "attachment",
            Kind::List { .. } => "list",
            Kind::Group { .. } => "group",
        })
    }
}

#[derive(Debug)]
pub(crate) struct Pattern {
    pub regex: Regex,
    pub source: String,
    pub message: Option<Localized>,
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

#[derive(Debug)]
pub(crate) enum RuleKind {
    SameAs {
        field: Ref,
        other: Ref,
    },
    DiffersFrom {
        field: Ref,
        other: Ref,
    },
    NotAfter {
        field: Ref,
        other: Ref,
    },
    NotInFuture {
        field: Ref,
    },
    Certificate {
        type_field: Ref,
        number_field: Ref,
        kinds: BTreeMap<String, Option<IdentifierKind>>,
    },
    SubjectCertificate {
        nature_field: Ref,
        type_field: Ref,
        allowed: BTreeMap<String, Vec<String>>,
        labels: BTreeMap<String, Localized>,
    },
    Deadline {
        due: Due,
        at: Option<Ref>,
        late_basis: Option<String>,
    },
}

#[derive(Debug)]
pub(crate) enum Due {
    /// `within` days or hours after the date or date-time in `field`.
    After { field: Ref, days: Option<u32>, hours: Option<u32> },
    /// A fixed instant. `inclusive`: the instant itself is still in time (`by` a date).
    Fixed { instant: Timestamp, inclusive: bool, date_only: bool, name: Option<String> },
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
        let def: DefinitionDef = serde_path_to_error::deserialize(&value).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            SchemaError::new("schema_shape", path, readable(&e.into_inner().to_string()))
        })?;
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

/// serde's messages name our Rust types (`expected struct FieldDef`); a form's author knows the
/// JSON shapes instead.
fn readable(message: &str) -> String {
    const NAMES: [(&str, &str); 10] = [
        ("struct DefinitionDef", "a form definition object"),
        ("struct FieldDef", "a field object"),
        ("struct RuleDef", "a rule object"),
        ("struct Localized", "an object with \"zh-CN\" and \"en\" texts"),
        ("struct ConditionDef", "a condition object"),
        ("struct OptionDef", "an option object ({ value, label })"),
        ("struct DeadlineDef", "a deadline object ({ by } or { before })"),
        ("struct WithinDef", "an object with days or hours"),
        ("enum KindName", "a field kind"),
        ("enum RuleKindName", "a rule kind"),
    ];
    NAMES.iter().fold(message.to_owned(), |m, (from, to)| m.replace(from, to))
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

/// One level of the scope chain used to resolve field references: the fields of the form, of a
/// group, or of a list item.
type Scope<'a> = &'a [Field];

#[derive(Default)]
struct Compiler {
    field_count: usize,
    bases: BTreeMap<String, Localized>,
    /// The size of the conditions compiled so far ([`limits::MAX_CONDITION_SIZE`]).
    condition_size: std::cell::Cell<usize>,
}

/// Names a field may not have: in JavaScript (the embed's drafts, a portal's objects) they reach
/// `Object.prototype`. `__proto__` is already not a name (it starts with `_`); listed for clarity.
const RESERVED_NAMES: [&str; 3] = ["__proto__", "constructor", "prototype"];

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && s.len() <= 64
}

fn is_form_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
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
        let fields = self.fields(&def.fields, "fields", basis.as_deref(), 0)?;
        // References are resolved once every field exists, so a condition may name a later field.
        let fields = self.resolve_conditions(&def.fields, fields, "fields", &mut Vec::new())?;
        let mut deadlines = BTreeMap::new();
        for (name, d) in &def.deadlines {
            let path = format!("deadlines.{name}");
            if let Some(b) = &d.basis {
                self.basis(&format!("{path}.basis"), b.clone())?;
            }
            let due = fixed_due(d.by.as_deref(), d.before.as_deref(), &path, Some(name.clone()))?;
            deadlines.insert(name.clone(), (due, d.basis.clone()));
        }
        if def.rules.len() > limits::MAX_RULES {
            return Err(SchemaError::new("schema_limit", "rules", format!("at most {} rules", limits::MAX_RULES)));
        }
        let mut rules = Vec::with_capacity(def.rules.len());
        for (i, r) in def.rules.iter().enumerate() {
            rules.push(self.rule(r, &format!("rules[{i}]"), &fields, &deadlines, basis.as_deref())?);
        }
        Ok(Form {
            id: def.id,
            version: def.version,
            title: def.title,
            description: def.description,
            bases: self.bases,
            fields,
            rules,
            definition: value,
            #[cfg(feature = "seal")]
            digest: std::sync::OnceLock::new(),
        })
    }

    fn basis(&self, path: &str, id: String) -> Result<String, SchemaError> {
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

    fn fields(
        &mut self,
        defs: &[FieldDef],
        path: &str,
        basis: Option<&str>,
        depth: usize,
    ) -> Result<Vec<Field>, SchemaError> {
        if depth > limits::MAX_DEFINITION_DEPTH {
            return Err(SchemaError::new(
                "schema_limit",
                path,
                format!("groups and lists nest at most {} deep", limits::MAX_DEFINITION_DEPTH),
            ));
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::with_capacity(defs.len());
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
            out.push(self.field(def, name, &fpath, basis, depth)?);
        }
        Ok(out)
    }

    fn field(
        &mut self,
        def: &FieldDef,
        name: String,
        path: &str,
        basis: Option<&str>,
        depth: usize,
    ) -> Result<Field, SchemaError> {
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
        self.check_keys(def, path)?;
        let kind = self.kind(def, path, basis.as_deref(), depth)?;
        Ok(Field {
            name,
            full_label: label.clone(),
            label,
            help: def.help.clone(),
            placeholder: def.placeholder.clone(),
            basis,
            required: def.required,
            required_if: None,
            forbidden_if: None,
            severity: def.severity.unwrap_or(Severity::Error),
            kind,
        })
    }

    /// Refuses keys that mean nothing for the field's kind, so a typo'd definition is not
    /// silently weaker than its author thinks.
    fn check_keys(&self, def: &FieldDef, path: &str) -> Result<(), SchemaError> {
        use KindName as K;
        let k = def.kind;
        let texty = matches!(k, K::Text | K::LongText);
        let listy = matches!(k, K::List) || (k == K::Choice && def.multiple) || (k == K::Group && def.repeatable);
        let checks: [(&str, bool, bool); 13] = [
            ("min_length", def.min_length.is_some(), texty),
            ("max_length", def.max_length.is_some(), texty),
            ("pattern", def.pattern.is_some(), texty),
            ("pattern_message", def.pattern_message.is_some(), def.pattern.is_some()),
            ("options", def.options.is_some(), k == K::Choice),
            ("multiple", def.multiple, k == K::Choice),
            ("min_items", def.min_items.is_some(), listy),
            ("max_items", def.max_items.is_some(), listy),
            ("unique", def.unique, k == K::List),
            ("min", def.min.is_some(), k == K::Number),
            ("max", def.max.is_some(), k == K::Number),
            ("integer", def.integer, k == K::Number),
            ("item", def.item.is_some(), k == K::List),
        ];
        for (key, present, allowed) in checks {
            if present && !allowed {
                return Err(SchemaError::new(
                    "schema_invalid",
                    format!("{path}.{key}"),
                    format!("`{key}` does not apply to this kind of field"),
                ));
            }
        }
        let more: [(&str, bool, bool); 4] = [
            ("fields", def.fields.is_some(), k == K::Group),
            ("repeatable", def.repeatable, k == K::Group),
            ("media_types", def.media_types.is_some(), k == K::Attachment),
            ("max_size", def.max_size.is_some(), k == K::Attachment),
        ];
        for (key, present, allowed) in more {
            if present && !allowed {
                return Err(SchemaError::new(
                    "schema_invalid",
                    format!("{path}.{key}"),
                    format!("`{key}` does not apply to this kind of field"),
                ));
            }
        }
        if let (Some(a), Some(b)) = (def.min_length, def.max_length) {
            if a > b {
                return Err(SchemaError::new(
                    "schema_invalid",
                    format!("{path}.min_length"),
                    "min_length is larger than max_length",
                ));
            }
        }
        if let (Some(a), Some(b)) = (def.min_items, def.max_items) {
            if a > b {
                return Err(SchemaError::new(
                    "schema_invalid",
                    format!("{path}.min_items"),
                    "min_items is larger than max_items",
                ));
            }
        }
        if let Some(max) = def.max_items {
            if max as usize > limits::MAX_LIST_ITEMS {
                return Err(SchemaError::new(
                    "schema_limit",
                    format!("{path}.max_items"),
                    format!("lists hold at most {} items", limits::MAX_LIST_ITEMS),
                ));
            }
        }
        match (def.min, def.max) {
            (Some(a), _) | (_, Some(a)) if !a.is_finite() => {
                Err(SchemaError::new("schema_invalid", format!("{path}.min"), "min and max are finite numbers"))
            }
            (Some(a), Some(b)) if a > b => {
                Err(SchemaError::new("schema_invalid", format!("{path}.min"), "min is larger than max"))
            }
            _ => Ok(()),
        }
    }

    fn kind(&mut self, def: &FieldDef, path: &str, basis: Option<&str>, depth: usize) -> Result<Kind, SchemaError> {
        use KindName as K;
        Ok(match def.kind {
            K::Text | K::LongText => {
                let pattern = match &def.pattern {
                    Some(p) => Some(compile_pattern(p, def.pattern_message.clone(), &format!("{path}.pattern"))?),
                    None => None,
                };
                Kind::Text {
                    long: def.kind == K::LongText,
                    min_length: def.min_length,
                    max_length: def.max_length,
                    pattern,
                }
            }
            K::Choice => {
                let defs = def.options.as_deref().unwrap_or_default();
                if defs.is_empty() {
                    return Err(SchemaError::new(
                        "schema_invalid",
                        format!("{path}.options"),
                        "a choice needs at least one option",
                    ));
                }
                if defs.len() > limits::MAX_OPTIONS {
                    return Err(SchemaError::new(
                        "schema_limit",
                        format!("{path}.options"),
                        format!("a choice has at most {} options", limits::MAX_OPTIONS),
                    ));
                }
                let mut seen = BTreeSet::new();
                let mut options = Vec::with_capacity(defs.len());
                for (i, o) in defs.iter().enumerate() {
                    if o.value.trim().is_empty() || o.value.trim() != o.value || !seen.insert(o.value.clone()) {
                        return Err(SchemaError::new(
                            "schema_invalid",
                            format!("{path}.options[{i}].value"),
                            "option values are non-empty, unique and untrimmed-free",
                        ));
                    }
                    options.push(ChoiceOption { value: o.value.clone(), label: o.label.clone() });
                }
                let positions = options.iter().enumerate().map(|(i, o)| (o.value.clone(), i)).collect();
                Kind::Choice {
                    options,
                    positions,
                    multiple: def.multiple,
                    min_items: def.min_items,
                    max_items: def.max_items,
                }
            }
            K::Boolean => Kind::Boolean,
            K::Number => Kind::Number { min: def.min, max: def.max, integer: def.integer },
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
            K::Attachment => Kind::Attachment {
                media_types: def
                    .media_types
                    .clone()
                    .unwrap_or_default()
                    .iter()
                    .map(|m| m.trim().to_ascii_lowercase())
                    .collect(),
                max_size: def.max_size,
            },
            K::List => {
                let Some(item) = &def.item else {
                    return Err(SchemaError::new(
                        "schema_invalid",
                        format!("{path}.item"),
                        "a list needs an `item` field",
                    ));
                };
                if item.name.is_some() {
                    return Err(SchemaError::new(
                        "schema_invalid",
                        format!("{path}.item.name"),
                        "a list item has no name",
                    ));
                }
                if item.required_if.is_some() || item.forbidden_if.is_some() {
                    return Err(SchemaError::new(
                        "schema_invalid",
                        format!("{path}.item"),
                        "conditions belong on the list, not its item",
                    ));
                }
                let mut item_field = self.field(item, String::new(), &format!("{path}.item"), basis, depth + 1)?;
                if item_field.label.zh_cn.is_empty() {
                    item_field.label = def.label.clone().unwrap_or_default();
                    item_field.full_label = item_field.label.clone();
                    if let (Kind::Group { fields }, Some(list_label)) = (&mut item_field.kind, &def.label) {
                        qualify(fields, list_label);
                    }
                }
                Kind::List {
                    item: Box::new(item_field),
                    min_items: def.min_items,
                    max_items: def.max_items,
                    unique: def.unique,
                }
            }
            K::Group => {
                let defs = def.fields.as_deref().unwrap_or_default();
                if defs.is_empty() {
                    return Err(SchemaError::new(
                        "schema_invalid",
                        format!("{path}.fields"),
                        "a group needs at least one field",
                    ));
                }
                let mut fields = self.fields(defs, &format!("{path}.fields"), basis, depth + 1)?;
                if let Some(group_label) = &def.label {
                    qualify(&mut fields, group_label);
                }
                let group = Kind::Group { fields };
                if def.repeatable {
                    let item = Field {
                        name: String::new(),
                        full_label: def.label.clone().unwrap_or_default(),
                        label: def.label.clone().unwrap_or_default(),
                        help: None,
                        placeholder: None,
                        basis: basis.map(str::to_owned),
                        required: false,
                        required_if: None,
                        forbidden_if: None,
                        severity: Severity::Error,
                        kind: group,
                    };
                    Kind::List {
                        item: Box::new(item),
                        min_items: def.min_items,
                        max_items: def.max_items,
                        unique: false,
                    }
                } else {
                    group
                }
            }
        })
    }

    /// Second pass over the tree: compiles `required_if` / `forbidden_if` now that every field
    /// they may refer to exists.
    fn resolve_conditions(
        &self,
        defs: &[FieldDef],
        mut fields: Vec<Field>,
        path: &str,
        outer: &mut Vec<Vec<Field>>,
    ) -> Result<Vec<Field>, SchemaError> {
        // Conditions of this level resolve against: this level, then the enclosing levels.
        let mut compiled = Vec::with_capacity(fields.len());
        for (i, def) in defs.iter().enumerate() {
            let fpath = format!("{path}[{i}]");
            let mut req = None;
            let mut forb = None;
            {
                let scopes: Vec<Scope<'_>> =
                    outer.iter().map(Vec::as_slice).chain(std::iter::once(fields.as_slice())).collect();
                if let Some(c) = &def.required_if {
                    req = Some(self.condition(c, &format!("{fpath}.required_if"), &scopes)?);
                }
                if let Some(c) = &def.forbidden_if {
                    forb = Some(self.condition(c, &format!("{fpath}.forbidden_if"), &scopes)?);
                }
            }
            compiled.push((req, forb));
        }
        for (field, (req, forb)) in fields.iter_mut().zip(compiled) {
            field.required_if = req;
            field.forbidden_if = forb;
        }
        // Recurse into groups (same scope chain plus this level) and repeated groups.
        let mut result = Vec::with_capacity(fields.len());
        let taken: Vec<Field> = std::mem::take(&mut fields);
        // Keep a shallow view of this level for lookups while children are resolved: the names
        // and kinds are what resolution needs, so a placeholder copy is cheap enough at compile.
        outer.push(taken.iter().map(shallow_copy).collect());
        for (i, (mut field, def)) in taken.into_iter().zip(defs.iter()).enumerate() {
            let fpath = format!("{path}[{i}]");
            field.kind = match field.kind {
                Kind::Group { fields } => {
                    let inner = def.fields.as_deref().unwrap_or_default();
                    Kind::Group { fields: self.resolve_conditions(inner, fields, &format!("{fpath}.fields"), outer)? }
                }
                Kind::List { mut item, min_items, max_items, unique } => {
                    if let Kind::Group { fields } = item.kind {
                        let inner = match (&def.item, &def.fields) {
                            (Some(it), _) => it.fields.as_deref().unwrap_or_default(),
                            (None, Some(f)) => f.as_slice(),
                            (None, None) => &[],
                        };
                        item.kind = Kind::Group {
                            fields: self.resolve_conditions(inner, fields, &format!("{fpath}.fields"), outer)?,
                        };
                    }
                    Kind::List { item, min_items, max_items, unique }
                }
                other => other,
            };
            result.push(field);
        }
        outer.pop();
        Ok(result)
    }

    /// Compiles one condition and adds its size to the definition's total, refusing what would
    /// pass [`limits::MAX_CONDITION_SIZE`].
    fn condition(&self, def: &ConditionDef, path: &str, scopes: &[Scope<'_>]) -> Result<Condition, SchemaError> {
        let condition = compile_condition(def, path, scopes, &mut 0)?;
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

    fn rule(
        &self,
        def: &RuleDef,
        path: &str,
        root: &[Field],
        deadlines: &BTreeMap<String, (Due, Option<String>)>,
        form_basis: Option<&str>,
    ) -> Result<Rule, SchemaError> {
        let mut scopes: Vec<Scope<'_>> = vec![root];
        let each = match &def.each {
            Some(p) => {
                let (r, field) = resolve(p, &format!("{path}.each"), &scopes)?;
                match &field.kind {
                    Kind::List { item, .. } => match &item.kind {
                        Kind::Group { fields } => scopes.push(fields.as_slice()),
                        _ => {
                            return Err(SchemaError::new(
                                "schema_reference_kind",
                                format!("{path}.each"),
                                "`each` names a list of groups",
                            ))
                        }
                    },
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
        let need = |key: &str, v: &Option<String>| -> Result<(Ref, &Field), SchemaError> {
            match v {
                Some(p) => resolve(p, &format!("{path}.{key}"), &scopes),
                None => {
                    Err(SchemaError::new("schema_invalid", format!("{path}.{key}"), format!("this rule needs `{key}`")))
                }
            }
        };
        let dated = |key: &str, f: &Field| -> Result<(), SchemaError> {
            if matches!(f.kind, Kind::Date | Kind::DateTime) {
                Ok(())
            } else {
                Err(SchemaError::new(
                    "schema_reference_kind",
                    format!("{path}.{key}"),
                    "this rule compares dates: name a date or datetime field",
                ))
            }
        };
        let mut basis = match &def.basis {
            Some(b) => Some(self.basis(&format!("{path}.basis"), b.clone())?),
            None => form_basis.map(str::to_owned),
        };
        let kind = match def.kind {
            RuleKindName::SameAs => {
                RuleKind::SameAs { field: need("field", &def.field)?.0, other: need("other", &def.other)?.0 }
            }
            RuleKindName::DiffersFrom => {
                RuleKind::DiffersFrom { field: need("field", &def.field)?.0, other: need("other", &def.other)?.0 }
            }
            RuleKindName::NotAfter => {
                let (field, f) = need("field", &def.field)?;
                dated("field", f)?;
                let (other, o) = need("other", &def.other)?;
                dated("other", o)?;
                RuleKind::NotAfter { field, other }
            }
            RuleKindName::NotInFuture => {
                let (field, f) = need("field", &def.field)?;
                dated("field", f)?;
                RuleKind::NotInFuture { field }
            }
            RuleKindName::Certificate => {
                let (type_field, _) = need("type_field", &def.type_field)?;
                let (number_field, _) = need("number_field", &def.number_field)?;
                let mut kinds = BTreeMap::new();
                for (t, k) in def.kinds.clone().unwrap_or_default() {
                    let kind = match k {
                        Some(name) => Some(IdentifierKind::parse(&name).ok_or_else(|| {
                            SchemaError::new(
                                "schema_invalid",
                                format!("{path}.kinds.{t}"),
                                format!("unknown identifier kind {name:?}"),
                            )
                        })?),
                        None => None,
                    };
                    kinds.insert(t, kind);
                }
                if kinds.is_empty() {
                    return Err(SchemaError::new(
                        "schema_invalid",
                        format!("{path}.kinds"),
                        "name the identifier kind of each certificate type",
                    ));
                }
                RuleKind::Certificate { type_field, number_field, kinds }
            }
            RuleKindName::SubjectCertificate => {
                let (nature_field, nf) = need("nature_field", &def.nature_field)?;
                let (type_field, tf) = need("type_field", &def.type_field)?;
                let mut labels = BTreeMap::new();
                for f in [nf, tf] {
                    if let Kind::Choice { options, .. } = &f.kind {
                        for o in options {
                            labels.insert(o.value.clone(), o.label.clone());
                        }
                    }
                }
                let allowed = def.allowed.clone().unwrap_or_default();
                if allowed.is_empty() {
                    return Err(SchemaError::new(
                        "schema_invalid",
                        format!("{path}.allowed"),
                        "list the certificate types allowed for each subject nature",
                    ));
                }
                RuleKind::SubjectCertificate { nature_field, type_field, allowed, labels }
            }
            RuleKindName::Deadline => {
                let at = match &def.at {
                    Some(_) => {
                        let (r, f) = need("at", &def.at)?;
                        dated("at", f)?;
                        Some(r)
                    }
                    None => None,
                };
                let due = match (&def.after, &def.deadline, def.by.is_some() || def.before.is_some()) {
                    (Some(_), None, false) => {
                        let (field, f) = need("after", &def.after)?;
                        dated("after", f)?;
                        let within = def.within.clone().ok_or_else(|| {
                            SchemaError::new(
                                "schema_invalid",
                                format!("{path}.within"),
                                "a relative deadline needs `within`",
                            )
                        })?;
                        match (within.days, within.hours) {
                            (Some(_), None) | (None, Some(_)) => {}
                            _ => {
                                return Err(SchemaError::new(
                                    "schema_invalid",
                                    format!("{path}.within"),
                                    "`within` has either `days` or `hours`",
                                ))
                            }
                        }
                        Due::After { field, days: within.days, hours: within.hours }
                    }
                    (None, Some(name), false) => {
                        let (due, dbasis) = deadlines.get(name).ok_or_else(|| {
                            SchemaError::new(
                                "schema_unknown_deadline",
                                format!("{path}.deadline"),
                                format!("the form has no deadline named {name:?}"),
                            )
                        })?;
                        if def.basis.is_none() {
                            if let Some(b) = dbasis {
                                basis = Some(b.clone());
                            }
                        }
                        match due {
                            Due::Fixed { instant, inclusive, date_only, name } => Due::Fixed {
                                instant: *instant,
                                inclusive: *inclusive,
                                date_only: *date_only,
                                name: name.clone(),
                            },
                            Due::After { .. } => {
                                return Err(SchemaError::new(
                                    "schema_invalid",
                                    format!("{path}.deadline"),
                                    "named deadlines are fixed dates",
                                ))
                            }
                        }
                    }
                    (None, None, true) => fixed_due(def.by.as_deref(), def.before.as_deref(), path, None)?,
                    _ => {
                        return Err(SchemaError::new(
                            "schema_invalid",
                            path,
                            "a deadline has exactly one of `after`+`within`, `deadline`, `by` or `before`",
                        ))
                    }
                };
                let late_basis = match &def.late_basis {
                    Some(b) => Some(self.basis(&format!("{path}.late_basis"), b.clone())?),
                    None => None,
                };
                RuleKind::Deadline { due, at, late_basis }
            }
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

/// Prefixes the labels of a group's fields (and theirs, recursively) with the group's label,
/// unless a label already names the group.
fn qualify(fields: &mut [Field], group: &Localized) {
    fn join(group: &str, label: &str, sep: &str) -> String {
        if group.is_empty() || label.contains(group) {
            label.to_owned()
        } else {
            format!("{group}{sep}{label}")
        }
    }
    for f in fields.iter_mut() {
        f.full_label = Localized {
            zh_cn: join(&group.zh_cn, &f.full_label.zh_cn, "·"),
            en: join(&group.en, &f.full_label.en, ": "),
        };
        match &mut f.kind {
            Kind::Group { fields } => qualify(fields, group),
            Kind::List { item, .. } => {
                if let Kind::Group { fields } = &mut item.kind {
                    qualify(fields, group);
                }
            }
            _ => {}
        }
    }
}

fn shallow_copy(f: &Field) -> Field {
    Field {
        name: f.name.clone(),
        full_label: f.full_label.clone(),
        label: f.label.clone(),
        help: None,
        placeholder: None,
        basis: None,
        required: false,
        required_if: None,
        forbidden_if: None,
        severity: f.severity,
        kind: match &f.kind {
            Kind::Group { fields } => Kind::Group { fields: fields.iter().map(shallow_copy).collect() },
            Kind::List { item, min_items, max_items, unique } => Kind::List {
                item: Box::new(shallow_copy(item)),
                min_items: *min_items,
                max_items: *max_items,
                unique: *unique,
            },
            Kind::Date => Kind::Date,
            Kind::DateTime => Kind::DateTime,
            _ => Kind::Boolean,
        },
    }
}

fn fixed_due(by: Option<&str>, before: Option<&str>, path: &str, name: Option<String>) -> Result<Due, SchemaError> {
    match (by, before) {
        (Some(by), None) => {
            let date = time::parse_date(by).ok_or_else(|| {
                SchemaError::new("schema_invalid", format!("{path}.by"), format!("{by:?} is not a date (YYYY-MM-DD)"))
            })?;
            let instant = time::end_of_day(date)
                .ok_or_else(|| SchemaError::new("schema_invalid", format!("{path}.by"), "date out of range"))?;
            Ok(Due::Fixed { instant, inclusive: true, date_only: true, name })
        }
        (None, Some(before)) => {
            let instant = before.parse::<Timestamp>().map_err(|_| {
                SchemaError::new(
                    "schema_invalid",
                    format!("{path}.before"),
                    format!("{before:?} is not an RFC 3339 date-time with an offset"),
                )
            })?;
            Ok(Due::Fixed { instant, inclusive: false, date_only: false, name })
        }
        _ => Err(SchemaError::new(
            "schema_invalid",
            path.to_owned(),
            "a fixed deadline has exactly one of `by` (a date) or `before` (a date-time)",
        )),
    }
}

fn compile_pattern(source: &str, message: Option<Localized>, path: &str) -> Result<Pattern, SchemaError> {
    if source.len() > limits::MAX_PATTERN_BYTES {
        return Err(SchemaError::new(
            "schema_limit",
            path,
            format!("a pattern is at most {} bytes", limits::MAX_PATTERN_BYTES),
        ));
    }
    let regex = pattern::compile(source).map_err(|e| SchemaError::new("schema_bad_pattern", path, e))?;
    Ok(Pattern { regex, source: source.to_owned(), message })
}

/// Resolves a dotted reference against a scope chain (outermost first), innermost scope first.
fn resolve<'a>(reference: &str, path: &str, scopes: &[Scope<'a>]) -> Result<(Ref, &'a Field), SchemaError> {
    let segments: Vec<&str> = reference.split('.').collect();
    let first = segments.first().copied().unwrap_or_default();
    for (up, scope) in scopes.iter().rev().enumerate() {
        let Some(mut field) = scope.iter().find(|f| f.name == first) else { continue };
        for seg in segments.iter().skip(1) {
            match &field.kind {
                Kind::Group { fields } => {
                    field = fields.iter().find(|f| f.name == *seg).ok_or_else(|| {
                        SchemaError::new("schema_unknown_reference", path, format!("no field {reference:?}"))
                    })?;
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
        return Ok((
            Ref { up, path: segments.iter().map(|s| (*s).to_owned()).collect(), label: field.full_label.clone() },
            field,
        ));
    }
    Err(SchemaError::new("schema_unknown_reference", path, format!("no field {reference:?}")))
}

/// Compiles a condition; `nodes` counts its nodes so far ([`limits::MAX_CONDITION_NODES`]).
fn compile_condition(
    def: &ConditionDef,
    path: &str,
    scopes: &[Scope<'_>],
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
            let (r, _) = resolve(f, &format!("{path}.field"), scopes)?;
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
                Condition::In(r, ValueSet::new(vs.clone()))
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
                    v.push(compile_condition(c, &format!("{path}.all[{i}]"), scopes, nodes)?);
                }
                Ok(Condition::All(v))
            } else if let Some(any) = &def.any {
                let mut v = Vec::with_capacity(any.len());
                for (i, c) in any.iter().enumerate() {
                    v.push(compile_condition(c, &format!("{path}.any[{i}]"), scopes, nodes)?);
                }
                Ok(Condition::Any(v))
            } else if let Some(not) = &def.not {
                Ok(Condition::Not(Box::new(compile_condition(not, &format!("{path}.not"), scopes, nodes)?)))
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
