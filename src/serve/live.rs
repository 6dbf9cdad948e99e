//! What the three threads of `serve` share: the files being served, the
//! PDFs the newest build makes, and the status open pages are told.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::body::Bytes;
use serde::Serialize;

use super::extras::Deferred;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::project::session::Stats;
use crate::render::Site;
use crate::render::html::Extras;

/// What the server hands out: one build's files, by path under the
/// output folder, and the number of the build they came from.
#[derive(Default, Clone)]
pub struct Served {
    pub files: BTreeMap<String, Bytes>,
    pub build: u64,
}

/// A build's files, shared between what is served and what the disk is
/// compared with.
pub(super) type SharedFiles = crate::output::Files<Bytes>;

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
    /// Counts the PDF layouts a save stopped before they finished: their
    /// PDFs were stale, and are laid out again once saves pause.
    pub pdf_stopped: u64,
    /// A PDF layout process is running now.
    pub pdf_running: bool,
    /// The newest build's search indexes and single files are not in the
    /// output folder yet (they are served as soon as they are asked for).
    pub extras_pending: bool,
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
    /// The project, whose lock is held while its output is written.
    pub(super) root: PathBuf,
    pub(super) served: RwLock<Arc<Served>>,
    /// The PDFs the newest build makes; the worker publishes and writes
    /// only these, so a PDF of a copy that is gone never comes back.
    pub(super) pdfs: Mutex<BTreeSet<String>>,
    pub(super) status: tokio::sync::watch::Sender<Status>,
    pub(super) closing: tokio::sync::watch::Sender<bool>,
    /// The newest build's search indexes and single files.
    deferred: RwLock<Option<Arc<Deferred>>>,
    /// Those in the output folder, as written there.
    extras_on_disk: Mutex<SharedFiles>,
}

impl Live {
    pub(super) fn new(root: &Path, server_id: String) -> Live {
        Live {
            root: root.to_path_buf(),
            served: RwLock::new(Arc::new(Served::default())),
            pdfs: Mutex::new(BTreeSet::new()),
            status: tokio::sync::watch::Sender::new(Status {
                server: server_id,
                ..Status::default()
            }),
            closing: tokio::sync::watch::Sender::new(false),
            deferred: RwLock::new(None),
            extras_on_disk: Mutex::new(SharedFiles::new()),
        }
    }

    /// The newest build's search indexes and single files, if any.
    pub(super) fn deferred(&self) -> Option<Arc<Deferred>> {
        self.deferred
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Forgets what extras the output folder holds: it was replaced whole.
    pub(super) fn output_replaced(&self) {
        self.extras_on_disk
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Writes `deferred`'s files into the output folder, if it is still
    /// the newest build's, and removes the extras of copies that are gone.
    pub(super) fn write_extras(
        &self,
        deferred: &Arc<Deferred>,
        out: &Path,
    ) -> Result<(), Diagnostic> {
        let made = deferred.all().inspect_err(|d| self.write_failed(d))?;
        let lock = crate::project::lock::lock(&self.root)?;
        // Holding the lock: the pages on disk are this build's.
        if !self.deferred().is_some_and(|d| Arc::ptr_eq(&d, deferred)) {
            return Ok(());
        }
        let mut on_disk = self
            .extras_on_disk
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let written = crate::output::update(out, &on_disk, &made);
        drop(lock);
        match written {
            Ok(()) => {
                *on_disk = made;
                drop(on_disk);
                self.status.send_modify(|s| s.extras_pending = false);
                Ok(())
            }
            Err(d) => {
                on_disk.clear();
                self.write_failed(&d);
                Err(d)
            }
        }
    }

    pub(super) fn served(&self) -> Arc<Served> {
        Arc::clone(&self.served.read().unwrap_or_else(|e| e.into_inner()))
    }

    pub(super) fn swap(&self, f: impl FnOnce(&Served) -> Served) {
        let mut guard = self.served.write().unwrap_or_else(|e| e.into_inner());
        *guard = Arc::new(f(&guard));
    }

    pub(super) fn pdf_pending(&self) -> bool {
        self.status.borrow().pdf_pending
    }

    pub(super) async fn wait_for_pdfs(&self, at_most: Duration) {
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
    /// build makes too; the others leave memory, and are returned for the
    /// caller to remove from the output. Returns how many files changed.
    pub(super) fn publish_pages(
        &self,
        pages: &SharedFiles,
        extras: Option<Extras>,
        pdfs: BTreeSet<String>,
        stats: Stats,
    ) -> (usize, Vec<String>, Arc<Deferred>) {
        let deferred = Arc::new(Deferred::new(pages, extras));
        let mut changed = 0;
        let mut expected = self.pdfs.lock().unwrap_or_else(|e| e.into_inner());
        self.swap(|old| {
            let mut files = BTreeMap::new();
            for (path, bytes) in pages {
                if old.files.get(path).is_none_or(|b| !same(b, bytes)) {
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
            // With the pages, so a request never finds one build's pages
            // and another's extras.
            *self.deferred.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&deferred));
            Served { files, build }
        });
        let gone = expected.difference(&pdfs).cloned().collect();
        let with_pdfs = !pdfs.is_empty();
        *expected = pdfs;
        drop(expected);
        let build = self.served().build;
        self.status.send_modify(|s| {
            s.build = build;
            s.error = None;
            s.pdf_pending = with_pdfs;
            s.extras_pending = true;
            s.last = Some(stats);
        });
        (changed, gone, deferred)
    }

    /// Serves and writes the PDFs the newest build still makes.
    pub(super) fn publish_pdfs(&self, pdfs: &Site, out: &Path) -> Vec<Diagnostic> {
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
        let lock = match crate::project::lock::lock(&self.root) {
            Ok(lock) => lock,
            Err(d) => return vec![d],
        };
        let failed: Vec<Diagnostic> = wanted
            .into_iter()
            .filter_map(|(path, bytes)| crate::output::write_file(out, path, bytes).err())
            .collect();
        drop(lock);
        if let Some(d) = failed.first() {
            self.write_failed(d);
        }
        failed
    }

    /// Tells open pages (and `/__upbook/state`) that the output on disk
    /// could not be written: the pages served are fine, `book/` is not.
    pub(super) fn write_failed(&self, d: &Diagnostic) {
        let text = d.render(false);
        self.status.send_modify(|s| s.error = Some(text));
    }

    /// Counts a finished rebuild and names what led to it.
    pub(super) fn rebuilt(&self, changed: &BTreeSet<PathBuf>) {
        let paths = changed
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        self.status.send_modify(|s| {
            s.rebuilds += 1;
            s.changed = paths;
        });
    }

    pub(super) fn fail(&self, diags: &Diagnostics) {
        let text = diags
            .errors()
            .map(|d| d.render(false))
            .collect::<Vec<_>>()
            .join("\n\n");
        self.status.send_modify(|s| s.error = Some(text));
    }
}

/// Whether two files hold the same bytes; a release's files are shared
/// from build to build, and are known equal without reading them.
fn same(a: &Bytes, b: &Bytes) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}
