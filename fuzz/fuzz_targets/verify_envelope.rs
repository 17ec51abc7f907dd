//! Envelope verification. The first byte picks a mode: 0 takes the rest as envelope text; any other
//! value takes the rest as (position, byte) edits applied to a genuine envelope (one per algorithm,
//! sealed once per process). Verification never panics, and an edited envelope that differs from
//! the genuine one is always refused.
#![no_main]

use formseal::seal::envelope::{seal, verify, SealOptions, VerifyOptions};
use formseal::seal::keys::{Algorithm, PrivateKey, PublicKey};
use formseal::{Form, Locale, Timestamp};
use jiff::SignedDuration;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

struct Fixture {
    keys: Vec<PublicKey>,
    envelopes: Vec<String>,
    options: VerifyOptions,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let now = Timestamp::from_second(1_117_591_200).unwrap_or(Timestamp::UNIX_EPOCH);
        let options = SealOptions { now, ttl: SignedDuration::from_hours(24), nonce: [9; 16], locale: Locale::ZhCn };
        let mut keys = Vec::new();
        let mut envelopes = Vec::new();
        // user-filing has no attachments, so SM2 needs no SM3 digests.
        let data: serde_json::Value = formseal::forms::builtin("user-filing")
            .and_then(|b| serde_json::from_str(b.valid_example).ok())
            .unwrap_or_default();
        let Ok(form) = Form::builtin("user-filing") else {
            return Fixture { keys, envelopes, options: verify_options(now) };
        };
        for (i, alg) in [Algorithm::EdDSA, Algorithm::Es256, Algorithm::Sm2Sm3].into_iter().enumerate() {
            let Ok(key) = PrivateKey::from_seed(alg, Some(format!("k{i}")), &[7; 32]) else { continue };
            keys.push(key.public());
            if let Ok(e) = seal(&form, &data, &key, &options) {
                envelopes.extend(serde_json::to_string(&e).ok());
            }
        }
        Fixture { keys, envelopes, options: verify_options(now + SignedDuration::from_mins(1)) }
    })
}

fn verify_options(now: Timestamp) -> VerifyOptions {
    VerifyOptions { now, max_skew: SignedDuration::from_mins(5) }
}

fn forms(id: &str, version: &str) -> Option<Form> {
    Form::builtin(id).ok().filter(|f| f.version() == version)
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let Some((&mode, rest)) = data.split_first() else { return };
    if mode == 0 {
        if let Ok(text) = std::str::from_utf8(rest) {
            let _ = verify_envelope(text, f);
        }
        return;
    }
    let Some(original) = f.envelopes.get(usize::from(mode) % f.envelopes.len().max(1)) else { return };
    let mut bytes = original.clone().into_bytes();
    for edit in rest.chunks_exact(3) {
        let (Some(&hi), Some(&lo), Some(&b)) = (edit.first(), edit.get(1), edit.get(2)) else { continue };
        let pos = usize::from(u16::from_be_bytes([hi, lo])) % bytes.len().max(1);
        if let Some(slot) = bytes.get_mut(pos) {
            *slot = b;
        }
    }
    let Ok(text) = String::from_utf8(bytes) else { return };
    let result = verify_envelope(&text, f);
    if text == *original {
        assert!(result.is_ok(), "the genuine envelope is refused: {result:?}");
    } else {
        assert!(result.is_err(), "an edited envelope verifies: {text}");
    }
});

fn verify_envelope(text: &str, f: &Fixture) -> Result<(), String> {
    verify(text, &f.keys, &f.options, &forms).map(|_| ()).map_err(|e| e.code().to_owned())
}
