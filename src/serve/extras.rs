//! The draft's search indexes and single files while serving: made when
//! a reader asks for one (a page loads its index as it opens) and, for the
//! output folder, once saves pause. A save's pages never wait for them:
//! each grows with the whole playbook, not with the note that changed.

use std::collections::BTreeSet;
use std::sync::Mutex;

use axum::body::Bytes;

use super::live::SharedFiles;
use crate::diagnostic::Diagnostic;
use crate::render::html::Extras;

/// One build's extras, made at most once each.
pub struct Deferred {
    /// The build's pages, which the extras are made from.
    pages: SharedFiles,
    extras: Option<Extras>,
    paths: BTreeSet<String>,
    made: Mutex<SharedFiles>,
}

impl Deferred {
    pub(super) fn new(pages: &SharedFiles, extras: Option<Extras>) -> Deferred {
        let paths = extras.iter().flat_map(Extras::paths).collect();
        Deferred {
            pages: pages.clone(),
            extras,
            paths,
            made: Mutex::new(SharedFiles::new()),
        }
    }

    /// The paths made here, for looking a request up as the served files
    /// are (see [`super::http::resolve`]).
    pub(super) fn names(&self) -> SharedFiles {
        self.paths
            .iter()
            .map(|p| (p.clone(), Bytes::new()))
            .collect()
    }

    /// The file at `path`, made now if no one asked for it before; `None`
    /// when it is not one of these.
    pub(super) fn get(&self, path: &str) -> Option<Result<Bytes, Diagnostic>> {
        if let Some(bytes) = self.lock().get(path) {
            return Some(Ok(bytes.clone()));
        }
        let extras = self.extras.as_ref().filter(|_| self.paths.contains(path))?;
        let mut files = self.pages.clone();
        if let Some(index) = extras.needs(path) {
            match self.get(&index)? {
                Ok(bytes) => files.insert(index, bytes),
                Err(d) => return Some(Err(d)),
            };
        }
        Some(extras.make(path, &files)?.map(|bytes| {
            let bytes = Bytes::from(bytes);
            self.lock().insert(path.to_string(), bytes.clone());
            bytes
        }))
    }

    /// Every file, for the output folder.
    pub(super) fn all(&self) -> Result<SharedFiles, Diagnostic> {
        let mut all = SharedFiles::new();
        for path in &self.paths {
            if let Some(made) = self.get(path) {
                all.insert(path.clone(), made?);
            }
        }
        Ok(all)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SharedFiles> {
        // Only finished files go in: a panic cannot leave one half made.
        self.made.lock().unwrap_or_else(|e| e.into_inner())
    }
}
