#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The key and signature layer (`formseal::seal::keys`) against published vectors
//! (`tests/data/crypto/`, see its SOURCES.md) and its own JWK and key-set rules.

use formseal::seal::keys::{key_set, Algorithm, PrivateKey, PublicKey, SM2_DEFAULT_USER_ID};
use serde_json::{json, Value};

fn vector(name: &str) -> Value {
    let path = format!("{}/tests/data/crypto/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn hex(text: &str) -> Vec<u8> {
    assert!(text.len() % 2 == 0, "odd hex {text}");
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding, written independently of the crate's helper.
fn b64(bytes: &[u8]) -> String {
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

fn unb64(text: &str) -> Vec<u8> {
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

fn seed(text: &str) -> [u8; 32] {
    hex(text).try_into().unwrap()
}

fn code<T: std::fmt::Debug>(result: Result<T, formseal::seal::keys::KeyError>) -> &'static str {
    result.unwrap_err().code()
}

// ---------------------------------------------------------------- published vectors

#[test]
fn rfc8032_ed25519_public_keys_and_signatures() {
    let v = vector("rfc8032_ed25519_sec7.1.json");
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
}

#[test]
fn rfc8037_a4_eddsa_jws_signature_is_reproduced() {
    let v = vector("rfc8037_a4_eddsa_jws.json");
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
}

#[test]
fn rfc7515_a3_es256_signature_verifies() {
    let v = vector("rfc7515_a3_es256_jws.json");
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
}

#[test]
fn sm2_example_public_key_and_signature_with_default_user_id() {
    let v = vector("sm2_gmt0003.5_sign_example.json");
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
}

/// Runs a Wycheproof verify file: every `valid` case must verify and every `invalid` one must
/// not. Neither file has `acceptable` cases; one appearing in an update fails the test so that a
/// decision is made and recorded here. Returns (cases, valid, invalid).
fn wycheproof(file: &str, jwk_of: impl Fn(&Value) -> Value) -> (usize, usize, usize) {
    let v = vector(file);
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
                    assert!(key.is_ok(), "tcId {id}: key refused: {:?}", key.as_ref().err());
                    assert!(verified, "tcId {id} ({}) should verify", t["comment"]);
                    valid += 1;
                }
                "invalid" => {
                    assert!(!verified, "tcId {id} ({}) should not verify", t["comment"]);
                    invalid += 1;
                }
                other => panic!("tcId {id}: result {other:?}: decide and record what we do"),
            }
            cases += 1;
        }
    }
    assert_eq!(cases, v["numberOfTests"].as_u64().unwrap() as usize);
    (cases, valid, invalid)
}

#[test]
fn wycheproof_ed25519() {
    let counts = wycheproof("wycheproof/ed25519_test.json", |g| g["publicKeyJwk"].clone());
    assert_eq!(counts, (151, 88, 63));
}

#[test]
fn wycheproof_ecdsa_p256_sha256_p1363() {
    let counts = wycheproof("wycheproof/ecdsa_secp256r1_sha256_p1363_test.json", |g| {
        // 9 groups give the key only as an uncompressed point.
        g.get("publicKeyJwk").cloned().unwrap_or_else(|| {
            let point = hex(g["publicKey"]["uncompressed"].as_str().unwrap());
            json!({"kty":"EC","crv":"P-256","x": b64(&point[1..33]),"y": b64(&point[33..65])})
        })
    });
    assert_eq!(counts, (262, 173, 89));
}

// ---------------------------------------------------------------- algorithms and JWKs

const ALGS: [Algorithm; 3] = [Algorithm::EdDSA, Algorithm::Es256, Algorithm::Sm2Sm3];

#[test]
fn algorithm_names() {
    for alg in ALGS {
        assert_eq!(Algorithm::parse(alg.name()), Some(alg));
        assert_eq!(alg.to_string(), alg.name());
    }
    assert_eq!(
        [Algorithm::EdDSA.name(), Algorithm::Es256.name(), Algorithm::Sm2Sm3.name()],
        ["EdDSA", "ES256", "SM2-SM3"]
    );
    for other in ["none", "es256", "HS256", "Ed25519", "SM2", "RS256", ""] {
        assert_eq!(Algorithm::parse(other), None, "{other}");
    }
}

fn key(alg: Algorithm, kid: &str, byte: u8) -> PrivateKey {
    PrivateKey::from_seed(alg, Some(kid.into()), &[byte; 32]).unwrap()
}

#[test]
fn jwk_round_trips_and_shapes() {
    for (alg, members, public_members) in [
        (Algorithm::EdDSA, vec!["alg", "crv", "d", "kid", "kty", "x"], vec!["alg", "crv", "kid", "kty", "x"]),
        (Algorithm::Es256, vec!["alg", "crv", "d", "kid", "kty", "x", "y"], vec!["alg", "crv", "kid", "kty", "x", "y"]),
        (
            Algorithm::Sm2Sm3,
            vec!["alg", "crv", "d", "kid", "kty", "x", "y"],
            vec!["alg", "crv", "kid", "kty", "x", "y"],
        ),
    ] {
        let private = key(alg, "k1", 7);
        assert_eq!((private.alg(), private.kid()), (alg, Some("k1")));
        let jwk = private.to_jwk();
        assert_eq!(jwk.as_object().unwrap().keys().collect::<Vec<_>>(), members, "{alg}");
        assert_eq!(jwk["alg"], alg.name());
        assert_eq!(jwk["d"], b64(&[7; 32]), "{alg}: d is the seed");
        for m in ["x", "y", "d"] {
            if let Some(s) = jwk.get(m) {
                assert_eq!(s.as_str().unwrap().len(), 43, "{alg} {m}: 32 bytes, no padding");
            }
        }
        let again = PrivateKey::from_jwk(&jwk).unwrap();
        assert_eq!(again.to_jwk(), jwk);

        let public_jwk = private.public().to_jwk();
        assert_eq!(public_jwk.as_object().unwrap().keys().collect::<Vec<_>>(), public_members, "{alg}");
        let public = PublicKey::from_jwk(&public_jwk).unwrap();
        assert_eq!((public.alg(), public.kid()), (alg, Some("k1")));
        assert_eq!(public.to_jwk(), public_jwk);

        let sig = again.sign(b"payload").unwrap();
        assert_eq!(sig.len(), 64);
        assert!(public.verify(b"payload", &sig));
        assert!(!public.verify(b"payload", &sig[..63]));
        assert!(!public.verify(b"payload", &[sig.as_slice(), &[0]].concat()));
        assert!(!public.verify(b"payload", &[]));
    }
    // Shapes, as documented.
    let jwk = key(Algorithm::Sm2Sm3, "a", 1).public().to_jwk();
    assert_eq!(
        (jwk["kty"].as_str(), jwk["crv"].as_str(), jwk["alg"].as_str()),
        (Some("EC"), Some("SM2"), Some("SM2-SM3"))
    );
    let jwk = key(Algorithm::Es256, "a", 1).public().to_jwk();
    assert_eq!(
        (jwk["kty"].as_str(), jwk["crv"].as_str(), jwk["alg"].as_str()),
        (Some("EC"), Some("P-256"), Some("ES256"))
    );
    let jwk = key(Algorithm::EdDSA, "a", 1).public().to_jwk();
    assert_eq!(
        (jwk["kty"].as_str(), jwk["crv"].as_str(), jwk["alg"].as_str()),
        (Some("OKP"), Some("Ed25519"), Some("EdDSA"))
    );
    // No kid, no `kid` member.
    let jwk = PrivateKey::from_seed(Algorithm::EdDSA, None, &[1; 32]).unwrap().to_jwk();
    assert!(jwk.get("kid").is_none());
}

#[test]
fn signatures_do_not_cross_algorithms_or_keys() {
    let keys: Vec<PrivateKey> = ALGS.iter().map(|&alg| key(alg, "k", 9)).collect();
    let other: Vec<PrivateKey> = ALGS.iter().map(|&alg| key(alg, "k", 10)).collect();
    for (i, signer) in keys.iter().enumerate() {
        let sig = signer.sign(b"m").unwrap();
        for (j, verifier) in keys.iter().enumerate() {
            assert_eq!(
                verifier.public().verify(b"m", &sig),
                i == j,
                "{} signed, {} verified",
                signer.alg(),
                verifier.alg()
            );
        }
        assert!(!other[i].public().verify(b"m", &sig));
    }
}

#[test]
fn seeds_outside_the_scalar_range_are_refused() {
    // Every 32 bytes are an Ed25519 secret key.
    for byte in [0, 0xFF] {
        assert!(PrivateKey::from_seed(Algorithm::EdDSA, None, &[byte; 32]).is_ok());
    }
    // 0 and values ≥ n are not EC private keys: the caller retries with new random bytes.
    for alg in [Algorithm::Es256, Algorithm::Sm2Sm3] {
        for byte in [0, 0xFF] {
            let err = PrivateKey::from_seed(alg, None, &[byte; 32]).unwrap_err();
            assert_eq!(err.code(), "seed_invalid", "{alg}");
            assert!(err.to_string().contains("retry"));
        }
    }
    // n − 1 is a P-256 key (unlike SM2, see the unit test).
    let n_minus_1 = seed("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550");
    assert!(PrivateKey::from_seed(Algorithm::Es256, None, &n_minus_1).is_ok());
    let n = seed("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    assert_eq!(code(PrivateKey::from_seed(Algorithm::Es256, None, &n)), "seed_invalid");
}

#[test]
fn malformed_and_unsupported_jwks_are_refused() {
    let ec = key(Algorithm::Es256, "p", 3).to_jwk();
    let sm2 = key(Algorithm::Sm2Sm3, "s", 3).to_jwk();
    let ed = key(Algorithm::EdDSA, "e", 3).to_jwk();
    let with = |base: &Value, member: &str, value: Value| {
        let mut jwk = base.clone();
        jwk[member] = value;
        jwk
    };
    let without = |base: &Value, member: &str| {
        let mut jwk = base.clone();
        jwk.as_object_mut().unwrap().remove(member);
        jwk
    };
    let public = |base: &Value| without(base, "d");

    // Private parts never go into a verifier.
    assert_eq!(code(PublicKey::from_jwk(&ec)), "jwk_private_in_key_set");
    // `alg` must agree with the key type.
    assert_eq!(code(PublicKey::from_jwk(&with(&public(&sm2), "alg", json!("ES256")))), "jwk_alg_mismatch");
    assert_eq!(code(PublicKey::from_jwk(&with(&public(&ec), "alg", json!("SM2-SM3")))), "jwk_alg_mismatch");
    assert_eq!(code(PublicKey::from_jwk(&with(&public(&ed), "alg", json!("ES256")))), "jwk_alg_mismatch");
    // RFC 9864's fully-specified name, as WebCrypto may export it, is the same key.
    assert_eq!(PublicKey::from_jwk(&with(&public(&ed), "alg", json!("Ed25519"))).unwrap().alg(), Algorithm::EdDSA);
    assert_eq!(code(PrivateKey::from_jwk(&with(&ec, "alg", json!("none")))), "jwk_alg_mismatch");
    assert!(PublicKey::from_jwk(&without(&public(&ec), "alg")).is_ok(), "alg is optional");
    // Other key types and curves.
    assert_eq!(code(PublicKey::from_jwk(&json!({"kty":"RSA","n":"AQAB","e":"AQAB"}))), "jwk_unsupported");
    assert_eq!(code(PublicKey::from_jwk(&with(&public(&ec), "crv", json!("P-384")))), "jwk_unsupported");
    assert_eq!(code(PublicKey::from_jwk(&with(&public(&ed), "crv", json!("X25519")))), "jwk_unsupported");
    assert_eq!(code(PublicKey::from_jwk(&json!({"kty":"oct","k":"AAAA"}))), "jwk_unsupported");
    // Malformed members.
    for bad in [
        json!("not an object"),
        json!({"crv":"P-256"}),
        without(&public(&ec), "crv"),
        without(&public(&ec), "y"),
        without(&public(&ed), "x"),
        with(&public(&ed), "y", ec["y"].clone()),
        with(&public(&ec), "x", json!(format!("{}=", ec["x"].as_str().unwrap()))),
        with(&public(&ec), "x", json!(ec["x"].as_str().unwrap().replace(['-', '_'], "+"))),
        with(&public(&ec), "x", json!(b64(&[1; 31]))),
        with(&public(&ec), "x", json!(b64(&[1; 33]))),
        with(&public(&ec), "x", json!(3)),
        with(&public(&ec), "kid", json!(7)),
        with(&public(&ec), "kid", json!("")),
        with(&public(&ec), "use", json!("enc")),
        // Points not on the curve; a P-256 point is not an SM2 point.
        with(&public(&ec), "y", json!(b64(&[1; 32]))),
        with(&public(&ec), "crv", json!("SM2")),
        with(&public(&sm2), "crv", json!("P-256")),
        with(&public(&sm2), "y", sm2["x"].clone()),
    ] {
        let bad = {
            let mut b = bad;
            if let Some(o) = b.as_object_mut() {
                // A mismatching `alg` would hide the fault under test.
                o.remove("alg");
            }
            b
        };
        assert_eq!(code(PublicKey::from_jwk(&bad)), "jwk_invalid", "{bad}");
    }
    assert!(PublicKey::from_jwk(&with(&public(&ec), "use", json!("sig"))).is_ok());
    // A private JWK needs `d`, and `d` must give `x`/`y`.
    assert_eq!(code(PrivateKey::from_jwk(&public(&ec))), "jwk_invalid");
    assert_eq!(code(PrivateKey::from_jwk(&with(&ec, "d", json!(b64(&[4; 32]))))), "jwk_key_mismatch");
    assert_eq!(code(PrivateKey::from_jwk(&with(&ed, "d", json!(b64(&[4; 32]))))), "jwk_key_mismatch");
    assert_eq!(code(PrivateKey::from_jwk(&with(&sm2, "d", json!(b64(&[0; 32]))))), "jwk_invalid");
}

#[test]
fn key_sets() {
    let publics: Vec<Value> =
        ALGS.iter().zip(["ed", "p256", "sm2"]).map(|(&alg, kid)| key(alg, kid, 5).public().to_jwk()).collect();
    let set = key_set(&json!({ "keys": publics })).unwrap();
    assert_eq!(
        set.iter().map(|k| (k.kid().unwrap(), k.alg())).collect::<Vec<_>>(),
        [("ed", Algorithm::EdDSA), ("p256", Algorithm::Es256), ("sm2", Algorithm::Sm2Sm3)]
    );
    // A single JWK is a set of one.
    assert_eq!(key_set(&publics[1]).unwrap().len(), 1);

    let err = key_set(&json!({ "keys": [publics[0], publics[1], publics[0]] })).unwrap_err();
    assert_eq!(err.code(), "jwk_duplicate_kid");
    assert!(err.message().starts_with("keys[2]"), "{err}");
    let mut no_kid = publics[2].clone();
    no_kid.as_object_mut().unwrap().remove("kid");
    assert_eq!(code(key_set(&json!({ "keys": [publics[0], no_kid] }))), "jwk_missing_kid");
    assert_eq!(code(key_set(&no_kid)), "jwk_missing_kid");
    let private = key(Algorithm::Es256, "x", 5).to_jwk();
    assert_eq!(code(key_set(&json!({ "keys": [publics[0], private] }))), "jwk_private_in_key_set");
    assert_eq!(code(key_set(&private)), "jwk_private_in_key_set");
    assert_eq!(code(key_set(&json!({ "keys": [] }))), "jwk_invalid");
    assert_eq!(code(key_set(&json!({ "keys": publics[0] }))), "jwk_invalid");
    assert_eq!(code(key_set(&json!([publics[0]]))), "jwk_invalid");
    let many: Vec<Value> = (0..101)
        .map(|i| {
            let mut jwk = publics[0].clone();
            jwk["kid"] = json!(format!("k{i}"));
            jwk
        })
        .collect();
    assert_eq!(key_set(&json!({ "keys": many[..100] })).unwrap().len(), 100);
    assert_eq!(code(key_set(&json!({ "keys": many }))), "jwk_too_many_keys");
}
