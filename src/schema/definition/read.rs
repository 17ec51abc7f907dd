//! Reading a definition's JSON into the raw types of `definition.rs`, by hand, with the JSON path
//! of the first problem (`fields[3].kind`).
//!
//! This replaces serde's derived deserializers driven through `serde_path_to_error` (about 50 KB
//! of wasm, issue 15) and keeps what a definition's author saw from them: an unknown key, a wrong
//! type, a missing key, a number out of range or an unknown kind name is a `schema_shape` error at
//! the same path, members are read in the object's order (so the same problem is reported first),
//! and a key given as `null` means the key is absent wherever serde's `Option` said so. The
//! messages name JSON shapes ("a field object"), never Rust types. Stricter than serde in two
//! shapes only: serde also read an object from an array of its members in declaration order, and
//! a kind from `{ "text": null }`; both are refused here.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{
    ConditionDef, DeadlineDef, DefinitionDef, FieldDef, KindName, OptionDef, RuleDef, RuleKindName, WithinDef,
};
use crate::error::SchemaError;
use crate::messages::Localized;
use crate::Severity;

/// Where a value is in the definition: a chain of steps back to the root, on the stack of the
/// readers, rendered only when there is an error.
#[derive(Clone, Copy)]
enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl<'a> At<'a> {
    fn key(&'a self, key: &'a str) -> At<'a> {
        At::Key(self, key)
    }

    fn index(&'a self, index: usize) -> At<'a> {
        At::Index(self, index)
    }

    /// `fields[0].label.en`; empty for the whole definition.
    fn path(&self) -> String {
        let mut steps = Vec::new();
        let mut at = self;
        loop {
            match at {
                At::Root => break,
                At::Key(parent, _) | At::Index(parent, _) => {
                    steps.push(at);
                    at = parent;
                }
            }
        }
        let mut out = String::new();
        for (i, step) in steps.iter().rev().enumerate() {
            match step {
                At::Key(_, key) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                At::Index(_, index) => {
                    out.push('[');
                    out.push_str(&index.to_string());
                    out.push(']');
                }
                At::Root => {}
            }
        }
        out
    }
}

type Read<T> = Result<T, SchemaError>;

fn shape_error(at: &At<'_>, message: String) -> SchemaError {
    SchemaError::new("schema_shape", at.path(), message)
}

/// At most 40 characters of an author's text, for a message.
fn quoted(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    format!("{short:?}")
}

/// The JSON shape of a value, for "expected …, found …".
fn found(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", quoted(s)),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

fn expected(at: &At<'_>, what: &str, value: &Value) -> SchemaError {
    shape_error(at, format!("expected {what}, found {}", found(value)))
}

/// An object shape of a definition: what its author calls it, and the keys it may have.
struct Shape {
    name: &'static str,
    keys: &'static [&'static str],
}

fn object<'v>(value: &'v Value, at: &At<'_>, shape: &Shape) -> Read<&'v Map<String, Value>> {
    value.as_object().ok_or_else(|| expected(at, shape.name, value))
}

/// `at` is the unknown member's own path.
fn unknown_key(at: &At<'_>, key: &str, shape: &Shape) -> SchemaError {
    shape_error(at, format!("unknown key {} in {}; its keys are {}", quoted(key), shape.name, shape.keys.join(", ")))
}

/// A required member; `at` is the object's path.
fn need<T>(value: Option<T>, at: &At<'_>, key: &str, shape: &Shape) -> Read<T> {
    value.ok_or_else(|| shape_error(at, format!("{} needs the key {key:?}", shape.name)))
}

/// An optional member: `null` is the same as leaving the key out.
fn opt<T>(value: &Value, at: &At<'_>, read: impl Fn(&Value, &At<'_>) -> Read<T>) -> Read<Option<T>> {
    if value.is_null() {
        Ok(None)
    } else {
        read(value, at).map(Some)
    }
}

fn string(value: &Value, at: &At<'_>) -> Read<String> {
    value.as_str().map(str::to_owned).ok_or_else(|| expected(at, "a string", value))
}

fn boolean(value: &Value, at: &At<'_>) -> Read<bool> {
    value.as_bool().ok_or_else(|| expected(at, "true or false", value))
}

fn uint32(value: &Value, at: &At<'_>) -> Read<u32> {
    value
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| expected(at, "a whole number from 0 to 4294967295", value))
}

fn uint64(value: &Value, at: &At<'_>) -> Read<u64> {
    value.as_u64().ok_or_else(|| expected(at, "a whole number from 0 to 18446744073709551615", value))
}

fn number(value: &Value, at: &At<'_>) -> Read<f64> {
    value.as_f64().ok_or_else(|| expected(at, "a number", value))
}

/// Any JSON value (condition operands).
fn any(value: &Value, _at: &At<'_>) -> Read<Value> {
    Ok(value.clone())
}

fn array<T>(value: &Value, at: &At<'_>, read: impl Fn(&Value, &At<'_>) -> Read<T>) -> Read<Vec<T>> {
    let items = value.as_array().ok_or_else(|| expected(at, "an array", value))?;
    items.iter().enumerate().map(|(i, item)| read(item, &at.index(i))).collect()
}

/// An object used as a map from names (legal bases, deadlines) to values.
fn map<T>(value: &Value, at: &At<'_>, read: impl Fn(&Value, &At<'_>) -> Read<T>) -> Read<BTreeMap<String, T>> {
    let members = value.as_object().ok_or_else(|| expected(at, "an object", value))?;
    members.iter().map(|(key, item)| Ok((key.clone(), read(item, &at.key(key))?))).collect()
}

/// One of a fixed set of names (a field kind, a rule kind, a severity).
fn name<T: Copy>(value: &Value, at: &At<'_>, what: &str, names: &[(&str, T)]) -> Read<T> {
    let text = value.as_str().ok_or_else(|| expected(at, what, value))?;
    names.iter().find(|(n, _)| *n == text).map(|(_, v)| *v).ok_or_else(|| {
        let all: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
        shape_error(at, format!("unknown {what} {}; expected one of {}", quoted(text), all.join(", ")))
    })
}

const KINDS: [(&str, KindName); 21] = [
    ("text", KindName::Text),
    ("long_text", KindName::LongText),
    ("choice", KindName::Choice),
    ("boolean", KindName::Boolean),
    ("number", KindName::Number),
    ("date", KindName::Date),
    ("datetime", KindName::Datetime),
    ("list", KindName::List),
    ("group", KindName::Group),
    ("email", KindName::Email),
    ("url", KindName::Url),
    ("phone", KindName::Phone),
    ("mobile", KindName::Mobile),
    ("ip", KindName::Ip),
    ("domain", KindName::Domain),
    ("uscc", KindName::Uscc),
    ("org_code", KindName::OrgCode),
    ("resident_id", KindName::ResidentId),
    ("psb_filing_number", KindName::PsbFilingNumber),
    ("icp_number", KindName::IcpNumber),
    ("attachment", KindName::Attachment),
];

const RULE_KINDS: [(&str, RuleKindName); 7] = [
    ("same_as", RuleKindName::SameAs),
    ("differs_from", RuleKindName::DiffersFrom),
    ("not_after", RuleKindName::NotAfter),
    ("not_in_future", RuleKindName::NotInFuture),
    ("certificate", RuleKindName::Certificate),
    ("subject_certificate", RuleKindName::SubjectCertificate),
    ("deadline", RuleKindName::Deadline),
];

/// As `Severity`'s serde names (`finding.rs`).
const SEVERITIES: [(&str, Severity); 3] =
    [("info", Severity::Info), ("warning", Severity::Warning), ("error", Severity::Error)];

fn kind(value: &Value, at: &At<'_>) -> Read<KindName> {
    name(value, at, "field kind", &KINDS)
}

fn rule_kind(value: &Value, at: &At<'_>) -> Read<RuleKindName> {
    name(value, at, "rule kind", &RULE_KINDS)
}

fn severity(value: &Value, at: &At<'_>) -> Read<Severity> {
    name(value, at, "severity", &SEVERITIES)
}

const LOCALIZED: Shape = Shape { name: "an object with \"zh-CN\" and \"en\" texts", keys: &["zh-CN", "en"] };

/// As `Localized`'s serde attributes: both texts required, nothing else.
fn localized(value: &Value, at: &At<'_>) -> Read<Localized> {
    let (mut zh_cn, mut en) = (None, None);
    for (key, member) in object(value, at, &LOCALIZED)? {
        let at = at.key(key);
        match key.as_str() {
            "zh-CN" => zh_cn = Some(string(member, &at)?),
            "en" => en = Some(string(member, &at)?),
            _ => return Err(unknown_key(&at, key, &LOCALIZED)),
        }
    }
    Ok(Localized { zh_cn: need(zh_cn, at, "zh-CN", &LOCALIZED)?, en: need(en, at, "en", &LOCALIZED)? })
}

const DEFINITION: Shape = Shape {
    name: "a form definition object",
    keys: &["id", "version", "title", "description", "basis", "bases", "deadlines", "fields", "rules"],
};

impl DefinitionDef {
    /// Reads a definition (after deadline overrides) into its raw shape; a `schema_shape` error
    /// names the JSON path of the first member that does not fit.
    pub(crate) fn read(value: &Value) -> Result<DefinitionDef, SchemaError> {
        let at = &At::Root;
        let (mut id, mut version, mut title, mut description, mut basis) = (None, None, None, None, None);
        let (mut bases, mut deadlines, mut fields, mut rules) = (BTreeMap::new(), BTreeMap::new(), None, Vec::new());
        for (key, member) in object(value, at, &DEFINITION)? {
            let at = at.key(key);
            match key.as_str() {
                "id" => id = Some(string(member, &at)?),
                "version" => version = Some(string(member, &at)?),
                "title" => title = Some(localized(member, &at)?),
                "description" => description = opt(member, &at, localized)?,
                "basis" => basis = opt(member, &at, string)?,
                "bases" => bases = map(member, &at, localized)?,
                "deadlines" => deadlines = map(member, &at, deadline)?,
                "fields" => fields = Some(array(member, &at, field)?),
                "rules" => rules = array(member, &at, rule)?,
                _ => return Err(unknown_key(&at, key, &DEFINITION)),
            }
        }
        Ok(DefinitionDef {
            id: need(id, at, "id", &DEFINITION)?,
            version: need(version, at, "version", &DEFINITION)?,
            title: need(title, at, "title", &DEFINITION)?,
            description,
            basis,
            bases,
            deadlines,
            fields: need(fields, at, "fields", &DEFINITION)?,
            rules,
        })
    }
}

const DEADLINE: Shape = Shape { name: "a deadline object ({ by } or { before })", keys: &["by", "before", "basis"] };

fn deadline(value: &Value, at: &At<'_>) -> Read<DeadlineDef> {
    let mut def = DeadlineDef { by: None, before: None, basis: None };
    for (key, member) in object(value, at, &DEADLINE)? {
        let at = at.key(key);
        match key.as_str() {
            "by" => def.by = opt(member, &at, string)?,
            "before" => def.before = opt(member, &at, string)?,
            "basis" => def.basis = opt(member, &at, string)?,
            _ => return Err(unknown_key(&at, key, &DEADLINE)),
        }
    }
    Ok(def)
}

const FIELD: Shape = Shape {
    name: "a field object",
    keys: &[
        "name",
        "kind",
        "label",
        "help",
        "placeholder",
        "basis",
        "required",
        "required_if",
        "forbidden_if",
        "severity",
        "min_length",
        "max_length",
        "pattern",
        "pattern_message",
        "options",
        "multiple",
        "min_items",
        "max_items",
        "unique",
        "min",
        "max",
        "integer",
        "item",
        "fields",
        "repeatable",
        "media_types",
        "max_size",
    ],
};

fn field(value: &Value, at: &At<'_>) -> Read<FieldDef> {
    let mut kind_name = None;
    let mut def = FieldDef {
        name: None,
        kind: KindName::Text, // replaced below: `kind` is required
        label: None,
        help: None,
        placeholder: None,
        basis: None,
        required: false,
        required_if: None,
        forbidden_if: None,
        severity: None,
        min_length: None,
        max_length: None,
        pattern: None,
        pattern_message: None,
        options: None,
        multiple: false,
        min_items: None,
        max_items: None,
        unique: false,
        min: None,
        max: None,
        integer: false,
        item: None,
        fields: None,
        repeatable: false,
        media_types: None,
        max_size: None,
    };
    for (key, member) in object(value, at, &FIELD)? {
        let at = at.key(key);
        match key.as_str() {
            "name" => def.name = opt(member, &at, string)?,
            "kind" => kind_name = Some(kind(member, &at)?),
            "label" => def.label = opt(member, &at, localized)?,
            "help" => def.help = opt(member, &at, localized)?,
            "placeholder" => def.placeholder = opt(member, &at, localized)?,
            "basis" => def.basis = opt(member, &at, string)?,
            "required" => def.required = boolean(member, &at)?,
            "required_if" => def.required_if = opt(member, &at, condition)?,
            "forbidden_if" => def.forbidden_if = opt(member, &at, condition)?,
            "severity" => def.severity = opt(member, &at, severity)?,
            "min_length" => def.min_length = opt(member, &at, uint32)?,
            "max_length" => def.max_length = opt(member, &at, uint32)?,
            "pattern" => def.pattern = opt(member, &at, string)?,
            "pattern_message" => def.pattern_message = opt(member, &at, localized)?,
            "options" => def.options = opt(member, &at, |v, at| array(v, at, option))?,
            "multiple" => def.multiple = boolean(member, &at)?,
            "min_items" => def.min_items = opt(member, &at, uint32)?,
            "max_items" => def.max_items = opt(member, &at, uint32)?,
            "unique" => def.unique = boolean(member, &at)?,
            "min" => def.min = opt(member, &at, number)?,
            "max" => def.max = opt(member, &at, number)?,
            "integer" => def.integer = boolean(member, &at)?,
            "item" => def.item = opt(member, &at, |v, at| field(v, at).map(Box::new))?,
            "fields" => def.fields = opt(member, &at, |v, at| array(v, at, field))?,
            "repeatable" => def.repeatable = boolean(member, &at)?,
            "media_types" => def.media_types = opt(member, &at, |v, at| array(v, at, string))?,
            "max_size" => def.max_size = opt(member, &at, uint64)?,
            _ => return Err(unknown_key(&at, key, &FIELD)),
        }
    }
    def.kind = need(kind_name, at, "kind", &FIELD)?;
    Ok(def)
}

const OPTION: Shape = Shape { name: "an option object ({ value, label })", keys: &["value", "label"] };

fn option(value: &Value, at: &At<'_>) -> Read<OptionDef> {
    let (mut option_value, mut label) = (None, None);
    for (key, member) in object(value, at, &OPTION)? {
        let at = at.key(key);
        match key.as_str() {
            "value" => option_value = Some(string(member, &at)?),
            "label" => label = Some(localized(member, &at)?),
            _ => return Err(unknown_key(&at, key, &OPTION)),
        }
    }
    Ok(OptionDef { value: need(option_value, at, "value", &OPTION)?, label: need(label, at, "label", &OPTION)? })
}

const CONDITION: Shape =
    Shape { name: "a condition object", keys: &["field", "equals", "in", "not_empty", "empty", "all", "any", "not"] };

fn condition(value: &Value, at: &At<'_>) -> Read<ConditionDef> {
    let mut def = ConditionDef {
        field: None,
        equals: None,
        in_: None,
        not_empty: None,
        empty: None,
        all: None,
        any: None,
        not: None,
    };
    for (key, member) in object(value, at, &CONDITION)? {
        let at = at.key(key);
        match key.as_str() {
            "field" => def.field = opt(member, &at, string)?,
            "equals" => def.equals = opt(member, &at, any)?,
            "in" => def.in_ = opt(member, &at, |v, at| array(v, at, any))?,
            "not_empty" => def.not_empty = opt(member, &at, boolean)?,
            "empty" => def.empty = opt(member, &at, boolean)?,
            "all" => def.all = opt(member, &at, |v, at| array(v, at, condition))?,
            "any" => def.any = opt(member, &at, |v, at| array(v, at, condition))?,
            "not" => def.not = opt(member, &at, |v, at| condition(v, at).map(Box::new))?,
            _ => return Err(unknown_key(&at, key, &CONDITION)),
        }
    }
    Ok(def)
}

const WITHIN: Shape = Shape { name: "an object with days or hours", keys: &["days", "hours"] };

fn within(value: &Value, at: &At<'_>) -> Read<WithinDef> {
    let mut def = WithinDef { days: None, hours: None };
    for (key, member) in object(value, at, &WITHIN)? {
        let at = at.key(key);
        match key.as_str() {
            "days" => def.days = opt(member, &at, uint32)?,
            "hours" => def.hours = opt(member, &at, uint32)?,
            _ => return Err(unknown_key(&at, key, &WITHIN)),
        }
    }
    Ok(def)
}

const RULE: Shape = Shape {
    name: "a rule object",
    keys: &[
        "kind",
        "id",
        "severity",
        "basis",
        "late_basis",
        "when",
        "each",
        "field",
        "other",
        "type_field",
        "number_field",
        "nature_field",
        "kinds",
        "allowed",
        "after",
        "within",
        "at",
        "deadline",
        "by",
        "before",
        "message",
    ],
};

fn rule(value: &Value, at: &At<'_>) -> Read<RuleDef> {
    let mut kind_name = None;
    let mut def = RuleDef {
        kind: RuleKindName::SameAs, // replaced below: `kind` is required
        id: None,
        severity: None,
        basis: None,
        late_basis: None,
        when: None,
        each: None,
        field: None,
        other: None,
        type_field: None,
        number_field: None,
        nature_field: None,
        kinds: None,
        allowed: None,
        after: None,
        within: None,
        at: None,
        deadline: None,
        by: None,
        before: None,
        message: None,
    };
    for (key, member) in object(value, at, &RULE)? {
        let at = at.key(key);
        match key.as_str() {
            "kind" => kind_name = Some(rule_kind(member, &at)?),
            "id" => def.id = opt(member, &at, string)?,
            "severity" => def.severity = opt(member, &at, severity)?,
            "basis" => def.basis = opt(member, &at, string)?,
            "late_basis" => def.late_basis = opt(member, &at, string)?,
            "when" => def.when = opt(member, &at, condition)?,
            "each" => def.each = opt(member, &at, string)?,
            "field" => def.field = opt(member, &at, string)?,
            "other" => def.other = opt(member, &at, string)?,
            "type_field" => def.type_field = opt(member, &at, string)?,
            "number_field" => def.number_field = opt(member, &at, string)?,
            "nature_field" => def.nature_field = opt(member, &at, string)?,
            "kinds" => def.kinds = opt(member, &at, |v, at| map(v, at, |v, at| opt(v, at, string)))?,
            "allowed" => def.allowed = opt(member, &at, |v, at| map(v, at, |v, at| array(v, at, string)))?,
            "after" => def.after = opt(member, &at, string)?,
            "within" => def.within = opt(member, &at, within)?,
            "at" => def.at = opt(member, &at, string)?,
            "deadline" => def.deadline = opt(member, &at, string)?,
            "by" => def.by = opt(member, &at, string)?,
            "before" => def.before = opt(member, &at, string)?,
            "message" => def.message = opt(member, &at, localized)?,
            _ => return Err(unknown_key(&at, key, &RULE)),
        }
    }
    def.kind = need(kind_name, at, "kind", &RULE)?;
    Ok(def)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    type Reader = fn(&Value, &At<'_>) -> Read<()>;

    /// The keys an unknown-key message lists are the keys each reader reads.
    #[test]
    fn every_key_a_shape_lists_is_read() {
        let readers: [(&Shape, Reader); 8] = [
            (&DEFINITION, |v, _| DefinitionDef::read(v).map(drop)),
            (&LOCALIZED, |v, at| localized(v, at).map(drop)),
            (&DEADLINE, |v, at| deadline(v, at).map(drop)),
            (&FIELD, |v, at| field(v, at).map(drop)),
            (&OPTION, |v, at| option(v, at).map(drop)),
            (&CONDITION, |v, at| condition(v, at).map(drop)),
            (&WITHIN, |v, at| within(v, at).map(drop)),
            (&RULE, |v, at| rule(v, at).map(drop)),
        ];
        for (shape, read) in readers {
            for key in shape.keys {
                let mut members = Map::new();
                members.insert((*key).to_owned(), json!({ "\u{1}": 0 }));
                let unknown = read(&Value::Object(members), &At::Root)
                    .is_err_and(|e| e.path() == *key && e.message().starts_with("unknown key"));
                assert!(!unknown, "{}: {key}", shape.name);
            }
            let err = read(&json!({ "zz": 0 }), &At::Root).expect_err(shape.name);
            assert_eq!(err.path(), "zz");
            assert!(err.message().ends_with(&shape.keys.join(", ")), "{}", err.message());
        }
    }

    #[test]
    fn paths_are_written_as_serde_path_to_error_wrote_them() {
        let root = At::Root;
        assert_eq!(root.path(), "");
        let (fields, bases) = (root.key("fields"), root.key("bases"));
        let (item, basis) = (fields.index(3), bases.key("local.rule1"));
        let (condition, en) = (item.key("required_if"), basis.key("en"));
        let list = condition.key("any");
        let any = list.index(1);
        assert_eq!(fields.index(3).path(), "fields[3]");
        assert_eq!(any.path(), "fields[3].required_if.any[1]");
        assert_eq!(any.key("field").path(), "fields[3].required_if.any[1].field");
        assert_eq!(en.path(), "bases.local.rule1.en");
        assert_eq!(root.key("").path(), "");
        assert_eq!(bases.key("").key("en").path(), "bases..en");
    }

    #[test]
    fn null_is_an_absent_key_where_serde_said_so() {
        let def = json!({ "id": "t", "version": "1", "title": { "zh-CN": "表", "en": "Form" }, "description": null,
            "fields": [{ "kind": "text", "name": null, "label": null, "severity": null, "max_length": null }],
            "rules": [{ "kind": "certificate", "kinds": { "uscc": "uscc", "other": null }, "when": { "equals": null, "in": [null] } }] });
        let read = DefinitionDef::read(&def).expect("reads");
        assert!(read.description.is_none());
        let field = read.fields.first().expect("a field");
        assert!(
            field.name.is_none() && field.label.is_none() && field.severity.is_none() && field.max_length.is_none()
        );
        let rule = read.rules.first().expect("a rule");
        let kinds = rule.kinds.as_ref().expect("kinds");
        assert_eq!((kinds.get("uscc"), kinds.get("other")), (Some(&Some("uscc".to_owned())), Some(&None)));
        let when = rule.when.as_ref().expect("when");
        assert!(when.equals.is_none());
        assert_eq!(when.in_.as_deref(), Some(&[Value::Null][..]));
        // A flag is never optional: `null` is not `false`.
        let flag = json!({ "id": "t", "version": "1", "title": { "zh-CN": "表", "en": "Form" },
            "fields": [{ "kind": "text", "required": null }] });
        let err = DefinitionDef::read(&flag).expect_err("null flag");
        assert_eq!((err.code(), err.path()), ("schema_shape", "fields[0].required"));
    }
}
