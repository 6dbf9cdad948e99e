//! A reviewer's tracked edits: one request per reviewer per paragraph.

use super::{Context, words};
use crate::diagnostic::Diagnostics;
use crate::load::docx::{Paragraph, Reviewed, Revision};
use crate::model::review::{ChangeRequest, RequestKind};

impl Context<'_> {
    /// One request per reviewer who tracked edits in `paragraph`.
    pub(super) fn edits(
        &self,
        paragraph: &Paragraph,
        reviewed: &Reviewed,
        diags: &mut Diagnostics,
    ) -> Vec<ChangeRequest> {
        let mut reviewers: Vec<&Revision> = Vec::new();
        let revisions = paragraph
            .pieces
            .iter()
            .filter_map(|p| p.revision.as_ref())
            .chain(&paragraph.mark);
        for r in revisions.filter(|r| !reviewed.is_upbooks(r)) {
            if !reviewers.iter().any(|x| x.author == r.author) {
                reviewers.push(r);
            }
        }
        let original = |r: Option<&Revision>| match r {
            None => true,
            Some(r) if reviewed.is_upbooks(r) => r.inserted,
            Some(r) => !r.inserted,
        };
        let mut out = Vec::new();
        for reviewer in reviewers {
            let author = reviewer.author.as_str();
            let said = words::edits(
                paragraph,
                &|r| r.author == author && !reviewed.is_upbooks(r),
                &original,
            );
            if said.is_empty() || self.split_before_new(paragraph, reviewed, author) {
                continue;
            }
            let Some((place, step)) = self.place(paragraph) else {
                diags.push(self.error(paragraph.number, format!("{author}'s edit is outside every section of the playbook")).with_hint("requests are raised on a section; track the edit in a section's text, or comment there instead"));
                continue;
            };
            let dates = paragraph
                .pieces
                .iter()
                .filter_map(|p| p.revision.as_ref())
                .chain(&paragraph.mark)
                .filter(|r| r.author == author && !reviewed.is_upbooks(r))
                .map(|r| r.date.as_deref());
            let Some(date) = self.earliest(paragraph.number, author, dates, diags) else {
                continue;
            };
            if author.is_empty() {
                diags.push(self.error(paragraph.number, "the edit names no author").with_hint(
                    "set your name in Word (File > Options > General > User name) and track the edit again",
                ));
                continue;
            }
            let request = words::edit_request(&place.title, step, &said);
            out.push(self.request(place, author, date, RequestKind::Change, request));
        }
        out
    }

    /// Pressing Enter marks the paragraph mark before the new paragraph
    /// as inserted: the new paragraph's own request says it all.
    fn split_before_new(&self, paragraph: &Paragraph, reviewed: &Reviewed, author: &str) -> bool {
        let only_the_mark = paragraph
            .mark
            .as_ref()
            .is_some_and(|m| m.inserted && m.author == author)
            && !paragraph.pieces.iter().any(|p| {
                p.revision
                    .as_ref()
                    .is_some_and(|r| r.author == author && !reviewed.is_upbooks(r))
            });
        only_the_mark
            && reviewed
                .body
                .paragraphs
                .get(paragraph.number)
                .is_some_and(|next| {
                    next.pieces.iter().any(|p| {
                        p.revision
                            .as_ref()
                            .is_some_and(|r| r.author == author && r.inserted)
                    })
                })
    }
}
