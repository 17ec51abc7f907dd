//! Reading JSON text into a `serde_json::Value` with no repeated key in any object. serde_json
//! keeps the last of two equal keys without a word, so `"required": true, "required": false`
//! would mean "not required"; data documents and definitions are read through here instead and a
//! repeated key is refused with its path (`fields[1].required`). (Envelopes and payloads have
//! their own strict reader in `seal::jcs`, which also refuses inexact numbers.)

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Why JSON text could not be read.
#[derive(Debug)]
pub(crate) enum JsonError {
    /// Not JSON (serde_json's message, with line and column).
    Syntax(String),
    /// An object repeats a key; the path of the repeated member (`principal.mobile`).
    DuplicateKey(String),
}

/// One step of the path to the value being read.
enum Step {
    Key(String),
    Index(usize),
}

fn render(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.extend(k.chars().take(64));
            }
            Step::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// The reader's state: where it is, and the path of a repeated key once one is found.
#[derive(Default)]
struct State {
    steps: RefCell<Vec<Step>>,
    duplicate: RefCell<Option<String>>,
}

#[derive(Clone, Copy)]
struct Unique<'s>(&'s State);

impl<'de> DeserializeSeed<'de> for Unique<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(f).map(Value::Number).ok_or_else(|| E::custom("a number that is not finite"))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            self.0.steps.borrow_mut().push(Step::Index(items.len()));
            let item = seq.next_element_seed(self);
            self.0.steps.borrow_mut().pop();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.0.steps.borrow_mut().push(Step::Key(key.clone()));
            if members.contains_key(&key) {
                let path = render(&self.0.steps.borrow());
                *self.0.duplicate.borrow_mut() = Some(path.clone());
                return Err(de::Error::custom(format_args!("the key {path:?} is given twice")));
            }
            let value = map.next_value_seed(self);
            self.0.steps.borrow_mut().pop();
            members.insert(key, value?);
        }
        Ok(Value::Object(members))
    }
}

/// Parses JSON text (serde_json's grammar and nesting limit) refusing a repeated key in any
/// object.
pub(crate) fn parse_unique(text: &str) -> Result<Value, JsonError> {
    let state = State::default();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = Unique(&state).deserialize(&mut deserializer).and_then(|v| deserializer.end().map(|()| v));
    parsed.map_err(|e| match state.duplicate.into_inner() {
        Some(path) => JsonError::DuplicateKey(path),
        None => JsonError::Syntax(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_are_refused_with_their_path() {
        let dup = |t: &str| match parse_unique(t) {
            Err(JsonError::DuplicateKey(p)) => p,
            other => format!("{other:?}"),
        };
        assert_eq!(dup(r#"{"a":1,"a":2}"#), "a");
        assert_eq!(dup(r#"{"a":[0,{"b":{"c":1,"c":1}}]}"#), "a[1].b.c");
        assert_eq!(dup(r#"[{"x":1},{"y":1,"y":2}]"#), "[1].y");
        assert!(matches!(parse_unique(r#"{"a":1,}"#), Err(JsonError::Syntax(_))));
        assert_eq!(
            parse_unique(r#"{"a":{"x":1},"b":{"x":1}}"#).ok(),
            serde_json::from_str(r#"{"a":{"x":1},"b":{"x":1}}"#).ok()
        );
    }
}
