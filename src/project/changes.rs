//! The redlines: what changed between consecutive versions, computed
//! before rendering so every backend only draws it.

use std::path::Path;

use super::check_cached;
use crate::diagnostic::{self, Diagnostics};
use crate::model::Playbook;
use crate::model::release::Release;
use crate::{diff, load};

/// What changed since `previous`, if there is one: the redline every
/// version after the first carries. Computed here, before rendering, so
/// the backends only draw it.
pub fn changes_since(previous: Option<&Release>, playbook: &Playbook) -> Option<diff::Changes> {
    previous.map(|p| diff::compare(&p.playbook.reference(), &playbook.reference()))
}

/// Every redline a build of `draft` and `releases` shows.
pub fn redlines(draft: &Playbook, releases: &[Release]) -> crate::render::Redlines {
    crate::render::Redlines {
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
) -> Result<diff::Changes, Diagnostics> {
    let mut diags = Diagnostics::default();
    // One cache, so checking the draft does not load the releases again.
    let mut cache = load::Cache::default();
    let releases = cache.releases(root, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let mut pick = |version: &str, diags: &mut Diagnostics| -> Option<Playbook> {
        if version == "draft" {
            let (checked, found) = check_cached(root, &mut cache);
            diags.extend(
                found
                    .items
                    .into_iter()
                    .filter(diagnostic::Diagnostic::is_error),
            );
            return checked.map(|c| c.draft);
        }
        let found = releases
            .iter()
            .find(|r| r.version == version)
            .map(|r| r.playbook.clone());
        if found.is_none() {
            let known: Vec<&str> = releases.iter().map(|r| r.version.as_str()).collect();
            diags.push(
                diagnostic::Diagnostic::error(format!("there is no release {version}")).with_hint(
                    if known.is_empty() {
                        "make one with `upbook release VERSION`".to_string()
                    } else {
                        format!("releases: {}", known.join(", "))
                    },
                ),
            );
        }
        found
    };
    let from = match from {
        Some(v) => v.to_string(),
        None => match releases.last() {
            Some(r) => r.version.clone(),
            None => {
                diags.push(
                    diagnostic::Diagnostic::error("there is no release to compare with")
                        .with_hint("make one with `upbook release VERSION`"),
                );
                return Err(diags);
            }
        },
    };
    let to = to.unwrap_or("draft").to_string();
    let old = pick(&from, &mut diags);
    let new = pick(&to, &mut diags);
    match (old, new) {
        (Some(old), Some(new)) if !diags.has_errors() => {
            Ok(diff::compare(&old.reference(), &new.reference()))
        }
        _ => Err(diags),
    }
}
