//! Requests from a .docx the reviewer edited in Word: one per reviewer's
//! tracked edits in a paragraph, one per comment, each tied to the
//! release, copy and section the file was written for.
//!
//! The file must be a release's, as upbook wrote it, with every edit
//! tracked: rejecting the reviewer's revisions must give back the text
//! upbook hashed into `UpbookTextHash`. Otherwise the edits cannot be
//! told from the text, and the file is refused with how to do it again.
//!
//! The kind is the simple rule the README states: a tracked edit is a
//! `change`, a comment a `clarification` (the consultant re-files one
//! that asks for a change).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::docx::{Paragraph, Reviewed};
use crate::model::Playbook;
use crate::model::document::Block;
use crate::model::docx_names as names;
use crate::model::engagement::iso_date;
use crate::model::release::Release;
use crate::model::review::{ChangeRequest, RequestKind, RequestStatus};

mod comments;
mod edits;
mod words;

/// Commented text longer than this is not quoted in the request.
const QUOTE_CHARS: usize = 80;

/// The requests the reviewer's revisions and comments in `file` make,
/// checked against the release it names. Problems go to `diags`.
pub fn requests(
    file: &Path,
    reviewed: &Reviewed,
    releases: &[Release],
    existing: &[ChangeRequest],
    diags: &mut Diagnostics,
) -> Vec<ChangeRequest> {
    let name = file.display().to_string();
    let context = match Context::new(&name, reviewed, releases) {
        Ok(context) => context,
        Err(refusal) => {
            diags.push(refusal);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for paragraph in &reviewed.body.paragraphs {
        out.extend(context.edits(paragraph, reviewed, diags));
    }
    context.comments(reviewed, existing, &mut out, diags);
    out
}

/// A section of the copy, as requests name it.
struct Place {
    id: String,
    title: String,
    /// Its steps as the copy numbers them: `12–14`, `B3`.
    steps: Option<String>,
}

/// The release and copy the file was written for, and its bookmarks
/// mapped back to sections and steps.
struct Context<'a> {
    name: &'a str,
    version: String,
    copy: String,
    sections: BTreeMap<String, Place>,
    steps: BTreeMap<String, String>,
}

impl<'a> Context<'a> {
    fn new(name: &'a str, reviewed: &Reviewed, releases: &[Release]) -> Result<Self, Diagnostic> {
        let property = |key: &str| {
            reviewed.property(key).ok_or_else(|| {
                Diagnostic::error(format!(
                    "{name} was not written by upbook: it has no `{key}` property"
                ))
                .with_hint("import the .docx of a release (book/v1.0/playbook.docx, a copy such as production.docx, or changes.docx) as the reviewer saved it")
            })
        };
        let version = property(names::VERSION)?;
        if version == names::DRAFT {
            return Err(Diagnostic::error(format!(
                "{name} is a draft's: requests are raised against a release"
            ))
            .with_hint("send the reviewer a released version's .docx (from book/v1.0/, after `upbook release`) and import what they send back"));
        }
        let Some(release) = releases.iter().find(|r| r.version == version) else {
            let known: Vec<&str> = releases.iter().map(|r| r.version.as_str()).collect();
            return Err(Diagnostic::error(format!(
                "{name} is from release {version}, which this project does not have"
            ))
            .with_hint(if known.is_empty() {
                "this project has no release yet; is it the right project folder?".to_string()
            } else {
                format!(
                    "releases: {}; is it the right project folder?",
                    known.join(", ")
                )
            }));
        };
        let copy_name = property(names::COPY)?;
        let copy = copy_of(&release.playbook, copy_name).ok_or_else(|| {
            Diagnostic::error(format!(
                "{name} is a copy `{copy_name}` that release {version} does not have"
            ))
        })?;
        check_text(name, reviewed, property(names::TEXT_HASH)?)?;
        let (sections, steps) = bookmarks(&copy);
        Ok(Context {
            name,
            version: version.to_string(),
            copy: copy
                .environment
                .as_ref()
                .filter(|_| copy_name != names::MAIN_COPY)
                .cloned()
                .unwrap_or_else(|| "Playbook".to_string()),
            sections,
            steps,
        })
    }

    /// "reviewed.docx, paragraph 214: …" (a reply anchored nowhere has
    /// no paragraph: "reviewed.docx: …").
    fn error(&self, paragraph: usize, message: impl std::fmt::Display) -> Diagnostic {
        match paragraph {
            0 => Diagnostic::error(format!("{}: {message}", self.name)),
            n => Diagnostic::error(format!("{}, paragraph {n}: {message}", self.name)),
        }
    }

    /// The section and step `paragraph` lies in: the innermost bookmarks.
    fn place(&self, paragraph: &Paragraph) -> Option<(&Place, Option<&str>)> {
        let section = paragraph
            .bookmarks
            .iter()
            .rev()
            .find_map(|b| self.sections.get(b))?;
        let step = paragraph
            .bookmarks
            .iter()
            .rev()
            .find_map(|b| self.steps.get(b))
            .map(String::as_str);
        Some((section, step))
    }

    fn request(
        &self,
        place: &Place,
        raised_by: &str,
        date: time::Date,
        kind: RequestKind,
        request: String,
    ) -> ChangeRequest {
        ChangeRequest {
            id: String::new(),
            raised_against: self.version.clone(),
            section: place.id.clone(),
            raised_by: raised_by.to_string(),
            date,
            kind,
            request,
            status: RequestStatus::Open,
            resolution: None,
            applied_in: None,
            copy: Some(self.copy.clone()),
            steps: place.steps.clone(),
            comments: Vec::new(),
        }
    }

    /// The day of the earliest revision or comment, or an error when one
    /// has no date.
    fn earliest<'d>(
        &self,
        paragraph: usize,
        author: &str,
        dates: impl Iterator<Item = Option<&'d str>>,
        diags: &mut Diagnostics,
    ) -> Option<time::Date> {
        let mut earliest: Option<time::Date> = None;
        for date in dates {
            let Some(date) = date else {
                diags.push(self.error(paragraph, format!("{author}'s edit or comment has no date")).with_hint("Word leaves dates out when it removes personal information on save: turn that off (File > Options > Trust Center > Privacy Options) and save again"));
                return None;
            };
            match iso_date::parse(date.get(..10).unwrap_or(date)) {
                Ok(day) => earliest = Some(earliest.map_or(day, |e| e.min(day))),
                Err(message) => {
                    diags.push(self.error(paragraph, message));
                    return None;
                }
            }
        }
        earliest
    }
}

/// The copy `name` names: `playbook`, or a customer environment's file
/// name (`production`).
fn copy_of(playbook: &Playbook, name: &str) -> Option<Playbook> {
    let engagement = &playbook.engagement;
    if name == names::MAIN_COPY {
        return Some(playbook.reference());
    }
    engagement
        .customer_environments()
        .find(|e| e.slug == name)
        .map(|env| playbook.for_environment(Some(env)))
}

/// Refuses a file whose text is not upbook's once the reviewer's tracked
/// changes are rejected: it was edited with Track Changes off.
fn check_text(name: &str, reviewed: &Reviewed, sent: &str) -> Result<(), Diagnostic> {
    if names::text_hash(&reviewed.text_as_sent()) == sent {
        return Ok(());
    }
    let redo = "in Word, turn on Review > Track Changes, then make the edits again on the released file as upbook wrote it";
    Err(if reviewed.has_reviewer_revisions() {
        Diagnostic::error(format!(
            "{name} holds edits made with Track Changes off beside the tracked ones: upbook cannot tell which text was changed"
        ))
        .with_hint(redo)
    } else {
        Diagnostic::error(format!(
            "{name} was edited without Track Changes: its text differs from the release's but holds no tracked change"
        ))
        .with_hint(redo)
    })
}

/// Section and step bookmarks of `copy` → the section and step label.
fn bookmarks(copy: &Playbook) -> (BTreeMap<String, Place>, BTreeMap<String, String>) {
    let mut sections = BTreeMap::new();
    let mut steps = BTreeMap::new();
    for section in copy.sections() {
        let mut labels = Vec::new();
        for block in section.blocks.iter() {
            if let Block::Steps { steps: list } = block {
                for step in list {
                    let label = section.step_label(step);
                    steps.insert(names::step_bookmark(&label), label.clone());
                    labels.push(label);
                }
            }
        }
        let range = match (labels.first(), labels.last()) {
            (Some(a), Some(b)) if a == b => Some(a.clone()),
            (Some(a), Some(b)) => Some(format!("{a}–{b}")),
            _ => None,
        };
        sections.insert(
            names::section_bookmark(&section.id),
            Place {
                id: section.id.clone(),
                title: section.title.clone(),
                steps: range,
            },
        );
    }
    (sections, steps)
}
