//! What changed between two versions of a playbook: sections aligned by
//! id, then the units inside a section (each step, paragraph, table row,
//! code line) aligned by content, then words inside a changed unit. Step
//! numbers are not content, so a step inserted at 3 changes one unit, not
//! every step after it. The result is a model of its own that the HTML,
//! PDF and terminal backends render.

pub mod terminal;
mod units;

pub use units::UnitKind;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;
use similar::{ChangeTag, DiffTag, TextDiff};

use crate::model::Playbook;
use crate::model::document::{Section, SharedBlocks};
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
    /// (Unchanged sections carry no units: they are shown by title.)
    pub unrequested: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestRef {
    pub id: String,
    #[serde(serialize_with = "label")]
    pub status: RequestStatus,
    pub request: String,
    pub raised_by: String,
    #[serde(with = "crate::model::engagement::iso_date")]
    pub date: time::Date,
    pub comments: Vec<crate::model::review::Comment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitChange {
    pub kind: UnitKind,
    pub op: Op,
    pub words: Vec<Word>,
    /// The step's number in the new version (for a deleted step, none).
    pub label: Option<String>,
    /// The step's number in the old version, when it differs.
    pub old_label: Option<String>,
    /// How the playbook shows it (a callout, code in a language).
    #[serde(flatten)]
    pub look: units::Look,
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

/// Templates show a request's state as the report does (`Applied`).
fn label<S: serde::Serializer>(status: &RequestStatus, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(status.label())
}

/// Compares `old` (an earlier release) with `new`.
pub fn compare(old: &Playbook, new: &Playbook) -> Changes {
    compare_with(old, new, &|a, b| std::sync::Arc::ptr_eq(a, b) || a == b)
}

/// [`compare`], asking `same` whether two sections' blocks are equal, so
/// that `serve` can remember the answer between saves. Sections are
/// compared on every core, so `same` is asked from several threads.
pub fn compare_with(
    old: &Playbook,
    new: &Playbook,
    same: &(dyn Fn(&SharedBlocks, &SharedBlocks) -> bool + Sync),
) -> Changes {
    let old_ids: Vec<&str> = old.sections().map(|s| s.id.as_str()).collect();
    let new_ids: Vec<&str> = new.sections().map(|s| s.id.as_str()).collect();
    let moved_ids = moved(&old_ids, &new_ids);
    let old_by_id: HashMap<&str, &Section> = old.sections().map(|s| (s.id.as_str(), s)).collect();
    let new_sections: Vec<&Section> = new.sections().collect();
    let mut sections: Vec<SectionChange> = new_sections
        .par_iter()
        .map(|section| {
            let before = old_by_id.get(section.id.as_str()).copied();
            section_change(
                before,
                section,
                moved_ids.contains(section.id.as_str()),
                same,
            )
        })
        .collect();
    let mut summary = Summary::default();
    let kept: HashSet<&str> = new_ids.iter().copied().collect();
    for section in old.sections().filter(|s| !kept.contains(s.id.as_str())) {
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
                status: request.status,
                request: request.request.clone(),
                raised_by: request.raised_by.clone(),
                date: request.date,
                comments: request.comments.clone(),
            });
        }
    }
    for section in &mut sections {
        section.unrequested = section.status != Status::Unchanged
            && !section
                .requests
                .iter()
                .any(|r| matches!(r.status, RequestStatus::Applied | RequestStatus::Agreed));
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

/// One section of the new version against its old self, if it had one.
fn section_change(
    before: Option<&Section>,
    section: &Section,
    moved: bool,
    same: &(dyn Fn(&SharedBlocks, &SharedBlocks) -> bool + Sync),
) -> SectionChange {
    let Some(before) = before else {
        return SectionChange {
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
        };
    };
    // Most sections did not change: equal blocks give equal units, which
    // the alignment would only confirm.
    let same = same(&before.blocks, &section.blocks);
    let retitled = before.title != section.title;
    // An unchanged section is shown collapsed, by title: its units are
    // not worth making (most of a large playbook).
    let unit_changes = if same && !moved && !retitled {
        Vec::new()
    } else if same {
        units(section)
            .into_iter()
            .map(|u| whole(u, Op::Equal))
            .collect()
    } else {
        diff_units(&units(before), &units(section))
    };
    let changed = unit_changes.iter().any(|u| u.op != Op::Equal);
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

/// Sections kept in both versions whose order changed: those outside the
/// longest run of sections that kept their relative order (insertions and
/// removals elsewhere do not count as moves).
fn moved<'a>(old_ids: &[&'a str], new_ids: &[&'a str]) -> HashSet<&'a str> {
    let old_set: HashSet<&str> = old_ids.iter().copied().collect();
    let new_set: HashSet<&str> = new_ids.iter().copied().collect();
    let old_common: Vec<&str> = old_ids
        .iter()
        .copied()
        .filter(|id| new_set.contains(id))
        .collect();
    let new_common: Vec<&str> = new_ids
        .iter()
        .copied()
        .filter(|id| old_set.contains(id))
        .collect();
    let mut out = HashSet::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Patience, &old_common, &new_common) {
        let (tag, _, new_range) = op.as_tag_tuple();
        if tag != DiffTag::Equal {
            out.extend(new_common[new_range].iter().copied());
        }
    }
    out
}

fn whole(unit: Unit, op: Op) -> UnitChange {
    let (label, old_label) = match op {
        Op::Delete => (None, unit.label),
        _ => (unit.label, None),
    };
    UnitChange {
        kind: unit.kind,
        op,
        words: vec![Word {
            op,
            text: unit.text,
        }],
        label,
        old_label,
        look: unit.look,
    }
}

/// An unchanged unit, with the old number when the step moved.
fn same(old: &Unit, new: Unit) -> UnitChange {
    let old_label = old.label.clone().filter(|l| Some(l) != new.label.as_ref());
    UnitChange {
        old_label,
        ..whole(new, Op::Equal)
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
            DiffTag::Equal => out.extend(
                old[old_range]
                    .iter()
                    .zip(new[new_range].iter().cloned())
                    .map(|(o, n)| same(o, n)),
            ),
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
    let diff = if old.kind == UnitKind::Code {
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
        label: new.label.clone(),
        old_label: old.label.clone().filter(|l| Some(l) != new.label.as_ref()),
        look: new.look.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::moved;

    #[test]
    fn only_sections_that_changed_order_are_moved() {
        let old = ["a", "b", "c", "d"];
        assert!(moved(&old, &["a", "x", "b", "c", "d"]).is_empty());
        assert!(moved(&old, &["a", "c", "d"]).is_empty());
        let m = moved(&old, &["a", "c", "d", "b"]);
        assert_eq!(m.into_iter().collect::<Vec<_>>(), vec!["b"]);
    }
}
