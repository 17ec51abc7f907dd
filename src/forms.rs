//! The built-in forms, embedded in the binary as declarative JSON (`forms/*.json`), with their
//! example data (`forms/examples/`), which only a build that asks for it carries.

use crate::error::SchemaError;
use crate::schema::{CompileOptions, Form};

/// A built-in form: its id and its definition; its example documents through
/// [`Builtin::valid_example`] and [`Builtin::invalid_example`].
#[derive(Clone, Copy, Debug)]
pub struct Builtin {
    /// The form id.
    pub id: &'static str,
    /// The definition, JSON.
    pub definition: &'static str,
}

/// A form's example documents, kept apart from [`BUILTINS`] so that a build that never asks for
/// them (the wasm module a page downloads) does not carry them.
struct Examples {
    id: &'static str,
    valid: &'static str,
    invalid: &'static str,
}

macro_rules! builtin {
    ($id:literal) => {
        Builtin { id: $id, definition: include_str!(concat!("../forms/", $id, ".json")) }
    };
}

macro_rules! examples {
    ($id:literal) => {
        Examples {
            id: $id,
            valid: include_str!(concat!("../forms/examples/", $id, ".valid.json")),
            invalid: include_str!(concat!("../forms/examples/", $id, ".invalid.json")),
        }
    };
}

/// Every built-in form, in the order of README.md's table of forms.
pub const BUILTINS: &[Builtin] = &[
    builtin!("network-unit-filing"),
    builtin!("user-filing"),
    builtin!("filing-change"),
    builtin!("security-commitment"),
    builtin!("virus-sample-storage"),
    builtin!("incident-report"),
];

static EXAMPLES: &[Examples] = &[
    examples!("network-unit-filing"),
    examples!("user-filing"),
    examples!("filing-change"),
    examples!("security-commitment"),
    examples!("virus-sample-storage"),
    examples!("incident-report"),
];

impl Builtin {
    fn examples(&self) -> Option<&'static Examples> {
        EXAMPLES.iter().find(|e| e.id == self.id)
    }

    /// Complete valid data (valid at 2005-06-01T10:00:00+08:00, warnings allowed).
    pub fn valid_example(&self) -> &'static str {
        self.examples().map_or("{}", |e| e.valid)
    }

    /// Data that exercises the form's main rules.
    pub fn invalid_example(&self) -> &'static str {
        self.examples().map_or("{}", |e| e.invalid)
    }
}

/// The built-in form `id`, if there is one.
pub fn builtin(id: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.id == id)
}

impl Form {
    /// Compiles the built-in form `id` (see [`BUILTINS`]).
    pub fn builtin(id: &str) -> Result<Form, SchemaError> {
        Form::builtin_with(id, &CompileOptions::default())
    }

    /// Compiles the built-in form `id` with options (campaign deadline overrides).
    pub fn builtin_with(id: &str, options: &CompileOptions) -> Result<Form, SchemaError> {
        match builtin(id) {
            Some(b) => Form::compile_with(b.definition, options),
            None => Err(SchemaError::new("unknown_form", "", format!("there is no built-in form {id:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples are a table of their own: it must hold exactly the built-in forms, in order,
    /// or a form's examples would silently be `{}`.
    #[test]
    fn every_builtin_form_has_its_examples() {
        let forms: Vec<&str> = BUILTINS.iter().map(|b| b.id).collect();
        let examples: Vec<&str> = EXAMPLES.iter().map(|e| e.id).collect();
        assert_eq!(forms, examples);
        for b in BUILTINS {
            assert!(b.valid_example().len() > 100 && b.invalid_example().len() > 100, "{}", b.id);
        }
    }
}
