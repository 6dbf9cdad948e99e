//! The change views: what changed between consecutive versions, computed
//! before rendering so every backend only draws it.

use std::path::Path;

use super::check::{Checked, check_cached};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::Playbook;
use crate::model::release::Release;

/// What changed since `previous`, if there is one: the change view every
/// version after the first carries. Computed here, before rendering, so
/// the backends only draw it.
pub fn changes_since(
    previous: Option<&Release>,
    playbook: &Playbook,
) -> Option<crate::changes::Changes> {
    previous.map(|p| crate::changes::compare(&p.playbook.reference(), &playbook.reference()))
}

/// Every change view a build of `draft` and `releases` shows.
pub fn changes_by_version(
    draft: &Playbook,
    releases: &[Release],
) -> crate::render::ChangesByVersion {
    crate::render::ChangesByVersion {
        draft: changes_since(releases.last(), draft),
        releases: releases
            .iter()
            .enumerate()
            .map(|(i, r)| changes_since(i.checked_sub(1).map(|p| &releases[p]), &r.playbook))
            .collect(),
    }
}

/// The changes between two versions of a project: `from` defaults to the
/// last release, `to` to the draft (also named `draft`).
pub fn changes(
    root: &Path,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<crate::changes::Changes, Diagnostics> {
    let to = to.unwrap_or("draft");
    let mut diags = Diagnostics::default();
    // One cache: checking the draft loads the releases beside the notes,
    // and the releases are then taken from it rather than read again.
    let mut cache = load::Cache::once();
    let draft = (from == Some("draft") || to == "draft").then(|| {
        let (checked, found) = check_cached(root, &mut cache);
        diags.extend(found.items.into_iter().filter(Diagnostic::is_error));
        checked
    });
    let mut release_diags = Diagnostics::default();
    let releases = cache.releases(root, &mut release_diags);
    if draft.is_none() {
        diags.extend(release_diags.items);
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let from = match from {
        Some(v) => v,
        None => match releases.last() {
            Some(r) => r.version.as_str(),
            None => {
                diags.push(
                    Diagnostic::error("there is no release to compare with")
                        .with_hint("make one with `upbook release VERSION`"),
                );
                return Err(diags);
            }
        },
    };
    let draft = draft.flatten();
    let old = pick(from, draft.as_ref(), &releases, &mut diags);
    let new = pick(to, draft.as_ref(), &releases, &mut diags);
    let (Some(old), Some(new)) = (old, new) else {
        return Err(diags);
    };
    let (old, new) = rayon::join(|| old.reference(), || new.reference());
    let changes = crate::changes::compare(&old, &new);
    // Freeing two playbooks' worth of small allocations takes longer than
    // comparing them; the answer need not wait for it.
    rayon::spawn(move || drop((old, new, draft, releases, cache)));
    Ok(changes)
}

/// The version named `version`: `draft` (when it checked) or a release.
fn pick<'a>(
    version: &str,
    draft: Option<&'a Checked>,
    releases: &'a [Release],
    diags: &mut Diagnostics,
) -> Option<&'a Playbook> {
    if version == "draft" {
        return draft.map(|c| &c.draft);
    }
    let found = releases.iter().find(|r| r.version == version);
    if found.is_none() {
        let known: Vec<&str> = releases.iter().map(|r| r.version.as_str()).collect();
        diags.push(
            Diagnostic::error(format!("there is no release {version}")).with_hint(
                if known.is_empty() {
                    "make one with `upbook release VERSION`".to_string()
                } else {
                    format!("releases: {}", known.join(", "))
                },
            ),
        );
    }
    found.map(|r| &r.playbook)
}
