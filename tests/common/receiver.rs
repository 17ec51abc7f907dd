//! What the receiver tests (`tests/serve.rs`, `tests/serve_load.rs`) share: temporary directories
//! and starting the real `formseal serve` binary on a loopback port of its own.

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
    let mut child = Command::new(env!("CARGO_BIN_EXE_formseal"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(data)
        .args(extra)
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
