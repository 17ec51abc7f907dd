//! The raw shape of a form definition, exactly as written in JSON (see `docs/definitions.md`).
//!
//! These types only mirror the JSON; `schema::compile` checks what they mean (references, kinds,
//! patterns, limits) and turns them into the compiled form.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::messages::Localized;

mod read;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DefinitionDef {
    pub id: String,
    pub version: String,
    pub title: Localized,
    #[serde(default)]
    pub description: Option<Localized>,
    #[serde(default)]
    pub basis: Option<String>,
    #[serde(default)]
    pub bases: BTreeMap<String, Localized>,
    #[serde(default)]
    pub deadlines: BTreeMap<String, DeadlineDef>,
    pub fields: Vec<FieldDef>,
    #[serde(default)]
    pub rules: Vec<RuleDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeadlineDef {
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default)]
    pub basis: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum KindName {
    Text,
    LongText,
    Choice,
    Boolean,
    Number,
    Date,
    Datetime,
    List,
    Group,
    Email,
    Url,
    Phone,
    Mobile,
    Ip,
    Domain,
    Uscc,
    OrgCode,
    ResidentId,
    PsbFilingNumber,
    IcpNumber,
    Attachment,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FieldDef {
    #[serde(default)]
    pub name: Option<String>,
    pub kind: KindName,
    #[serde(default)]
    pub label: Option<Localized>,
    #[serde(default)]
    pub help: Option<Localized>,
    #[serde(default)]
    pub placeholder: Option<Localized>,
    #[serde(default)]
    pub basis: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub required_if: Option<ConditionDef>,
    #[serde(default)]
    pub forbidden_if: Option<ConditionDef>,
    #[serde(default)]
    pub severity: Option<crate::Severity>,
    #[serde(default)]
    pub min_length: Option<u32>,
    #[serde(default)]
    pub max_length: Option<u32>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub pattern_message: Option<Localized>,
    #[serde(default)]
    pub options: Option<Vec<OptionDef>>,
    #[serde(default)]
    pub multiple: bool,
    #[serde(default)]
    pub min_items: Option<u32>,
    #[serde(default)]
    pub max_items: Option<u32>,
    #[serde(default)]
    pub unique: bool,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub integer: bool,
    #[serde(default)]
    pub item: Option<Box<FieldDef>>,
    #[serde(default)]
    pub fields: Option<Vec<FieldDef>>,
    #[serde(default)]
    pub repeatable: bool,
    #[serde(default)]
    pub media_types: Option<Vec<String>>,
    #[serde(default)]
    pub max_size: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OptionDef {
    pub value: String,
    pub label: Localized,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConditionDef {
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub equals: Option<Value>,
    #[serde(default, rename = "in")]
    pub in_: Option<Vec<Value>>,
    #[serde(default)]
    pub not_empty: Option<bool>,
    #[serde(default)]
    pub empty: Option<bool>,
    #[serde(default)]
    pub all: Option<Vec<ConditionDef>>,
    #[serde(default)]
    pub any: Option<Vec<ConditionDef>>,
    #[serde(default)]
    pub not: Option<Box<ConditionDef>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RuleKindName {
    SameAs,
    DiffersFrom,
    NotAfter,
    NotInFuture,
    Certificate,
    SubjectCertificate,
    Deadline,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WithinDef {
    #[serde(default)]
    pub days: Option<u32>,
    #[serde(default)]
    pub hours: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleDef {
    pub kind: RuleKindName,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub severity: Option<crate::Severity>,
    #[serde(default)]
    pub basis: Option<String>,
    #[serde(default)]
    pub late_basis: Option<String>,
    #[serde(default)]
    pub when: Option<ConditionDef>,
    #[serde(default)]
    pub each: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub other: Option<String>,
    #[serde(default)]
    pub type_field: Option<String>,
    #[serde(default)]
    pub number_field: Option<String>,
    #[serde(default)]
    pub nature_field: Option<String>,
    #[serde(default)]
    pub kinds: Option<BTreeMap<String, Option<String>>>,
    #[serde(default)]
    pub allowed: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    pub after: Option<String>,
    #[serde(default)]
    pub within: Option<WithinDef>,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default)]
    pub message: Option<Localized>,
}
