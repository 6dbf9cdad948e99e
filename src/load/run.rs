//! `content/run.yaml`: what happened in the environment the provider
//! upgraded. Read here with the positions of every reference, so that an
//! unknown activity, section or environment is reported where it is
//! written once the notes are known (`check_references`).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::markdown::{self, MarkdownContext};
use super::yaml::{self, Spanned};
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile, closest};
use crate::model::Asset;
use crate::model::document::Block;
use crate::model::engagement::{Engagement, iso, iso_date};
use crate::model::run::{
    Actual, Component, Finding, FindingStatus, Outcome, Retest, Run, TestResult,
};
use crate::model::variables::Scope;

pub const RUN: &str = "content/run.yaml";

const WHAT: &str = "what happened in the upgraded environment (activities, findings, tests)";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRun {
    #[serde(default)]
    activities: HashMap<Spanned<String>, RawActual>,
    #[serde(default)]
    findings: Vec<RawFinding>,
    #[serde(default)]
    tests: Vec<RawTest>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActual {
    started: Spanned<String>,
    #[serde(default)]
    finished: Option<Spanned<String>>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFinding {
    id: Spanned<String>,
    title: String,
    found_in: Spanned<String>,
    #[serde(default)]
    environment: Option<Spanned<String>>,
    component: Component,
    status: Spanned<FindingStatus>,
    #[serde(default)]
    cause: Option<Spanned<String>>,
    #[serde(default)]
    fix: Option<Spanned<String>>,
    #[serde(default)]
    fixed_in: Option<Spanned<String>>,
    #[serde(default)]
    retest: Option<Spanned<Retest>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTest {
    id: Spanned<String>,
    name: String,
    section: Spanned<String>,
    expected: String,
    #[serde(default)]
    before: Option<String>,
    #[serde(default)]
    after: Option<Spanned<String>>,
    #[serde(default)]
    result: Option<Spanned<Outcome>>,
}

/// A reference to something defined elsewhere, checked once it is known.
struct Reference {
    what: Kind,
    name: String,
    at: (usize, usize),
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Activity,
    Section,
    Environment,
}

/// The run as read, with the positions later checks point at.
pub struct LoadedRun {
    pub run: Run,
    file: SourceFile,
    references: Vec<Reference>,
    /// Open findings and failed retests, warned about once the references
    /// hold.
    concerns: Vec<Diagnostic>,
}

/// Reads `content/run.yaml` if the project has one. `None` with errors in
/// `diags` when it does not parse; errors in its values are in `diags`
/// too, and the build stops on them.
pub fn load(
    root: &Path,
    engagement: Option<&Engagement>,
    scope: &Scope,
    assets: &mut std::collections::BTreeMap<String, Asset>,
    diags: &mut Diagnostics,
) -> Option<Option<LoadedRun>> {
    if !root.join(RUN).is_file() {
        return Some(None);
    }
    let file = diags.take(SourceFile::read(root, Path::new(RUN)))?;
    super::directions::warn(&file, diags);
    if yaml::only_comments(&file.text) {
        return Some(None);
    }
    let raw: RawRun = diags.take(yaml::parse(&file, &file.text, 0, WHAT))?;
    let mut references = Vec::new();
    let mut concerns = Vec::new();
    let mut refer = |what: Kind, value: &Spanned<String>| {
        references.push(Reference {
            what,
            name: value.value.clone(),
            at: yaml::position(value, 0),
        })
    };

    let date =
        |value: &Spanned<String>, diags: &mut Diagnostics| match iso_date::parse(&value.value) {
            Ok(d) => Some(d),
            Err(message) => {
                diags.push(yaml::error_at(&file, value, 0, message));
                None
            }
        };
    let mut activities: Vec<(&Spanned<String>, &RawActual)> = raw.activities.iter().collect();
    activities.sort_by_key(|(k, _)| yaml::position(k, 0));
    let mut actuals = Vec::new();
    for (id, actual) in activities {
        refer(Kind::Activity, id);
        let started = date(&actual.started, diags);
        let finished = actual.finished.as_ref().map(|f| (f, date(f, diags)));
        if let (Some(s), Some((at, Some(f)))) = (started, &finished)
            && *f < s
        {
            diags.push(yaml::error_at(
                &file,
                at,
                0,
                format!("`{}` finished before it started ({})", id.value, iso(s)),
            ));
        }
        if let Some(s) = started {
            actuals.push(Actual {
                activity: id.value.clone(),
                started: s,
                finished: finished.and_then(|(_, f)| f),
                note: actual.note.clone(),
            });
        }
    }

    let upgraded = engagement
        .and_then(|e| e.provider_environment())
        .map(|e| e.name.clone())
        .unwrap_or_default();
    let mut ids = BTreeSet::new();
    let mut findings = Vec::new();
    for f in &raw.findings {
        if !ids.insert(f.id.value.clone()) {
            diags.push(yaml::error_at(
                &file,
                &f.id,
                0,
                format!("`{}` is listed twice", f.id.value),
            ));
        }
        refer(Kind::Section, &f.found_in);
        if let Some(fixed_in) = &f.fixed_in {
            refer(Kind::Section, fixed_in);
        }
        if let Some(env) = &f.environment {
            refer(Kind::Environment, env);
        }
        let status = f.status.value;
        if status == FindingStatus::Fixed && f.fix.is_none() {
            diags.push(
                yaml::error_at(
                    &file,
                    &f.status,
                    0,
                    format!("finding `{}` is fixed but says no `fix`", f.id.value),
                )
                .with_hint("add `fix:` with what was done, in Markdown"),
            );
        }
        let retest = f.retest.as_ref().map_or(Retest::NotRun, |r| r.value);
        if status == FindingStatus::Open {
            let (line, col) = yaml::position(&f.status, 0);
            concerns.push(
                Diagnostic::warning(format!(
                    "finding `{}` is still open: {}",
                    f.id.value, f.title
                ))
                .at(&file, line, col),
            );
        }
        if let Some(r) = f.retest.as_ref().filter(|r| r.value == Retest::Failed) {
            let (line, col) = yaml::position(r, 0);
            concerns.push(
                Diagnostic::warning(format!("the retest of finding `{}` failed", f.id.value))
                    .at(&file, line, col),
            );
        }
        let anchor = crate::model::run::anchor(&f.id.value);
        let mut text = |value: &Option<Spanned<String>>, diags: &mut Diagnostics| {
            value
                .as_ref()
                .map(|v| markdown_of(&file, v, &anchor, root, scope, assets, diags))
                .unwrap_or_default()
        };
        findings.push(Finding {
            id: f.id.value.clone(),
            title: f.title.clone(),
            found_in: f.found_in.value.clone(),
            environment: f
                .environment
                .as_ref()
                .map_or_else(|| upgraded.clone(), |e| e.value.clone()),
            component: f.component,
            status,
            cause: text(&f.cause, diags),
            fix: text(&f.fix, diags),
            fixed_in: f.fixed_in.as_ref().map(|s| s.value.clone()),
            retest,
        });
        // A finding outside support is the customer's to solve: said
        // while it matters, when it is open or seen elsewhere.
        let finding = findings.last().expect("just pushed");
        let elsewhere = finding.environment != upgraded;
        if let Some(reason) = finding.outside_support(Some(upgraded.as_str()))
            && (elsewhere || status == FindingStatus::Open)
        {
            let (line, col) = yaml::position(&f.id, 0);
            concerns.push(
                Diagnostic::warning(format!(
                    "finding `{}` is outside after-sales support: {reason}",
                    f.id.value
                ))
                .at(&file, line, col),
            );
        }
    }

    let mut test_ids = BTreeSet::new();
    let mut tests = Vec::new();
    for t in &raw.tests {
        if !test_ids.insert(t.id.value.clone()) {
            diags.push(yaml::error_at(
                &file,
                &t.id,
                0,
                format!("`{}` is listed twice", t.id.value),
            ));
        }
        refer(Kind::Section, &t.section);
        if let (Some(after), None) = (&t.after, &t.result) {
            diags.push(
                yaml::error_at(
                    &file,
                    after,
                    0,
                    format!(
                        "test `{}` has a result after the upgrade but no `result`",
                        t.id.value
                    ),
                )
                .with_hint("add `result: passed`, `failed` or `not-run`"),
            );
        }
        if let Some(r) = t.result.as_ref().filter(|r| r.value == Outcome::Failed) {
            let (line, col) = yaml::position(r, 0);
            concerns.push(
                Diagnostic::warning(format!("test `{}` failed: {}", t.id.value, t.name))
                    .at(&file, line, col),
            );
        }
        tests.push(TestResult {
            id: t.id.value.clone(),
            name: t.name.clone(),
            section: t.section.value.clone(),
            expected: t.expected.clone(),
            before: t.before.clone(),
            after: t.after.as_ref().map(|a| a.value.clone()),
            result: t.result.as_ref().map_or(Outcome::NotRun, |r| r.value),
        });
    }
    // Returned even with errors of its own (the build stops on them), so
    // one `check` also reports its unknown references.
    Some(Some(LoadedRun {
        run: Run {
            activities: actuals,
            findings,
            tests,
        },
        file,
        references,
        concerns,
    }))
}

/// A Markdown value (a finding's cause or fix) parsed like a note, with
/// its variables checked where the value starts.
fn markdown_of(
    file: &SourceFile,
    value: &Spanned<String>,
    anchor: &str,
    root: &Path,
    scope: &Scope,
    assets: &mut std::collections::BTreeMap<String, Asset>,
    diags: &mut Diagnostics,
) -> Vec<Block> {
    let (line, col) = yaml::position(value, 0);
    let offset = file.offset_of(line, col);
    // A one-line value sits in the file as written, so positions inside
    // it are exact; a block value is reported where it starts.
    let exact = file.text[offset..].starts_with(value.value.as_str());
    if exact {
        super::variables::check_variables(file, offset, &value.value, scope, false, diags);
    } else {
        let mut found = Diagnostics::default();
        super::variables::check_variables(file, offset, &value.value, scope, false, &mut found);
        diags.extend(found.items.into_iter().map(|mut d| {
            d.length = None;
            d.at(file, line, col)
        }));
    }
    let ctx = MarkdownContext {
        file,
        body_offset: if exact { offset } else { 0 },
        project_root: root,
        section_id: anchor,
        lists_are_steps: false,
        scope,
    };
    markdown::parse(&ctx, &value.value, assets, diags)
}

impl LoadedRun {
    /// Reports references to activities, sections and environments that
    /// do not exist, then the run's open findings and failed tests.
    pub fn check_references(
        &self,
        activities: &[&str],
        sections: &[&str],
        environments: &[&str],
        diags: &mut Diagnostics,
    ) {
        for r in &self.references {
            let (known, what, plural): (&[&str], _, _) = match r.what {
                Kind::Activity => (activities, "activity", "the process activities"),
                Kind::Section => (sections, "section", "the notes' section ids"),
                Kind::Environment => (environments, "environment", "the environments"),
            };
            if known.contains(&r.name.as_str()) {
                continue;
            }
            let hint = match closest(&r.name, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("use one of {plural}: {}", known.join(", ")),
            };
            diags.push(
                Diagnostic::error(format!("unknown {what} `{}`", r.name))
                    .at(&self.file, r.at.0, r.at.1)
                    .with_hint(hint),
            );
        }
        for concern in &self.concerns {
            diags.push(concern.clone());
        }
    }
}
