//! `formseal serve`: the reference receiver (docs/receiver.md).
//!
//! A native HTTP server that serves the demo portal (`www/`) and the npm package (`pkg/`),
//! registers public keys, and accepts sealed submissions: it verifies each envelope with the
//! library's [`verify`] (signature, key-pinned algorithm, time window, re-validation), refuses a
//! nonce it has seen, stores the exact envelope bytes, the verified payload and a receipt in SQLite
//! in one transaction, and answers with the receipt. Every API error is JSON with a stable code.
//!
//! The async executor never waits on SQLite or on signature checks: both run on tokio's blocking
//! pool. One SQLite connection, behind a mutex, does all the writing (SQLite serialises writers
//! anyway); WAL with `synchronous=FULL` makes an acknowledged submission survive a crash.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use formseal::seal::envelope::{verify, VerifyOptions};
use formseal::seal::keys::PublicKey;
use formseal::seal::{b64, jcs};
use formseal::{Form, Timestamp};
use http_body_util::BodyExt as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use rusqlite::{params, Connection, OptionalExtension as _, TransactionBehavior};
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::services::ServeDir;

use super::Failure;

/// Largest envelope accepted, in bytes: the largest JSON text the verifier reads at all
/// ([`jcs::MAX_BYTES`], twice `limits::MAX_DATA_BYTES`, 4 MiB), room for a payload around data
/// of the largest size the validator accepts, base64url-encoded.
const MAX_ENVELOPE_BYTES: usize = jcs::MAX_BYTES;
/// Largest public JWK accepted, in bytes (an EC key with a long kid is under 400).
const MAX_KEY_BYTES: usize = 16 * 1024;
/// Longest key id accepted, in characters.
const MAX_KID_CHARS: usize = 128;
/// Time a client has to send a request's headers (and, between requests, to start the next one).
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Time a client has to send a request body once its headers are in.
const BODY_TIMEOUT: Duration = Duration::from_secs(60);
/// Most connections served at once; further ones wait in the listen backlog.
const MAX_CONNECTIONS: usize = 512;
/// Largest request head (start line and headers), in bytes; past it, 431 and the connection closes.
const MAX_HEADER_BYTES: usize = 64 * 1024;
/// How far in the future an envelope's issued-at may be (browser and server clocks differ).
const MAX_SKEW: jiff::SignedDuration = jiff::SignedDuration::from_mins(5);
/// The SQLite file inside `--data`.
const DB_FILE: &str = "formseal.sqlite3";
/// The schema version in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;
/// The Content-Security-Policy sent with every HTML page: scripts from this origin only, and
/// WebAssembly compilation, which browsers otherwise treat like `eval`.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

const SCHEMA: &str = "
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

const USAGE: &str = "usage: formseal serve [--addr 127.0.0.1:8080] [--data DIR] [--www DIR] [--pkg DIR]";

/// `formseal serve`: parses the options, opens the store, and serves until SIGINT or SIGTERM.
pub(crate) fn command(mut parser: lexopt::Parser) -> Result<ExitCode, Failure> {
    use lexopt::prelude::*;
    let mut addr = String::from("127.0.0.1:8080");
    let (mut data, mut www, mut pkg) = (PathBuf::from("formseal-data"), PathBuf::from("www"), PathBuf::from("pkg"));
    while let Some(arg) = parser.next()? {
        match arg {
            Long("addr") => addr = parser.value()?.string()?,
            Long("data") => data = parser.value()?.into(),
            Long("www") => www = parser.value()?.into(),
            Long("pkg") => pkg = parser.value()?.into(),
            Long("help") | Short('h') => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other => return Err(Failure::Usage(format!("{}; {USAGE}", other.unexpected()))),
        }
    }
    let addr: SocketAddr = addr.parse().map_err(|_| {
        Failure::Usage(format!("--addr {addr:?}: expected an IP address and port, e.g. 127.0.0.1:8080"))
    })?;
    let store = Store::open(&data).map_err(|e| Failure::Usage(format!("{}: {e}", data.display())))?;
    // Compiled once here, not per submission.
    let mut forms = Vec::new();
    for b in formseal::forms::BUILTINS {
        forms.push(Form::builtin(b.id).map_err(|e| Failure::Usage(format!("built-in form {}: {e}", b.id)))?);
    }
    let app = Arc::new(App { store, forms });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Usage(format!("cannot start the async runtime: {e}")))?;
    let result = runtime.block_on(serve(addr, router(app, &www, &pkg)));
    // Every acknowledged submission is already committed; in-flight requests get a short grace.
    runtime.shutdown_timeout(Duration::from_secs(5));
    result.map(|()| ExitCode::SUCCESS)
}

fn router(app: Arc<App>, www: &Path, pkg: &Path) -> Router {
    Router::new()
        .route("/api/keys", post(register_key))
        .route("/api/submissions", post(submit))
        .route("/api/submissions/{id}", get(receipt))
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(app)
        .nest_service("/pkg", ServeDir::new(pkg))
        .fallback_service(ServeDir::new(www))
        .layer(middleware::from_fn(response_headers))
}

/// Accepts connections until a shutdown signal; each is served by hyper's HTTP/1 with a header
/// read timeout (axum's own `serve` sets no timer, so it has none).
async fn serve(addr: SocketAddr, router: Router) -> Result<(), Failure> {
    let listener =
        TcpListener::bind(addr).await.map_err(|e| Failure::Usage(format!("cannot listen on {addr}: {e}")))?;
    let bound = listener.local_addr().map_err(|e| Failure::Usage(format!("cannot listen on {addr}: {e}")))?;
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "formseal: listening on http://{bound}");
        let _ = out.flush();
    }
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    eprintln!("formseal: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT).max_header_size(MAX_HEADER_BYTES);
            // A client that goes away mid-request is not the server's error.
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
        });
    }
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM; never, if no signal can be listened for.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

/// An API error: an HTTP status and `{"error":{"code","message"}}`.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into() }
    }

    fn malformed(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed_request", message)
    }

    fn not_found() -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }

    /// A storage failure: logged in full, answered without detail.
    fn storage(error: impl std::fmt::Display) -> Self {
        eprintln!("formseal: storage failed: {error}");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage_failed", "the submission could not be stored")
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::storage(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "error": { "code": self.code, "message": self.message } });
        (self.status, Json(body)).into_response()
    }
}

/// The shared state: the store.
struct App {
    store: Store,
    /// The built-in forms, compiled at start: what a payload may name.
    forms: Vec<Form>,
}

/// The SQLite store: one connection for all writes.
struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Creates `dir` and the database in it if needed; WAL, `synchronous=FULL`, the schema.
    fn open(dir: &Path) -> Result<Store, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create the data directory: {e}"))?;
        let path = dir.join(DB_FILE);
        let conn = Connection::open(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let setup = |conn: &Connection| -> Result<(), rusqlite::Error> {
            conn.busy_timeout(Duration::from_secs(5))?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            conn.pragma_update(None, "synchronous", "FULL")?;
            let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
            if version > SCHEMA_VERSION {
                return Err(rusqlite::Error::InvalidParameterName(format!(
                    "the database has schema version {version}, newer than this formseal's {SCHEMA_VERSION}"
                )));
            }
            conn.execute_batch(SCHEMA)?;
            conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            Ok(())
        };
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
            .map_err(|e| format!("cannot set WAL mode on {}: {e}", path.display()))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(format!("{}: the journal mode is {mode:?}, not WAL", path.display()));
        }
        setup(&conn).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Store { conn: Mutex::new(conn) })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, ApiError> {
        // A poisoned lock means a panic while holding it; the connection itself is still sound
        // (SQLite rolls back an unfinished transaction), so keep serving.
        Ok(self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}

/// Sets the headers of every response: the right types for scripts and WebAssembly, the CSP on
/// HTML, `nosniff` everywhere, and `no-store` on the API.
async fn response_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let api = path == "/api" || path.starts_with("/api/");
    let extension = path.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase());
    let mut response = next.run(request).await;
    let ok = matches!(response.status(), StatusCode::OK | StatusCode::PARTIAL_CONTENT);
    let headers = response.headers_mut();
    if ok && !api {
        let content_type = match extension.as_deref() {
            Some("wasm") => Some("application/wasm"),
            Some("js" | "mjs") => Some("text/javascript; charset=utf-8"),
            _ => None,
        };
        if let Some(content_type) = content_type {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
    }
    let html =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if html {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if api {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

async fn api_not_found() -> ApiError {
    ApiError::not_found()
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this method is not allowed here")
}

/// Reads a request body of at most `limit` bytes within [`BODY_TIMEOUT`]. A declared length over
/// the limit is refused before anything is read.
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let too_large =
        || ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", format!("the body is over {limit} bytes"));
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(too_large());
    }
    let read = async {
        let mut body = body;
        let mut buffer = Vec::with_capacity(declared.and_then(|len| usize::try_from(len).ok()).unwrap_or(0));
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| ApiError::malformed(format!("the body could not be read: {e}")))?;
            if let Ok(data) = frame.into_data() {
                if buffer.len().saturating_add(data.len()) > limit {
                    return Err(too_large());
                }
                buffer.extend_from_slice(&data);
            }
        }
        Ok(Bytes::from(buffer))
    };
    tokio::time::timeout(BODY_TIMEOUT, read).await.map_err(|_| {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            format!("the body did not arrive within {} seconds", BODY_TIMEOUT.as_secs()),
        )
    })?
}

/// Runs `work` on the blocking pool (SQLite, signatures), off the async executor.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        eprintln!("formseal: a request task failed: {e}");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "the request could not be completed")
    })?
}

/// Parses a request body as strict JSON (UTF-8, no duplicate keys, within the verifier's limits).
fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| ApiError::malformed("the body is not UTF-8"))?;
    jcs::parse_strict(text).map_err(|e| ApiError::malformed(format!("the body is not valid JSON: {}", e.message())))
}

fn now_text(now: Timestamp) -> String {
    formseal::time::format_instant(now)
}

fn random_id() -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        eprintln!("formseal: no random source: {e}");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "no random source")
    })?;
    Ok(b64::encode(&bytes))
}

/// `POST /api/keys`: registers a public JWK under its `kid`.
async fn register_key(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let body = read_body(&headers, body, MAX_KEY_BYTES).await?;
    let (status, answer) = blocking(move || app.register_key(&body)).await?;
    Ok((status, Json(answer)).into_response())
}

/// `POST /api/submissions`: verifies, refuses replays, stores, answers with the receipt.
async fn submit(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let body = read_body(&headers, body, MAX_ENVELOPE_BYTES).await?;
    let receipt = blocking(move || app.submit(&body)).await?;
    Ok((StatusCode::CREATED, Json(receipt)).into_response())
}

/// `GET /api/submissions/{id}`: the receipt of a stored submission.
async fn receipt(
    State(app): State<Arc<App>>,
    id: Result<UrlPath<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let UrlPath(id) = id.map_err(|_| ApiError::not_found())?;
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(ApiError::not_found());
    }
    let receipt = blocking(move || app.receipt(&id)).await?.ok_or_else(ApiError::not_found)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], receipt).into_response())
}

/// The key id an envelope's protected header names, if it can be read at all. Only used to pick
/// the key out of the store; the verifier judges the header itself.
fn peek_kid(envelope: &Value) -> Option<String> {
    let protected = envelope.get("protected")?.as_str()?;
    let header: Value = serde_json::from_slice(&b64::decode(protected).ok()?).ok()?;
    header.get("kid")?.as_str().map(str::to_owned)
}

impl App {
    fn register_key(&self, body: &[u8]) -> Result<(StatusCode, Value), ApiError> {
        let unprocessable =
            |code: &'static str, message: String| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message);
        let jwk = parse_json(body)?;
        let Some(members) = jwk.as_object() else {
            return Err(unprocessable("jwk_invalid", "a JWK is a JSON object".into()));
        };
        if members.contains_key("d") {
            return Err(unprocessable(
                "jwk_private_in_key_set",
                "the JWK has a private part `d`: register only the public key, and keep the private key where it was made"
                    .into(),
            ));
        }
        let kid = match members.get("kid") {
            Some(Value::String(kid)) if !kid.is_empty() => kid.clone(),
            _ => return Err(unprocessable("jwk_missing_kid", "the JWK needs a non-empty `kid`".into())),
        };
        if kid.chars().count() > MAX_KID_CHARS || kid.chars().any(char::is_control) {
            return Err(unprocessable(
                "jwk_invalid",
                format!("a `kid` has at most {MAX_KID_CHARS} characters and no control characters"),
            ));
        }
        let key = PublicKey::from_jwk(&jwk).map_err(|e| unprocessable(e.code(), e.message().to_owned()))?;
        let public = key.to_jwk();
        let canonical = jcs::canonicalize(&public).map_err(|e| unprocessable("jwk_invalid", e.message().to_owned()))?;
        let now = now_text(Timestamp::now());

        let mut conn = self.store.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<(String, String)> = tx
            .query_row("SELECT jwk, registered_at FROM keys WHERE kid = ?1", [&kid], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        let (status, registered_at) = match existing {
            Some((stored, at)) if stored == canonical => (StatusCode::OK, at),
            Some(_) => {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "kid_conflict",
                    format!("another key is already registered as {kid:?}"),
                ))
            }
            None => {
                tx.execute(
                    "INSERT INTO keys (kid, alg, jwk, registered_at) VALUES (?1, ?2, ?3, ?4)",
                    params![kid, key.alg().name(), canonical, now],
                )?;
                tx.commit()?;
                (StatusCode::CREATED, now)
            }
        };
        Ok((status, json!({ "kid": kid, "alg": key.alg().name(), "jwk": public, "registered_at": registered_at })))
    }

    fn key(&self, kid: &str) -> Result<Option<PublicKey>, ApiError> {
        let conn = self.store.lock()?;
        let stored: Option<String> =
            conn.query_row("SELECT jwk FROM keys WHERE kid = ?1", [kid], |row| row.get(0)).optional()?;
        drop(conn);
        match stored {
            None => Ok(None),
            Some(text) => {
                let jwk = jcs::parse_strict(&text).map_err(|e| ApiError::storage(format!("key {kid:?}: {e}")))?;
                PublicKey::from_jwk(&jwk).map(Some).map_err(|e| ApiError::storage(format!("key {kid:?}: {e}")))
            }
        }
    }

    fn submit(&self, body: &[u8]) -> Result<Value, ApiError> {
        let text = std::str::from_utf8(body).map_err(|_| ApiError::malformed("the body is not UTF-8"))?;
        let envelope = parse_json(body)?;
        let keys: Vec<PublicKey> = match peek_kid(&envelope) {
            Some(kid) => self.key(&kid)?.into_iter().collect(),
            None => Vec::new(),
        };
        let now = Timestamp::now();
        let options = VerifyOptions { now, max_skew: MAX_SKEW };
        let form_for = |id: &str, version: &str| self.forms.iter().find(|f| f.id() == id && f.version() == version);
        let verified = verify(text, &keys, &options, &form_for)
            .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.message()))?;

        let id = random_id()?;
        let received_at = now_text(now);
        let digest = format!("sha-256:{}", b64::encode(&Sha256::digest(body)));
        let form = &verified.payload.form;
        let receipt = json!({
            "id": id,
            "received_at": received_at,
            "form": { "id": form.id, "version": form.version },
            "kid": verified.kid,
            "nonce": verified.nonce,
            "digest": digest,
        });
        let receipt_text = serde_json::to_string(&receipt).map_err(ApiError::storage)?;
        let payload = serde_json::to_value(&verified.payload).map_err(ApiError::storage)?;
        let payload_text = jcs::canonicalize(&payload).map_err(ApiError::storage)?;

        let mut conn = self.store.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let inserted = tx.execute(
            "INSERT INTO submissions (id, received_at, kid, form_id, form_version, nonce, digest, envelope, payload, receipt)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT(nonce) DO NOTHING",
            params![
                id,
                received_at,
                verified.kid,
                form.id,
                form.version,
                verified.nonce,
                digest,
                body,
                payload_text,
                receipt_text
            ],
        )?;
        if inserted == 0 {
            // Dropping the transaction rolls it back (it changed nothing anyway).
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "replayed",
                "an envelope with this nonce was already received; each sealed payload is accepted once",
            ));
        }
        tx.commit()?;
        Ok(receipt)
    }

    fn receipt(&self, id: &str) -> Result<Option<String>, ApiError> {
        let conn = self.store.lock()?;
        Ok(conn.query_row("SELECT receipt FROM submissions WHERE id = ?1", [id], |row| row.get(0)).optional()?)
    }
}
