//! `make bench`, step "receiver" (docs/receiver.md, "Measured"): submissions per second and the
//! p50/p95 latency of `formseal serve` (release build) with 1 receiver on SQLite, 1 on PostgreSQL
//! and 3 on one PostgreSQL, in one run, on a private cluster started by `scripts/pg.sh`. Each
//! configuration takes the same 2,000 ES256 envelopes from 50 concurrent clients (a fresh store,
//! a fresh nonce each), one connection per request, as tests/serve_load.rs sends them. Checks that
//! every one was answered 201, so a figure is never one of errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, dead_code)]

#[path = "../tests/common/receiver.rs"]
mod receiver;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use formseal::seal::envelope::{seal, SealOptions};
use formseal::seal::keys::{Algorithm, PrivateKey};
use formseal::SignedDuration;
use formseal::{Form, Locale, Timestamp};
use receiver::{start_serve_with, Postgres, TempDir};
use serde_json::Value;

const SUBMISSIONS: usize = 2_000;
const CLIENTS: usize = 50;
/// Generous: on a loaded machine one fsync can take over a second, and SQLite commits one at a time.
const TIMEOUT: Duration = Duration::from_secs(180);

struct Receiver(Child, String);

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(store: &str) -> Receiver {
    let (child, addr) =
        start_serve_with(&["--store", store, "--www", "/nonexistent", "--pkg", "/nonexistent"], TIMEOUT);
    Receiver(child, addr)
}

/// One POST on a fresh connection; the status.
fn post(addr: &str, path: &str, body: &[u8]) -> u16 {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.write_all(&request).unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => panic!("{e}"),
        }
    }
    let head = String::from_utf8_lossy(&answer);
    head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn envelopes(key: &PrivateKey, run: u8) -> Vec<String> {
    let form = Form::builtin("network-unit-filing").unwrap();
    let example: Value =
        serde_json::from_str(formseal::forms::builtin("network-unit-filing").unwrap().valid_example()).unwrap();
    let nanos = (SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64).to_le_bytes();
    (0..SUBMISSIONS)
        .map(|i| {
            let mut nonce = [run; 16];
            nonce[..8].copy_from_slice(&nanos);
            nonce[8..12].copy_from_slice(&(i as u32).to_le_bytes());
            let options =
                SealOptions { now: Timestamp::now(), ttl: SignedDuration::from_hours(1), nonce, locale: Locale::ZhCn };
            serde_json::to_string(&seal(&form, &example, key, &options).unwrap_or_else(|_| panic!("seal"))).unwrap()
        })
        .collect()
}

/// Sends every envelope from [`CLIENTS`] clients, client `c` through `addrs[c % len]`; returns
/// the elapsed time and each request's latency.
fn run(addrs: &[&str], envelopes: &[String]) -> (Duration, Vec<Duration>) {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let mut times: Vec<Duration> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (addr, next) = (addrs[c % addrs.len()], &next);
                s.spawn(move || {
                    let mut mine = Vec::new();
                    while let Some(envelope) = envelopes.get(next.fetch_add(1, Ordering::SeqCst)) {
                        let sent = Instant::now();
                        assert_eq!(post(addr, "/api/submissions", envelope.as_bytes()), 201);
                        mine.push(sent.elapsed());
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let elapsed = started.elapsed();
    times.sort();
    (elapsed, times)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let key = PrivateKey::from_seed(Algorithm::Es256, Some("bench".into()), &[7; 32]).unwrap();
    let jwk = serde_json::to_string(&key.public().to_jwk()).unwrap();
    let data = TempDir::new("bench-sqlite");
    let pg1 = Postgres::start("bench-1");
    let pg3 = Postgres::start("bench-3");
    let sqlite = format!("sqlite:{}", data.path().join("formseal.sqlite3").display());
    let configs: [(&str, &str, usize); 3] = [
        ("SQLite, 1 receiver", &sqlite, 1),
        ("PostgreSQL, 1 receiver", &pg1.url, 1),
        ("PostgreSQL, 3 receivers", &pg3.url, 3),
    ];
    println!("| store | receivers | submissions | seconds | submissions/s | p50 ms | p95 ms |");
    println!("|---|---|---|---|---|---|---|");
    for (run_no, (label, store, count)) in configs.into_iter().enumerate() {
        let receivers: Vec<Receiver> = (0..count).map(|_| start(store)).collect();
        assert_eq!(post(&receivers[0].1, "/api/keys", jwk.as_bytes()), 201);
        let envelopes = envelopes(&key, run_no as u8);
        let addrs: Vec<&str> = receivers.iter().map(|r| r.1.as_str()).collect();
        let (elapsed, times) = run(&addrs, &envelopes);
        let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
        let (store_name, _) = label.split_once(',').unwrap();
        println!(
            "| {store_name} | {count} | {SUBMISSIONS} | {:.2} | {:.0} | {:.1} | {:.1} |",
            elapsed.as_secs_f64(),
            SUBMISSIONS as f64 / elapsed.as_secs_f64(),
            at(0.5),
            at(0.95)
        );
    }
}
