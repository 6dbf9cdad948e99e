//! `content/reviews/change-requests.yaml`. Section references are checked
//! once the playbook's sections are known (see `load::assemble`).

use serde::Deserialize;

use super::yaml::{self, Spanned};
use crate::diagnostic::{Diagnostics, Located, SourceFile};
use crate::model::review::{ChangeRequest, Comment, RequestKind, RequestStatus};

const WHAT: &str = "a list of change requests (id, raised_against, section, raised_by, date, kind, request, status, and optionally resolution, applied_in, comments)";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequest {
    id: Spanned<String>,
    raised_against: Spanned<String>,
    section: Spanned<String>,
    raised_by: String,
    date: Spanned<String>,
    kind: RequestKind,
    request: String,
    status: Spanned<RequestStatus>,
    #[serde(default)]
    resolution: Option<String>,
    #[serde(default)]
    applied_in: Option<String>,
    #[serde(default)]
    copy: Option<String>,
    #[serde(default)]
    steps: Option<String>,
    #[serde(default)]
    comments: Vec<RawComment>,
}

/// A comment as a requests file holds it; also read by `requests import`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawComment {
    by: String,
    date: Spanned<String>,
    text: String,
}

/// The comments of one request, each date checked where it is written.
/// `None` when a date is wrong (reported in `diags`).
pub fn comments(
    file: &SourceFile,
    raw: &[RawComment],
    diags: &mut Diagnostics,
) -> Option<Vec<Comment>> {
    let read: Vec<Option<Comment>> = raw
        .iter()
        .map(|c| {
            Some(Comment {
                by: c.by.clone(),
                date: diags.take(yaml::date(file, &c.date))?,
                text: c.text.clone(),
            })
        })
        .collect();
    read.into_iter().collect()
}

/// A change request with the positions later checks point at.
pub struct LoadedRequest {
    pub request: ChangeRequest,
    pub section_at: (usize, usize),
    pub raised_against_at: (usize, usize),
    pub status_at: (usize, usize),
}

pub fn load(file: &SourceFile, diags: &mut Diagnostics) -> Option<Vec<LoadedRequest>> {
    if yaml::only_comments(&file.text) {
        // No requests yet: the file may exist with only comments.
        return Some(Vec::new());
    }
    let raw: Vec<RawRequest> = diags.take(yaml::parse(file, &file.text, 0, WHAT))?;
    let before = diags.items.len();
    let mut ids = yaml::Ids::default();
    let mut out = Vec::new();
    for r in raw {
        diags.take(ids.check(file, "change request", &r.id));
        let Some(date) = diags.take(yaml::date(file, &r.date)) else {
            continue;
        };
        applied_says_where(file, &r, diags);
        let comments = comments(file, &r.comments, diags).unwrap_or_default();
        out.push(request(r, date, comments));
    }
    (diags.items.len() == before).then_some(out)
}

/// An applied request names the version it was applied in.
fn applied_says_where(file: &SourceFile, r: &RawRequest, diags: &mut Diagnostics) {
    if r.status.value == RequestStatus::Applied && r.applied_in.is_none() {
        let message = format!(
            "change request `{}` is applied but does not say in which version",
            r.id.value
        );
        diags.push(
            file.error(&r.status, message)
                .with_hint("add `applied_in: \"1.1\"`"),
        );
    }
}

fn request(r: RawRequest, date: time::Date, comments: Vec<Comment>) -> LoadedRequest {
    LoadedRequest {
        section_at: r.section.line_col(),
        raised_against_at: r.raised_against.line_col(),
        status_at: r.status.line_col(),
        request: ChangeRequest {
            id: r.id.value,
            raised_against: r.raised_against.value,
            section: r.section.value,
            raised_by: r.raised_by,
            date,
            kind: r.kind,
            request: r.request,
            status: r.status.value,
            resolution: r.resolution,
            applied_in: r.applied_in,
            copy: r.copy,
            steps: r.steps,
            comments,
        },
    }
}
