//! `speechgen serve`: the page for clerks and the JSON API it uses. The page, its
//! script and styles are compiled in (no CDN, no internet); the server keeps no state
//! between requests (the page sends its whole state each time, see [`state`]), reads no
//! files for a request, binds to loopback unless told otherwise, caps request bodies
//! and fields, and drafts at most a few speeches at once.

pub mod places;
pub mod problem;
pub mod state;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tokio::sync::Semaphore;

use crate::base::error::{Error, Result};
use problem::Problem;
use state::{Action, DraftState, Packs};

/// Largest request body: a state with every edit at its limit fits with room to spare.
const BODY_LIMIT: usize = 1024 * 1024;
/// How long a request waits for a drafting slot before it is told the server is busy.
const QUEUE_WAIT: Duration = Duration::from_secs(30);

/// How `speechgen serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub port: u16,
    /// The address to listen on (default 127.0.0.1: only this computer).
    pub listen: Option<IpAddr>,
    /// Open the page in the default browser.
    pub open: bool,
}

struct App {
    packs: Packs,
    /// Drafts at once: a few per core, so a burst of requests queues instead of
    /// taking the machine.
    drafting: Semaphore,
}

type Shared = Arc<App>;

/// Runs the server until it is interrupted (Ctrl-C).
pub fn run(options: &ServeOptions) -> Result<()> {
    let packs = Packs::embedded()?;
    // Load the gazetteer before the first request rather than during it.
    crate::place::gazetteer::Gazetteer::get()?;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let app = Arc::new(App {
        packs,
        drafting: Semaphore::new(cores * 2),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.clamp(1, 4))
        .max_blocking_threads(cores * 2 + 2)
        .enable_all()
        .build()
        .map_err(|e| Error::new(format!("cannot start the server: {e}")))?;
    runtime.block_on(serve(app, options))
}

async fn serve(app: Shared, options: &ServeOptions) -> Result<()> {
    let ip = options.listen.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(ip, options.port))
        .await
        .map_err(|e| {
            Error::new(format!(
                "cannot listen on {ip}:{}: {e}. Choose another port with --port N (or --port 0 \
                 for any free one).",
                options.port
            ))
        })?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::new(format!("cannot read the server's address: {e}")))?;
    let shown = if ip.is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), address.port())
    } else {
        address
    };
    let url = format!("http://{shown}/");
    if !ip.is_loopback() {
        eprintln!(
            "speechgen serve: warning: listening on {address}, so other computers on the network \
             can open the page and draft with this computer. Leave out --listen to serve this \
             computer only."
        );
    }
    // The address line is what scripts (and the tests) read: printed whole and flushed.
    println!("speechgen serve: open {url}  (Ctrl-C stops the server)");
    use std::io::Write;
    std::io::stdout().flush().ok();
    if options.open
        && let Err(e) = open::that_detached(&url)
    {
        eprintln!("speechgen serve: could not open a browser ({e}); open {url} yourself.");
    }
    axum::serve(listener, router(app))
        .with_graceful_shutdown(async {
            tokio::signal::ctrl_c().await.ok();
        })
        .await
        .map_err(|e| Error::new(format!("the server stopped: {e}")))
}

fn router(app: Shared) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { asset(PAGE, "text/html; charset=utf-8") }),
        )
        .route(
            "/app.js",
            get(|| async { asset(SCRIPT, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/style.css",
            get(|| async { asset(STYLE, "text/css; charset=utf-8") }),
        )
        .route("/api/packs", get(packs))
        .route("/api/places", get(places))
        .route("/api/draft", post(draft))
        .route("/api/redraw", post(redraw))
        .route("/api/again", post(again))
        .route("/api/download", post(download))
        .route("/api/similarity", post(similarity))
        .fallback(|| async {
            Problem::not_found(
                "no such page: the page is /, the API is /api/packs, /api/places, /api/draft, \
                 /api/redraw, /api/again, /api/download and /api/similarity (see the README).",
            )
        })
        .method_not_allowed_fallback(|| async {
            Problem::method(
                "wrong method: the page and GET /api/packs and /api/places are read with GET; \
                 every other /api/… endpoint takes a POST with a JSON body.",
            )
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app)
}

const PAGE: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/style.css");

fn asset(body: &'static str, media: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, media),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(self)).into_response()
    }
}

/// A JSON body, parsed here so that a malformed one gets a message naming the line and
/// column (and an oversized one the limit), as JSON like every other error.
fn body<T: serde::de::DeserializeOwned>(
    bytes: std::result::Result<Bytes, BytesRejection>,
) -> std::result::Result<T, Problem> {
    let bytes = bytes.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::too_large(format!(
                "the request is larger than {} KB: send one draft's state.",
                BODY_LIMIT / 1024
            ))
        } else {
            Problem::bad(format!("the request body could not be read: {rejection}"))
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Problem::bad(format!(
            "the request is not the JSON this endpoint takes ({e}); see the README's API section."
        ))
    })
}

/// Runs drafting work off the async threads, at most `drafting` at once.
async fn drafting<T: Send + 'static>(
    app: &Shared,
    work: impl FnOnce(&App) -> std::result::Result<T, Problem> + Send + 'static,
) -> std::result::Result<T, Problem> {
    let permit = tokio::time::timeout(QUEUE_WAIT, app.drafting.acquire())
        .await
        .map_err(|_| Problem::busy())?
        .map_err(|_| Problem::busy())?;
    let app = Arc::clone(app);
    let result = tokio::task::spawn_blocking(move || work(&app))
        .await
        .map_err(|e| Problem::internal(format!("internal: the draft was not finished ({e})")))?;
    drop(permit);
    result
}

async fn packs(State(app): State<Shared>) -> Response {
    axum::Json(places::pack_list(&app.packs)).into_response()
}

#[derive(Deserialize)]
struct PlaceQuery {
    #[serde(default)]
    q: String,
    county: Option<String>,
}

async fn places(
    State(app): State<Shared>,
    query: std::result::Result<Query<PlaceQuery>, axum::extract::rejection::QueryRejection>,
) -> std::result::Result<Response, Problem> {
    let Query(query) = query.map_err(|e| Problem::bad(format!("bad query: {e}")))?;
    let found = drafting(&app, move |_| {
        places::complete(&query.q, query.county.as_deref())
    })
    .await?;
    Ok(axum::Json(found).into_response())
}

async fn draft(
    State(app): State<Shared>,
    bytes: std::result::Result<Bytes, BytesRejection>,
) -> std::result::Result<Response, Problem> {
    let state: DraftState = body(bytes)?;
    let view = drafting(&app, move |app| {
        state::draft(&app.packs, &state, Action::Draw)
    })
    .await?;
    Ok(axum::Json(view).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedrawRequest {
    state: DraftState,
    part: String,
}

async fn redraw(
    State(app): State<Shared>,
    bytes: std::result::Result<Bytes, BytesRejection>,
) -> std::result::Result<Response, Problem> {
    let request: RedrawRequest = body(bytes)?;
    let view = drafting(&app, move |app| {
        state::draft(&app.packs, &request.state, Action::Redraw(&request.part))
    })
    .await?;
    Ok(axum::Json(view).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgainRequest {
    state: DraftState,
    /// The new draft's seed (default: the next one).
    seed: Option<u64>,
}

async fn again(
    State(app): State<Shared>,
    bytes: std::result::Result<Bytes, BytesRejection>,
) -> std::result::Result<Response, Problem> {
    let request: AgainRequest = body(bytes)?;
    let seed = request
        .seed
        .unwrap_or_else(|| request.state.seed.wrapping_add(1));
    let view = drafting(&app, move |app| {
        state::draft(&app.packs, &request.state, Action::Again(seed))
    })
    .await?;
    Ok(axum::Json(view).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DownloadRequest {
    state: DraftState,
    /// docx, md or txt.
    format: String,
}

async fn download(
    State(app): State<Shared>,
    bytes: std::result::Result<Bytes, BytesRejection>,
) -> std::result::Result<Response, Problem> {
    let request: DownloadRequest = body(bytes)?;
    let (bytes, name, media) = drafting(&app, move |app| {
        state::download(&app.packs, &request.state, &request.format)
    })
    .await?;
    let disposition = format!(
        "attachment; filename=\"speech.{}\"; filename*=UTF-8''{}",
        name.rsplit('.').next().unwrap_or("txt"),
        percent_encode(&name)
    );
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// RFC 5987 encoding of a file name (Chinese names reach the browser intact).
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SimilarityRequest {
    state: DraftState,
    /// Another speech to compare with (pasted); absent: the next seed's draft.
    other: Option<String>,
}

async fn similarity(
    State(app): State<Shared>,
    bytes: std::result::Result<Bytes, BytesRejection>,
) -> std::result::Result<Response, Problem> {
    let request: SimilarityRequest = body(bytes)?;
    let found = drafting(&app, move |app| {
        state::similarity(&app.packs, &request.state, request.other.as_deref())
    })
    .await?;
    Ok(axum::Json(found).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_percent_encoded() {
        assert_eq!(percent_encode("a b.docx"), "a%20b.docx");
        assert_eq!(percent_encode("镇"), "%E9%95%87");
    }
}
