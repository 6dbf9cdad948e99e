//! `upbook release`: freeze the draft as `releases/VERSION/`, so editing
//! notes, upgrading upbook's built-in process or changing the theme never
//! changes a delivered version.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::release::Acceptance;
use crate::model::version::Version;
use crate::snapshot::{self, RELEASES};

#[derive(Default)]
pub struct ReleaseOptions {
    /// Mark the release final, accepted by this person.
    pub accepted_by: Option<String>,
    /// The day they accepted it (default: the release date).
    pub accepted_on: Option<time::Date>,
    /// Where the acceptance is recorded.
    pub reference: Option<String>,
    /// Allow a release after a final one.
    pub after_final: bool,
    /// Make a final release while requests or findings are still open.
    pub accept_open: bool,
}

/// Freezes the draft as `version`. Refuses a version that exists, one not
/// greater than the last, and a draft with errors.
pub fn create(
    root: &Path,
    version: &str,
    options: &ReleaseOptions,
) -> Result<PathBuf, Diagnostics> {
    let Some(number) = Version::parse(version) else {
        return Err(Diagnostics::from(
            Diagnostic::error(format!("`{version}` is not a version"))
                .with_hint("use numbers separated by dots, e.g. 1.0 or 1.1"),
        ));
    };
    // Held from the check to the write: two releases at once would both
    // find their version free and greater than the last.
    let lock = super::lock::lock(root).map_err(Diagnostics::from)?;
    lock.tidy(root, None);
    let (checked, mut diags) = super::check::check(root);
    let Some(checked) = checked else {
        diags.push(Diagnostic::error(format!(
            "the draft has errors, so it cannot be released as {version}"
        )));
        return Err(diags);
    };
    let existing = &checked.releases;
    if existing.iter().any(|r| r.version == version) {
        return Err(Diagnostics::from(
            Diagnostic::error(format!(
                "release {version} exists already in {RELEASES}/{version}"
            ))
            .with_hint("releases are frozen; choose the next version number"),
        ));
    }
    if let Some(last) = existing.last() {
        if Version::parse(&last.version).is_some_and(|l| number <= l) {
            return Err(Diagnostics::from(Diagnostic::error(format!(
                "release {version} is not greater than the last release, {}",
                last.version
            ))));
        }
        if last.acceptance.is_some() && !options.after_final {
            return Err(Diagnostics::from(
                Diagnostic::error(format!(
                    "release {} is final; a later release needs --after-final",
                    last.version
                ))
                .with_hint("the customer signed off on it; say so explicitly to go on"),
            ));
        }
    }
    if options.accepted_by.is_some() && !options.accept_open {
        let open = still_open(&checked.draft);
        if !open.is_empty() {
            return Err(Diagnostics::from(
                Diagnostic::error(format!(
                    "release {version} cannot be final while these are open: {}",
                    open.join(", ")
                ))
                .with_hint(
                    "resolve them first, or add --accept-open if the customer accepts \
                    the version with them open (the report lists them as carried over)",
                ),
            ));
        }
    }
    let theme = checked.theme;
    let mut playbook = checked.draft;
    let date =
        crate::model::source_date().unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    playbook.version = version.to_string();
    playbook.date = Some(date);
    playbook.accepted_by = options.accepted_by.clone();
    if playbook.accepted_by.is_some() {
        playbook.accepted_on = Some(options.accepted_on.unwrap_or(date));
        playbook.acceptance_reference = options.reference.clone();
    }
    if options.accepted_by.is_some() {
        // Delivered today: on-call support runs from here, not the plan.
        playbook.schedule = crate::model::schedule::plan(
            &playbook.engagement,
            &playbook.process,
            &playbook.run,
            Some(date),
        );
    }

    let acceptance = options.accepted_by.clone().map(|accepted_by| Acceptance {
        accepted_by,
        accepted_on: Some(options.accepted_on.unwrap_or(date)),
        reference: options.reference.clone(),
    });
    snapshot::write(root, &playbook, &theme, date, acceptance).map_err(Diagnostics::from)
}

/// The change requests and findings a final version would carry over
/// unresolved, by id.
fn still_open(draft: &crate::model::Playbook) -> Vec<String> {
    use crate::model::review::RequestStatus;
    let requests = draft
        .change_requests
        .iter()
        .filter(|r| matches!(r.status, RequestStatus::Open | RequestStatus::Agreed))
        .map(|r| format!("request {}", r.id));
    let findings = draft
        .run
        .open_findings()
        .map(|f| format!("finding {}", f.id));
    requests.chain(findings).collect()
}
