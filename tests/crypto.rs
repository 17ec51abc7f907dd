#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The key and signature layer (`formseal::seal::keys`) against published vectors
//! (`tests/data/crypto/`, see its SOURCES.md) and its own JWK and key-set rules.

mod common;

use common::seal::{b64, seed};
use formseal::seal::keys::{key_set, Algorithm, PrivateKey, PublicKey};
use serde_json::{json, Value};

fn code<T: std::fmt::Debug>(result: Result<T, formseal::seal::keys::KeyError>) -> &'static str {
    result.unwrap_err().code()
}

// ---------------------------------------------------------------- published vectors

/// RFC 8032 §7.1, RFC 8037 A.4, RFC 7515 A.3, RFC 7797 §4.2 (refused), the GM/T 0003.5 SM2 example,
/// the GM/T 0004 SM3 examples and Wycheproof: the
/// checks are in tests/common/seal.rs, shared with tests/wasm.rs.
#[test]
fn published_vectors() {
    assert_eq!(common::seal::crypto_vectors(), 3 + 1 + 1 + 1 + 1 + 2 + 262 + 151);
}

/// The wasm run embeds the vector files; it must embed exactly the files the directory holds.
#[test]
fn embedded_vectors_match_the_directory() {
    let embedded = common::seal::CRYPTO_VECTORS.iter().map(|(name, text, _)| ((*name).to_owned(), *text)).collect();
    common::seal::assert_embeds_directory("tests/data/crypto", embedded);
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
