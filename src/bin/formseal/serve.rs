//! `formseal serve`: the reference receiver (docs/receiver.md).
//!
//! A native HTTP server that serves the demo portal (`www/`) and the npm package (`pkg/`),
//! registers public keys, and accepts sealed submissions: it verifies each envelope with the
//! library's [`verify`] (signature, key-pinned algorithm, time window, re-validation), refuses a
//! nonce it has seen, stores the exact envelope bytes, the verified payload and a receipt in one
//! transaction of its store (SQLite, or PostgreSQL for several receivers: see `store`), and
//! answers with the receipt. Every API error is JSON with a stable code.
//!
//! The async executor never waits on SQLite or on signature checks: both run on tokio's blocking
//! pool; PostgreSQL is asynchronous already.

mod caching;
mod postgres;
mod sqlite;
mod store;

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
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
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::services::ServeDir;

use self::caching::StaticRoot;
use self::store::{Insert, KeyOutcome, Location, NewKey, NewSubmission, Store, StoreError};
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
const MAX_SKEW: formseal::SignedDuration = formseal::SignedDuration::from_mins(5);
/// The SQLite file inside `--data`.
const DB_FILE: &str = "formseal.sqlite3";
/// Seconds a client is told to wait (`Retry-After`) when the store is unavailable.
const RETRY_AFTER_SECS: u64 = 2;
/// Longest path component served from `--www`/`--pkg`, in bytes (the usual `NAME_MAX`).
const MAX_NAME_BYTES: usize = 255;
/// The Content-Security-Policy sent with every HTML page: scripts from this origin only, and
/// WebAssembly compilation, which browsers otherwise treat like `eval`.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

const USAGE: &str =
    "usage: formseal serve [--addr 127.0.0.1:8080] [--data DIR | --store sqlite:PATH | --store postgres://…] [--www DIR] [--pkg DIR]";

/// `formseal serve`: parses the options, opens the store, and serves until SIGINT or SIGTERM.
pub(crate) fn command(mut parser: lexopt::Parser) -> Result<ExitCode, Failure> {
    use lexopt::prelude::*;
    let mut addr = String::from("127.0.0.1:8080");
    let (mut www, mut pkg) = (PathBuf::from("www"), PathBuf::from("pkg"));
    let (mut data, mut store): (Option<PathBuf>, Option<String>) = (None, None);
    while let Some(arg) = parser.next()? {
        match arg {
            Long("addr") => addr = parser.value()?.string()?,
            Long("data") => data = Some(parser.value()?.into()),
            Long("store") => store = Some(parser.value()?.string()?),
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
    let location = match (data, store) {
        (Some(_), Some(_)) => return Err(Failure::Usage(format!("--data and --store are one or the other; {USAGE}"))),
        (None, Some(store)) => Location::parse(&store).map_err(Failure::Usage)?,
        (data, None) => Location::Sqlite(data.unwrap_or_else(|| PathBuf::from("formseal-data")).join(DB_FILE)),
    };
    // Compiled once here, not per submission.
    let mut forms = Vec::new();
    for b in formseal::forms::BUILTINS {
        forms.push(Form::builtin(b.id).map_err(|e| Failure::Usage(format!("built-in form {}: {e}", b.id)))?);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Usage(format!("cannot start the async runtime: {e}")))?;
    let result = runtime.block_on(async {
        let store =
            Store::open(&location).await.map_err(|e| Failure::Usage(format!("{}: {e}", location.describe())))?;
        let app = Arc::new(App { store, forms });
        serve(addr, router(app, &www, &pkg)).await
    });
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
        .route("/api/", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(app)
        .nest_service("/pkg", static_files(pkg))
        .fallback_service(static_files(www))
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
    /// `Retry-After`, in seconds, on a 503.
    retry_after: Option<u64>,
}

/// What a request was doing when its store failed, for the message the client reads.
#[derive(Debug, Clone, Copy)]
enum Action {
    RegisterKey,
    Submit,
    Read,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), retry_after: None }
    }

    fn malformed(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed_request", message)
    }

    fn not_found() -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }

    /// A store failure: logged in full, answered without detail. An unavailable store (down,
    /// restarting, busy) is a 503 with `Retry-After`: the same request can be sent again (if a
    /// commit went through and only its answer was lost, the retry gets the receipt).
    fn store(action: Action, error: StoreError) -> Self {
        let what = match action {
            Action::RegisterKey => "the key could not be registered",
            Action::Submit => "the submission could not be stored",
            Action::Read => "the receipt could not be read",
        };
        if error.unavailable {
            eprintln!("formseal: store unavailable: {error}");
            let mut e = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_unavailable",
                format!("{what}: the store is unavailable for now; send the same request again (a retry of the same bytes is answered with the receipt if they were stored after all)"),
            );
            e.retry_after = Some(RETRY_AFTER_SECS);
            e
        } else {
            eprintln!("formseal: storage failed: {error}");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage_failed", what)
        }
    }

    /// A failure of the receiver itself before anything reached the store.
    fn internal(action: Action, error: impl std::fmt::Display) -> Self {
        ApiError::store(action, StoreError::failed(error))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "error": { "code": self.code, "message": self.message } });
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// The shared state: the store.
struct App {
    store: Store,
    /// The built-in forms, compiled at start: what a payload may name.
    forms: Vec<Form>,
}

/// Files of `dir`, through [`static_guard`], with their brotli and gzip variants where the build
/// wrote them (`NAME.br`, `NAME.gz`) and the request accepts them.
fn static_files(dir: &Path) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
        .layer(middleware::from_fn_with_state(Arc::new(StaticRoot::new(dir)), static_guard))
}

/// Decodes `%XX` escapes of a URL path; `None` if one is malformed.
fn percent_decode(path: &str) -> Option<Vec<u8>> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    Some(out)
}

/// Whether the path (as requested under its root) may be handed to `ServeDir` at all: every
/// component non-empty (so `//en` is not redirected to the protocol-relative `//en/`), at most
/// [`MAX_NAME_BYTES`] (so a long one is a 404 rather than the 500 of `ENAMETOOLONG`), and without
/// a backslash (which browsers read as a slash in a `Location`), NUL, `.` or `..`. Returns the
/// components.
fn static_components(path: &str) -> Option<Vec<String>> {
    let decoded = String::from_utf8(percent_decode(path)?).ok()?;
    let rest = decoded.strip_prefix('/')?;
    // A trailing slash names a directory's index; any other empty component is refused.
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let mut components = Vec::new();
    for component in rest.split('/') {
        let bad = component.is_empty()
            || component.len() > MAX_NAME_BYTES
            || component == "."
            || component == ".."
            || component.contains(['\\', '\0']);
        if bad {
            return None;
        }
        components.push(component.to_owned());
    }
    Some(components)
}

/// Whether `candidate` (an existing path) resolves, symlinks followed, to `root` or inside it.
async fn stays_inside(root: &Path, candidate: &Path) -> bool {
    let (Ok(root), Ok(resolved)) = (tokio::fs::canonicalize(root).await, tokio::fs::canonicalize(candidate).await)
    else {
        return false;
    };
    resolved.starts_with(&root)
}

/// Guards `ServeDir`: answers 404 for a path [`static_components`] refuses, and for one whose file
/// (or a directory's `index.html`) is reached through a symlink that leaves the root. A path that
/// does not exist goes on to `ServeDir`'s own 404. Then sets how long the answer may be cached
/// (immutable only when the URL's `?v=` names the file's digest) and `Vary: Accept-Encoding`, and
/// keeps a pre-compressed variant older than its file from being sent (see [`caching`]).
async fn static_guard(State(root): State<Arc<StaticRoot>>, mut request: Request, next: Next) -> Response {
    let not_found = || StatusCode::NOT_FOUND.into_response();
    let Some(components) = static_components(request.uri().path()) else {
        return not_found();
    };
    let mut candidate = root.dir.clone();
    candidate.extend(&components);
    let mut immutable = false;
    if tokio::fs::symlink_metadata(&candidate).await.is_ok() {
        if !stays_inside(&root.dir, &candidate).await {
            return not_found();
        }
        let meta = tokio::fs::metadata(&candidate).await;
        let index = candidate.join("index.html");
        if meta.as_ref().is_ok_and(|m| m.is_dir())
            && tokio::fs::symlink_metadata(&index).await.is_ok()
            && !stays_inside(&root.dir, &index).await
        {
            return not_found();
        }
        if let Some(meta) = meta.as_ref().ok().filter(|m| m.is_file()) {
            if caching::stale_variant(&candidate, meta).await {
                request.headers_mut().remove(header::ACCEPT_ENCODING);
            }
            immutable = root.is_versioned(request.uri().query(), &candidate, meta).await;
        }
    }
    let mut response = next.run(request).await;
    if matches!(response.status(), StatusCode::OK | StatusCode::PARTIAL_CONTENT | StatusCode::NOT_MODIFIED) {
        let cache = if immutable { caching::IMMUTABLE } else { caching::REVALIDATE };
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
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

/// Runs `work` on the blocking pool (parsing, signatures), off the async executor.
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

/// Refuses a POST whose `Content-Type` is not `application/json` (parameters such as `charset`
/// allowed), before its body is read: an HTML form posted before the page's script ran, or any
/// other type, never reaches the verifier.
fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    if media_type.as_deref() == Some("application/json") {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "the body must be sent with Content-Type: application/json",
    ))
}

/// A stored receipt (JSON text), answered as it was at submission.
fn receipt_response(status: StatusCode, receipt: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], receipt).into_response()
}

/// `POST /api/keys`: registers a public JWK under its `kid`.
async fn register_key(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let body = read_body(&headers, body, MAX_KEY_BYTES).await?;
    let key = blocking(move || prepare_key(&body)).await?;
    let (kid, alg, public, canonical) = (key.kid.clone(), key.alg, key.public.clone(), key.canonical.clone());
    let outcome = app
        .store
        .register_key(NewKey { kid: kid.clone(), alg, jwk: canonical.clone(), registered_at: key.now.clone() })
        .await
        .map_err(|e| ApiError::store(Action::RegisterKey, e))?;
    let (status, registered_at) = match outcome {
        KeyOutcome::Registered => (StatusCode::CREATED, key.now),
        KeyOutcome::Taken { jwk, registered_at } if jwk == canonical => (StatusCode::OK, registered_at),
        KeyOutcome::Taken { .. } => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "kid_conflict",
                format!("another key is already registered as {kid:?}"),
            ))
        }
    };
    let answer = json!({ "kid": kid, "alg": alg, "jwk": public, "registered_at": registered_at });
    Ok((status, Json(answer)).into_response())
}

/// `POST /api/submissions`: answers a retry of stored bytes with its receipt; otherwise verifies,
/// stores unless the nonce is stored, answers with the receipt.
async fn submit(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let body = read_body(&headers, body, MAX_ENVELOPE_BYTES).await?;
    // Hashing and parsing up to 4 MiB is work for the blocking pool, not the executor.
    let (digest, kid) = {
        let body = body.clone();
        blocking(move || {
            let digest = format!("sha-256:{}", b64::encode(&Sha256::digest(&body)));
            Ok((digest, parse_json(&body).map(|envelope| peek_kid(&envelope))))
        })
        .await?
    };
    let store_error = |e| ApiError::store(Action::Submit, e);
    // The same bytes again (a retry after a lost answer): the original receipt. These bytes were
    // verified when they were accepted; a key is never replaced, so they still verify.
    if let Some(receipt) = app.store.same_bytes(digest.clone(), body.clone()).await.map_err(store_error)? {
        return Ok(receipt_response(StatusCode::OK, receipt));
    }
    let kid = kid?;
    let jwk = match kid {
        Some(kid) => app.store.key(kid.clone()).await.map_err(store_error)?.map(|jwk| (kid, jwk)),
        None => None,
    };
    let submission = {
        let (app, body) = (Arc::clone(&app), body.clone());
        blocking(move || app.verify(&body, jwk, digest)).await?
    };
    let (receipt, nonce) = (submission.receipt.clone(), submission.nonce.clone());
    match app.store.insert(submission).await.map_err(store_error)? {
        Insert::Stored => Ok(receipt_response(StatusCode::CREATED, receipt)),
        // Two posts of the same bytes at once: the one that lost the race answers the same.
        Insert::NonceTaken { envelope, receipt } if envelope == body.as_ref() => {
            Ok(receipt_response(StatusCode::OK, receipt))
        }
        Insert::NonceTaken { .. } => Err(ApiError::new(
            StatusCode::CONFLICT,
            "replayed",
            format!("another envelope with nonce {nonce:?} was already received; each sealed payload is accepted once"),
        )),
    }
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
    let receipt =
        app.store.receipt(id).await.map_err(|e| ApiError::store(Action::Read, e))?.ok_or_else(ApiError::not_found)?;
    Ok(receipt_response(StatusCode::OK, receipt))
}

/// The key id an envelope's protected header names, if it can be read at all. Only used to pick
/// the key out of the store; the verifier judges the header itself.
fn peek_kid(envelope: &Value) -> Option<String> {
    let protected = envelope.get("protected")?.as_str()?;
    let header: Value = serde_json::from_slice(&b64::decode(protected).ok()?).ok()?;
    header.get("kid")?.as_str().map(str::to_owned)
}

/// A JWK checked and ready to register.
struct PreparedKey {
    kid: String,
    alg: &'static str,
    public: Value,
    canonical: String,
    now: String,
}

/// Checks a JWK body: JSON, public only, a usable `kid`, a key the library accepts.
fn prepare_key(body: &[u8]) -> Result<PreparedKey, ApiError> {
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
    Ok(PreparedKey { kid, alg: key.alg().name(), public, canonical, now })
}

impl App {
    /// Verifies an envelope against the key registered under its header's `kid` (when there is
    /// one) and makes the row to store.
    fn verify(&self, body: &[u8], jwk: Option<(String, String)>, digest: String) -> Result<NewSubmission, ApiError> {
        let text = std::str::from_utf8(body).map_err(|_| ApiError::malformed("the body is not UTF-8"))?;
        let mut keys = Vec::new();
        if let Some((kid, text)) = jwk {
            let jwk = jcs::parse_strict(&text)
                .map_err(|e| ApiError::internal(Action::Submit, format!("key {kid:?}: {e}")))?;
            keys.push(
                PublicKey::from_jwk(&jwk)
                    .map_err(|e| ApiError::internal(Action::Submit, format!("key {kid:?}: {e}")))?,
            );
        }
        let now = Timestamp::now();
        let options = VerifyOptions { now, max_skew: MAX_SKEW };
        let form_for = |id: &str, version: &str| self.forms.iter().find(|f| f.id() == id && f.version() == version);
        let verified = verify(text, &keys, &options, &form_for)
            .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.message()))?;

        let id = random_id()?;
        let received_at = now_text(now);
        let form = &verified.payload.form;
        let receipt = json!({
            "id": id,
            "received_at": received_at,
            "form": { "id": form.id, "version": form.version },
            "kid": verified.kid,
            "nonce": verified.nonce,
            "digest": digest,
        });
        let internal = |e: serde_json::Error| ApiError::internal(Action::Submit, e);
        let receipt = serde_json::to_string(&receipt).map_err(internal)?;
        let payload = serde_json::to_value(&verified.payload).map_err(internal)?;
        let payload = jcs::canonicalize(&payload).map_err(|e| ApiError::internal(Action::Submit, e))?;
        Ok(NewSubmission {
            id,
            received_at,
            kid: verified.kid.clone(),
            form_id: form.id.clone(),
            form_version: form.version.clone(),
            nonce: verified.nonce.clone(),
            digest,
            envelope: body.to_vec(),
            payload,
            receipt,
        })
    }
}
