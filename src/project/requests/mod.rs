//! `upbook requests`: the customer's side of the review. `import` takes a
//! file of requests saved from a released version's pages (or written by
//! hand), or a released .docx the reviewer edited in Word ([`docx`] says
//! what its edits and comments become), checks each against the release,
//! and appends them to `content/reviews/change-requests.yaml` with the
//! next free ids, leaving the file's own text and comments as they were
//! ([`file`] says how).
//! The project lock is held from reading the file to writing it, so
//! imports at once take turns. `list` shows them.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile, did_you_mean};
use crate::load::CHANGE_REQUESTS;
use crate::load::yaml::{self, Spanned};
use crate::model::release::Release;
use crate::model::review::{ChangeRequest, RequestKind, RequestStatus};
use crate::snapshot;

mod docx;
mod file;

pub use file::{STAGED, scalar, to_yaml};

const WHAT: &str =
    "a list of change requests (raised_against, section, raised_by, date, kind, request, status)";

/// A request as a reviewer's file holds it: no id yet.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Incoming {
    #[serde(default)]
    id: Option<String>,
    raised_against: Spanned<String>,
    section: Spanned<String>,
    raised_by: Spanned<String>,
    date: Spanned<String>,
    kind: RequestKind,
    request: Spanned<String>,
    #[serde(default = "open")]
    status: RequestStatus,
    /// The copy it was raised on, and the section's steps as that copy
    /// numbers them.
    #[serde(default)]
    copy: Option<String>,
    #[serde(default)]
    steps: Option<String>,
    #[serde(default)]
    comments: Vec<crate::load::change_requests::RawComment>,
}

fn open() -> RequestStatus {
    RequestStatus::Open
}

/// What an import did.
pub struct Imported {
    /// The ids given to the requests added, in order.
    pub added: Vec<String>,
    /// Requests the project already had.
    pub already_there: usize,
}

/// What the reviewer sent: requests saved from the pages (YAML), or a
/// released .docx they edited in Word.
enum Sent {
    Yaml(SourceFile, Vec<Incoming>),
    Docx(crate::load::docx::Reviewed),
}

/// Checks every request in `file` and appends those the project does not
/// have yet. Writes nothing if any request has a problem.
pub fn import(root: &Path, file: &Path) -> Result<Imported, Diagnostics> {
    let mut diags = Diagnostics::default();
    let sent = read(file)?;

    // Held from reading the requests there to writing the new file, so
    // two imports at once number their requests one after the other.
    let lock = super::lock::lock(root).map_err(Diagnostics::from)?;
    lock.tidy(root, None);
    let releases = snapshot::read_all(root, &mut diags);
    let (text, existing) = existing(root, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let incoming: Vec<ChangeRequest> = match &sent {
        Sent::Yaml(source, incoming) => incoming
            .iter()
            .filter_map(|r| check(r, &releases, source, &mut diags))
            .collect(),
        Sent::Docx(reviewed) => docx::requests(file, reviewed, &releases, &existing, &mut diags),
    };
    let mut added: Vec<ChangeRequest> = Vec::new();
    let mut already_there = 0;
    let mut next = next_number(&existing);
    // A reviewed .docx of a large playbook can hold thousands of edits:
    // looked up, not compared with each request there.
    let mut seen: std::collections::HashSet<Identity> = existing.iter().map(identity).collect();
    for request in incoming {
        if !seen.insert(identity(&request)) {
            already_there += 1;
            continue;
        }
        added.push(ChangeRequest {
            id: format!("CR-{next:03}"),
            ..request
        });
        next += 1;
    }
    if diags.has_errors() {
        return Err(diags);
    }
    if !added.is_empty() {
        file::add(root, text.as_deref(), &existing, &added).map_err(Diagnostics::from)?;
    }
    Ok(Imported {
        added: added.into_iter().map(|r| r.id).collect(),
        already_there,
    })
}

/// Reads the file the reviewer sent: a .docx (by its name or its zip
/// signature), else a YAML list of requests.
fn read(file: &Path) -> Result<Sent, Diagnostics> {
    let is_docx = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let mut head = [0u8; 4];
    let zipped = std::fs::File::open(file)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && head == *b"PK\x03\x04";
    if is_docx || zipped {
        return crate::load::docx::read(file)
            .map(Sent::Docx)
            .map_err(Diagnostics::from);
    }
    let bytes = std::fs::read(file).map_err(|e| {
        Diagnostics::from(Diagnostic::error(format!(
            "cannot read {}: {e}",
            file.display()
        )))
    })?;
    let source = SourceFile::from_bytes(file, bytes).map_err(Diagnostics::from)?;
    let incoming: Vec<Incoming> =
        yaml::parse(&source, &source.text, 0, WHAT).map_err(Diagnostics::from)?;
    Ok(Sent::Yaml(source, incoming))
}

/// One incoming request, checked against the release it was raised on.
fn check(
    r: &Incoming,
    releases: &[Release],
    source: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<ChangeRequest> {
    let errors = diags.errors().count();
    raised_against_a_release(r, releases, source, diags);
    for (value, what) in [(&r.raised_by, "who raised it"), (&r.request, "the request")] {
        if value.value.trim().is_empty() {
            diags.push(source.error(value, format!("{what} is empty")));
        }
    }
    let date = diags.take(yaml::date(source, &r.date));
    let comments =
        crate::load::change_requests::comments(source, &r.comments, diags).unwrap_or_default();
    if diags.errors().count() > errors {
        return None;
    }
    Some(ChangeRequest {
        id: r.id.clone().unwrap_or_default(),
        raised_against: r.raised_against.value.clone(),
        section: r.section.value.clone(),
        raised_by: r.raised_by.value.trim().to_string(),
        date: date?,
        kind: r.kind,
        request: r.request.value.trim().to_string(),
        status: r.status,
        resolution: None,
        applied_in: None,
        copy: r.copy.clone(),
        steps: r.steps.clone(),
        comments,
    })
}

/// The release a request names exists and has the section it names.
fn raised_against_a_release(
    r: &Incoming,
    releases: &[Release],
    source: &SourceFile,
    diags: &mut Diagnostics,
) {
    let Some(release) = releases
        .iter()
        .find(|x| x.version == r.raised_against.value)
    else {
        let known: Vec<&str> = releases.iter().map(|x| x.version.as_str()).collect();
        let message = format!("there is no release {}", r.raised_against.value);
        diags.push(
            source
                .error(&r.raised_against, message)
                .with_hint(if known.is_empty() {
                    "requests are raised against a released version; this project has none yet"
                        .into()
                } else {
                    format!("releases: {}", known.join(", "))
                }),
        );
        return;
    };
    if !release.playbook.sections().any(|s| s.id == r.section.value) {
        let ids = release.playbook.sections().map(|s| s.id.as_str());
        let message = format!(
            "release {} has no section `{}`",
            release.version, r.section.value
        );
        let mut d = source.error(&r.section, message);
        if let Some(hint) = did_you_mean(&r.section.value, ids) {
            d = d.with_hint(hint);
        }
        diags.push(d);
    }
}

/// What makes a request the same one, imported before: the same words
/// from the same person about the same section of the same version.
type Identity = (String, String, String, time::Date, &'static str, String);

fn identity(r: &ChangeRequest) -> Identity {
    (
        r.raised_against.clone(),
        r.section.clone(),
        r.raised_by.clone(),
        r.date,
        r.kind.label(),
        r.request.clone(),
    )
}

/// The requests file's text (none when there is no file) and requests.
fn existing(root: &Path, diags: &mut Diagnostics) -> (Option<String>, Vec<ChangeRequest>) {
    if !root.join(CHANGE_REQUESTS).is_file() {
        return (None, Vec::new());
    }
    let Some(file) = diags.take(SourceFile::read(root, Path::new(CHANGE_REQUESTS))) else {
        return (None, Vec::new());
    };
    let requests = crate::load::change_requests::load(&file, diags)
        .map(|all| all.into_iter().map(|l| l.request).collect())
        .unwrap_or_default();
    (Some(file.text), requests)
}

/// The number after the highest `CR-NNN` in use.
fn next_number(existing: &[ChangeRequest]) -> u32 {
    existing
        .iter()
        .filter_map(|r| r.id.strip_prefix("CR-")?.parse::<u32>().ok())
        .max()
        .map_or(1, |n| n + 1)
}

/// The project's change requests, for `requests list`.
pub fn list(root: &Path) -> Result<Vec<ChangeRequest>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let (_, requests) = existing(root, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(requests)
}
