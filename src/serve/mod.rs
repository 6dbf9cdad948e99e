//! `upbook serve`: build, serve the output on 127.0.0.1, rebuild on every
//! save and tell open pages to reload.
//!
//! Three threads share one [`Live`]: the rebuild loop (watch, rebuild,
//! publish the pages), the worker (once saves pause, writes the draft's
//! search indexes and single files and has the PDFs of the newest build
//! laid out by a process that the next save stops, so a reload never
//! waits for either) and the HTTP server, which makes an index or single
//! file when a reader asks for it first. The served files are swapped as a whole, so a
//! reader gets one build or the next, never a mix.

mod extras;
mod guard;
pub mod http;
pub mod layout;
mod listen;
mod live;
mod pdfs;
mod report;
pub mod watch;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::model::config::Format;
use crate::project::session::{Session, Stats};
use live::SharedFiles;
pub use live::{Live, Served, Status};
pub use report::{Event, Report};
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
    let (listener, address) =
        runtime.block_on(listen::bind(SocketAddr::new(options.bind, options.port)))?;

    let watching = watch::Watching::start(root, &out, options.watcher)?;
    let server_id = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
    );
    let live = Arc::new(Live::new(root, server_id));
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

    // The worker is not joined: Ctrl-C should not wait for it. It writes
    // each file through a temporary file, so stopping midway leaves no
    // half-written one, and its layout process is killed on the way out.
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

    let hosts = Arc::new(guard::Hosts::new(options.bind, address.port()));
    let app = http::router(Arc::clone(&live), hosts);
    runtime.block_on(listen::accept(listener, app, Arc::clone(&live)));
    live.closing.send_replace(true);
    worker.stop();
    // Whatever is still in flight (a response waiting for a PDF, a slow
    // reader) is dropped rather than waited for.
    runtime.shutdown_timeout(Duration::from_millis(100));
    let _ = rebuilds.join();
    Ok(())
}

/// Brings the output folder up to `pages`, holding the project lock: the
/// first time (and after a failed write) whole, tidying what killed runs
/// left; after that only the files that changed since `before`, and the
/// PDFs of copies that are `gone`.
fn write_output(
    live: &Live,
    out: &Path,
    gone: &[String],
    before: Option<&SharedFiles>,
    pages: &SharedFiles,
) -> Result<(), Diagnostic> {
    let lock = crate::project::lock::lock(&live.root)?;
    for pdf in gone {
        let path = out.join(pdf);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Diagnostic::error(format!(
                    "cannot remove {}: {e}",
                    path.display()
                )));
            }
            _ => {}
        }
    }
    match before {
        None => {
            lock.tidy(&live.root, Some(out));
            // What is served, PDFs laid out before a failed write
            // included: the worker writes a PDF only when it changes.
            // The extras come from the worker, which writes them all again.
            live.output_replaced();
            crate::output::write(out, &live.served().files)
        }
        Some(before) => crate::output::update(out, before, pages),
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
    // The first build is of no change at all.
    let mut next = Some(watch::Batch::of(BTreeSet::new()));
    // What the builds of this batch that were not shown did.
    let mut earlier: Option<Stats> = None;
    loop {
        let mut batch = match next.take() {
            Some(batch) => batch,
            None => match wait_for_changes(&watching, live, worker) {
                Some(batch) => batch,
                None => return,
            },
        };
        watching.follow_new_folders(&batch.paths);
        let mut rebuilt = session.rebuild(batch.paths.iter().cloned());
        if let Ok(rebuilt) = &mut rebuilt {
            rebuilt.stats = earlier.take().unwrap_or_default().and(rebuilt.stats);
        }
        let later = watching.since_built(&mut batch);
        if !later.is_empty() {
            watching.follow_new_folders(&later);
            if !batch.overdue() {
                // The build may have read a file half-saved: make it
                // again with the rest of the save rather than show it.
                batch.paths.extend(later);
                earlier = rebuilt.ok().map(|r| r.stats);
                next = Some(batch);
                continue;
            }
            next = Some(watch::Batch::of(later));
        }
        match rebuilt {
            Ok(rebuilt) => {
                // Shared from here on: the served copy and the one the
                // disk is compared with are the same bytes.
                let pages: SharedFiles = rebuilt.pages;
                let (count, gone, extras) =
                    live.publish_pages(&pages, rebuilt.extras, rebuilt.pdf_paths, rebuilt.stats);
                report(Event::Built {
                    stats: rebuilt.stats,
                    changed: count,
                    warnings: &rebuilt.warnings,
                });
                // The disk copy follows the served one; pages are already
                // out, so this never delays a reload. It comes before the
                // PDFs, which the first write would otherwise replace.
                match write_output(live, out, &gone, written.as_ref(), &pages) {
                    Ok(()) => written = Some(pages),
                    Err(d) => {
                        // What is on disk is unknown now: the next write
                        // replaces the folder whole.
                        written = None;
                        live.write_failed(&d);
                        report(Event::WriteFailed(&d));
                    }
                }
                worker.give(pdfs::Work {
                    extras,
                    pdfs: rebuilt.pdfs,
                });
            }
            Err(diags) => {
                live.fail(&diags);
                report(Event::Failed(&diags));
            }
        }
        // Last, so whoever sees the count sees everything this rebuild did.
        live.rebuilt(&batch.paths);
    }
}

/// The first changes of the next batch, or `None` once the server closes.
fn wait_for_changes(
    watching: &watch::Watching,
    live: &Live,
    worker: &pdfs::Worker,
) -> Option<watch::Batch> {
    loop {
        if *live.closing.borrow() {
            return None;
        }
        // The PDFs being laid out are of the draft before this save:
        // they stop as soon as it is seen rather than share the cores.
        if let Some(batch) = watching.next_batch(Duration::from_millis(200), || worker.saved()) {
            return Some(batch);
        }
    }
}
