//! Stage 3: one backend per format, each a function from the model to
//! bytes. `site` puts a version's files together for `output` to write.

pub mod escape;
pub mod highlight;
pub mod html;
pub mod timeline;

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::load::config::Format;
use crate::model::Playbook;
use crate::theme::Theme;

/// Output files by path relative to the output folder.
pub type Site = BTreeMap<String, Vec<u8>>;

/// Renders the draft (and, later, every release) into files.
pub fn site(playbook: &Playbook, theme: &Theme, formats: &[Format]) -> Result<Site, Diagnostic> {
    if formats.contains(&Format::Pdf) && !formats.contains(&Format::Html) {
        return Err(
            Diagnostic::error("PDF output is not available in this version of upbook")
                .with_hint("build with `--format html`"),
        );
    }
    let mut site = Site::new();
    let renderer = html::Renderer::new(theme)?;
    let versions = vec![html::VersionLink {
        label: "draft".into(),
        folder: "draft".into(),
        is_draft: true,
    }];
    renderer.version(playbook, "draft", &versions, &mut site)?;
    site.insert(
        "index.html".into(),
        renderer.versions_page(playbook, &versions)?.into_bytes(),
    );
    Ok(site)
}
