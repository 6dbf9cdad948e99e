//! The process data and text: embedded defaults, each replaceable by a file
//! of the same name under `content/process/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::yaml::{self, Spanned};
use crate::defaults;
use crate::diagnostic::{At, Diagnostic, Diagnostics, SourceFile};
use crate::model::process::{Activity, Duration, Group, Milestone, Process, Span};
use crate::model::variables::{references, substitute};

const WHAT: &str = "the process data (provider, program, owners, spans, milestones)";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProcess {
    provider: String,
    program: String,
    portal: String,
    request_title: String,
    response_time: Spanned<String>,
    owners: BTreeMap<String, String>,
    #[serde(default)]
    spans: Vec<RawSpan>,
    milestones: Vec<RawMilestone>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpan {
    id: String,
    title: String,
    duration: Spanned<String>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMilestone {
    name: String,
    groups: Vec<RawGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: String,
    activities: Vec<RawActivity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActivity {
    id: Spanned<String>,
    title: String,
    /// The title a customer's copy gives the phase, `{environment}` for
    /// the copy's environment ("Upgrade {environment}").
    #[serde(default)]
    in_copy: Option<String>,
    owner: Spanned<String>,
    #[serde(default)]
    duration: Option<Spanned<String>>,
    #[serde(default)]
    span: Option<Spanned<String>>,
    #[serde(default)]
    plan: Option<Spanned<String>>,
    #[serde(default)]
    after_completion: bool,
    #[serde(default)]
    does: Vec<String>,
}

/// A process file: the project's override if there is one, else ours.
pub fn source(root: &Path, name: &str, embedded: &str) -> Result<SourceFile, Diagnostic> {
    let relative = PathBuf::from("content/process").join(name);
    if root.join(&relative).is_file() {
        super::limits::read_note(root, &relative)
    } else {
        Ok(SourceFile::new(
            PathBuf::from("(built-in) process").join(name),
            embedded,
        ))
    }
}

pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Process> {
    let file = diags.take(source(root, defaults::PROCESS_DATA, defaults::PROCESS_YAML))?;
    let raw: RawProcess = diags.take(yaml::parse(&file, &file.text, 0, WHAT))?;
    let before = diags.items.len();
    let mut reader = Reader {
        file: &file,
        owners: &raw.owners,
        spans: Vec::new(),
        bad_durations: Vec::new(),
        planned_in_span: BTreeMap::new(),
        diags,
    };
    let response_time = reader.duration(&raw.response_time);
    reader.spans = raw.spans.iter().map(|s| reader.span(s)).collect();
    let milestones = raw
        .milestones
        .into_iter()
        .map(|m| reader.milestone(m))
        .collect();
    // A duration that does not parse is reported after the activities.
    let Reader {
        spans,
        bad_durations,
        planned_in_span,
        ..
    } = reader;
    diags.extend(bad_durations);
    spans_add_up(&file, &spans, &raw.spans, &planned_in_span, diags);
    let mut process = Process {
        provider: raw.provider,
        program: raw.program,
        portal: raw.portal,
        request_title: raw.request_title,
        response_time,
        owners: raw.owners,
        spans,
        milestones,
    };
    fill_in_what_activities_do(&file, &mut process, diags);
    (diags.items.len() == before).then_some(process)
}

/// What reading the milestones needs at hand, and what they add up to.
struct Reader<'a> {
    file: &'a SourceFile,
    owners: &'a BTreeMap<String, String>,
    spans: Vec<Span>,
    bad_durations: Vec<Diagnostic>,
    /// Business days planned in each span by its activities.
    planned_in_span: BTreeMap<String, u32>,
    diags: &'a mut Diagnostics,
}

impl Reader<'_> {
    fn duration(&mut self, value: &Spanned<String>) -> Duration {
        Duration::parse(&value.value)
            .at(self.file, value)
            .unwrap_or_else(|d| {
                self.bad_durations.push(d);
                Duration::NotStated
            })
    }

    fn span(&mut self, s: &RawSpan) -> Span {
        Span {
            id: s.id.clone(),
            title: s.title.clone(),
            duration: self.duration(&s.duration),
            note: s.note.clone(),
        }
    }

    fn milestone(&mut self, m: RawMilestone) -> Milestone {
        let groups = m
            .groups
            .into_iter()
            .map(|g| Group {
                name: g.name,
                activities: g
                    .activities
                    .into_iter()
                    .filter_map(|a| self.activity(a))
                    .collect(),
            })
            .collect();
        Milestone {
            name: m.name,
            groups,
        }
    }

    /// One activity: a known owner, a known span, and days to plan with.
    fn activity(&mut self, a: RawActivity) -> Option<Activity> {
        let owner = self.owner(&a.owner);
        let own = a.duration.as_ref().map(|d| self.duration(d));
        let plan = a.plan.as_ref().map(|d| self.duration(d));
        self.span_is_known(a.span.as_ref());
        let stated = own.unwrap_or(Duration::NotStated);
        let Some(planned_days) = plan
            .and_then(Duration::planned_days)
            .or_else(|| stated.planned_days())
        else {
            let message = format!("activity `{}` has no duration to plan with", a.id.value);
            self.diags.push(self.file.error(&a.id, message).with_hint(
                "give it `duration`, or `plan` when the duration is not stated or shared",
            ));
            return None;
        };
        if let Some(span) = &a.span {
            *self.planned_in_span.entry(span.value.clone()).or_default() += planned_days;
        }
        Some(Activity {
            id: a.id.value.clone(),
            title: a.title,
            in_copy: a.in_copy,
            owner,
            owner_id: a.owner.value.clone(),
            duration: stated,
            span: a.span.map(|s| s.value),
            planned_days,
            after_completion: a.after_completion,
            does: a.does,
        })
    }

    /// The owner's name, from the owners the file lists.
    fn owner(&mut self, owner: &Spanned<String>) -> String {
        if let Some(name) = self.owners.get(&owner.value) {
            return name.clone();
        }
        let known: Vec<&str> = self.owners.keys().map(String::as_str).collect();
        let message = format!("unknown owner `{}`", owner.value);
        self.diags.push(
            self.file
                .error(owner, message)
                .with_hint(format!("owners are: {}", known.join(", "))),
        );
        String::new()
    }

    fn span_is_known(&mut self, span: Option<&Spanned<String>>) {
        if let Some(span) = span
            && !self.spans.iter().any(|s| s.id == span.value)
        {
            let message = format!("unknown span `{}`", span.value);
            self.diags.push(self.file.error(span, message));
        }
    }
}

/// A span lasts exactly the business days its activities plan.
fn spans_add_up(
    file: &SourceFile,
    spans: &[Span],
    raw: &[RawSpan],
    planned_in_span: &BTreeMap<String, u32>,
    diags: &mut Diagnostics,
) {
    for (span, raw_span) in spans.iter().zip(raw) {
        let planned = planned_in_span.get(&span.id).copied().unwrap_or(0);
        if let Some(max) = span.duration.planned_days()
            && planned != max
        {
            diags.push(file.error(
                &raw_span.duration,
                format!(
                    "the activities in span `{}` plan {planned} business days, but the span lasts {max}",
                    span.id
                ),
            ));
        }
    }
}

/// The activity descriptions may name figures too ("within {{
/// response_time }}"): filled in here, each name checked.
fn fill_in_what_activities_do(file: &SourceFile, process: &mut Process, diags: &mut Diagnostics) {
    let values = process.variables();
    for activity in process
        .milestones
        .iter_mut()
        .flat_map(|m| &mut m.groups)
        .flat_map(|g| &mut g.activities)
    {
        for line in &mut activity.does {
            if let Some(name) = references(line)
                .map(|(_, n)| n)
                .find(|n| !values.contains_key(*n))
            {
                diags.push(
                    Diagnostic::error(format!(
                        "unknown variable `{{{{ {name} }}}}` in activity `{}`",
                        activity.id
                    ))
                    .in_file(&file.path),
                );
            }
            if let Some(done) = substitute(line, &|n| values.get(n).cloned()) {
                *line = done;
            }
        }
    }
}
