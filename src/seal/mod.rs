//! Sealing: turning a validated form into a signed, verifiable payload (DESIGN.md "Sealing").
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
