//! The raw shape of a form definition, exactly as written in JSON (see `docs/definitions.md`).
//!
//! These types only mirror the JSON; `read.rs` reads them from the parsed definition (refusing
//! unknown keys and wrong types with their JSON path), and `schema::compile` checks what they mean
//! (references, kinds, patterns, limits) and turns them into the compiled form. A member that is
//! not required is `Option` (`null` is the same as leaving it out) or a default (`false`, empty).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::messages::Localized;

mod read;

#[derive(Debug)]
pub(crate) struct DefinitionDef {
    pub id: String,
    pub version: String,
    pub title: Localized,
    pub description: Option<Localized>,
    pub basis: Option<String>,
    pub bases: BTreeMap<String, Localized>,
    pub deadlines: BTreeMap<String, DeadlineDef>,
    pub fields: Vec<FieldDef>,
    pub rules: Vec<RuleDef>,
}

#[derive(Debug, Clone)]
pub(crate) struct DeadlineDef {
    pub by: Option<String>,
    pub before: Option<String>,
    pub basis: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

#[derive(Debug)]
pub(crate) struct FieldDef {
    pub name: Option<String>,
    pub kind: KindName,
    pub label: Option<Localized>,
    pub help: Option<Localized>,
    pub placeholder: Option<Localized>,
    pub basis: Option<String>,
    pub required: bool,
    pub required_if: Option<ConditionDef>,
    pub forbidden_if: Option<ConditionDef>,
    pub severity: Option<crate::Severity>,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    pub pattern: Option<String>,
    pub pattern_message: Option<Localized>,
    pub options: Option<Vec<OptionDef>>,
    pub multiple: bool,
    pub min_items: Option<u32>,
    pub max_items: Option<u32>,
    pub unique: bool,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub integer: bool,
    pub item: Option<Box<FieldDef>>,
    pub fields: Option<Vec<FieldDef>>,
    pub repeatable: bool,
    pub media_types: Option<Vec<String>>,
    pub max_size: Option<u64>,
}

#[derive(Debug)]
pub(crate) struct OptionDef {
    pub value: String,
    pub label: Localized,
}

#[derive(Debug, Clone)]
pub(crate) struct ConditionDef {
    pub field: Option<String>,
    pub equals: Option<Value>,
    /// The JSON key `in`.
    pub in_: Option<Vec<Value>>,
    pub not_empty: Option<bool>,
    pub empty: Option<bool>,
    pub all: Option<Vec<ConditionDef>>,
    pub any: Option<Vec<ConditionDef>>,
    pub not: Option<Box<ConditionDef>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleKindName {
    SameAs,
    DiffersFrom,
    NotAfter,
    NotInFuture,
    Certificate,
    SubjectCertificate,
    Deadline,
}

#[derive(Debug, Clone)]
pub(crate) struct WithinDef {
    pub days: Option<u32>,
    pub hours: Option<u32>,
}

#[derive(Debug)]
pub(crate) struct RuleDef {
    pub kind: RuleKindName,
    pub id: Option<String>,
    pub severity: Option<crate::Severity>,
    pub basis: Option<String>,
    pub late_basis: Option<String>,
    pub when: Option<ConditionDef>,
    pub each: Option<String>,
    pub field: Option<String>,
    pub other: Option<String>,
    pub type_field: Option<String>,
    pub number_field: Option<String>,
    pub nature_field: Option<String>,
    pub kinds: Option<BTreeMap<String, Option<String>>>,
    pub allowed: Option<BTreeMap<String, Vec<String>>>,
    pub after: Option<String>,
    pub within: Option<WithinDef>,
    pub at: Option<String>,
    pub deadline: Option<String>,
    pub by: Option<String>,
    pub before: Option<String>,
    pub message: Option<Localized>,
}
