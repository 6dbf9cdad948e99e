//! Building the same project again and again, as `serve` does after every
//! save. A session keeps what the last build loaded and rendered: notes
//! whose files did not change are not read again, sections whose content
//! did not change are not rendered again, and a release's folder is
//! rendered once. PDFs are left to the caller as a separate piece of work,
//! so the pages never wait for PDF layout.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::diff::Changes;
use crate::load::Cache;
use crate::model::Playbook;
use crate::model::config::Format;
use crate::model::document::SharedBlocks;
use crate::model::release::Release;
use crate::render::html::sections::Sections;
use crate::render::{self, Site};
use crate::theme::Theme;

pub struct Session {
    root: PathBuf,
    cache: Cache,
    sections: Sections,
    /// Each release's pages, by folder, with the digests they came from.
    releases: HashMap<String, RenderedRelease>,
    /// Releases whose PDFs were handed out as work already.
    pdfs_given: HashSet<ReleaseContent>,
    /// `--format`: when set, these instead of `book.toml`'s formats.
    formats: Vec<Format>,
    /// The last release's main copy, by digest, for the draft's redline.
    last_release: Option<(String, Playbook)>,
    /// The draft's sections as its main copy shows them, by the address
    /// of their unfilled blocks (kept alive here) and the values filled in:
    /// a note that did not change is not filled again for the redline.
    filled: HashMap<(usize, u64), Filled>,
    /// Whether two sections' blocks are equal, by the addresses of both
    /// (kept alive here): unchanged sections are not compared again.
    equal: HashMap<(usize, usize), Equal>,
}

struct Filled {
    _source: SharedBlocks,
    title: String,
    blocks: SharedBlocks,
    used: bool,
}

struct Equal {
    _pair: (SharedBlocks, SharedBlocks),
    same: bool,
    used: bool,
}

struct RenderedRelease {
    from: RenderedFrom,
    files: Site,
}

/// What a release's pages depend on: its own snapshot, the one its change
/// view compares with, and whether its pages link PDFs. Pages are rendered
/// again only when one of these differs.
#[derive(PartialEq, Eq)]
struct RenderedFrom {
    digest: String,
    previous_digest: Option<String>,
    with_pdf: bool,
}

/// A release as it stands on disk: a hand-edited snapshot under the same
/// version is different content and gets its PDFs laid out again.
#[derive(PartialEq, Eq, Hash)]
struct ReleaseContent {
    version: String,
    digest: String,
}

/// One successful rebuild.
pub struct Rebuilt {
    /// Every file except the PDFs: the draft's and every release's pages,
    /// the version list.
    pub pages: Site,
    /// PDFs still to lay out for this build, if the project writes PDFs.
    pub pdfs: Option<PdfWork>,
    /// Every PDF this build's output holds once laid out (none when the
    /// project writes no PDFs).
    pub pdf_paths: BTreeSet<String>,
    /// Warnings (a rebuild with errors returns them as `Err`).
    pub warnings: Diagnostics,
    pub stats: Stats,
}

/// What a rebuild had to do, for the terminal and for tests that check
/// that a save costs only what it touched.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Stats {
    pub notes_read: usize,
    pub sections_rendered: usize,
    pub releases_read: bool,
    pub releases_rendered: usize,
    #[serde(serialize_with = "millis")]
    pub took: Duration,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64() * 1000.0)
}

impl Session {
    pub fn new(root: &Path) -> Session {
        Session {
            root: root.to_path_buf(),
            cache: Cache::default(),
            sections: Sections::default(),
            releases: HashMap::new(),
            pdfs_given: HashSet::new(),
            formats: Vec::new(),
            last_release: None,
            filled: HashMap::new(),
            equal: HashMap::new(),
        }
    }

    /// Writes only `formats` (all of `book.toml`'s when empty), as
    /// `serve --format html` asks while drafting text.
    pub fn only(mut self, formats: &[Format]) -> Session {
        self.formats = formats.to_vec();
        self
    }

    /// The project folder this session rebuilds.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Builds the pages again. `changed` are project-relative paths known
    /// to have changed since the last call (they are read again whatever
    /// their time stamps say); every other file is checked by its stamp.
    pub fn rebuild(
        &mut self,
        changed: impl IntoIterator<Item = PathBuf>,
    ) -> Result<Rebuilt, Diagnostics> {
        let started = Instant::now();
        self.cache.forget(changed);
        let (checked, diags) = super::check_cached(&self.root, &mut self.cache);
        let notes_read = self.cache.notes_read;
        let Some(super::Checked {
            draft,
            theme,
            releases,
        }) = checked
        else {
            return Err(diags);
        };
        let formats = if self.formats.is_empty() {
            &draft.config.output.formats
        } else {
            &self.formats
        };
        let with_pdf = formats.contains(&Format::Pdf);
        let mut pages = Site::new();
        // The last release's main copy is the same from save to save:
        // made once per release, not once per rebuild.
        let changes = releases.last().map(|last| {
            if self
                .last_release
                .as_ref()
                .is_none_or(|(digest, _)| *digest != last.digest)
            {
                self.last_release = Some((last.digest.clone(), last.playbook.reference()));
            }
            let new = reference_of(&draft, &mut self.filled);
            let (_, old) = self.last_release.as_ref().expect("just set");
            // Asked from every core: the answers are kept behind a lock.
            let equal = Mutex::new(std::mem::take(&mut self.equal));
            let changes = crate::diff::compare_with(old, &new, &|a, b| {
                let key = (Arc::as_ptr(a) as usize, Arc::as_ptr(b) as usize);
                if let Some(known) = lock(&equal).get_mut(&key) {
                    known.used = true;
                    return known.same;
                }
                let same = Arc::ptr_eq(a, b) || a == b;
                lock(&equal).insert(
                    key,
                    Equal {
                        _pair: (Arc::clone(a), Arc::clone(b)),
                        same,
                        used: true,
                    },
                );
                same
            });
            self.equal = equal.into_inner().unwrap_or_else(PoisonError::into_inner);
            changes
        });
        self.filled.retain(|_, f| std::mem::take(&mut f.used));
        self.equal.retain(|_, e| std::mem::take(&mut e.used));
        let drawn = render::draft_html(
            &draft,
            &theme,
            changes.as_ref(),
            with_pdf,
            &self.sections,
            &mut pages,
        )
        .and_then(|()| render::index_html(&draft, &theme, &releases, &self.sections, &mut pages));
        if let Err(d) = drawn {
            return Err(push(diags, d));
        }
        let mut releases_rendered = 0;
        let mut folders = HashSet::new();
        let mut pdf_paths = BTreeSet::new();
        for (i, release) in releases.iter().enumerate() {
            let previous = i.checked_sub(1).map(|p| &releases[p]);
            let folder = release.folder();
            let from = RenderedFrom {
                digest: release.digest.clone(),
                previous_digest: previous.map(|p| p.digest.clone()),
                with_pdf,
            };
            if self.releases.get(&folder).is_none_or(|r| r.from != from) {
                let changes = super::changes_since(previous, &release.playbook);
                let files = match render::release_files(
                    release,
                    changes.as_ref(),
                    &[Format::Html],
                    &self.sections,
                ) {
                    Ok(files) => files,
                    Err(d) => return Err(push(diags, d)),
                };
                releases_rendered += 1;
                self.releases
                    .insert(folder.clone(), RenderedRelease { from, files });
            }
            if let Some(rendered) = self.releases.get(&folder) {
                pages.extend(rendered.files.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            if with_pdf {
                for name in render::pdf_names(&release.playbook, previous.is_some()) {
                    pdf_paths.insert(format!("{folder}/{name}"));
                }
            }
            folders.insert(folder);
        }
        self.releases.retain(|folder, _| folders.contains(folder));
        let sections_rendered = self.sections.sweep();

        if with_pdf {
            for name in render::pdf_names(&draft, changes.is_some()) {
                pdf_paths.insert(format!("draft/{name}"));
            }
        }
        let pdfs = with_pdf.then(|| {
            let releases_todo = (0..releases.len())
                .filter(|&i| {
                    let r = &releases[i];
                    self.pdfs_given.insert(ReleaseContent {
                        version: r.version.clone(),
                        digest: r.digest.clone(),
                    })
                })
                .collect();
            PdfWork {
                draft,
                theme,
                changes,
                releases: Arc::clone(&releases),
                releases_todo,
            }
        });
        Ok(Rebuilt {
            pages,
            pdfs,
            pdf_paths,
            warnings: diags,
            stats: Stats {
                notes_read,
                sections_rendered,
                releases_read: self.cache.releases_read,
                releases_rendered,
                took: started.elapsed(),
            },
        })
    }
}

/// The draft's main copy, as `Playbook::reference` makes it, with each
/// section filled in once and then taken from `filled` while its note
/// does not change.
fn reference_of(draft: &Playbook, filled: &mut HashMap<(usize, u64), Filled>) -> Playbook {
    let env = draft.engagement.reference_environment();
    let values = draft.values_key(env);
    let mut copy = draft.clone();
    copy.environment = env.map(|e| e.name.clone());
    for section in copy.keep_shown(env) {
        let key = (Arc::as_ptr(&section.blocks) as usize, values);
        let entry = filled.entry(key).or_insert_with(|| {
            // Only the filled title and blocks are kept: `number_steps`
            // below places every section's steps.
            let done = draft.section_for(section, env, 0);
            Filled {
                _source: Arc::clone(&section.blocks),
                title: done.title,
                blocks: done.blocks,
                used: false,
            }
        });
        entry.used = true;
        section.title = entry.title.clone();
        section.blocks = Arc::clone(&entry.blocks);
    }
    copy.number_steps();
    copy
}

fn push(mut diags: Diagnostics, d: Diagnostic) -> Diagnostics {
    diags.push(d);
    diags
}

/// The PDFs of one rebuild: the draft's always, a release's only the first
/// time it is seen.
pub struct PdfWork {
    draft: Playbook,
    theme: Theme,
    changes: Option<Changes>,
    releases: Arc<Vec<Release>>,
    releases_todo: Vec<usize>,
}

impl PdfWork {
    /// Takes over the releases a newer piece of work superseded before it
    /// ran, so skipping stale drafts never skips a release.
    pub fn absorb(&mut self, older: PdfWork) {
        for i in older.releases_todo {
            let release = &older.releases[i];
            let same = self
                .releases
                .iter()
                .position(|r| r.version == release.version && r.digest == release.digest);
            if let Some(j) = same
                && !self.releases_todo.contains(&j)
            {
                self.releases_todo.push(j);
            }
        }
        self.releases_todo.sort_unstable();
    }

    /// A hash of everything the draft's PDFs are made from: the playbook
    /// (its JSON names images by content hash), the redline and the
    /// theme. A save that changes none of it (an HTML theme edit, a note
    /// saved unchanged) need not be laid out again.
    pub fn draft_inputs(&self) -> u64 {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = foldhash::quality::FixedState::with_seed(0).build_hasher();
        hasher.write(&serde_json::to_vec(&self.draft).unwrap_or_default());
        hasher.write(&serde_json::to_vec(&self.changes).unwrap_or_default());
        for (name, file) in &self.theme.files {
            hasher.write(name.as_bytes());
            hasher.write(file.text.as_bytes());
        }
        hasher.finish()
    }

    /// Whether there are releases whose PDFs are still to be laid out.
    pub fn has_releases(&self) -> bool {
        !self.releases_todo.is_empty()
    }

    /// Lays out the draft's PDFs; `releases` yields the releases' after it.
    pub fn draft(&self) -> Result<Site, Diagnostic> {
        let mut site = Site::new();
        render::pdfs(
            &self.draft,
            &self.theme,
            "draft",
            self.changes.as_ref(),
            &mut site,
        )?;
        Ok(site)
    }

    pub fn releases(&self) -> impl Iterator<Item = Result<Site, Diagnostic>> + '_ {
        self.releases_todo.iter().map(|&i| {
            let release = &self.releases[i];
            let previous = i.checked_sub(1).map(|p| &self.releases[p]);
            let changes = super::changes_since(previous, &release.playbook);
            let mut site = Site::new();
            render::pdfs(
                &release.playbook,
                &release.theme,
                &release.folder(),
                changes.as_ref(),
                &mut site,
            )
            .map(|()| site)
        })
    }
}

/// A lock that a panic on another thread does not poison for good: what
/// it guards is a cache, and a half-made entry is only missing.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_remembered_main_copy_is_the_main_copy() {
        let tmp = tempfile::TempDir::new().unwrap();
        let root = tmp.path().join("acme");
        crate::scaffold::init(&root).unwrap();
        let (checked, diags) = super::super::check(&root);
        let draft = checked.unwrap_or_else(|| panic!("{:?}", diags.items)).draft;
        let expected = serde_json::to_string(&draft.reference()).unwrap();
        let mut filled = HashMap::new();
        for round in 0..2 {
            let made = serde_json::to_string(&reference_of(&draft, &mut filled)).unwrap();
            assert!(made == expected, "round {round} differs");
        }
        assert!(!filled.is_empty());
    }
}
