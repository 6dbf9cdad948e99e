//! `content/engagement.yaml`: read, then checked for the things serde cannot
//! see (date order, duplicate names), each problem at its own location.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::yaml::{self, Spanned};
use crate::diagnostic::Diagnostics;
use crate::diagnostic::SourceFile;
use crate::model::engagement::{
    Contact, Dates, Engagement, Environment, EnvironmentRole, Host, Upgrader, iso_date,
};
use crate::model::exclusions::{self, Exclusion};
use crate::model::slug::slugify;

const WHAT: &str = "the engagement's facts (customer, current_version, target_version, dates, access_acknowledged, environments, contacts)";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEngagement {
    customer: Spanned<String>,
    #[serde(default)]
    product: Option<String>,
    current_version: String,
    target_version: String,
    #[serde(default)]
    case: Option<String>,
    dates: RawDates,
    access_acknowledged: Spanned<bool>,
    environments: Spanned<Vec<RawEnvironment>>,
    #[serde(default)]
    contacts: Vec<Contact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDates {
    earliest_start: Spanned<String>,
    ideal_start: Spanned<String>,
    deadline: Spanned<String>,
    deadline_reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvironment {
    name: Spanned<String>,
    role: EnvironmentRole,
    upgraded_by: Spanned<Upgrader>,
    #[serde(default)]
    hosts: Vec<Host>,
    #[serde(default)]
    vars: BTreeMap<String, String>,
}

/// The engagement whenever its YAML parses, so that notes can still be
/// checked against its names; any error found here is in `diags`, and the
/// build stops before rendering.
pub fn load(file: &SourceFile, diags: &mut Diagnostics) -> Option<Engagement> {
    let raw: RawEngagement = diags.take(yaml::parse(file, &file.text, 0, WHAT))?;
    let mut dates_ok = true;
    let mut date = |value: &Spanned<String>| match iso_date::parse(&value.value) {
        Ok(d) => d,
        Err(message) => {
            diags.push(yaml::error_at(file, value, 0, message));
            dates_ok = false;
            time::Date::MIN
        }
    };
    let earliest = date(&raw.dates.earliest_start);
    let ideal = date(&raw.dates.ideal_start);
    let deadline = date(&raw.dates.deadline);
    let mut order_error = |value: &Spanned<String>, message: &str| {
        if dates_ok {
            diags.push(yaml::error_at(file, value, 0, message));
        }
    };
    if deadline < earliest {
        order_error(
            &raw.dates.deadline,
            "the deadline is before the earliest start date",
        );
    }
    if ideal < earliest {
        order_error(
            &raw.dates.ideal_start,
            "the ideal start date is before the earliest start date",
        );
    }
    if ideal > deadline && deadline >= earliest {
        order_error(
            &raw.dates.ideal_start,
            "the ideal start date is after the deadline",
        );
    }
    if raw.customer.value.trim().is_empty() {
        diags.push(yaml::error_at(
            file,
            &raw.customer,
            0,
            "the customer's name is empty",
        ));
    }
    if raw.environments.value.is_empty() {
        diags.push(
            yaml::error_at(file, &raw.environments, 0, "no environments are listed")
                .with_hint("list at least the environment the provider upgrades"),
        );
    }

    let mut environments = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for env in &raw.environments.value {
        let slug = slugify(&env.name.value);
        if let Some(first) = seen.insert(slug.clone(), env.name.value.clone()) {
            diags.push(yaml::error_at(
                file,
                &env.name,
                0,
                format!(
                    "environment `{}` has the same name as `{first}`",
                    env.name.value
                ),
            ));
        }
        environments.push(Environment {
            name: env.name.value.clone(),
            slug,
            role: env.role,
            upgraded_by: env.upgraded_by.value,
            hosts: env.hosts.clone(),
            vars: env.vars.clone(),
        });
    }

    let engagement = Engagement {
        customer: raw.customer.value.trim().to_string(),
        product: raw.product.unwrap_or_else(|| "CX Messenger".into()),
        current_version: raw.current_version,
        target_version: raw.target_version,
        case: raw.case,
        dates: Dates {
            earliest_start: earliest,
            ideal_start: ideal,
            deadline,
            deadline_reason: raw.dates.deadline_reason,
        },
        access_acknowledged: raw.access_acknowledged.value,
        environments,
        contacts: raw.contacts,
    };

    for exclusion in exclusions::applicable(&engagement) {
        let warning = match &exclusion {
            Exclusion::NoAccess => yaml::warning_at(file, &raw.access_acknowledged, &exclusion),
            Exclusion::MultipleEnvironments { .. } => {
                let extra = raw
                    .environments
                    .value
                    .iter()
                    .filter(|e| e.upgraded_by.value == Upgrader::Platinum)
                    .nth(1);
                match extra {
                    Some(env) => yaml::warning_at(file, &env.upgraded_by, &exclusion),
                    None => continue,
                }
            }
        };
        diags.push(warning);
    }
    Some(engagement)
}
