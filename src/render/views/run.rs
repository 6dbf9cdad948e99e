//! The run as templates see it: the report's tables of findings and test
//! results, and which findings after-sales support covers.

use crate::strings::Strings;
use serde::Serialize;

use super::Fill;
use crate::model::Playbook;
use crate::model::run::FindingStatus;

#[derive(Serialize)]
pub struct RunView {
    pub findings: Vec<FindingRow>,
    pub tests: Vec<TestRow>,
    /// The environment the provider upgraded: support covers what can be
    /// replicated there.
    pub environment: Option<String>,
    /// Findings support covers, and those outside it with the reason.
    pub supported: Vec<String>,
    pub unsupported: Vec<Unsupported>,
    /// Findings still open: a final version carries them over.
    pub open: Vec<OpenFinding>,
}

#[derive(Serialize)]
pub struct OpenFinding {
    pub id: String,
    pub anchor: String,
}

#[derive(Serialize)]
pub struct FindingRow {
    pub id: String,
    pub title: String,
    pub anchor: String,
    pub component: String,
    pub status: String,
    pub status_class: &'static str,
    pub retest: String,
    pub found_in: String,
    pub found_in_title: Option<String>,
    pub fixed_in: Option<String>,
    pub fixed_in_title: Option<String>,
}

#[derive(Serialize)]
pub struct TestRow {
    pub id: String,
    pub name: String,
    pub section: String,
    pub section_title: Option<String>,
    pub expected: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub result: String,
    pub result_class: &'static str,
}

#[derive(Serialize)]
pub struct Unsupported {
    pub id: String,
    pub reason: String,
}

pub fn view(playbook: &Playbook, fill: Fill, strings: &Strings) -> RunView {
    let run = &playbook.run;
    let title = |id: &str| fill.section_title(playbook, id);
    let upgraded = playbook
        .engagement
        .provider_environment()
        .map(|e| e.name.clone());
    let mut supported = Vec::new();
    let mut unsupported = Vec::new();
    for f in &run.findings {
        match f.outside_support(upgraded.as_deref()) {
            None => supported.push(f.id.clone()),
            Some(reason) => unsupported.push(Unsupported {
                id: f.id.clone(),
                reason,
            }),
        }
    }
    RunView {
        findings: run
            .findings
            .iter()
            .map(|f| FindingRow {
                id: f.id.clone(),
                title: f.title.clone(),
                anchor: f.anchor(),
                component: strings.name("finding_component", f.component.label()),
                status: strings.name("finding_status", f.status.label()),
                status_class: match f.status {
                    FindingStatus::Open => "open",
                    FindingStatus::Fixed => "applied",
                    FindingStatus::Documented => "agreed",
                },
                retest: strings.name("finding_retest", f.retest.label()),
                found_in: f.found_in.clone(),
                found_in_title: title(&f.found_in),
                fixed_in: f.fixed_in.clone(),
                fixed_in_title: f.fixed_in.as_deref().and_then(title),
            })
            .collect(),
        tests: run
            .tests
            .iter()
            .map(|t| TestRow {
                id: t.id.clone(),
                name: t.name.clone(),
                section: t.section.clone(),
                section_title: title(&t.section),
                expected: t.expected.clone(),
                before: t.before.clone(),
                after: t.after.clone(),
                result: strings.name("test_result", t.result.label()),
                result_class: match t.result {
                    crate::model::run::Outcome::Passed => "applied",
                    crate::model::run::Outcome::Failed => "rejected",
                    crate::model::run::Outcome::NotRun => "open",
                },
            })
            .collect(),
        environment: upgraded,
        supported,
        unsupported,
        open: run
            .open_findings()
            .map(|f| OpenFinding {
                id: f.id.clone(),
                anchor: f.anchor(),
            })
            .collect(),
    }
}
