//! The service's standard process: milestones, activities, owners and
//! durations as data, so that every sentence stating one is rendered from
//! the same figure.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Process {
    pub provider: String,
    pub program: String,
    pub portal: String,
    pub request_title: String,
    pub response_time: Duration,
    pub owners: BTreeMap<String, String>,
    pub spans: Vec<Span>,
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Span {
    pub id: String,
    pub title: String,
    pub duration: Duration,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Milestone {
    pub name: String,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub activities: Vec<Activity>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Activity {
    pub id: String,
    pub title: String,
    /// The phase's title in a customer's copy, where the service's own
    /// ("Upgrade the development or staging environment") tells the
    /// provider's story, not the reader's run: `{environment}` stands for
    /// the copy's environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_copy: Option<String>,
    /// Display name of the owner (`Customer`, `Platinum Consultant`, ...).
    pub owner: String,
    /// The owner's key in the process data (`customer`, `consultant`, ...).
    pub owner_id: String,
    pub duration: Duration,
    /// The shared duration this activity is part of, if any.
    pub span: Option<String>,
    /// Business days the schedule gives it.
    pub planned_days: u32,
    /// Runs after the engagement is complete (on-call support), so it does
    /// not count against the deadline.
    pub after_completion: bool,
    pub does: Vec<String>,
}

/// The owner key the process data gives the customer: what the customer
/// must have in place before the provider can start is listed from it.
pub const CUSTOMER: &str = "customer";

impl Activity {
    pub fn is_customers(&self) -> bool {
        self.owner_id == CUSTOMER
    }
}

/// A duration as the service states it. Weeks are five business days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Duration {
    None,
    NotStated,
    Exactly { amount: u32, unit: Unit },
    Range { from: u32, to: u32, unit: Unit },
    UpTo { amount: u32, unit: Unit },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Day,
    Week,
}

impl Unit {
    fn days(self) -> u32 {
        match self {
            Unit::Day => 1,
            Unit::Week => 5,
        }
    }

    fn name(self, amount: u32) -> &'static str {
        match (self, amount) {
            (Unit::Day, 1) => "business day",
            (Unit::Day, _) => "business days",
            (Unit::Week, 1) => "week",
            (Unit::Week, _) => "weeks",
        }
    }
}

impl Duration {
    pub fn parse(text: &str) -> Result<Duration, String> {
        let text = text.trim();
        let expected = || {
            format!(
                "expected a duration like `1 day`, `2 weeks`, `1-2 weeks`, `up to 1 week`, `none` or `not stated`, found `{text}`"
            )
        };
        match text {
            "none" => return Ok(Duration::None),
            "not stated" => return Ok(Duration::NotStated),
            _ => {}
        }
        let (up_to, rest) = match text.strip_prefix("up to ") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (amount, unit) = rest.split_once(' ').ok_or_else(expected)?;
        let unit = match unit {
            "day" | "days" => Unit::Day,
            "week" | "weeks" => Unit::Week,
            _ => return Err(expected()),
        };
        let number = |s: &str| s.trim().parse::<u32>().map_err(|_| expected());
        if let Some((from, to)) = amount.split_once(['-', '–']) {
            let (from, to) = (number(from)?, number(to)?);
            if up_to || from >= to {
                return Err(expected());
            }
            return Ok(Duration::Range { from, to, unit });
        }
        let amount = number(amount)?;
        Ok(if up_to {
            Duration::UpTo { amount, unit }
        } else {
            Duration::Exactly { amount, unit }
        })
    }

    /// Business days to plan for: the upper bound, as the service advises.
    pub fn planned_days(self) -> Option<u32> {
        match self {
            Duration::None => Some(0),
            Duration::NotStated => None,
            Duration::Exactly { amount, unit } | Duration::UpTo { amount, unit } => {
                Some(amount * unit.days())
            }
            Duration::Range { to, unit, .. } => Some(to * unit.days()),
        }
    }
}

impl std::fmt::Display for Duration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Duration::None => f.write_str("no set time"),
            Duration::NotStated => f.write_str("a time agreed with the customer"),
            Duration::Exactly { amount, unit } => write!(f, "{amount} {}", unit.name(amount)),
            Duration::Range { from, to, unit } => write!(f, "{from}–{to} {}", unit.name(to)),
            Duration::UpTo { amount, unit } => write!(f, "up to {amount} {}", unit.name(amount)),
        }
    }
}

impl Process {
    pub fn activities(&self) -> impl Iterator<Item = &Activity> {
        self.milestones
            .iter()
            .flat_map(|m| &m.groups)
            .flat_map(|g| &g.activities)
    }

    pub fn activity(&self, id: &str) -> Option<&Activity> {
        self.activities().find(|a| a.id == id)
    }

    /// The figures process text may name: `{{ duration.ID }}`,
    /// `{{ owner.ID }}`, `{{ title.ID }}`, `{{ note.SPAN }}` and the
    /// service's names.
    pub fn variables(&self) -> BTreeMap<String, String> {
        let mut vars = BTreeMap::new();
        vars.insert("provider".into(), self.provider.clone());
        vars.insert("program".into(), self.program.clone());
        vars.insert("portal".into(), self.portal.clone());
        vars.insert("request_title".into(), self.request_title.clone());
        vars.insert("response_time".into(), self.response_time.to_string());
        for span in &self.spans {
            vars.insert(format!("duration.{}", span.id), span.duration.to_string());
            vars.insert(format!("title.{}", span.id), span.title.clone());
            vars.insert(format!("note.{}", span.id), span.note.clone());
        }
        for a in self.activities() {
            let duration = match &a.span {
                Some(span) => self
                    .spans
                    .iter()
                    .find(|s| &s.id == span)
                    .map_or_else(String::new, |s| s.duration.to_string()),
                None => a.duration.to_string(),
            };
            vars.insert(format!("duration.{}", a.id), duration);
            vars.insert(format!("owner.{}", a.id), a.owner.clone());
            vars.insert(format!("title.{}", a.id), a.title.clone());
        }
        vars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_read_the_same_everywhere() {
        let range = Duration::parse("1-2 weeks").unwrap();
        assert_eq!(range.to_string(), "1–2 weeks");
        assert_eq!(range.planned_days(), Some(10));
        assert_eq!(
            Duration::parse("1 day").unwrap().to_string(),
            "1 business day"
        );
        assert_eq!(
            Duration::parse("up to 1 week").unwrap().planned_days(),
            Some(5)
        );
        assert!(Duration::parse("2 fortnights").is_err());
        assert!(Duration::parse("2-1 weeks").is_err());
    }
}
