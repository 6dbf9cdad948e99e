//! `changes.docx`: every changed section of the version with the redline
//! as Word revisions (accept them all and the text is the new version's,
//! reject them all and it is the previous one's), and each change request
//! on a section as a comment on its heading, its resolution and
//! discussion as replies.

use super::blocks;
use super::body::{Body, Look, ParaLook, Revised};
use super::front;
use super::package;
use super::styles;
use super::words::word;
use super::xml::Xml;
use crate::changes::{Changes, Op, SectionChange, Status, UnitChange, UnitKind};
use crate::model::Playbook;
use crate::model::docx_names as names;
use crate::model::review::RequestStatus;
use crate::render::views;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W14: &str = "http://schemas.microsoft.com/office/word/2010/wordml";
const W15: &str = "http://schemas.microsoft.com/office/word/2012/wordml";
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Who the revisions are by and when: the file contract's
/// `UpbookAuthor` and `UpbookDate`.
pub struct Revision<'a> {
    pub author: &'a str,
    pub date: Option<String>,
}

/// One comment: a request, or a reply under one.
struct Comment {
    author: String,
    date: Option<String>,
    paragraphs: Vec<String>,
    /// The index of the comment it answers.
    parent: Option<usize>,
    done: bool,
}

/// Writes the body; returns the comment parts (`(name, type, bytes)`).
pub fn write(
    body: &mut Body<'_>,
    playbook: &Playbook,
    changes: &Changes,
    revision: &Revision<'_>,
) -> Vec<(String, &'static str, Vec<u8>)> {
    body.revision = Some((revision.author.to_string(), revision.date.clone()));
    let content = views::content(playbook, views::Fill::Done, None, &super::words::strings());
    // The draft is named in the reader's words, a release by its number.
    let to = if playbook.version == "draft" {
        word("changes_draft")
    } else {
        changes.to.clone()
    };
    let title = word("changes-title")
        .replace("{from}", &changes.from)
        .replace("{to}", &to);
    front::cover(body, playbook, &content, Some(&title));
    blocks::heading(body, 1, &title);
    let intro = word("changes-intro")
        .replace("{from}", &changes.from)
        .replace("{to}", &to);
    body.paragraph(ParaLook::default(), |b| b.run(&intro, Look::default()));

    let mut comments = Vec::new();
    let changed: Vec<&SectionChange> = changes
        .sections
        .iter()
        .filter(|s| s.status != Status::Unchanged)
        .collect();
    if changed.is_empty() {
        body.paragraph(ParaLook::default(), |b| {
            b.run(&word("no-changes"), Look::default())
        });
    }
    for section in changed {
        let ids = section_comments(playbook, section, revision, &mut comments);
        let bookmark = body.start_bookmark(names::section_bookmark(&section.id));
        heading(body, section, &ids);
        for unit in &section.units {
            self::unit(body, unit);
        }
        body.end_bookmark(bookmark);
    }
    if comments.is_empty() {
        return Vec::new();
    }
    vec![
        (
            "word/comments.xml".into(),
            package::COMMENTS,
            comments_xml(&comments),
        ),
        (
            "word/commentsExtended.xml".into(),
            package::COMMENTS_EXTENDED,
            comments_extended_xml(&comments),
        ),
    ]
}

/// The section's heading: a new section's inserted, a removed one's
/// deleted, a renamed one's old title deleted before the new; the
/// section's comments span it.
fn heading(body: &mut Body<'_>, section: &SectionChange, comment_ids: &[usize]) {
    let mark = match section.status {
        Status::Added => Revised::Inserted,
        Status::Removed => Revised::Deleted,
        _ => Revised::No,
    };
    body.paragraph(
        ParaLook {
            style: Some("Heading2"),
            mark,
            ..ParaLook::default()
        },
        |b| {
            for id in comment_ids {
                b.x.empty("w:commentRangeStart", &[("w:id", &id.to_string())]);
            }
            if let Some(old) = &section.old_title {
                b.revised_run(old, Look::default(), Revised::Deleted);
                b.revised_run(&section.title, Look::default(), Revised::Inserted);
            } else {
                b.revised_run(&section.title, Look::default(), mark);
            }
            for id in comment_ids {
                let id = id.to_string();
                b.x.empty("w:commentRangeEnd", &[("w:id", &id)]);
                b.x.open("w:r", &[]);
                b.x.empty("w:commentReference", &[("w:id", &id)]);
                b.x.close("w:r");
            }
        },
    );
}

/// One unit of the redline as a paragraph: its words as they changed,
/// a step's number in front (the old number deleted where it moved).
fn unit(body: &mut Body<'_>, unit: &UnitChange) {
    let whole = match unit.op {
        Op::Insert => Revised::Inserted,
        Op::Delete => Revised::Deleted,
        Op::Equal | Op::Modify => Revised::No,
    };
    let style = match (unit.kind, unit.look.callout) {
        (UnitKind::Code, _) => "Code",
        (UnitKind::Step, _) => "ChangeStep",
        (_, Some(kind)) => styles::callout(kind).0,
        (UnitKind::Item, None) => "ListParagraph",
        (UnitKind::Row, None) => "TableText",
        _ => "Normal",
    };
    let base = Look {
        code: unit.kind == UnitKind::Code,
        bold: unit.kind == UnitKind::Heading,
        ..Look::default()
    };
    body.paragraph(
        ParaLook {
            style: Some(style),
            mark: whole,
            ..ParaLook::default()
        },
        |b| {
            let number = Look {
                bold: true,
                colour: Some(styles::ACCENT),
                ..Look::default()
            };
            if unit.kind == UnitKind::Step {
                match (&unit.old_label, &unit.label) {
                    (Some(old), Some(new)) => {
                        b.revised_run(&format!("{old}.\t"), number, Revised::Deleted);
                        b.revised_run(&format!("{new}.\t"), number, Revised::Inserted);
                    }
                    (Some(old), None) => {
                        b.revised_run(&format!("{old}.\t"), number, Revised::Deleted)
                    }
                    (None, Some(new)) => b.revised_run(&format!("{new}.\t"), number, whole),
                    (None, None) => {}
                }
            } else if unit.kind == UnitKind::Item {
                b.revised_run("•\t", Look::default(), whole);
            }
            for w in &unit.words {
                let revised = match w.op {
                    Op::Insert => Revised::Inserted,
                    Op::Delete => Revised::Deleted,
                    Op::Equal | Op::Modify => whole,
                };
                b.revised_run(&w.text, base, revised);
            }
        },
    );
}

/// The comments of the requests that target `section`, added to `all`;
/// returns their ids (requests and replies) for the heading's ranges.
fn section_comments(
    playbook: &Playbook,
    section: &SectionChange,
    revision: &Revision<'_>,
    all: &mut Vec<Comment>,
) -> Vec<usize> {
    let mut ids = Vec::new();
    for request in &section.requests {
        let done = matches!(
            request.status,
            RequestStatus::Applied | RequestStatus::Rejected
        );
        let tag = format!("[{}]", request.id);
        let parent = all.len();
        ids.push(parent);
        all.push(Comment {
            author: request.raised_by.clone(),
            date: Some(package::iso_midnight(request.date)),
            paragraphs: vec![
                format!("{tag} {}", request.request),
                format!(
                    "{}: {}",
                    &word("status"),
                    super::words::name("request_status", request.status.label())
                ),
            ],
            parent: None,
            done,
        });
        let resolution = playbook
            .change_requests
            .iter()
            .find(|r| r.id == request.id)
            .and_then(|r| r.resolution.clone());
        if let Some(resolution) = resolution {
            ids.push(all.len());
            all.push(Comment {
                author: revision.author.to_string(),
                date: revision.date.clone(),
                paragraphs: vec![format!("{tag} {} {resolution}", &word("resolution"))],
                parent: Some(parent),
                done,
            });
        }
        for c in &request.comments {
            ids.push(all.len());
            all.push(Comment {
                author: c.by.clone(),
                date: Some(package::iso_midnight(c.date)),
                paragraphs: vec![format!("{tag} {}", c.text)],
                parent: Some(parent),
                done,
            });
        }
    }
    ids
}

/// The id Word links a comment's first paragraph by (`w14:paraId`):
/// counted, so the same input gives the same file.
fn para_id(comment: usize) -> String {
    format!("{:08X}", 0x1000_0000 + comment)
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .take(3)
        .collect()
}

fn comments_xml(comments: &[Comment]) -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "w:comments",
        &[
            ("xmlns:w", W),
            ("xmlns:w14", W14),
            ("xmlns:mc", MC),
            ("mc:Ignorable", "w14"),
        ],
    );
    for (i, c) in comments.iter().enumerate() {
        let id = i.to_string();
        let initials = initials(&c.author);
        let mut attrs = vec![("w:id", id.as_str()), ("w:author", c.author.as_str())];
        if let Some(date) = &c.date {
            attrs.push(("w:date", date.as_str()));
        }
        attrs.push(("w:initials", initials.as_str()));
        x.open("w:comment", &attrs);
        let last = c.paragraphs.len() - 1;
        for (p, text) in c.paragraphs.iter().enumerate() {
            // Word links replies through the last paragraph's id.
            let pid = if p == last {
                para_id(i)
            } else {
                format!("{:08X}", 0x2000_0000 + i * 16 + p)
            };
            x.open("w:p", &[("w14:paraId", &pid), ("w14:textId", "77777777")]);
            x.open("w:pPr", &[]);
            x.empty("w:pStyle", &[("w:val", "CommentText")]);
            x.close("w:pPr");
            if p == 0 {
                x.open("w:r", &[]);
                x.empty("w:annotationRef", &[]);
                x.close("w:r");
            }
            x.open("w:r", &[]);
            x.leaf("w:t", &[("xml:space", "preserve")], text);
            x.close("w:r");
            x.close("w:p");
        }
        x.close("w:comment");
    }
    x.close("w:comments");
    x.finish()
}

fn comments_extended_xml(comments: &[Comment]) -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "w15:commentsEx",
        &[
            ("xmlns:w15", W15),
            ("xmlns:mc", MC),
            ("mc:Ignorable", "w15"),
        ],
    );
    for (i, c) in comments.iter().enumerate() {
        let pid = para_id(i);
        let parent = c.parent.map(para_id);
        let mut attrs = vec![("w15:paraId", pid.as_str())];
        if let Some(parent) = &parent {
            attrs.push(("w15:paraIdParent", parent.as_str()));
        }
        attrs.push(("w15:done", if c.done { "1" } else { "0" }));
        x.empty("w15:commentEx", &attrs);
    }
    x.close("w15:commentsEx");
    x.finish()
}
