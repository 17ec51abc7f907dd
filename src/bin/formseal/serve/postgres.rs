//! The PostgreSQL store: several receivers over one database. A pool of connections per receiver
//! (tokio-postgres under deadpool-postgres); every guarantee is a constraint or a transaction of
//! the database, never a receiver's memory, so any number of receivers behind a load balancer
//! refuse a nonce any of them has stored and never let a `kid` be taken over.

use std::str::FromStr as _;
use std::time::Duration;

use axum::body::Bytes;
use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

use super::store::{Insert, KeyOutcome, NewKey, NewSubmission, StoreError, SCHEMA_VERSION};

/// Connections per receiver. Verification, not the database, is what a submission waits for.
const POOL_SIZE: usize = 16;
/// Time to open a connection; past it the request is answered 503.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Time a request waits for a free connection of the pool; past it, 503.
const WAIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Held while the schema is created or migrated, so receivers starting together take turns.
const MIGRATION_LOCK: i64 = 0x666f_726d_7365_616c; // "formseal"

/// Version 2 (the first PostgreSQL schema): the SQLite schema's tables and digest index.
const SCHEMA: &str = "
CREATE TABLE keys (
    kid           text PRIMARY KEY,
    alg           text NOT NULL,
    jwk           text NOT NULL,  -- the public JWK, RFC 8785 canonical JSON
    registered_at text NOT NULL
);
CREATE TABLE submissions (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- arrival order
    id           text NOT NULL UNIQUE,     -- the receipt id, 128 random bits, base64url
    received_at  text NOT NULL,
    kid          text NOT NULL REFERENCES keys(kid),
    form_id      text NOT NULL,
    form_version text NOT NULL,
    nonce        text NOT NULL UNIQUE,     -- replay protection: the constraint decides
    digest       text NOT NULL,            -- sha-256: + base64url of envelope
    envelope     bytea NOT NULL,           -- the exact bytes received
    payload      text NOT NULL,            -- the verified payload, canonical JSON
    receipt      text NOT NULL             -- the receipt as answered
);
CREATE INDEX submissions_digest ON submissions (digest);
";

pub(crate) struct PgStore {
    pool: Pool,
}

/// A PostgreSQL error: a lost or refused connection, a server shutting down or starting up, too
/// many connections, or a serialization failure is worth retrying; anything else is a failure.
fn classify(e: tokio_postgres::Error) -> StoreError {
    let Some(state) = e.code() else {
        // No SQLSTATE: the connection itself failed (refused, closed, timed out).
        return StoreError::unavailable(e);
    };
    let code = state.code();
    let retry = code.starts_with("08") // connection exception
        || code.starts_with("53") // insufficient resources (too many connections, disk full)
        || code.starts_with("57P") // admin shutdown, crash shutdown, cannot connect now
        || code == "40001" // serialization failure
        || code == "40P01"; // deadlock detected
    if retry {
        StoreError::unavailable(e)
    } else {
        StoreError::failed(e)
    }
}

fn pool_error(e: PoolError) -> StoreError {
    match e {
        PoolError::Backend(e) => classify(e),
        PoolError::Timeout(_) | PoolError::Closed => StoreError::unavailable(e),
        other => StoreError::failed(other),
    }
}

impl PgStore {
    /// Connects, checks the server keeps commits durable, and creates or migrates the schema.
    pub(crate) async fn open(url: &str) -> Result<PgStore, String> {
        let mut config =
            tokio_postgres::Config::from_str(url).map_err(|e| format!("the PostgreSQL URL is not valid: {e}"))?;
        config.connect_timeout(CONNECT_TIMEOUT).application_name("formseal serve");
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(WAIT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| format!("cannot set up the PostgreSQL pool: {e}"))?;
        let store = PgStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), String> {
        let mut client = self.pool.get().await.map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
        let sql = |e: tokio_postgres::Error| format!("PostgreSQL: {e}");
        for setting in ["fsync", "synchronous_commit"] {
            let row = client.query_one(&format!("SHOW {setting}"), &[]).await.map_err(sql)?;
            let value: String = row.try_get(0).map_err(sql)?;
            if value == "off" {
                return Err(format!(
                    "PostgreSQL has {setting} = off: a commit it acknowledges can be lost, and the receiver \
                     answers 201 only for a filing that cannot be; set it on"
                ));
            }
        }
        let tx = client.transaction().await.map_err(sql)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(sql)?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS formseal_schema (version bigint NOT NULL)").await.map_err(sql)?;
        let row = tx.query_one("SELECT max(version) FROM formseal_schema", &[]).await.map_err(sql)?;
        let version: Option<i64> = row.try_get(0).map_err(sql)?;
        match version {
            Some(v) if v > SCHEMA_VERSION => {
                return Err(format!(
                    "the database has schema version {v}, newer than this formseal's {SCHEMA_VERSION}: \
                     run the formseal that wrote it, or a newer one"
                ))
            }
            Some(v) if v == SCHEMA_VERSION => {}
            Some(v) => {
                return Err(format!("the database has schema version {v}, which no formseal wrote to PostgreSQL"))
            }
            None => {
                tx.batch_execute(SCHEMA).await.map_err(sql)?;
                tx.execute("INSERT INTO formseal_schema (version) VALUES ($1)", &[&SCHEMA_VERSION])
                    .await
                    .map_err(sql)?;
            }
        }
        tx.commit().await.map_err(sql)
    }

    async fn client(&self) -> Result<deadpool_postgres::Client, StoreError> {
        self.pool.get().await.map_err(pool_error)
    }

    pub(crate) async fn register_key(&self, key: NewKey) -> Result<KeyOutcome, StoreError> {
        let client = self.client().await?;
        let insert = client
            .prepare_cached(
                "INSERT INTO keys (kid, alg, jwk, registered_at) VALUES ($1, $2, $3, $4) ON CONFLICT (kid) DO NOTHING",
            )
            .await
            .map_err(classify)?;
        let inserted =
            client.execute(&insert, &[&key.kid, &key.alg, &key.jwk, &key.registered_at]).await.map_err(classify)?;
        if inserted == 1 {
            return Ok(KeyOutcome::Registered);
        }
        // Taken: by a committed row (ON CONFLICT waited for any registration in progress).
        let row = client
            .query_one("SELECT jwk, registered_at FROM keys WHERE kid = $1", &[&key.kid])
            .await
            .map_err(classify)?;
        Ok(KeyOutcome::Taken {
            jwk: row.try_get(0).map_err(classify)?,
            registered_at: row.try_get(1).map_err(classify)?,
        })
    }

    pub(crate) async fn key(&self, kid: String) -> Result<Option<String>, StoreError> {
        let client = self.client().await?;
        let select = client.prepare_cached("SELECT jwk FROM keys WHERE kid = $1").await.map_err(classify)?;
        let row = client.query_opt(&select, &[&kid]).await.map_err(classify)?;
        row.map(|r| r.try_get(0)).transpose().map_err(classify)
    }

    pub(crate) async fn same_bytes(&self, digest: String, envelope: Bytes) -> Result<Option<String>, StoreError> {
        let client = self.client().await?;
        let select = client
            .prepare_cached("SELECT envelope, receipt FROM submissions WHERE digest = $1")
            .await
            .map_err(classify)?;
        for row in client.query(&select, &[&digest]).await.map_err(classify)? {
            let stored: &[u8] = row.try_get(0).map_err(classify)?;
            if stored == envelope.as_ref() {
                return row.try_get(1).map(Some).map_err(classify);
            }
        }
        Ok(None)
    }

    pub(crate) async fn insert(&self, s: NewSubmission) -> Result<Insert, StoreError> {
        let client = self.client().await?;
        let insert = client
            .prepare_cached(
                "INSERT INTO submissions (id, received_at, kid, form_id, form_version, nonce, digest, envelope, payload, receipt)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (nonce) DO NOTHING",
            )
            .await
            .map_err(classify)?;
        // One statement outside a transaction block commits when it returns: the row is then
        // durable (synchronous_commit, checked at start), and only then is the 201 sent.
        let inserted = client
            .execute(
                &insert,
                &[
                    &s.id,
                    &s.received_at,
                    &s.kid,
                    &s.form_id,
                    &s.form_version,
                    &s.nonce,
                    &s.digest,
                    &s.envelope,
                    &s.payload,
                    &s.receipt,
                ],
            )
            .await
            .map_err(classify)?;
        if inserted == 1 {
            return Ok(Insert::Stored);
        }
        let row = client
            .query_opt("SELECT envelope, receipt FROM submissions WHERE nonce = $1", &[&s.nonce])
            .await
            .map_err(classify)?;
        match row {
            Some(row) => Ok(Insert::NonceTaken {
                envelope: row.try_get(0).map_err(classify)?,
                receipt: row.try_get(1).map_err(classify)?,
            }),
            // ON CONFLICT saw a row that is gone now: nothing in the receiver deletes one.
            None => Err(StoreError::failed(format!("nonce {:?} conflicted with no stored row", s.nonce))),
        }
    }

    pub(crate) async fn receipt(&self, id: String) -> Result<Option<String>, StoreError> {
        let client = self.client().await?;
        let select = client.prepare_cached("SELECT receipt FROM submissions WHERE id = $1").await.map_err(classify)?;
        let row = client.query_opt(&select, &[&id]).await.map_err(classify)?;
        row.map(|r| r.try_get(0)).transpose().map_err(classify)
    }
}
