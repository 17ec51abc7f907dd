//! Base64url without padding (RFC 4648 §5, as JWS uses it: RFC 7515 §2), strict.
//!
//! [`decode`] accepts exactly the strings [`encode`] produces: it refuses `=`, `+`, `/`,
//! whitespace and every other character outside `A-Z a-z 0-9 - _`, a length of 1 mod 4, and
//! non-zero unused bits in the last character. So every byte string has one spelling, and a JWS
//! verifier never accepts two spellings of the same signed bytes.

use std::fmt;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Why a string is not strict unpadded base64url.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct B64Error {
    code: &'static str,
    message: String,
}

impl B64Error {
    fn new(code: &'static str, message: String) -> Self {
        B64Error { code, message }
    }

    /// A stable code: `b64_character` (a character outside the url alphabet, padding included),
    /// `b64_length` (length 1 mod 4), `b64_non_canonical` (unused bits not zero).
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// A message in English for logs.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for B64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for B64Error {}

fn symbol(sextet: u32) -> char {
    // `sextet & 63` is always a valid index; `get` keeps the no-indexing rule without a panic path.
    ALPHABET.get((sextet & 63) as usize).map_or('A', |&b| char::from(b))
}

/// Encodes bytes as base64url without padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let (b0, b1, b2) = match *chunk {
            [a, b, c] => (a, Some(b), Some(c)),
            [a, b] => (a, Some(b), None),
            [a] => (a, None, None),
            _ => continue,
        };
        let n = u32::from(b0) << 16 | u32::from(b1.unwrap_or(0)) << 8 | u32::from(b2.unwrap_or(0));
        out.push(symbol(n >> 18));
        out.push(symbol(n >> 12));
        if b1.is_some() {
            out.push(symbol(n >> 6));
        }
        if b2.is_some() {
            out.push(symbol(n));
        }
    }
    out
}

fn value(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes strict unpadded base64url (see the module documentation for what is refused).
pub fn decode(text: &str) -> Result<Vec<u8>, B64Error> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return Err(B64Error::new("b64_length", format!("length {} is 1 more than a multiple of 4", bytes.len())));
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for (i, chunk) in bytes.chunks(4).enumerate() {
        let mut n = 0u32;
        for (j, &c) in chunk.iter().enumerate() {
            let v = value(c).ok_or_else(|| {
                let at = i * 4 + j;
                let shown = text.get(at..).and_then(|s| s.chars().next()).unwrap_or(char::from(c));
                B64Error::new("b64_character", format!("{shown:?} at byte {at} is not in the base64url alphabet"))
            })?;
            n = n << 6 | v;
        }
        let [_, b0, b1, b2] = match chunk.len() {
            4 => n,
            3 => n << 6,
            _ => n << 12,
        }
        .to_be_bytes();
        let (keep, unused) = match chunk.len() {
            4 => (3, 0),
            3 => (2, n & 0x3),
            _ => (1, n & 0xf),
        };
        if unused != 0 {
            return Err(B64Error::new(
                "b64_non_canonical",
                "the unused bits of the last character are not zero".into(),
            ));
        }
        out.extend([b0, b1, b2].into_iter().take(keep));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4648 §10, in the url alphabet (these use no `+` or `/`) and without padding.
    const RFC4648: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg"),
        ("fo", "Zm8"),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg"),
        ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ];

    #[test]
    fn rfc4648_vectors() {
        for (plain, coded) in RFC4648 {
            assert_eq!(encode(plain.as_bytes()), coded);
            assert_eq!(decode(coded).unwrap(), plain.as_bytes(), "{coded}");
        }
    }

    #[test]
    fn url_alphabet_and_round_trip() {
        // 0xfb 0xff is "+/8=" in standard base64 and "-_8" here.
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode("-_8").unwrap(), [0xfb, 0xff]);
        let all: Vec<u8> = (0..=255).collect();
        for len in 0..all.len() {
            let bytes = &all[..len];
            assert_eq!(decode(&encode(bytes)).unwrap(), bytes);
        }
        // RFC 7515 A.1's protected header.
        assert_eq!(encode(b"{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}"), "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9");
    }

    #[test]
    fn refusals() {
        for (text, code) in [
            ("Zg==", "b64_character"),
            ("Zm8=", "b64_character"),
            ("+_8", "b64_character"),
            ("-/8", "b64_character"),
            ("Zm9v Yg", "b64_character"),
            ("Zm9v\nYg", "b64_character"),
            (" Zg", "b64_character"),
            ("Zg\t", "b64_character"),
            ("Zm9vé", "b64_character"),
            ("Zm.v", "b64_character"),
            ("Z", "b64_length"),
            ("Zm9vY", "b64_length"),
            ("Zh", "b64_non_canonical"),
            ("Zm9", "b64_non_canonical"),
            ("Zm9vYh", "b64_non_canonical"),
            ("Zm9vYmF", "b64_non_canonical"),
        ] {
            let e = decode(text).unwrap_err();
            assert_eq!(e.code(), code, "{text:?}: {e}");
            assert!(!e.message().is_empty());
        }
    }

    #[test]
    fn every_non_canonical_tail_is_refused() {
        // A 2-character tail leaves 4 unused bits, so 4 of the 64 last characters are canonical;
        // a 3-character tail leaves 2, so 16 are.
        for tail in ["Z", "Zm"] {
            let ok = ALPHABET.iter().filter(|&&c| decode(&format!("{tail}{}", char::from(c))).is_ok()).count();
            assert_eq!(ok, if tail.len() == 1 { 4 } else { 16 }, "{tail}");
        }
    }

    #[test]
    fn round_trips_and_is_strict() {
        for len in 0..10 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 200) as u8).collect();
            let text = encode(&bytes);
            assert!(!text.contains('='));
            assert_eq!(decode(&text).ok(), Some(bytes));
        }
        assert_eq!(encode(b"\xfb\xff"), "-_8");
        assert_eq!(decode("-_8").ok(), Some(b"\xfb\xff".to_vec()));
        assert_eq!(decode("-_9").ok(), None, "non-zero unused bits");
        assert_eq!(decode("QQ==").ok(), None, "padding");
        assert_eq!(decode("Q+/A").ok(), None, "standard alphabet");
        assert_eq!(decode("QUJDR").ok(), None, "4k + 1 characters");
        assert_eq!(decode("QU JD").ok(), None, "whitespace");
        assert_eq!(decode("QQ").ok(), Some(b"A".to_vec()));
    }
}
