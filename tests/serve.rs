//! The reference receiver as a portal talks to it: the real `formseal serve` binary on a loopback
//! port of its own, a temporary data directory, plain HTTP/1.1 over `TcpStream`, and envelopes
//! sealed in-process with the library. Every test starts its own server and kills it on drop;
//! every read has a timeout, so nothing here can hang.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use formseal::seal::envelope::{seal, Envelope, Refusal, SealOptions};
use formseal::seal::keys::{Algorithm, PrivateKey};
use formseal::seal::{b64, jcs};
use formseal::{Form, Locale, Timestamp};

mod common;
use common::receiver::{start_serve, start_serve_with, unique, Postgres, TempDir};
use formseal::SignedDuration;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const TIMEOUT: Duration = Duration::from_secs(20);
/// The receiver's envelope limit (docs/receiver.md): the verifier's own `jcs::MAX_BYTES`.
const MAX_ENVELOPE_BYTES: usize = jcs::MAX_BYTES;

/// A running `formseal serve`, killed on drop.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(data: &Path) -> Server {
        Server::start_with(data, &[])
    }

    fn start_with(data: &Path, extra: &[&str]) -> Server {
        let (child, addr) = start_serve(data, extra, TIMEOUT);
        Server { child, addr }
    }

    /// A receiver over `--store <store>`.
    fn start_store(store: &str) -> Server {
        let (child, addr) =
            start_serve_with(&["--store", store, "--www", "/nonexistent", "--pkg", "/nonexistent"], TIMEOUT);
        Server { child, addr }
    }

    fn request(&self, method: &str, path: &str, body: &[u8]) -> Reply {
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body);
        self.raw(&bytes)
    }

    fn get(&self, path: &str) -> Reply {
        let head = format!("GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr);
        self.raw(head.as_bytes())
    }

    /// A GET with extra request headers.
    fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut head = format!("GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        self.raw(head.as_bytes())
    }

    fn post(&self, path: &str, body: &[u8]) -> Reply {
        self.request("POST", path, body)
    }

    /// Sends `bytes` as they are and reads the whole answer (the request says `Connection: close`).
    fn raw(&self, bytes: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(TIMEOUT)).unwrap();
        stream.write_all(bytes).unwrap();
        // Read until the server closes; a reset after its answer (it refused to read on) keeps
        // what had arrived.
        let mut answer = Vec::new();
        let mut buffer = [0u8; 16 * 1024];
        loop {
            match stream.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && !answer.is_empty() => break,
                Err(e) => panic!("reading the answer: {e}"),
            }
        }
        Reply::parse(&answer)
    }

    fn register(&self, key: &PrivateKey) -> Reply {
        self.post("/api/keys", serde_json::to_string(&key.public().to_jwk()).unwrap().as_bytes())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn parse(answer: &[u8]) -> Reply {
        let split = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("no end of headers");
        let head = std::str::from_utf8(&answer[..split]).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (name, value) = l.split_once(':').unwrap();
                (name.trim().to_ascii_lowercase(), value.trim().to_owned())
            })
            .collect();
        let mut body = answer[split + 4..].to_vec();
        if headers.iter().any(|(n, v)| n == "transfer-encoding" && v.contains("chunked")) {
            body = dechunk(&body);
        }
        Reply { status, headers, body }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        assert!(self.header("content-type").unwrap_or_default().starts_with("application/json"), "not JSON: {self:?}");
        serde_json::from_slice(&self.body).unwrap()
    }

    /// The `error.code` of a JSON error answer.
    fn code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap().to_owned()
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&body[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 4 + size..];
    }
}

fn key(kid: &str, seed: u8) -> PrivateKey {
    PrivateKey::from_seed(Algorithm::EdDSA, Some(kid.into()), &[seed; 32]).unwrap()
}

fn nonce() -> [u8; 16] {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(nanos as u64).to_le_bytes());
    bytes[8..12].copy_from_slice(&std::process::id().to_le_bytes());
    bytes[12..].copy_from_slice(&(unique() as u32).to_le_bytes());
    bytes
}

fn example(id: &str) -> Value {
    serde_json::from_str(formseal::forms::builtin(id).unwrap().valid_example()).unwrap()
}

/// A valid network unit filing sealed by `key`, issued at `iat`, valid for `ttl`.
fn sealed_at(key: &PrivateKey, iat: Timestamp, ttl: SignedDuration) -> String {
    let form = Form::builtin("network-unit-filing").unwrap();
    let options = SealOptions { now: iat, ttl, nonce: nonce(), locale: Locale::ZhCn };
    match seal(&form, &example("network-unit-filing"), key, &options) {
        Ok(envelope) => serde_json::to_string(&envelope).unwrap(),
        Err(Refusal::Invalid(report)) => panic!("the example is invalid now: {:?}", report.findings),
        Err(Refusal::Error(e)) => panic!("{e}"),
    }
}

fn sealed(key: &PrivateKey) -> String {
    sealed_at(key, Timestamp::now(), SignedDuration::from_hours(1))
}

/// Re-signs an envelope whose header or payload was edited, so only the edit is judged.
fn resign(header: &Value, payload: &Value, key: &PrivateKey) -> String {
    let protected = b64::encode(jcs::canonicalize(header).unwrap().as_bytes());
    let payload = b64::encode(jcs::canonicalize(payload).unwrap().as_bytes());
    let signature = key.sign(format!("{protected}.{payload}").as_bytes()).unwrap();
    json!({ "protected": protected, "payload": payload, "signature": b64::encode(&signature) }).to_string()
}

fn payload_of(envelope: &str) -> Value {
    let e: Envelope = serde_json::from_str(envelope).unwrap();
    serde_json::from_slice(&b64::decode(&e.payload).unwrap()).unwrap()
}

fn db_path(data: &Path) -> PathBuf {
    data.join("formseal.sqlite3")
}

#[test]
fn a_registered_key_seals_a_submission_that_is_accepted_and_has_a_receipt() {
    let data = TempDir::new("accept");
    let server = Server::start(data.path());
    let k = key("portal-1", 1);

    let registered = server.register(&k);
    assert_eq!(registered.status, 201, "{registered:?}");
    let answer = registered.json();
    assert_eq!(answer["kid"], "portal-1");
    assert_eq!(answer["alg"], "EdDSA");
    assert_eq!(answer["jwk"], k.public().to_jwk());
    // The same key again changes nothing.
    let again = server.register(&k);
    assert_eq!(again.status, 200, "{again:?}");
    assert_eq!(again.json()["registered_at"], answer["registered_at"]);

    let envelope = sealed(&k);
    let reply = server.post("/api/submissions", envelope.as_bytes());
    assert_eq!(reply.status, 201, "{reply:?}");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let receipt = reply.json();
    let id = receipt["id"].as_str().unwrap();
    assert_eq!(id.len(), 22, "128 random bits, base64url");
    assert_eq!(receipt["form"], json!({ "id": "network-unit-filing", "version": "1.0.0" }));
    assert_eq!(receipt["kid"], "portal-1");
    assert_eq!(receipt["nonce"], payload_of(&envelope)["nonce"]);
    let digest = format!("sha-256:{}", b64::encode(&Sha256::digest(envelope.as_bytes())));
    assert_eq!(receipt["digest"], digest.as_str());
    let received_at = receipt["received_at"].as_str().unwrap();
    assert!(received_at.ends_with("+08:00"), "{received_at}");
    assert!(formseal::time::parse_instant(received_at).is_some());

    let fetched = server.get(&format!("/api/submissions/{id}"));
    assert_eq!(fetched.status, 200, "{fetched:?}");
    assert_eq!(fetched.json(), receipt);
}

/// Another spelling of the same envelope: `spaces` spaces after its opening brace.
fn respaced(envelope: &str, spaces: usize) -> String {
    format!("{{{}{}", " ".repeat(spaces), envelope.strip_prefix('{').unwrap())
}

#[test]
fn a_replayed_envelope_is_refused_even_when_sent_concurrently() {
    let data = TempDir::new("replay");
    let server = Server::start(data.path());
    let k = key("k1", 2);
    assert_eq!(server.register(&k).status, 201);

    let envelope = sealed(&k);
    assert_eq!(server.post("/api/submissions", envelope.as_bytes()).status, 201);
    let replay = server.post("/api/submissions", respaced(&envelope, 1).as_bytes());
    assert_eq!((replay.status, replay.code().as_str()), (409, "replayed"), "{replay:?}");

    // Eight spellings of a fresh envelope at once: exactly one is accepted, the UNIQUE
    // constraint decides.
    let fresh = sealed(&k);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let server = &server;
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let body = respaced(&fresh, i);
                s.spawn(move || server.post("/api/submissions", body.as_bytes()).status)
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(statuses.iter().filter(|&&s| s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|&&s| s == 409).count(), 7, "{statuses:?}");

    // Eight posts of the same bytes at once: one accepted, the seven others answered with its
    // receipt.
    let fresh = sealed(&k);
    let replies: Vec<Reply> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8).map(|_| s.spawn(|| server.post("/api/submissions", fresh.as_bytes()))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|&&s| s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|&&s| s == 200).count(), 7, "{statuses:?}");
    assert!(replies.iter().all(|r| r.json() == replies[0].json()), "one receipt");
}

#[test]
fn a_tampered_byte_fails_the_signature() {
    let data = TempDir::new("tamper");
    let server = Server::start(data.path());
    let k = key("k1", 3);
    assert_eq!(server.register(&k).status, 201);

    let mut envelope: Value = serde_json::from_str(&sealed(&k)).unwrap();
    let payload = envelope["payload"].as_str().unwrap().to_owned();
    let middle = payload.len() / 2;
    let swapped = if &payload[middle..=middle] == "A" { "B" } else { "A" };
    envelope["payload"] = json!(format!("{}{swapped}{}", &payload[..middle], &payload[middle + 1..]));
    let reply = server.post("/api/submissions", envelope.to_string().as_bytes());
    assert_eq!((reply.status, reply.code().as_str()), (422, "signature_invalid"), "{reply:?}");
}

#[test]
fn expired_future_and_unsigned_envelopes_and_unknown_keys_are_refused() {
    let data = TempDir::new("refusals");
    let server = Server::start(data.path());
    let k = key("k1", 4);
    assert_eq!(server.register(&k).status, 201);
    let now = Timestamp::now();

    let expired = sealed_at(&k, now - SignedDuration::from_hours(48), SignedDuration::from_hours(24));
    let in_future = sealed_at(&k, now + SignedDuration::from_hours(1), SignedDuration::from_hours(24));
    let stranger = sealed(&key("stranger", 5));
    let unsigned = {
        let e: Envelope = serde_json::from_str(&sealed(&k)).unwrap();
        let header = json!({ "alg": "none", "kid": "k1", "typ": "formseal+jws" });
        let protected = b64::encode(jcs::canonicalize(&header).unwrap().as_bytes());
        json!({ "protected": protected, "payload": e.payload, "signature": "" }).to_string()
    };
    let not_an_envelope = json!({ "hello": "world" }).to_string();
    for (envelope, code) in [
        (expired, "expired"),
        (in_future, "issued_in_future"),
        (stranger, "unknown_kid"),
        (unsigned, "header_alg_none"),
        (not_an_envelope, "envelope_malformed"),
    ] {
        let reply = server.post("/api/submissions", envelope.as_bytes());
        assert_eq!((reply.status, reply.code().as_str()), (422, code), "{reply:?}");
        assert!(!reply.json()["error"]["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn correctly_signed_data_that_fails_the_rules_is_refused() {
    let data = TempDir::new("revalidate");
    let server = Server::start(data.path());
    let k = key("k1", 6);
    assert_eq!(server.register(&k).status, 201);
    let e: Envelope = serde_json::from_str(&sealed(&k)).unwrap();
    let header: Value = serde_json::from_slice(&b64::decode(&e.protected).unwrap()).unwrap();
    let mut payload = payload_of(&serde_json::to_string(&e).unwrap());
    payload["data"]["principal"]["mobile"] = json!("12345");
    let forged = resign(&header, &payload, &k);
    let reply = server.post("/api/submissions", forged.as_bytes());
    assert_eq!((reply.status, reply.code().as_str()), (422, "revalidation_failed"), "{reply:?}");
}

#[test]
fn malformed_and_oversized_requests_get_json_errors() {
    let data = TempDir::new("malformed");
    let server = Server::start(data.path());

    for body in [&b"{\"protected\":"[..], b"not json", b"{\"a\":1,\"a\":2}", b"\xff\xfe"] {
        let reply = server.post("/api/submissions", body);
        assert_eq!((reply.status, reply.code().as_str()), (400, "malformed_request"), "{reply:?}");
    }
    let reply = server.post("/api/keys", b"[1,");
    assert_eq!((reply.status, reply.code().as_str()), (400, "malformed_request"), "{reply:?}");

    // A declared length over the limit is refused before the body is read.
    let head = format!(
        "POST /api/submissions HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{{",
        server.addr,
        MAX_ENVELOPE_BYTES + 1
    );
    let reply = server.raw(head.as_bytes());
    assert_eq!((reply.status, reply.code().as_str()), (413, "body_too_large"), "{reply:?}");

    // A chunked body is counted as it arrives (the key limit is 16 KiB).
    let chunk = vec![b' '; 20 * 1024];
    let mut request = format!(
        "POST /api/keys HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
        server.addr,
        chunk.len()
    )
    .into_bytes();
    request.extend_from_slice(&chunk);
    request.extend_from_slice(b"\r\n0\r\n\r\n");
    let reply = server.raw(&request);
    assert_eq!((reply.status, reply.code().as_str()), (413, "body_too_large"), "{reply:?}");

    // An envelope of exactly the limit is read, and judged by the verifier.
    let mut big = br#"{"protected":""#.to_vec();
    big.resize(MAX_ENVELOPE_BYTES - 2, b'A');
    big.extend_from_slice(b"\"}");
    let reply = server.post("/api/submissions", &big);
    assert_eq!(reply.status, 422, "{reply:?}");

    // A request head over 64 KiB is refused by hyper itself (no JSON: no handler ran).
    let head = format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Big: {}\r\n\r\n", server.addr, "a".repeat(70_000));
    assert_eq!(server.raw(head.as_bytes()).status, 431);

    let reply = server.get("/api/submissions/nothing-here");
    assert_eq!((reply.status, reply.code().as_str()), (404, "not_found"), "{reply:?}");
    let reply = server.get("/api/submissions/..%2F..%2Fetc");
    assert_eq!((reply.status, reply.code().as_str()), (404, "not_found"), "{reply:?}");
    let reply = server.get("/api/elsewhere");
    assert_eq!((reply.status, reply.code().as_str()), (404, "not_found"), "{reply:?}");
    let reply = server.get("/api/submissions");
    assert_eq!((reply.status, reply.code().as_str()), (405, "method_not_allowed"), "{reply:?}");
}

#[test]
fn keys_are_public_named_and_not_replaced() {
    let data = TempDir::new("keys");
    let server = Server::start(data.path());

    let private = key("k1", 7).to_jwk();
    let reply = server.post("/api/keys", private.to_string().as_bytes());
    assert_eq!((reply.status, reply.code().as_str()), (422, "jwk_private_in_key_set"), "{reply:?}");

    let mut nameless = key("k1", 7).public().to_jwk();
    nameless.as_object_mut().unwrap().remove("kid");
    let reply = server.post("/api/keys", nameless.to_string().as_bytes());
    assert_eq!((reply.status, reply.code().as_str()), (422, "jwk_missing_kid"), "{reply:?}");

    let mut off_curve = key("k1", 7).public().to_jwk();
    off_curve["kty"] = json!("RSA");
    let reply = server.post("/api/keys", off_curve.to_string().as_bytes());
    assert_eq!((reply.status, reply.code().as_str()), (422, "jwk_unsupported"), "{reply:?}");

    assert_eq!(server.register(&key("k1", 7)).status, 201);
    let reply = server.register(&key("k1", 8));
    assert_eq!((reply.status, reply.code().as_str()), (409, "kid_conflict"), "{reply:?}");
    // Other algorithms register too.
    let es256 = PrivateKey::from_seed(Algorithm::Es256, Some("k2".into()), &[9; 32]).unwrap();
    assert_eq!(server.register(&es256).status, 201);
}

#[test]
fn what_was_accepted_survives_a_restart_and_the_database_is_sound() {
    let data = TempDir::new("restart");
    let k = key("k1", 10);
    let first = sealed(&k);
    let receipt = {
        let server = Server::start(data.path());
        assert_eq!(server.register(&k).status, 201);
        let reply = server.post("/api/submissions", first.as_bytes());
        assert_eq!(reply.status, 201, "{reply:?}");
        reply.json()
        // Dropped: the process is killed (SIGKILL), as in a crash.
    };
    let id = receipt["id"].as_str().unwrap();

    let server = Server::start(data.path());
    let fetched = server.get(&format!("/api/submissions/{id}"));
    assert_eq!(fetched.status, 200, "{fetched:?}");
    assert_eq!(fetched.json(), receipt);
    // The key is still registered, and the nonce still remembered.
    assert_eq!(server.post("/api/submissions", sealed(&k).as_bytes()).status, 201);
    assert_eq!(server.post("/api/submissions", first.as_bytes()).json(), receipt);
    assert_eq!(server.post("/api/submissions", reordered(&first).as_bytes()).code(), "replayed");

    let db = rusqlite::Connection::open(db_path(data.path())).unwrap();
    let check: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let mode: String = db.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let count: i64 = db.query_row("SELECT count(*) FROM submissions", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 2);
    let (envelope, payload, kid, form_id, nonce): (Vec<u8>, String, String, String, String) = db
        .query_row("SELECT envelope, payload, kid, form_id, nonce FROM submissions WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap();
    assert_eq!(envelope, first.as_bytes(), "the exact bytes received");
    assert_eq!(serde_json::from_str::<Value>(&payload).unwrap(), payload_of(&first));
    assert_eq!((kid.as_str(), form_id.as_str()), ("k1", "network-unit-filing"));
    assert_eq!(nonce, receipt["nonce"].as_str().unwrap());
}

#[test]
fn static_files_have_their_types_and_html_its_policy() {
    let data = TempDir::new("static");
    let www = TempDir::new("www");
    let pkg = TempDir::new("pkg");
    std::fs::write(www.path().join("index.html"), "<!doctype html><title>备案</title>").unwrap();
    std::fs::write(www.path().join("app.js"), "export {};").unwrap();
    std::fs::create_dir_all(pkg.path().join("web")).unwrap();
    std::fs::write(pkg.path().join("web/formseal_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(pkg.path().join("web/formseal.mjs"), "export {};").unwrap();
    let www_arg = www.path().to_str().unwrap();
    let pkg_arg = pkg.path().to_str().unwrap();
    let server = Server::start_with(data.path(), &["--www", www_arg, "--pkg", pkg_arg]);

    let csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
    let index = server.get("/");
    assert_eq!(index.status, 200, "{index:?}");
    assert!(index.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(index.header("content-security-policy"), Some(csp));
    assert_eq!(server.get("/index.html").header("content-security-policy"), Some(csp));
    let script = server.get("/app.js");
    assert!(script.header("content-type").unwrap().starts_with("text/javascript"), "{script:?}");
    assert_eq!(script.header("x-content-type-options"), Some("nosniff"));
    let wasm = server.get("/pkg/web/formseal_bg.wasm");
    assert_eq!((wasm.status, wasm.header("content-type")), (200, Some("application/wasm")), "{wasm:?}");
    assert_eq!(wasm.body, b"\0asm\x01\0\0\0");
    let module = server.get("/pkg/web/formseal.mjs");
    assert!(module.header("content-type").unwrap().starts_with("text/javascript"), "{module:?}");

    assert_eq!(server.get("/missing.html").status, 404);
    assert_eq!(server.get("/../Cargo.toml").status, 404);
    assert_eq!(server.get("/%2e%2e/Cargo.toml").status, 404);
}

/// Runs `program args` with `input` on standard input; its standard output.
fn filter(program: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    use std::process::Stdio;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e} (`make tools` installs brotli)"));
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "{program} {args:?} failed");
    out.stdout
}

/// A wasm-like file in `pkg/web/` with the `.br` and `.gz` variants the package build writes.
fn wasm_with_variants(pkg: &Path) -> Vec<u8> {
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    for i in 0..20_000u32 {
        wasm.extend_from_slice(format!("formseal {} ", i % 97).as_bytes());
    }
    let web = pkg.join("web");
    std::fs::create_dir_all(&web).unwrap();
    std::fs::write(web.join("formseal_bg.wasm"), &wasm).unwrap();
    std::fs::write(web.join("formseal_bg.wasm.gz"), filter("gzip", &["-9", "-n", "-c"], &wasm)).unwrap();
    std::fs::write(web.join("formseal_bg.wasm.br"), filter("brotli", &["-q", "11", "-c"], &wasm)).unwrap();
    wasm
}

#[test]
fn the_wasm_is_sent_brotli_or_gzip_by_accept_encoding_and_is_immutable_only_under_its_digest() {
    let data = TempDir::new("precompressed");
    let pkg = TempDir::new("pkg");
    let wasm = wasm_with_variants(pkg.path());
    let server = Server::start_with(data.path(), &["--www", "/nonexistent", "--pkg", pkg.path().to_str().unwrap()]);
    let digest: String = Sha256::digest(&wasm).iter().map(|b| format!("{b:02x}")).collect();
    let versioned = format!("/pkg/web/formseal_bg.wasm?v={}", &digest[..16]);
    let immutable = Some("public, max-age=31536000, immutable");

    for (path, cache) in [("/pkg/web/formseal_bg.wasm", Some("no-cache")), (versioned.as_str(), immutable)] {
        let plain = server.get(path);
        assert_eq!((plain.status, plain.header("content-type")), (200, Some("application/wasm")), "{path}");
        assert_eq!(plain.header("content-encoding"), None, "{path}");
        assert_eq!(plain.body, wasm, "{path}");
        assert_eq!(plain.header("cache-control"), cache, "{path}");
        assert_eq!(plain.header("vary"), Some("accept-encoding"), "{path}");
        for (accept, encoding, decode) in [
            ("br", "br", "brotli"),
            ("gzip", "gzip", "gzip"),
            ("gzip, deflate, br", "br", "brotli"),
            ("br;q=0.5, gzip", "gzip", "gzip"),
        ] {
            let reply = server.get_with(path, &[("Accept-Encoding", accept)]);
            let what = format!("{path} with Accept-Encoding: {accept}");
            assert_eq!(reply.status, 200, "{what}");
            assert_eq!(reply.header("content-encoding"), Some(encoding), "{what}");
            assert_eq!(reply.header("content-type"), Some("application/wasm"), "{what}");
            assert_eq!(reply.header("cache-control"), cache, "{what}");
            assert_eq!(reply.header("vary"), Some("accept-encoding"), "{what}");
            assert!(reply.body.len() < wasm.len() / 4, "{what}: {} bytes", reply.body.len());
            assert_eq!(filter(decode, &["-d", "-c"], &reply.body), wasm, "{what}: decompressed");
        }
    }
    // A `v` that is not the digest of these bytes, or too short to say, is not immutable.
    for query in ["v=0000000000000000", &format!("v={}", &digest[..15]), "x=1"] {
        let reply = server.get(&format!("/pkg/web/formseal_bg.wasm?{query}"));
        assert_eq!((reply.status, reply.header("cache-control")), (200, Some("no-cache")), "?{query}");
    }
    // Revalidation of an unversioned name: 304, still no-cache.
    let last_modified = server.get("/pkg/web/formseal_bg.wasm").header("last-modified").unwrap().to_owned();
    let again = server.get_with("/pkg/web/formseal_bg.wasm", &[("If-Modified-Since", &last_modified)]);
    assert_eq!((again.status, again.header("cache-control")), (304, Some("no-cache")), "{again:?}");
}

#[test]
fn a_precompressed_variant_older_than_its_wasm_is_not_sent() {
    let data = TempDir::new("stale-variant");
    let pkg = TempDir::new("pkg");
    let wasm = wasm_with_variants(pkg.path());
    // The previous build's variants beside a rebuilt wasm.
    let earlier = SystemTime::now() - Duration::from_secs(3600);
    for variant in ["formseal_bg.wasm.br", "formseal_bg.wasm.gz"] {
        std::fs::File::options()
            .write(true)
            .open(pkg.path().join("web").join(variant))
            .unwrap()
            .set_modified(earlier)
            .unwrap();
    }
    let server = Server::start_with(data.path(), &["--www", "/nonexistent", "--pkg", pkg.path().to_str().unwrap()]);
    let reply = server.get_with("/pkg/web/formseal_bg.wasm", &[("Accept-Encoding", "gzip, deflate, br")]);
    assert_eq!((reply.status, reply.header("content-encoding")), (200, None), "{reply:?}");
    assert_eq!(reply.body, wasm);
}

#[test]
fn missing_static_directories_are_only_404s() {
    let data = TempDir::new("nodirs");
    let server = Server::start_with(data.path(), &["--www", "/nonexistent/www", "--pkg", "/nonexistent/pkg"]);
    assert_eq!(server.get("/").status, 404);
    assert_eq!(server.get("/pkg/formseal.js").status, 404);
    assert_eq!(server.register(&key("k1", 11)).status, 201, "the API still works");
}

#[test]
fn a_bad_option_is_a_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_formseal")).args(["serve", "--port", "80"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = Command::new(env!("CARGO_BIN_EXE_formseal")).args(["serve", "--addr", "localhost"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--addr"));
}

// Issue 10, item 9: the receiver's own defects, each held by a test named after it.

/// Sends a POST with the given `Content-Type` (none when `None`).
fn post_typed(server: &Server, path: &str, content_type: Option<&str>, body: &[u8]) -> Reply {
    let typed = content_type.map(|t| format!("Content-Type: {t}\r\n")).unwrap_or_default();
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{typed}Content-Length: {}\r\n\r\n",
        server.addr,
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    server.raw(&request)
}

#[test]
fn a_post_whose_content_type_is_not_json_gets_415() {
    let data = TempDir::new("media-type");
    let server = Server::start(data.path());
    let k = key("k1", 20);
    let jwk = serde_json::to_string(&k.public().to_jwk()).unwrap();
    // An HTML form posted before the script loaded, and other types: none reaches the verifier.
    for content_type in [
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("text/plain"),
        Some("application/jsonp"),
        None,
    ] {
        for path in ["/api/submissions", "/api/keys"] {
            let reply = post_typed(&server, path, content_type, jwk.as_bytes());
            assert_eq!(
                (reply.status, reply.code().as_str()),
                (415, "unsupported_media_type"),
                "{content_type:?} {path}: {reply:?}"
            );
            assert!(reply.json()["error"]["message"].as_str().unwrap().contains("application/json"), "{reply:?}");
        }
    }
    // Nothing was registered by those; JSON with parameters, in any case, is JSON.
    let reply = post_typed(&server, "/api/keys", Some("Application/JSON; charset=utf-8"), jwk.as_bytes());
    assert_eq!(reply.status, 201, "{reply:?}");
    let envelope = sealed(&k);
    let reply = post_typed(&server, "/api/submissions", Some("application/json;charset=UTF-8"), envelope.as_bytes());
    assert_eq!(reply.status, 201, "{reply:?}");
}

/// The same envelope with its members in another order: other bytes, the same signed payload.
fn reordered(envelope: &str) -> String {
    let e: Envelope = serde_json::from_str(envelope).unwrap();
    format!(r#"{{"signature":"{}","payload":"{}","protected":"{}"}}"#, e.signature, e.payload, e.protected)
}

#[test]
fn a_second_post_of_the_same_bytes_answers_200_with_the_original_receipt() {
    let data = TempDir::new("same-bytes");
    let server = Server::start(data.path());
    let k = key("k1", 21);
    assert_eq!(server.register(&k).status, 201);
    let envelope = sealed(&k);
    let first = server.post("/api/submissions", envelope.as_bytes());
    assert_eq!(first.status, 201, "{first:?}");
    // A retry after a lost answer: the original receipt, not an error.
    let again = server.post("/api/submissions", envelope.as_bytes());
    assert_eq!(again.status, 200, "{again:?}");
    assert_eq!(again.json(), first.json());
    // A different envelope with the same nonce stays a replay.
    let other = reordered(&envelope);
    assert_ne!(other, envelope);
    let reply = server.post("/api/submissions", other.as_bytes());
    assert_eq!((reply.status, reply.code().as_str()), (409, "replayed"), "{reply:?}");
    // Stored once.
    let db = rusqlite::Connection::open(db_path(data.path())).unwrap();
    let count: i64 = db.query_row("SELECT count(*) FROM submissions", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 1);
}

#[test]
fn a_static_path_component_over_255_bytes_is_404_not_500() {
    let data = TempDir::new("long-name");
    let www = TempDir::new("www");
    std::fs::write(www.path().join("index.html"), "<!doctype html>").unwrap();
    let server = Server::start_with(
        data.path(),
        &["--www", www.path().to_str().unwrap(), "--pkg", www.path().to_str().unwrap()],
    );
    for path in
        [format!("/{}", "a".repeat(256)), format!("/pkg/{}.js", "b".repeat(300)), format!("/x/{}/y", "%41".repeat(256))]
    {
        let reply = server.get(&path);
        assert_eq!(reply.status, 404, "{path}: {reply:?}");
    }
    assert_eq!(server.get(&format!("/{}", "a".repeat(255))).status, 404);
}

#[test]
fn get_api_slash_answers_the_json_404() {
    let data = TempDir::new("api-slash");
    let www = TempDir::new("www");
    std::fs::create_dir_all(www.path().join("api")).unwrap();
    std::fs::write(www.path().join("api/index.html"), "<!doctype html>").unwrap();
    let server = Server::start_with(data.path(), &["--www", www.path().to_str().unwrap()]);
    for path in ["/api/", "/api", "/api/x/"] {
        let reply = server.get(path);
        assert_eq!((reply.status, reply.code().as_str()), (404, "not_found"), "{path}: {reply:?}");
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
    }
}

#[test]
fn get_double_slash_en_does_not_redirect_to_a_protocol_relative_url() {
    let data = TempDir::new("double-slash");
    let www = TempDir::new("www");
    std::fs::create_dir_all(www.path().join("en")).unwrap();
    std::fs::write(www.path().join("en/index.html"), "<!doctype html>").unwrap();
    let server = Server::start_with(data.path(), &["--www", www.path().to_str().unwrap()]);
    for path in ["//en", "///en", "//en/", "/%2Fen", "/%5Cen", "/en//"] {
        let reply = server.get(path);
        let location = reply.header("location").unwrap_or_default();
        assert!(!location.starts_with("//") && !location.starts_with("/\\"), "{path}: {reply:?}");
        assert_eq!(reply.status, 404, "{path}: {reply:?}");
    }
    // The directory itself still redirects to its slash, on this site.
    let reply = server.get("/en");
    assert_eq!((reply.status / 100, reply.header("location")), (3, Some("/en/")), "{reply:?}");
    assert_eq!(server.get("/en/").status, 200);
}

#[cfg(unix)]
#[test]
fn symlinks_that_leave_www_or_pkg_are_not_followed() {
    let data = TempDir::new("symlinks");
    let outside = TempDir::new("outside");
    let www = TempDir::new("www");
    let pkg = TempDir::new("pkg");
    std::fs::write(outside.path().join("secret.txt"), "not for the web").unwrap();
    std::fs::write(outside.path().join("index.html"), "not for the web").unwrap();
    std::fs::write(www.path().join("inside.txt"), "public").unwrap();
    let link = |from: std::path::PathBuf, to: std::path::PathBuf| std::os::unix::fs::symlink(from, to);
    link(outside.path().join("secret.txt"), www.path().join("secret.txt")).unwrap();
    link(outside.path().to_path_buf(), www.path().join("out")).unwrap();
    link(outside.path().to_path_buf(), pkg.path().join("web")).unwrap();
    link(outside.path().join("secret.txt"), pkg.path().join("formseal.js")).unwrap();
    // A link that stays inside is followed.
    link(www.path().join("inside.txt"), www.path().join("alias.txt")).unwrap();
    let server = Server::start_with(
        data.path(),
        &["--www", www.path().to_str().unwrap(), "--pkg", pkg.path().to_str().unwrap()],
    );
    for path in
        ["/secret.txt", "/out/secret.txt", "/out/", "/out", "/pkg/web/secret.txt", "/pkg/formseal.js", "/pkg/web/"]
    {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}: {reply:?}");
        assert!(!String::from_utf8_lossy(&reply.body).contains("not for the web"), "{path}");
    }
    let reply = server.get("/alias.txt");
    assert_eq!((reply.status, reply.body.as_slice()), (200, &b"public"[..]), "{reply:?}");
}

#[test]
fn a_failed_key_registration_says_so() {
    let data = TempDir::new("key-failure");
    let server = Server::start(data.path());
    // Make the store refuse every new key, from outside the server (WAL: a second connection).
    let db = rusqlite::Connection::open(db_path(data.path())).unwrap();
    db.execute_batch(
        "CREATE TRIGGER refuse_keys BEFORE INSERT ON keys BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
    )
    .unwrap();
    let reply = server.register(&key("k1", 22));
    assert_eq!((reply.status, reply.code().as_str()), (500, "storage_failed"), "{reply:?}");
    let message = reply.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("key") && !message.contains("submission"), "{message}");
}

// Issue 14: the PostgreSQL store, several receivers over one database, schema versions.

#[test]
fn three_receivers_over_one_postgres_store_each_filing_once_and_never_give_a_kid_away() {
    let pg = Postgres::start("three");
    let receivers: Vec<Server> = (0..3).map(|_| Server::start_store(&pg.url)).collect();
    let [a, b, c] = [&receivers[0], &receivers[1], &receivers[2]];
    let k = key("portal-1", 30);

    // A key registered through one receiver is the key of all of them, and cannot be taken over
    // through another.
    let registered = a.register(&k);
    assert_eq!(registered.status, 201, "{registered:?}");
    let again = b.register(&k);
    assert_eq!((again.status, &again.json()["registered_at"]), (200, &registered.json()["registered_at"]), "{again:?}");
    let takeover = c.register(&key("portal-1", 31));
    assert_eq!((takeover.status, takeover.code().as_str()), (409, "kid_conflict"), "{takeover:?}");
    // Two different keys for a new kid at once, through two receivers: one wins, the other is told.
    let (first, second) = std::thread::scope(|s| {
        let one = s.spawn(|| b.register(&key("race", 32)).status);
        let two = s.spawn(|| c.register(&key("race", 33)).status);
        (one.join().unwrap(), two.join().unwrap())
    });
    let mut statuses = [first, second];
    statuses.sort();
    assert_eq!(statuses, [201, 409]);

    // A filing through one, its retry through another, a replay through the third.
    let envelope = sealed(&k);
    let accepted = a.post("/api/submissions", envelope.as_bytes());
    assert_eq!(accepted.status, 201, "{accepted:?}");
    let receipt = accepted.json();
    let retry = b.post("/api/submissions", envelope.as_bytes());
    assert_eq!((retry.status, retry.json()), (200, receipt.clone()), "{retry:?}");
    let replay = c.post("/api/submissions", reordered(&envelope).as_bytes());
    assert_eq!((replay.status, replay.code().as_str()), (409, "replayed"), "{replay:?}");
    let fetched = c.get(&format!("/api/submissions/{}", receipt["id"].as_str().unwrap()));
    assert_eq!((fetched.status, fetched.json()), (200, receipt.clone()));

    // Nine spellings of one fresh envelope at once, three through each receiver: one accepted.
    let fresh = sealed(&k);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..9)
            .map(|i| {
                let (server, body) = (&receivers[i % 3], respaced(&fresh, i));
                s.spawn(move || server.post("/api/submissions", body.as_bytes()).status)
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(statuses.iter().filter(|&&s| s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|&&s| s == 409).count(), 8, "{statuses:?}");

    // What the database holds: the exact bytes, once each.
    let rows = pg.query("SELECT nonce, envelope, receipt FROM submissions ORDER BY seq");
    assert_eq!(rows.len(), 2);
    let envelope_stored: Vec<u8> = rows[0].get(1);
    assert_eq!(envelope_stored, envelope.as_bytes());
    let receipt_stored: String = rows[0].get(2);
    assert_eq!(serde_json::from_str::<Value>(&receipt_stored).unwrap(), receipt);
    let version: i64 = pg.query("SELECT version FROM formseal_schema")[0].get(0);
    assert_eq!(version, 2);
}

#[test]
fn postgres_down_answers_503_with_retry_after_and_the_receiver_recovers_by_itself() {
    let pg = Postgres::start("down");
    let server = Server::start_store(&pg.url);
    let k = key("k1", 34);
    assert_eq!(server.register(&k).status, 201);
    let before = server.post("/api/submissions", sealed(&k).as_bytes());
    assert_eq!(before.status, 201, "{before:?}");

    pg.stop("fast");
    let envelope = sealed(&k);
    for reply in [
        server.post("/api/submissions", envelope.as_bytes()),
        server.register(&key("k2", 35)),
        server.get(&format!("/api/submissions/{}", before.json()["id"].as_str().unwrap())),
    ] {
        assert_eq!((reply.status, reply.code().as_str()), (503, "store_unavailable"), "{reply:?}");
        assert_eq!(reply.header("retry-after"), Some("2"), "{reply:?}");
    }

    pg.start_again();
    let after = server.post("/api/submissions", envelope.as_bytes());
    assert_eq!(after.status, 201, "{after:?}");
    assert_eq!(server.register(&key("k2", 35)).status, 201);
    let count: i64 = pg.query("SELECT count(*) FROM submissions")[0].get(0);
    assert_eq!(count, 2);
}

#[test]
fn a_schema_newer_than_the_binary_is_refused_on_both_stores() {
    let refused = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_formseal"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let data = TempDir::new("newer-sqlite");
    drop(Server::start(data.path()));
    rusqlite::Connection::open(db_path(data.path())).unwrap().pragma_update(None, "user_version", 3).unwrap();
    let message = refused(&["--data", data.path().to_str().unwrap()]);
    assert!(message.contains("schema version 3, newer than this formseal's 2"), "{message}");

    let pg = Postgres::start("newer");
    drop(Server::start_store(&pg.url));
    pg.execute("UPDATE formseal_schema SET version = 3");
    let message = refused(&["--store", &pg.url]);
    assert!(message.contains("schema version 3, newer than this formseal's 2"), "{message}");
    assert!(!message.contains("host="), "the URL is not printed: {message}");
}

#[test]
fn a_version_1_sqlite_store_is_migrated_and_sqlite_path_names_the_file() {
    let data = TempDir::new("migrate");
    let file = data.path().join("old.sqlite3");
    let k = key("k1", 36);
    let envelope = sealed(&k);
    {
        // A store as version 1 left it: the tables, no digest index, one accepted filing.
        let db = rusqlite::Connection::open(&file).unwrap();
        db.execute_batch(
            "CREATE TABLE keys (kid TEXT PRIMARY KEY, alg TEXT NOT NULL, jwk TEXT NOT NULL, registered_at TEXT NOT NULL) STRICT;
             CREATE TABLE submissions (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, received_at TEXT NOT NULL,
               kid TEXT NOT NULL REFERENCES keys(kid), form_id TEXT NOT NULL, form_version TEXT NOT NULL,
               nonce TEXT NOT NULL UNIQUE, digest TEXT NOT NULL, envelope BLOB NOT NULL, payload TEXT NOT NULL,
               receipt TEXT NOT NULL) STRICT;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let server = Server::start_store(&format!("sqlite:{}", file.display()));
    assert_eq!(server.register(&k).status, 201);
    let accepted = server.post("/api/submissions", envelope.as_bytes());
    assert_eq!(accepted.status, 201, "{accepted:?}");
    assert_eq!(server.post("/api/submissions", envelope.as_bytes()).json(), accepted.json());
    let db = rusqlite::Connection::open(&file).unwrap();
    let version: i64 = db.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 2);
    let index: i64 = db
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'submissions_digest'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(index, 1);
    assert!(!data.path().join("formseal.sqlite3").exists(), "--store sqlite:PATH is the file itself");
}

#[test]
fn a_bad_store_is_a_usage_error() {
    for args in [&["--store", "mysql://x"][..], &["--store", "sqlite:"], &["--data", "d", "--store", "sqlite:x"]] {
        let output = Command::new(env!("CARGO_BIN_EXE_formseal")).arg("serve").args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("--"), "{args:?}");
    }
}

#[test]
fn sqlite_locked_by_another_process_answers_503_with_retry_after_and_recovers() {
    let data = TempDir::new("locked");
    let server = Server::start(data.path());
    let k = key("k1", 37);
    assert_eq!(server.register(&k).status, 201);
    // Another process (a backup, an administrator's shell) holds the write lock past the
    // receiver's 5-second busy timeout.
    let db = rusqlite::Connection::open(db_path(data.path())).unwrap();
    db.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let envelope = sealed(&k);
    let reply = server.post("/api/submissions", envelope.as_bytes());
    assert_eq!((reply.status, reply.code().as_str()), (503, "store_unavailable"), "{reply:?}");
    assert_eq!(reply.header("retry-after"), Some("2"));
    db.execute_batch("COMMIT").unwrap();
    // Released: the same request now succeeds, and was not stored the first time.
    let reply = server.post("/api/submissions", envelope.as_bytes());
    assert_eq!(reply.status, 201, "{reply:?}");
    let count: i64 = db.query_row("SELECT count(*) FROM submissions", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 1);
}
