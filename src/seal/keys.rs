//! Signature algorithms and their keys, as JWK (RFC 7517).
//!
//! | [`Algorithm`] | JOSE `alg` | JWK | signature |
//! |---|---|---|---|
//! | `EdDSA` | `EdDSA` (RFC 8037) | `{"kty":"OKP","crv":"Ed25519","x"[,"d"]}` | 64 bytes (RFC 8032) |
//! | `Es256` | `ES256` (RFC 7518) | `{"kty":"EC","crv":"P-256","x","y"[,"d"]}` | 64 bytes `r ‖ s` |
//! | `Sm2Sm3` | `SM2-SM3` (this project's name) | `{"kty":"EC","crv":"SM2","x","y"[,"d"]}` | 64 bytes `r ‖ s` |
//!
//! JOSE registers neither an `alg` for SM2 nor a `crv` for its curve, so `SM2-SM3` and `SM2` are
//! this project's names. `SM2-SM3` is the SM2 signature of GB/T 32918.2 over the recommended curve
//! (GB/T 32918.5), with SM3 as the hash and the Z_A user-information digest computed with the
//! default user ID [`SM2_DEFAULT_USER_ID`] (`1234567812345678`, GM/T 0009): `e = SM3(Z_A ‖ M)`.
//! Coordinates and private scalars are 32-byte big-endian values in base64url without padding, as
//! RFC 7518 §6.2 prescribes for P-256.
//!
//! Keys written by [`PrivateKey::to_jwk`] and [`PublicKey::to_jwk`] always carry `alg`, and `kid`
//! when the key has one. Keys read with `from_jwk` may omit both; an `alg` that is present must be
//! the one the key type implies, and `use`, when present, must be `sig`.
//!
//! The core takes no randomness of its own: [`PrivateKey::from_seed`] takes 32 random bytes from
//! the caller (`crypto.getRandomValues` in a browser, the OS generator in the CLI). Signing is
//! deterministic for all three algorithms (RFC 8032; RFC 6979 nonces for ES256 and SM2).

use std::fmt;

use ed25519_dalek::{Signer as _, Verifier as _};
use serde_json::{Map, Value};

use super::b64;

/// The user ID (`ID_A`) that enters the SM2 Z_A digest: `1234567812345678`, the default of GM/T
/// 0009 and of most SM2 implementations (OpenSSL needs `-pkeyopt distid:1234567812345678`).
pub const SM2_DEFAULT_USER_ID: &str = "1234567812345678";

/// Most keys a key set may hold (an untrusted-input limit).
const MAX_KEYS: usize = 100;

/// The order `n` of the SM2 curve minus one: the one non-zero scalar that cannot sign, since SM2
/// needs `(1 + d)⁻¹` (GB/T 32918.1 requires `d ∈ [1, n − 2]`).
const SM2_N_MINUS_1: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x72, 0x03, 0xDF,
    0x6B, 0x21, 0xC6, 0x05, 0x2B, 0x53, 0xBB, 0xF4, 0x09, 0x39, 0xD5, 0x41, 0x22,
];

/// A signature algorithm of a seal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// Ed25519 (RFC 8032), JOSE `EdDSA` (RFC 8037).
    EdDSA,
    /// ECDSA over P-256 with SHA-256, JOSE `ES256` (RFC 7518 §3.4); the signature is `r ‖ s`.
    Es256,
    /// SM2 with SM3 and the Z_A digest of the default user ID (GB/T 32918.2), named `SM2-SM3` by
    /// this project; the signature is `r ‖ s`.
    Sm2Sm3,
}

impl Algorithm {
    /// The JOSE `alg` name: `EdDSA`, `ES256`, `SM2-SM3`.
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::EdDSA => "EdDSA",
            Algorithm::Es256 => "ES256",
            Algorithm::Sm2Sm3 => "SM2-SM3",
        }
    }

    /// The algorithm with this exact (case-sensitive) `alg` name, or `None` (`none`, `HS256`, …).
    pub fn parse(name: &str) -> Option<Algorithm> {
        match name {
            "EdDSA" => Some(Algorithm::EdDSA),
            "ES256" => Some(Algorithm::Es256),
            "SM2-SM3" => Some(Algorithm::Sm2Sm3),
            _ => None,
        }
    }

    const fn kty(self) -> &'static str {
        match self {
            Algorithm::EdDSA => "OKP",
            Algorithm::Es256 | Algorithm::Sm2Sm3 => "EC",
        }
    }

    const fn crv(self) -> &'static str {
        match self {
            Algorithm::EdDSA => "Ed25519",
            Algorithm::Es256 => "P-256",
            Algorithm::Sm2Sm3 => "SM2",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A key that cannot be made or read. Opaque; match on [`KeyError::code`], which is stable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyError {
    code: &'static str,
    message: String,
}

impl KeyError {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        KeyError { code, message: message.into() }
    }

    fn invalid(message: impl Into<String>) -> Self {
        KeyError::new("jwk_invalid", message)
    }

    /// Stable snake_case code: `jwk_invalid` (not a well-formed JWK of its type, or a point not on
    /// the curve), `jwk_unsupported` (another `kty`/`crv`), `jwk_key_mismatch` (`d` does not give
    /// `x`/`y`), `jwk_alg_mismatch`, `jwk_private_in_key_set`, `jwk_missing_kid`,
    /// `jwk_duplicate_kid`, `jwk_too_many_keys`, `seed_invalid`, `sign_failed`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// What is wrong, in English.
    pub fn message(&self) -> &str {
        &self.message
    }

    fn at(self, index: usize) -> Self {
        KeyError { code: self.code, message: format!("keys[{index}]: {}", self.message) }
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "key: {}", self.message)
    }
}

impl std::error::Error for KeyError {}

#[derive(Clone)]
enum Signing {
    Ed25519(ed25519_dalek::SigningKey),
    P256(p256::ecdsa::SigningKey),
    Sm2(sm2::dsa::SigningKey),
}

#[derive(Clone)]
enum Verifying {
    Ed25519(ed25519_dalek::VerifyingKey),
    P256(p256::ecdsa::VerifyingKey),
    Sm2(sm2::dsa::VerifyingKey),
}

/// A private signing key of one [`Algorithm`], with an optional key id. Its `Debug` shows the
/// algorithm and key id only; the secret is zeroed when the key is dropped.
#[derive(Clone)]
pub struct PrivateKey {
    kid: Option<String>,
    inner: Signing,
}

/// A public verification key of one [`Algorithm`], with an optional key id.
#[derive(Clone)]
pub struct PublicKey {
    kid: Option<String>,
    inner: Verifying,
}

impl PrivateKey {
    /// Makes a key from 32 bytes the caller drew from a cryptographically secure generator.
    ///
    /// For `EdDSA` the bytes are the RFC 8032 secret key and every seed works. For `ES256` and
    /// `SM2-SM3` they are the big-endian private scalar `d`, which must lie in `[1, n − 1]`
    /// (`[1, n − 2]` for SM2); a seed outside is refused with `seed_invalid` and the caller should
    /// retry with new random bytes. With random seeds that happens with probability below 2⁻³²,
    /// and reducing the seed instead would bias the key.
    pub fn from_seed(alg: Algorithm, kid: Option<String>, seed: &[u8; 32]) -> Result<PrivateKey, KeyError> {
        let inner = signing_from_scalar(alg, seed).map_err(|()| {
            KeyError::new(
                "seed_invalid",
                format!("the seed is not a valid {alg} private key; retry with new random bytes"),
            )
        })?;
        Ok(PrivateKey { kid, inner })
    }

    /// A new key from the caller's random source: `random` fills 32 bytes (the OS generator in the
    /// CLI, `crypto.getRandomValues` in a browser). A seed that is not a valid scalar, which
    /// happens with probability below 2⁻³², is drawn again rather than reduced (no bias).
    pub fn generate<E>(
        alg: Algorithm,
        kid: Option<String>,
        random: &mut dyn FnMut(&mut [u8; 32]) -> Result<(), E>,
    ) -> Result<PrivateKey, GenerateError<E>> {
        let mut seed = [0u8; 32];
        for _ in 0..16 {
            random(&mut seed).map_err(GenerateError::Random)?;
            if let Ok(key) = PrivateKey::from_seed(alg, kid.clone(), &seed) {
                seed.fill(0);
                return Ok(key);
            }
        }
        Err(GenerateError::Key(KeyError::new("seed_invalid", "sixteen random seeds in a row were not valid keys")))
    }

    /// Reads a private JWK (with `d`). Checks that `d` gives the public `x` (and `y`).
    pub fn from_jwk(jwk: &Value) -> Result<PrivateKey, KeyError> {
        let parsed = parse_jwk(jwk)?;
        let Some(d) = parsed.d else {
            return Err(KeyError::invalid("a private key needs its `d` member"));
        };
        let inner = signing_from_scalar(parsed.alg, &d)
            .map_err(|()| KeyError::invalid(format!("`d` is not a valid {} private key", parsed.alg)))?;
        let key = PrivateKey { kid: parsed.kid, inner };
        if key.public().coordinates() != parsed.public {
            return Err(KeyError::new("jwk_key_mismatch", "`d` does not belong to the public key in `x`/`y`"));
        }
        Ok(key)
    }

    /// The private JWK: the public members, `d`, `alg`, and `kid` if the key has one.
    pub fn to_jwk(&self) -> Value {
        let mut jwk = self.public().jwk_object();
        let d = match &self.inner {
            Signing::Ed25519(k) => b64::encode(k.as_bytes()),
            Signing::P256(k) => b64::encode(&k.to_bytes()),
            Signing::Sm2(k) => b64::encode(&k.to_bytes()),
        };
        jwk.insert("d".into(), Value::String(d));
        Value::Object(jwk)
    }

    /// The public half, with the same key id.
    pub fn public(&self) -> PublicKey {
        let inner = match &self.inner {
            Signing::Ed25519(k) => Verifying::Ed25519(k.verifying_key()),
            Signing::P256(k) => Verifying::P256(*k.verifying_key()),
            Signing::Sm2(k) => Verifying::Sm2(k.verifying_key().clone()),
        };
        PublicKey { kid: self.kid.clone(), inner }
    }

    /// Signs `msg` (for a JWS, the ASCII signing input `header.payload`); returns the 64-byte
    /// signature. Deterministic. `sign_failed` can only come from SM2, whose nonce derivation may
    /// give up with probability about 2⁻²⁵⁵ per signature rather than loop.
    pub fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, KeyError> {
        match &self.inner {
            Signing::Ed25519(k) => Ok(k.sign(msg).to_bytes().to_vec()),
            Signing::P256(k) => {
                let sig: p256::ecdsa::Signature = k.sign(msg);
                Ok(sig.to_bytes().to_vec())
            }
            Signing::Sm2(k) => match k.try_sign(msg) {
                Ok(sig) => Ok(sig.to_bytes().to_vec()),
                Err(_) => Err(KeyError::new("sign_failed", "SM2 signing failed; this is astronomically rare")),
            },
        }
    }

    /// The key's algorithm.
    pub fn alg(&self) -> Algorithm {
        self.inner.alg()
    }

    /// The key id, if the key has one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }
}

/// Why [`PrivateKey::generate`] failed: the random source, or (never in practice) the key.
#[derive(Debug)]
pub enum GenerateError<E> {
    /// The random source failed.
    Random(E),
    /// No valid key came out.
    Key(KeyError),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey").field("alg", &self.alg()).field("kid", &self.kid).finish_non_exhaustive()
    }
}

impl PublicKey {
    /// Reads a public JWK. A JWK with `d` is refused (`jwk_private_in_key_set`): a set of trusted
    /// keys must not hold private keys. The point must be on the curve (and, for Ed25519, decode).
    pub fn from_jwk(jwk: &Value) -> Result<PublicKey, KeyError> {
        let parsed = parse_jwk(jwk)?;
        if parsed.d.is_some() {
            return Err(KeyError::new(
                "jwk_private_in_key_set",
                "the key has a private part `d`; give only public keys to verify with",
            ));
        }
        let inner = verifying_from_coordinates(parsed.alg, &parsed.public)
            .map_err(|()| KeyError::invalid(format!("`x`/`y` is not a valid {} public key", parsed.alg)))?;
        Ok(PublicKey { kid: parsed.kid, inner })
    }

    /// The public JWK: `kty`, `crv`, `x`, `y` (EC), `alg`, and `kid` if the key has one.
    pub fn to_jwk(&self) -> Value {
        Value::Object(self.jwk_object())
    }

    /// Whether `sig` is a valid signature of `msg` under this key. A signature of the wrong length
    /// or with out-of-range values is simply invalid. Ed25519 uses `verify_strict` (refuses
    /// small-order keys and non-canonical `R`); ES256 accepts high and low `s`, as JOSE does.
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        match &self.inner {
            Verifying::Ed25519(k) => match <[u8; 64]>::try_from(sig) {
                Ok(bytes) => k.verify_strict(msg, &ed25519_dalek::Signature::from_bytes(&bytes)).is_ok(),
                Err(_) => false,
            },
            Verifying::P256(k) => match p256::ecdsa::Signature::from_slice(sig) {
                Ok(sig) => k.verify(msg, &sig).is_ok(),
                Err(_) => false,
            },
            Verifying::Sm2(k) => match sm2::dsa::Signature::from_slice(sig) {
                Ok(sig) => k.verify(msg, &sig).is_ok(),
                Err(_) => false,
            },
        }
    }

    /// The key's algorithm.
    pub fn alg(&self) -> Algorithm {
        self.inner.alg()
    }

    /// The key id, if the key has one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// `x` (Ed25519: the 32-byte encoded point) and `y` (EC only, else empty).
    fn coordinates(&self) -> Coordinates {
        match &self.inner {
            Verifying::Ed25519(k) => Coordinates { x: k.to_bytes().to_vec(), y: Vec::new() },
            Verifying::P256(k) => split_sec1(k.to_sec1_point(false).as_bytes()),
            Verifying::Sm2(k) => {
                use sm2::elliptic_curve::sec1::ToSec1Point as _;
                split_sec1(k.to_sec1_point(false).as_bytes())
            }
        }
    }

    fn jwk_object(&self) -> Map<String, Value> {
        let alg = self.alg();
        let c = self.coordinates();
        let mut jwk = Map::new();
        jwk.insert("kty".into(), alg.kty().into());
        jwk.insert("crv".into(), alg.crv().into());
        jwk.insert("x".into(), b64::encode(&c.x).into());
        if alg != Algorithm::EdDSA {
            jwk.insert("y".into(), b64::encode(&c.y).into());
        }
        jwk.insert("alg".into(), alg.name().into());
        if let Some(kid) = &self.kid {
            jwk.insert("kid".into(), kid.as_str().into());
        }
        jwk
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey").field("alg", &self.alg()).field("kid", &self.kid).finish_non_exhaustive()
    }
}

/// Reads the keys to verify with: a JWKS `{"keys":[…]}` or a single JWK. Every key must be public
/// and have a `kid` (verifiers pick the key, and so the algorithm, by key id), and no two keys may
/// share one. At most 100 keys.
pub fn key_set(value: &Value) -> Result<Vec<PublicKey>, KeyError> {
    let jwks: &[Value] = match value.get("keys") {
        Some(Value::Array(keys)) => keys,
        Some(_) => return Err(KeyError::invalid("`keys` must be an array of JWKs")),
        None => std::slice::from_ref(value),
    };
    if jwks.is_empty() {
        return Err(KeyError::invalid("the key set is empty"));
    }
    if jwks.len() > MAX_KEYS {
        return Err(KeyError::new("jwk_too_many_keys", format!("a key set holds at most {MAX_KEYS} keys")));
    }
    let mut keys: Vec<PublicKey> = Vec::with_capacity(jwks.len());
    for (index, jwk) in jwks.iter().enumerate() {
        let key = PublicKey::from_jwk(jwk).map_err(|e| e.at(index))?;
        let Some(kid) = key.kid() else {
            return Err(KeyError::new("jwk_missing_kid", "every key in a key set needs a `kid`").at(index));
        };
        if keys.iter().any(|k| k.kid() == Some(kid)) {
            return Err(KeyError::new("jwk_duplicate_kid", format!("the key id {kid:?} is used twice")).at(index));
        }
        keys.push(key);
    }
    Ok(keys)
}

impl Signing {
    fn alg(&self) -> Algorithm {
        match self {
            Signing::Ed25519(_) => Algorithm::EdDSA,
            Signing::P256(_) => Algorithm::Es256,
            Signing::Sm2(_) => Algorithm::Sm2Sm3,
        }
    }
}

impl Verifying {
    fn alg(&self) -> Algorithm {
        match self {
            Verifying::Ed25519(_) => Algorithm::EdDSA,
            Verifying::P256(_) => Algorithm::Es256,
            Verifying::Sm2(_) => Algorithm::Sm2Sm3,
        }
    }
}

fn signing_from_scalar(alg: Algorithm, d: &[u8; 32]) -> Result<Signing, ()> {
    match alg {
        Algorithm::EdDSA => Ok(Signing::Ed25519(ed25519_dalek::SigningKey::from_bytes(d))),
        Algorithm::Es256 => p256::ecdsa::SigningKey::from_slice(d).map(Signing::P256).map_err(|_| ()),
        Algorithm::Sm2Sm3 => {
            if *d == SM2_N_MINUS_1 {
                return Err(());
            }
            sm2::dsa::SigningKey::from_slice(SM2_DEFAULT_USER_ID, d).map(Signing::Sm2).map_err(|_| ())
        }
    }
}

fn verifying_from_coordinates(alg: Algorithm, c: &Coordinates) -> Result<Verifying, ()> {
    match alg {
        Algorithm::EdDSA => {
            let x = <[u8; 32]>::try_from(c.x.as_slice()).map_err(|_| ())?;
            ed25519_dalek::VerifyingKey::from_bytes(&x).map(Verifying::Ed25519).map_err(|_| ())
        }
        Algorithm::Es256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(&c.sec1()).map(Verifying::P256).map_err(|_| ()),
        Algorithm::Sm2Sm3 => {
            sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DEFAULT_USER_ID, &c.sec1()).map(Verifying::Sm2).map_err(|_| ())
        }
    }
}

#[derive(PartialEq, Eq)]
struct Coordinates {
    x: Vec<u8>,
    y: Vec<u8>,
}

impl Coordinates {
    /// The uncompressed SEC 1 encoding `04 ‖ x ‖ y`.
    fn sec1(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + self.x.len() + self.y.len());
        out.push(0x04);
        out.extend_from_slice(&self.x);
        out.extend_from_slice(&self.y);
        out
    }
}

/// Splits an uncompressed SEC 1 point `04 ‖ x ‖ y` (65 bytes) into its coordinates.
fn split_sec1(bytes: &[u8]) -> Coordinates {
    let x = bytes.get(1..33).unwrap_or_default().to_vec();
    let y = bytes.get(33..65).unwrap_or_default().to_vec();
    Coordinates { x, y }
}

struct ParsedJwk {
    alg: Algorithm,
    kid: Option<String>,
    public: Coordinates,
    d: Option<[u8; 32]>,
}

/// Reads the members common to public and private JWKs and checks their shapes.
fn parse_jwk(jwk: &Value) -> Result<ParsedJwk, KeyError> {
    let Value::Object(obj) = jwk else {
        return Err(KeyError::invalid("a JWK must be a JSON object"));
    };
    let kty = string_member(obj, "kty")?.ok_or_else(|| KeyError::invalid("the JWK has no `kty`"))?;
    let crv = string_member(obj, "crv")?;
    let alg = match (kty, crv) {
        ("OKP", Some("Ed25519")) => Algorithm::EdDSA,
        ("EC", Some("P-256")) => Algorithm::Es256,
        ("EC", Some("SM2")) => Algorithm::Sm2Sm3,
        ("OKP" | "EC", None) => return Err(KeyError::invalid(format!("a `{kty}` JWK needs a `crv`"))),
        (_, crv) => {
            return Err(KeyError::new(
                "jwk_unsupported",
                format!(
                    "unsupported key type {kty:?}{}; supported: OKP Ed25519, EC P-256, EC SM2",
                    crv.map(|c| format!(" curve {c:?}")).unwrap_or_default()
                ),
            ))
        }
    };
    if let Some(named) = string_member(obj, "alg")? {
        // RFC 9864 names Ed25519 keys' algorithm "Ed25519"; WebCrypto exports may carry it.
        if named != alg.name() && !(alg == Algorithm::EdDSA && named == "Ed25519") {
            return Err(KeyError::new(
                "jwk_alg_mismatch",
                format!("the JWK says `alg` {named:?} but a {} {} key is for {alg}", alg.kty(), alg.crv()),
            ));
        }
    }
    if let Some(usage) = string_member(obj, "use")? {
        if usage != "sig" {
            return Err(KeyError::invalid(format!(
                "the key is for {usage:?}, not for signatures (`use` must be \"sig\")"
            )));
        }
    }
    let kid = match string_member(obj, "kid")? {
        Some("") => return Err(KeyError::invalid("`kid` must not be empty")),
        kid => kid.map(str::to_owned),
    };
    let x = bytes32_member(obj, "x")?.ok_or_else(|| KeyError::invalid("the JWK has no `x`"))?;
    let y = match (alg, bytes32_member(obj, "y")?) {
        (Algorithm::EdDSA, None) => Vec::new(),
        (Algorithm::EdDSA, Some(_)) => return Err(KeyError::invalid("an OKP JWK has no `y`")),
        (_, Some(y)) => y.to_vec(),
        (_, None) => return Err(KeyError::invalid("an EC JWK needs `y`")),
    };
    let d = bytes32_member(obj, "d")?;
    Ok(ParsedJwk { alg, kid, public: Coordinates { x: x.to_vec(), y }, d })
}

fn string_member<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, KeyError> {
    match obj.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(KeyError::invalid(format!("`{name}` must be a string"))),
    }
}

/// A member holding exactly 32 bytes in base64url (43 characters, no padding).
fn bytes32_member(obj: &Map<String, Value>, name: &str) -> Result<Option<[u8; 32]>, KeyError> {
    let Some(text) = string_member(obj, name)? else {
        return Ok(None);
    };
    let bytes =
        b64::decode(text).map_err(|_| KeyError::invalid(format!("`{name}` is not base64url without padding")))?;
    <[u8; 32]>::try_from(bytes.as_slice())
        .map(Some)
        .map_err(|_| KeyError::invalid(format!("`{name}` must hold 32 bytes, not {}", bytes.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sm2_n_minus_1_cannot_sign() {
        let err = PrivateKey::from_seed(Algorithm::Sm2Sm3, None, &SM2_N_MINUS_1).unwrap_err();
        assert_eq!(err.code(), "seed_invalid");
        let mut n_minus_2 = SM2_N_MINUS_1;
        n_minus_2[31] -= 1;
        let key = PrivateKey::from_seed(Algorithm::Sm2Sm3, None, &n_minus_2).unwrap();
        let sig = key.sign(b"edge").unwrap();
        assert!(key.public().verify(b"edge", &sig));
    }
}
