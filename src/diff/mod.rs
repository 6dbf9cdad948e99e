//! What changed between two versions of a playbook: sections aligned by
//! id, then the units inside a section (each step, paragraph, table row,
//! code line) aligned by content, then words inside a changed unit. Step
//! numbers are not content, so a step inserted at 3 changes one unit, not
//! every step after it. The result is a model of its own that the HTML,
//! PDF and terminal backends render.

pub mod terminal;
mod units;

use serde::Serialize;
use similar::{ChangeTag, DiffTag, TextDiff};

use crate::model::Playbook;
use crate::model::review::RequestStatus;
use units::{Unit, units};

#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    pub from: String,
    pub to: String,
    pub sections: Vec<SectionChange>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
    pub unchanged: usize,
    pub requests_applied: Vec<String>,
    pub requests_rejected: Vec<String>,
    pub requests_open: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Added,
    Removed,
    Changed,
    Unchanged,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionChange {
    pub id: String,
    pub title: String,
    /// The old title, when the section was renamed.
    pub old_title: Option<String>,
    pub status: Status,
    /// The section's position among the playbook's sections changed.
    pub moved: bool,
    pub units: Vec<UnitChange>,
    /// Change requests that target this section in this review round.
    pub requests: Vec<RequestRef>,
    /// Changed, but no applied or agreed request asked for it.
    pub unrequested: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestRef {
    pub id: String,
    pub status: &'static str,
    pub request: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitChange {
    pub kind: &'static str,
    pub op: Op,
    pub words: Vec<Word>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Equal,
    Insert,
    Delete,
    Modify,
}

#[derive(Debug, Clone, Serialize)]
pub struct Word {
    pub op: Op,
    pub text: String,
}

/// Compares `old` (an earlier release) with `new`.
pub fn compare(old: &Playbook, new: &Playbook) -> Changes {
    let old_ids: Vec<&str> = old.sections().map(|s| s.id.as_str()).collect();
    let new_ids: Vec<&str> = new.sections().map(|s| s.id.as_str()).collect();
    let mut sections = Vec::new();
    let mut summary = Summary::default();
    for (new_pos, section) in new.sections().enumerate() {
        let before = old.sections().find(|s| s.id == section.id);
        let change = match before {
            None => SectionChange {
                id: section.id.clone(),
                title: section.title.clone(),
                old_title: None,
                status: Status::Added,
                moved: false,
                units: units(section)
                    .into_iter()
                    .map(|u| whole(u, Op::Insert))
                    .collect(),
                requests: Vec::new(),
                unrequested: false,
            },
            Some(before) => {
                let unit_changes = diff_units(&units(before), &units(section));
                let changed = unit_changes.iter().any(|u| u.op != Op::Equal);
                let old_pos = old_ids.iter().position(|id| *id == section.id);
                let moved = old_pos.is_some_and(|p| relative_order(&old_ids, &new_ids, p, new_pos));
                let retitled = before.title != section.title;
                SectionChange {
                    id: section.id.clone(),
                    title: section.title.clone(),
                    old_title: retitled.then(|| before.title.clone()),
                    status: if changed || retitled || moved {
                        Status::Changed
                    } else {
                        Status::Unchanged
                    },
                    moved,
                    units: unit_changes,
                    requests: Vec::new(),
                    unrequested: false,
                }
            }
        };
        sections.push(change);
    }
    for section in old.sections().filter(|s| !new_ids.contains(&s.id.as_str())) {
        sections.push(SectionChange {
            id: section.id.clone(),
            title: section.title.clone(),
            old_title: None,
            status: Status::Removed,
            moved: false,
            units: units(section)
                .into_iter()
                .map(|u| whole(u, Op::Delete))
                .collect(),
            requests: Vec::new(),
            unrequested: false,
        });
    }

    // The requests of this review round: raised against the old version or
    // applied in the new one.
    for request in &new.change_requests {
        let in_round = request.raised_against == old.version
            || request.applied_in.as_deref() == Some(new.version.as_str());
        if !in_round {
            continue;
        }
        match request.status {
            RequestStatus::Applied => summary.requests_applied.push(request.id.clone()),
            RequestStatus::Rejected => summary.requests_rejected.push(request.id.clone()),
            RequestStatus::Open | RequestStatus::Agreed => {
                summary.requests_open.push(request.id.clone())
            }
        }
        if let Some(section) = sections.iter_mut().find(|s| s.id == request.section) {
            section.requests.push(RequestRef {
                id: request.id.clone(),
                status: request.status.label(),
                request: request.request.clone(),
            });
        }
    }
    for section in &mut sections {
        section.unrequested = section.status != Status::Unchanged
            && !section
                .requests
                .iter()
                .any(|r| r.status == "Applied" || r.status == "Agreed");
        match section.status {
            Status::Added => summary.added += 1,
            Status::Removed => summary.removed += 1,
            Status::Changed => summary.changed += 1,
            Status::Unchanged => summary.unchanged += 1,
        }
    }
    Changes {
        from: old.version.clone(),
        to: new.version.clone(),
        sections,
        summary,
    }
}

/// A section moved when the sections before it are no longer the same
/// ones (insertions elsewhere do not count as moves).
fn relative_order(old_ids: &[&str], new_ids: &[&str], old_pos: usize, new_pos: usize) -> bool {
    let before_old: Vec<&str> = old_ids[..old_pos]
        .iter()
        .filter(|id| new_ids.contains(id))
        .copied()
        .collect();
    let before_new: Vec<&str> = new_ids[..new_pos]
        .iter()
        .filter(|id| old_ids.contains(id))
        .copied()
        .collect();
    before_old != before_new
}

fn whole(unit: Unit, op: Op) -> UnitChange {
    UnitChange {
        kind: unit.kind,
        op,
        words: vec![Word {
            op,
            text: unit.text,
        }],
    }
}

fn diff_units(old: &[Unit], new: &[Unit]) -> Vec<UnitChange> {
    let old_keys: Vec<String> = old.iter().map(Unit::key).collect();
    let new_keys: Vec<String> = new.iter().map(Unit::key).collect();
    let old_refs: Vec<&str> = old_keys.iter().map(String::as_str).collect();
    let new_refs: Vec<&str> = new_keys.iter().map(String::as_str).collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Patience, &old_refs, &new_refs);
    let mut out = Vec::new();
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                out.extend(new[new_range].iter().cloned().map(|u| whole(u, Op::Equal)))
            }
            DiffTag::Delete => {
                out.extend(old[old_range].iter().cloned().map(|u| whole(u, Op::Delete)))
            }
            DiffTag::Insert => {
                out.extend(new[new_range].iter().cloned().map(|u| whole(u, Op::Insert)))
            }
            DiffTag::Replace => {
                let olds = &old[old_range];
                let news = &new[new_range];
                // Pair units of the same kind in order; the rest are
                // whole insertions or deletions.
                let pairs = olds.len().min(news.len());
                for i in 0..pairs {
                    if olds[i].kind == news[i].kind {
                        out.push(modify(&olds[i], &news[i]));
                    } else {
                        out.push(whole(olds[i].clone(), Op::Delete));
                        out.push(whole(news[i].clone(), Op::Insert));
                    }
                }
                out.extend(olds[pairs..].iter().cloned().map(|u| whole(u, Op::Delete)));
                out.extend(news[pairs..].iter().cloned().map(|u| whole(u, Op::Insert)));
            }
        }
    }
    out
}

/// Word by word (code line by line) inside one unit.
fn modify(old: &Unit, new: &Unit) -> UnitChange {
    let diff = if old.kind == "code" {
        TextDiff::from_lines(&old.text, &new.text)
    } else {
        TextDiff::from_words(&old.text, &new.text)
    };
    let mut words: Vec<Word> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => Op::Equal,
            ChangeTag::Delete => Op::Delete,
            ChangeTag::Insert => Op::Insert,
        };
        let text = change.value();
        match words.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => words.push(Word {
                op,
                text: text.to_string(),
            }),
        }
    }
    UnitChange {
        kind: new.kind,
        op: Op::Modify,
        words,
    }
}
