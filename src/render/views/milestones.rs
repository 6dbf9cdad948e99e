//! The service's process as templates see it: each milestone's
//! activities with their owner, duration and planned dates, and what the
//! customer must have done before the first step.

use serde::Serialize;

use super::Fill;
use crate::model::engagement::iso;
use crate::model::process::{Activity, Duration};
use crate::model::{Phase, Playbook};

#[derive(Serialize)]
pub struct MilestoneView {
    pub name: String,
    pub activities: Vec<ActivityView>,
}

#[derive(Serialize)]
pub struct ActivityView {
    pub id: String,
    pub title: String,
    pub group: String,
    pub owner: String,
    pub duration: String,
    pub does: Vec<String>,
    pub start: String,
    pub end: String,
    pub has_notes: bool,
}

pub(super) fn view(playbook: &Playbook, fill: Fill) -> Vec<MilestoneView> {
    playbook
        .process
        .milestones
        .iter()
        .map(|m| MilestoneView {
            name: m.name.clone(),
            activities: m
                .groups
                .iter()
                .flat_map(|g| g.activities.iter().map(move |a| (g, a)))
                .map(|(g, a)| activity(playbook, fill, &g.name, a))
                .collect(),
        })
        .collect()
}

fn activity(playbook: &Playbook, fill: Fill, group: &str, a: &Activity) -> ActivityView {
    let p = &playbook.process;
    let duration = match &a.span {
        Some(span) => p
            .spans
            .iter()
            .find(|s| &s.id == span)
            .map_or_else(String::new, |s| format!("{}, shared", s.duration)),
        None if a.duration == Duration::None => "—".into(),
        None => a.duration.to_string(),
    };
    let planned = playbook.schedule.items.iter().find(|i| i.activity == a.id);
    ActivityView {
        id: a.id.clone(),
        title: a.title.clone(),
        group: group.to_string(),
        owner: a.owner.clone(),
        duration,
        does: a.does.clone(),
        start: planned.map(|i| iso(i.start)).unwrap_or_default(),
        end: planned.map(|i| iso(i.end)).unwrap_or_default(),
        has_notes: shown_phase(playbook, &a.id, fill).is_some(),
    }
}

/// The work the process gives the customer ahead of the upgrade itself.
/// An activity the playbook has steps for is named, with the version it
/// installs, rather than told again in the service's general words
/// ("Download the latest release") above the steps that do it.
pub(super) fn prerequisites(playbook: &Playbook, fill: Fill) -> Vec<String> {
    let p = &playbook.process;
    let e = &playbook.engagement;
    p.activities()
        .take_while(|a| a.span.is_none())
        .filter(|a| a.is_customers() && a.duration != Duration::None)
        .flat_map(|a| {
            match shown_phase(playbook, &a.id, fill) {
                Some(phase) => vec![format!(
                    "You can reach the support portal's download of {} {}: the steps of “{}” below do the rest.",
                    e.product, e.target_version, phase.title
                )],
                None => a.does.clone(),
            }
        })
        .collect()
}

/// The phase of `activity`, when this copy shows any of its notes.
fn shown_phase<'p>(playbook: &'p Playbook, activity: &str, fill: Fill) -> Option<&'p Phase> {
    playbook
        .phases
        .iter()
        .find(|ph| ph.activity == activity && ph.sections.iter().any(|s| fill.shows(s)))
}
