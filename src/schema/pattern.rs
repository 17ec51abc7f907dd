//! Patterns in form definitions: whole-value regular expressions on the `regex` crate, whose
//! matching is linear in the input, so no pattern can hang validation.
//!
//! The crate is built without its Unicode tables (they would cost ~56 KB gzip in the wasm). To
//! keep patterns meaning what their authors expect from JavaScript and JSON Schema (ECMA-262),
//! `\d \D \w \W \s \S` are rewritten to the ECMA-262 sets (`\d` is `[0-9]`, `\w` is
//! `[0-9A-Za-z_]`, `\s` is ECMA's white space and line terminators) and `\b \B` to ASCII word
//! boundaries. `\p{…}` classes and Unicode case folding `(?i)` are refused with a hint:
//! write ranges (`[\u{4E00}-\u{9FFF}]`) or ASCII folding (`(?i-u)`).

use regex::{Regex, RegexBuilder};

use crate::limits;

const DIGIT: &str = "0-9";
const WORD: &str = "0-9A-Za-z_";
const SPACE: &str = r"\t\n\x0B\x0C\r \u{A0}\u{1680}\u{2000}-\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{FEFF}";

/// Rewrites the Perl classes to their ECMA-262 sets (see the module docs).
pub(crate) fn ecma_classes(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 32);
    let mut chars = source.chars().peekable();
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(k) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let set = match k.to_ascii_lowercase() {
                    'd' => Some(DIGIT),
                    'w' => Some(WORD),
                    's' => Some(SPACE),
                    _ => None,
                };
                match (set, k.is_ascii_uppercase(), depth > 0) {
                    (Some(set), false, true) => out.push_str(set),
                    (Some(set), negated, _) => {
                        out.push('[');
                        if negated {
                            out.push('^');
                        }
                        out.push_str(set);
                        out.push(']');
                    }
                    (None, _, false) if k == 'b' || k == 'B' => {
                        out.push_str("(?-u:\\");
                        out.push(k);
                        out.push(')');
                    }
                    _ => {
                        out.push('\\');
                        out.push(k);
                    }
                }
            }
            '[' => {
                depth += 1;
                out.push('[');
                // `[]…]` and `[^]…]` start with a literal `]`.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Compiles a definition's pattern to match the whole value, or says why not.
pub(crate) fn compile(source: &str) -> Result<Regex, String> {
    if source.len() > limits::MAX_PATTERN_BYTES {
        return Err(format!("a pattern is at most {} bytes", limits::MAX_PATTERN_BYTES));
    }
    RegexBuilder::new(&format!("^(?:{})$", ecma_classes(source)))
        .size_limit(limits::MAX_PATTERN_COMPILED_BYTES)
        .dfa_size_limit(limits::MAX_PATTERN_COMPILED_BYTES)
        .build()
        .map_err(|e| {
            let hint = if source.contains("\\p") || source.contains("\\P") {
                " (Unicode classes \\p{…} are not supported: write ranges such as [\\u{4E00}-\\u{9FFF}])"
            } else if source.contains("(?i") {
                " (Unicode case folding is not supported: use (?i-u) for ASCII letters)"
            } else {
                ""
            };
            format!("not a valid pattern{hint}: {e}")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        compile(pattern).map(|r| r.is_match(text)).unwrap_or(false)
    }

    #[test]
    fn perl_classes_have_their_ecma_meaning() {
        assert!(matches(r"\d{6}", "100000"));
        assert!(!matches(r"\d", "٣"), "\\d is ASCII, as in JavaScript");
        assert!(matches(r"\w+", "abc_09"));
        assert!(!matches(r"\w", "中"));
        assert!(matches(r"a\sb", "a\u{3000}b"), "\\s includes the ideographic space, as in JavaScript");
        assert!(matches(r"[\d\-]+", "010-1234"));
        assert!(matches(r"[^\d]+", "abc"));
        assert!(matches(r"\D+", "abc") && !matches(r"\D", "1"));
        assert!(matches(r"[\D]", "a") || compile(r"[\D]").is_err());
        assert!(matches(r"\bab\b", "ab"));
        assert!(matches(r"\\d", "\\d"), "an escaped backslash stays literal");
        assert!(matches(r"[]a]+", "]a]"));
    }

    #[test]
    fn unicode_classes_are_refused_with_a_hint() {
        let err = compile(r"\p{Han}+").err().unwrap_or_default();
        assert!(err.contains("ranges"), "{err}");
        assert!(compile(r"(?i)abc").err().unwrap_or_default().contains("(?i-u)"));
        assert!(matches(r"(?i-u)abc", "ABC"));
        assert!(matches(r"[\u{4E00}-\u{9FFF}]+", "中文"));
    }
}
