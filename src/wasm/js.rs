//! Reading JavaScript values that an integrator (or an attacker) hands in, without ever letting
//! a JavaScript exception unwind through the module.
//!
//! wasm-bindgen's own conversions (`&str`, `&[u8]`, `Option<String>` parameters, `instanceof`,
//! `Uint8Array::to_vec`, `Date::get_time`) call into JavaScript without catching: a `Proxy`, a
//! revoked proxy, a detached buffer or `{ length: -1 }` then throws (or traps) in the middle of a
//! Rust call, skipping its destructors (a leak) or leaving a future's microtask to throw. Every
//! read here goes through `Reflect` or an import declared with `catch`, and brand checks use the
//! built-in getters (`%TypedArray%.prototype.buffer`, `Date.prototype.getTime`) rather than
//! `instanceof` or properties the value could shadow.

#[cfg(feature = "seal")]
use js_sys::Uint8Array;
use js_sys::{Array, Function, JsString, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws on a revoked proxy.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn array_is_array(value: &JsValue) -> Result<bool, JsValue>;
    /// `ArrayBuffer.isView`: true only for a real typed array or DataView (never a Proxy).
    #[wasm_bindgen(js_namespace = ArrayBuffer, js_name = isView)]
    fn array_buffer_is_view(value: &JsValue) -> bool;
}

thread_local! {
    /// Property names as JavaScript strings, each made once: decoding the name out of the
    /// module's memory on every read was most of what reading an option cost.
    static KEYS: std::cell::RefCell<Vec<(&'static str, JsValue)>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The realm's `Date.prototype.getTime`, looked up on first use.
    static DATE_GET_TIME: std::cell::OnceCell<Option<Function>> = const { std::cell::OnceCell::new() };
    /// The empty argument list of the getters and methods called here.
    static NO_ARGUMENTS: Array = Array::new();
}

/// The names kept by [`key`]: the ones this file and the façade use are far fewer.
const KEYS_AT_MOST: usize = 64;

fn key(name: &'static str) -> JsValue {
    let cached = KEYS.with(|keys| {
        let mut keys = keys.try_borrow_mut().ok()?;
        if let Some((_, v)) = keys.iter().find(|(n, _)| *n == name) {
            return Some(v.clone());
        }
        let v = JsValue::from_str(name);
        if keys.len() < KEYS_AT_MOST {
            keys.push((name, v.clone()));
        }
        Some(v)
    });
    cached.unwrap_or_else(|| JsValue::from_str(name))
}

fn no_arguments() -> Array {
    NO_ARGUMENTS.with(Array::clone)
}

/// A global by name (`Uint8Array`, `Date` …), if it is there.
fn global(name: &'static str) -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &key(name)).ok().filter(|v| !v.is_undefined())
}

/// The built-in getter `name` of `proto`, applied to `value`: `Err` when `value` lacks the
/// internal slot the getter reads (which is how a brand check is done in JavaScript).
#[cfg(feature = "seal")] // the sealing façade only
fn apply_getter(proto: &JsValue, name: &'static str, value: &JsValue) -> Result<JsValue, JsValue> {
    let proto = proto.dyn_ref::<js_sys::Object>().ok_or(JsValue::UNDEFINED)?;
    let descriptor = Reflect::get_own_property_descriptor(proto, &key(name))?;
    let getter = Reflect::get(&descriptor, &key("get"))?.dyn_into::<Function>().map_err(|_| JsValue::UNDEFINED)?;
    Reflect::apply(&getter, value, &no_arguments())
}

fn prototype_of(constructor: &'static str) -> Option<JsValue> {
    Reflect::get(&global(constructor)?, &key("prototype")).ok()
}

/// `value[name]`, catching a throwing getter or proxy trap. `None` when `value` is not an object
/// (or function), or the property is `undefined` or `null`.
pub(crate) fn property(value: &JsValue, name: &'static str) -> Result<Option<JsValue>, JsValue> {
    if !value.is_object() && !value.is_function() {
        return Ok(None);
    }
    Reflect::get(value, &key(name)).map(|v| Some(v).filter(|v| !v.is_undefined() && !v.is_null()))
}

/// `Array.isArray(value)`, false for a revoked proxy.
#[cfg(feature = "seal")] // the sealing façade only
pub(crate) fn is_array(value: &JsValue) -> bool {
    array_is_array(value).unwrap_or(false)
}

/// The items of an array (or a proxy of one), at most `max`: `None` when it is not an array, a
/// read throws, or it is longer than `max`.
#[cfg(feature = "seal")] // the sealing façade only
pub(crate) fn array_items(value: &JsValue, max: u32) -> Option<Vec<JsValue>> {
    if !is_array(value) {
        return None;
    }
    let length = Reflect::get(value, &key("length")).ok()?.as_f64()?;
    if !(0.0..=f64::from(max)).contains(&length) {
        return None;
    }
    let length = length as u32;
    (0..length).map(|i| Reflect::get_u32(value, i).ok()).collect()
}

/// Why a string argument could not be read.
pub(crate) enum StringError {
    /// Not a string primitive.
    NotString,
    /// Longer than the limit, in UTF-16 code units (each is at least one UTF-8 byte).
    TooLong,
}

/// A string primitive of at most `max_units` UTF-16 code units, checked before it is copied.
pub(crate) fn string(value: &JsValue, max_units: usize) -> Result<String, StringError> {
    if !value.is_string() {
        return Err(StringError::NotString);
    }
    let length = value.unchecked_ref::<JsString>().length() as usize;
    if length > max_units {
        return Err(StringError::TooLong);
    }
    value.as_string().ok_or(StringError::NotString)
}

/// Why a byte argument could not be read.
#[cfg(feature = "seal")] // the sealing façade only
pub(crate) enum BytesError {
    /// Not an `ArrayBuffer`, a typed array or a `DataView`.
    NotBytes,
    /// A buffer (or a view of one) that was transferred or detached.
    Detached,
}

/// A new `Uint8Array` over exactly the bytes of an `ArrayBuffer`, `SharedArrayBuffer`, typed array
/// (any element type: its bytes, not its elements) or `DataView`, checked by their built-in
/// getters, so a `Proxy`, `Object.create(Uint8Array.prototype)`, a `Blob` or a string is refused.
#[cfg(feature = "seal")] // the sealing façade only
pub(crate) fn bytes(value: &JsValue) -> Result<Uint8Array, BytesError> {
    let constructor = global("Uint8Array").and_then(|c| c.dyn_into::<Function>().ok()).ok_or(BytesError::NotBytes)?;
    let args = if array_buffer_is_view(value) {
        // A typed array or a DataView: the same three getters, on different prototypes.
        let typed_array =
            prototype_of("Uint8Array").and_then(|p| Reflect::get_prototype_of(&p).ok()).map(JsValue::from);
        let data_view = prototype_of("DataView");
        let read = |proto: &JsValue| -> Result<Array, JsValue> {
            let buffer = apply_getter(proto, "buffer", value)?;
            let offset = apply_getter(proto, "byteOffset", value)?;
            let length = apply_getter(proto, "byteLength", value)?;
            Ok(Array::of3(&buffer, &offset, &length))
        };
        typed_array
            .as_ref()
            .and_then(|p| read(p).ok())
            .or_else(|| data_view.as_ref().and_then(|p| read(p).ok()))
            .ok_or(BytesError::NotBytes)?
    } else {
        let is_buffer =
            |name: &'static str| prototype_of(name).is_some_and(|p| apply_getter(&p, "byteLength", value).is_ok());
        if !is_buffer("ArrayBuffer") && !is_buffer("SharedArrayBuffer") {
            return Err(BytesError::NotBytes);
        }
        Array::of1(value)
    };
    // Constructing over a detached buffer throws a TypeError.
    Reflect::construct(&constructor, &args).map(JsCast::unchecked_into).map_err(|_| BytesError::Detached)
}

/// The time of a `Date` in milliseconds: a real `Date` (the built-in `getTime` accepts it, which
/// a `Proxy` or `Object.create(Date.prototype)` fails) whose own `getTime` gives a finite number.
pub(crate) fn date_millis(value: &JsValue) -> Option<f64> {
    let builtin = DATE_GET_TIME.with(|cell| {
        cell.get_or_init(|| {
            prototype_of("Date")
                .and_then(|p| Reflect::get(&p, &key("getTime")).ok())
                .and_then(|f| f.dyn_into::<Function>().ok())
        })
        .clone()
    })?;
    Reflect::apply(&builtin, value, &no_arguments()).ok()?;
    let own = Reflect::get(value, &key("getTime")).ok()?.dyn_into::<Function>().ok()?;
    Reflect::apply(&own, value, &no_arguments()).ok()?.as_f64().filter(|t| t.is_finite())
}

/// `error.message` (or the thrown string) of something JavaScript threw, for a message.
pub(crate) fn message_of(thrown: &JsValue) -> String {
    property(thrown, "message")
        .ok()
        .flatten()
        .and_then(|m| m.as_string())
        .or_else(|| thrown.as_string())
        .map(|m| m.chars().take(500).collect())
        .unwrap_or_else(|| "unknown error".into())
}
