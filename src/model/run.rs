//! What actually happened in the environment the provider upgraded
//! (`content/run.yaml`): the dates each activity really took, the issues
//! found on the way and the tests run before and after. The playbook,
//! the report and the change view are drawn from it, so a finding fixed
//! between two releases shows as a change like any edited step.

use serde::{Deserialize, Serialize};
use time::Date;

use super::document::Block;
use super::engagement::iso_date;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Run {
    #[serde(default)]
    pub activities: Vec<Actual>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    #[serde(default)]
    pub tests: Vec<TestResult>,
}

/// The dates an activity really took; `finished` is none while it runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actual {
    pub activity: String,
    #[serde(with = "iso_date")]
    pub started: Date,
    #[serde(with = "super::optional_date")]
    pub finished: Option<Date>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub id: String,
    pub title: String,
    /// The section whose steps showed the issue.
    pub found_in: String,
    /// The environment it showed in: the one the provider upgraded.
    pub environment: String,
    pub component: Component,
    pub status: FindingStatus,
    pub cause: Vec<Block>,
    pub fix: Vec<Block>,
    /// The section whose steps apply the fix, if any does.
    pub fixed_in: Option<String>,
    pub retest: Retest,
}

/// Whether the issue is in a component the vendor ships (which the
/// service solves or documents) or one the customer built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Component {
    Standard,
    Custom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingStatus {
    Open,
    Fixed,
    Documented,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Retest {
    #[default]
    NotRun,
    Passed,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    pub id: String,
    pub name: String,
    /// The section whose steps run the test.
    pub section: String,
    pub expected: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub result: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    #[default]
    NotRun,
    Passed,
    Failed,
}

impl Component {
    pub fn label(self) -> &'static str {
        match self {
            Component::Standard => "Standard",
            Component::Custom => "Custom",
        }
    }
}

impl FindingStatus {
    pub fn label(self) -> &'static str {
        match self {
            FindingStatus::Open => "Open",
            FindingStatus::Fixed => "Fixed",
            FindingStatus::Documented => "Documented",
        }
    }
}

impl Retest {
    pub fn label(self) -> &'static str {
        match self {
            Retest::NotRun => "Not run",
            Retest::Passed => "Passed",
            Retest::Failed => "Failed",
        }
    }
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::NotRun => "Not run",
            Outcome::Passed => "Passed",
            Outcome::Failed => "Failed",
        }
    }
}

impl Finding {
    /// The anchor of the finding's callout in the playbook.
    pub fn anchor(&self) -> String {
        anchor(&self.id)
    }

    /// After-sales support covers any issue that can be replicated in the
    /// environment the provider upgraded, fixed or only documented alike.
    pub fn supported(&self, upgraded: Option<&str>) -> bool {
        self.outside_support(upgraded).is_none()
    }

    /// Why support does not cover this finding, in the service's own
    /// terms; none when it does. The report and `check` both say this.
    pub fn outside_support(&self, upgraded: Option<&str>) -> Option<String> {
        if self.component == Component::Custom {
            return Some(
                "a custom component: fixing and retesting covers standard components only".into(),
            );
        }
        match upgraded {
            Some(env) if env == self.environment => None,
            Some(_) => Some(format!(
                "seen only in {}: help with upgrade issues in other environments \
                is a paid engagement (Multiple Environment Assistance)",
                self.environment
            )),
            None => Some("no environment was upgraded by the provider to replicate it in".into()),
        }
    }
}

impl Run {
    pub fn actual(&self, activity: &str) -> Option<&Actual> {
        self.activities.iter().find(|a| a.activity == activity)
    }

    pub fn open_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.status == FindingStatus::Open)
    }
}

/// The anchor of the callout of the finding `id` (`F-1` → `known-issue-f-1`).
pub fn anchor(id: &str) -> String {
    format!("known-issue-{}", super::slug::slugify(id))
}
