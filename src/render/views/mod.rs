//! What templates see. Built from the model for the templates' sake, so a
//! theme keeps working when the model changes shape.

use serde::Serialize;

use crate::model::Playbook;
use crate::model::copies::StepLayout;
use crate::model::document::Section;
use crate::model::engagement::Environment;
use crate::model::engagement::{Upgrader, iso};
use crate::model::process::Duration;
use rayon::prelude::*;

mod run;
mod schedule;

pub use run::RunView;
pub use schedule::ScheduleView;

#[derive(Serialize)]
pub struct Page {
    pub title: String,
    pub language: String,
    pub version: String,
    pub is_draft: bool,
    pub date: Option<String>,
    /// Relative path from this page to the output root (`../`).
    pub root: String,
    /// Relative path from this page to the theme's assets folder.
    pub assets: String,
    pub versions: Vec<VersionLink>,
    pub copies: Vec<Copy>,
    pub kind: &'static str,
    /// The PDF of this page, when PDFs are built.
    pub pdf: Option<String>,
    /// The script holding this page's search index (`index.search.js`).
    pub search: Option<String>,
    /// This version has a `changes.html`.
    pub has_changes: bool,
    /// The final version's sign-off: who, when, and where it is recorded.
    pub accepted_by: Option<String>,
    pub accepted_on: Option<String>,
    pub acceptance_reference: Option<String>,
}

/// One environment's copy of the playbook, for the environment switcher.
#[derive(Serialize)]
pub struct Copy {
    pub name: String,
    pub href: String,
    pub upgraded_by: &'static str,
    pub current: bool,
}

#[derive(Serialize)]
pub struct Facts {
    pub customer: String,
    pub product: String,
    pub current_version: String,
    pub target_version: String,
    pub case: Option<String>,
    pub earliest_start: String,
    pub ideal_start: String,
    pub deadline: String,
    pub deadline_reason: String,
    pub access_acknowledged: bool,
    pub provider: String,
    pub program: String,
    pub request_title: String,
}

#[derive(Serialize)]
pub struct EnvironmentRow {
    pub name: String,
    pub role: &'static str,
    pub upgraded_by: &'static str,
    pub by_provider: bool,
    pub paid: bool,
    pub hosts: Vec<HostRow>,
    pub vars: Vec<(String, String)>,
}

#[derive(Serialize)]
pub struct HostRow {
    pub name: String,
    pub role: String,
}

#[derive(Serialize)]
pub struct ExclusionView {
    pub title: &'static str,
    pub summary: String,
}

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

#[derive(Serialize)]
pub struct PhaseView {
    pub id: String,
    pub title: String,
    pub milestone: String,
    pub owner: String,
    pub sections: Vec<SectionView>,
}

#[derive(Clone, Serialize)]
pub struct SectionView {
    pub id: String,
    pub title: String,
    pub source: String,
    /// Shared, not copied, by every page that shows the section: it is
    /// most of a page's bytes.
    pub html: minijinja::Value,
    /// The first and last step's labels (`3`, `B1`).
    pub steps: Option<(String, String)>,
    pub toc: Vec<TocEntry>,
    /// What search finds in this section, the section and each step, as
    /// the index's JSON entries (comma-separated). Made and cached with
    /// the HTML, so every copy that shows the section, and every `serve`
    /// rebuild, reuses the serialised text.
    #[serde(skip)]
    pub search: std::sync::Arc<str>,
}

/// One place search can jump to: a section or a step.
#[derive(Clone, Debug, Serialize)]
pub struct SearchEntry {
    /// `#step-12`, `#back-up-the-configuration`.
    pub href: String,
    /// `Step 12`, or the section's title.
    pub title: String,
    /// The section a step is in, for the result list.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub section: String,
    /// The start of the text, shown under the result.
    pub text: String,
    /// Each distinct word of the whole text once, lowercase: what is
    /// searched.
    pub words: String,
}

#[derive(Clone, Serialize)]
pub struct TocEntry {
    pub id: String,
    pub title: String,
}

#[derive(Serialize)]
pub struct RequestView {
    pub id: String,
    pub raised_against: String,
    pub section: String,
    pub section_title: Option<String>,
    pub raised_by: String,
    pub date: String,
    pub kind: &'static str,
    pub request: String,
    pub status: &'static str,
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

/// Everything the playbook and report templates share.
#[derive(Serialize)]
pub struct Content {
    pub facts: Facts,
    pub environment: Option<String>,
    /// A copy for an environment the customer upgrades: the provider's
    /// own staging dates and who-does-it lines stay out of it.
    pub customer_copy: bool,
    pub environments: Vec<EnvironmentRow>,
    pub exclusions: Vec<ExclusionView>,
    pub milestones: Vec<MilestoneView>,
    pub phases: Vec<PhaseView>,
    /// The back-out plan's sections, numbered B1, B2, ...
    pub back_out: Vec<SectionView>,
    /// The step after which going back means the back-out plan.
    pub point_of_no_return: Option<String>,
    /// The "Known issues" part (one section, or none).
    pub known_issues: Vec<SectionView>,
    pub appendix: Vec<SectionView>,
    pub schedule: ScheduleView,
    /// Findings, tests and what support covers, from `run.yaml`.
    pub run: RunView,
    pub contacts: Vec<crate::model::engagement::Contact>,
    /// Where change requests go (`receives_requests: true`), if anyone.
    pub requests_to: Option<crate::model::engagement::Contact>,
    pub requests: Vec<RequestView>,
    pub step_count: u32,
    pub owners: Vec<String>,
    /// What the customer must have done before the first step: the work
    /// the process gives the customer ahead of the upgrade itself.
    pub prerequisites: Vec<String>,
}

impl Content {
    /// Every section the page shows, in page order.
    pub fn sections(&self) -> impl Iterator<Item = &SectionView> {
        self.phases
            .iter()
            .flat_map(|p| &p.sections)
            .chain(&self.back_out)
            .chain(&self.known_issues)
            .chain(&self.appendix)
    }
}

/// The view of a playbook. Section HTML is rendered only for pages that
/// show the sections (given `sections`): it is the expensive part.
pub fn content(playbook: &Playbook, fill: Fill, sections: Option<&dyn RenderSection>) -> Content {
    // Section HTML is rendered on every core: highlighting dominates a
    // large build. Copies rendered side by side share the same pool.
    let with_sections = sections.is_some();
    let mut rendered = match sections {
        Some(sections) => {
            let jobs: Vec<(&Section, u8)> = playbook
                .phases
                .iter()
                .flat_map(|ph| &ph.sections)
                .filter(|s| fill.shows(s))
                .map(|s| (s, 4))
                .chain(
                    playbook
                        .back_out
                        .iter()
                        .filter(|s| fill.shows(s))
                        .map(|s| (s, 3)),
                )
                .chain(playbook.known_issues.iter().map(|s| (s, 3)))
                .chain(
                    playbook
                        .appendix
                        .iter()
                        .filter(|s| fill.shows(s))
                        .map(|s| (s, 3)),
                )
                .collect();
            jobs.par_iter()
                .map(|(s, base)| sections.render(s, *base, fill))
                .collect::<Vec<_>>()
        }
        None => Vec::new(),
    }
    .into_iter();
    let e = &playbook.engagement;
    let p = &playbook.process;
    let environment = match fill {
        Fill::With { env, .. } => env.map(|e| e.name.clone()),
        Fill::Done => playbook.environment.clone(),
    };
    let paid: Vec<&str> = playbook
        .exclusions
        .iter()
        .flat_map(|x| match x {
            crate::model::exclusions::Exclusion::MultipleEnvironments { paid } => {
                paid.iter().map(String::as_str).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let schedule = &playbook.schedule;
    let planned = |id: &str| schedule.items.iter().find(|i| i.activity == id);
    Content {
        facts: Facts {
            customer: e.customer.clone(),
            product: e.product.clone(),
            current_version: e.current_version.clone(),
            target_version: e.target_version.clone(),
            case: e.case.clone(),
            earliest_start: iso(e.dates.earliest_start),
            ideal_start: iso(e.dates.ideal_start),
            deadline: iso(e.dates.deadline),
            deadline_reason: e.dates.deadline_reason.clone(),
            access_acknowledged: e.access_acknowledged,
            provider: p.provider.clone(),
            program: p.program.clone(),
            request_title: p.request_title.clone(),
        },
        environment: environment.clone(),
        customer_copy: e.environments.iter().any(|env| {
            Some(&env.name) == environment.as_ref() && env.upgraded_by == Upgrader::Customer
        }),
        environments: e
            .environments
            .iter()
            .map(|env| EnvironmentRow {
                name: env.name.clone(),
                role: env.role.label(),
                upgraded_by: env.upgraded_by.party(),
                by_provider: env.upgraded_by == Upgrader::Platinum,
                paid: paid.contains(&env.name.as_str()),
                hosts: env
                    .hosts
                    .iter()
                    .map(|h| HostRow {
                        name: h.name.clone(),
                        role: h.role.clone(),
                    })
                    .collect(),
                vars: env
                    .vars
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            })
            .collect(),
        exclusions: playbook
            .exclusions
            .iter()
            .map(|x| ExclusionView {
                title: x.title(),
                summary: x.summary(),
            })
            .collect(),
        milestones: p
            .milestones
            .iter()
            .map(|m| MilestoneView {
                name: m.name.clone(),
                activities: m
                    .groups
                    .iter()
                    .flat_map(|g| g.activities.iter().map(move |a| (g, a)))
                    .map(|(g, a)| {
                        let duration = match &a.span {
                            Some(span) => p
                                .spans
                                .iter()
                                .find(|s| &s.id == span)
                                .map_or_else(String::new, |s| format!("{}, shared", s.duration)),
                            None if a.duration == Duration::None => "—".into(),
                            None => a.duration.to_string(),
                        };
                        ActivityView {
                            id: a.id.clone(),
                            title: a.title.clone(),
                            group: g.name.clone(),
                            owner: a.owner.clone(),
                            duration,
                            does: a.does.clone(),
                            start: planned(&a.id).map(|i| iso(i.start)).unwrap_or_default(),
                            end: planned(&a.id).map(|i| iso(i.end)).unwrap_or_default(),
                            has_notes: playbook.phases.iter().any(|ph| {
                                ph.activity == a.id && ph.sections.iter().any(|s| fill.shows(s))
                            }),
                        }
                    })
                    .collect(),
            })
            .collect(),
        phases: playbook
            .phases
            .iter()
            .filter(|_| with_sections)
            .map(|ph| PhaseView {
                id: format!("phase-{}", ph.activity),
                title: ph.title.clone(),
                milestone: ph.milestone.clone(),
                owner: ph.owner.clone(),
                sections: rendered
                    .by_ref()
                    .take(ph.sections.iter().filter(|s| fill.shows(s)).count())
                    .collect(),
            })
            .filter(|ph| !ph.sections.is_empty())
            .collect(),
        back_out: rendered
            .by_ref()
            .take(playbook.back_out.iter().filter(|s| fill.shows(s)).count())
            .collect(),
        point_of_no_return: match fill {
            Fill::With { layout, .. } => layout.no_return.clone(),
            Fill::Done => {
                let env = e
                    .environments
                    .iter()
                    .find(|env| Some(&env.name) == environment.as_ref());
                playbook.step_layout(env).no_return
            }
        },
        known_issues: rendered
            .by_ref()
            .take(playbook.known_issues.len())
            .collect(),
        appendix: rendered.by_ref().collect(),
        schedule: schedule::view(playbook),
        run: run::view(playbook, fill),
        contacts: e.contacts.clone(),
        requests_to: e
            .contacts
            .iter()
            .find(|c| c.receives_requests && c.email.is_some())
            .cloned(),
        requests: playbook
            .change_requests
            .iter()
            .map(|r| RequestView {
                id: r.id.clone(),
                raised_against: r.raised_against.clone(),
                section: r.section.clone(),
                section_title: fill.section_title(playbook, &r.section),
                raised_by: r.raised_by.clone(),
                date: iso(r.date),
                kind: r.kind.label(),
                request: r.request.clone(),
                status: r.status.label(),
                status_class: r.status.label().to_ascii_lowercase(),
                resolution: r.resolution.clone(),
                applied_in: r.applied_in.clone(),
                comments: CommentView::of(&r.comments),
            })
            .collect(),
        step_count: match fill {
            Fill::With { layout, .. } => layout.total,
            Fill::Done => playbook.step_count(),
        },
        prerequisites: prerequisites(playbook),
        owners: p.owners.values().cloned().collect(),
    }
}

fn prerequisites(playbook: &Playbook) -> Vec<String> {
    let p = &playbook.process;
    p.activities()
        .take_while(|a| a.span.is_none())
        .filter(|a| a.is_customers() && a.duration != Duration::None)
        .flat_map(|a| a.does.iter().cloned())
        .collect()
}

/// A version in the switcher and on the versions page.
#[derive(Debug, Clone, Serialize)]
pub struct VersionLink {
    pub label: String,
    pub folder: String,
    pub is_draft: bool,
    pub date: Option<String>,
    pub accepted_by: Option<String>,
    pub accepted_on: Option<String>,
    pub acceptance_reference: Option<String>,
    /// Change requests applied in this version.
    pub resolved: Vec<String>,
}

/// Renders one section's body for a page; the HTML backend's section
/// cache is one. Views ask through this so they need no backend.
pub trait RenderSection: Sync {
    fn render(&self, section: &Section, heading_base: u8, fill: Fill) -> SectionView;
}

/// Whether a section is still to be made into a copy's section: its
/// `{{ name }}` references filled, content for its environment resolved,
/// its steps numbered in that copy.
#[derive(Clone, Copy)]
pub enum Fill<'a> {
    /// The section comes from a copy that is already made.
    Done,
    /// Fill from `playbook`'s values and `env`'s; `key` is
    /// `playbook.values_key(env)` and `layout` where each section's steps
    /// start in this copy, both computed once per page.
    With {
        playbook: &'a Playbook,
        env: Option<&'a Environment>,
        key: u64,
        layout: &'a StepLayout,
    },
}

impl<'a> Fill<'a> {
    pub fn new(
        playbook: &'a Playbook,
        env: Option<&'a Environment>,
        layout: &'a StepLayout,
    ) -> Fill<'a> {
        Fill::With {
            playbook,
            env,
            key: playbook.values_key(env),
            layout,
        }
    }

    /// The title of `playbook`'s section `id` as this copy shows it.
    pub fn section_title(self, playbook: &Playbook, id: &str) -> Option<String> {
        let section = playbook.sections().find(|s| s.id == id)?;
        Some(match self {
            Fill::With { playbook, env, .. } => playbook.title_for(&section.title, env),
            Fill::Done => section.title.clone(),
        })
    }

    /// Whether this copy shows `section` at all.
    pub fn shows(self, section: &Section) -> bool {
        match self {
            Fill::Done => true,
            Fill::With { layout, .. } => layout.offsets.contains_key(&section.id),
        }
    }

    /// Where `section`'s steps start in this copy.
    pub fn step_offset(self, section: &Section) -> u32 {
        match self {
            Fill::Done => section.step_offset,
            Fill::With { layout, .. } => layout
                .offsets
                .get(&section.id)
                .copied()
                .unwrap_or(section.step_offset),
        }
    }

    pub(crate) fn values_key(self) -> Option<u64> {
        match self {
            Fill::Done => None,
            Fill::With { key, .. } => Some(key),
        }
    }
}
