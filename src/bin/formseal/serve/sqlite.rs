//! The SQLite store: one file, WAL, `synchronous=FULL`; one connection behind a mutex for writes
//! and another for reads, so a look-up (a key, a receipt, a retry's bytes) never waits behind a
//! commit's fsync (WAL lets a reader see every committed row while the writer works). Both used on
//! tokio's blocking pool, so the async executor never waits on SQLite.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension as _, TransactionBehavior};
use tokio::sync::Mutex;

use super::store::{Insert, KeyOutcome, NewKey, NewSubmission, StoreError, SCHEMA_VERSION};

/// Version 1: the two tables.
const SCHEMA_V1: &str = "
CREATE TABLE IF NOT EXISTS keys (
    kid           TEXT PRIMARY KEY,
    alg           TEXT NOT NULL,
    jwk           TEXT NOT NULL,  -- the public JWK, RFC 8785 canonical JSON
    registered_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS submissions (
    seq          INTEGER PRIMARY KEY,          -- arrival order
    id           TEXT NOT NULL UNIQUE,         -- the receipt id, 128 random bits, base64url
    received_at  TEXT NOT NULL,
    kid          TEXT NOT NULL REFERENCES keys(kid),
    form_id      TEXT NOT NULL,
    form_version TEXT NOT NULL,
    nonce        TEXT NOT NULL UNIQUE,         -- replay protection: the constraint decides
    digest       TEXT NOT NULL,                -- sha-256: + base64url of envelope
    envelope     BLOB NOT NULL,                -- the exact bytes received
    payload      TEXT NOT NULL,                -- the verified payload, canonical JSON
    receipt      TEXT NOT NULL                 -- the receipt as answered
) STRICT;
";

/// Version 1 → 2: find a retry of the same bytes by its digest.
const SCHEMA_V2: &str = "CREATE INDEX IF NOT EXISTS submissions_digest ON submissions (digest);";

/// How long a statement waits for a lock held by another connection before the request is
/// answered 503 (only another process, e.g. a backup, ever holds one).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) struct SqliteStore {
    /// Writes (and the reads inside a write's transaction).
    conn: Arc<Mutex<Connection>>,
    /// Reads of committed rows.
    reader: Arc<Mutex<Connection>>,
}

/// A SQLite error: busy or locked is worth retrying, anything else is a failure.
fn classify(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::unavailable(e),
        _ => StoreError::failed(e),
    }
}

impl SqliteStore {
    /// Creates the file's directory and the database if needed; WAL, `synchronous=FULL`, the
    /// schema, migrated in one transaction.
    pub(crate) async fn open(path: &Path) -> Result<SqliteStore, String> {
        let path = path.to_owned();
        let opened = tokio::task::spawn_blocking(move || Self::open_blocking(&path))
            .await
            .map_err(|e| format!("cannot open the store: {e}"))??;
        Ok(opened)
    }

    fn open_blocking(path: &Path) -> Result<SqliteStore, String> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create the data directory: {e}"))?;
        }
        let mut conn = Connection::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
            .map_err(|e| format!("cannot set WAL mode on {}: {e}", path.display()))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(format!("{}: the journal mode is {mode:?}, not WAL", path.display()));
        }
        let setup = |conn: &mut Connection| -> Result<(), String> {
            let sql = |e: rusqlite::Error| e.to_string();
            conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
            conn.pragma_update(None, "foreign_keys", "ON").map_err(sql)?;
            conn.pragma_update(None, "synchronous", "FULL").map_err(sql)?;
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
            let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(sql)?;
            if version > SCHEMA_VERSION {
                return Err(format!(
                    "the database has schema version {version}, newer than this formseal's {SCHEMA_VERSION}: \
                     run the formseal that wrote it, or a newer one"
                ));
            }
            tx.execute_batch(SCHEMA_V1).map_err(sql)?;
            tx.execute_batch(SCHEMA_V2).map_err(sql)?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(sql)?;
            tx.commit().map_err(sql)
        };
        setup(&mut conn).map_err(|e| format!("{}: {e}", path.display()))?;
        let reader = Connection::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        reader.busy_timeout(BUSY_TIMEOUT).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(SqliteStore { conn: Arc::new(Mutex::new(conn)), reader: Arc::new(Mutex::new(reader)) })
    }

    /// Runs `work` with the writing connection on the blocking pool.
    async fn with<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, StoreError> {
        Self::on(&self.conn, work).await
    }

    /// Runs `work` with the reading connection on the blocking pool.
    async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, StoreError> {
        Self::on(&self.reader, work).await
    }

    /// Takes the connection in arrival order (tokio's mutex is a FIFO queue, so no request starves
    /// behind later ones while commits wait for their fsync), then runs `work` on the blocking pool.
    async fn on<T: Send + 'static>(
        conn: &Arc<Mutex<Connection>>,
        work: impl FnOnce(&mut Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, StoreError> {
        let mut guard = Arc::clone(conn).lock_owned().await;
        tokio::task::spawn_blocking(move || work(&mut guard).map_err(classify))
            .await
            .map_err(|e| StoreError::failed(format!("a store task failed: {e}")))?
    }

    pub(crate) async fn register_key(&self, key: NewKey) -> Result<KeyOutcome, StoreError> {
        self.with(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let inserted = tx.execute(
                "INSERT INTO keys (kid, alg, jwk, registered_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(kid) DO NOTHING",
                params![key.kid, key.alg, key.jwk, key.registered_at],
            )?;
            if inserted == 1 {
                tx.commit()?;
                return Ok(KeyOutcome::Registered);
            }
            let (jwk, registered_at) =
                tx.query_row("SELECT jwk, registered_at FROM keys WHERE kid = ?1", [&key.kid], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?;
            Ok(KeyOutcome::Taken { jwk, registered_at })
        })
        .await
    }

    pub(crate) async fn key(&self, kid: String) -> Result<Option<String>, StoreError> {
        self.read(move |conn| conn.query_row("SELECT jwk FROM keys WHERE kid = ?1", [kid], |row| row.get(0)).optional())
            .await
    }

    pub(crate) async fn same_bytes(&self, digest: String, envelope: Bytes) -> Result<Option<String>, StoreError> {
        self.read(move |conn| {
            let mut statement = conn.prepare_cached("SELECT envelope, receipt FROM submissions WHERE digest = ?1")?;
            let mut rows = statement.query([digest])?;
            while let Some(row) = rows.next()? {
                let stored: Vec<u8> = row.get(0)?;
                if stored == envelope.as_ref() {
                    return row.get(1).map(Some);
                }
            }
            Ok(None)
        })
        .await
    }

    pub(crate) async fn insert(&self, s: NewSubmission) -> Result<Insert, StoreError> {
        self.with(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let inserted = tx.execute(
                "INSERT INTO submissions (id, received_at, kid, form_id, form_version, nonce, digest, envelope, payload, receipt)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT(nonce) DO NOTHING",
                params![
                    s.id,
                    s.received_at,
                    s.kid,
                    s.form_id,
                    s.form_version,
                    s.nonce,
                    s.digest,
                    s.envelope,
                    s.payload,
                    s.receipt
                ],
            )?;
            if inserted == 1 {
                tx.commit()?;
                return Ok(Insert::Stored);
            }
            // Dropping the transaction rolls it back (it changed nothing anyway).
            let (envelope, receipt) = tx.query_row(
                "SELECT envelope, receipt FROM submissions WHERE nonce = ?1",
                [&s.nonce],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            Ok(Insert::NonceTaken { envelope, receipt })
        })
        .await
    }

    pub(crate) async fn receipt(&self, id: String) -> Result<Option<String>, StoreError> {
        self.read(move |conn| {
            conn.query_row("SELECT receipt FROM submissions WHERE id = ?1", [id], |row| row.get(0)).optional()
        })
        .await
    }
}
