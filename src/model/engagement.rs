//! The facts of one engagement, as the request case and the kick-off give them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Engagement {
    pub customer: String,
    pub product: String,
    pub current_version: String,
    pub target_version: String,
    pub case: Option<String>,
    pub dates: Dates,
    pub access_acknowledged: bool,
    pub environments: Vec<Environment>,
    pub contacts: Vec<Contact>,
    /// Days on which no activity is planned.
    #[serde(default)]
    pub holidays: Vec<Holiday>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holiday {
    #[serde(with = "iso_date")]
    pub date: Date,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dates {
    #[serde(with = "iso_date")]
    pub earliest_start: Date,
    #[serde(with = "iso_date")]
    pub ideal_start: Date,
    #[serde(with = "iso_date")]
    pub deadline: Date,
    pub deadline_reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Environment {
    pub name: String,
    /// Used in file names of this environment's copy of the playbook.
    pub slug: String,
    pub role: EnvironmentRole,
    pub upgraded_by: Upgrader,
    pub hosts: Vec<Host>,
    pub vars: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EnvironmentRole {
    Development,
    Staging,
    Production,
    Other,
}

impl EnvironmentRole {
    pub fn label(self) -> &'static str {
        match self {
            EnvironmentRole::Development => "Development",
            EnvironmentRole::Staging => "Staging",
            EnvironmentRole::Production => "Production",
            EnvironmentRole::Other => "Other",
        }
    }
}

/// Who carries out the upgrade of an environment: the provider's team
/// (covered by the membership for one environment) or the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Upgrader {
    Platinum,
    Customer,
}

impl Upgrader {
    /// The party as pages name it (`provider` or `customer`), whatever the
    /// provider's programme is called in `engagement.yaml`.
    pub fn party(self) -> &'static str {
        match self {
            Upgrader::Platinum => "provider",
            Upgrader::Customer => "customer",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Host {
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// Change requests go to this contact: released pages offer an e-mail
    /// to them where scripts cannot run.
    #[serde(default, skip_serializing_if = "is_false")]
    pub receives_requests: bool,
    /// Whose person this is: a customer's copy names the customer's
    /// people, by role, as the ones who run every step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
}

/// The two parties to the engagement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Customer,
    Provider,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Engagement {
    /// The environment whose values fill the main playbook: the one the
    /// provider upgraded, since that is where the notes were taken.
    pub fn reference_environment(&self) -> Option<&Environment> {
        self.environments
            .iter()
            .find(|e| e.upgraded_by == Upgrader::Platinum)
            .or_else(|| self.environments.first())
    }

    /// The environment called `name`: the one a copy of the playbook is
    /// for.
    pub fn environment(&self, name: &str) -> Option<&Environment> {
        self.environments.iter().find(|e| e.name == name)
    }

    /// The environment the provider upgraded, if the engagement names one
    /// (`load` reports an engagement that does not).
    pub fn provider_environment(&self) -> Option<&Environment> {
        self.environments
            .iter()
            .find(|e| e.upgraded_by == Upgrader::Platinum)
    }

    /// Environments the customer upgrades from the playbook.
    pub fn customer_environments(&self) -> impl Iterator<Item = &Environment> {
        self.environments
            .iter()
            .filter(|e| e.upgraded_by == Upgrader::Customer)
    }

    /// The environments that get a copy of their own (a page, a PDF, a
    /// Word file): each one the customer upgrades, except the reference
    /// environment, whose values already fill the main copy.
    pub fn own_copy_environments(&self) -> impl Iterator<Item = &Environment> {
        let main = self.reference_environment().map(|e| e.name.as_str());
        self.customer_environments()
            .filter(move |e| Some(e.name.as_str()) != main)
    }

    /// The engagement values notes may name as `{{ name }}`.
    pub fn variables(&self) -> BTreeMap<&'static str, String> {
        let mut vars = BTreeMap::new();
        vars.insert("customer", self.customer.clone());
        vars.insert("product", self.product.clone());
        vars.insert("current_version", self.current_version.clone());
        vars.insert("target_version", self.target_version.clone());
        vars.insert("case", self.case.clone().unwrap_or_default());
        vars.insert("earliest_start", iso(self.dates.earliest_start));
        vars.insert("ideal_start", iso(self.dates.ideal_start));
        vars.insert("deadline", iso(self.dates.deadline));
        vars.insert("deadline_reason", self.dates.deadline_reason.clone());
        vars
    }
}

pub fn iso(date: Date) -> String {
    date.format(iso_date::FORMAT).unwrap_or_default()
}

/// Dates travel as `YYYY-MM-DD` in every output and snapshot.
pub mod iso_date {
    use serde::Serializer;
    use time::Date;
    use time::format_description::BorrowedFormatItem;
    use time::macros::format_description;

    pub const FORMAT: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::iso(*date))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        parse(&text).map_err(serde::de::Error::custom)
    }

    pub fn parse(text: &str) -> Result<Date, String> {
        Date::parse(text.trim(), FORMAT).map_err(|e| match e {
            time::error::Parse::TryFromParsed(t) => {
                format!("`{}` is not a calendar date: {t}", text.trim())
            }
            _ => format!(
                "expected an ISO date like 2027-01-29, found `{}`",
                text.trim()
            ),
        })
    }
}
