//! Sealing: turning a validated form into a signed, verifiable payload (docs/payload.md).
//!
//! - [`jcs`] turns a JSON value into its RFC 8785 canonical bytes, and parses JSON strictly (no
//!   duplicate keys, no inexact big integers);
//! - [`b64`] is the strict unpadded base64url of JWS (RFC 7515 §2);
//! - [`keys`] holds the signature algorithms (Ed25519, ES256, SM2 with SM3) and their keys as JWK;
//! - [`envelope`] builds the payload and its JWS envelope, and verifies one.
//!
//! The core takes no randomness and reads no clock of its own: key seeds, nonces and times are
//! passed in by the caller (the CLI and the wasm façade supply them).

pub mod b64;
pub mod envelope;
pub mod jcs;
pub mod keys;
mod rederive;

pub use rederive::INPUT_WARNINGS;

/// The digests of an attachment's bytes, lower-case hex, as a portal puts them in the attachment
/// metadata: SHA-256 always, SM3 for seals with SM2 keys.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AttachmentDigests {
    /// SHA-256, 64 hex digits.
    pub sha256: String,
    /// SM3 (GB/T 32905), 64 hex digits.
    pub sm3: String,
}

/// SHA-256 and SM3 of `bytes`.
pub fn attachment_digests(bytes: &[u8]) -> AttachmentDigests {
    use sha2::Digest as _;
    fn hex(bytes: &[u8]) -> String {
        use std::fmt::Write as _;
        bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
    }
    AttachmentDigests { sha256: hex(&sha2::Sha256::digest(bytes)), sm3: hex(&sm3::Sm3::digest(bytes)) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn attachment_digests_of_abc() {
        // FIPS 180-2 B.1 and GB/T 32905 A.1, both of "abc".
        let d = super::attachment_digests(b"abc");
        assert_eq!(d.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(d.sm3, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }
}
