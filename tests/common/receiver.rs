//! What the receiver tests (`tests/serve.rs`, `tests/serve_load.rs`) share: temporary directories,
//! starting the real `formseal serve` binary on a loopback port of its own, and a private
//! PostgreSQL cluster (`scripts/pg.sh`) for the PostgreSQL store.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A number no other call in this process returns.
pub fn unique() -> u64 {
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// A directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("formseal-test-{}-{}-{name}", std::process::id(), unique()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Starts `formseal serve --addr 127.0.0.1:0 --data <data> <extra>` and waits (at most `timeout`)
/// for its "listening on" line; returns the child and the address it bound.
pub fn start_serve(data: &Path, extra: &[&str], timeout: Duration) -> (Child, String) {
    let data = data.to_str().unwrap();
    start_serve_with(&[&["--data", data], extra].concat(), timeout)
}

/// Starts `formseal serve --addr 127.0.0.1:0 <args>` (the store among them) and waits (at most
/// `timeout`) for its "listening on" line; returns the child and the address it bound.
pub fn start_serve_with(args: &[&str], timeout: Duration) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_formseal"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn formseal serve");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = match rx.recv_timeout(timeout) {
        Ok(line) => line,
        Err(_) => {
            let _ = child.kill();
            panic!("the server printed no listening line in time");
        }
    };
    let addr = line.trim().strip_prefix("formseal: listening on http://");
    let addr = addr.unwrap_or_else(|| panic!("unexpected first line {line:?}")).to_owned();
    (child, addr)
}

/// A private PostgreSQL cluster in a temporary directory, started by `scripts/pg.sh` (as the
/// unprivileged `formseal-pg` when the tests run as root) and stopped on drop. If it cannot start,
/// the test fails: nothing that needs PostgreSQL is ever skipped.
pub struct Postgres {
    dir: TempDir,
    pub url: String,
}

fn pg_script(args: &[&str]) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pg.sh");
    let output = Command::new("bash").arg(script).args(args).stdin(Stdio::null()).output().expect("run scripts/pg.sh");
    assert!(
        output.status.success(),
        "scripts/pg.sh {args:?} failed (PostgreSQL is needed: `make test` installs it, or `scripts/pg.sh install`):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

impl Postgres {
    pub fn start(name: &str) -> Postgres {
        let dir = TempDir::new(&format!("pg-{name}"));
        let url = pg_script(&["start", dir.path().to_str().unwrap()]);
        assert!(url.starts_with("postgresql://"), "{url}");
        Postgres { dir, url }
    }

    /// Stops the cluster: `fast` (clients disconnected, a clean shutdown) or `immediate` (like a
    /// crash: no checkpoint, recovery from the WAL at the next start).
    pub fn stop(&self, mode: &str) {
        pg_script(&["stop", self.dir.path().to_str().unwrap(), mode]);
    }

    /// Starts it again on the same data.
    pub fn start_again(&self) {
        let url = pg_script(&["start", self.dir.path().to_str().unwrap()]);
        assert_eq!(url, self.url);
    }

    /// Runs `sql` in a client of its own and returns the rows.
    pub fn query(&self, sql: &str) -> Vec<tokio_postgres::Row> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls).await.unwrap();
            let task = tokio::spawn(connection);
            let rows = client.query(sql, &[]).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
            drop(client);
            let _ = task.await;
            rows
        })
    }

    /// Runs statements (no rows).
    pub fn execute(&self, sql: &str) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls).await.unwrap();
            let task = tokio::spawn(connection);
            client.batch_execute(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
            drop(client);
            let _ = task.await;
        })
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pg.sh");
        let _ =
            Command::new("bash").arg(script).args(["stop", self.dir.path().to_str().unwrap(), "immediate"]).output();
    }
}
