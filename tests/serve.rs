//! `upbook serve` as a consultant uses it: start it, read the page, save
//! a note, break the engagement and fix it, try to read outside the
//! output, stop it with Ctrl-C. The real binary on a free port, spoken to
//! over plain TCP so that odd request paths reach it unaltered.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::serve_client::{self, Response, get};
use common::{edit, example, fixture, read, release, snapshot_dir, upbook};

struct Server {
    child: Child,
    base: String,
    stderr: Arc<Mutex<String>>,
    project: PathBuf,
}

impl Server {
    /// Starts `serve` and waits for its first good build.
    fn start(project: &Path, args: &[&str]) -> Server {
        let server = Server::spawn(project, args);
        server.wait_for("the first build", |s| s["build"].as_u64() >= Some(1));
        server
    }

    /// Starts `serve` and returns once it listens, built or not.
    fn spawn(project: &Path, args: &[&str]) -> Server {
        let (mut child, base) = serve_client::spawn(project, args, Stdio::piped());
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        let mut pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Server {
            child,
            base,
            stderr,
            project: project.to_path_buf(),
        }
    }

    fn get(&self, path: &str) -> Response {
        get(&self.base, path)
    }

    fn state(&self) -> serde_json::Value {
        let response = self.get("/__upbook/state");
        assert_eq!(response.status, 200);
        serde_json::from_slice(&response.body).expect("state is JSON")
    }

    fn wait_for(&self, what: &str, done: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let state = self.state();
            if done(&state) {
                return state;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "waited a minute for {what}; state {state}; stderr:\n{}",
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the server has dealt with every change made before
    /// this call, and returns its state then. It saves a file the watcher
    /// reports but the build does not read, and waits for the rebuild
    /// that names it: file events arrive in order, so everything saved
    /// before it has been rebuilt by then. A test that something did
    /// *not* happen cannot pass by looking too early.
    fn fence(&self) -> serde_json::Value {
        static FENCES: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "content/fence-{}.txt",
            FENCES.fetch_add(1, Ordering::SeqCst)
        );
        fs::write(self.project.join(&name), "fence\n").unwrap();
        self.wait_for(&name, |s| {
            s["changed"]
                .as_array()
                .is_some_and(|paths| paths.iter().any(|p| p == name.as_str()))
        })
    }

    fn page(&self, path: &str) -> String {
        let response = self.get(path);
        assert_eq!(response.status, 200, "GET {path}");
        String::from_utf8(response.body).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_save_shows_up_and_a_broken_save_keeps_the_last_good_page() {
    let (_tmp, project) = example();
    let server = Server::start(&project, &["--format", "html"]);
    let page = server.page("/draft/index.html");
    assert!(
        page.contains("Back up the configuration"),
        "the notes are on the page"
    );
    assert!(page.contains("<script src=\"/__upbook/live.js\""));
    let before = server.fence()["build"].as_u64().unwrap();
    // The files on disk are the build's own: no live-reload script.
    let on_disk = read(project.join("book/draft/index.html"));
    assert!(on_disk.contains("Back up the configuration"));
    assert!(!on_disk.contains("__upbook"));
    // `--format html` leaves the PDFs out although book.toml lists them,
    // and the pages do not link any.
    assert_eq!(server.get("/draft/playbook.pdf").status, 404);
    assert!(!project.join("book/draft/playbook.pdf").exists());
    assert!(!page.contains(".pdf\""));

    edit(
        &project,
        "content/notes/02-backup.md",
        "order: 10\n---\n",
        "order: 10\n---\nCheck the turbine gauge first.\n\n",
    );
    let state = server.wait_for("the edit", |s| s["build"].as_u64() > Some(before));
    assert!(
        server
            .page("/draft/index.html")
            .contains("Check the turbine gauge first.")
    );
    assert_eq!(
        server.fence()["build"].as_u64(),
        Some(before + 1),
        "one save, one new build"
    );
    assert_eq!(
        state["last"]["notes_read"], 1,
        "only the saved note is read again"
    );
    // The reference copy and the Production copy each show the note.
    assert_eq!(state["last"]["sections_rendered"], 2);
    assert!(read(project.join("book/draft/index.html")).contains("Check the turbine gauge first."));

    // A note that uses no value differing between environments reads the
    // same in both copies: rendered once, shown in both.
    let before = server.fence()["build"].as_u64().unwrap();
    fs::write(
        project.join("content/notes/09-plain.md"),
        "---\ntitle: Tell the service desk\nphase: backup-configuration\norder: 20\n---\n\
         Tell the service desk the upgrade has started.\n",
    )
    .unwrap();
    let state = server.wait_for("the new note", |s| s["build"].as_u64() > Some(before));
    assert_eq!(state["last"]["sections_rendered"], 1, "{state}");
    for copy in ["index.html", "production.html"] {
        assert!(
            server
                .page(&format!("/draft/{copy}"))
                .contains("Tell the service desk the upgrade has started."),
            "{copy}"
        );
    }

    edit(&project, "content/engagement.yaml", "customer:", "custmer:");
    let state = server.wait_for("the error", |s| s["error"].is_string());
    let error = state["error"].as_str().unwrap();
    assert!(error.contains("content/engagement.yaml:3:1"), "{error}");
    assert!(error.contains("did you mean `customer`?"), "{error}");
    // Still serving the last good build, on disk too.
    assert!(
        server
            .page("/draft/index.html")
            .contains("Check the turbine gauge first.")
    );
    assert!(read(project.join("book/draft/index.html")).contains("Check the turbine gauge first."));
    assert!(
        server
            .stderr
            .lock()
            .unwrap()
            .contains("content/engagement.yaml:3:1")
    );

    edit(&project, "content/engagement.yaml", "custmer:", "customer:");
    let state = server.wait_for("the recovery", |s| s["error"].is_null());
    assert_eq!(
        state["build"].as_u64(),
        Some(before + 1),
        "the same pages as before the mistake: nothing to reload"
    );
}

#[test]
fn no_request_reaches_outside_the_output() {
    let (_tmp, project) = fixture("small");
    let server = Server::start(&project, &["--format", "html"]);
    // The disk copy follows the served one.
    server.fence();
    assert!(project.join("book/draft/index.html").is_file());
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        project.join("book.toml"),
        project.join("book/draft/leak.txt"),
    )
    .unwrap();
    for path in [
        "/../book.toml",
        "/draft/../../book.toml",
        "/%2e%2e/book.toml",
        "/draft/%2E%2E/%2e%2e/book.toml",
        "/draft/..%2f..%2fbook.toml",
        "/draft/..%5c..%5cbook.toml",
        "/draft/leak.txt",
        "/content/engagement.yaml",
        "/draft/index.html%00",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}");
        assert!(!String::from_utf8_lossy(&response.body).contains("[book]"));
    }
    let redirect = server.get("/draft");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/draft/"));
    for (path, kind) in [
        ("/draft/", "text/html; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
        ("/draft/assets/style.css", "text/css; charset=utf-8"),
        ("/versions.js", "text/javascript; charset=utf-8"),
        ("/__upbook/live.js", "text/javascript; charset=utf-8"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("content-type"), Some(kind), "{path}");
    }
}

#[test]
fn an_editor_save_is_one_rebuild_and_an_unchanged_save_none() {
    let (_tmp, project) = fixture("small");
    let server = Server::start(&project, &["--format", "html"]);
    let note = project.join("content/notes/a.md");
    let start = server.fence();
    let (build, rebuilds) = (
        start["build"].as_u64().unwrap(),
        start["rebuilds"].as_u64().unwrap(),
    );

    // Write a temporary file and rename it over the note (most editors).
    let text = read(&note).replace("before the backup", "before the backup window");
    let temporary = project.join("content/notes/.a.md.tmp123");
    fs::write(&temporary, &text).unwrap();
    fs::rename(&temporary, &note).unwrap();
    server.wait_for("the save", |s| s["build"].as_u64() == Some(build + 1));
    let after = server.fence();
    assert_eq!(after["build"].as_u64(), Some(build + 1));
    assert_eq!(
        after["rebuilds"].as_u64(),
        Some(rebuilds + 2),
        "one rebuild for the save, one for the fence"
    );
    assert!(
        server
            .page("/draft/index.html")
            .contains("before the backup window")
    );

    // Move the note aside, write it anew, delete the backup (vim's way).
    let backup = project.join("content/notes/a.md~");
    fs::rename(&note, &backup).unwrap();
    fs::write(&note, text.replace("window", "window opens")).unwrap();
    fs::remove_file(&backup).unwrap();
    server.wait_for("the save", |s| s["build"].as_u64() == Some(build + 2));
    let after = server.fence();
    assert_eq!(after["build"].as_u64(), Some(build + 2));
    assert_eq!(after["rebuilds"].as_u64(), Some(rebuilds + 4));
    assert!(
        server
            .page("/draft/index.html")
            .contains("before the backup window opens")
    );

    // Saving without a change rebuilds nothing a reader could see (the
    // save and the fence may share one rebuild).
    fs::write(&note, read(&note)).unwrap();
    let after = server.fence();
    assert_eq!(after["build"].as_u64(), Some(build + 2));
    assert!(after["rebuilds"].as_u64() > Some(rebuilds + 4));
}

#[test]
fn pdfs_follow_the_pages_and_are_always_whole() {
    let (_tmp, project) = fixture("small");
    let server = Server::start(&project, &[]);
    let whole = |bytes: &[u8]| {
        bytes.starts_with(b"%PDF-") && String::from_utf8_lossy(bytes).trim_end().ends_with("%%EOF")
    };
    // Asked for while it is still being laid out, the PDF is waited for.
    let pdf = server.get("/draft/playbook.pdf");
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(whole(&pdf.body));
    let before = server.wait_for("the PDFs", |s| s["pdf_pending"] == false);

    edit(
        &project,
        "content/notes/b.md",
        "2. Check the version in the console.",
        "2. Check the version in the console.\n3. Record the broker versions.",
    );
    let target = before["build"].as_u64().unwrap() + 1;
    server.wait_for("the edit", |s| s["build"].as_u64() == Some(target));
    // Every PDF served while the new one is laid out is a whole file.
    let started = Instant::now();
    loop {
        let pdf = server.get("/draft/playbook.pdf");
        assert!(whole(&pdf.body));
        if !server.state()["pdf_pending"].as_bool().unwrap() {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60));
    }
    let on_disk = fs::read(project.join("book/draft/playbook.pdf")).unwrap();
    assert!(whole(&on_disk));
    assert_eq!(on_disk, server.get("/draft/playbook.pdf").body);

    // A save that changes nothing the PDFs are made from is not laid out
    // again.
    let layouts = server.wait_for("the PDFs", |s| s["pdf_pending"] == false)["pdf_layouts"].clone();
    let note = project.join("content/notes/b.md");
    fs::write(&note, read(&note)).unwrap();
    server.fence();
    let after = server.wait_for("the PDFs", |s| s["pdf_pending"] == false);
    assert_eq!(after["pdf_layouts"], layouts);
}

#[test]
fn releases_are_not_rendered_again_when_a_note_changes() {
    let (_tmp, project) = fixture("small");
    release(&project, "1.0");
    edit(
        &project,
        "content/notes/a.md",
        "Stop everything",
        "Stop all services",
    );
    let server = Server::start(&project, &["--format", "html"]);
    let first = server.fence();
    assert!(server.page("/v1.0/index.html").contains("Stop everything"));
    let changes = server.page("/draft/changes.html");
    assert!(changes.contains("<ins>all services</ins>"), "{changes}");

    edit(
        &project,
        "content/notes/b.md",
        "2. Check the version in the console.",
        "2. Check the version in the console.\n3. A new line.",
    );
    let state = server.wait_for("the edit", |s| s["build"] != first["build"]);
    assert_eq!(state["last"]["releases_rendered"], 0);
    assert_eq!(state["last"]["releases_read"], false);
    let changes = server.page("/draft/changes.html");
    assert!(changes.contains("A new line."), "{changes}");
}

#[test]
fn a_project_that_starts_broken_is_served_once_fixed() {
    let (_tmp, project) = fixture("small");
    edit(
        &project,
        "content/notes/a.md",
        "phase: backup-configuration",
        "phase: backup-configuraton",
    );
    let server = Server::spawn(&project, &["--format", "html"]);
    let state = server.wait_for("the error", |s| s["error"].is_string());
    assert!(
        state["error"]
            .as_str()
            .unwrap()
            .contains("content/notes/a.md:3:8")
    );
    let missing = server.get("/draft/index.html");
    assert_eq!(missing.status, 404);
    assert!(String::from_utf8_lossy(&missing.body).contains("/__upbook/live.js"));

    edit(
        &project,
        "content/notes/a.md",
        "backup-configuraton",
        "backup-configuration",
    );
    server.wait_for("the first good build", |s| {
        s["build"] == 1 && s["error"].is_null()
    });
    assert!(server.page("/draft/index.html").contains("Stop everything"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_and_frees_the_port() {
    let (_tmp, project) = fixture("small");
    let mut server = Server::start(&project, &["--format", "html"]);
    // A reader with the page open holds an event stream; it must not keep
    // the server from stopping.
    let host = server.base.strip_prefix("http://").unwrap().to_string();
    let mut events = TcpStream::connect(&host).unwrap();
    write!(
        events,
        "GET /__upbook/events HTTP/1.1\r\nHost: {host}\r\n\r\n"
    )
    .unwrap();
    let mut first = [0u8; 64];
    let _ = events.read(&mut first).unwrap();

    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
    assert!(TcpStream::connect(&host).is_err(), "the port is closed");
    assert!(server.stderr.lock().unwrap().contains("Stopped."));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let (_tmp, project) = fixture("small");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = upbook()
        .arg("serve")
        .arg(&project)
        .args(["--port", &port])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

#[test]
fn polling_notices_saves_too() {
    let (_tmp, project) = fixture("small");
    let server = Server::start(&project, &["--watcher", "poll", "--format", "html"]);
    let before = server.fence()["build"].as_u64().unwrap();
    edit(
        &project,
        "content/notes/a.md",
        "Stop everything",
        "Halt everything",
    );
    server.wait_for("the edit", |s| s["build"].as_u64() > Some(before));
    assert!(server.page("/draft/index.html").contains("Halt everything"));
}

#[test]
fn a_theme_folder_made_while_serving_is_watched_and_out_is_honoured() {
    let (tmp, project) = fixture("small");
    let out = tmp.path().join("elsewhere");
    let out_arg = out.display().to_string();
    let server = Server::start(&project, &["--out", &out_arg, "--format", "html"]);
    let before = server.fence()["build"].as_u64().unwrap();
    assert!(out.join("draft/index.html").is_file());
    assert!(!project.join("book").exists(), "--out replaces book/");

    // No themes/ folder when serve started: creating one, choosing it, and
    // then changing a file in it, is noticed.
    fs::create_dir_all(project.join("themes/custom")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    fs::write(
        project.join("themes/custom/style.css"),
        "body { color: red; }\n",
    )
    .unwrap();
    edit(
        &project,
        "book.toml",
        "[output]\n",
        "[output]\ntheme = \"custom\"\n",
    );
    let chosen = server.fence()["build"].as_u64().unwrap();
    assert!(chosen > before);
    assert_eq!(
        String::from_utf8(server.get("/draft/assets/style.css").body).unwrap(),
        "body { color: red; }\n"
    );
    fs::write(
        project.join("themes/custom/style.css"),
        "body { color: rebeccapurple; }\n",
    )
    .unwrap();
    server.wait_for("the theme file", |s| s["build"].as_u64() > Some(chosen));
    let served = server.get("/draft/assets/style.css");
    assert_eq!(
        String::from_utf8(served.body).unwrap(),
        "body { color: rebeccapurple; }\n"
    );
    server.fence();
    assert_eq!(
        read(out.join("draft/assets/style.css")),
        "body { color: rebeccapurple; }\n"
    );
}

#[test]
fn only_its_own_names_are_answered_and_every_response_carries_a_policy() {
    let (_tmp, project) = example();
    let server = Server::start(&project, &["--format", "html"]);
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let ask = |host: &str, path: &str| {
        serve_client::raw(
            &server.base,
            &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    // A page elsewhere that rebinds its own name to 127.0.0.1 still sends
    // that name: it gets nothing.
    for host in [
        format!("rebound.example:{port}"),
        format!("127.0.0.1.rebound.example:{port}"),
        "localhost:1".to_string(),
    ] {
        let refused = ask(&host, "/draft/index.html");
        assert_eq!(refused.status, 421, "{host}");
        assert!(!String::from_utf8_lossy(&refused.body).contains("Back up"));
    }
    let no_host = serve_client::raw(
        &server.base,
        "GET /draft/index.html HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    assert!(no_host.status >= 400, "{}", no_host.status);
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let page = ask(&host, "/draft/index.html");
        assert_eq!(page.status, 200, "{host}");
        let policy = page.header("content-security-policy").unwrap();
        assert!(policy.contains("script-src 'self'"), "{policy}");
        assert!(policy.contains("default-src 'none'"), "{policy}");
    }

    // Redirects come from the cleaned path: `//draft` is not sent to the
    // host `draft`.
    for path in ["//draft", "/%2fdraft", "/draft"] {
        let moved = server.get(path);
        assert_eq!(moved.status, 301, "{path}");
        assert_eq!(moved.header("location"), Some("/draft/"), "{path}");
        assert!(moved.header("content-security-policy").is_some());
    }

    // An SVG from a note, opened on its own, may run no script.
    let page = server.page("/draft/index.html");
    let svg = page
        .split('"')
        .find(|s| s.starts_with("images/") && s.ends_with(".svg"))
        .expect("the example links an SVG");
    let image = server.get(&format!("/draft/{svg}"));
    assert_eq!(image.status, 200);
    let policy = image.header("content-security-policy").unwrap();
    assert!(policy.contains("sandbox"), "{policy}");
    assert!(!policy.contains("script-src"), "{policy}");
    let missing = server.get("/no/such/page");
    assert_eq!(missing.status, 404);
    assert!(missing.header("content-security-policy").is_some());
}

#[test]
fn idle_and_half_open_connections_are_dropped_and_one_past_the_cap_waits() {
    let (_tmp, project) = fixture("small");
    let server = Server::start(&project, &["--format", "html"]);
    let host = server.base.strip_prefix("http://").unwrap().to_string();
    let closed_by_server = |stream: &mut TcpStream| {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut buf = [0u8; 256];
        match stream.read(&mut buf) {
            Ok(n) => n == 0 || !String::from_utf8_lossy(&buf[..n]).contains(" 200 "),
            Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
        }
    };

    // More connections than the server serves at once, saying nothing:
    // the one past the cap is not closed but waits, and is answered as
    // soon as the idle ones are dropped.
    let crowd: Vec<TcpStream> = (0..128)
        .map(|_| TcpStream::connect(&host).unwrap())
        .collect();
    let mut surplus = TcpStream::connect(&host).unwrap();
    write!(
        surplus,
        "GET /draft/index.html HTTP/1.1\r\nHost: {host}\r\n\r\n"
    )
    .unwrap();
    assert!(!closed_by_server(&mut surplus), "a connection past the cap");
    drop(crowd);

    // One that never finishes its request head is dropped, not held.
    let mut idle = TcpStream::connect(&host).unwrap();
    let mut half = TcpStream::connect(&host).unwrap();
    write!(half, "GET /draft/index.html HTTP/1.1\r\nHost: {host}\r\n").unwrap();
    let started = Instant::now();
    assert!(closed_by_server(&mut half), "a half-sent request head");
    assert!(
        closed_by_server(&mut idle),
        "a connection that says nothing"
    );
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_at_once_even_while_a_pdf_is_awaited() {
    let (_tmp, project) = example();
    let mut server = Server::spawn(&project, &[]);
    // Asked for before any layout has finished, the PDF holds a request
    // open; stopping must not wait for it.
    let base = server.base.clone();
    let waiting = std::thread::spawn(move || {
        let host = base.strip_prefix("http://").unwrap().to_string();
        let request = format!("GET /draft/playbook.pdf HTTP/1.1\r\nHost: {host}\r\n\r\n");
        // Cut off by the stop: no answer is expected.
        let _ = serve_client::try_raw(&base, &request);
    });
    server.wait_for("the pages", |s| {
        s["build"].as_u64() >= Some(1) && s["pdf_pending"] == true
    });
    let pid = server.child.id().to_string();
    let started = Instant::now();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = started.elapsed();
    assert!(status.success());
    assert!(took < Duration::from_secs(1), "stopping took {took:?}");
    waiting.join().unwrap();
}

#[test]
fn a_renamed_environment_leaves_exactly_what_a_fresh_build_writes() {
    let (tmp, project) = fixture("small");
    let server = Server::start(&project, &[]);
    server.wait_for("the PDFs", |s| s["pdf_pending"] == false);
    assert!(project.join("book/draft/production.pdf").is_file());

    edit(
        &project,
        "content/engagement.yaml",
        "  - name: Production",
        "  - name: Live",
    );
    server.wait_for("the rename", |s| {
        s["build"].as_u64() >= Some(2) && s["pdf_pending"] == false
    });
    server.fence();
    server.wait_for("the PDFs", |s| s["pdf_pending"] == false);
    assert_eq!(server.get("/draft/production.pdf").status, 404);
    assert_eq!(server.get("/draft/live.pdf").status, 200);

    let fresh = tmp.path().join("fresh");
    upbook()
        .arg("build")
        .arg(&project)
        .arg("--out")
        .arg(&fresh)
        .assert()
        .success();
    let served = snapshot_dir(&project.join("book"));
    let built = snapshot_dir(&fresh);
    let names = |files: &std::collections::BTreeMap<String, Vec<u8>>| {
        files.keys().cloned().collect::<Vec<_>>()
    };
    assert_eq!(names(&served), names(&built));
    assert!(served == built, "book/ differs from a fresh build");
}

/// Typst keeps every layout it makes; `serve` lays the PDFs out again
/// after every save, so unless it forgets the old layouts a morning's
/// drafting holds every version of the playbook it ever laid out. On the
/// example each layout kept a few megabytes more (34 MB over ten saves).
#[cfg(target_os = "linux")]
#[test]
fn a_morning_of_saves_does_not_hold_every_layout_made() {
    let (_tmp, project) = example();
    let server = Server::start(&project, &[]);
    let resident_kib = || {
        let status = read(format!("/proc/{}/status", server.child.id()));
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
        line.split_whitespace()
            .nth(1)
            .unwrap()
            .parse::<u64>()
            .unwrap()
    };
    let note = project.join("content/notes/00-baseline.md");
    let save = |n: usize| {
        let layouts = server.wait_for("the PDFs", |s| s["pdf_pending"] == false)["pdf_layouts"]
            .as_u64()
            .unwrap();
        let text = read(&note).replacen(
            "The tests after the upgrade",
            &format!("Draft {n}. The tests after the upgrade"),
            1,
        );
        fs::write(&note, text).unwrap();
        server.wait_for("the layout after a save", |s| {
            s["pdf_layouts"].as_u64() > Some(layouts) && s["pdf_pending"] == false
        });
    };
    for n in 0..3 {
        save(n);
    }
    let settled = resident_kib();
    for n in 3..13 {
        save(n);
    }
    let grown = resident_kib().saturating_sub(settled);
    assert!(
        grown < 15 * 1024,
        "ten more layouts grew the server by {grown} KiB"
    );
}

/// Notes enough that laying out the example's PDFs takes a while, so a
/// save can land in the middle of it.
fn grow(project: &Path, notes: usize) {
    for n in 0..notes {
        let steps: String = (1..=6)
            .map(|s| format!("{s}. Check relay {n}-{s} and record what it answers.\n\n   ```bash\n   relayctl check --relay {n}-{s}\n   ```\n\n"))
            .collect();
        fs::write(
            project.join(format!("content/notes/50-relay-{n:03}.md")),
            format!(
                "---\ntitle: Check relay group {n}\nphase: backup-configuration\norder: {}\n---\nEach relay of group {n} is checked before the brokers stop.\n\n{steps}",
                100 + n
            ),
        )
        .unwrap();
    }
}

/// The whole output folder once `serve` has finished it, against a fresh
/// build of the same project with the same arguments.
fn assert_book_is_a_build(server: &Server, tmp: &Path, args: &[&str]) {
    let done = |s: &serde_json::Value| {
        s["pdf_pending"] == false && s["extras_pending"] == false && s["pdf_running"] == false
    };
    server.wait_for("the output to be finished", done);
    server.fence();
    server.wait_for("the output to be finished", done);
    let fresh = tmp.join("fresh");
    upbook()
        .arg("build")
        .arg(&server.project)
        .args(args)
        .arg("--out")
        .arg(&fresh)
        .assert()
        .success();
    let served = snapshot_dir(&server.project.join("book"));
    let built = snapshot_dir(&fresh);
    let names = |files: &std::collections::BTreeMap<String, Vec<u8>>| {
        files.keys().cloned().collect::<Vec<_>>()
    };
    assert_eq!(names(&served), names(&built));
    for (name, bytes) in &built {
        assert!(served[name] == *bytes, "book/{name} differs from a build's");
    }
}

#[test]
fn a_save_stops_the_pdf_layout_and_the_pdfs_follow_once_saves_pause() {
    let (tmp, project) = example();
    grow(&project, 40);
    let server = Server::start(&project, &[]);
    let note = project.join("content/notes/00-baseline.md");
    let number = |s: &serde_json::Value, key: &str| s[key].as_u64().unwrap();
    let mut stopped = false;
    for n in 0..6 {
        let before = server.wait_for("a layout to run", |s| s["pdf_running"] == true);
        let marker = format!("Layout interrupted by save {n}.");
        fs::write(&note, format!("{}\n{marker}\n", read(&note))).unwrap();
        let served = server.wait_for("the save's page", |s| {
            number(s, "build") > number(&before, "build")
        });
        assert!(server.page("/draft/index.html").contains(&marker));
        let after = server.wait_for("the layout to stop or finish", |s| {
            number(s, "pdf_stopped") > number(&before, "pdf_stopped")
                || number(s, "pdf_layouts") > number(&before, "pdf_layouts")
        });
        if number(&after, "pdf_stopped") > number(&before, "pdf_stopped") {
            // The page came without waiting for the layout to finish.
            assert_eq!(
                number(&served, "pdf_layouts"),
                number(&before, "pdf_layouts")
            );
            stopped = true;
            break;
        }
    }
    assert!(stopped, "no save stopped a layout");
    // The layout runs again once saves pause, and its PDFs hold the last
    // save: the output is what a build writes.
    assert_book_is_a_build(&server, tmp.path(), &[]);
    assert_eq!(
        server.get("/draft/playbook.pdf").body,
        fs::read(project.join("book/draft/playbook.pdf")).unwrap()
    );
}

#[test]
fn search_indexes_and_single_files_are_made_when_asked_and_written_once_saves_pause() {
    let (tmp, project) = example();
    let server = Server::start(&project, &["--format", "html"]);
    let note = project.join("content/notes/00-baseline.md");
    let before = server.state();
    fs::write(&note, format!("{}\nWombat checkpoint.\n", read(&note))).unwrap();
    server.wait_for("the save's page", |s| {
        s["build"].as_u64() > before["build"].as_u64()
    });
    // Asked for before the output folder has them: made on request, and
    // from the newest draft.
    assert!(
        server
            .page("/draft/index.search.js")
            .contains("wombat checkpoint")
    );
    assert!(
        server
            .page("/draft/playbook-single.html")
            .contains("Wombat checkpoint.")
    );
    assert_book_is_a_build(&server, tmp.path(), &["--format", "html"]);
    assert_eq!(
        server.get("/draft/index.search.js").body,
        fs::read(project.join("book/draft/index.search.js")).unwrap()
    );
}
