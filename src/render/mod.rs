//! Stage 3: one backend per format, each a function from the model to
//! bytes. `site` puts a version's files together for `output` to write.

pub mod escape;
pub mod highlight;
pub mod html;
pub mod pdf;
pub mod timeline;

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::load::config::Format;
use crate::model::Playbook;
use crate::release::Release;
use crate::theme::Theme;

/// Output files by path relative to the output folder.
pub type Site = BTreeMap<String, Vec<u8>>;

/// Renders the draft and every release into files.
pub fn site(
    draft: &Playbook,
    theme: &Theme,
    releases: &[Release],
    formats: &[Format],
) -> Result<Site, Diagnostic> {
    let mut site = Site::new();
    let mut versions = vec![html::VersionLink {
        label: "draft".into(),
        folder: "draft".into(),
        is_draft: true,
        date: None,
        accepted_by: None,
        resolved: Vec::new(),
    }];
    for release in releases.iter().rev() {
        versions.push(html::VersionLink {
            label: release.version.clone(),
            folder: format!("v{}", release.version),
            is_draft: false,
            date: Some(crate::model::engagement::iso(release.date)),
            accepted_by: release.acceptance.as_ref().map(|a| a.accepted_by.clone()),
            resolved: draft
                .change_requests
                .iter()
                .filter(|r| r.applied_in.as_deref() == Some(release.version.as_str()))
                .map(|r| r.id.clone())
                .collect(),
        });
    }
    let with_pdf = formats.contains(&Format::Pdf);
    // Each version after the first, and the draft, show what changed since
    // the version before.
    let draft_changes = releases
        .last()
        .map(|last| crate::diff::compare(&last.playbook.reference(), &draft.reference()));
    let release_changes: Vec<Option<crate::diff::Changes>> = releases
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (i > 0).then(|| {
                crate::diff::compare(
                    &releases[i - 1].playbook.reference(),
                    &r.playbook.reference(),
                )
            })
        })
        .collect();
    if formats.contains(&Format::Html) {
        let mut renderer = html::Renderer::new(theme, with_pdf)?;
        renderer.has_changes = draft_changes.is_some();
        renderer.version(draft, "draft", &mut site)?;
        if let Some(changes) = &draft_changes {
            renderer.changes_page(&draft.reference(), changes, "draft", &mut site)?;
        }
        for (release, changes) in releases.iter().zip(&release_changes) {
            let folder = format!("v{}", release.version);
            let mut renderer = html::Renderer::new(&release.theme, with_pdf)?;
            renderer.has_changes = changes.is_some();
            renderer.version(&release.playbook, &folder, &mut site)?;
            if let Some(changes) = changes {
                renderer.changes_page(
                    &release.playbook.reference(),
                    changes,
                    &folder,
                    &mut site,
                )?;
            }
        }
        site.insert(
            "index.html".into(),
            renderer.versions_page(draft, &versions)?.into_bytes(),
        );
        site.insert(
            "versions.js".into(),
            html::versions_script(&versions).into_bytes(),
        );
    }
    if with_pdf {
        pdfs(draft, theme, "draft", draft_changes.as_ref(), &mut site)?;
        for (release, changes) in releases.iter().zip(&release_changes) {
            let folder = format!("v{}", release.version);
            pdfs(
                &release.playbook,
                &release.theme,
                &folder,
                changes.as_ref(),
                &mut site,
            )?;
        }
    }
    Ok(site)
}

/// `playbook.pdf`, one copy per environment the customer upgrades, and
/// `report.pdf`, laid out in parallel.
fn pdfs(
    playbook: &Playbook,
    theme: &Theme,
    folder: &str,
    changes: Option<&crate::diff::Changes>,
    site: &mut Site,
) -> Result<(), Diagnostic> {
    let reference = playbook.reference();
    let mut jobs: Vec<(String, Playbook, pdf::Document)> = vec![
        (
            "playbook.pdf".into(),
            reference.clone(),
            pdf::Document::Playbook,
        ),
        (
            "report.pdf".into(),
            reference.clone(),
            pdf::Document::Report,
        ),
    ];
    if let Some(changes) = changes {
        jobs.push((
            "changes.pdf".into(),
            reference.clone(),
            pdf::Document::Changes(changes),
        ));
    }
    for env in playbook.engagement.customer_environments() {
        if Some(&env.name) != reference.environment.as_ref() {
            jobs.push((
                format!("{}.pdf", env.slug),
                playbook.for_environment(Some(env)),
                pdf::Document::Playbook,
            ));
        }
    }
    let highlighter = highlight::Highlighter::default();
    let results = crate::parallel::parallel_map_each(&jobs, |(_, copy, document)| {
        pdf::render(copy, *document, theme, &highlighter)
    });
    for ((name, _, _), bytes) in jobs.iter().zip(results) {
        site.insert(format!("{folder}/{name}"), bytes?);
    }
    Ok(())
}
