//! What one load can reuse from the load before it, for `serve`: notes
//! whose file (and images) did not change, and the releases when nothing
//! under `releases/` changed. A one-off `build` starts with an empty cache
//! and gets the same result.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use super::notes::LoadedSection;
use crate::diagnostic::Diagnostics;
use crate::model::Asset;
use crate::model::release::Release;
use crate::model::variables::Scope;
use crate::snapshot;

/// A file's modification time and length: when both are unchanged the
/// file is taken as unchanged. Paths the watcher reports are re-read
/// regardless (`Cache::forget`), which covers coarse clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp {
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }
}

#[derive(Clone)]
pub(super) struct LoadedNote {
    pub section: Option<LoadedSection>,
    pub assets: BTreeMap<String, Asset>,
    pub diags: Diagnostics,
}

struct CachedNote {
    /// The note's own file first, then each image it links.
    stamps: Vec<(PathBuf, Option<Stamp>)>,
    note: LoadedNote,
}

#[derive(Default)]
pub struct Cache {
    /// Set for a one-off command, which loads once: keeping a copy of
    /// every note (a tenth of its load) would be for nothing.
    once: bool,
    notes: HashMap<PathBuf, CachedNote>,
    /// The names notes were checked against; when it changes every note
    /// is checked again.
    scope: Option<Scope>,
    releases: Option<CachedReleases>,
    forced: HashSet<PathBuf>,
    /// Notes read and parsed by the last load.
    pub notes_read: usize,
    /// Whether the last `releases` call loaded them from disk.
    pub releases_read: bool,
}

struct CachedReleases {
    stamps: Vec<(PathBuf, Option<Stamp>)>,
    releases: Arc<Vec<Release>>,
    diags: Diagnostics,
}

impl Cache {
    /// A cache for a command that loads the project once: it keeps the
    /// releases for that command's later steps, but no notes.
    pub fn once() -> Cache {
        Cache {
            once: true,
            ..Cache::default()
        }
    }

    /// Marks project-relative paths as changed, whatever their stamps say.
    pub fn forget(&mut self, changed: impl IntoIterator<Item = PathBuf>) {
        for path in changed {
            if path.starts_with(snapshot::RELEASES) {
                self.releases = None;
            }
            self.forced.insert(path);
        }
    }

    pub(super) fn start(&mut self, scope: &Scope) {
        self.notes_read = 0;
        self.releases_read = false;
        if self.scope.as_ref() != Some(scope) {
            self.notes.clear();
            self.scope = Some(scope.clone());
        }
    }

    pub(super) fn finish(&mut self, paths: &[PathBuf]) {
        let keep: HashSet<&PathBuf> = paths.iter().collect();
        self.notes.retain(|path, _| keep.contains(path));
        self.forced.clear();
    }

    /// The note as last loaded, if neither it nor an image it links has
    /// changed since (its own file is the first of its stamps).
    pub(super) fn note(&self, root: &Path, relative: &Path) -> Option<LoadedNote> {
        let cached = self.notes.get(relative)?;
        let fresh = cached.stamps.iter().all(|(path, stamp)| {
            !self.forced.contains(path) && Stamp::of(&root.join(path)) == *stamp
        });
        fresh.then(|| cached.note.clone())
    }

    pub(super) fn remember(&mut self, root: &Path, relative: &Path, note: &LoadedNote) {
        self.notes_read += 1;
        if self.once {
            return;
        }
        let mut stamps = vec![(relative.to_path_buf(), Stamp::of(&root.join(relative)))];
        for asset in note.assets.values() {
            if let Some(source) = &asset.source {
                stamps.push((source.clone(), Stamp::of(&root.join(source))));
            }
        }
        self.notes.insert(
            relative.to_path_buf(),
            CachedNote {
                stamps,
                note: note.clone(),
            },
        );
    }

    /// Every release, loaded again only when a file under `releases/`
    /// changed; the problems found while loading them are reported each
    /// time.
    pub fn releases(&mut self, root: &Path, diags: &mut Diagnostics) -> Arc<Vec<Release>> {
        let stamps = release_stamps(root);
        if let Some(cached) = &self.releases
            && cached.stamps == stamps
        {
            diags.extend(cached.diags.items.iter().cloned());
            return Arc::clone(&cached.releases);
        }
        let mut found = Diagnostics::default();
        let releases = Arc::new(snapshot::read_all(root, &mut found));
        diags.extend(found.items.iter().cloned());
        self.releases_read = true;
        self.releases = Some(CachedReleases {
            stamps,
            releases: Arc::clone(&releases),
            diags: found,
        });
        releases
    }
}

fn release_stamps(root: &Path) -> Vec<(PathBuf, Option<Stamp>)> {
    let dir = root.join(snapshot::RELEASES);
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|entry| {
            let path = entry.path().to_path_buf();
            let stamp = entry
                .file_type()
                .is_file()
                .then(|| Stamp::of(&path))
                .flatten();
            (path, stamp)
        })
        .collect()
}
