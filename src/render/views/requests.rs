//! Change requests as templates see them: the request, where it points
//! in this copy, and the thread of comments under it.

use crate::strings::Strings;
use serde::Serialize;

use super::Fill;
use crate::model::Playbook;
use crate::model::engagement::iso;

#[derive(Serialize)]
pub struct RequestView {
    pub id: String,
    pub raised_against: String,
    pub section: String,
    pub section_title: Option<String>,
    pub raised_by: String,
    pub date: String,
    pub kind: String,
    pub request: String,
    pub status: String,
    pub status_class: String,
    pub resolution: Option<String>,
    pub applied_in: Option<String>,
    pub comments: Vec<CommentView>,
}

#[derive(Serialize, Clone, Debug)]
pub struct CommentView {
    pub by: String,
    pub date: String,
    pub text: String,
}

impl CommentView {
    pub fn of(comments: &[crate::model::review::Comment]) -> Vec<CommentView> {
        comments
            .iter()
            .map(|c| CommentView {
                by: c.by.clone(),
                date: iso(c.date),
                text: c.text.clone(),
            })
            .collect()
    }
}

pub(super) fn view(playbook: &Playbook, fill: Fill, strings: &Strings) -> Vec<RequestView> {
    playbook
        .change_requests
        .iter()
        .map(|r| RequestView {
            id: r.id.clone(),
            raised_against: r.raised_against.clone(),
            section: r.section.clone(),
            section_title: fill.section_title(playbook, &r.section),
            raised_by: r.raised_by.clone(),
            date: iso(r.date),
            kind: strings.name("request_kind", r.kind.label()),
            request: r.request.clone(),
            status: strings.name("request_status", r.status.label()),
            status_class: r.status.label().to_ascii_lowercase(),
            resolution: r.resolution.clone(),
            applied_in: r.applied_in.clone(),
            comments: CommentView::of(&r.comments),
        })
        .collect()
}
