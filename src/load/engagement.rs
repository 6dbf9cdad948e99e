//! `content/engagement.yaml`: read, then checked for the things serde cannot
//! see (date order, duplicate names), each problem at its own location.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::yaml::{self, Spanned};
use crate::diagnostic::SourceFile;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::engagement::{
    Contact, Dates, Engagement, Environment, EnvironmentRole, Holiday, Host, Upgrader, iso,
    iso_date,
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
    #[serde(default)]
    holidays: Vec<Spanned<RawHoliday>>,
}

/// A holiday as a bare date (`2026-12-24`) or with its name
/// (`{ date: 2026-12-24, name: Christmas Eve }`).
struct RawHoliday {
    date: String,
    name: Option<String>,
}

impl<'de> Deserialize<'de> for RawHoliday {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawHoliday;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a date like 2026-12-24, or `{ date: 2026-12-24, name: Christmas Eve }`",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawHoliday, E> {
                Ok(RawHoliday {
                    date: v.to_string(),
                    name: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawHoliday, A::Error> {
                let (mut date, mut name) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "date" => date = Some(map.next_value::<String>()?),
                        "name" => name = Some(map.next_value::<String>()?),
                        other => {
                            return Err(serde::de::Error::unknown_field(other, &["date", "name"]));
                        }
                    }
                }
                let date = date.ok_or_else(|| serde::de::Error::missing_field("date"))?;
                Ok(RawHoliday { date, name })
            }
        }
        d.deserialize_any(Visitor)
    }
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

/// The engagement with where its holidays are written: whether a holiday
/// falls inside the engagement is known once the plan is.
pub struct LoadedEngagement {
    pub engagement: Engagement,
    holidays_at: Vec<(usize, usize)>,
}

impl LoadedEngagement {
    /// Holidays before the earliest start or after the plan's last day
    /// (the deadline, or the end of on-call support when that is later)
    /// are a mistake: they move nothing.
    pub fn check_holidays(&self, file: &SourceFile, last_day: time::Date, diags: &mut Diagnostics) {
        let e = &self.engagement;
        let first = e.dates.earliest_start;
        for (holiday, &(line, col)) in e.holidays.iter().zip(&self.holidays_at) {
            if holiday.date < first || holiday.date > last_day {
                diags.push(
                    Diagnostic::error(format!(
                        "the holiday {} is outside the engagement's dates ({} to {})",
                        iso(holiday.date),
                        iso(first),
                        iso(last_day)
                    ))
                    .at(file, line, col)
                    .with_hint("holidays move the plan only between the earliest start and the end of on-call support"),
                );
            }
        }
    }
}

/// The engagement whenever its YAML parses, so that notes can still be
/// checked against its names; any error found here is in `diags`, and the
/// build stops before rendering.
pub fn load(file: &SourceFile, diags: &mut Diagnostics) -> Option<LoadedEngagement> {
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
    } else if !raw
        .environments
        .value
        .iter()
        .any(|e| e.upgraded_by.value == Upgrader::Platinum)
    {
        // At the `environments:` key: a list's own position is its first
        // item's.
        let (line, col) = file
            .text
            .find("\nenvironments:")
            .map(|i| file.line_col(i + 1))
            .unwrap_or_else(|| yaml::position(&raw.environments, 0));
        diags.push(
            Diagnostic::error("no environment is upgraded by the provider")
                .at(file, line, col)
                .with_hint(
                "mark the development or staging environment the provider upgrades with `upgraded_by: platinum`; the playbook is written from that upgrade",
            ),
        );
    }
    let mut holidays = Vec::new();
    let mut holidays_at = Vec::new();
    for holiday in &raw.holidays {
        let day = match iso_date::parse(&holiday.value.date) {
            Ok(day) => day,
            Err(message) => {
                diags.push(yaml::error_at(file, holiday, 0, message));
                continue;
            }
        };
        let name = holiday.value.name.clone();
        holidays_at.push(yaml::position(holiday, 0));
        holidays.push(Holiday { date: day, name });
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
        holidays,
    };

    for exclusion in exclusions::applicable(&engagement) {
        let warning = match &exclusion {
            Exclusion::NoAccess => yaml::warning_at(file, &raw.access_acknowledged, &exclusion),
            Exclusion::MultipleEnvironments { .. } => {
                // At each environment the membership does not cover.
                for env in exclusions::paid_environments(&engagement) {
                    if let Some(raw_env) = raw
                        .environments
                        .value
                        .iter()
                        .find(|r| r.name.value == env.name)
                    {
                        diags.push(yaml::warning_at(file, &raw_env.upgraded_by, &exclusion));
                    }
                }
                continue;
            }
        };
        diags.push(warning);
    }
    Some(LoadedEngagement {
        engagement,
        holidays_at,
    })
}
