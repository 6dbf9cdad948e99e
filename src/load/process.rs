//! The process data and text: embedded defaults, each replaceable by a file
//! of the same name under `content/process/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::yaml::{self, Spanned};
use crate::defaults;
use crate::diagnostic::SourceFile;
use crate::diagnostic::{Diagnostic, Diagnostics};
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
    let mut bad_durations = Vec::new();
    let mut duration = |value: &Spanned<String>| match Duration::parse(&value.value) {
        Ok(d) => d,
        Err(message) => {
            bad_durations.push(yaml::error_at(&file, value, 0, message));
            Duration::NotStated
        }
    };
    let response_time = duration(&raw.response_time);
    let spans: Vec<Span> = raw
        .spans
        .iter()
        .map(|s| Span {
            id: s.id.clone(),
            title: s.title.clone(),
            duration: duration(&s.duration),
            note: s.note.clone(),
        })
        .collect();
    let mut milestones = Vec::new();
    let mut planned_in_span: BTreeMap<String, u32> = BTreeMap::new();
    for m in raw.milestones {
        let mut groups = Vec::new();
        for g in m.groups {
            let mut activities = Vec::new();
            for a in g.activities {
                let owner = match raw.owners.get(&a.owner.value) {
                    Some(name) => name.clone(),
                    None => {
                        let known: Vec<&str> = raw.owners.keys().map(String::as_str).collect();
                        diags.push(
                            yaml::error_at(
                                &file,
                                &a.owner,
                                0,
                                format!("unknown owner `{}`", a.owner.value),
                            )
                            .with_hint(format!("owners are: {}", known.join(", "))),
                        );
                        String::new()
                    }
                };
                let own = a.duration.as_ref().map(&mut duration);
                let plan = a.plan.as_ref().map(&mut duration);
                if let Some(span) = &a.span
                    && !spans.iter().any(|s| s.id == span.value)
                {
                    diags.push(yaml::error_at(
                        &file,
                        span,
                        0,
                        format!("unknown span `{}`", span.value),
                    ));
                }
                let stated = own.unwrap_or(Duration::NotStated);
                let planned_days = plan
                    .and_then(Duration::planned_days)
                    .or_else(|| stated.planned_days());
                let Some(planned_days) = planned_days else {
                    diags.push(
                        yaml::error_at(
                            &file,
                            &a.id,
                            0,
                            format!("activity `{}` has no duration to plan with", a.id.value),
                        )
                        .with_hint("give it `duration`, or `plan` when the duration is not stated or shared"),
                    );
                    continue;
                };
                if let Some(span) = &a.span {
                    *planned_in_span.entry(span.value.clone()).or_default() += planned_days;
                }
                activities.push(Activity {
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
                });
            }
            groups.push(Group {
                name: g.name,
                activities,
            });
        }
        milestones.push(Milestone {
            name: m.name,
            groups,
        });
    }
    diags.extend(bad_durations);
    for (span, raw_span) in spans.iter().zip(&raw.spans) {
        let planned = planned_in_span.get(&span.id).copied().unwrap_or(0);
        if let Some(max) = span.duration.planned_days()
            && planned != max
        {
            diags.push(yaml::error_at(
                &file,
                &raw_span.duration,
                0,
                format!(
                    "the activities in span `{}` plan {planned} business days, but the span lasts {max}",
                    span.id
                ),
            ));
        }
    }
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
    // The activity descriptions may name figures too ("within {{ response_time }}").
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
    (diags.items.len() == before).then_some(process)
}
