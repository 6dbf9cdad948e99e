//! What clients (and a broken output folder) cannot do to `upbook serve`:
//! connections that stall do not keep others out, a crowd of ordinary
//! clients is answered in full, a request naming two hosts is refused,
//! and a failed write to the disk is reported, not hidden. The real
//! binary on a free loopback port, spoken to over plain TCP.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use common::fixture;
use common::serve_client::{self, get};

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(project: &Path) -> Server {
        let (child, base) = serve_client::spawn(project, &["--format", "html"], Stdio::null());
        let server = Server { child, base };
        // Counted after the first build is served and written to disk.
        server.wait_for(|s| s["build"].as_u64() >= Some(1) && s["rebuilds"].as_u64() >= Some(1));
        server
    }

    fn host(&self) -> &str {
        self.base.strip_prefix("http://").unwrap()
    }

    fn state(&self) -> serde_json::Value {
        serde_json::from_slice(&get(&self.base, "/__upbook/state").body).unwrap()
    }

    /// Polls the state until `done`; a minute means it never will.
    fn wait_for(&self, done: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        for _ in 0..3000 {
            let state = self.state();
            if done(&state) {
                return state;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("waited a minute; state {}", self.state());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One page load as a browser makes it: the status, or 0 for a
/// connection closed without an answer. The read timeout only keeps a
/// broken server from hanging the test.
fn load(host: &str) -> u16 {
    let Ok(mut stream) = TcpStream::connect(host) else {
        return 0;
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let request =
        format!("GET /draft/index.html HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return 0;
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn clients_that_connect_and_stall_do_not_keep_others_out() {
    let (_tmp, project) = fixture("small");
    let server = Server::start(&project);
    let host = server.host().to_string();
    // 128 connections (every slot) that send a request line and stall,
    // opened afresh every 4.5 s, before the 5 s head timeout frees them.
    let stop = Arc::new(AtomicBool::new(false));
    let stalling = {
        let (stop, host) = (Arc::clone(&stop), host.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let crowd: Vec<TcpStream> = (0..128)
                    .filter_map(|_| {
                        let mut s = TcpStream::connect(&host).ok()?;
                        s.write_all(b"GET /draft/index.html HTTP/1.1\r\n").ok()?;
                        Some(s)
                    })
                    .collect();
                for _ in 0..45 {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                drop(crowd);
            }
        })
    };
    let answered: Vec<u16> = (0..40).map(|_| load(&host)).collect();
    stop.store(true, Ordering::SeqCst);
    stalling.join().unwrap();
    assert!(answered.iter().all(|s| *s == 200), "{answered:?}");
}

#[test]
fn three_hundred_clients_at_once_are_all_answered() {
    let (_tmp, project) = fixture("small");
    let server = Server::start(&project);
    let start = Arc::new(Barrier::new(300));
    let clients: Vec<_> = (0..300)
        .map(|_| {
            let (start, host) = (Arc::clone(&start), server.host().to_string());
            std::thread::spawn(move || {
                start.wait();
                (0..10).map(|_| load(&host)).collect::<Vec<u16>>()
            })
        })
        .collect();
    let statuses: Vec<u16> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    let unanswered = statuses.iter().filter(|s| **s != 200).count();
    assert_eq!(unanswered, 0, "of {} requests", statuses.len());
}

#[test]
fn a_request_naming_two_hosts_is_refused() {
    let (_tmp, project) = fixture("small");
    let server = Server::start(&project);
    let host = server.host();
    for (first, second) in [
        (host, "rebound.example"),
        ("rebound.example", host),
        (host, host),
    ] {
        let answer = serve_client::raw(
            &server.base,
            &format!(
                "GET /draft/index.html HTTP/1.1\r\nHost: {first}\r\nHost: {second}\r\nConnection: close\r\n\r\n"
            ),
        );
        assert_eq!(answer.status, 400, "Host: {first}, then {second}");
        assert!(answer.header("content-security-policy").is_some());
    }
    assert_eq!(get(&server.base, "/draft/index.html").status, 200);
}

#[test]
fn a_failed_write_to_the_output_is_reported_in_the_state() {
    let (_tmp, project) = fixture("small");
    let server = Server::start(&project);
    let book = project.join("book");
    assert!(book.join("draft/index.html").is_file());
    // A file where the output folder should be: every write fails.
    std::fs::remove_dir_all(&book).unwrap();
    std::fs::write(&book, "in the way").unwrap();
    let before = server.state()["rebuilds"].as_u64().unwrap();
    append(&project, "content/notes/a.md", "\nA first sentence more.\n");
    let state = server.wait_for(|s| s["rebuilds"].as_u64() > Some(before));
    let error = state["error"].as_str().unwrap_or_default();
    assert!(error.contains("book"), "{state}");

    // Out of the way again: the next save writes the folder whole and
    // the error is gone.
    std::fs::remove_file(&book).unwrap();
    let before = state["rebuilds"].as_u64().unwrap();
    append(
        &project,
        "content/notes/a.md",
        "\nA second sentence more.\n",
    );
    let state = server.wait_for(|s| s["rebuilds"].as_u64() > Some(before));
    assert!(state["error"].is_null(), "{state}");
    let page = std::fs::read_to_string(book.join("draft/index.html")).unwrap();
    assert!(page.contains("A second sentence more."));
}

fn append(project: &Path, file: &str, text: &str) {
    let path = project.join(file);
    let mut now = std::fs::read_to_string(&path).unwrap();
    now.push_str(text);
    std::fs::write(path, now).unwrap();
}
