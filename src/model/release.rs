//! A frozen version of the playbook, as every build renders it.

use serde::{Deserialize, Serialize};
use time::Date;

use super::Playbook;
use crate::theme::Theme;

/// The customer's sign-off on a final version.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    pub accepted_by: String,
    /// The day the customer accepted it (the release date unless given).
    #[serde(
        default,
        with = "super::optional_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub accepted_on: Option<Date>,
    /// Where the acceptance is recorded: an e-mail, a ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// A release as a build renders it: its own playbook and the theme it
/// was released with, so later edits never change a delivered version.
pub struct Release {
    pub version: String,
    /// The digest `release.toml` records: equal digests, equal output.
    pub digest: String,
    pub date: Date,
    pub acceptance: Option<Acceptance>,
    pub playbook: Playbook,
    pub theme: Theme,
}

impl Release {
    /// The folder its pages go to under the output: `v1.0`.
    pub fn folder(&self) -> String {
        format!("v{}", self.version)
    }
}
