//! The built-in forms, embedded in the binary as declarative JSON (`forms/*.json`), with their
//! example data (`forms/examples/`).

use crate::error::SchemaError;
use crate::schema::{CompileOptions, Form};

/// A built-in form: its id, its definition and its example documents.
#[derive(Clone, Copy, Debug)]
pub struct Builtin {
    /// The form id.
    pub id: &'static str,
    /// The definition, JSON.
    pub definition: &'static str,
    /// Complete valid data (valid at 2005-06-01T10:00:00+08:00, warnings allowed).
    pub valid_example: &'static str,
    /// Data that exercises the form's main rules.
    pub invalid_example: &'static str,
}

macro_rules! builtin {
    ($id:literal) => {
        Builtin {
            id: $id,
            definition: include_str!(concat!("../forms/", $id, ".json")),
            valid_example: include_str!(concat!("../forms/examples/", $id, ".valid.json")),
            invalid_example: include_str!(concat!("../forms/examples/", $id, ".invalid.json")),
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
