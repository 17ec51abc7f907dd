//! `Form::describe`: the form's fields as a portal needs them to render or annotate its own
//! markup: names and paths, kinds, labels, help, required-ness and options, in one locale.

use serde_json::{json, Map, Value};

use crate::messages::Locale;
use crate::rules::{attachment, choice, number, structure, text};
use crate::schema::{Field, Form, Kind};

fn field(f: &Field, path: &str, locale: Locale, form: &Form) -> Value {
    let mut out = Map::new();
    if !f.name.is_empty() {
        out.insert("name".into(), json!(f.name));
    }
    out.insert("path".into(), json!(path));
    out.insert("kind".into(), json!(f.kind.name()));
    out.insert("label".into(), json!(f.label.get(locale)));
    if let Some(h) = &f.help {
        out.insert("help".into(), json!(h.get(locale)));
    }
    if let Some(p) = &f.placeholder {
        out.insert("placeholder".into(), json!(p.get(locale)));
    }
    let required = if f.required {
        json!(true)
    } else if f.required_if.is_some() {
        json!("conditional")
    } else {
        json!(false)
    };
    out.insert("required".into(), required);
    if let Some(b) = f.basis.as_deref().and_then(|id| form.basis_text(id, locale)) {
        out.insert("basis".into(), json!(b));
    }
    match &f.kind {
        Kind::Text(text::Text { min_length, max_length, pattern, .. }) => {
            if let Some(v) = min_length {
                out.insert("min_length".into(), json!(v));
            }
            if let Some(v) = max_length {
                out.insert("max_length".into(), json!(v));
            }
            if let Some(p) = pattern {
                out.insert("pattern".into(), json!(p.source));
            }
        }
        Kind::Choice(choice::Choice { options, multiple, .. }) => {
            let opts: Vec<Value> =
                options.iter().map(|o| json!({ "value": o.value, "label": o.label.get(locale) })).collect();
            out.insert("options".into(), Value::Array(opts));
            out.insert("multiple".into(), json!(multiple));
        }
        Kind::Number(number::Number { min, max, integer }) => {
            out.insert("min".into(), json!(min));
            out.insert("max".into(), json!(max));
            out.insert("integer".into(), json!(integer));
        }
        Kind::Attachment(attachment::Attachment { media_types, max_size }) => {
            out.insert("media_types".into(), json!(media_types));
            out.insert("max_size".into(), json!(max_size));
        }
        Kind::List(structure::List { item, min_items, max_items, unique }) => {
            out.insert("min_items".into(), json!(min_items));
            out.insert("max_items".into(), json!(max_items));
            out.insert("unique".into(), json!(unique));
            if let Some(item) = form.field(*item) {
                out.insert("item".into(), field(item, &format!("{path}[]"), locale, form));
            }
        }
        Kind::Group(scope) => {
            let inner: Vec<Value> = scope
                .fields
                .iter()
                .filter_map(|id| form.field(*id))
                .map(|c| field(c, &format!("{path}.{}", c.name), locale, form))
                .collect();
            out.insert("fields".into(), Value::Array(inner));
        }
        Kind::Boolean | Kind::Date | Kind::DateTime | Kind::Identifier(_) => {}
    }
    Value::Object(out)
}

impl Form {
    /// Describes the form in `locale`: `{ id, version, title, description, fields: [...] }`,
    /// each field with `name`, `path`, `kind`, `label`, `help`, `required` (`true`, `false` or
    /// `"conditional"`), `basis`, options and limits; list items under `item` (path `list[]`),
    /// group fields under `fields`.
    pub fn describe(&self, locale: Locale) -> Value {
        let fields: Vec<Value> =
            self.root.fields.iter().filter_map(|id| self.field(*id)).map(|f| field(f, &f.name, locale, self)).collect();
        json!({
            "id": self.id,
            "version": self.version,
            "locale": locale,
            "title": self.title.get(locale),
            "description": self.description.as_ref().map(|d| d.get(locale)),
            "fields": fields,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_every_builtin_field_with_a_label() {
        for b in crate::forms::BUILTINS {
            let form = Form::builtin(b.id).expect("builtin");
            for locale in Locale::ALL {
                let d = form.describe(locale);
                let fields = d["fields"].as_array().expect("fields");
                assert!(!fields.is_empty());
                fn walk(v: &Value) {
                    assert!(v["label"].as_str().is_some_and(|l| !l.is_empty()), "{v}");
                    for child in v["fields"].as_array().into_iter().flatten() {
                        walk(child);
                    }
                }
                fields.iter().for_each(walk);
            }
        }
    }
}
