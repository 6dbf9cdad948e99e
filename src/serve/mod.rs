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
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::Bytes;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::Site;
use crate::session::{Session, Stats};
use http::Served;
pub use watch::WatcherKind;

pub struct ServeOptions {
    pub bind: IpAddr,
    /// 0 picks any free port.
    pub port: u16,
    pub watcher: WatcherKind,
    /// Where the output is also written (`book/` unless `--out`).
    pub out: Option<PathBuf>,
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
    /// Identifies this server process to pages, so a page served by an
    /// earlier `serve` reloads when a new one answers.
    pub server: String,
    /// What the last rebuild had to do.
    pub last: Option<Stats>,
}

pub struct Live {
    served: RwLock<Arc<Served>>,
    status: tokio::sync::watch::Sender<Status>,
    closing: tokio::sync::watch::Sender<bool>,
}

impl Live {
    fn new(server_id: String) -> Live {
        Live {
            served: RwLock::new(Arc::new(Served::default())),
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
        let _ = tokio::time::timeout(at_most, status.wait_for(|s| !s.pdf_pending)).await;
    }

    /// Makes a new build's pages the served ones. PDFs stay until the
    /// worker replaces them, unless their version is gone. Returns how
    /// many files changed.
    fn publish_pages(&self, pages: &SharedFiles, stats: Stats, with_pdfs: bool) -> usize {
        let mut changed = 0;
        self.swap(|old| {
            let mut files = BTreeMap::new();
            for (path, bytes) in pages {
                if old.files.get(path).is_none_or(|b| b != bytes) {
                    changed += 1;
                }
                files.insert(path.clone(), bytes.clone());
            }
            let removed = old
                .files
                .keys()
                .filter(|p| !p.ends_with(".pdf") && !pages.contains_key(*p))
                .count();
            changed += removed;
            for (path, bytes) in &old.files {
                let folder = path.split('/').next().unwrap_or_default();
                if with_pdfs
                    && path.ends_with(".pdf")
                    && pages
                        .keys()
                        .any(|p| p.starts_with(folder) && p[folder.len()..].starts_with('/'))
                {
                    files.insert(path.clone(), bytes.clone());
                }
            }
            let build = old.build + u64::from(changed > 0);
            Served { files, build }
        });
        let build = self.served().build;
        self.status.send_modify(|s| {
            s.build = build;
            s.error = None;
            s.pdf_pending = with_pdfs;
            s.last = Some(stats);
        });
        changed
    }

    fn publish_pdfs(&self, pdfs: &Site) {
        self.swap(|old| {
            let mut files = old.files.clone();
            for (path, bytes) in pdfs {
                files.insert(path.clone(), Bytes::from(bytes.clone()));
            }
            Served {
                files,
                build: old.build,
            }
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

    // Only book.toml says where the output goes; a broken book.toml is
    // reported by the first build, and the default is used meanwhile.
    let out = match &options.out {
        Some(out) => out.clone(),
        None => crate::source::SourceFile::read(root, Path::new("book.toml"))
            .and_then(|file| crate::load::config::parse(&file))
            .map_or_else(|_| root.join("book"), |c| root.join(&c.output.dir)),
    };
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
        let (live, worker, root, report) = (
            Arc::clone(&live),
            Arc::clone(&worker),
            root.to_path_buf(),
            Arc::clone(&report),
        );
        std::thread::spawn(move || {
            let mut session = Session::new(&root);
            rebuild_loop(&mut session, watching, &live, &worker, &out, &*report);
        })
    };

    let app = http::router(Arc::clone(&live));
    let closing = Arc::clone(&live);
    let served = runtime.block_on(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                shutdown_signal().await;
                // Ends the event streams, which would otherwise hold the
                // shutdown open.
                closing.closing.send_replace(true);
            })
            .await
    });
    live.closing.send_replace(true);
    worker.stop();
    let _ = rebuilds.join();
    served.map_err(|e| Diagnostic::error(format!("the server stopped: {e}")))
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
        match session.rebuild(std::mem::take(&mut changed)) {
            Ok(rebuilt) => {
                let with_pdfs = rebuilt.pdfs.is_some();
                // Shared from here on: the served copy and the one the
                // disk is compared with are the same bytes.
                let pages: SharedFiles = rebuilt
                    .pages
                    .into_iter()
                    .map(|(path, bytes)| (path, Bytes::from(bytes)))
                    .collect();
                let count = live.publish_pages(&pages, rebuilt.stats, with_pdfs);
                report(Event::Built {
                    stats: rebuilt.stats,
                    changed: count,
                    warnings: &rebuilt.warnings,
                });
                if let Some(work) = rebuilt.pdfs {
                    worker.give(work);
                }
                // The disk copy follows the served one; pages are already
                // out, so this never delays a reload.
                let result = match &written {
                    None => crate::output::write(out, &pages),
                    Some(before) => crate::output::update(out, before, &pages),
                };
                match result {
                    Ok(()) => written = Some(pages),
                    Err(d) => report(Event::WriteFailed(&d)),
                }
            }
            Err(diags) => {
                live.fail(&diags);
                report(Event::Failed(&diags));
            }
        }
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
