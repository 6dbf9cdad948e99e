//! Stage 2: the typed playbook every backend reads. Built once from a
//! loaded project; cross-file rules (unique ids, known phases, change
//! requests pointing at real sections) are checked here.

pub mod document;
pub mod engagement;
pub mod exclusions;
pub mod process;
pub mod review;
pub mod schedule;
pub mod slug;
pub mod variables;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use time::Date;

use crate::diagnostic::{Diagnostic, Diagnostics, closest};
use crate::load::{BookConfig, Project};
use document::{Block, Section};
use engagement::{Engagement, Environment};
use exclusions::Exclusion;
use process::Process;
use review::ChangeRequest;
use schedule::Schedule;
use variables::Scope;

/// A file the output needs besides the pages (a screenshot from a note).
#[derive(Debug, Clone, Serialize)]
pub struct Asset {
    pub name: String,
    pub media_type: &'static str,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// The playbook's notes for one process activity.
#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub activity: String,
    pub title: String,
    pub milestone: String,
    pub owner: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Playbook {
    pub config: BookConfig,
    /// `draft`, or the release's version.
    pub version: String,
    /// The date printed on the playbook: `SOURCE_DATE_EPOCH` when set,
    /// else none (never the clock, so builds repeat byte for byte).
    #[serde(with = "optional_date")]
    pub date: Option<Date>,
    pub engagement: Engagement,
    pub process: Process,
    pub schedule: Schedule,
    pub exclusions: Vec<Exclusion>,
    /// Which environment's values fill `{{ env.* }}` in this copy.
    pub environment: Option<String>,
    pub phases: Vec<Phase>,
    pub appendix: Vec<Section>,
    pub change_requests: Vec<ChangeRequest>,
    #[serde(skip)]
    pub assets: BTreeMap<String, Asset>,
    /// Variables stay unresolved in this tree; `for_environment` fills them.
    #[serde(skip)]
    scope: Scope,
}

impl Playbook {
    pub fn sections(&self) -> impl Iterator<Item = &Section> {
        self.phases
            .iter()
            .flat_map(|p| &p.sections)
            .chain(&self.appendix)
    }

    /// This playbook with every `{{ name }}` replaced, `env.*` from `env`.
    pub fn for_environment(&self, env: Option<&Environment>) -> Playbook {
        let mut copy = self.clone();
        copy.environment = env.map(|e| e.name.clone());
        let lookup = self.scope.lookup(env);
        let mut replace = |text: &mut String| {
            if let Some(done) = variables::substitute(text, &lookup) {
                *text = done;
            }
        };
        for section in copy
            .phases
            .iter_mut()
            .flat_map(|p| &mut p.sections)
            .chain(&mut copy.appendix)
        {
            replace(&mut section.title);
            document::map_text(&mut section.blocks, &mut replace);
        }
        copy
    }

    /// The main playbook: filled with the environment the provider upgraded.
    pub fn reference(&self) -> Playbook {
        self.for_environment(self.engagement.reference_environment())
    }

    pub fn step_count(&self) -> u32 {
        let mut count = 0;
        for section in self.sections() {
            count_steps(&section.blocks, &mut count);
        }
        count
    }
}

fn count_steps(blocks: &[Block], count: &mut u32) {
    for block in blocks {
        if let Block::Steps { steps } = block {
            *count += steps.len() as u32;
        }
    }
}

/// Ids the playbook's own generated sections use; notes may not take them.
pub const FRONT_SECTIONS: &[&str] = &[
    "scope",
    "environments",
    "who-does-what",
    "prerequisites",
    "schedule",
    "process-in-detail",
];

pub fn build(project: Project, date: Option<Date>, diags: &mut Diagnostics) -> Option<Playbook> {
    let before = diags.errors().count();
    let Project {
        config,
        engagement,
        process,
        notes,
        process_text,
        requests,
        requests_file,
        assets,
        ..
    } = project;

    let mut seen: BTreeMap<String, String> = FRONT_SECTIONS
        .iter()
        .map(|id| (id.to_string(), "the playbook's own sections".to_string()))
        .collect();
    let activity_ids: Vec<&str> = process.activities().map(|a| a.id.as_str()).collect();
    let mut by_phase: BTreeMap<String, Vec<Section>> = BTreeMap::new();
    let mut appendix = Vec::new();
    for (loaded, is_note) in notes
        .into_iter()
        .map(|n| (n, true))
        .chain(process_text.into_iter().map(|n| (n, false)))
    {
        let section = loaded.section;
        let origin = &loaded.origin;
        if let Some(first) = seen.get(&section.id) {
            let (line, col) = origin.id_at;
            diags.push(
                Diagnostic::error(format!(
                    "section id `{}` is already used by {first}",
                    section.id
                ))
                .at(&origin.file, line, col)
                .with_hint("give this note its own `id:` in the front matter"),
            );
            continue;
        }
        seen.insert(section.id.clone(), section.source.clone());
        if !is_note {
            appendix.push(section);
            continue;
        }
        let phase = section.phase.clone().unwrap_or_default();
        if !activity_ids.contains(&phase.as_str()) {
            let (line, col) = origin.phase_at;
            let hint = match closest(&phase, activity_ids.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("phases are the process activities: {}", activity_ids.join(", ")),
            };
            diags.push(
                Diagnostic::error(format!("unknown phase `{phase}`"))
                    .at(&origin.file, line, col)
                    .with_hint(hint),
            );
            continue;
        }
        by_phase.entry(phase).or_default().push(section);
    }

    let mut phases = Vec::new();
    for milestone in &process.milestones {
        for activity in milestone.groups.iter().flat_map(|g| &g.activities) {
            if let Some(mut sections) = by_phase.remove(&activity.id) {
                // Stable: equal `order` keeps file-name order.
                sections.sort_by_key(|s| s.order);
                phases.push(Phase {
                    activity: activity.id.clone(),
                    title: activity.title.clone(),
                    milestone: milestone.name.clone(),
                    owner: activity.owner.clone(),
                    sections,
                });
            }
        }
    }
    number_steps(&mut phases);

    let ids: BTreeSet<&str> = seen.keys().map(String::as_str).collect();
    let mut change_requests = Vec::new();
    for loaded in requests {
        let request = loaded.request;
        if !ids.contains(request.section.as_str())
            && let Some(file) = &requests_file
        {
            let (line, col) = loaded.section_at;
            let hint = match closest(&request.section, ids.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "use the id of a section of the playbook (its slug, or `id:` in the note)"
                    .to_string(),
            };
            diags.push(
                Diagnostic::error(format!(
                    "change request `{}` refers to section `{}`, which does not exist",
                    request.id, request.section
                ))
                .at(file, line, col)
                .with_hint(hint),
            );
        }
        change_requests.push(request);
    }

    let scope = Scope::new(&engagement, process.variables());
    let schedule = schedule::plan(&engagement, &process);
    let exclusions = exclusions::applicable(&engagement);
    if diags.errors().count() > before {
        return None;
    }
    Some(Playbook {
        config,
        version: "draft".into(),
        date,
        engagement,
        process,
        schedule,
        exclusions,
        environment: None,
        phases,
        appendix,
        change_requests,
        assets,
        scope,
    })
}

/// Steps number through the whole playbook, in reading order.
fn number_steps(phases: &mut [Phase]) {
    let mut next = 1;
    for section in phases.iter_mut().flat_map(|p| &mut p.sections) {
        for block in &mut section.blocks {
            if let Block::Steps { steps } = block {
                for step in steps {
                    step.number = next;
                    next += 1;
                }
            }
        }
    }
}

mod optional_date {
    use serde::Serializer;
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.serialize_some(&super::engagement::iso(*d)),
            None => s.serialize_none(),
        }
    }
}

/// The date `SOURCE_DATE_EPOCH` names, if set and valid.
pub fn source_date() -> Option<Date> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .map(|t| t.date())
}

