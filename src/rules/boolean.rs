//! Booleans (`boolean`): tick-boxes and yes/no questions, as JSON booleans or as a portal's
//! strings (`on`, `true`, `1`, `是` …). No keys of its own; a tick-box that must be ticked is
//! `required` (see `presence.rs`).

use serde_json::Value;

use super::{type_mismatch, Checked};

pub(crate) fn check(value: &Value) -> Checked {
    match value {
        Value::Bool(_) => Checked::same(Vec::new()),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "on" | "1" | "yes" | "是" => Checked::ok(Value::Bool(true)),
            "false" | "off" | "0" | "no" | "否" => Checked::ok(Value::Bool(false)),
            "" => Checked::with(None, Vec::new()),
            _ => Checked::with(None, vec![type_mismatch("boolean", value)]),
        },
        Value::Number(n) if n.as_u64() == Some(1) => Checked::ok(Value::Bool(true)),
        Value::Number(n) if n.as_u64() == Some(0) => Checked::ok(Value::Bool(false)),
        other => Checked::with(None, vec![type_mismatch("boolean", other)]),
    }
}
