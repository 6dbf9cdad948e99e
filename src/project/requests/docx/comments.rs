//! Comments: one request each; replies join the discussion of the
//! request their comment made, or, on a comment upbook wrote for a
//! request (`[CR-002] …`), are a new clarification.

use std::collections::BTreeMap;

use super::{Context, QUOTE_CHARS, words};
use crate::diagnostic::Diagnostics;
use crate::load::docx::{Reviewed, WordComment};
use crate::model::review::{ChangeRequest, Comment, RequestKind};

impl Context<'_> {
    /// A request per comment; a reply to one of upbook's comments (the
    /// request it shows) is a new one, a reply to a reviewer's comment
    /// joins that request's discussion.
    pub(super) fn comments(
        &self,
        reviewed: &Reviewed,
        existing: &[ChangeRequest],
        out: &mut Vec<ChangeRequest>,
        diags: &mut Diagnostics,
    ) {
        let by_id: BTreeMap<&str, &WordComment> = reviewed
            .comments
            .iter()
            .map(|c| (c.id.as_str(), c))
            .collect();
        let upbooks = |c: &WordComment| known_id(&c.text, existing);
        // Comment id → index in `out` of the request it made.
        let mut made: BTreeMap<&str, usize> = BTreeMap::new();
        let mut replies = Vec::new();
        for c in &reviewed.comments {
            let parent = c.parent.as_deref().and_then(|p| by_id.get(p).copied());
            if c.done || parent.is_some_and(|p| p.done) || upbooks(c).is_some() {
                continue;
            }
            if let Some(parent) = parent.filter(|p| upbooks(p).is_none()) {
                replies.push((parent.id.as_str(), c));
                continue;
            }
            let anchor = reviewed
                .body
                .anchors
                .get(&c.id)
                .or_else(|| parent.and_then(|p| reviewed.body.anchors.get(&p.id)));
            let number = anchor.map_or(0, |a| a.paragraph);
            let paragraph = reviewed.body.paragraphs.get(number.wrapping_sub(1));
            let Some(date) =
                self.earliest(number, &c.author, [c.date.as_deref()].into_iter(), diags)
            else {
                continue;
            };
            let reply_on = parent.and_then(&upbooks);
            // A reply on a request belongs to that request's section.
            let place = reply_on
                .and_then(|id| existing.iter().find(|r| r.id == id))
                .and_then(|r| {
                    self.sections
                        .values()
                        .find(|p| p.id == r.section)
                        .map(|p| (p, None))
                })
                .or_else(|| paragraph.and_then(|p| self.place(p)));
            let Some((place, step)) = place else {
                diags.push(
                    self.error(
                        number,
                        format!(
                            "{}'s comment is outside every section of the playbook",
                            c.author
                        ),
                    )
                    .with_hint("requests are raised on a section: comment on a section's text"),
                );
                continue;
            };
            if c.author.is_empty() || c.text.is_empty() {
                diags.push(self.error(number, "a comment with no author or no text").with_hint("set your name in Word (File > Options > General > User name) and write the comment again"));
                continue;
            }
            let request = match reply_on {
                Some(id) => words::reply_request(id, &c.text),
                None => {
                    let quoted = anchor
                        .map(|a| a.quoted.trim())
                        .filter(|q| !q.is_empty() && q.chars().count() <= QUOTE_CHARS);
                    words::comment_request(&place.title, step, quoted, &c.text)
                }
            };
            made.insert(c.id.as_str(), out.len());
            out.push(self.request(place, &c.author, date, RequestKind::Clarification, request));
        }
        for (parent, reply) in replies {
            let Some(&index) = made.get(parent) else {
                continue;
            };
            let Some(date) =
                self.earliest(0, &reply.author, [reply.date.as_deref()].into_iter(), diags)
            else {
                continue;
            };
            out[index].comments.push(Comment {
                by: reply.author.clone(),
                date,
                text: reply.text.clone(),
            });
        }
    }
}

/// The id a comment upbook wrote starts with (`[CR-002] …`), when the
/// project has that request.
fn known_id<'e>(text: &str, existing: &'e [ChangeRequest]) -> Option<&'e str> {
    let id = text.strip_prefix('[')?.split_once(']')?.0;
    existing.iter().find(|r| r.id == id).map(|r| r.id.as_str())
}
