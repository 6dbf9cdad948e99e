//! Building the same project again and again, as `serve` does after every
//! save. A session keeps what the last build loaded and rendered: notes
//! whose files did not change are not read again, sections whose content
//! did not change are not rendered again, and a release's folder is
//! rendered once. PDFs are left to the caller as a separate piece of work,
//! so the pages never wait for PDF layout.

mod draft_changes;
mod pdf_work;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Cache;
use crate::model::Playbook;
use crate::model::config::Format;
use crate::render::html::sections::Sections;
use crate::render::{self, Site};
use draft_changes::DraftChanges;
pub use pdf_work::PdfWork;

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
    /// The draft's changes, drawn from what each save changed.
    draft_changes: DraftChanges,
}

struct RenderedRelease {
    from: RenderedFrom,
    /// Shared with every rebuild's pages: a release's folder is as large
    /// as the draft's, and copying it on every save cost as much as
    /// rendering the draft.
    files: Pages,
}

/// Files by path under the output folder, their bytes shared rather than
/// copied from rebuild to rebuild.
pub type Pages = crate::output::Files<axum::body::Bytes>;

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
    /// Every file except the PDFs and the draft's extras: the draft's
    /// and every release's pages, the version list.
    pub pages: Pages,
    /// What the draft's search indexes and single files are made from:
    /// they grow with the whole playbook, so the caller makes them when
    /// they are wanted rather than on every save.
    pub extras: Option<crate::render::html::Extras>,
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

impl Stats {
    /// What two builds of one batch of changes did between them: `serve`
    /// makes a batch's build again when more of a save comes in while it
    /// is made.
    pub fn and(self, then: Stats) -> Stats {
        Stats {
            notes_read: self.notes_read + then.notes_read,
            sections_rendered: self.sections_rendered + then.sections_rendered,
            releases_read: self.releases_read || then.releases_read,
            releases_rendered: self.releases_rendered + then.releases_rendered,
            took: self.took + then.took,
        }
    }
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
            draft_changes: DraftChanges::default(),
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
        let (checked, diags) =
            super::check::check_with(&self.root, &mut self.cache, &self.sections);
        let notes_read = self.cache.notes_read;
        let Some(super::check::Checked {
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
        let with_docx = formats.contains(&Format::Docx);
        let mut pages = Site::new();
        // The last release's main copy is the same from save to save:
        // made once per release, not once per rebuild.
        let changes = match releases.last() {
            Some(last) => Some(self.draft_changes.since(last, &draft)),
            None => {
                self.draft_changes = DraftChanges::default();
                None
            }
        };
        let drawn = render::draft_html(
            &draft,
            &theme,
            changes.as_ref(),
            with_pdf,
            &self.sections,
            &mut pages,
        )
        .and_then(|extras| {
            render::index_html(
                &draft,
                &theme,
                &releases,
                with_pdf,
                &self.sections,
                &mut pages,
            )
            .map(|()| extras)
        });
        let extras = match drawn {
            Ok(extras) => extras,
            Err(d) => return Err(push(diags, d)),
        };
        let mut shared = Pages::new();
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
                let files = files.into_iter().map(|(k, v)| (k, v.into())).collect();
                self.releases
                    .insert(folder.clone(), RenderedRelease { from, files });
            }
            if let Some(rendered) = self.releases.get(&folder) {
                shared.extend(rendered.files.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            for name in paper_names(&release.playbook, previous.is_some(), with_pdf, with_docx) {
                pdf_paths.insert(format!("{folder}/{name}"));
            }
            folders.insert(folder);
        }
        self.releases.retain(|folder, _| folders.contains(folder));
        let sections_rendered = self.sections.sweep();

        for name in paper_names(&draft, changes.is_some(), with_pdf, with_docx) {
            pdf_paths.insert(format!("draft/{name}"));
        }
        let pdfs = (with_pdf || with_docx).then(|| {
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
                pdf: with_pdf,
                docx: with_docx,
            }
        });
        shared.extend(pages.into_iter().map(|(k, v)| (k, v.into())));
        Ok(Rebuilt {
            pages: shared,
            extras: Some(extras),
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

fn push(mut diags: Diagnostics, d: Diagnostic) -> Diagnostics {
    diags.push(d);
    diags
}

/// The files the layout process makes for one version: its PDFs, its
/// Word files, or both.
fn paper_names(playbook: &Playbook, has_changes: bool, pdf: bool, docx: bool) -> Vec<String> {
    let mut names = Vec::new();
    if pdf {
        names.extend(render::pdf_names(playbook, has_changes));
    }
    if docx {
        names.extend(render::docx::docx_names(playbook, has_changes));
    }
    names
}
