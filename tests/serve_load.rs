//! The reference receiver under load and faults (issue 7, item 6; issue 14, item 5): many
//! concurrent clients, a concurrent replay of everything, a SIGKILL in the middle of a load, and
//! hostile clients (malformed, oversized, slow-loris) attached while ordinary ones submit; on the
//! SQLite store, and on a real PostgreSQL (`scripts/pg.sh`) with three receivers, where the
//! database is also restarted in the middle of a load.
//!
//! Like tests/serve.rs: the real `formseal serve` binary on a loopback port of its own, a temporary
//! store, plain HTTP/1.1 over `TcpStream`, envelopes sealed in-process with the library.
//! Every loop is bounded and every read has a timeout, so nothing here can hang. Afterwards each
//! test reads the store (the SQLite file read-only, or PostgreSQL) and compares it with what was
//! sent, and prints what it sent, what was stored and what was lost.
//!
//! In a debug build on two shared cores the file takes 62 to 110 s (measured): the server
//! verifies every envelope, replays included, with debug-built crypto (about 28 ms each), and the
//! hostile test waits out the 60-second body timeout. The tests are named so that
//! libtest's two threads start the big load beside the mostly idle hostile test.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{HashMap, HashSet};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Child;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use formseal::seal::envelope::{seal, Envelope, SealOptions};
use formseal::seal::keys::{Algorithm, PrivateKey};
use formseal::seal::{b64, jcs};
use formseal::{Form, Locale, Timestamp};

mod common;
use common::receiver::{start_serve, start_serve_with, unique, Postgres, TempDir};
use formseal::SignedDuration;
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The documented load: this many submissions from this many concurrent clients.
const SUBMISSIONS: usize = 2_000;
const CLIENTS: usize = 50;
/// Read and write timeout of an ordinary request; generous, a debug server on two busy cores.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The receiver's header timeout and body timeout (docs/receiver.md).
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
const BODY_TIMEOUT: Duration = Duration::from_secs(60);
/// The bound asserted on each ordinary submission while hostile clients are attached.
const PROMPT: Duration = Duration::from_secs(5);

/// A running `formseal serve`, killed (SIGKILL) on drop or by [`Server::kill`].
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(data: &Path) -> Server {
        let (child, addr) = start_serve(data, &["--www", "/nonexistent", "--pkg", "/nonexistent"], TIMEOUT);
        Server { child, addr }
    }

    /// A receiver over `--store <store>`.
    fn start_store(store: &str) -> Server {
        let (child, addr) =
            start_serve_with(&["--store", store, "--www", "/nonexistent", "--pkg", "/nonexistent"], TIMEOUT);
        Server { child, addr }
    }

    /// SIGKILL, as in a crash or the OOM killer: no shutdown code runs.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    fn post(&self, path: &str, body: &[u8]) -> std::io::Result<Reply> {
        post(&self.addr, path, body)
    }

    fn register(&self, key: &PrivateKey) {
        let jwk = serde_json::to_string(&key.public().to_jwk()).unwrap();
        let reply = self.post("/api/keys", jwk.as_bytes()).unwrap();
        assert_eq!(reply.status, 201, "{reply:?}");
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
    /// The `Retry-After` header, if any.
    retry_after: Option<String>,
    body: Vec<u8>,
}

impl Reply {
    /// A status line, headers and a body delimited by the end of the connection.
    fn parse(answer: &[u8]) -> Option<Reply> {
        let split = answer.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = std::str::from_utf8(&answer[..split]).ok()?;
        let status = head.split(' ').nth(1)?.parse().ok()?;
        let retry_after = head.split("\r\n").find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("retry-after").then(|| value.trim().to_owned())
        });
        Some(Reply { status, retry_after, body: answer[split + 4..].to_vec() })
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }

    fn code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or_default().to_owned()
    }
}

/// Reads until the server closes the connection; a reset after some of the answer keeps it.
fn read_to_close(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return Ok(answer),
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if e.kind() == ErrorKind::ConnectionReset && !answer.is_empty() => return Ok(answer),
            Err(e) => return Err(e),
        }
    }
}

/// One `POST` on a fresh connection (`Connection: close`). Any I/O failure, or an answer cut
/// short, is an error: the caller decides whether that is allowed (it is only at a kill).
fn post(addr: &str, path: &str, body: &[u8]) -> std::io::Result<Reply> {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    stream.write_all(&request)?;
    let answer = read_to_close(&mut stream)?;
    Reply::parse(&answer).ok_or_else(|| std::io::Error::new(ErrorKind::UnexpectedEof, "an incomplete answer"))
}

/// An envelope sealed up front, with the nonce the receiver will store for it.
struct Sealed {
    text: String,
    nonce: String,
}

/// `count` valid network unit filings sealed by `key` with distinct nonces. The first is made by
/// `seal`; the others are its payload with another nonce, canonicalized and signed exactly as
/// `seal` does, so the verifier cannot tell them apart, without validating the same data again
/// for each (in a debug build that is two thirds of `seal`'s time). Signed on two threads.
fn seal_many(key: &PrivateKey, count: usize) -> Vec<Sealed> {
    let started = Instant::now();
    let form = Form::builtin("network-unit-filing").unwrap();
    let example: Value =
        serde_json::from_str(formseal::forms::builtin("network-unit-filing").unwrap().valid_example()).unwrap();
    let run = unique().to_le_bytes();
    let nanos = (SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64).to_le_bytes();
    let nonce_of = |i: usize| {
        let mut nonce = [0u8; 16];
        nonce[..8].copy_from_slice(&nanos);
        nonce[8..12].copy_from_slice(&run[..4]);
        nonce[12..].copy_from_slice(&(i as u32).to_le_bytes());
        nonce
    };
    let options = SealOptions {
        now: Timestamp::now(),
        ttl: SignedDuration::from_hours(1),
        nonce: nonce_of(0),
        locale: Locale::ZhCn,
    };
    let first = seal(&form, &example, key, &options).unwrap_or_else(|_| panic!("the example does not seal"));
    let mut payload: Value = serde_json::from_slice(&b64::decode(&first.payload).unwrap()).unwrap();
    assert_eq!(payload["nonce"], b64::encode(&options.nonce).as_str(), "the receiver stores this nonce");
    payload["nonce"] = Value::Null;
    let protected = first.protected.clone();
    let sign_range = |range: std::ops::Range<usize>| -> Vec<Sealed> {
        let mut payload = payload.clone();
        range
            .map(|i| {
                let nonce = b64::encode(&nonce_of(i));
                payload["nonce"] = Value::String(nonce.clone());
                let payload = b64::encode(jcs::canonicalize(&payload).unwrap().as_bytes());
                let signature = b64::encode(&key.sign(format!("{protected}.{payload}").as_bytes()).unwrap());
                let envelope = Envelope { protected: protected.clone(), payload, signature };
                Sealed { text: serde_json::to_string(&envelope).unwrap(), nonce }
            })
            .collect()
    };
    let half = count / 2;
    let sealed = std::thread::scope(|s| {
        let first_half = s.spawn(|| sign_range(0..half));
        let second_half = s.spawn(|| sign_range(half..count));
        let mut all = first_half.join().unwrap();
        all.extend(second_half.join().unwrap());
        all
    });
    assert_eq!(sealed[0].text, serde_json::to_string(&first).unwrap(), "signed as `seal` signs");
    println!("sealed {count} envelopes in {:.1} s", started.elapsed().as_secs_f64());
    sealed
}

/// A key: ES256 seals fastest in a debug build (about 20 ms against 35 ms for EdDSA, which
/// verifies a little faster: 26 ms against 28 ms), so the loads use ES256; the hostile test's
/// ordinary clients use EdDSA, so both are verified under load.
fn key(alg: Algorithm, kid: &str, seed: u8) -> PrivateKey {
    PrivateKey::from_seed(alg, Some(kid.into()), &[seed; 32]).unwrap()
}

/// What became of one envelope.
#[derive(Debug)]
enum Outcome {
    /// Never sent: the client stopped first (only after a kill).
    NotSent,
    /// An answer, with the time it took.
    Answered(Reply, Duration),
    /// The connection failed or the answer was cut short: in flight when the server died.
    Failed(String),
}

/// Sends every envelope once from `clients` concurrent clients taking the next from a shared
/// counter, client `c` through receiver `addrs[c % addrs.len()]`. A client stops at its first
/// failure (after a kill every further connection fails).
fn send_all(addrs: &[&str], envelopes: &[Sealed], clients: usize) -> Vec<Outcome> {
    send_each(addrs, envelopes, clients, |e| e.text.clone())
}

/// [`send_all`], sending `body(envelope)` for each.
fn send_each(
    addrs: &[&str],
    envelopes: &[Sealed],
    clients: usize,
    body: impl Fn(&Sealed) -> String + Sync,
) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let results = std::thread::scope(|s| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let addr = addrs[c % addrs.len()];
                let (next, body) = (&next, &body);
                s.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(envelope) = envelopes.get(i) else { break };
                        let started = Instant::now();
                        match post(addr, "/api/submissions", body(envelope).as_bytes()) {
                            Ok(reply) => mine.push((i, Outcome::Answered(reply, started.elapsed()))),
                            Err(e) => {
                                mine.push((i, Outcome::Failed(e.to_string())));
                                break;
                            }
                        }
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect::<Vec<_>>()
    });
    let mut outcomes: Vec<Outcome> = envelopes.iter().map(|_| Outcome::NotSent).collect();
    for (i, outcome) in results {
        outcomes[i] = outcome;
    }
    outcomes
}

fn statuses(outcomes: &[Outcome]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for outcome in outcomes {
        let label = match outcome {
            Outcome::NotSent => "not sent".to_owned(),
            Outcome::Answered(reply, _) if reply.status < 300 => reply.status.to_string(),
            Outcome::Answered(reply, _) => format!("{} {}", reply.status, reply.code()),
            Outcome::Failed(_) => "failed".to_owned(),
        };
        *counts.entry(label).or_insert(0) += 1;
    }
    counts
}

fn latencies(outcomes: &[Outcome]) -> (Duration, Duration, Duration) {
    let mut times: Vec<Duration> =
        outcomes.iter().filter_map(|o| if let Outcome::Answered(_, t) = o { Some(*t) } else { None }).collect();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    (at(0.5), at(0.95), *times.last().unwrap())
}

/// A stored submission, as read back from the database.
struct Row {
    id: String,
    nonce: String,
    digest: String,
    envelope: Vec<u8>,
    payload: String,
    receipt: String,
}

/// A store as the tests read it back.
enum Db<'a> {
    /// The `--data` directory of a SQLite store.
    Sqlite(&'a Path),
    Postgres(&'a Postgres),
}

impl Db<'_> {
    fn rows(&self) -> Vec<Row> {
        match self {
            Db::Sqlite(data) => stored_rows(data),
            Db::Postgres(pg) => pg
                .query("SELECT id, nonce, digest, envelope, payload, receipt FROM submissions ORDER BY seq")
                .iter()
                .map(|r| Row {
                    id: r.get(0),
                    nonce: r.get(1),
                    digest: r.get(2),
                    envelope: r.get(3),
                    payload: r.get(4),
                    receipt: r.get(5),
                })
                .collect(),
        }
    }
}

/// Another spelling of the same envelope (a space after its opening brace): other bytes, the
/// same signed payload and nonce. Answered 409, where the same bytes are answered 200.
fn respaced(envelope: &Sealed) -> String {
    format!("{{ {}", envelope.text.strip_prefix('{').unwrap())
}

/// Opens the store read-only (the server may be running, or dead after a SIGKILL), checks its
/// integrity, and reads every submission.
fn stored_rows(data: &Path) -> Vec<Row> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let db = Connection::open_with_flags(data.join("formseal.sqlite3"), flags).unwrap();
    db.busy_timeout(Duration::from_secs(10)).unwrap();
    let check: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let mut statement =
        db.prepare("SELECT id, nonce, digest, envelope, payload, receipt FROM submissions ORDER BY seq").unwrap();
    let rows = statement
        .query_map([], |r| {
            Ok(Row {
                id: r.get(0)?,
                nonce: r.get(1)?,
                digest: r.get(2)?,
                envelope: r.get(3)?,
                payload: r.get(4)?,
                receipt: r.get(5)?,
            })
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows
}

/// Checks that every row is whole and is exactly one of `sent` (by nonce): the exact envelope
/// bytes, their digest, the verified payload and a receipt that all agree. Returns the nonces.
fn check_rows_whole(rows: &[Row], sent: &[Sealed]) -> HashSet<String> {
    let by_nonce: HashMap<&str, &Sealed> = sent.iter().map(|s| (s.nonce.as_str(), s)).collect();
    let mut nonces = HashSet::new();
    for row in rows {
        assert!(nonces.insert(row.nonce.clone()), "nonce {} stored twice", row.nonce);
        let envelope = by_nonce.get(row.nonce.as_str()).unwrap_or_else(|| panic!("a nonce never sent: {}", row.nonce));
        assert_eq!(row.envelope, envelope.text.as_bytes(), "stored bytes of {}", row.nonce);
        assert_eq!(row.digest, format!("sha-256:{}", b64::encode(&Sha256::digest(&row.envelope))));
        let e: Envelope = serde_json::from_slice(&row.envelope).unwrap();
        let sent_payload: Value = serde_json::from_slice(&b64::decode(&e.payload).unwrap()).unwrap();
        assert_eq!(jcs::parse_strict(&row.payload).unwrap(), sent_payload, "payload of {}", row.nonce);
        let receipt: Value = serde_json::from_str(&row.receipt).unwrap();
        assert_eq!(
            (receipt["id"].as_str(), receipt["nonce"].as_str()),
            (Some(row.id.as_str()), Some(row.nonce.as_str()))
        );
        assert_eq!(receipt["digest"], row.digest.as_str());
    }
    nonces
}

/// The load: every envelope once from 50 clients spread over `receivers`, then all of them again
/// through another receiver than the first time, as the same bytes (a retry: 200 and the original
/// receipt) and as other bytes with the same nonce (a replay: 409).
fn load(label: &str, receivers: &[Server], db: &Db) {
    let addrs: Vec<&str> = receivers.iter().map(|r| r.addr.as_str()).collect();
    let k = key(Algorithm::Es256, "load", 1);
    receivers[0].register(&k);
    let envelopes = seal_many(&k, SUBMISSIONS);

    // 1. Each envelope once, from 50 clients at once: all accepted, all stored, exactly once.
    let started = Instant::now();
    let outcomes = send_all(&addrs, &envelopes, CLIENTS);
    let elapsed = started.elapsed();
    let counts = statuses(&outcomes);
    let (median, p95, max) = latencies(&outcomes);
    let rows = db.rows();
    let stored = check_rows_whole(&rows, &envelopes);
    let accepted: HashSet<String> = envelopes
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| matches!(o, Outcome::Answered(r, _) if r.status == 201))
        .map(|(e, _)| e.nonce.clone())
        .collect();
    let lost = accepted.difference(&stored).count();
    println!(
        "{label} load: sent {SUBMISSIONS} from {CLIENTS} clients over {} receiver(s) in {:.1} s ({:.0}/s; median {median:?}, \
         p95 {p95:?}, max {max:?}); answers {counts:?}; stored {}; lost {lost}",
        receivers.len(),
        elapsed.as_secs_f64(),
        SUBMISSIONS as f64 / elapsed.as_secs_f64(),
        rows.len()
    );
    assert_eq!(counts.get("201"), Some(&SUBMISSIONS), "{counts:?}");
    assert_eq!(rows.len(), SUBMISSIONS);
    assert_eq!(stored, envelopes.iter().map(|e| e.nonce.clone()).collect::<HashSet<_>>());
    assert_eq!(lost, 0);
    // Every receipt answered is the one stored.
    let receipts: HashMap<&str, &str> = rows.iter().map(|r| (r.nonce.as_str(), r.receipt.as_str())).collect();
    for (envelope, outcome) in envelopes.iter().zip(&outcomes) {
        let Outcome::Answered(reply, _) = outcome else { panic!("{outcome:?}") };
        assert_eq!(reply.json(), serde_json::from_str::<Value>(receipts[envelope.nonce.as_str()]).unwrap());
    }

    // 2. All of them again, concurrently, each through another receiver than before (client c
    // now sends through receiver c + 1): as other bytes every one refused as a replay, as the same
    // bytes every one answered with its receipt; nothing more stored.
    let shifted: Vec<&str> = addrs.iter().cycle().skip(1).take(addrs.len()).copied().collect();
    let started = Instant::now();
    let replays = send_each(&shifted, &envelopes, CLIENTS, respaced);
    let replay_time = started.elapsed();
    let started = Instant::now();
    let retries = send_all(&shifted, &envelopes, CLIENTS);
    let retry_time = started.elapsed();
    let (replay_counts, retry_counts) = (statuses(&replays), statuses(&retries));
    let rows = db.rows();
    println!(
        "{label} replay: sent {SUBMISSIONS} again as other bytes in {:.1} s, answers {replay_counts:?}; and as the same bytes \
         in {:.1} s, answers {retry_counts:?}; stored {}; lost {}",
        replay_time.as_secs_f64(),
        retry_time.as_secs_f64(),
        rows.len(),
        SUBMISSIONS - rows.len()
    );
    assert_eq!(replay_counts.get("409 replayed"), Some(&SUBMISSIONS), "{replay_counts:?}");
    assert_eq!(retry_counts.get("200"), Some(&SUBMISSIONS), "{retry_counts:?}");
    for (envelope, outcome) in envelopes.iter().zip(&retries) {
        let Outcome::Answered(reply, _) = outcome else { panic!("{outcome:?}") };
        assert_eq!(reply.json(), serde_json::from_str::<Value>(receipts[envelope.nonce.as_str()]).unwrap());
    }
    assert_eq!(rows.len(), SUBMISSIONS);
    assert_eq!(check_rows_whole(&rows, &envelopes), stored);
}

#[test]
fn fifty_clients_send_two_thousand_that_are_stored_once_and_their_replays_refused() {
    let data = TempDir::new("load");
    let server = Server::start(data.path());
    load("sqlite", std::slice::from_ref(&server), &Db::Sqlite(data.path()));
}

#[test]
fn postgres_fifty_clients_over_three_receivers_send_two_thousand_stored_once_and_replays_refused() {
    let pg = Postgres::start("load");
    let receivers: Vec<Server> = (0..3).map(|_| Server::start_store(&pg.url)).collect();
    load("postgres", &receivers, &Db::Postgres(&pg));
}

/// 600 submissions from 25 clients spread over `receivers`; once 200 are acknowledged, the first
/// receiver is killed (SIGKILL). Then every acknowledged submission must be stored with the
/// receipt answered, each in flight stored whole or not at all; and through `restarted` (a
/// receiver started again on the same store) the stored ones are answered with their receipts and
/// the others accepted.
fn kill(label: &str, mut receivers: Vec<Server>, db: &Db, restart: impl FnOnce() -> Server) {
    const TOTAL: usize = 600;
    const KILL_AFTER: usize = 200;
    let k = key(Algorithm::Es256, "kill", 2);
    receivers[0].register(&k);
    let envelopes = seal_many(&k, TOTAL);

    let acknowledged = AtomicUsize::new(0);
    let killed = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let addrs: Vec<String> = receivers.iter().map(|r| r.addr.clone()).collect();
    let results: Vec<(usize, Outcome, bool)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..25)
            .map(|c| {
                let addr = addrs[c % addrs.len()].clone();
                let (next, acknowledged, killed, envelopes) = (&next, &acknowledged, &killed, &envelopes);
                s.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(envelope) = envelopes.get(i) else { break };
                        match post(&addr, "/api/submissions", envelope.text.as_bytes()) {
                            Ok(reply) => {
                                if reply.status == 201 {
                                    acknowledged.fetch_add(1, Ordering::SeqCst);
                                }
                                mine.push((i, Outcome::Answered(reply, Duration::ZERO), false));
                            }
                            Err(e) => {
                                // Whether the kill had been ordered when this failed: if not,
                                // the failure is the server's, not the kill's.
                                let after_kill = killed.load(Ordering::SeqCst);
                                mine.push((i, Outcome::Failed(e.to_string()), after_kill));
                                break;
                            }
                        }
                    }
                    mine
                })
            })
            .collect();
        let deadline = Instant::now() + Duration::from_secs(120);
        while acknowledged.load(Ordering::SeqCst) < KILL_AFTER && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        killed.store(true, Ordering::SeqCst);
        receivers[0].kill();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });

    let mut acked: HashMap<String, Value> = HashMap::new();
    let mut in_flight = HashSet::new();
    let mut refused = Vec::new();
    for (i, outcome, after_kill) in results {
        let nonce = envelopes[i].nonce.clone();
        match outcome {
            Outcome::Answered(reply, _) if reply.status == 201 => {
                acked.insert(nonce, reply.json());
            }
            Outcome::Answered(reply, _) => refused.push(reply),
            Outcome::Failed(e) => {
                assert!(after_kill, "a request failed before the kill: {e}");
                in_flight.insert(nonce);
            }
            Outcome::NotSent => panic!("a client stopped without a failure"),
        }
    }
    assert!(refused.is_empty(), "{refused:?}");
    assert!(acked.len() >= KILL_AFTER, "the kill came before {KILL_AFTER} acknowledgements");

    // The store as the crash left it: sound, every acknowledged submission whole, and each one in
    // flight either stored whole or absent.
    let rows = db.rows();
    let stored = check_rows_whole(&rows, &envelopes);
    for row in &rows {
        if let Some(receipt) = acked.get(&row.nonce) {
            assert_eq!(&serde_json::from_str::<Value>(&row.receipt).unwrap(), receipt, "the receipt answered");
        } else {
            assert!(in_flight.contains(&row.nonce), "stored although neither acknowledged nor in flight");
        }
    }
    let lost: Vec<&String> = acked.keys().filter(|n| !stored.contains(*n)).collect();
    let in_flight_stored = in_flight.iter().filter(|n| stored.contains(*n)).count();
    println!(
        "{label} kill: sent {} over {} receiver(s) ({} acknowledged, {} in flight at the SIGKILL: {in_flight_stored} stored \
         whole, {} not at all); stored {}; lost {}",
        acked.len() + in_flight.len(),
        receivers.len(),
        acked.len(),
        in_flight.len(),
        in_flight.len() - in_flight_stored,
        rows.len(),
        lost.len()
    );
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");

    // Through a receiver started again: stored ones are retries answered with their receipts, all
    // the others are accepted.
    let server = restart();
    let receipts: HashMap<String, Value> =
        rows.iter().map(|r| (r.nonce.clone(), serde_json::from_str(&r.receipt).unwrap())).collect();
    let (old, new): (Vec<Sealed>, Vec<Sealed>) = envelopes.into_iter().partition(|e| stored.contains(&e.nonce));
    let retries = send_all(&[&server.addr], &old, 10);
    let counts = statuses(&retries);
    assert_eq!(counts.get("200"), Some(&old.len()), "{counts:?}");
    for (envelope, outcome) in old.iter().zip(&retries) {
        let Outcome::Answered(reply, _) = outcome else { panic!("{outcome:?}") };
        assert_eq!(reply.json(), receipts[&envelope.nonce], "the original receipt");
    }
    let fresh = send_all(&[&server.addr], &new, 10);
    let counts = statuses(&fresh);
    assert_eq!(counts.get("201"), Some(&new.len()), "{counts:?}");
    let rows = db.rows();
    let all: Vec<Sealed> = old.into_iter().chain(new).collect();
    assert_eq!(check_rows_whole(&rows, &all).len(), TOTAL);
    println!(
        "{label} kill: after the restart {} retries answered with their receipts, {} new accepted; stored {}; lost 0",
        stored.len(),
        TOTAL - stored.len(),
        rows.len()
    );
}

#[test]
fn the_server_killed_mid_load_loses_no_acknowledged_submission() {
    let data = TempDir::new("kill");
    let server = Server::start(data.path());
    kill("sqlite", vec![server], &Db::Sqlite(data.path()), || Server::start(data.path()));
}

#[test]
fn postgres_a_receiver_killed_mid_load_loses_no_acknowledged_submission() {
    let pg = Postgres::start("kill");
    let receivers: Vec<Server> = (0..3).map(|_| Server::start_store(&pg.url)).collect();
    kill("postgres", receivers, &Db::Postgres(&pg), || Server::start_store(&pg.url));
}

#[test]
fn postgres_restarted_mid_load_loses_nothing_acknowledged_and_receivers_recover() {
    const TOTAL: usize = 600;
    const RESTART_AFTER: usize = 150;
    /// Tries per envelope: a client retries a 503 after its `Retry-After`, for about a minute.
    const TRIES: usize = 30;
    let pg = Postgres::start("restart");
    let receivers: Vec<Server> = (0..3).map(|_| Server::start_store(&pg.url)).collect();
    let k = key(Algorithm::Es256, "restart", 4);
    receivers[0].register(&k);
    let envelopes = seal_many(&k, TOTAL);

    let acknowledged = AtomicUsize::new(0);
    let unavailable = AtomicUsize::new(0);
    let next = AtomicUsize::new(0);
    let (down, up) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..24)
            .map(|c| {
                let addr = receivers[c % receivers.len()].addr.as_str();
                let (next, acknowledged, unavailable, envelopes) = (&next, &acknowledged, &unavailable, &envelopes);
                s.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(envelope) = envelopes.get(i) else { break };
                        let mut last = None;
                        for _ in 0..TRIES {
                            // The receivers stay up throughout: every request gets an answer.
                            let reply = post(addr, "/api/submissions", envelope.text.as_bytes())
                                .unwrap_or_else(|e| panic!("a receiver failed to answer: {e}"));
                            if reply.status != 503 {
                                if reply.status < 300 {
                                    acknowledged.fetch_add(1, Ordering::SeqCst);
                                }
                                last = Some(reply);
                                break;
                            }
                            unavailable.fetch_add(1, Ordering::SeqCst);
                            assert_eq!(reply.code(), "store_unavailable", "{reply:?}");
                            let wait: u64 =
                                reply.retry_after.as_deref().expect("503 without Retry-After").parse().unwrap();
                            std::thread::sleep(Duration::from_secs(wait));
                        }
                        mine.push((i, last.unwrap_or_else(|| panic!("still 503 after {TRIES} tries"))));
                    }
                    mine
                })
            })
            .collect();
        let deadline = Instant::now() + Duration::from_secs(120);
        while acknowledged.load(Ordering::SeqCst) < RESTART_AFTER && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        // A crash of the database (no checkpoint: recovery from the WAL), then back.
        pg.stop("immediate");
        let down = acknowledged.load(Ordering::SeqCst);
        std::thread::sleep(Duration::from_secs(1));
        pg.start_again();
        let up = acknowledged.load(Ordering::SeqCst);
        let results: Vec<(usize, Reply)> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
        assert_eq!(results.len(), TOTAL);
        let rows = Db::Postgres(&pg).rows();
        let stored = check_rows_whole(&rows, &envelopes);
        let by_nonce: HashMap<&str, &Row> = rows.iter().map(|r| (r.nonce.as_str(), r)).collect();
        let mut answers: HashMap<u16, usize> = HashMap::new();
        let mut lost = 0;
        for (i, reply) in &results {
            *answers.entry(reply.status).or_insert(0) += 1;
            assert!(reply.status == 201 || reply.status == 200, "{reply:?}");
            match by_nonce.get(envelopes[*i].nonce.as_str()) {
                Some(row) => assert_eq!(reply.json(), serde_json::from_str::<Value>(&row.receipt).unwrap()),
                None => lost += 1,
            }
        }
        println!(
            "postgres restart: sent {TOTAL} from 24 clients over 3 receivers; PostgreSQL stopped (immediate) after {down} \
             acknowledged and back after {up}; {} answers 503 with Retry-After, each retried; final answers {answers:?} \
             (200: a retry of bytes already stored); stored {}; lost {lost}",
            unavailable.load(Ordering::SeqCst),
            rows.len()
        );
        assert_eq!(lost, 0);
        assert_eq!(stored.len(), TOTAL);
        assert!(unavailable.load(Ordering::SeqCst) > 0, "no request saw the database down");
        (down, up)
    });
    assert!(down >= RESTART_AFTER && up < TOTAL, "the restart came during the load ({down}, {up})");
}

/// What a hostile client saw: how long until the server closed (or answered), and the answer.
#[derive(Debug)]
struct Hostile {
    kind: &'static str,
    elapsed: Duration,
    answer: Option<Reply>,
    closed: bool,
}

/// Sends `head` (never a complete request head) one byte at a time, one every 200 ms, and
/// notices when the server closes. Bounded by the length of `head`.
fn trickle_headers(addr: &str, head: &[u8]) -> Hostile {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    let mut answer = Vec::new();
    let mut closed = false;
    'bytes: for byte in head {
        if stream.write_all(std::slice::from_ref(byte)).is_err() {
            closed = true;
            break;
        }
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer) {
                Ok(0) => {
                    closed = true;
                    break 'bytes;
                }
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break,
                Err(_) => {
                    closed = true;
                    break 'bytes;
                }
            }
        }
    }
    Hostile { kind: "headers a byte at a time", elapsed: started.elapsed(), answer: Reply::parse(&answer), closed }
}

/// Sends `bytes` and then nothing, and waits up to `wait` for the server to answer and close.
fn send_and_stall(kind: &'static str, addr: &str, bytes: &[u8], wait: Duration) -> Hostile {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(wait)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    stream.write_all(bytes).unwrap();
    let answer = read_to_close(&mut stream);
    let closed = answer.is_ok();
    let answer = answer.ok().and_then(|a| Reply::parse(&a));
    Hostile { kind, elapsed: started.elapsed(), answer, closed }
}

/// One malformed or oversized request; the answers allowed for it. `None` means the server may
/// also just close the connection (or reset it) without an answer.
fn malformed_requests(addr: &str) -> Vec<(&'static str, Vec<u8>, u16, Option<&'static str>)> {
    let post = |path: &str, extra: &str, body: &[u8]| {
        let mut request = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}\r\n",
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        request
    };
    let oversized_key = {
        let chunk = vec![b' '; 64 * 1024];
        let mut request = format!(
            "POST /api/keys HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
            chunk.len()
        )
        .into_bytes();
        request.extend_from_slice(&chunk);
        request.extend_from_slice(b"\r\n0\r\n\r\n");
        request
    };
    vec![
        ("not HTTP", b"GARBAGE\r\n\r\n".to_vec(), 400, None),
        ("truncated JSON", post("/api/submissions", "", b"{\"protected\":"), 400, Some("malformed_request")),
        ("not UTF-8", post("/api/submissions", "", b"\xff\xfe"), 400, Some("malformed_request")),
        ("duplicate keys", post("/api/submissions", "", b"{\"a\":1,\"a\":2}"), 400, Some("malformed_request")),
        ("not an envelope", post("/api/submissions", "", b"{\"hello\":\"world\"}"), 422, Some("envelope_malformed")),
        (
            "declared 5 MiB",
            format!(
                "POST /api/submissions HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{{",
                5 * 1024 * 1024
            )
            .into_bytes(),
            413,
            Some("body_too_large"),
        ),
        ("64 KiB chunked key", oversized_key, 413, Some("body_too_large")),
        (
            "70 KB head",
            format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Big: {}\r\n\r\n", "a".repeat(70_000)).into_bytes(),
            431,
            None,
        ),
    ]
}

#[test]
fn hostile_clients_do_not_stop_service_to_others() {
    const ORDINARY_CLIENTS: usize = 4;
    const EACH: usize = 30;
    let data = TempDir::new("hostile");
    let server = Server::start(data.path());
    let k = key(Algorithm::EdDSA, "steady", 3);
    server.register(&k);
    let envelopes = seal_many(&k, ORDINARY_CLIENTS * EACH);
    let addr = server.addr.as_str();
    let done = AtomicBool::new(false);
    let slow_head = format!("POST /api/submissions HTTP/1.1\r\nHost: {addr}\r\nX-Slow: {}", "a".repeat(200));
    let stalled_head = format!("POST /api/submissions HTTP/1.1\r\nHost: {addr}\r\n");
    let stalled_body = {
        let mut request =
            format!("POST /api/submissions HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n").into_bytes();
        request.extend_from_slice(&[b' '; 1000]);
        request
    };

    let (hostiles, malformed, ordinary) = std::thread::scope(|s| {
        let mut hostile = Vec::new();
        for _ in 0..3 {
            hostile.push(s.spawn(|| trickle_headers(addr, slow_head.as_bytes())));
            hostile.push(
                s.spawn(|| send_and_stall("headers that stop", addr, stalled_head.as_bytes(), Duration::from_secs(30))),
            );
        }
        for _ in 0..2 {
            hostile.push(s.spawn(|| send_and_stall("a body that stops", addr, &stalled_body, Duration::from_secs(90))));
        }
        for _ in 0..30 {
            hostile.push(s.spawn(|| send_and_stall("connected, silent", addr, b"", Duration::from_secs(30))));
        }
        // Malformed and oversized requests, over and over, until the ordinary clients are done.
        let malformed = s.spawn(|| {
            let requests = malformed_requests(addr);
            let (mut sent, mut unexpected) = (0usize, Vec::new());
            for _ in 0..1_000 {
                if done.load(Ordering::SeqCst) {
                    break;
                }
                for (kind, request, status, code) in &requests {
                    sent += 1;
                    let mut stream = TcpStream::connect(addr).unwrap();
                    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
                    // The server may answer and close before the whole request is written.
                    let _ = stream.write_all(request);
                    let answer = read_to_close(&mut stream).ok().and_then(|a| Reply::parse(&a));
                    let fine = match (&answer, code) {
                        (Some(reply), Some(code)) => reply.status == *status && reply.code() == *code,
                        (Some(reply), None) => reply.status == *status,
                        (None, None) => true,
                        (None, Some(_)) => false,
                    };
                    if !fine {
                        unexpected.push((*kind, answer));
                    }
                }
            }
            (sent, unexpected)
        });

        // Let the hostile clients attach, then submit ordinarily, spread over the stall.
        std::thread::sleep(Duration::from_secs(1));
        let ordinary: Vec<_> = envelopes
            .chunks(EACH)
            .map(|mine| {
                s.spawn(move || {
                    mine.iter()
                        .map(|envelope| {
                            std::thread::sleep(Duration::from_millis(300));
                            let started = Instant::now();
                            let reply = post(addr, "/api/submissions", envelope.text.as_bytes()).unwrap();
                            (reply.status, started.elapsed())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let ordinary: Vec<(u16, Duration)> = ordinary.into_iter().flat_map(|h| h.join().unwrap()).collect();
        done.store(true, Ordering::SeqCst);
        let hostiles: Vec<Hostile> = hostile.into_iter().map(|h| h.join().unwrap()).collect();
        (hostiles, malformed.join().unwrap(), ordinary)
    });

    // The ordinary clients were served, promptly, while all that was attached.
    let slowest = ordinary.iter().map(|(_, t)| *t).max().unwrap();
    let accepted = ordinary.iter().filter(|(status, _)| *status == 201).count();
    let rows = stored_rows(data.path());
    let stored = check_rows_whole(&rows, &envelopes);
    println!(
        "hostile: {} slow clients and {} malformed or oversized requests beside {} ordinary submissions: \
         {accepted} accepted (slowest {slowest:?}); stored {}; lost {}",
        hostiles.len(),
        malformed.0,
        ordinary.len(),
        rows.len(),
        envelopes.len() - stored.len()
    );
    for kind in ["headers a byte at a time", "headers that stop", "a body that stops", "connected, silent"] {
        let mine: Vec<&Hostile> = hostiles.iter().filter(|h| h.kind == kind).collect();
        let longest = mine.iter().map(|h| h.elapsed).max().unwrap();
        let mut answers: HashMap<String, usize> = HashMap::new();
        for h in &mine {
            let answer = h.answer.as_ref().map_or("closed, no answer".to_owned(), |r| r.status.to_string());
            *answers.entry(answer).or_insert(0) += 1;
        }
        println!("hostile: {} × {kind}: closed after at most {longest:?}; {answers:?}", mine.len());
    }
    assert_eq!(accepted, ordinary.len(), "{ordinary:?}");
    assert!(slowest < PROMPT, "an ordinary submission took {slowest:?}");
    assert_eq!(stored.len(), envelopes.len());
    assert!(malformed.1.is_empty(), "unexpected answers: {:?}", malformed.1);
    for h in &hostiles {
        assert!(h.closed, "still open: {h:?}");
        assert!(h.answer.as_ref().is_none_or(|r| r.status >= 400), "{h:?}");
        match h.kind {
            "a body that stops" => {
                let reply = h.answer.as_ref().unwrap_or_else(|| panic!("no answer: {h:?}"));
                assert_eq!((reply.status, reply.code().as_str()), (408, "request_timeout"), "{h:?}");
                assert!(h.elapsed >= BODY_TIMEOUT - Duration::from_secs(1), "{h:?}");
                assert!(h.elapsed < BODY_TIMEOUT + Duration::from_secs(10), "{h:?}");
            }
            _ => {
                assert!(h.elapsed >= HEADER_TIMEOUT - Duration::from_secs(1), "{h:?}");
                assert!(h.elapsed < HEADER_TIMEOUT + Duration::from_secs(10), "{h:?}");
            }
        }
    }
}
