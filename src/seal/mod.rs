//! Sealing: the byte-level building blocks of a sealed payload. [`jcs`] turns a JSON value into its
//! RFC 8785 canonical bytes (and parses JSON strictly: no duplicate keys, no inexact big integers);
//! [`b64`] is the strict unpadded base64url of JWS (RFC 7515 §2).

pub mod b64;
pub mod jcs;
