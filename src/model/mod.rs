//! Stage 2: the typed playbook every backend reads, and the types every
//! stage shares (the book's settings, versions, releases). It depends on
//! no stage: `load` assembles it and checks the cross-file rules (unique
//! ids, known phases, change requests pointing at real sections).

pub mod config;
pub mod copies;
pub mod document;
pub mod docx_names;
pub mod engagement;
pub mod exclusions;
pub mod image_size;
pub mod process;
pub mod release;
pub mod review;
pub mod run;
pub mod schedule;
pub mod slug;
mod tag_first;
pub mod variables;
pub mod version;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::Date;

use config::BookConfig;
use document::{Block, Section};
use engagement::{Engagement, Environment};
use exclusions::Exclusion;
use process::Process;
use review::ChangeRequest;
use run::Run;
use schedule::Schedule;
use variables::Scope;

/// A file the output needs besides the pages (a screenshot from a note).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Asset {
    pub name: String,
    pub media_type: String,
    /// Shared, not copied, by the playbook's copies for each environment
    /// and document.
    #[serde(skip)]
    pub bytes: std::sync::Arc<[u8]>,
    /// The project-relative file it was read from (none in a release),
    /// so `serve` notices when the image changes.
    #[serde(skip)]
    pub source: Option<std::path::PathBuf>,
}

/// The playbook's notes for one process activity.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Phase {
    pub activity: String,
    pub title: String,
    pub milestone: String,
    pub owner: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Playbook {
    pub config: BookConfig,
    /// `draft`, or the release's version.
    pub version: String,
    /// Who accepted this version as final (releases made with `--final`).
    #[serde(default)]
    pub accepted_by: Option<String>,
    /// When, and where the acceptance is recorded (`--accepted-on`,
    /// `--reference`).
    #[serde(
        default,
        with = "optional_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub accepted_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance_reference: Option<String>,
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
    /// The back-out plan: notes with `phase: back-out`, numbered B1, B2, ...
    #[serde(default)]
    pub back_out: Vec<Section>,
    /// Issues found on the way that no section's steps fix: a part of
    /// their own before the appendix (one section, or none).
    #[serde(default)]
    pub known_issues: Vec<Section>,
    pub appendix: Vec<Section>,
    pub change_requests: Vec<ChangeRequest>,
    /// What happened in the environment the provider upgraded.
    #[serde(default)]
    pub run: Run,
    #[serde(skip)]
    pub assets: BTreeMap<String, Asset>,
    /// Variables stay unresolved in this tree; `for_environment` fills them.
    #[serde(skip)]
    pub(crate) scope: Scope,
}

/// A part of the playbook that holds sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    /// The upgrade steps, phase by phase.
    Phases,
    /// The back-out plan.
    BackOut,
    /// Findings no section's steps fix.
    KnownIssues,
    /// The process and FAQ.
    Appendix,
}

/// The order every output shows the parts in, defined here once: the
/// model, the views and the templates (through `parts` in their data)
/// all follow it.
pub const PARTS: [Part; 4] = [
    Part::Phases,
    Part::BackOut,
    Part::KnownIssues,
    Part::Appendix,
];

impl Playbook {
    /// Every section, in the order of [`PARTS`].
    pub fn sections(&self) -> impl Iterator<Item = &Section> {
        PARTS.into_iter().flat_map(|part| {
            let (phases, list) = self.part(part);
            phases.iter().flat_map(|p| &p.sections).chain(list)
        })
    }

    /// The phases (for [`Part::Phases`]) or the sections of a part.
    pub fn part(&self, part: Part) -> (&[Phase], &[Section]) {
        match part {
            Part::Phases => (&self.phases, &[]),
            Part::BackOut => (&[], &self.back_out),
            Part::KnownIssues => (&[], &self.known_issues),
            Part::Appendix => (&[], &self.appendix),
        }
    }

    /// Every section to change, in the order of [`PARTS`].
    fn sections_mut(&mut self) -> impl Iterator<Item = &mut Section> {
        let mut phases = Some(&mut self.phases[..]);
        let mut lists = [
            (Part::BackOut, Some(&mut self.back_out[..])),
            (Part::KnownIssues, Some(&mut self.known_issues[..])),
            (Part::Appendix, Some(&mut self.appendix[..])),
        ];
        let parts = PARTS.map(|part| {
            let list = lists
                .iter_mut()
                .find(|(p, _)| *p == part)
                .and_then(|(_, l)| l.take());
            let phases = if part == Part::Phases {
                phases.take()
            } else {
                None
            };
            (phases.unwrap_or_default(), list.unwrap_or_default())
        });
        parts.into_iter().flat_map(|(phases, list)| {
            phases
                .iter_mut()
                .flat_map(|p| p.sections.iter_mut())
                .chain(list.iter_mut())
        })
    }

    /// `env`'s copy of this playbook: content for other environments
    /// dropped, content per host repeated, steps numbered again, and every
    /// `{{ name }}` replaced, `env.*` from `env`.
    pub fn for_environment(&self, env: Option<&Environment>) -> Playbook {
        let mut copy = self.clone();
        copy.environment = env.map(|e| e.name.clone());
        let lookup = self.scope.lookup(env);
        let mut replace = |text: &mut String| {
            if let Some(done) = variables::substitute(text, &lookup) {
                *text = done;
            }
        };
        let record = record_header(env);
        for section in copy.keep_shown(env) {
            fill(section, &mut replace, record.as_deref(), env);
        }
        copy.number_steps();
        copy
    }

    /// Drops the sections `env`'s copy does not show (and phases left
    /// empty); returns the sections left, to be filled in.
    pub fn keep_shown(&mut self, env: Option<&Environment>) -> impl Iterator<Item = &mut Section> {
        for phase in &mut self.phases {
            phase.sections.retain(|s| copies::shows(&s.only, env));
        }
        self.phases.retain(|p| !p.sections.is_empty());
        self.back_out.retain(|s| copies::shows(&s.only, env));
        self.appendix.retain(|s| copies::shows(&s.only, env));
        self.sections_mut()
    }

    /// One section as `env`'s copy shows it, its steps starting after
    /// `offset`, without copying the rest of the playbook.
    pub fn section_for(
        &self,
        section: &Section,
        env: Option<&Environment>,
        offset: u32,
    ) -> Section {
        let mut copy = section.clone();
        let lookup = self.scope.lookup(env);
        let mut replace = |text: &mut String| {
            if let Some(done) = variables::substitute(text, &lookup) {
                *text = done;
            }
        };
        fill(&mut copy, &mut replace, record_header(env).as_deref(), env);
        copy.step_offset = offset;
        copy
    }

    /// Where each section's steps start in `env`'s copy, and which
    /// sections it shows.
    pub fn step_layout(&self, env: Option<&Environment>) -> copies::StepLayout {
        copies::StepLayout::of(self.sections(), env)
    }

    /// A phase's title as `env`'s copy shows it: a customer's copy tells
    /// the customer's run ("Upgrade Production") where the process data
    /// gives such a title.
    pub fn phase_title(&self, activity: &str, title: &str, env: Option<&Environment>) -> String {
        let in_copy = env
            .filter(|e| e.upgraded_by == engagement::Upgrader::Customer)
            .zip(
                self.process
                    .activity(activity)
                    .and_then(|a| a.in_copy.as_deref()),
            );
        match in_copy {
            Some((env, text)) => text.replace("{environment}", &env.name),
            None => title.to_string(),
        }
    }

    /// A title as `env`'s copy shows it.
    pub fn title_for(&self, title: &str, env: Option<&Environment>) -> String {
        variables::substitute(title, &self.scope.lookup(env)).unwrap_or_else(|| title.to_string())
    }

    /// A hash of every value `env`'s copy fills in: with a section's own
    /// hash it identifies that section's text in that copy.
    pub fn values_key(&self, env: Option<&Environment>) -> u64 {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut hasher = foldhash::quality::FixedState::with_seed(0).build_hasher();
        self.scope.values.hash(&mut hasher);
        env.map(|e| (&e.name, &e.vars)).hash(&mut hasher);
        record_header(env).hash(&mut hasher);
        hasher.finish()
    }

    /// Rebuilds what a snapshot does not store (the variable scope).
    pub fn restore_scope(&mut self) {
        self.scope = Scope::new(&self.engagement, self.process.variables());
    }

    /// The main playbook: filled with the environment the provider upgraded.
    pub fn reference(&self) -> Playbook {
        self.for_environment(self.engagement.reference_environment())
    }

    /// The upgrade's steps, without the back-out plan's.
    pub fn step_count(&self) -> u32 {
        let mut count = 0;
        for section in self.phases.iter().flat_map(|p| &p.sections) {
            count_steps(&section.blocks, &mut count);
        }
        count
    }
}

/// Fills one section for a copy: content for `env` resolved, variables
/// replaced, and a column to record results in when `record` names one.
/// Sections with none of these keep sharing their blocks with the
/// playbook they came from.
fn fill(
    section: &mut Section,
    replace: &mut dyn FnMut(&mut String),
    record: Option<&str>,
    env: Option<&Environment>,
) {
    if copies::varies(&section.blocks) {
        let mut blocks = copies::resolve(&section.blocks, env);
        copies::renumber(&mut blocks);
        section.blocks = Arc::new(blocks);
    }
    replace(&mut section.title);
    if document::any_text(&section.blocks, &mut variables::has_reference) {
        document::map_text(Arc::make_mut(&mut section.blocks).as_mut_slice(), replace);
    }
    if let Some(header) = record
        && document::has_records(&section.blocks)
    {
        document::add_record_column(Arc::make_mut(&mut section.blocks).as_mut_slice(), header);
    }
    // A customer's copy is a record of their own run.
    if record.is_some() && copies::has_ticks(&section.blocks) {
        copies::untick(Arc::make_mut(&mut section.blocks).as_mut_slice());
    }
}

/// The heading of the column a copy records its own results in: only
/// copies for environments the customer upgrades have one (and only they
/// clear the notes' ticked tasks).
fn record_header(env: Option<&Environment>) -> Option<String> {
    env.filter(|e| e.upgraded_by == engagement::Upgrader::Customer)
        .map(|e| format!("{} result", e.name))
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

/// The id of the part that lists findings no section's steps fix.
pub const KNOWN_ISSUES: &str = "known-issues";

/// Ids the HTML and the PDF give the parts of the playbook and the
/// back-out plan; a note that took one would make two targets of a link.
pub const PART_IDS: &[&str] = &[
    "part-before",
    "part-steps",
    "back-out",
    "part-back-out",
    "part-known-issues",
    "part-process",
];

impl Playbook {
    /// Numbers steps through the whole playbook, in reading order: each
    /// section starts where the one before it ended. The back-out plan
    /// counts on its own.
    pub fn number_steps(&mut self) {
        let mut before = 0;
        for section in self.phases.iter_mut().flat_map(|p| &mut p.sections) {
            section.step_offset = before;
            count_steps(&section.blocks, &mut before);
        }
        let mut before = 0;
        for section in &mut self.back_out {
            section.step_offset = before;
            count_steps(&section.blocks, &mut before);
        }
    }
}

pub(crate) mod optional_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.serialize_some(&super::engagement::iso(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|t| super::engagement::iso_date::parse(&t).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// The date `SOURCE_DATE_EPOCH` names, if set and valid.
pub fn source_date() -> Option<Date> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .map(|t| t.date())
}
