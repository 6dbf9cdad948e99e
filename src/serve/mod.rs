//! `upbook serve`: build, serve the output on 127.0.0.1, rebuild on every
//! save and tell open pages to reload.
//!
//! Three threads share one [`Live`]: the rebuild loop (watch, rebuild,
//! publish the pages), the PDF worker (lays out the PDFs of the newest
//! build after the pages are out, so a reload never waits for PDF layout)
//! and the HTTP server. The served files are swapped as a whole, so a
//! reader gets one build or the next, never a mix.

pub mod http;
mod pdfs;
pub mod watch;

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::body::Bytes;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::config::Format;
use crate::project::session::{Session, Stats};
use crate::render::Site;
use http::Served;
pub use watch::WatcherKind;

pub struct ServeOptions {
    pub bind: IpAddr,
    /// 0 picks any free port.
    pub port: u16,
    pub watcher: WatcherKind,
    /// Where the output is also written (`book/` unless `--out`).
    pub out: Option<PathBuf>,
    /// Formats to write; empty means those `book.toml` lists.
    pub formats: Vec<Format>,
}

/// What `serve` tells the person running it; the binary prints these.
pub enum Event<'a> {
    Listening {
        url: String,
        watcher: WatcherKind,
        fallback: Option<&'a str>,
    },
    Built {
        stats: Stats,
        changed: usize,
        warnings: &'a Diagnostics,
    },
    Failed(&'a Diagnostics),
    PdfsDone {
        files: usize,
        took: Duration,
    },
    PdfFailed(&'a Diagnostic),
    WriteFailed(&'a Diagnostic),
}

/// What open pages are told: the build they should show and what is
/// wrong, if anything.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Status {
    /// Counts builds whose pages differ from the build before.
    pub build: u64,
    /// The diagnostics of the last failed rebuild, as plain text; cleared
    /// by the next good one.
    pub error: Option<String>,
    pub pdf_error: Option<String>,
    /// PDFs of the newest build are still being laid out.
    pub pdf_pending: bool,
    /// Counts the PDF layouts finished, for tests that check a save did
    /// not cause one.
    pub pdf_layouts: u64,
    /// Identifies this server process to pages, so a page served by an
    /// earlier `serve` reloads when a new one answers.
    pub server: String,
    /// What the last rebuild had to do.
    pub last: Option<Stats>,
    /// Counts every rebuild, good or failed, including those that
    /// changed nothing, so a test can tell "nothing happened" from "not
    /// yet".
    pub rebuilds: u64,
    /// The project-relative paths whose changes led to the last rebuild.
    pub changed: Vec<String>,
}

pub struct Live {
    served: RwLock<Arc<Served>>,
    /// The PDFs the newest build makes; the worker publishes and writes
    /// only these, so a PDF of a copy that is gone never comes back.
    pdfs: Mutex<BTreeSet<String>>,
    status: tokio::sync::watch::Sender<Status>,
    closing: tokio::sync::watch::Sender<bool>,
}

impl Live {
    fn new(server_id: String) -> Live {
        Live {
            served: RwLock::new(Arc::new(Served::default())),
            pdfs: Mutex::new(BTreeSet::new()),
            status: tokio::sync::watch::Sender::new(Status {
                server: server_id,
                ..Status::default()
            }),
            closing: tokio::sync::watch::Sender::new(false),
        }
    }

    fn served(&self) -> Arc<Served> {
        Arc::clone(&self.served.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn swap(&self, f: impl FnOnce(&Served) -> Served) {
        let mut guard = self.served.write().unwrap_or_else(|e| e.into_inner());
        *guard = Arc::new(f(&guard));
    }

    fn pdf_pending(&self) -> bool {
        self.status.borrow().pdf_pending
    }

    async fn wait_for_pdfs(&self, at_most: Duration) {
        let mut status = self.status.subscribe();
        let mut closing = self.closing.subscribe();
        // Stopping the server must not wait for a layout in progress.
        tokio::select! {
            _ = tokio::time::timeout(at_most, status.wait_for(|s| !s.pdf_pending)) => {}
            _ = closing.wait_for(|c| *c) => {}
        }
    }

    /// Makes a new build's pages the served ones. The PDFs of the last
    /// build stay until the worker replaces them, but only those this
    /// build makes too; the others leave memory and `out`. Returns how
    /// many files changed.
    fn publish_pages(
        &self,
        pages: &SharedFiles,
        pdfs: BTreeSet<String>,
        stats: Stats,
        out: &Path,
    ) -> (usize, Result<(), Diagnostic>) {
        let mut changed = 0;
        let mut expected = self.pdfs.lock().unwrap_or_else(|e| e.into_inner());
        self.swap(|old| {
            let mut files = BTreeMap::new();
            for (path, bytes) in pages {
                if old.files.get(path).is_none_or(|b| b != bytes) {
                    changed += 1;
                }
                files.insert(path.clone(), bytes.clone());
            }
            for (path, bytes) in &old.files {
                if pdfs.contains(path) {
                    files.insert(path.clone(), bytes.clone());
                } else if !pages.contains_key(path) {
                    changed += 1;
                }
            }
            let build = old.build + u64::from(changed > 0);
            Served { files, build }
        });
        let mut removed = Ok(());
        for gone in expected.difference(&pdfs) {
            let path = out.join(gone);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    removed = Err(Diagnostic::error(format!(
                        "cannot remove {}: {e}",
                        path.display()
                    )));
                }
                _ => {}
            }
        }
        let with_pdfs = !pdfs.is_empty();
        *expected = pdfs;
        drop(expected);
        let build = self.served().build;
        self.status.send_modify(|s| {
            s.build = build;
            s.error = None;
            s.pdf_pending = with_pdfs;
            s.last = Some(stats);
        });
        (changed, removed)
    }

    /// Serves and writes the PDFs the newest build still makes.
    fn publish_pdfs(&self, pdfs: &Site, out: &Path) -> Vec<Diagnostic> {
        let expected = self.pdfs.lock().unwrap_or_else(|e| e.into_inner());
        let wanted: Vec<(&String, &Vec<u8>)> =
            pdfs.iter().filter(|(p, _)| expected.contains(*p)).collect();
        self.swap(|old| {
            let mut files = old.files.clone();
            for (path, bytes) in &wanted {
                files.insert((*path).clone(), Bytes::from((*bytes).clone()));
            }
            Served {
                files,
                build: old.build,
            }
        });
        wanted
            .into_iter()
            .filter_map(|(path, bytes)| crate::output::write_file(out, path, bytes).err())
            .collect()
    }

    /// Counts a finished rebuild and names what led to it.
    fn rebuilt(&self, changed: &BTreeSet<PathBuf>) {
        let paths = changed
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        self.status.send_modify(|s| {
            s.rebuilds += 1;
            s.changed = paths;
        });
    }

    fn fail(&self, diags: &Diagnostics) {
        let text = diags
            .errors()
            .map(|d| d.render(false))
            .collect::<Vec<_>>()
            .join("\n\n");
        self.status.send_modify(|s| s.error = Some(text));
    }
}

/// Runs until Ctrl-C (or SIGTERM). `report` is called from the rebuild
/// and PDF threads.
pub fn run(root: &Path, options: &ServeOptions, report: Report) -> Result<(), Diagnostic> {
    // Only book.toml says where the output goes; a broken book.toml is
    // reported by the first build, and the default is used meanwhile.
    let configured = crate::diagnostic::SourceFile::read(root, Path::new("book.toml"))
        .and_then(|file| crate::load::config::parse(&file))
        .map_or_else(|_| "book".to_string(), |c| c.output.dir);
    let out = crate::output::output_folder(
        root,
        &match &options.out {
            Some(out) => crate::output::Chosen::Flag(out),
            None => crate::output::Chosen::Config(&configured),
        },
    )?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::error(format!("cannot start the server: {e}")))?;
    let address = SocketAddr::new(options.bind, options.port);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(address))
        .map_err(|e| {
            let d = Diagnostic::error(format!("cannot listen on {address}: {e}"));
            if e.kind() == std::io::ErrorKind::AddrInUse {
                d.with_hint("another program (perhaps another `upbook serve`) uses this port; choose another with --port, or --port 0 for any free one")
            } else {
                d
            }
        })?;
    let address = listener
        .local_addr()
        .map_err(|e| Diagnostic::error(format!("cannot listen: {e}")))?;

    let watching = watch::Watching::start(root, &out, options.watcher)?;
    let server_id = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
    );
    let live = Arc::new(Live::new(server_id));
    let worker = Arc::new(pdfs::Worker::default());
    let host = match address.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    report(Event::Listening {
        url: format!("http://{host}:{}/draft/index.html", address.port()),
        watcher: watching.kind,
        fallback: watching.fallback.as_deref(),
    });

    // The PDF worker is not joined: a layout in progress cannot be cut
    // short, and Ctrl-C should not wait for it. It writes each PDF through
    // a temporary file, so stopping midway leaves no half-written PDF.
    {
        let (live, worker, out, report) = (
            Arc::clone(&live),
            Arc::clone(&worker),
            out.clone(),
            Arc::clone(&report),
        );
        std::thread::spawn(move || worker.run(&live, &out, &*report));
    }
    let rebuilds = {
        let (live, worker, root, report, formats) = (
            Arc::clone(&live),
            Arc::clone(&worker),
            root.to_path_buf(),
            Arc::clone(&report),
            options.formats.clone(),
        );
        std::thread::spawn(move || {
            let mut session = Session::new(&root).only(&formats);
            rebuild_loop(&mut session, watching, &live, &worker, &out, &*report);
        })
    };

    let hosts = Arc::new(http::Hosts::new(options.bind, address.port()));
    let app = http::router(Arc::clone(&live), hosts);
    runtime.block_on(accept(listener, app, Arc::clone(&live)));
    live.closing.send_replace(true);
    worker.stop();
    // Whatever is still in flight (a response waiting for a PDF, a slow
    // reader) is dropped rather than waited for.
    runtime.shutdown_timeout(Duration::from_millis(100));
    let _ = rebuilds.join();
    Ok(())
}

/// At most this many connections are served at once; more are closed as
/// soon as they are accepted.
const MAX_CONNECTIONS: usize = 128;
/// A client that has not sent a whole request head by then is dropped,
/// so idle half-open connections cannot pile up.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How long Ctrl-C waits for responses in flight before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// Accepts connections until Ctrl-C or SIGTERM, then gives those open a
/// moment to finish.
async fn accept(listener: tokio::net::TcpListener, app: axum::Router, live: Arc<Live>) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let signal = shutdown_signal();
    tokio::pin!(signal);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
                    drop(stream);
                    continue;
                };
                let service = hyper_util::service::TowerToHyperService::new(app.clone());
                let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    let _ = connection.await;
                    drop(slot);
                });
            }
            () = &mut signal => break,
        }
    }
    drop(listener);
    // Ends the event streams and PDF waits, which would otherwise hold
    // the connections open.
    live.closing.send_replace(true);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

pub type Report = Arc<dyn Fn(Event) + Send + Sync>;

type SharedFiles = BTreeMap<String, Bytes>;

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// Builds once, then again after every batch of changes, until the server
/// closes.
fn rebuild_loop(
    session: &mut Session,
    mut watching: watch::Watching,
    live: &Live,
    worker: &pdfs::Worker,
    out: &Path,
    report: &(dyn Fn(Event) + Send + Sync),
) {
    let mut written: Option<SharedFiles> = None;
    let mut changed: BTreeSet<PathBuf> = BTreeSet::new();
    loop {
        let batch = std::mem::take(&mut changed);
        match session.rebuild(batch.iter().cloned()) {
            Ok(rebuilt) => {
                // Shared from here on: the served copy and the one the
                // disk is compared with are the same bytes.
                let pages: SharedFiles = rebuilt
                    .pages
                    .into_iter()
                    .map(|(path, bytes)| (path, Bytes::from(bytes)))
                    .collect();
                let (count, removed) =
                    live.publish_pages(&pages, rebuilt.pdf_paths, rebuilt.stats, out);
                report(Event::Built {
                    stats: rebuilt.stats,
                    changed: count,
                    warnings: &rebuilt.warnings,
                });
                if let Err(d) = removed {
                    report(Event::WriteFailed(&d));
                }
                // The disk copy follows the served one; pages are already
                // out, so this never delays a reload. It comes before the
                // PDFs, which the first write would otherwise replace.
                let result = match &written {
                    None => crate::output::write(out, &pages),
                    Some(before) => crate::output::update(out, before, &pages),
                };
                match result {
                    Ok(()) => written = Some(pages),
                    Err(d) => report(Event::WriteFailed(&d)),
                }
                if let Some(work) = rebuilt.pdfs {
                    worker.give(work);
                }
            }
            Err(diags) => {
                live.fail(&diags);
                report(Event::Failed(&diags));
            }
        }
        // Last, so whoever sees the count sees everything this rebuild did.
        live.rebuilt(&batch);
        loop {
            if *live.closing.borrow() {
                return;
            }
            if let Some(batch) = watching.next_batch(Duration::from_millis(200)) {
                watching.follow_new_folders(&batch);
                changed = batch;
                break;
            }
        }
    }
}
