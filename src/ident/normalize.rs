//! Input normalisation of codes and numbers (docs/identifiers.md, "Normalisation"): on top of the
//! crate's text normalisation ([`crate::normalize`]: half-width, invisible characters), upper-case
//! letters and no spaces or hyphens inside codes. The normalised value is what gets sealed.
//!
//! The checks read codes through [`TextBuf`], a fixed buffer on the stack, so a valid value costs
//! one allocation: its normalised form.

use std::borrow::Cow;

pub use crate::normalize::{half_width, half_width_char, half_width_cow, is_invisible};

/// Whether `c` is a separator people type inside codes: spaces of any width and hyphens/dashes.
pub fn is_code_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{3000}' | '\u{00A0}' | '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FF0D}' | '\u{30FC}'
    )
}

/// The characters of a code: half-width, upper-case ASCII letters, no spaces or hyphens.
pub fn code_chars(input: &str) -> impl Iterator<Item = char> + Clone + '_ {
    crate::normalize::folded(input).filter(|&c| !is_code_separator(c)).map(|c| c.to_ascii_uppercase())
}

/// Normalises a code: half-width, upper-case ASCII letters, no spaces or hyphens.
/// `"９１１１ 0000-600037341l"` → `"91110000600037341L"`.
pub fn code(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    out.extend(code_chars(input));
    out
}

/// Longest input (in characters) any identifier check reads; longer input is refused early with a
/// length finding, so no check does unbounded work on hostile input.
pub const MAX_INPUT_CHARS: usize = 64;

/// Whether `input` has more than [`MAX_INPUT_CHARS`] characters (reads at most that many + 1).
pub fn too_long(input: &str) -> bool {
    input.len() > MAX_INPUT_CHARS && input.chars().nth(MAX_INPUT_CHARS).is_some()
}

/// Number of characters of `input`, for a `length` parameter.
pub fn char_count(input: &str) -> usize {
    input.chars().count()
}

/// The characters of a structured number whose hyphens carry meaning: half-width, upper-case
/// ASCII letters, no spaces of any kind, every dash variant as `-`.
pub fn compact_chars(input: &str) -> impl Iterator<Item = char> + Clone + '_ {
    crate::normalize::folded(input)
        .filter(|c| !matches!(c, ' ' | '\t' | '\u{3000}' | '\u{00A0}' | '\r' | '\n'))
        .map(|c| if is_code_separator(c) { '-' } else { c.to_ascii_uppercase() })
}

/// Normalises a structured number whose hyphens carry meaning (filing numbers, `粤B2-20090059-5`):
/// half-width, upper-case ASCII letters, no spaces of any kind, every dash variant as `-`.
pub fn compact(input: &str) -> String {
    compact_chars(input).collect()
}

/// `parts` joined, in one allocation of exactly their length (a normalised value).
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// `normal` borrowed from `input` when it is `input` itself or `input` trimmed (a value typed as
/// it is printed), else owned: [`borrow_or_concat`] of one part.
pub(crate) fn borrow_or_own<'a>(input: &'a str, normal: &str) -> Cow<'a, str> {
    borrow_or_concat(input, &[normal])
}

/// `parts` joined: borrowed from `input` when they spell `input` itself or `input` trimmed, else
/// [`concat`]ed (one allocation of exactly their length). The comparison reads the input at most
/// once, with no allocation: far cheaper than the copy it saves.
pub(crate) fn borrow_or_concat<'a>(input: &'a str, parts: &[&str]) -> Cow<'a, str> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    if len == input.len() {
        if spells(input, parts) {
            return Cow::Borrowed(input);
        }
    } else if len < input.len() && may_trim(input) {
        let trimmed = input.trim();
        if trimmed.len() == len && spells(trimmed, parts) {
            return Cow::Borrowed(trimmed);
        }
    }
    Cow::Owned(concat(parts))
}

/// Whether `s` may start or end with white space: false, without decoding, when its first and last
/// bytes are visible ASCII.
fn may_trim(s: &str) -> bool {
    let visible = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    !(visible(s.as_bytes().first()) && visible(s.as_bytes().last()))
}

/// Whether `parts`, one after the other, are exactly `text` (whose length is theirs). One part is
/// compared at once; several byte by byte, as they are short and a `memcmp` call per part measured
/// slower (`icp-number/valid`, 5 parts of 0-8 bytes: about 1.5× the time of building the string).
fn spells(text: &str, parts: &[&str]) -> bool {
    if let [one] = parts {
        return text == *one;
    }
    let mut at = 0;
    for p in parts {
        let end = at + p.len();
        match text.as_bytes().get(at..end) {
            Some(t) if t.iter().zip(p.as_bytes()).all(|(a, b)| a == b) => at = end,
            _ => return false,
        }
    }
    at == text.len()
}

/// Bytes of a [`TextBuf`]: [`MAX_INPUT_CHARS`] characters of at most 4 UTF-8 bytes each.
const TEXT_BUF_BYTES: usize = MAX_INPUT_CHARS * 4;

/// A short text on the stack: what a check reads of an input of at most [`MAX_INPUT_CHARS`]
/// characters after normalisation, without allocating. Text past its capacity is not kept and
/// marks it [`TextBuf::overflowed`] (checks refuse longer input before filling one).
#[derive(Clone)]
pub(crate) struct TextBuf {
    bytes: [u8; TEXT_BUF_BYTES],
    len: usize,
    overflowed: bool,
}

impl TextBuf {
    /// An empty buffer.
    pub fn new() -> Self {
        TextBuf { bytes: [0; TEXT_BUF_BYTES], len: 0, overflowed: false }
    }

    /// A buffer holding `chars`.
    pub fn collect(chars: impl IntoIterator<Item = char>) -> Self {
        let mut buf = TextBuf::new();
        for c in chars {
            buf.push(c);
        }
        buf
    }

    /// Appends `c`, unless it does not fit.
    pub fn push(&mut self, c: char) {
        let end = self.len + c.len_utf8();
        match self.bytes.get_mut(self.len..end) {
            Some(slot) => {
                c.encode_utf8(slot);
                self.len = end;
            }
            None => self.overflowed = true,
        }
    }

    /// Whether some text did not fit.
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Only whole characters are ever written, so this never fails.
        self.bytes.get(..self.len).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("")
    }
}

impl std::fmt::Write for TextBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        s.chars().for_each(|c| self.push(c));
        Ok(())
    }
}

/// `value`'s `Display` text: borrowed from `input` when it is `input` itself or `input` trimmed,
/// else in one allocation of its exact length (`to_string` grows a string as the formatter writes,
/// several allocations for an IP address).
pub(crate) fn display_borrowed<'a>(input: &'a str, value: &impl std::fmt::Display) -> Cow<'a, str> {
    use std::fmt::Write;
    let mut buf = TextBuf::new();
    match write!(buf, "{value}") {
        Ok(()) if !buf.overflowed() => borrow_or_own(input, buf.as_str()),
        _ => Cow::Owned(value.to_string()),
    }
}

impl Default for TextBuf {
    fn default() -> Self {
        TextBuf::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_and_letters_become_half_width() {
        assert_eq!(code("９１１１００００６０００３７３４１Ｌ"), "91110000600037341L");
        assert_eq!(code(" 6000 3734-1 "), "600037341");
        assert_eq!(code("abc－x"), "ABCX");
    }

    #[test]
    fn compact_keeps_hyphens_and_drops_spaces() {
        assert_eq!(compact(" 粤ｂ２－2009 0059—5 "), "粤B2-20090059-5");
        assert_eq!(compact("京icp备 123号"), "京ICP备123号");
    }

    #[test]
    fn too_long_is_bounded() {
        assert!(!too_long(&"a".repeat(MAX_INPUT_CHARS)));
        assert!(!too_long(&"身".repeat(MAX_INPUT_CHARS)));
        assert!(too_long(&"身".repeat(MAX_INPUT_CHARS + 1)));
        assert!(too_long(&"a".repeat(MAX_INPUT_CHARS + 1)));
    }

    #[test]
    fn half_width_trims_ideographic_space() {
        assert_eq!(half_width("\u{3000}ｅｘａｍｐｌｅ．ｃｎ "), "example.cn");
    }

    #[test]
    fn a_normal_form_spelling_the_input_is_borrowed() {
        let input = " 京ICP备05012345号 ";
        assert!(matches!(borrow_or_concat(input, &[input]), Cow::Borrowed(s) if s == input));
        assert!(matches!(borrow_or_concat(input, &["京ICP备", "05012345", "号"]), Cow::Borrowed("京ICP备05012345号")));
        assert!(matches!(borrow_or_own("91110000600037341L", "91110000600037341L"), Cow::Borrowed(_)));
        // Same bytes in other places, or text left over, is not the input.
        assert!(matches!(borrow_or_concat("+8613901012345", &["+86", "1390101234"]), Cow::Owned(_)));
        assert!(
            matches!(borrow_or_concat("13901012345", &["+86", "13901012345"]), Cow::Owned(s) if s == "+8613901012345")
        );
        assert!(matches!(borrow_or_own("", ""), Cow::Borrowed("")));
        assert!(matches!(borrow_or_own("  ", "x"), Cow::Owned(s) if s == "x"));
        assert!(matches!(borrow_or_own("\u{3000}12377\n", "12377"), Cow::Borrowed("12377")));
        assert!(matches!(borrow_or_own("a12377b", "12377"), Cow::Owned(_)));
    }

    #[test]
    fn text_buf_holds_64_wide_characters_and_no_more() {
        let wide = "𝈆".repeat(MAX_INPUT_CHARS);
        let buf = TextBuf::collect(wide.chars());
        assert_eq!(buf.as_str(), wide);
        assert!(!buf.overflowed());
        let mut buf = buf;
        buf.push('a');
        assert!(buf.overflowed());
        assert_eq!(buf.as_str(), wide);
    }
}
