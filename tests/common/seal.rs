//! The published vectors of the sealing code, shared by the native tests (`tests/crypto.rs`,
//! `tests/jcs.rs`) and the wasm tests (`tests/wasm.rs`): RFC 8785 reference data (`tests/data/jcs/`)
//! and signature vectors (`tests/data/crypto/`, see its SOURCES.md). The files are embedded because
//! wasm cannot read files; `tests/crypto.rs` and `tests/jcs.rs` check that these tables hold exactly
//! what the directories hold. Each check panics on a failure and returns how many cases it ran.

use formseal::seal::jcs::{canonicalize, parse_strict};
use formseal::seal::keys::{Algorithm, PrivateKey, PublicKey, SM2_DEFAULT_USER_ID};
use serde_json::{json, Number, Value};

// ---------------------------------------------------------------- embedded files

/// A crypto vector file: its path under `tests/data/crypto/`, its text, and its check.
pub type CryptoVector = (&'static str, &'static str, fn(&str) -> usize);

/// Every crypto vector file, with the check that reads it, in directory order.
pub const CRYPTO_VECTORS: &[CryptoVector] = &[
    ("rfc7515_a3_es256_jws.json", include_str!("../data/crypto/rfc7515_a3_es256_jws.json"), rfc7515_a3_es256),
    ("rfc8032_ed25519_sec7.1.json", include_str!("../data/crypto/rfc8032_ed25519_sec7.1.json"), rfc8032_ed25519),
    (
        "rfc7797_s4.2_unencoded_detached.json",
        include_str!("../data/crypto/rfc7797_s4.2_unencoded_detached.json"),
        rfc7797_crit_b64_is_refused,
    ),
    ("rfc8037_a4_eddsa_jws.json", include_str!("../data/crypto/rfc8037_a4_eddsa_jws.json"), rfc8037_a4_eddsa_jws),
    (
        "sm2_gmt0003.5_sign_example.json",
        include_str!("../data/crypto/sm2_gmt0003.5_sign_example.json"),
        sm2_example_with_default_user_id,
    ),
    (
        "wycheproof/ecdsa_secp256r1_sha256_p1363_test.json",
        include_str!("../data/crypto/wycheproof/ecdsa_secp256r1_sha256_p1363_test.json"),
        wycheproof_ecdsa_p256_sha256_p1363,
    ),
    ("sm3_gmt0004_examples.json", include_str!("../data/crypto/sm3_gmt0004_examples.json"), sm3_examples),
    ("wycheproof/ed25519_test.json", include_str!("../data/crypto/wycheproof/ed25519_test.json"), wycheproof_ed25519),
];

macro_rules! jcs_reference {
    ($($name:literal),* $(,)?) => {
        &[$((
            $name,
            include_str!(concat!("../data/jcs/input/", $name, ".json")),
            include_str!(concat!("../data/jcs/output/", $name, ".json")),
            include_str!(concat!("../data/jcs/outhex/", $name, ".txt")),
        )),*]
    };
}

/// The RFC 8785 reference files: (name, `input/<name>.json`, `output/<name>.json`,
/// `outhex/<name>.txt`).
pub const JCS_REFERENCE: &[(&str, &str, &str, &str)] =
    jcs_reference!["arrays", "french", "structures", "unicode", "values", "weird"];

/// `tests/data/jcs/es6testfile_first10000.txt`: `<double as hex>,<expected JSON text>` lines.
pub const ES6_NUMBERS: &str = include_str!("../data/jcs/es6testfile_first10000.txt");

/// Asserts that `embedded` (path relative to `dir`, text) holds exactly the files under `dir`
/// (relative to the crate), recursively, Markdown aside, so that no vector file is left out.
/// Native only: wasm has no file system.
pub fn assert_embeds_directory(dir: &str, mut embedded: Vec<(String, &str)>) {
    fn walk(dir: &std::path::Path, prefix: &str, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = format!("{prefix}{}", path.file_name().unwrap().to_string_lossy());
            if path.is_dir() {
                walk(&path, &format!("{name}/"), out);
            } else if path.extension().is_none_or(|e| e != "md") {
                out.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut on_disk = Vec::new();
    walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), "", &mut on_disk);
    on_disk.sort();
    embedded.sort();
    let embedded_names: Vec<&str> = embedded.iter().map(|f| f.0.as_str()).collect();
    let names_on_disk: Vec<&str> = on_disk.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(embedded_names, names_on_disk, "{dir}: update the tables in tests/common/seal.rs");
    for ((name, text), (_, file)) in embedded.iter().zip(&on_disk) {
        assert!(text == file, "{dir}/{name}: the embedded text is not the file's");
    }
}

// ---------------------------------------------------------------- helpers

pub fn hex(text: &str) -> Vec<u8> {
    assert!(text.len() % 2 == 0, "odd hex {text}");
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding, written independently of the crate's helper.
pub fn b64(bytes: &[u8]) -> String {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = String::new();
    for &b in bytes {
        bits = (bits << 8) | u32::from(b);
        n += 8;
        while n >= 6 {
            n -= 6;
            out.push(B64[((bits >> n) & 63) as usize] as char);
        }
    }
    if n > 0 {
        out.push(B64[((bits << (6 - n)) & 63) as usize] as char);
    }
    out
}

pub fn unb64(text: &str) -> Vec<u8> {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        bits = (bits << 6) | B64.iter().position(|&x| x == c).unwrap() as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

pub fn seed(text: &str) -> [u8; 32] {
    hex(text).try_into().unwrap()
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

// ---------------------------------------------------------------- crypto vectors

/// Runs every crypto vector file; returns the number of cases.
pub fn crypto_vectors() -> usize {
    let mut count = 0;
    for (name, text, check) in CRYPTO_VECTORS {
        // Natively, printed output is shown with a failure, so it says which file failed.
        println!("crypto vectors: {name}");
        count += check(text);
    }
    count
}

/// GM/T 0004 / GB/T 32905: SM3 of "abc" and of "abcd" × 16, through the attachment digests.
fn sm3_examples(text: &str) -> usize {
    let v = parse(text);
    let tests = v["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 2);
    for t in tests {
        let message = hex(t["message_hex"].as_str().unwrap());
        assert_eq!(message, t["message_ascii"].as_str().unwrap().as_bytes());
        assert_eq!(formseal::seal::attachment_digests(&message).sm3, t["sm3"].as_str().unwrap());
    }
    tests.len()
}

/// RFC 7797 §4.2's header (`"b64":false` under `crit`) is an extension the verifier does not
/// understand, so an envelope carrying it is refused before anything else is looked at.
fn rfc7797_crit_b64_is_refused(text: &str) -> usize {
    use formseal::seal::envelope::{verify, VerifyOptions};
    let v = parse(text);
    let compact = v["jws_compact_detached"].as_str().unwrap();
    let protected = compact.split('.').next().unwrap();
    assert_eq!(unb64(protected), v["protected_header"].as_str().unwrap().as_bytes());
    let signature = compact.rsplit('.').next().unwrap();
    let envelope = json!({ "protected": protected, "payload": b64(v["payload"].as_str().unwrap().as_bytes()), "signature": signature });
    let key = PrivateKey::from_seed(Algorithm::EdDSA, Some("k".into()), &[1; 32]).unwrap().public();
    let options =
        VerifyOptions { now: "2005-06-01T10:00:00+08:00".parse().unwrap(), max_skew: formseal::SignedDuration::ZERO };
    let refused = verify(&envelope.to_string(), &[key], &options, &|_, _| None::<formseal::Form>).unwrap_err();
    assert_eq!(refused.code(), "header_crit");
    1
}

fn rfc8032_ed25519(text: &str) -> usize {
    let v = parse(text);
    let tests = v["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 3);
    for t in tests {
        let key = PrivateKey::from_seed(Algorithm::EdDSA, None, &seed(t["secret_key"].as_str().unwrap())).unwrap();
        let public = key.public();
        assert_eq!(public.to_jwk()["x"], b64(&hex(t["public_key"].as_str().unwrap())), "{}", t["name"]);
        let msg = hex(t["message"].as_str().unwrap());
        let sig = key.sign(&msg).unwrap();
        assert_eq!(sig, hex(t["signature"].as_str().unwrap()), "{}", t["name"]);
        assert!(public.verify(&msg, &sig));
        let mut bad = sig.clone();
        bad[0] ^= 1;
        assert!(!public.verify(&msg, &bad));
        assert!(!public.verify(b"another message", &sig));
    }
    tests.len()
}

fn rfc8037_a4_eddsa_jws(text: &str) -> usize {
    let v = parse(text);
    let key = PrivateKey::from_jwk(&v["jwk_private"]).unwrap();
    assert_eq!(key.alg(), Algorithm::EdDSA);
    let jws = v["jws_compact"].as_str().unwrap();
    let (signing_input, sig_b64) = jws.rsplit_once('.').unwrap();
    assert_eq!(unb64(signing_input.split('.').next().unwrap()), v["protected_header"].as_str().unwrap().as_bytes());
    let sig = key.sign(signing_input.as_bytes()).unwrap();
    assert_eq!(b64(&sig), sig_b64);
    let public = PublicKey::from_jwk(&json!({"kty":"OKP","crv":"Ed25519","x": v["jwk_private"]["x"]})).unwrap();
    assert!(public.verify(signing_input.as_bytes(), &unb64(sig_b64)));
    assert!(!public.verify(b"eyJhbGciOiJFZERTQSJ9.e30", &unb64(sig_b64)));
    1
}

fn rfc7515_a3_es256(text: &str) -> usize {
    let v = parse(text);
    // d gives (x, y): from_jwk checks it.
    let key = PrivateKey::from_jwk(&v["jwk_private"]).unwrap();
    assert_eq!(key.alg(), Algorithm::Es256);
    let public = key.public();
    let jws = v["jws_compact"].as_str().unwrap();
    let (signing_input, sig_b64) = jws.rsplit_once('.').unwrap();
    let sig = unb64(sig_b64);
    assert_eq!(sig.len(), 64, "JWS ES256 signatures are r ‖ s");
    assert!(public.verify(signing_input.as_bytes(), &sig));
    let mut bad = sig.clone();
    bad[63] ^= 1;
    assert!(!public.verify(signing_input.as_bytes(), &bad));
    assert!(!public.verify(&signing_input.as_bytes()[1..], &sig));
    assert!(!public.verify(signing_input.as_bytes(), &sig[..63]), "wrong length");
    // Our own signatures with that key: fixed size, deterministic (RFC 6979), and verifiable.
    let ours = key.sign(signing_input.as_bytes()).unwrap();
    assert_eq!(ours.len(), 64);
    assert_eq!(ours, key.sign(signing_input.as_bytes()).unwrap());
    assert!(public.verify(signing_input.as_bytes(), &ours));
    1
}

fn sm2_example_with_default_user_id(text: &str) -> usize {
    let v = parse(text);
    assert_eq!(v["user_id_ascii"], SM2_DEFAULT_USER_ID);
    let key = PrivateKey::from_seed(Algorithm::Sm2Sm3, Some("sm2".into()), &seed(v["private_key_d"].as_str().unwrap()))
        .unwrap();
    let public = key.public();
    let point = hex(v["public_key_uncompressed"].as_str().unwrap());
    let jwk = public.to_jwk();
    assert_eq!(jwk["x"], b64(&point[1..33]));
    assert_eq!(jwk["y"], b64(&point[33..65]));

    let msg = v["message_ascii"].as_str().unwrap().as_bytes();
    let mut sig = hex(v["r"].as_str().unwrap());
    sig.extend(hex(v["s"].as_str().unwrap()));
    assert!(public.verify(msg, &sig), "the standard's (r, s) verifies with user ID 1234567812345678");
    assert!(!public.verify(b"message digesT", &sig));

    // With another user ID, Z_A differs and the same (r, s) fails (checked with the sm2 crate
    // directly, since our keys always use the default ID) …
    let alice = sm2::dsa::VerifyingKey::from_sec1_bytes("ALICE123@YAHOO.COM", &point).unwrap();
    let rs = sm2::dsa::Signature::from_slice(&sig).unwrap();
    assert!(sm2::dsa::signature::Verifier::verify(&alice, msg, &rs).is_err());
    // … and the signature made for ALICE's ID verifies with it but not with our key.
    let variant = &v["variant_not_from_standard"];
    let mut alice_sig = hex(variant["r"].as_str().unwrap());
    alice_sig.extend(hex(variant["s"].as_str().unwrap()));
    let alice_rs = sm2::dsa::Signature::from_slice(&alice_sig).unwrap();
    assert!(sm2::dsa::signature::Verifier::verify(&alice, msg, &alice_rs).is_ok());
    assert!(!public.verify(msg, &alice_sig), "our SM2 keys use the default user ID");

    // Our own signatures: 64 bytes, deterministic, verifiable.
    let ours = key.sign(msg).unwrap();
    assert_eq!(ours.len(), 64);
    assert_eq!(ours, key.sign(msg).unwrap());
    assert!(public.verify(msg, &ours));
    1
}

/// Runs a Wycheproof verify file: every `valid` case must verify and every `invalid` one must
/// not. Neither file has `acceptable` cases; one appearing in an update fails the test so that a
/// decision is made and recorded here. Returns (cases, valid, invalid).
fn wycheproof(text: &str, jwk_of: impl Fn(&Value) -> Value) -> (usize, usize, usize) {
    let v = parse(text);
    // Named in messages, since the two files' tcIds overlap.
    let alg = v["algorithm"].as_str().unwrap();
    let (mut cases, mut valid, mut invalid) = (0, 0, 0);
    for group in v["testGroups"].as_array().unwrap() {
        let key = PublicKey::from_jwk(&jwk_of(group));
        for t in group["tests"].as_array().unwrap() {
            let id = &t["tcId"];
            let msg = hex(t["msg"].as_str().unwrap());
            let sig = hex(t["sig"].as_str().unwrap());
            let verified = match &key {
                Ok(key) => key.verify(&msg, &sig),
                Err(_) => false,
            };
            match t["result"].as_str().unwrap() {
                "valid" => {
                    assert!(key.is_ok(), "{alg} tcId {id}: key refused: {:?}", key.as_ref().err());
                    assert!(verified, "{alg} tcId {id} ({}) should verify", t["comment"]);
                    valid += 1;
                }
                "invalid" => {
                    assert!(!verified, "{alg} tcId {id} ({}) should not verify", t["comment"]);
                    invalid += 1;
                }
                other => panic!("{alg} tcId {id}: result {other:?}: decide and record what we do"),
            }
            cases += 1;
        }
    }
    assert_eq!(cases, v["numberOfTests"].as_u64().unwrap() as usize);
    (cases, valid, invalid)
}

fn wycheproof_ed25519(text: &str) -> usize {
    let counts = wycheproof(text, |g| g["publicKeyJwk"].clone());
    assert_eq!(counts, (151, 88, 63));
    counts.0
}

fn wycheproof_ecdsa_p256_sha256_p1363(text: &str) -> usize {
    let counts = wycheproof(text, |g| {
        // 9 groups give the key only as an uncompressed point.
        g.get("publicKeyJwk").cloned().unwrap_or_else(|| {
            let point = hex(g["publicKey"]["uncompressed"].as_str().unwrap());
            json!({"kty":"EC","crv":"P-256","x": b64(&point[1..33]),"y": b64(&point[33..65])})
        })
    });
    assert_eq!(counts, (262, 173, 89));
    counts.0
}

// ---------------------------------------------------------------- JCS vectors

fn hex_to_bytes(hex: &str) -> Vec<u8> {
    let digits: Vec<u8> = hex.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
}

/// The RFC 8785 reference inputs canonicalize to their outputs byte for byte; returns 6.
pub fn jcs_reference_vectors() -> usize {
    assert_eq!(JCS_REFERENCE.len(), 6);
    for (name, input, output, outhex) in JCS_REFERENCE {
        let value = parse_strict(input).unwrap();
        let canonical = canonicalize(&value).unwrap();
        assert_eq!(canonical.as_bytes(), output.as_bytes(), "{name}");
        assert_eq!(canonical.as_bytes(), hex_to_bytes(outhex), "{name} (outhex)");
        // Idempotent: the canonical text reads back strictly and canonicalizes to itself.
        assert_eq!(canonicalize(&parse_strict(&canonical).unwrap()).unwrap(), canonical, "{name}");
    }
    JCS_REFERENCE.len()
}

/// Every line of the ES6 number file serializes as ECMAScript does and reads back to the same
/// double; returns 10,000.
pub fn es6_numbers() -> usize {
    let mut count = 0;
    for line in ES6_NUMBERS.lines() {
        let (hex, expected) = line.split_once(',').unwrap();
        let double = f64::from_bits(u64::from_str_radix(hex, 16).unwrap());
        let value = Value::Number(Number::from_f64(double).unwrap());
        assert_eq!(canonicalize(&value).unwrap(), expected, "{line}");
        // And the expected text reads back strictly to the same double (correct rounding, and an
        // integer spelling like 9007199254740994 is accepted because a double holds it).
        let back = parse_strict(expected).unwrap();
        assert_eq!(back.as_f64().unwrap().to_bits(), if double == 0.0 { 0 } else { double.to_bits() }, "{line}");
        assert_eq!(canonicalize(&back).unwrap(), expected, "{line}");
        count += 1;
    }
    assert_eq!(count, 10_000);
    count
}
