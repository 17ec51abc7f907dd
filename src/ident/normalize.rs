//! Input normalisation shared by every identifier check (docs/identifiers.md, "Normalisation"):
//! trim, full-width → half-width, upper-case letters, drop spaces and hyphens inside codes.
//! The normalised value is what gets sealed.

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

/// Trims (including ideographic spaces), drops invisible formatting characters and converts
/// full-width ASCII to half-width.
pub fn half_width(input: &str) -> String {
    input.chars().filter(|&c| !is_invisible(c)).map(half_width_char).collect::<String>().trim().to_owned()
}

/// Whether `c` is a separator people type inside codes: spaces of any width and hyphens/dashes.
pub fn is_code_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{3000}' | '\u{00A0}' | '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FF0D}' | '\u{30FC}'
    )
}

/// Normalises a code: half-width, upper-case ASCII letters, no spaces or hyphens.
/// `"９１１１ 0000-600037341l"` → `"91110000600037341L"`.
pub fn code(input: &str) -> String {
    input
        .chars()
        .filter(|&c| !is_invisible(c))
        .map(half_width_char)
        .filter(|&c| !is_code_separator(c))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Longest input (in characters) any identifier check reads; longer input is refused early with a
/// length finding, so no check does unbounded work on hostile input.
pub const MAX_INPUT_CHARS: usize = 64;

/// Whether `input` has more than [`MAX_INPUT_CHARS`] characters (reads at most that many + 1).
pub fn too_long(input: &str) -> bool {
    input.chars().nth(MAX_INPUT_CHARS).is_some()
}

/// Number of characters of `input`, for a `length` parameter.
pub fn char_count(input: &str) -> usize {
    input.chars().count()
}

/// Normalises a structured number whose hyphens carry meaning (filing numbers, `粤B2-20090059-5`):
/// half-width, upper-case ASCII letters, no spaces of any kind, every dash variant as `-`.
pub fn compact(input: &str) -> String {
    input
        .chars()
        .filter(|&c| !is_invisible(c))
        .map(half_width_char)
        .filter(|c| !matches!(c, ' ' | '\t' | '\u{3000}' | '\u{00A0}' | '\r' | '\n'))
        .map(|c| if is_code_separator(c) { '-' } else { c.to_ascii_uppercase() })
        .collect()
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
        assert!(too_long(&"身".repeat(MAX_INPUT_CHARS + 1)));
    }

    #[test]
    fn half_width_trims_ideographic_space() {
        assert_eq!(half_width("\u{3000}ｅｘａｍｐｌｅ．ｃｎ "), "example.cn");
    }
}
