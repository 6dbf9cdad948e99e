//! The service's process as templates see it: each milestone's
//! activities with their owner, duration and planned dates, and what the
//! customer must have done before the first step.

use serde::Serialize;

use super::Fill;
use crate::model::engagement::iso;
use crate::model::process::{Activity, Duration, Unit};
use crate::model::{Phase, Playbook};
use crate::strings::Strings;

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

pub(super) fn view(playbook: &Playbook, fill: Fill, strings: &Strings) -> Vec<MilestoneView> {
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
                .map(|(g, a)| activity(playbook, fill, &g.name, a, strings))
                .collect(),
        })
        .collect()
}

/// A duration in the reader's words: "3–5 business days".
pub(super) fn duration(d: Duration, strings: &Strings) -> String {
    let unit = |unit: Unit, amount: u32| {
        strings.get(match (unit, amount) {
            (Unit::Day, 1) => "unit_business_day",
            (Unit::Day, _) => "unit_business_days",
            (Unit::Week, 1) => "unit_week",
            (Unit::Week, _) => "unit_weeks",
        })
    };
    match d {
        Duration::None => strings.get("duration_none").to_string(),
        Duration::NotStated => strings.get("duration_not_stated").to_string(),
        Duration::Exactly { amount, unit: u } => strings.fill(
            "duration_exactly",
            &[("amount", &amount.to_string()), ("unit", unit(u, amount))],
        ),
        Duration::Range { from, to, unit: u } => strings.fill(
            "duration_range",
            &[
                ("from", &from.to_string()),
                ("to", &to.to_string()),
                ("unit", unit(u, to)),
            ],
        ),
        Duration::UpTo { amount, unit: u } => strings.fill(
            "duration_up_to",
            &[("amount", &amount.to_string()), ("unit", unit(u, amount))],
        ),
    }
}

fn activity(
    playbook: &Playbook,
    fill: Fill,
    group: &str,
    a: &Activity,
    strings: &Strings,
) -> ActivityView {
    let p = &playbook.process;
    let duration = match &a.span {
        Some(span) => p
            .spans
            .iter()
            .find(|s| &s.id == span)
            .map_or_else(String::new, |s| {
                strings.fill(
                    "duration_shared",
                    &[("duration", &duration(s.duration, strings))],
                )
            }),
        None if a.duration == Duration::None => "—".into(),
        None => duration(a.duration, strings),
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
pub(super) fn prerequisites(playbook: &Playbook, fill: Fill, strings: &Strings) -> Vec<String> {
    let p = &playbook.process;
    let e = &playbook.engagement;
    p.activities()
        .take_while(|a| a.span.is_none())
        .filter(|a| a.is_customers() && a.duration != Duration::None)
        .flat_map(|a| match shown_phase(playbook, &a.id, fill) {
            Some(phase) => vec![strings.fill(
                "prerequisite_download",
                &[
                    ("product", &e.product),
                    ("version", &e.target_version),
                    ("phase", &phase.title),
                ],
            )],
            None => a.does.clone(),
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
