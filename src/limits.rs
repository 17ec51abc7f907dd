//! Limits on untrusted input. Each one is documented in ARCHITECTURE.md and has a test that shows
//! its clear error. They bound work and memory: no input can make formseal hang or exhaust memory.

/// Largest form definition accepted, in bytes of JSON.
pub const MAX_DEFINITION_BYTES: usize = 1024 * 1024;
/// Most fields in one definition, counting nested ones.
pub const MAX_FIELDS: usize = 1000;
/// Deepest nesting of groups and lists in a definition.
pub const MAX_DEFINITION_DEPTH: usize = 8;
/// Most rules in one definition.
pub const MAX_RULES: usize = 500;
/// Longest `pattern` in a definition, in bytes.
pub const MAX_PATTERN_BYTES: usize = 1024;
/// Largest compiled size of one pattern (the regex crate's `size_limit`), in bytes.
pub const MAX_PATTERN_COMPILED_BYTES: usize = 256 * 1024;
/// Largest data document accepted by [`crate::parse_data`], in bytes of JSON.
pub const MAX_DATA_BYTES: usize = 2 * 1024 * 1024;
/// Deepest nesting of arrays and objects in a data document.
pub const MAX_DATA_DEPTH: usize = 32;
/// Longest value of one field, in characters (a value over it is a finding, not a crash).
pub const MAX_VALUE_CHARS: usize = 20_000;
/// Most items in one list.
pub const MAX_LIST_ITEMS: usize = 1000;
/// Most unknown fields reported one by one; the rest are counted in one finding.
pub const MAX_UNKNOWN_FIELDS_REPORTED: usize = 20;
/// Most findings in one report; the rest are counted in one finding.
pub const MAX_FINDINGS: usize = 1000;
/// Most values in one condition's `in`.
pub const MAX_CONDITION_VALUES: usize = 1000;
/// Most nodes (`all`, `any`, `not` and tests) in one condition.
pub const MAX_CONDITION_NODES: usize = 64;
/// Most nodes and compared values of all the conditions of one definition together (a value
/// counts its JSON nodes): bounds the work of evaluating them for each list item.
pub const MAX_CONDITION_SIZE: usize = 10_000;
/// Most options in one choice.
pub const MAX_OPTIONS: usize = 5000;
