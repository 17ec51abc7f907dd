//! The command line as a person or a script uses it: exit codes, JSON shapes, stdin, and
//! snapshot files for the human-readable text (`tests/snapshots/`; set `UPDATE_SNAPSHOTS=1` to
//! rewrite them, then review the diff).
#![cfg(feature = "cli")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const NOW: &str = "2005-06-01T10:00:00+08:00";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_formseal"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn formseal");
    if let Some(mut pipe) = child.stdin.take() {
        // A command that exits without reading stdin closes the pipe first: not a failure.
        let _ = pipe.write_all(stdin.unwrap_or_default());
    }
    child.wait_with_output().expect("formseal runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stdout_json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)))
}

fn snapshot(name: &str, actual: &str) {
    let path = root().join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {name}; run with UPDATE_SNAPSHOTS=1"));
    assert_eq!(
        actual, expected,
        "snapshot {name} changed; if intended, run with UPDATE_SNAPSHOTS=1 and review the diff"
    );
}

#[test]
fn forms_schema_and_examples() {
    let o = run(&["forms"], None);
    assert_eq!(code(&o), 0);
    let forms = stdout_json(&o);
    let ids: Vec<&str> = forms.as_array().expect("array").iter().filter_map(|f| f["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "network-unit-filing",
            "user-filing",
            "filing-change",
            "security-commitment",
            "virus-sample-storage",
            "incident-report"
        ]
    );
    assert_eq!(forms[0]["title"]["zh-CN"], "联网单位备案表");

    let schema = stdout_json(&run(&["schema", "incident-report"], None));
    assert_eq!(schema["id"], "incident-report");
    let example = stdout_json(&run(&["example", "incident-report", "--invalid"], None));
    assert!(example.is_object());
    let o = run(&["schema", "nope"], None);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("known forms: network-unit-filing"));
}

#[test]
fn validate_exit_codes_and_report_shape() {
    for id in [
        "network-unit-filing",
        "user-filing",
        "filing-change",
        "security-commitment",
        "virus-sample-storage",
        "incident-report",
    ] {
        let valid = format!("forms/examples/{id}.valid.json");
        let o = run(&["validate", id, &valid, "--now", NOW], None);
        assert_eq!(code(&o), 0, "{id}: {}", String::from_utf8_lossy(&o.stdout));
        let report = stdout_json(&o);
        assert_eq!((report["valid"].as_bool(), report["form"]["id"].as_str()), (Some(true), Some(id)));

        let invalid = format!("forms/examples/{id}.invalid.json");
        let o = run(&["validate", id, &invalid, "--now", NOW, "--locale", "en"], None);
        assert_eq!(code(&o), 1, "{id}");
        let report = stdout_json(&o);
        assert_eq!(report["locale"], "en");
        let first = &report["findings"][0];
        for key in ["path", "code", "severity", "message", "params"] {
            assert!(first.get(key).is_some(), "{id}: finding lacks {key}");
        }
    }
}

#[test]
fn validate_reads_stdin_and_definition_files() {
    let data = std::fs::read(root().join("forms/examples/user-filing.valid.json")).expect("example");
    let o = run(&["validate", "user-filing", "-", "--now", NOW], Some(&data));
    assert_eq!(code(&o), 0);
    let o = run(&["validate", "forms/user-filing.json", "-", "--now", NOW], Some(&data));
    assert_eq!(code(&o), 0, "a definition file path works like a built-in id");
}

#[test]
fn validate_usage_and_input_errors_exit_2_with_a_message() {
    let dir = std::env::temp_dir().join(format!("formseal-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let bad_def = dir.join("bad.json");
    std::fs::write(
        &bad_def,
        r#"{"id":"x","version":"1","title":{"zh-CN":"a","en":"a"},"fields":[{"name":"a","kind":"txt"}]}"#,
    )
    .expect("w");
    let bad_data = dir.join("data.json");
    std::fs::write(&bad_data, b"{\"a\": ").expect("w");
    let cases: Vec<(Vec<String>, &[u8], &str)> = vec![
        (vec!["validate".into(), bad_def.display().to_string(), "-".into()], b"{}", "fields[0].kind"),
        (vec!["validate".into(), "user-filing".into(), bad_data.display().to_string()], b"", "not valid JSON"),
        (vec!["validate".into(), "user-filing".into(), "-".into()], b"[1,2]", "data_not_object"),
        (vec!["validate".into(), "user-filing".into(), "-".into()], &[0xff, 0xfe], "not UTF-8"),
        (vec!["validate".into(), "user-filing".into(), "/no/such/file.json".into()], b"", "cannot read"),
        (vec!["validate".into(), "no-such-form".into(), "-".into()], b"{}", "no built-in form"),
        (vec!["validate".into(), "user-filing".into(), "-".into(), "--now".into(), "yesterday".into()], b"{}", "--now"),
        (vec!["validate".into(), "user-filing".into(), "-".into(), "--locale".into(), "fr".into()], b"{}", "--locale"),
        (vec!["validate".into(), "user-filing".into(), "-".into(), "--format".into(), "xml".into()], b"{}", "--format"),
        (vec!["validate".into(), "user-filing".into()], b"{}", "expected 2 argument"),
        (vec!["validate".into(), "user-filing".into(), "-".into(), "--bogus".into()], b"{}", "unexpected option"),
        (vec!["frobnicate".into()], b"", "unknown command"),
    ];
    for (args, stdin, needle) in cases {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&refs, Some(stdin));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(code(&o), 2, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: stderr {err:?} lacks {needle:?}");
        assert!(!err.contains("panicked"), "{args:?}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn validate_text_output_snapshots() {
    for (id, locale) in [
        ("network-unit-filing", "zh-CN"),
        ("network-unit-filing", "en"),
        ("incident-report", "zh-CN"),
        ("incident-report", "en"),
    ] {
        let file = format!("forms/examples/{id}.invalid.json");
        let o = run(&["validate", id, &file, "--now", NOW, "--locale", locale, "--format", "text"], None);
        assert_eq!(code(&o), 1);
        snapshot(&format!("validate-{id}-{locale}.txt"), &String::from_utf8_lossy(&o.stdout));
    }
}

#[test]
fn check_prints_one_json_line_per_value() {
    let o = run(
        &["check", "uscc", "--", "91110000600037341L", "９１１１００００６０００３７３４１ｌ", "91110000600037341M"],
        None,
    );
    assert_eq!(code(&o), 1, "one value is invalid");
    let lines: Vec<Value> =
        String::from_utf8_lossy(&o.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["normalized"], "91110000600037341L");
    assert_eq!(lines[1]["valid"], true);
    assert_eq!(lines[2]["valid"], false);
    assert_eq!(lines[2]["findings"][0]["code"], "uscc_check_char");
    assert!(lines[2]["findings"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));

    let o = run(&["check", "mobile", "--locale", "en"], Some(b"138 0013 8000\n\n+86 139-1234-5678\n"));
    assert_eq!(code(&o), 0);
    let normalized: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON")["normalized"].to_string())
        .collect();
    assert_eq!(normalized, ["\"+8613800138000\"", "\"+8613912345678\""]);

    let o = run(&["check", "domain", "测试.中国"], None);
    let line: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        (line["normalized"].as_str(), line["display"].as_str()),
        (Some("xn--0zwm56d.xn--fiqs8s"), Some("测试.中国"))
    );

    let o = run(&["check", "passport", "X"], None);
    assert_eq!(code(&o), 2);
}

#[test]
fn every_identifier_kind_is_reachable_from_the_cli() {
    for kind in formseal::IdentifierKind::ALL {
        let o = run(&["check", kind.as_str(), "x"], None);
        assert!(matches!(code(&o), 0 | 1), "{kind:?}");
        assert!(Path::new(env!("CARGO_BIN_EXE_formseal")).exists());
    }
}

/// A temp dir removed on drop, for key and envelope files.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        let dir = std::env::temp_dir().join(format!("formseal-cli-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Temp(dir)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn keygen_seal_verify_round_trip_for_every_algorithm() {
    let temp = Temp::new("seal");
    for (flag, alg, crv) in [("ed25519", "EdDSA", "Ed25519"), ("es256", "ES256", "P-256"), ("sm2", "SM2-SM3", "SM2")] {
        let o = run(&["keygen", "--alg", flag, "--kid", "k1"], None);
        assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
        let private = stdout_json(&o);
        assert_eq!(
            (private["alg"].as_str(), private["crv"].as_str(), private["kid"].as_str()),
            (Some(alg), Some(crv), Some("k1"))
        );
        assert!(private["d"].is_string());
        let mut public = private.clone();
        public.as_object_mut().unwrap().remove("d");
        let key = temp.write(&format!("{flag}.jwk"), private.to_string().as_bytes());
        let keys =
            temp.write(&format!("{flag}.pub.json"), serde_json::json!({ "keys": [public] }).to_string().as_bytes());

        // user-filing has no attachments, so SM2 needs no SM3 digests here.
        let o = run(
            &[
                "seal",
                "user-filing",
                "forms/examples/user-filing.valid.json",
                "--key",
                &key,
                "--now",
                NOW,
                "--ttl",
                "2h",
            ],
            None,
        );
        assert_eq!(code(&o), 0, "{alg}: {}", String::from_utf8_lossy(&o.stderr));
        let envelope = o.stdout.clone();
        let e = stdout_json(&o);
        assert_eq!(e.as_object().unwrap().keys().collect::<Vec<_>>(), ["payload", "protected", "signature"]);

        let later = "2005-06-01T10:30:00+08:00";
        let o = run(&["verify", "-", "--keys", &keys, "--now", later], Some(&envelope));
        assert_eq!(code(&o), 0, "{alg}: {}", String::from_utf8_lossy(&o.stderr));
        let payload = stdout_json(&o);
        assert_eq!(payload["form"]["id"], "user-filing");
        assert_eq!(payload["exp"], "2005-06-01T12:00:00+08:00");

        // Expired: exit 1 and the reason on stderr.
        let o = run(&["verify", "-", "--keys", &keys, "--now", "2005-06-01T12:00:00+08:00"], Some(&envelope));
        assert_eq!(code(&o), 1);
        assert!(o.stdout.is_empty());
        assert!(String::from_utf8_lossy(&o.stderr).contains("(expired)"), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

#[test]
fn seal_refuses_data_with_errors_and_prints_the_report() {
    let temp = Temp::new("refuse");
    let o = run(&["keygen", "--alg", "ed25519"], None);
    let private = stdout_json(&o);
    assert!(private["kid"].as_str().is_some_and(|k| k.len() >= 12), "a random kid when none is given");
    let key = temp.write("k.jwk", &o.stdout);
    let o = run(&["seal", "user-filing", "forms/examples/user-filing.invalid.json", "--key", &key, "--now", NOW], None);
    assert_eq!(code(&o), 1);
    let report = stdout_json(&o);
    assert_eq!(report["valid"], false);
    assert!(report["counts"]["errors"].as_u64().unwrap() > 0);
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing was sealed"));
}

#[test]
fn seal_and_verify_usage_errors_exit_2() {
    let temp = Temp::new("usage");
    let private = stdout_json(&run(&["keygen", "--alg", "es256", "--kid", "k"], None));
    let key = temp.write("k.jwk", private.to_string().as_bytes());
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["keygen"], "--alg"),
        (vec!["keygen", "--alg", "rsa"], "ed25519, es256 or sm2"),
        (vec!["seal", "user-filing", "forms/examples/user-filing.valid.json"], "--key"),
        (
            vec!["seal", "user-filing", "forms/examples/user-filing.valid.json", "--key", &key, "--ttl", "soon"],
            "duration",
        ),
        (vec!["verify", "-"], "--keys"),
        // A private key in the trusted key set is refused.
        (vec!["verify", "-", "--keys", &key], "private"),
    ];
    for (args, needle) in cases {
        let o = run(&args, Some(b"{}"));
        assert_eq!(code(&o), 2, "{args:?}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
    // A malformed envelope with good keys: not verified, exit 1.
    let mut public = private.clone();
    public.as_object_mut().unwrap().remove("d");
    let keys = temp.write("pub.json", public.to_string().as_bytes());
    let o = run(&["verify", "-", "--keys", &keys, "--now", NOW], Some(b"{\"protected\":\"e30\"}"));
    assert_eq!(code(&o), 1);
    assert!(String::from_utf8_lossy(&o.stderr).contains("envelope_malformed"));
    // A --form definition that does not compile is a usage error naming the file, not ignored.
    let bad = temp.write("bad-form.json", b"{\"id\": 5}");
    let o = run(&["verify", "-", "--keys", &keys, "--form", &bad], Some(b"{}"));
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad-form.json"), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A key pair from `keygen`: (private JWK file, public key set file).
fn key_files(temp: &Temp, alg: &str, kid: &str) -> (String, String) {
    let private = stdout_json(&run(&["keygen", "--alg", alg, "--kid", kid], None));
    let mut public = private.clone();
    public.as_object_mut().unwrap().remove("d");
    let key = temp.write(&format!("{kid}.jwk"), private.to_string().as_bytes());
    let keys = temp.write(&format!("{kid}.pub.json"), serde_json::json!({ "keys": [public] }).to_string().as_bytes());
    (key, keys)
}

fn sealed_user_filing(key: &str) -> Vec<u8> {
    let o = run(&["seal", "user-filing", "forms/examples/user-filing.valid.json", "--key", key, "--now", NOW], None);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

#[test]
fn verify_does_not_truncate_an_envelope_over_two_mebibytes() {
    let temp = Temp::new("big-envelope");
    let (key, keys) = key_files(&temp, "ed25519", "k1");
    // Still one envelope, 2.5 MB: JSON whitespace around its members (an envelope a portal
    // pretty-prints, or one carrying a large payload, is as long).
    let envelope = sealed_user_filing(&key);
    let mut big = vec![b' '; 2_500_000];
    big.extend_from_slice(&envelope);
    assert!(big.len() > 2 * 1024 * 1024 + 1);
    let file = temp.write("big.json", &big);
    let later = "2005-06-01T10:30:00+08:00";
    for (arg, stdin) in [("-", Some(big.as_slice())), (file.as_str(), None)] {
        let o = run(&["verify", arg, "--keys", &keys, "--now", later], stdin);
        assert_eq!(code(&o), 0, "{arg}: {}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(stdout_json(&o)["form"]["id"], "user-filing");
    }
}

#[test]
fn verify_refuses_an_envelope_over_the_envelope_limit_with_a_clear_error() {
    let temp = Temp::new("huge-envelope");
    let (key, keys) = key_files(&temp, "ed25519", "k1");
    let envelope = sealed_user_filing(&key);
    let limit = formseal::seal::jcs::MAX_BYTES;
    let mut huge = vec![b' '; limit + 1 - envelope.len()];
    huge.extend_from_slice(&envelope);
    let file = temp.write("huge.json", &huge);
    for (arg, stdin) in [("-", Some(huge.as_slice())), (file.as_str(), None)] {
        let o = run(&["verify", arg, "--keys", &keys, "--now", NOW], stdin);
        assert_eq!(code(&o), 2, "{arg}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(&format!("more than {limit} bytes")) && stderr.contains("input_too_large"), "{stderr}");
    }
    // Exactly at the limit: read whole, and verified.
    let at_limit = &huge[1..];
    let o = run(&["verify", "-", "--keys", &keys, "--now", "2005-06-01T10:30:00+08:00"], Some(at_limit));
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn check_reads_stdin_within_a_bound() {
    let limit = formseal::limits::MAX_DATA_BYTES;
    // One line longer than the bound, with no newline: refused whole, not read without end.
    let o = run(&["check", "domain"], Some(&vec![b'a'; limit + 1]));
    assert_eq!(code(&o), 2);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains(&format!("more than {limit} bytes")) && stderr.contains("input_too_large"), "{stderr}");
    assert!(o.stdout.is_empty(), "nothing is checked from input that was cut");
    // Many short lines within the bound are all checked.
    let o = run(&["check", "domain"], Some(b"example.cn\nexample.com\n"));
    assert_eq!(code(&o), 0);
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 2);
}

#[test]
fn validate_refuses_data_over_its_limit_with_the_librarys_code() {
    let limit = formseal::limits::MAX_DATA_BYTES;
    let mut data = b"{\"x\":\"".to_vec();
    data.resize(limit + 1, b'a');
    let o = run(&["validate", "user-filing", "-"], Some(&data));
    assert_eq!(code(&o), 2);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains(&format!("more than {limit} bytes")) && stderr.contains("data_too_large"), "{stderr}");
}

#[test]
fn verify_prints_the_code_of_a_bad_key_set() {
    let temp = Temp::new("bad-keys");
    let (key, keys) = key_files(&temp, "ed25519", "k1");
    let set: serde_json::Value = serde_json::from_slice(&std::fs::read(&keys).unwrap()).unwrap();
    let twice = serde_json::json!({ "keys": [set["keys"][0], set["keys"][0]] });
    let duplicate = temp.write("dup.json", twice.to_string().as_bytes());
    let envelope = sealed_user_filing(&key);
    let o = run(&["verify", "-", "--keys", &duplicate, "--now", NOW], Some(&envelope));
    assert_eq!(code(&o), 2);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("jwk_duplicate_kid") && stderr.contains("dup.json"), "{stderr}");
    // And a private key given to `seal` that is not one says why by code too.
    let public = temp.write("pub.jwk", set["keys"][0].to_string().as_bytes());
    let o = run(&["seal", "user-filing", "forms/examples/user-filing.valid.json", "--key", &public], None);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("(code jwk_"), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn verify_refuses_a_negative_skew_as_a_usage_error() {
    let temp = Temp::new("skew");
    let (key, keys) = key_files(&temp, "ed25519", "k1");
    let envelope = sealed_user_filing(&key);
    for skew in [["--skew", "-5m"].as_slice(), &["--skew=-5m"], &["--skew", "-PT1S"]] {
        let mut args = vec!["verify", "-", "--keys", &keys, "--now", NOW];
        args.extend_from_slice(skew);
        let o = run(&args, Some(&envelope));
        assert_eq!(code(&o), 2, "{skew:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("--skew"), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // Zero is allowed: no clock skew at all.
    let o = run(&["verify", "-", "--keys", &keys, "--now", NOW, "--skew", "0s"], Some(&envelope));
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
}

/// `formseal check --help` (and every other command's `--help` or `-h`) exited 2 with "invalid
/// option" or "unexpected option --help" instead of printing the usage: a person asking a command
/// for help got an error.
#[test]
fn check_help_and_every_commands_help_print_the_usage() {
    for command in ["forms", "schema", "example", "validate", "check", "keygen", "seal", "verify"] {
        for flag in ["--help", "-h"] {
            let o = run(&[command, flag], None);
            assert_eq!(code(&o), 0, "formseal {command} {flag}: {}", String::from_utf8_lossy(&o.stderr));
            let text = String::from_utf8_lossy(&o.stdout);
            assert!(text.contains("Usage:") && text.contains("formseal check <kind>"), "{command} {flag}: {text}");
        }
    }
    // After `--`, `-h` is a value to check, not a request for help.
    let o = run(&["check", "mobile", "--", "-h"], None);
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stdout));
}
