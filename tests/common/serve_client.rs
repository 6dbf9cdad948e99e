//! Talking to a running `upbook serve`, shared by tests/serve.rs and the
//! serve benchmark: start it on a free port, and GET over plain TCP so
//! that request paths reach the server exactly as written.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Starts `upbook serve PROJECT --port 0 ARGS` and returns it with the
/// base URL it printed (`http://127.0.0.1:PORT`).
pub fn spawn(project: &Path, args: &[&str], stderr: Stdio) -> (Child, String) {
    let mut child = Command::new(upbook_binary())
        .arg("serve")
        .arg(project)
        .args(["--port", "0"])
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("upbook serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("Serving ")
        .and_then(|url| url.strip_suffix("/draft/index.html"))
        .unwrap_or_else(|| panic!("the first line names the URL: {line:?}"))
        .to_string();
    (child, base)
}

pub struct Response {
    pub status: u16,
    pub headers: String,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// One HTTP/1.1 GET with the path exactly as given.
pub fn get(base: &str, path: &str) -> Response {
    let host = base.strip_prefix("http://").unwrap();
    raw(
        base,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `request` as it is (request line and headers, up to the blank
/// line) and reads the answer; for requests a client would not send.
pub fn raw(base: &str, request: &str) -> Response {
    try_raw(base, request).expect("an answer with a header block")
}

/// [`raw`], or `None` when the server closes the connection without an
/// answer (as it does past its connection cap, or while stopping).
pub fn try_raw(base: &str, request: &str) -> Option<Response> {
    let host = base.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(host).expect("server answers");
    stream.write_all(request.as_bytes()).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let headers = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = headers.split(' ').nth(1)?.parse().ok()?;
    Some(Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    })
}

/// The binary under test: `CARGO_BIN_EXE_upbook` when set at run time (a
/// private copy, when several checkouts share one target folder and each
/// build replaces `debug/upbook`), else the one Cargo built.
pub fn upbook_binary() -> std::path::PathBuf {
    std::env::var_os("CARGO_BIN_EXE_upbook")
        .map_or_else(|| env!("CARGO_BIN_EXE_upbook").into(), Into::into)
}
