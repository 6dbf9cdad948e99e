//! `content/run.yaml`: what happened in the environment the provider
//! upgraded. Read here with the positions of every reference, so that an
//! unknown activity, section or environment is reported where it is
//! written once the notes are known (`check_references`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::markdown::{self, MarkdownContext};
use super::yaml::{self, Spanned};
use time::Date;

use crate::diagnostic::{Diagnostic, Diagnostics, Located, SourceFile, did_you_mean};
use crate::model::Asset;
use crate::model::document::Block;
use crate::model::engagement::{Engagement, iso};
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
    assets: &mut BTreeMap<String, Asset>,
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
    let mut reader = Reader {
        file: &file,
        root,
        scope,
        assets,
        diags,
        upgraded: engagement
            .and_then(|e| e.provider_environment())
            .map(|e| e.name.clone())
            .unwrap_or_default(),
        references: Vec::new(),
        concerns: Vec::new(),
    };
    // In the order the file is written: activities, findings, tests.
    let run = Run {
        activities: reader.activities(&raw.activities),
        findings: reader.findings(&raw.findings),
        tests: reader.tests(&raw.tests),
    };
    let (references, concerns) = (reader.references, reader.concerns);
    // Returned even with errors of its own (the build stops on them), so
    // one `check` also reports its unknown references.
    Some(Some(LoadedRun {
        run,
        file,
        references,
        concerns,
    }))
}

/// What reading the run needs at hand, and what it gathers for the
/// checks that wait for the notes.
struct Reader<'a> {
    file: &'a SourceFile,
    root: &'a Path,
    scope: &'a Scope,
    assets: &'a mut BTreeMap<String, Asset>,
    diags: &'a mut Diagnostics,
    /// The environment the provider upgraded: a finding's by default.
    upgraded: String,
    references: Vec<Reference>,
    concerns: Vec<Diagnostic>,
}

impl Reader<'_> {
    /// Remembers a reference to check once the notes are known.
    fn refer(&mut self, what: Kind, value: &Spanned<String>) {
        self.references.push(Reference {
            what,
            name: value.value.clone(),
            at: value.line_col(),
        });
    }

    fn date(&mut self, value: &Spanned<String>) -> Option<Date> {
        self.diags.take(yaml::date(self.file, value))
    }

    /// The activities, in the order they are written.
    fn activities(&mut self, raw: &HashMap<Spanned<String>, RawActual>) -> Vec<Actual> {
        let mut written: Vec<(&Spanned<String>, &RawActual)> = raw.iter().collect();
        written.sort_by_key(|(k, _)| k.line_col());
        written
            .into_iter()
            .filter_map(|(id, actual)| self.actual(id, actual))
            .collect()
    }

    /// One activity's dates: it cannot finish before it started.
    fn actual(&mut self, id: &Spanned<String>, raw: &RawActual) -> Option<Actual> {
        self.refer(Kind::Activity, id);
        let started = self.date(&raw.started);
        let finished = raw.finished.as_ref().and_then(|f| self.date(f));
        if let (Some(s), Some(f), Some(at)) = (started, finished, &raw.finished)
            && f < s
        {
            let message = format!("`{}` finished before it started ({})", id.value, iso(s));
            self.diags.push(self.file.error(at, message));
        }
        Some(Actual {
            activity: id.value.clone(),
            started: started?,
            finished,
            note: raw.note.clone(),
        })
    }

    fn findings(&mut self, raw: &[RawFinding]) -> Vec<Finding> {
        let mut ids = yaml::Ids::default();
        let mut findings = Vec::new();
        for f in raw {
            self.diags.take(ids.check(self.file, "finding", &f.id));
            self.refer_from_finding(f);
            self.fixed_says_how(f);
            self.warn_of_open_finding(f);
            let finding = self.finding(f);
            self.warn_outside_support(f, &finding);
            findings.push(finding);
        }
        findings
    }

    /// A finding names where it was found and fixed, and maybe where.
    fn refer_from_finding(&mut self, f: &RawFinding) {
        self.refer(Kind::Section, &f.found_in);
        if let Some(fixed_in) = &f.fixed_in {
            self.refer(Kind::Section, fixed_in);
        }
        if let Some(env) = &f.environment {
            self.refer(Kind::Environment, env);
        }
    }

    /// A fixed finding says what fixed it.
    fn fixed_says_how(&mut self, f: &RawFinding) {
        if f.status.value == FindingStatus::Fixed && f.fix.is_none() {
            let message = format!("finding `{}` is fixed but says no `fix`", f.id.value);
            self.diags.push(
                self.file
                    .error(&f.status, message)
                    .with_hint("add `fix:` with what was done, in Markdown"),
            );
        }
    }

    /// An open finding, or one whose retest failed, is warned about.
    fn warn_of_open_finding(&mut self, f: &RawFinding) {
        if f.status.value == FindingStatus::Open {
            let message = format!("finding `{}` is still open: {}", f.id.value, f.title);
            self.concerns.push(self.file.warning(&f.status, message));
        }
        if let Some(r) = f.retest.as_ref().filter(|r| r.value == Retest::Failed) {
            let message = format!("the retest of finding `{}` failed", f.id.value);
            self.concerns.push(self.file.warning(r, message));
        }
    }

    fn finding(&mut self, f: &RawFinding) -> Finding {
        let anchor = crate::model::run::anchor(&f.id.value);
        Finding {
            id: f.id.value.clone(),
            title: f.title.clone(),
            found_in: f.found_in.value.clone(),
            environment: f
                .environment
                .as_ref()
                .map_or_else(|| self.upgraded.clone(), |e| e.value.clone()),
            component: f.component,
            status: f.status.value,
            cause: self.markdown(&f.cause, &anchor),
            fix: self.markdown(&f.fix, &anchor),
            fixed_in: f.fixed_in.as_ref().map(|s| s.value.clone()),
            retest: f.retest.as_ref().map_or(Retest::NotRun, |r| r.value),
        }
    }

    fn markdown(&mut self, value: &Option<Spanned<String>>, anchor: &str) -> Vec<Block> {
        value
            .as_ref()
            .map(|v| {
                markdown_of(
                    self.file,
                    v,
                    anchor,
                    self.root,
                    self.scope,
                    self.assets,
                    self.diags,
                )
            })
            .unwrap_or_default()
    }

    /// A finding outside support is the customer's to solve: said while
    /// it matters, when it is open or seen elsewhere.
    fn warn_outside_support(&mut self, f: &RawFinding, finding: &Finding) {
        let elsewhere = finding.environment != self.upgraded;
        if let Some(reason) = finding.outside_support(Some(self.upgraded.as_str()))
            && (elsewhere || finding.status == FindingStatus::Open)
        {
            let message = format!(
                "finding `{}` is outside after-sales support: {reason}",
                f.id.value
            );
            self.concerns.push(self.file.warning(&f.id, message));
        }
    }

    fn tests(&mut self, raw: &[RawTest]) -> Vec<TestResult> {
        let mut ids = yaml::Ids::default();
        let mut tests = Vec::new();
        for t in raw {
            self.diags.take(ids.check(self.file, "test", &t.id));
            self.refer(Kind::Section, &t.section);
            self.result_says_outcome(t);
            if let Some(r) = t.result.as_ref().filter(|r| r.value == Outcome::Failed) {
                let message = format!("test `{}` failed: {}", t.id.value, t.name);
                self.concerns.push(self.file.warning(r, message));
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
        tests
    }

    /// A test with a result after the upgrade says whether it passed.
    fn result_says_outcome(&mut self, t: &RawTest) {
        if let (Some(after), None) = (&t.after, &t.result) {
            let message = format!(
                "test `{}` has a result after the upgrade but no `result`",
                t.id.value
            );
            self.diags.push(
                self.file
                    .error(after, message)
                    .with_hint("add `result: passed`, `failed` or `not-run`"),
            );
        }
    }
}

/// A Markdown value (a finding's cause or fix) parsed like a note, with
/// its variables checked where the value starts.
fn markdown_of(
    file: &SourceFile,
    value: &Spanned<String>,
    anchor: &str,
    root: &Path,
    scope: &Scope,
    assets: &mut BTreeMap<String, Asset>,
    diags: &mut Diagnostics,
) -> Vec<Block> {
    let (line, col) = value.line_col();
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
            let hint = did_you_mean(&r.name, known.iter().copied())
                .unwrap_or_else(|| format!("use one of {plural}: {}", known.join(", ")));
            diags.push(
                self.file
                    .error(r.at, format!("unknown {what} `{}`", r.name))
                    .with_hint(hint),
            );
        }
        for concern in &self.concerns {
            diags.push(concern.clone());
        }
    }
}
