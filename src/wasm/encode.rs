//! Results into JavaScript in one crossing: any `Serialize` value written as a compact tagged
//! byte stream and one text holding every string, which `decode.js` turns into plain objects.
//!
//! Building the objects from Rust (serde-wasm-bindgen) makes a call into JavaScript for every
//! property and decodes every string on its own (`TextDecoder` per string); a report of
//! `network-unit-filing` is a few hundred of each. Here the module writes bytes it owns, and
//! JavaScript receives a view of them and one string (one `TextDecoder` call), and builds the
//! objects in a loop of its own. The output is what `Serializer::json_compatible()` gave: maps
//! and structs as plain objects, `None` and unit as `null`, every number as a JavaScript number,
//! an enum variant with data as `{ variant: data }`.
//!
//! The stream, every count and length a little-endian u32 (patched when serde does not say it
//! up front, or skips a field):
//!
//! | tag | value | then |
//! |---|---|---|
//! | 0 | `null` | |
//! | 1 | `false` | |
//! | 2 | `true` | |
//! | 3 | a number | 8 bytes, f64 |
//! | 4 | a string | its length in UTF-16 code units; the characters are next in the text |
//! | 5 | an array | its item count, then the items |
//! | 6 | an object | its entry count, then per entry the key's UTF-16 length (its characters next in the text) and the value |
//!
//! Strings are taken from the text in order, so the decoder needs no offsets.

use serde::ser::{self, Serialize};

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const NUMBER: u8 = 3;
const STRING: u8 = 4;
const ARRAY: u8 = 5;
const OBJECT: u8 = 6;

/// Number methods of the value serializer: each number written as a JavaScript number.
macro_rules! numbers {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<(), EncodeError> {
            // As serde-wasm-bindgen's json_compatible did: `as`, so an integer past 2^53 loses
            // digits (data past 2^53 is refused before it gets here, `parse_data`).
            self.number(v as f64);
            Ok(())
        }
    )*};
}

/// The integer methods of the key serializer: the integer's decimal text.
macro_rules! int_keys {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<(), EncodeError> {
            self.key(&v.to_string())
        }
    )*};
}

/// A value written as [the stream](self) and its text.
#[derive(Default)]
pub(crate) struct Encoded {
    pub tags: Vec<u8>,
    pub text: String,
}

/// Why a value could not be written: a map key that is not a string or a number.
#[derive(Debug)]
pub(crate) struct EncodeError(String);

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl ser::Error for EncodeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        EncodeError(msg.to_string())
    }
}

thread_local! {
    /// The buffers of the last result, kept for the next: a call allocates nothing here once
    /// they have grown to its size.
    static BUFFERS: std::cell::RefCell<Encoded> = std::cell::RefCell::default();
}

/// Writes `value` as the stream and its text and hands them to `then`. The buffers are reused
/// between calls; a call made while they are in use (JavaScript calling back into the module
/// from inside `then`) gets buffers of its own.
pub(crate) fn with_encoded<R>(value: &impl Serialize, then: impl FnOnce(&Encoded) -> R) -> Result<R, EncodeError> {
    let run = |out: &mut Encoded| -> Result<R, EncodeError> {
        out.tags.clear();
        out.text.clear();
        value.serialize(&mut *out)?;
        Ok(then(out))
    };
    BUFFERS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut shared) => {
            let result = run(&mut shared);
            // A very large result does not keep its memory for the calls after it.
            if shared.tags.capacity() > KEEP_AT_MOST || shared.text.capacity() > KEEP_AT_MOST {
                *shared = Encoded::default();
            }
            result
        }
        Err(_) => run(&mut Encoded::default()),
    })
}

/// The buffer capacity kept between calls, in bytes.
const KEEP_AT_MOST: usize = 1 << 20;

/// The length of `s` in UTF-16 code units, what JavaScript's `String.prototype.length` gives:
/// one per UTF-8 sequence (every byte that is not a continuation byte), and one more for each
/// four-byte sequence (a surrogate pair). Counted over bytes: a `chars()` walk is a call per
/// character in the size-optimised wasm. (tests/wasm.rs crosses astral, BOM and CJK strings: a
/// miscount would shift every string after it.)
fn utf16_len(s: &str) -> u32 {
    let units: usize = s.bytes().map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)).sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

impl Encoded {
    fn u32(&mut self, n: u32) {
        self.tags.extend_from_slice(&n.to_le_bytes());
    }

    fn text(&mut self, s: &str) {
        let n = utf16_len(s);
        self.u32(n);
        self.text.push_str(s);
    }

    fn string(&mut self, s: &str) {
        self.tags.push(STRING);
        self.text(s);
    }

    fn number(&mut self, n: f64) {
        self.tags.push(NUMBER);
        self.tags.extend_from_slice(&n.to_le_bytes());
    }

    /// Opens an array or object: its tag and a count to be patched by [`Encoded::close`].
    fn open(&mut self, tag: u8) -> Compound<'_> {
        self.tags.push(tag);
        let at = self.tags.len();
        self.u32(0);
        Compound { out: self, at, count: 0 }
    }

    /// `{ variant: … }` around an enum variant's data: the object and its one key.
    fn variant(&mut self, variant: &str) -> usize {
        self.tags.push(OBJECT);
        self.u32(1);
        self.text(variant);
        self.tags.len()
    }
}

/// An array or object being written: where its count goes, and the count so far.
pub(crate) struct Compound<'a> {
    out: &'a mut Encoded,
    at: usize,
    count: u32,
}

impl Compound<'_> {
    fn close(self) {
        if let Some(slot) = self.out.tags.get_mut(self.at..self.at + 4) {
            slot.copy_from_slice(&self.count.to_le_bytes());
        }
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.count += 1;
        value.serialize(&mut *self.out)
    }

    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), EncodeError> {
        self.count += 1;
        self.out.text(key);
        value.serialize(&mut *self.out)
    }
}

impl<'a> ser::Serializer for &'a mut Encoded {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), EncodeError> {
        self.tags.push(if v { TRUE } else { FALSE });
        Ok(())
    }
    numbers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64, serialize_u8: u8,
        serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_f32: f32, serialize_f64: f64);
    fn serialize_char(self, v: char) -> Result<(), EncodeError> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), EncodeError> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), EncodeError> {
        let mut array = self.open(ARRAY);
        for b in v {
            array.item(b)?;
        }
        array.close();
        Ok(())
    }
    fn serialize_none(self) -> Result<(), EncodeError> {
        self.tags.push(NULL);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), EncodeError> {
        self.tags.push(NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), EncodeError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), EncodeError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        self.variant(variant);
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, EncodeError> {
        Ok(self.open(ARRAY))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, EncodeError> {
        Ok(self.open(ARRAY))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, EncodeError> {
        Ok(self.open(ARRAY))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, EncodeError> {
        self.variant(variant);
        Ok(self.open(ARRAY))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, EncodeError> {
        Ok(self.open(OBJECT))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, EncodeError> {
        Ok(self.open(OBJECT))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, EncodeError> {
        self.variant(variant);
        Ok(self.open(OBJECT))
    }
}

/// The sequence-like serde traits, all an array's items.
macro_rules! items {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = EncodeError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
                self.item(value)
            }
            fn end(self) -> Result<(), EncodeError> {
                self.close();
                Ok(())
            }
        }
    )*};
}

items!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), EncodeError> {
        self.count += 1;
        key.serialize(KeySerializer { out: &mut *self.out })
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        value.serialize(&mut *self.out)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.close();
        Ok(())
    }
}

/// The struct-like serde traits, an object's entries.
macro_rules! entries {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = EncodeError;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), EncodeError> {
                self.entry(key, value)
            }
            fn end(self) -> Result<(), EncodeError> {
                self.close();
                Ok(())
            }
        }
    )*};
}

entries!(SerializeStruct, SerializeStructVariant);

/// A map key: a string, or a number or boolean written as its string (as a JavaScript
/// property name would be).
struct KeySerializer<'a> {
    out: &'a mut Encoded,
}

impl KeySerializer<'_> {
    fn key(self, s: &str) -> Result<(), EncodeError> {
        self.out.text(s);
        Ok(())
    }
    fn refuse(what: &str) -> Result<(), EncodeError> {
        Err(EncodeError(format!("a map key is {what}, not a string")))
    }
}

impl ser::Serializer for KeySerializer<'_> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = ser::Impossible<(), EncodeError>;
    type SerializeTuple = ser::Impossible<(), EncodeError>;
    type SerializeTupleStruct = ser::Impossible<(), EncodeError>;
    type SerializeTupleVariant = ser::Impossible<(), EncodeError>;
    type SerializeMap = ser::Impossible<(), EncodeError>;
    type SerializeStruct = ser::Impossible<(), EncodeError>;
    type SerializeStructVariant = ser::Impossible<(), EncodeError>;

    fn serialize_bool(self, v: bool) -> Result<(), EncodeError> {
        self.key(if v { "true" } else { "false" })
    }
    // An integer as a key is its decimal text, as a JavaScript property name would be; a float
    // key is refused (NaN or 1e300 would not come back as the same key).
    int_keys!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64, serialize_u8: u8,
        serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);
    fn serialize_f32(self, _: f32) -> Result<(), EncodeError> {
        KeySerializer::refuse("a float")
    }
    fn serialize_f64(self, _: f64) -> Result<(), EncodeError> {
        KeySerializer::refuse("a float")
    }
    fn serialize_char(self, v: char) -> Result<(), EncodeError> {
        self.key(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), EncodeError> {
        self.key(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), EncodeError> {
        KeySerializer::refuse("bytes")
    }
    fn serialize_none(self) -> Result<(), EncodeError> {
        KeySerializer::refuse("none")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), EncodeError> {
        KeySerializer::refuse("unit")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), EncodeError> {
        KeySerializer::refuse("unit")
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), EncodeError> {
        self.key(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), EncodeError> {
        KeySerializer::refuse("an enum variant with data")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, EncodeError> {
        Err(EncodeError("a map key is a sequence, not a string".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, EncodeError> {
        Err(EncodeError("a map key is a tuple, not a string".into()))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, EncodeError> {
        Err(EncodeError("a map key is a tuple, not a string".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, EncodeError> {
        Err(EncodeError("a map key is a tuple, not a string".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, EncodeError> {
        Err(EncodeError("a map key is a map, not a string".into()))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, EncodeError> {
        Err(EncodeError("a map key is a struct, not a string".into()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, EncodeError> {
        Err(EncodeError("a map key is a struct, not a string".into()))
    }
}
