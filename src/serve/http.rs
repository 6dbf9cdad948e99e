//! The HTTP side of `serve`: files come from the last good build held in
//! memory, never from the disk, so no request can reach a file outside
//! the output (whatever `..`, `%2e%2e` or a symlink in the folder says),
//! and a file being rewritten is never served half written.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream};

use super::guard::{Hosts, guard};
use super::live::{Live, Status};

pub const LIVE_SCRIPT: &str = include_str!("live.js");

pub fn router(live: Arc<Live>, hosts: Arc<Hosts>) -> Router {
    Router::new()
        .route("/__upbook/live.js", get(script))
        .route("/__upbook/events", get(events))
        .route("/__upbook/state", get(state))
        .fallback(file)
        .with_state(live)
        .layer(axum::middleware::from_fn_with_state(hosts, guard))
}

async fn script() -> Response {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        Body::from(LIVE_SCRIPT),
    )
}

/// The build number and the errors, as JSON: what the event stream sends,
/// for tools and tests that would rather poll.
async fn state(State(live): State<Arc<Live>>) -> Response {
    let status = live.status.borrow().clone();
    respond(
        StatusCode::OK,
        "application/json",
        Body::from(serde_json::to_string(&status).unwrap_or_default()),
    )
}

/// Server-sent events: the current status at once, then each change,
/// until the server stops.
async fn events(
    State(live): State<Arc<Live>>,
) -> Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>> {
    let status = live.status.subscribe();
    let closing = live.closing.subscribe();
    let stream = stream::unfold(
        (status, closing, true),
        |(mut status, mut closing, first)| async move {
            if !first {
                tokio::select! {
                    changed = status.changed() => changed.ok()?,
                    _ = closing.wait_for(|c| *c) => return None,
                }
            }
            let now: Status = status.borrow_and_update().clone();
            let data = serde_json::to_string(&now).unwrap_or_default();
            Some((Ok(Event::default().data(data)), (status, closing, false)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

async fn file(State(live): State<Arc<Live>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            Body::from("upbook serve only answers GET and HEAD\n"),
        );
    }
    let server = live.status.borrow().server.clone();
    let mut served = live.served();
    let mut lookup = resolve(&served.files, uri.path());
    // A PDF still being laid out is worth waiting for: the page links it
    // before the first layout has finished.
    if let Lookup::NotFound = lookup
        && uri.path().ends_with(".pdf")
        && live.pdf_pending()
    {
        live.wait_for_pdfs(Duration::from_secs(300)).await;
        served = live.served();
        lookup = resolve(&served.files, uri.path());
    }
    // A search index or single file of the newest draft is made when it
    // is first asked for (the page asks for its index as it opens).
    if let Lookup::NotFound = lookup
        && let Some(deferred) = live.deferred()
        && let Lookup::Found(key) = resolve(&deferred.names(), uri.path())
    {
        let made = tokio::task::spawn_blocking(move || deferred.get(&key).map(|m| (key, m))).await;
        match made {
            Ok(Some((key, Ok(bytes)))) => return found(&key, bytes, served.build, &server),
            Ok(Some((_, Err(d)))) => {
                return respond(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "text/plain; charset=utf-8",
                    Body::from(d.render(false)),
                );
            }
            _ => {}
        }
    }
    match lookup {
        Lookup::Found(key) => found(&key, served.files[&key].clone(), served.build, &server),
        Lookup::Redirect(to) => {
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(value) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Lookup::NotFound => {
            let page = not_found(uri.path(), served.build);
            respond(
                StatusCode::NOT_FOUND,
                "text/html; charset=utf-8",
                Body::from(inject(&Bytes::from(page), served.build, &server).concat()),
            )
        }
    }
}

/// A served file; pages get the live-reload script.
fn found(key: &str, bytes: Bytes, build: u64, server: &str) -> Response {
    let kind = content_type(key);
    if kind.starts_with("text/html") {
        // The page is sent in three pieces around the script, not copied
        // with it: at 1,000 notes a copy is 14 MB, on every reload.
        let parts = inject(&bytes, build, server);
        let length = parts.iter().map(Bytes::len).sum::<usize>();
        let body = Body::from_stream(stream::iter(
            parts.into_iter().map(Ok::<_, std::convert::Infallible>),
        ));
        let mut response = respond(StatusCode::OK, kind, body);
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        response
    } else {
        respond(StatusCode::OK, kind, Body::from(bytes))
    }
}

fn respond(status: StatusCode, kind: &str, body: Body) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(kind) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    response
}

#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    Found(String),
    Redirect(String),
    NotFound,
}

/// The file a request path names. The path is decoded once, then split;
/// any segment that is `.` or `..` or holds a separator is refused, so no
/// spelling of a path leaves the output.
pub fn resolve(files: &BTreeMap<String, Bytes>, path: &str) -> Lookup {
    let Some(decoded) = percent_decode(path) else {
        return Lookup::NotFound;
    };
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        if segment == "." || segment == ".." || segment.contains(['\\', '\0']) {
            return Lookup::NotFound;
        }
        if !segment.is_empty() {
            segments.push(segment);
        }
    }
    let key = segments.join("/");
    let index = if key.is_empty() {
        "index.html".to_string()
    } else {
        format!("{key}/index.html")
    };
    if decoded.ends_with('/') || key.is_empty() {
        return match files.contains_key(&index) {
            true => Lookup::Found(index),
            false => Lookup::NotFound,
        };
    }
    if files.contains_key(&key) {
        Lookup::Found(key)
    } else if files.contains_key(&index) {
        // From the normalised path, never the raw one: `//draft` must not
        // become `//draft/`, which a browser reads as another host.
        Lookup::Redirect(format!("/{}/", percent_encode(&key)))
    } else {
        Lookup::NotFound
    }
}

/// Escapes everything but unreserved characters and `/`, for a
/// `Location` header.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "typ" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The page with the live-reload script added before `</body>`. Only
/// served pages get it; the files `build` and `serve` write never do.
/// The page comes back as the part before the script, the script and the
/// part after it, the parts sharing `page`'s bytes.
fn inject(page: &Bytes, build: u64, server: &str) -> [Bytes; 3] {
    let tag = format!(
        "<script src=\"/__upbook/live.js\" data-build=\"{build}\" data-server=\"{server}\"></script>"
    );
    let at = memchr::memmem::rfind(page, b"</body>").unwrap_or(page.len());
    [page.slice(..at), Bytes::from(tag), page.slice(at..)]
}

fn not_found(path: &str, build: u64) -> String {
    let what = if build == 0 {
        "Nothing has been built yet: the project has errors (see below and in the terminal)."
    } else {
        "There is no such page in this build."
    };
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\
         <body><h1>Not found</h1><p><code>{}</code></p><p>{what}</p>\
         <p><a href=\"/draft/index.html\">The draft playbook</a> · <a href=\"/\">All versions</a></p></body></html>",
        crate::render::escape::escape(path)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> BTreeMap<String, Bytes> {
        ["index.html", "draft/index.html", "draft/playbook.pdf"]
            .iter()
            .map(|k| (k.to_string(), Bytes::from_static(b"x")))
            .collect()
    }

    #[test]
    fn paths_resolve_inside_the_output_only() {
        let f = files();
        let found = |k: &str| Lookup::Found(k.to_string());
        assert_eq!(resolve(&f, "/"), found("index.html"));
        assert_eq!(resolve(&f, "/draft/"), found("draft/index.html"));
        assert_eq!(
            resolve(&f, "/draft/playbook.pdf"),
            found("draft/playbook.pdf")
        );
        assert_eq!(resolve(&f, "/draft"), Lookup::Redirect("/draft/".into()));
        assert_eq!(resolve(&f, "//draft"), Lookup::Redirect("/draft/".into()));
        assert_eq!(resolve(&f, "/%2fdraft"), Lookup::Redirect("/draft/".into()));
        assert_eq!(
            resolve(&f, "/dr%61ft/index.html"),
            found("draft/index.html")
        );
        for bad in [
            "/../book.toml",
            "/draft/../index.html",
            "/%2e%2e/book.toml",
            "/draft/%2E%2E/%2e%2e/etc/passwd",
            "/draft/..%2f..%2fbook.toml",
            "/draft/..%5c..%5cbook.toml",
            "/./index.html",
            "/draft/index.html%00",
            "/%zz",
            "/%ff",
        ] {
            assert_eq!(resolve(&f, bad), Lookup::NotFound, "{bad}");
        }
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = inject(&Bytes::from_static(b"<body><p>a</p></body></html>"), 3, "s").concat();
        let text = String::from_utf8(page).unwrap();
        assert!(text.contains("data-build=\"3\""));
        assert!(text.ends_with("</script></body></html>"));
    }
}
