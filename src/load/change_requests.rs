//! `content/reviews/change-requests.yaml`. Section references are checked
//! once the playbook's sections are known (see `load::assemble`).

use std::collections::BTreeSet;

use serde::Deserialize;

use super::yaml::{self, Spanned};
use crate::diagnostic::Diagnostics;
use crate::diagnostic::SourceFile;
use crate::model::engagement::iso_date;
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
    let mut ok = true;
    let mut out = Vec::new();
    for c in raw {
        match iso_date::parse(&c.date.value) {
            Ok(date) => out.push(Comment {
                by: c.by.clone(),
                date,
                text: c.text.clone(),
            }),
            Err(message) => {
                diags.push(yaml::error_at(file, &c.date, 0, message));
                ok = false;
            }
        }
    }
    ok.then_some(out)
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
    let mut ok = true;
    let mut ids = BTreeSet::new();
    let mut out = Vec::new();
    for r in raw {
        if !ids.insert(r.id.value.clone()) {
            diags.push(yaml::error_at(
                file,
                &r.id,
                0,
                format!("change request `{}` is listed twice", r.id.value),
            ));
            ok = false;
        }
        let date = match iso_date::parse(&r.date.value) {
            Ok(d) => d,
            Err(message) => {
                diags.push(yaml::error_at(file, &r.date, 0, message));
                ok = false;
                continue;
            }
        };
        if r.status.value == RequestStatus::Applied && r.applied_in.is_none() {
            diags.push(
                yaml::error_at(
                    file,
                    &r.status,
                    0,
                    format!(
                        "change request `{}` is applied but does not say in which version",
                        r.id.value
                    ),
                )
                .with_hint("add `applied_in: \"1.1\"`"),
            );
            ok = false;
        }
        let comments = comments(file, &r.comments, diags).unwrap_or_else(|| {
            ok = false;
            Vec::new()
        });
        out.push(LoadedRequest {
            section_at: yaml::position(&r.section, 0),
            raised_against_at: yaml::position(&r.raised_against, 0),
            status_at: yaml::position(&r.status, 0),
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
        });
    }
    ok.then_some(out)
}
