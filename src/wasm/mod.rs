//! The WebAssembly façade: the JavaScript API over the core, and nothing else.
//!
//! Values cross the boundary whole, not field by field: form data goes in through
//! `JSON.stringify` (which also turns `Date`s into ISO strings, drops `undefined` and refuses
//! cycles and `BigInt`s with an exception we turn into a typed error), then through the same
//! limits as the CLI (`parse_data`). Results come out as plain objects in one call: `encode.rs`
//! writes them as bytes and one text, `decode.js` builds the objects. Every failure is a thrown `FormsealError` with a stable `code` (and `path` for a bad
//! definition); nothing JavaScript hands in can make the module trap.
//!
//! The TypeScript types of JSON-shaped values are written by hand below, so the generated
//! `.d.ts` has no `any` in the public surface.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Date, JsString, Reflect, JSON};
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::{check_identifier as check, parse_data, CompileOptions, Form, IdentifierKind, Locale, Timestamp};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A language for messages: Simplified Chinese (the default) or English. */
export type Locale = "zh-CN" | "en";
export type Severity = "error" | "warning" | "info";
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/**
 * A file as `FormData` gives it for an `<input type="file">` (a `File`), typed structurally so the
 * types need no DOM lib. It reads as `{}`: a form's attachment fields take metadata, not files.
 */
export interface BlobLike { readonly size: number; readonly type: string; }
/** A value as a portal has it: strings from FormData, numbers, booleans, arrays, Dates, null/undefined for empty. */
export type FormValue = string | number | boolean | null | undefined | Date | BlobLike | readonly FormValue[] | { readonly [key: string]: FormValue };
/** Form data: field name to value. */
export type FormInput = { readonly [field: string]: FormValue };
export interface LocalizedText { "zh-CN": string; en: string; }
export interface FormSummary { id: string; version: string; title: LocalizedText; }
/** A campaign deadline override: `by` a date (end of that day, Beijing time) or `before` an RFC 3339 instant. */
export interface DeadlineOverride { by?: string; before?: string; }
export interface ValidatorOptions { locale?: Locale; deadlines?: { [name: string]: DeadlineOverride }; }
export interface ValidateOptions { now?: Date | string; locale?: Locale; }
export interface Basis { id: string; text: string; }
/** Every finding code (a stable API: see "Finding codes and semver" in the README). */
export type FindingCode = string; // @FINDING_CODES@ (build-pkg.sh writes the union from src/messages/)
export interface Finding {
  path: string; code: FindingCode; severity: Severity; label?: string; message: string;
  basis?: Basis; rule?: string; params: { [name: string]: JsonValue };
}
export interface Report {
  form: { id: string; version: string }; valid: boolean; now: string; locale: Locale;
  counts: { errors: number; warnings: number; infos: number };
  findings: Finding[]; normalized: { [field: string]: JsonValue };
}
export type IdentifierKind = "uscc" | "org-code" | "resident-id" | "domain" | "email" | "url" | "phone"
  | "mobile" | "ip" | "psb-filing-number" | "icp-number";
export interface IdentifierFinding { code: FindingCode; severity: Severity; message: string; params: { [name: string]: JsonValue }; }
export interface IdentifierResult { input: string; valid: boolean; normalized: string | null; display?: string; findings: IdentifierFinding[]; }
export interface CheckOptions { now?: Date | string; locale?: Locale; }
export interface FieldOption { value: string; label: string; }
export interface FieldDescription {
  name?: string; path: string; kind: string; label: string; help?: string; placeholder?: string;
  required: boolean | "conditional"; basis?: string;
  options?: FieldOption[]; multiple?: boolean; min_length?: number; max_length?: number; pattern?: string;
  min?: number | null; max?: number | null; integer?: boolean; media_types?: string[]; max_size?: number | null;
  min_items?: number | null; max_items?: number | null; unique?: boolean;
  item?: FieldDescription; fields?: FieldDescription[];
}
export interface FormDescription { id: string; version: string; locale: Locale; title: string; description: string | null; fields: FieldDescription[]; }
/**
 * What every function throws: an Error with a stable `code`, and `path` (JSON path in a
 * definition, or the option's name) where it applies. Test for one with `isFormsealError(e)`.
 */
export interface FormsealError extends Error { name: "FormsealError"; code: string; path?: string; }
"#;

#[wasm_bindgen]
extern "C" {
    /// `ValidatorOptions` in TypeScript.
    #[wasm_bindgen(typescript_type = "ValidatorOptions")]
    pub type ValidatorOptions;
    /// `ValidateOptions` in TypeScript.
    #[wasm_bindgen(typescript_type = "ValidateOptions")]
    pub type ValidateOptions;
    /// `CheckOptions` in TypeScript.
    #[wasm_bindgen(typescript_type = "CheckOptions")]
    pub type CheckOptions;
    /// `FormInput` in TypeScript.
    #[wasm_bindgen(typescript_type = "FormInput")]
    pub type FormInput;
    /// `FormValue` in TypeScript.
    #[wasm_bindgen(typescript_type = "FormValue")]
    pub type FormValue;
    /// `string | object` in TypeScript: a definition as JSON text or an object.
    #[wasm_bindgen(typescript_type = "string | object")]
    pub type Definition;
    /// `Locale` in TypeScript.
    #[wasm_bindgen(typescript_type = "Locale")]
    pub type LocaleTag;
}

/// A thrown `FormsealError`.
fn error(code: &str, message: &str, path: Option<&str>) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name("FormsealError");
    let _ = Reflect::set(&e, &JsValue::from_str("code"), &JsValue::from_str(code));
    if let Some(p) = path {
        let _ = Reflect::set(&e, &JsValue::from_str("path"), &JsValue::from_str(p));
    }
    e.into()
}

#[wasm_bindgen(module = "/src/wasm/decode.js")]
extern "C" {
    /// Plain objects from what `encode` wrote (src/wasm/decode.js). `catch`: a page's setter on
    /// `Object.prototype` runs inside it, and what it throws must not unwind through Rust.
    #[wasm_bindgen(catch)]
    fn decode(tags: &[u8], text: &str) -> Result<JsValue, JsValue>;
}

/// A result as plain JavaScript objects, in one crossing (src/wasm/encode.rs).
pub fn to_js(value: &impl Serialize) -> Result<JsValue, JsValue> {
    let failed = |reason: &str| error("internal", &format!("could not convert the result: {reason}"), None);
    encode::with_encoded(value, |encoded| decode(&encoded.tags, &encoded.text).map_err(|e| failed(&js::message_of(&e))))
        .unwrap_or_else(|e| Err(failed(&e.to_string())))
}

/// `JSON.stringify`, as bytes for `parse_data`'s limits. `undefined` (and functions, symbols)
/// stringify to nothing: `None`. A text longer than `max_units` UTF-16 code units is refused as
/// `data_too_large` before it is copied into the module.
fn stringify_within(value: &JsValue, max_units: usize) -> Result<Option<String>, Unreadable> {
    match JSON::stringify(value) {
        Ok(s) => match js::string(&s, max_units) {
            Ok(text) => Ok(Some(text)),
            Err(js::StringError::TooLong) => Err(Unreadable::TooLarge),
            Err(js::StringError::NotString) => Ok(None),
        },
        Err(e) => Err(Unreadable::Threw(js::message_of(&e))),
    }
}

/// Why `JSON.stringify` gave no text to read.
enum Unreadable {
    TooLarge,
    Threw(String),
}

fn stringify(value: &JsValue) -> Result<Option<String>, JsValue> {
    stringify_within(value, crate::limits::MAX_DATA_BYTES).map_err(|e| match e {
        Unreadable::TooLarge => error("data_too_large", "the value is larger than the data limit", None),
        Unreadable::Threw(reason) => {
            error("data_unserializable", &format!("the value cannot be read as JSON: {reason}"), None)
        }
    })
}

/// A string argument (`id`, `kind`, `path` …) of at most `max_units` UTF-16 code units: anything
/// else is `invalid_argument`, decided before anything is copied into the module.
fn string_arg(value: &JsValue, what: &str, max_units: usize) -> Result<String, JsValue> {
    js::string(value, max_units).map_err(|e| match e {
        js::StringError::NotString => error("invalid_argument", &format!("{what} is a string"), None),
        js::StringError::TooLong => {
            error("invalid_argument", &format!("{what} is longer than {max_units} characters"), None)
        }
    })
}

/// An options argument: absent (`undefined`, `null`) or an object; anything else is
/// `invalid_option`.
fn options_arg(options: Option<impl Into<JsValue>>) -> Result<JsValue, JsValue> {
    let options: JsValue = options.map(Into::into).unwrap_or(JsValue::UNDEFINED);
    if options.is_undefined() || options.is_null() || options.is_object() {
        Ok(options)
    } else {
        Err(error("invalid_option", "options is an object", None))
    }
}

/// The longest form id, identifier kind or field path taken (UTF-16 code units).
const MAX_NAME_UNITS: usize = 4_096;

/// One value as JSON, within the same limits as form data, with a fast path for the common case
/// of a string (a field as typed).
fn json_value(value: &JsValue) -> Result<Value, JsValue> {
    if value.is_string() {
        // Checked before copying: a UTF-16 code unit is at least one UTF-8 byte.
        if value.unchecked_ref::<JsString>().length() as usize > crate::limits::MAX_DATA_BYTES {
            return Err(error("data_too_large", "the value is larger than the data limit", None));
        }
        let s = value.as_string().unwrap_or_default();
        if s.len() > crate::limits::MAX_DATA_BYTES {
            return Err(error("data_too_large", "the value is larger than the data limit", None));
        }
        return Ok(Value::String(s));
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if value.is_null() || value.is_undefined() {
        return Ok(Value::Null);
    }
    match stringify(value)? {
        None => Ok(Value::Null),
        Some(text) => crate::parse_value(text.as_bytes()).map_err(|e| error(e.code(), e.message(), None)),
    }
}

/// Form data: a plain object, read whole, within the same limits as the CLI.
fn form_data(data: &JsValue) -> Result<Value, JsValue> {
    let text = stringify(data)?
        .ok_or_else(|| error("data_not_object", "form data is an object of field names to values", None))?;
    parse_data(text.as_bytes()).map_err(|e| error(e.code(), e.message(), None))
}

/// `options[key]`, `None` when absent; a getter or proxy trap that throws is `invalid_option`.
fn get(options: &JsValue, key: &'static str) -> Result<Option<JsValue>, JsValue> {
    js::property(options, key)
        .map_err(|e| error("invalid_option", &format!("{key} could not be read: {}", js::message_of(&e)), Some(key)))
}

/// A locale tag: absent for `default`, else "zh-CN" or "en" (anything else is `invalid_option`).
fn locale_value(value: Option<JsValue>, default: Locale) -> Result<Locale, JsValue> {
    match value {
        None => Ok(default),
        Some(v) => js::string(&v, 16)
            .ok()
            .and_then(|s| Locale::parse(&s))
            .ok_or_else(|| error("invalid_option", "locale is \"zh-CN\" or \"en\"", Some("locale"))),
    }
}

fn locale_option(options: &JsValue, default: Locale) -> Result<Locale, JsValue> {
    locale_value(get(options, "locale")?, default)
}

/// `now`: a `Date`, an RFC 3339 string, or absent for the current time.
fn now_option(options: &JsValue) -> Result<Timestamp, JsValue> {
    let millis = match get(options, "now")? {
        None => Date::now(),
        Some(v) if v.is_string() => {
            let text = string_arg(&v, "now", 256)
                .map_err(|_| error("invalid_option", "now is a Date or an RFC 3339 string", Some("now")))?;
            return crate::time::parse_instant(&text).ok_or_else(|| {
                error("invalid_option", &format!("now: {text:?} is not an RFC 3339 date-time"), Some("now"))
            });
        }
        Some(v) => js::date_millis(&v)
            .ok_or_else(|| error("invalid_option", "now is a Date (a valid one) or an RFC 3339 string", Some("now")))?,
    };
    if !millis.is_finite() {
        return Err(error("invalid_option", "now is an invalid Date", Some("now")));
    }
    Timestamp::from_millisecond(millis as i64).map_err(|_| error("invalid_option", "now is out of range", Some("now")))
}

fn compile_options(options: &JsValue) -> Result<CompileOptions, JsValue> {
    let mut compile = CompileOptions::default();
    if let Some(deadlines) = get(options, "deadlines")? {
        match json_value(&deadlines)? {
            Value::Object(map) => compile.deadline_overrides = map,
            _ => {
                return Err(error(
                    "invalid_option",
                    "deadlines is an object of name to { by } or { before }",
                    Some("deadlines"),
                ))
            }
        }
    }
    Ok(compile)
}

fn schema_error(e: crate::SchemaError) -> JsValue {
    error(e.code(), &e.to_string(), Some(e.path()))
}

/// A definition as JSON text: a string as it is, an object through `JSON.stringify`; either is
/// refused (`schema_too_large`) past the definition limit before it is copied into the module.
fn definition_text(definition: &JsValue) -> Result<String, JsValue> {
    let too_large = || error("schema_too_large", "the definition is larger than the definition limit", Some(""));
    let max = crate::limits::MAX_DEFINITION_BYTES;
    if definition.is_string() {
        return js::string(definition, max).map_err(|_| too_large());
    }
    match stringify_within(definition, max) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(error("schema_json", "the definition is JSON text or an object", Some(""))),
        Err(Unreadable::TooLarge) => Err(too_large()),
        Err(Unreadable::Threw(reason)) => {
            Err(error("schema_json", &format!("the definition cannot be read as JSON: {reason}"), Some("")))
        }
    }
}

thread_local! {
    /// The built-in forms compiled without overrides, each once, shared by every validator of
    /// that form: a validator is then a pointer and a locale, not a compiled form of its own.
    static BUILTIN_FORMS: RefCell<Vec<Rc<Form>>> = const { RefCell::new(Vec::new()) };
}

/// The built-in form `id` compiled with `options`: from the shared cache when there are no
/// overrides, compiled anew (and owned by the validator) when there are.
fn builtin_form(id: &str, options: &CompileOptions) -> Result<Rc<Form>, JsValue> {
    if !options.deadline_overrides.is_empty() {
        return Form::builtin_with(id, options).map(Rc::new).map_err(schema_error);
    }
    if let Some(form) = BUILTIN_FORMS.with(|c| c.borrow().iter().find(|f| f.id() == id).cloned()) {
        return Ok(form);
    }
    let form = Rc::new(Form::builtin(id).map_err(schema_error)?);
    BUILTIN_FORMS.with(|c| c.borrow_mut().push(Rc::clone(&form)));
    Ok(form)
}

/// Whether `value` is a `FormsealError` (a type guard in TypeScript): an `Error` named
/// "FormsealError" with a string `code`, as every function here throws.
#[wasm_bindgen(js_name = isFormsealError, unchecked_return_type = "value is FormsealError")]
pub fn is_formseal_error(#[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue) -> bool {
    let name = js::property(&value, "name").ok().flatten().and_then(|n| n.as_string());
    let code = js::property(&value, "code").ok().flatten();
    value.is_object() && name.as_deref() == Some("FormsealError") && code.is_some_and(|c| c.is_string())
}

/// The built-in forms: id, version and titles.
#[wasm_bindgen(unchecked_return_type = "FormSummary[]")]
pub fn forms() -> Result<JsValue, JsValue> {
    let mut list = Vec::new();
    for b in crate::forms::BUILTINS {
        let form = builtin_form(b.id, &CompileOptions::default())?;
        let mut entry = Map::new();
        entry.insert("id".into(), Value::String(form.id().to_owned()));
        entry.insert("version".into(), Value::String(form.version().to_owned()));
        entry.insert("title".into(), serde_json::to_value(form.title()).unwrap_or(Value::Null));
        list.push(Value::Object(entry));
    }
    to_js(&list)
}

/// Checks one identifier on its own: the same result as `formseal check`.
#[wasm_bindgen(js_name = checkIdentifier, unchecked_return_type = "IdentifierResult")]
pub fn check_identifier(
    #[wasm_bindgen(unchecked_param_type = "IdentifierKind")] kind: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    options: Option<CheckOptions>,
) -> Result<JsValue, JsValue> {
    let options = options_arg(options)?;
    let kind = string_arg(&kind, "the identifier kind", MAX_NAME_UNITS)?;
    let kind = IdentifierKind::parse(&kind)
        .ok_or_else(|| error("unknown_identifier_kind", &format!("unknown identifier kind {kind:?}"), None))?;
    let value = json_value(&value)?;
    let text = match (&value, crate::rules::as_text(&value)) {
        (Value::Null, _) => String::new(),
        (_, Some(text)) => text.into_owned(),
        _ => {
            return Err(error(
                "invalid_value",
                "an identifier is a string (numbers beyond 2^53 have lost digits)",
                None,
            ))
        }
    };
    let today = crate::ident::Today::of(now_option(&options)?);
    to_js(&check(kind, &text, Some(today)).report(locale_option(&options, Locale::ZhCn)?))
}

/// A compiled form, ready to validate any number of documents.
#[wasm_bindgen]
pub struct FormValidator {
    form: Rc<Form>,
    locale: Locale,
}

#[wasm_bindgen]
impl FormValidator {
    /// A built-in form by id (`network-unit-filing` …), with options: `locale` (the default for
    /// messages) and `deadlines` (campaign deadline overrides by name).
    ///
    /// Built-in forms are compiled once and shared: a validator made per request is small (free
    /// it with `free()` or `using`, or leave it to the garbage collector).
    pub fn builtin(
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        options: Option<ValidatorOptions>,
    ) -> Result<FormValidator, JsValue> {
        let options = options_arg(options)?;
        let id = string_arg(&id, "the form id", MAX_NAME_UNITS)?;
        let locale = locale_option(&options, Locale::ZhCn)?;
        let form = builtin_form(&id, &compile_options(&options)?)?;
        Ok(FormValidator { form, locale })
    }

    /// A form from its definition: JSON text or an object. A bad definition throws a
    /// `FormsealError` with `code` and the JSON `path` of the problem.
    #[wasm_bindgen(js_name = fromDefinition)]
    pub fn from_definition(
        definition: Definition,
        options: Option<ValidatorOptions>,
    ) -> Result<FormValidator, JsValue> {
        let options = options_arg(options)?;
        let text = definition_text(&definition.into())?;
        let locale = locale_option(&options, Locale::ZhCn)?;
        let form = Form::compile_with(&text, &compile_options(&options)?).map_err(schema_error)?;
        Ok(FormValidator { form: Rc::new(form), locale })
    }

    /// The form's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.form.id().to_owned()
    }

    /// The form's version.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.form.version().to_owned()
    }

    /// Validates form data. `now` is a `Date`, an RFC 3339 string, or omitted for the current
    /// time; `locale` overrides the validator's.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn validate(&self, data: FormInput, options: Option<ValidateOptions>) -> Result<JsValue, JsValue> {
        let options = options_arg(options)?;
        let (now, locale) = (now_option(&options)?, locale_option(&options, self.locale)?);
        let data = form_data(&data.into())?;
        // Serialised from the outcome directly: the normalised data is never made as a Value.
        to_js(&self.form.check(&data, now).render_view(locale))
    }

    /// The findings for one field (`principal.mobile`, `domains[1]`) as the person types;
    /// cross-field rules use `data`, the rest of the form, when given.
    #[wasm_bindgen(js_name = validateField, unchecked_return_type = "Finding[]")]
    pub fn validate_field(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        value: FormValue,
        data: Option<FormInput>,
        options: Option<ValidateOptions>,
    ) -> Result<JsValue, JsValue> {
        let options = options_arg(options)?;
        let path = string_arg(&path, "the field path", MAX_NAME_UNITS)?;
        let (now, locale) = (now_option(&options)?, locale_option(&options, self.locale)?);
        let value = json_value(&value.into())?;
        let data: Option<JsValue> = data.map(Into::into).filter(|d: &JsValue| !d.is_undefined() && !d.is_null());
        let data = match data {
            Some(d) => Some(form_data(&d)?),
            None => None,
        };
        let findings = self
            .form
            .validate_field(&path, &value, data.as_ref(), now, locale)
            .map_err(|e| error(e.code(), e.message(), Some(&path)))?;
        to_js(&findings)
    }

    /// The form's fields, kinds, labels, help, required-ness and options, in `locale` (or the
    /// validator's), so a portal can render or annotate its form.
    #[wasm_bindgen(unchecked_return_type = "FormDescription")]
    /// A locale that is neither "zh-CN" nor "en" (a number, "fr") is `invalid_option`, as in
    /// `validate`.
    pub fn describe(&self, locale: Option<LocaleTag>) -> Result<JsValue, JsValue> {
        let tag = locale.map(JsValue::from).filter(|l| !l.is_undefined() && !l.is_null());
        to_js(&self.form.describe(locale_value(tag, self.locale)?))
    }
}

mod encode;
mod js;
#[cfg(feature = "seal")]
mod seal;
