//! Stage 3: one backend per format, each a function from the model to
//! bytes. `site` puts a version's files together for `output` to write.

pub mod docx;
pub mod escape;
pub mod highlight;
pub mod html;
pub mod pdf;
pub mod timeline;
pub mod views;

use rayon::prelude::*;

use crate::changes::Changes;
use crate::diagnostic::Diagnostic;
use crate::model::Playbook;
use crate::model::config::Format;
use crate::model::release::Release;
use crate::strings::Strings;
use crate::theme::Theme;

pub use crate::output::Site;

/// The change views a build shows, computed before rendering: the draft's
/// against the last release, and each release's against the one before.
pub struct ChangesByVersion {
    pub draft: Option<Changes>,
    /// One per release, in release order; `None` for the first.
    pub releases: Vec<Option<Changes>>,
}

/// Renders the draft and every release into files. `sections` is what
/// the HTML backend remembers: the one the check compiled the theme's
/// templates into.
pub fn site(
    draft: &Playbook,
    theme: &Theme,
    releases: &[Release],
    changes: &ChangesByVersion,
    formats: &[Format],
    sections: &html::sections::Sections,
) -> Result<Site, Diagnostic> {
    let mut site = Site::new();
    let with_pdf = formats.contains(&Format::Pdf);
    let draft_changes = &changes.draft;
    // Releases first: the draft's PDFs then reuse Typst's memory of the
    // layout they share with the last release.
    for (release, changes) in releases.iter().zip(&changes.releases) {
        site.append(&mut release_files(
            release,
            changes.as_ref(),
            formats,
            sections,
        )?);
    }
    // The draft's PDFs leave cores idle at times (Typst evaluates and
    // realizes on one thread): its pages are made beside them.
    let (pages, pdf_files) = rayon::join(
        || {
            let mut pages = Site::new();
            if formats.contains(&Format::Html) {
                draft_html(
                    draft,
                    theme,
                    draft_changes.as_ref(),
                    with_pdf,
                    sections,
                    &mut pages,
                )?
                .make_all(&mut pages)?;
                index_html(draft, theme, releases, with_pdf, sections, &mut pages)?;
            }
            Ok::<_, Diagnostic>(pages)
        },
        || {
            let mut files = Site::new();
            if with_pdf {
                pdfs(draft, theme, "draft", draft_changes.as_ref(), &mut files)?;
            }
            if formats.contains(&Format::Docx) {
                let strings = Strings::for_theme(theme, &draft.config.book.language)?;
                docx::files(
                    draft,
                    &strings,
                    "draft",
                    draft_changes.as_ref(),
                    draft.date,
                    &mut files,
                )?;
            }
            Ok::<_, Diagnostic>(files)
        },
    );
    site.append(&mut pages?);
    site.append(&mut pdf_files?);
    Ok(site)
}

/// The draft's pages under `draft/`, and what its search indexes and
/// single files are made from (for the caller to make, at once or later).
pub fn draft_html(
    draft: &Playbook,
    theme: &Theme,
    changes: Option<&Changes>,
    with_pdf: bool,
    sections: &html::sections::Sections,
    site: &mut Site,
) -> Result<html::Extras, Diagnostic> {
    let language = &draft.config.book.language;
    let mut renderer = html::Renderer::new(theme, sections, with_pdf, language)?;
    renderer.has_changes = changes.is_some();
    let extras = renderer.version(draft, "draft", site)?;
    if let Some(changes) = changes {
        renderer.changes_page(draft, changes, "draft", site)?;
    }
    Ok(extras)
}

/// `index.html` and `versions.js` at the output root: they list every
/// version, so they change whenever a release is made.
pub fn index_html(
    draft: &Playbook,
    theme: &Theme,
    releases: &[Release],
    with_pdf: bool,
    sections: &html::sections::Sections,
    site: &mut Site,
) -> Result<(), Diagnostic> {
    let renderer = html::Renderer::new(theme, sections, false, &draft.config.book.language)?;
    let versions = version_links(draft, releases, with_pdf, renderer.strings());
    site.insert(
        "index.html".into(),
        renderer.versions_page(draft, &versions)?.into_bytes(),
    );
    site.insert(
        "versions.js".into(),
        html::versions_script(&versions, renderer.strings()).into_bytes(),
    );
    Ok(())
}

/// One release's folder, `vVERSION/`: it depends only on the release and
/// its changes against the one before it, so it can be rendered once and
/// kept.
pub fn release_files(
    release: &Release,
    changes: Option<&Changes>,
    formats: &[Format],
    sections: &html::sections::Sections,
) -> Result<Site, Diagnostic> {
    let mut site = Site::new();
    let folder = release.folder();
    let with_pdf = formats.contains(&Format::Pdf);
    if formats.contains(&Format::Html) {
        let language = &release.playbook.config.book.language;
        let mut renderer = html::Renderer::new(&release.theme, sections, with_pdf, language)?;
        renderer.has_changes = changes.is_some();
        let extras = renderer.version(&release.playbook, &folder, &mut site)?;
        // A release is rendered once per build or `serve` session: its
        // extras are made with it.
        extras.make_all(&mut site)?;
        if let Some(changes) = changes {
            renderer.changes_page(&release.playbook, changes, &folder, &mut site)?;
        }
    }
    if with_pdf {
        pdfs(
            &release.playbook,
            &release.theme,
            &folder,
            changes,
            &mut site,
        )?;
    }
    // A release's Word files are dated by the release, never the clock,
    // so its folder renders to the same bytes on every build.
    if formats.contains(&Format::Docx) {
        let language = &release.playbook.config.book.language;
        let strings = Strings::for_theme(&release.theme, language)?;
        docx::files(
            &release.playbook,
            &strings,
            &folder,
            changes,
            Some(release.date),
            &mut site,
        )?;
    }
    Ok(site)
}

/// Compiles the theme's HTML templates and reads its words for
/// `language`, so `check` reports a template that does not parse or a
/// misspelt string just as `build` would. Returns the words, which the
/// model takes some of.
pub fn check_theme(
    theme: &Theme,
    language: &str,
    sections: &html::sections::Sections,
) -> Result<Strings, Diagnostic> {
    html::Renderer::new(theme, sections, false, language).map(|r| r.strings().clone())
}

/// The PDFs a version's folder holds, by file name: what [`pdfs`] lays
/// out, known without laying anything out, so `serve` can drop the PDFs
/// of a copy that no longer exists.
pub fn pdf_names(playbook: &Playbook, has_changes: bool) -> Vec<String> {
    pdf_copies(playbook, has_changes)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

enum PdfCopy<'a> {
    Playbook,
    Report,
    Changes,
    Environment(&'a crate::model::engagement::Environment),
}

fn pdf_copies(playbook: &Playbook, has_changes: bool) -> Vec<(String, PdfCopy<'_>)> {
    let mut copies = vec![
        ("playbook.pdf".to_string(), PdfCopy::Playbook),
        ("report.pdf".to_string(), PdfCopy::Report),
    ];
    if has_changes {
        copies.push(("changes.pdf".into(), PdfCopy::Changes));
    }
    for env in playbook.engagement.own_copy_environments() {
        copies.push((format!("{}.pdf", env.slug), PdfCopy::Environment(env)));
    }
    copies
}

/// Every version, newest first: the draft, then the releases from the
/// latest. Every version after the first has a change record.
fn version_links(
    draft: &Playbook,
    releases: &[Release],
    with_pdf: bool,
    strings: &crate::strings::Strings,
) -> Vec<html::VersionLink> {
    let mut versions = vec![html::VersionLink {
        label: "draft".into(),
        folder: "draft".into(),
        is_draft: true,
        date: None,
        accepted_by: None,
        accepted_on: None,
        acceptance_reference: None,
        resolved: Vec::new(),
        is_final: false,
        copies: html::versions::version_copies(draft, with_pdf, strings),
        report_pdf: with_pdf.then(|| "report.pdf".into()),
        has_changes: !releases.is_empty(),
        changes_pdf: (with_pdf && !releases.is_empty()).then(|| "changes.pdf".into()),
    }];
    for (i, release) in releases.iter().enumerate().rev() {
        versions.push(html::VersionLink {
            label: release.version.clone(),
            folder: release.folder(),
            is_draft: false,
            date: Some(crate::model::engagement::iso(release.date)),
            accepted_by: release.acceptance.as_ref().map(|a| a.accepted_by.clone()),
            accepted_on: release
                .acceptance
                .as_ref()
                .and_then(|a| a.accepted_on)
                .map(crate::model::engagement::iso),
            acceptance_reference: release
                .acceptance
                .as_ref()
                .and_then(|a| a.reference.clone()),
            resolved: draft
                .change_requests
                .iter()
                .filter(|r| r.applied_in.as_deref() == Some(release.version.as_str()))
                .map(|r| r.id.clone())
                .collect(),
            is_final: release.acceptance.is_some(),
            copies: html::versions::version_copies(&release.playbook, with_pdf, strings),
            report_pdf: with_pdf.then(|| "report.pdf".into()),
            has_changes: i > 0,
            changes_pdf: (with_pdf && i > 0).then(|| "changes.pdf".into()),
        });
    }
    versions
}

/// `playbook.pdf`, one copy per environment the customer upgrades, and
/// `report.pdf`, laid out in parallel.
pub fn pdfs(
    playbook: &Playbook,
    theme: &Theme,
    folder: &str,
    changes: Option<&Changes>,
    site: &mut Site,
) -> Result<(), Diagnostic> {
    let reference = playbook.reference();
    let jobs: Vec<(String, Playbook, pdf::Document)> = pdf_copies(playbook, changes.is_some())
        .into_iter()
        .filter_map(|(name, copy)| {
            let (copy, document) = match copy {
                PdfCopy::Playbook => (reference.clone(), pdf::Document::Playbook),
                PdfCopy::Report => (reference.clone(), pdf::Document::Report),
                PdfCopy::Changes => (reference.clone(), pdf::Document::Changes(changes?)),
                PdfCopy::Environment(env) => {
                    (playbook.for_environment(Some(env)), pdf::Document::Playbook)
                }
            };
            Some((name, copy, document))
        })
        .collect();
    let Some(((_, first, document), others)) = jobs.split_first() else {
        return Ok(());
    };
    // The first copy is laid out alone, on every core (Typst lays out the
    // runs of pages between page breaks in parallel). The other copies
    // differ from it in a few values, so Typst's memory of that layout
    // makes them a fraction of the work: laid out together afterwards,
    // while the first is written, instead of all from scratch at once.
    // One task per copy in rayon's pool, which Typst's own layout shares:
    // ten environments on two cores run two at a time, not ten threads.
    let laid_out = pdf::lay_out(first, *document, theme)?;
    let (first_bytes, other_bytes) = rayon::join(
        || laid_out.export(),
        || {
            others
                .par_iter()
                .map(|(_, copy, document)| pdf::render(copy, *document, theme))
                .collect::<Vec<_>>()
        },
    );
    pdf::forget_older_layouts();
    let results = std::iter::once(first_bytes).chain(other_bytes);
    for ((name, _, _), bytes) in jobs.iter().zip(results) {
        site.insert(format!("{folder}/{name}"), bytes?);
    }
    Ok(())
}
