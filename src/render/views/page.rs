//! A page's frame: its title, where it sits in the output, the versions
//! and copies it links to. The same for every kind of page.

use serde::Serialize;

#[derive(Serialize)]
pub struct Page {
    pub title: String,
    pub language: String,
    pub version: String,
    pub is_draft: bool,
    pub date: Option<String>,
    /// Relative path from this page to the output root (`../`).
    pub root: String,
    /// Relative path from this page to the theme's assets folder.
    pub assets: String,
    pub versions: Vec<VersionLink>,
    pub copies: Vec<Copy>,
    pub kind: &'static str,
    /// The copy of the playbook this page belongs to (`production.html`):
    /// the top bar's "Playbook" goes there. The report and change view
    /// say `index.html`; book.js points them at the copy the reader came
    /// from.
    pub playbook: String,
    /// The PDF of this page, when PDFs are built.
    pub pdf: Option<String>,
    /// The script holding this page's search index (`index.search.js`).
    pub search: Option<String>,
    /// This version has a `changes.html`.
    pub has_changes: bool,
    /// The final version's sign-off: who, when, and where it is recorded.
    pub accepted_by: Option<String>,
    pub accepted_on: Option<String>,
    pub acceptance_reference: Option<String>,
}

/// One environment's copy of the playbook, for the environment switcher.
#[derive(Serialize)]
pub struct Copy {
    pub name: String,
    pub href: String,
    pub upgraded_by: &'static str,
    pub current: bool,
}

/// A version in the switcher and on the versions page.
#[derive(Debug, Clone, Serialize)]
pub struct VersionLink {
    pub label: String,
    pub folder: String,
    pub is_draft: bool,
    pub date: Option<String>,
    pub accepted_by: Option<String>,
    pub accepted_on: Option<String>,
    pub acceptance_reference: Option<String>,
    /// Change requests applied in this version.
    pub resolved: Vec<String>,
    /// Signed off with `release --final`.
    pub is_final: bool,
    /// Each copy of the playbook in this version, the main copy first.
    pub copies: Vec<VersionCopy>,
    /// The report's PDF and the change record (`changes.html`), when
    /// this version has them.
    pub report_pdf: Option<String>,
    pub has_changes: bool,
    pub changes_pdf: Option<String>,
}

/// One copy of a version as the versions page lists it: its page, its
/// PDF and its single file to e-mail.
#[derive(Debug, Clone, Serialize)]
pub struct VersionCopy {
    /// The environment's name (`Production`); the main copy's is its
    /// reference environment's, or "Playbook" without one.
    pub name: String,
    pub html: String,
    pub pdf: Option<String>,
    pub single: String,
}
