//! The PDFs of a rebuild, handed to the caller as work apart from the
//! pages, so the pages never wait for PDF layout.

use std::sync::Arc;

use crate::changes::Changes;
use crate::model::Playbook;
use crate::model::release::Release;
use crate::theme::Theme;

/// The PDFs of one rebuild: the draft's always, a release's only the first
/// time it is seen.
pub struct PdfWork {
    pub(super) draft: Playbook,
    pub(super) theme: Theme,
    pub(super) changes: Option<Changes>,
    pub(super) releases: Arc<Vec<Release>>,
    pub(super) releases_todo: Vec<usize>,
    /// Which of the paper formats to make: PDFs, Word files or both.
    pub pdf: bool,
    pub docx: bool,
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
    /// (its JSON names images by content hash), the changes and the
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

    /// The versions of the releases whose PDFs are still to be laid out.
    pub fn release_versions(&self) -> Vec<String> {
        self.releases_todo
            .iter()
            .map(|&i| self.releases[i].version.clone())
            .collect()
    }
}
