//! How long browsers may keep a static file, and which pre-compressed variant they get
//! (docs/receiver.md, "Caching and compression").
//!
//! A file is *versioned* when the URL it was asked for says what it holds: `?v=` and at least the
//! first 16 hex digits of the SHA-256 of its bytes, as the package's web glue asks for its wasm
//! (scripts/pkg-finish.mjs). The receiver checks the digest before it answers
//! `Cache-Control: public, max-age=31536000, immutable`: a URL that names other bytes (a wasm
//! replaced without its glue, a guessed `v`) gets what every other static file gets, `no-cache`,
//! so the browser revalidates (`If-Modified-Since`, answered 304 by `ServeDir`) and never keeps a
//! stale file under a name that promised it would not change.
//!
//! `ServeDir` sends `NAME.br` or `NAME.gz` when the request accepts the encoding and the variant
//! exists; [`stale_variant`] keeps it from sending one older than `NAME` itself (a rebuilt wasm
//! beside the previous build's `.br`).

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest as _, Sha256};

/// `Cache-Control` of a file whose URL names its digest.
pub(super) const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of every other static file: kept, but revalidated before each use.
pub(super) const REVALIDATE: &str = "no-cache";
/// Fewest hex digits of the digest a `v` must give (64 bits: no accidental match).
const MIN_VERSION_DIGITS: usize = 16;
/// Largest file whose digest is computed; a larger one is never immutable.
const MAX_DIGEST_BYTES: u64 = 64 * 1024 * 1024;
/// Most digests remembered per directory (the cache is emptied when it is full).
const MAX_DIGESTS: usize = 1024;
/// The pre-compressed variants `ServeDir` looks for, by file-name suffix.
const VARIANTS: [&str; 2] = [".br", ".gz"];

/// A served directory and the digests of its files, by path, remembered while their length and
/// modification time stay the same.
pub(super) struct StaticRoot {
    pub(super) dir: PathBuf,
    digests: Mutex<HashMap<PathBuf, Remembered>>,
}

#[derive(Clone)]
struct Remembered {
    len: u64,
    modified: SystemTime,
    hex: String,
}

impl StaticRoot {
    pub(super) fn new(dir: &Path) -> Self {
        Self { dir: dir.to_owned(), digests: Mutex::new(HashMap::new()) }
    }

    /// Whether the request's query has a `v` that the digest of `file` (a regular file) starts with.
    pub(super) async fn is_versioned(&self, query: Option<&str>, file: &Path, meta: &std::fs::Metadata) -> bool {
        let Some(wanted) = version(query) else {
            return false;
        };
        let Ok(modified) = meta.modified() else {
            return false;
        };
        if meta.len() > MAX_DIGEST_BYTES {
            return false;
        }
        let cached = self.digests.lock().ok().and_then(|digests| digests.get(file).cloned());
        let hex = match cached {
            Some(r) if r.len == meta.len() && r.modified == modified => r.hex,
            _ => {
                let path = file.to_owned();
                let Ok(Ok(hex)) = tokio::task::spawn_blocking(move || sha256_hex(&path)).await else {
                    return false;
                };
                if let Ok(mut digests) = self.digests.lock() {
                    if digests.len() >= MAX_DIGESTS {
                        digests.clear();
                    }
                    digests.insert(file.to_owned(), Remembered { len: meta.len(), modified, hex: hex.clone() });
                }
                hex
            }
        };
        hex.starts_with(wanted)
    }
}

/// The `v` of a query (`v=…` among `&`-separated parameters), if it looks like a digest prefix.
fn version(query: Option<&str>) -> Option<&str> {
    let v = query?.split('&').find_map(|p| p.strip_prefix("v="))?;
    let digits =
        (MIN_VERSION_DIGITS..=64).contains(&v.len()) && v.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    digits.then_some(v)
}

/// The SHA-256 of a file, as lowercase hex, read in chunks.
fn sha256_hex(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        let Some(chunk) = buf.get(..n) else { break };
        if chunk.is_empty() {
            break;
        }
        hasher.update(chunk);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether `file` has a pre-compressed variant modified before it (compared in whole seconds,
/// as `brotli` keeps the time; `gzip` keeps it exactly). Such a variant holds an earlier build.
pub(super) async fn stale_variant(file: &Path, meta: &std::fs::Metadata) -> bool {
    let Some(modified) = seconds(meta.modified()) else {
        return false;
    };
    for suffix in VARIANTS {
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        if let Ok(variant) = tokio::fs::metadata(&name).await {
            if seconds(variant.modified()).is_none_or(|v| v < modified) {
                return true;
            }
        }
    }
    false
}

fn seconds(time: std::io::Result<SystemTime>) -> Option<u64> {
    time.ok()?.duration_since(UNIX_EPOCH).ok().map(|d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::version;

    #[test]
    fn a_version_is_16_to_64_lowercase_hex_digits_in_any_parameter() {
        assert_eq!(version(Some("v=f50cac19372433d1")), Some("f50cac19372433d1"));
        assert_eq!(version(Some("noauto&v=f50cac19372433d1")), Some("f50cac19372433d1"));
        assert_eq!(version(Some("v=f50cac19372433d")), None, "15 digits");
        assert_eq!(version(Some("v=F50CAC19372433D1")), None, "uppercase");
        assert_eq!(version(Some(&format!("v={}", "a".repeat(65)))), None);
        assert_eq!(version(Some("x=f50cac19372433d1")), None);
        assert_eq!(version(None), None);
    }
}
