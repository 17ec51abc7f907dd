//! Sealing: turning a validated form into a signed, verifiable payload (DESIGN.md "Sealing").
//!
//! [`keys`] holds the signature algorithms (Ed25519, ES256, SM2 with SM3) and their keys as JWK.
//! The core takes no randomness and reads no clock of its own: key seeds (and later nonces and
//! times) are passed in by the caller.

pub mod keys;
