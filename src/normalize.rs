//! Text normalisation of what people type, shared by the identifier checks (`ident/`), dates and
//! times (`time.rs`) and numbers (`rules/`): full-width ASCII → half-width, and the invisible
//! formatting characters that copying from a web page or a PDF carries into a field.
//!
//! Nothing here allocates unless the text has something to fold: plain ASCII without invisible
//! characters is returned as it is ([`half_width_cow`]).

use std::borrow::Cow;

/// Maps one full-width ASCII variant (U+FF01..U+FF5E) and the ideographic space to half-width.
pub fn half_width_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Whether `c` is an invisible formatting character that copying from a web page or a PDF can
/// carry into a field (zero-width space and joiners, word joiner, byte-order mark, soft hyphen).
/// A person cannot see or delete what they cannot see, so codes drop them rather than refuse a
/// valid licence over them.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Whether [`folded`] changes `c` (drops it or makes it half-width).
fn folds(c: char) -> bool {
    is_invisible(c) || matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}')
}

/// The characters of `input` without invisible formatting characters, full-width ASCII made
/// half-width; not trimmed. Allocates nothing.
pub fn folded(input: &str) -> impl Iterator<Item = char> + Clone + '_ {
    input.chars().filter(|&c| !is_invisible(c)).map(half_width_char)
}

/// Trims (including ideographic spaces), drops invisible formatting characters and converts
/// full-width ASCII to half-width.
pub fn half_width(input: &str) -> String {
    half_width_cow(input).into_owned()
}

/// [`half_width`] without a copy when there is nothing to fold: ASCII text (the common case, one
/// pass over the bytes) and text without full-width or invisible characters come back trimmed
/// and borrowed.
pub fn half_width_cow(input: &str) -> Cow<'_, str> {
    if input.is_ascii() || !input.chars().any(folds) {
        return Cow::Borrowed(input.trim());
    }
    let folded: String = folded(input).collect();
    match folded.trim() {
        t if t.len() == folded.len() => Cow::Owned(folded),
        t => Cow::Owned(t.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_width_trims_ideographic_space() {
        assert_eq!(half_width("\u{3000}ｅｘａｍｐｌｅ．ｃｎ "), "example.cn");
        assert_eq!(half_width(" a\u{200B}b "), "ab");
    }

    #[test]
    fn ascii_is_borrowed() {
        assert!(matches!(half_width_cow(" 2005-06-30 "), Cow::Borrowed("2005-06-30")));
        assert!(matches!(half_width_cow("2005年6月30日"), Cow::Borrowed(_)));
        assert!(matches!(half_width_cow("２００５"), Cow::Owned(_)));
    }
}
