//! `content/engagement.yaml`: read, then checked for the things serde cannot
//! see (date order, duplicate names), each problem at its own location.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::yaml::{self, Spanned};
use crate::diagnostic::{Diagnostics, Located, SourceFile};
use crate::model::engagement::{
    Contact, Dates, Engagement, Environment, EnvironmentRole, Holiday, Host, Upgrader, iso,
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

/// A holiday is read as a date, wherever its name is.
impl AsRef<str> for RawHoliday {
    fn as_ref(&self) -> &str {
        &self.date
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
        for (holiday, &at) in e.holidays.iter().zip(&self.holidays_at) {
            if holiday.date < first || holiday.date > last_day {
                diags.push(
                    file.error(at, format!(
                        "the holiday {} is outside the engagement's dates ({} to {})",
                        iso(holiday.date),
                        iso(first),
                        iso(last_day)
                    ))
                    .with_hint("holidays move the plan only between the earliest start and the end of on-call support"),
                );
            }
        }
    }
}

/// The engagement whenever its YAML parses, so that notes can still be
/// checked against its names; any error found here is in `diags`, and the
/// build stops before rendering. Its rules follow in the order the file
/// is written.
pub fn load(file: &SourceFile, diags: &mut Diagnostics) -> Option<LoadedEngagement> {
    let raw: RawEngagement = diags.take(yaml::parse(file, &file.text, 0, WHAT))?;
    customer_is_named(file, &raw.customer, diags);
    let dates = dates(file, &raw.dates, diags);
    let (holidays, holidays_at) = holidays(file, &raw.holidays, diags);
    provider_upgrades_one(file, &raw.environments, diags);
    let environments = environments(file, &raw.environments.value, diags);
    let engagement = Engagement {
        customer: raw.customer.value.trim().to_string(),
        product: raw.product.unwrap_or_else(|| "CX Messenger".into()),
        current_version: raw.current_version,
        target_version: raw.target_version,
        case: raw.case,
        dates,
        access_acknowledged: raw.access_acknowledged.value,
        environments,
        contacts: raw.contacts,
        holidays,
    };
    warn_of_exclusions(
        file,
        &raw.access_acknowledged,
        &raw.environments.value,
        &engagement,
        diags,
    );
    Some(LoadedEngagement {
        engagement,
        holidays_at,
    })
}

fn customer_is_named(file: &SourceFile, customer: &Spanned<String>, diags: &mut Diagnostics) {
    if customer.value.trim().is_empty() {
        diags.push(file.error(customer, "the customer's name is empty"));
    }
}

/// The three dates, each a calendar date, in order once all are.
fn dates(file: &SourceFile, raw: &RawDates, diags: &mut Diagnostics) -> Dates {
    let mut all_read = true;
    let mut date = |value: &Spanned<String>| {
        diags.take(yaml::date(file, value)).unwrap_or_else(|| {
            all_read = false;
            time::Date::MIN
        })
    };
    let dates = Dates {
        earliest_start: date(&raw.earliest_start),
        ideal_start: date(&raw.ideal_start),
        deadline: date(&raw.deadline),
        deadline_reason: raw.deadline_reason.clone(),
    };
    if all_read {
        dates_in_order(file, raw, &dates, diags);
    }
    dates
}

/// The earliest start comes first, the deadline last, the ideal start
/// between them.
fn dates_in_order(file: &SourceFile, raw: &RawDates, dates: &Dates, diags: &mut Diagnostics) {
    let (earliest, ideal, deadline) = (dates.earliest_start, dates.ideal_start, dates.deadline);
    if deadline < earliest {
        diags.push(file.error(
            &raw.deadline,
            "the deadline is before the earliest start date",
        ));
    }
    if ideal < earliest {
        diags.push(file.error(
            &raw.ideal_start,
            "the ideal start date is before the earliest start date",
        ));
    }
    if ideal > deadline && deadline >= earliest {
        diags.push(file.error(
            &raw.ideal_start,
            "the ideal start date is after the deadline",
        ));
    }
}

/// The holidays that are dates, with where each is written.
fn holidays(
    file: &SourceFile,
    raw: &[Spanned<RawHoliday>],
    diags: &mut Diagnostics,
) -> (Vec<Holiday>, Vec<(usize, usize)>) {
    raw.iter()
        .filter_map(|holiday| {
            let date = diags.take(yaml::date(file, holiday))?;
            let name = holiday.value.name.clone();
            Some((Holiday { date, name }, holiday.line_col()))
        })
        .unzip()
}

/// At least one environment, and one of them upgraded by the provider:
/// the playbook is written from that upgrade.
fn provider_upgrades_one(
    file: &SourceFile,
    environments: &Spanned<Vec<RawEnvironment>>,
    diags: &mut Diagnostics,
) {
    if environments.value.is_empty() {
        diags.push(
            file.error(environments, "no environments are listed")
                .with_hint("list at least the environment the provider upgrades"),
        );
    } else if !environments
        .value
        .iter()
        .any(|e| e.upgraded_by.value == Upgrader::Platinum)
    {
        // At the `environments:` key: a list's own position is its first
        // item's.
        let at = file
            .text
            .find("\nenvironments:")
            .map(|i| file.line_col(i + 1))
            .unwrap_or_else(|| environments.line_col());
        diags.push(
            file.error(at, "no environment is upgraded by the provider")
                .with_hint(
                "mark the development or staging environment the provider upgrades with `upgraded_by: platinum`; the playbook is written from that upgrade",
            ),
        );
    }
}

/// The environments, no two named alike (their names become file names).
fn environments(
    file: &SourceFile,
    raw: &[RawEnvironment],
    diags: &mut Diagnostics,
) -> Vec<Environment> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut environments = Vec::new();
    for env in raw {
        let slug = slugify(&env.name.value);
        if let Some(first) = seen.insert(slug.clone(), env.name.value.clone()) {
            let message = format!(
                "environment `{}` has the same name as `{first}`",
                env.name.value
            );
            diags.push(file.error(&env.name, message));
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
    environments
}

/// The exclusions of the service that apply, each warned about where
/// the fact that triggers it is written.
fn warn_of_exclusions(
    file: &SourceFile,
    access_acknowledged: &Spanned<bool>,
    raw: &[RawEnvironment],
    engagement: &Engagement,
    diags: &mut Diagnostics,
) {
    for exclusion in exclusions::applicable(engagement) {
        match &exclusion {
            Exclusion::NoAccess => {
                diags.push(yaml::warning_at(file, access_acknowledged, &exclusion));
            }
            Exclusion::MultipleEnvironments { .. } => {
                // At each environment the membership does not cover.
                for env in exclusions::paid_environments(engagement) {
                    if let Some(raw_env) = raw.iter().find(|r| r.name.value == env.name) {
                        diags.push(yaml::warning_at(file, &raw_env.upgraded_by, &exclusion));
                    }
                }
            }
        }
    }
}
