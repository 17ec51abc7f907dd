//! The receiver's store: one interface, two implementations. SQLite (one file, the default, what
//! `make demo` uses) and PostgreSQL (several receivers over one database). Both keep the same
//! rows with the same constraints, so every guarantee the receiver gives is the database's:
//! a nonce is unique in the `submissions` table, a `kid` in the `keys` table, and a row is
//! acknowledged only once its transaction has committed.

use super::{postgres::PgStore, sqlite::SqliteStore};

/// The schema version both stores write (SQLite `PRAGMA user_version`, PostgreSQL
/// `formseal_schema.version`). 1: keys and submissions. 2: an index on the digest, for answering a
/// retry of the same bytes with its original receipt.
pub(crate) const SCHEMA_VERSION: i64 = 2;

/// Where the receiver keeps its data, from `--data DIR` or `--store`.
#[derive(Debug, Clone)]
pub(crate) enum Location {
    /// A SQLite file (created with its directory when absent).
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL connection URL, `postgres://…` or `postgresql://…`.
    Postgres(String),
}

impl Location {
    /// Parses `--store`: `sqlite:PATH` or a PostgreSQL URL.
    pub(crate) fn parse(store: &str) -> Result<Location, String> {
        if let Some(path) = store.strip_prefix("sqlite:") {
            if path.is_empty() {
                return Err("--store sqlite:PATH needs the path of the database file".into());
            }
            return Ok(Location::Sqlite(path.into()));
        }
        if store.starts_with("postgres://") || store.starts_with("postgresql://") {
            return Ok(Location::Postgres(store.to_owned()));
        }
        Err("--store: expected sqlite:PATH or a postgres://… URL".into())
    }

    /// What to call the store in a message: never the URL itself, which may hold a password.
    pub(crate) fn describe(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(_) => "the PostgreSQL store".into(),
        }
    }
}

/// Why a store operation failed.
#[derive(Debug)]
pub(crate) struct StoreError {
    /// Whether trying again later can succeed: the database is down, restarting, or busy.
    pub(crate) unavailable: bool,
    /// The detail, for the receiver's standard error only.
    pub(crate) detail: String,
}

impl StoreError {
    pub(crate) fn unavailable(detail: impl std::fmt::Display) -> StoreError {
        StoreError { unavailable: true, detail: detail.to_string() }
    }

    pub(crate) fn failed(detail: impl std::fmt::Display) -> StoreError {
        StoreError { unavailable: false, detail: detail.to_string() }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}

/// A public key to register.
pub(crate) struct NewKey {
    pub(crate) kid: String,
    pub(crate) alg: &'static str,
    /// The public JWK, RFC 8785 canonical JSON.
    pub(crate) jwk: String,
    pub(crate) registered_at: String,
}

/// What registering a key did.
pub(crate) enum KeyOutcome {
    /// Inserted now.
    Registered,
    /// The `kid` was already taken (by this receiver or another): the stored key and its time.
    Taken { jwk: String, registered_at: String },
}

/// A verified submission to store, whole.
pub(crate) struct NewSubmission {
    pub(crate) id: String,
    pub(crate) received_at: String,
    pub(crate) kid: String,
    pub(crate) form_id: String,
    pub(crate) form_version: String,
    pub(crate) nonce: String,
    pub(crate) digest: String,
    /// The exact bytes received.
    pub(crate) envelope: Vec<u8>,
    /// The verified payload, canonical JSON.
    pub(crate) payload: String,
    /// The receipt as it will be answered.
    pub(crate) receipt: String,
}

/// What storing a submission did.
pub(crate) enum Insert {
    /// Committed.
    Stored,
    /// The nonce was already stored (by this receiver or another): that submission's exact
    /// envelope bytes and receipt. Nothing was written.
    NonceTaken { envelope: Vec<u8>, receipt: String },
}

/// The store, SQLite or PostgreSQL. Every method is one transaction (or one statement).
pub(crate) enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl Store {
    /// Opens the store, creating or migrating its schema; refuses a schema newer than this binary.
    pub(crate) async fn open(location: &Location) -> Result<Store, String> {
        match location {
            Location::Sqlite(path) => SqliteStore::open(path).await.map(Store::Sqlite),
            Location::Postgres(url) => PgStore::open(url).await.map(Store::Postgres),
        }
    }

    /// Inserts the key unless its `kid` is taken; the database's primary key decides.
    pub(crate) async fn register_key(&self, key: NewKey) -> Result<KeyOutcome, StoreError> {
        match self {
            Store::Sqlite(s) => s.register_key(key).await,
            Store::Postgres(s) => s.register_key(key).await,
        }
    }

    /// The canonical JWK registered under `kid`.
    pub(crate) async fn key(&self, kid: String) -> Result<Option<String>, StoreError> {
        match self {
            Store::Sqlite(s) => s.key(kid).await,
            Store::Postgres(s) => s.key(kid).await,
        }
    }

    /// The receipt of a stored submission whose envelope is exactly `envelope` (found by its
    /// digest, then compared byte for byte).
    pub(crate) async fn same_bytes(
        &self,
        digest: String,
        envelope: axum::body::Bytes,
    ) -> Result<Option<String>, StoreError> {
        match self {
            Store::Sqlite(s) => s.same_bytes(digest, envelope).await,
            Store::Postgres(s) => s.same_bytes(digest, envelope).await,
        }
    }

    /// Inserts the submission unless its nonce is stored; the database's unique constraint decides.
    pub(crate) async fn insert(&self, submission: NewSubmission) -> Result<Insert, StoreError> {
        match self {
            Store::Sqlite(s) => s.insert(submission).await,
            Store::Postgres(s) => s.insert(submission).await,
        }
    }

    /// The receipt stored under `id`.
    pub(crate) async fn receipt(&self, id: String) -> Result<Option<String>, StoreError> {
        match self {
            Store::Sqlite(s) => s.receipt(id).await,
            Store::Postgres(s) => s.receipt(id).await,
        }
    }
}
