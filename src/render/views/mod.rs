//! What templates see. Built from the model for the templates' sake, so a
//! theme keeps working when the model changes shape.

use serde::Serialize;

use crate::model::engagement::Upgrader;
use crate::model::{PARTS, Part, Playbook};
use crate::strings::Strings;

mod engagement;
mod fill;
mod milestones;
mod page;
mod requests;
mod run;
mod schedule;
mod sections;

pub use engagement::{EnvironmentRow, ExclusionView, Facts, HostRow};
pub use fill::Fill;
pub use milestones::{ActivityView, MilestoneView};
pub use page::{Copy, Page, VersionCopy, VersionLink};
pub use requests::{CommentView, RequestView};
pub use run::RunView;
pub use schedule::ScheduleView;
pub use sections::{PhaseView, RenderSection, SearchEntry, SectionView, TocEntry};

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
    /// The order of the parts below (`phases`, `back-out`,
    /// `known-issues`, `appendix`), which templates follow.
    pub parts: [Part; 4],
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
        PARTS.into_iter().flat_map(|part| {
            let (phases, list): (&[PhaseView], &[SectionView]) = match part {
                Part::Phases => (&self.phases, &[]),
                Part::BackOut => (&[], &self.back_out),
                Part::KnownIssues => (&[], &self.known_issues),
                Part::Appendix => (&[], &self.appendix),
            };
            phases.iter().flat_map(|p| &p.sections).chain(list)
        })
    }
}

/// The view of a playbook. Section HTML is rendered only for pages that
/// show the sections (given `sections`): it is the expensive part.
pub fn content(
    playbook: &Playbook,
    fill: Fill,
    sections: Option<&dyn RenderSection>,
    strings: &Strings,
) -> Content {
    let e = &playbook.engagement;
    let environment = match fill {
        Fill::With { env, .. } => env.map(|e| e.name.clone()),
        Fill::Done => playbook.environment.clone(),
    };
    let copy_of = environment.as_deref().and_then(|name| e.environment(name));
    let parts = sections.map_or_else(sections::Parts::default, |render| {
        sections::parts(playbook, fill, copy_of, render)
    });
    Content {
        facts: engagement::facts(playbook),
        customer_copy: copy_of.is_some_and(|env| env.upgraded_by == Upgrader::Customer),
        environments: engagement::environments(playbook, strings),
        exclusions: engagement::exclusions(playbook),
        milestones: milestones::view(playbook, fill, strings),
        parts: PARTS,
        phases: parts.phases,
        back_out: parts.back_out,
        point_of_no_return: match fill {
            Fill::With { layout, .. } => layout.no_return.clone(),
            Fill::Done => playbook.step_layout(copy_of).no_return,
        },
        known_issues: parts.known_issues,
        appendix: parts.appendix,
        schedule: schedule::view(playbook, strings),
        run: run::view(playbook, fill, strings),
        contacts: e.contacts.clone(),
        requests_to: e
            .contacts
            .iter()
            .find(|c| c.receives_requests && c.email.is_some())
            .cloned(),
        requests: requests::view(playbook, fill, strings),
        step_count: match fill {
            Fill::With { layout, .. } => layout.total,
            Fill::Done => playbook.step_count(),
        },
        prerequisites: milestones::prerequisites(playbook, fill, strings),
        owners: playbook.process.owners.values().cloned().collect(),
        environment,
    }
}
