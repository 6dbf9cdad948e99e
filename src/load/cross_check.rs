//! Rules that need more than one file: section ids unique across the
//! playbook, note phases naming process activities, a point of no return
//! with a back-out plan to go to, change requests naming real sections
//! and versions, the run naming real activities, sections and
//! environments.

use std::collections::BTreeMap;

use super::change_requests::LoadedRequest;
use super::notes::LoadedSection;
use super::run::LoadedRun;
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile, did_you_mean};
use crate::model::engagement::Engagement;
use crate::model::process::Process;
use crate::model::release::Release;
use crate::model::version::Version;

/// The rules between sections and requests. Run even when the engagement
/// failed, so `check` reports every problem at once.
pub(super) fn check(
    releases: &[Release],
    notes: &[LoadedSection],
    process_text: &[LoadedSection],
    process: Option<&Process>,
    requests: Option<&[LoadedRequest]>,
    requests_file: Option<&SourceFile>,
    diags: &mut Diagnostics,
) {
    // A note that failed to load would make every request against it look
    // dangling; report those only when all sections are known.
    let all_sections_loaded = !diags.has_errors();
    let sections = section_ids(notes, process_text, process, diags);
    point_of_no_return(notes, diags);
    if let (Some(requests), Some(file)) = (requests, requests_file)
        && all_sections_loaded
    {
        change_requests(releases, requests, file, &sections, diags);
    }
}

/// The run's findings and tests name activities, sections and
/// environments that must exist.
pub(super) fn run(
    run: &LoadedRun,
    process: Option<&Process>,
    notes: &[LoadedSection],
    engagement: Option<&Engagement>,
    diags: &mut Diagnostics,
) {
    let activities: Vec<&str> = process
        .iter()
        .flat_map(|p| p.activities().map(|a| a.id.as_str()))
        .collect();
    let sections: Vec<&str> = notes.iter().map(|n| n.section.id.as_str()).collect();
    let environments: Vec<&str> = engagement
        .iter()
        .flat_map(|e| e.environments.iter().map(|env| env.name.as_str()))
        .collect();
    run.check_references(&activities, &sections, &environments, diags);
}

/// Every section id, with where it comes from: the playbook's own parts,
/// then each note and process text file. Reports ids used twice and
/// phases that name no activity.
fn section_ids(
    notes: &[LoadedSection],
    process_text: &[LoadedSection],
    process: Option<&Process>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let activity_ids: Vec<&str> = process
        .map(|p| p.activities().map(|a| a.id.as_str()).collect())
        .unwrap_or_default();
    let own = crate::model::FRONT_SECTIONS
        .iter()
        .chain(&[crate::model::KNOWN_ISSUES])
        .chain(crate::model::PART_IDS)
        .map(|id| id.to_string())
        // Each phase's heading is anchored `phase-ACTIVITY`.
        .chain(activity_ids.iter().map(|a| format!("phase-{a}")));
    let mut seen: BTreeMap<String, String> = own
        .map(|id| (id, "the playbook's own sections".to_string()))
        .collect();
    for (loaded, is_note) in notes
        .iter()
        .map(|n| (n, true))
        .chain(process_text.iter().map(|n| (n, false)))
    {
        let section = &loaded.section;
        let origin = &loaded.origin;
        if let Some(first) = seen.get(&section.id) {
            diags.push(
                origin
                    .file
                    .error(
                        origin.id_at,
                        format!("section id `{}` is already used by {first}", section.id),
                    )
                    .with_hint("give this note its own `id:` in the front matter"),
            );
            continue;
        }
        seen.insert(section.id.clone(), section.source.clone());
        let phase = section.phase.as_deref().unwrap_or_default();
        if is_note
            && process.is_some()
            && phase != crate::model::document::BACK_OUT
            && !activity_ids.contains(&phase)
        {
            let hint = did_you_mean(phase, activity_ids.iter().copied()).unwrap_or_else(|| {
                format!(
                    "phases are the process activities ({}) and `back-out` for the back-out plan",
                    activity_ids.join(", ")
                )
            });
            diags.push(
                origin
                    .file
                    .error(origin.phase_at, format!("unknown phase `{phase}`"))
                    .with_hint(hint),
            );
        }
    }
    seen
}

/// A point of no return points at the back-out plan: there must be one.
fn point_of_no_return(notes: &[LoadedSection], diags: &mut Diagnostics) {
    if notes.iter().any(|n| n.section.is_back_out()) {
        return;
    }
    for loaded in notes {
        if let Some((line, col)) = loaded.origin.no_return_at {
            diags.push(
                Diagnostic::error("a point of no return, but no back-out plan to point to")
                    .at(&loaded.origin.file, line, col)
                    .with_hint("write the back-out plan in notes with `phase: back-out`"),
            );
        }
    }
}

/// A request raised against a release must name a section of that
/// release, one raised against the draft a section of the draft;
/// `applied_in` must name a release or a version after the last.
fn change_requests(
    releases: &[Release],
    requests: &[LoadedRequest],
    file: &SourceFile,
    sections: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) {
    for loaded in requests {
        applied_in_a_version(releases, loaded, file, diags);
        match releases
            .iter()
            .find(|r| r.version == loaded.request.raised_against)
        {
            Some(release) => section_in_release(release, loaded, file, diags),
            None => {
                raised_against_no_release(releases, loaded, file, diags);
                section_in_draft(sections, loaded, file, diags);
            }
        }
    }
}

/// `applied_in` names a release, or a version after the last one.
fn applied_in_a_version(
    releases: &[Release],
    loaded: &LoadedRequest,
    file: &SourceFile,
    diags: &mut Diagnostics,
) {
    let Some(applied) = &loaded.request.applied_in else {
        return;
    };
    let last = releases.last().and_then(|r| Version::parse(&r.version));
    let known = releases.iter().any(|r| &r.version == applied);
    let later = match (Version::parse(applied), &last) {
        (Some(v), Some(last)) => &v > last,
        (Some(_), None) => true,
        (None, _) => false,
    };
    if !known && !later {
        let message = format!(
            "change request `{}` is applied in {applied}, which is neither a release nor the next version",
            loaded.request.id
        );
        diags.push(file.error(loaded.status_at, message));
    }
}

fn section_in_release(
    release: &Release,
    loaded: &LoadedRequest,
    file: &SourceFile,
    diags: &mut Diagnostics,
) {
    let request = &loaded.request;
    if !release.playbook.sections().any(|s| s.id == request.section) {
        let message = format!(
            "change request `{}` refers to section `{}`, which release {} does not have",
            request.id, request.section, release.version
        );
        diags.push(
            file.error(loaded.section_at, message)
                .with_hint("use the section's id as it was in the release the customer reviewed"),
        );
    }
}

/// `requests import` refuses such a request; check says the same.
fn raised_against_no_release(
    releases: &[Release],
    loaded: &LoadedRequest,
    file: &SourceFile,
    diags: &mut Diagnostics,
) {
    let request = &loaded.request;
    let message = format!(
        "change request `{}` is raised against release {}, which does not exist",
        request.id, request.raised_against
    );
    diags.push(
        file.error(loaded.raised_against_at, message)
            .with_hint(if releases.is_empty() {
                "requests are raised against a released version; this project has none yet \
                (`upbook release VERSION` makes one)"
                    .to_string()
            } else {
                let known: Vec<&str> = releases.iter().map(|r| r.version.as_str()).collect();
                format!("releases: {}", known.join(", "))
            }),
    );
}

fn section_in_draft(
    sections: &BTreeMap<String, String>,
    loaded: &LoadedRequest,
    file: &SourceFile,
    diags: &mut Diagnostics,
) {
    let request = &loaded.request;
    if sections.contains_key(&request.section) {
        return;
    }
    let hint =
        did_you_mean(&request.section, sections.keys().map(String::as_str)).unwrap_or_else(|| {
            "use the id of a section of the playbook (its slug, or `id:` in the note)".into()
        });
    let message = format!(
        "change request `{}` refers to section `{}`, which does not exist",
        request.id, request.section
    );
    diags.push(file.error(loaded.section_at, message).with_hint(hint));
}
