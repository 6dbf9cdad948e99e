//! A version folder's search indexes and single files. Both are made from
//! the folder's rendered pages and grow with the whole playbook (a copy's
//! index holds every section's text, its single file every page byte
//! once more), so they are a step of their own: `build` takes it at once,
//! `serve` when a reader asks for one of them and, for `book/`, once saves
//! pause, so a save's pages never wait for it.

use std::sync::Arc;

use rayon::prelude::*;

use super::{page_text, search, single};
use crate::diagnostic::Diagnostic;
use crate::output::Site;

/// What one version folder's search indexes and single files are made of,
/// apart from the folder's pages and assets.
pub struct Extras {
    folder: String,
    site_url: Option<String>,
    copies: Vec<Copy>,
    /// What search results from the report say they are in.
    report_name: String,
}

/// A copy's page and the search entries of its sections, as rendered.
struct Copy {
    page: String,
    sections: Vec<Arc<str>>,
}

impl Extras {
    pub(super) fn new(folder: &str, site_url: Option<&str>, report_name: &str) -> Extras {
        Extras {
            report_name: report_name.to_string(),
            folder: folder.to_string(),
            site_url: site_url.map(str::to_string),
            copies: Vec::new(),
        }
    }

    pub(super) fn add_copy(&mut self, page: &str, sections: Vec<Arc<str>>) {
        self.copies.push(Copy {
            page: page.to_string(),
            sections,
        });
    }

    /// Every file these make, by path under the output folder.
    pub fn paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self
            .copies
            .iter()
            .map(|c| self.path(&search::file_for(&c.page)))
            .collect();
        paths.extend(
            self.copies
                .iter()
                .map(|c| self.path(&single::file_for(&c.page))),
        );
        paths
    }

    /// The search index a file at `path` is made from, when it is a single
    /// file: it goes inside, so it must be made first.
    pub fn needs(&self, path: &str) -> Option<String> {
        let copy = self.single_of(path)?;
        Some(self.path(&search::file_for(&copy.page)))
    }

    /// Makes the file at `path` (under the output folder) from `files`,
    /// the folder's files by path under the output folder, which hold the
    /// search index a single file [`needs`](Self::needs). `None` when
    /// `path` is none of these files.
    pub fn make<B: AsRef<[u8]>>(
        &self,
        path: &str,
        files: &crate::output::Files<B>,
    ) -> Option<Result<Vec<u8>, Diagnostic>> {
        if let Some(copy) = self
            .copies
            .iter()
            .find(|c| self.path(&search::file_for(&c.page)) == path)
        {
            return Some(Ok(self.search(copy, files).into_bytes()));
        }
        let copy = self.single_of(path)?;
        Some(self.single(copy, &self.folder_files(files)))
    }

    /// Makes every file into `site`, which holds the folder's pages: the
    /// search indexes first, since the single files hold them.
    pub fn make_all(&self, site: &mut Site) -> Result<(), Diagnostic> {
        let indexes: Vec<(String, String)> = self
            .copies
            .par_iter()
            .map(|c| (self.path(&search::file_for(&c.page)), self.search(c, site)))
            .collect();
        for (path, script) in indexes {
            site.insert(path, script.into_bytes());
        }
        // The folder's files are borrowed, not copied: at thousands of
        // notes they are large.
        let files = self.folder_files(site);
        let singles = self
            .copies
            .par_iter()
            .filter(|c| files.contains_key(c.page.as_str()))
            .map(|c| {
                self.single(c, &files)
                    .map(|one| (self.path(&single::file_for(&c.page)), one))
            })
            .collect::<Result<Vec<_>, _>>()?;
        for (path, one) in singles {
            site.insert(path, one);
        }
        Ok(())
    }

    fn path(&self, name: &str) -> String {
        format!("{}/{name}", self.folder)
    }

    fn single_of(&self, path: &str) -> Option<&Copy> {
        self.copies
            .iter()
            .find(|c| self.path(&single::file_for(&c.page)) == path)
    }

    /// `window.UPBOOK_SEARCH = ...` for `copy`: its sections' entries, the
    /// parts its page's templates wrote, and the report's parts.
    fn search<B: AsRef<[u8]>>(&self, copy: &Copy, files: &crate::output::Files<B>) -> String {
        // Borrowed: a copy's page is as large as the playbook.
        let text = |name: &str| -> std::borrow::Cow<'_, str> {
            let bytes = files.get(&self.path(name)).map_or(&[][..], AsRef::as_ref);
            match std::str::from_utf8(bytes) {
                Ok(text) => text.into(),
                Err(_) => String::from_utf8_lossy(bytes),
            }
        };
        let sections: Vec<&str> = copy
            .sections
            .iter()
            .map(|s| &**s)
            .filter(|json| !json.is_empty())
            .collect();
        // Search finds the report's parts by their text, as rendered.
        let report = page_text::parts(&text("report.html"), search::REPORT_PARTS);
        let own = page_text::parts(&text(&copy.page), search::PAGE_PARTS);
        search::script(&sections.join(","), &own, &report, &self.report_name)
    }

    fn single(&self, copy: &Copy, files: &single::Files) -> Result<Vec<u8>, Diagnostic> {
        let html = files
            .get(copy.page.as_str())
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default();
        let published = self.site_url.as_deref().map(|site_url| single::Published {
            site_url,
            folder: &self.folder,
        });
        single::inline(html, files, published.as_ref()).map(String::into_bytes)
    }

    /// `files` under this folder, by path relative to it.
    fn folder_files<'f, B: AsRef<[u8]>>(
        &self,
        files: &'f crate::output::Files<B>,
    ) -> single::Files<'f> {
        let prefix = format!("{}/", self.folder);
        files
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, v)| (&k[prefix.len()..], v.as_ref()))
            .collect()
    }
}
