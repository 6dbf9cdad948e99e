//! The timeline: every activity laid end to end from the ideal start, in
//! business days (Monday to Friday, minus the engagement's holidays), and
//! beside the plan what really happened, from `run.yaml`: actual dates,
//! the slip against the plan, and a forecast of completion that starts
//! the remaining activities after the last one that really finished.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::{Date, Weekday};

use super::engagement::{Engagement, iso_date};
use super::optional_date;
use super::process::Process;
use super::run::Run;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Schedule {
    pub items: Vec<Planned>,
    #[serde(with = "iso_date")]
    pub start: Date,
    /// The last business day of the last activity that counts toward the
    /// deadline (on-call support does not).
    #[serde(with = "iso_date")]
    pub completion: Date,
    #[serde(with = "iso_date")]
    pub deadline: Date,
    pub meets_deadline: bool,
    /// Business days between completion and deadline; negative when late.
    pub slack_days: i64,
    /// Completion as the actual dates so far predict it, when the run
    /// recorded any.
    #[serde(default)]
    pub forecast: Option<Forecast>,
    /// The day the final release was delivered, when there is one: the
    /// on-call week runs from it rather than from the plan.
    #[serde(default, with = "optional_date")]
    pub delivered: Option<Date>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Forecast {
    #[serde(with = "iso_date")]
    pub completion: Date,
    pub meets_deadline: bool,
    pub slack_days: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Planned {
    pub activity: String,
    pub title: String,
    pub milestone: String,
    pub owner: String,
    #[serde(with = "iso_date")]
    pub start: Date,
    /// The last business day of the activity (equal to `start` for a
    /// milestone of no length).
    #[serde(with = "iso_date")]
    pub end: Date,
    pub days: u32,
    pub after_completion: bool,
    #[serde(default, with = "optional_date")]
    pub actual_start: Option<Date>,
    #[serde(default, with = "optional_date")]
    pub actual_end: Option<Date>,
    #[serde(default)]
    pub note: Option<String>,
}

impl Planned {
    /// Business days the activity finished after its planned end
    /// (negative when early); none until it has finished.
    pub fn slip(&self, calendar: &Calendar) -> Option<i64> {
        self.actual_end
            .map(|done| calendar.signed_days(self.end, done))
    }
}

impl Schedule {
    /// The last day a drawing of the schedule must show: the end of the
    /// last activity (planned or actual) or the deadline, whichever is
    /// later.
    pub fn last_day(&self) -> Date {
        self.items
            .iter()
            .flat_map(|i| [Some(i.end), i.actual_end, i.actual_start])
            .flatten()
            .max()
            .unwrap_or(self.start)
            .max(self.deadline)
    }

    /// The first day a drawing must show: an activity may have really
    /// started before the plan's start.
    pub fn first_day(&self) -> Date {
        self.items
            .iter()
            .filter_map(|i| i.actual_start)
            .min()
            .map_or(self.start, |d| d.min(self.start))
    }

    /// When on-call support ends: the last day of the activities that run
    /// after completion.
    pub fn support_until(&self) -> Option<Date> {
        self.items
            .iter()
            .filter(|i| i.after_completion)
            .map(|i| i.end)
            .max()
    }
}

/// Business days: Monday to Friday, except the engagement's holidays.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    holidays: BTreeSet<Date>,
}

impl Calendar {
    pub fn new(engagement: &Engagement) -> Calendar {
        Calendar {
            holidays: engagement.holidays.iter().map(|h| h.date).collect(),
        }
    }

    pub fn is_business_day(&self, date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !self.holidays.contains(&date)
    }

    /// `date` itself if it is a business day, else the next one.
    pub fn next_business_day(&self, mut date: Date) -> Date {
        while !self.is_business_day(date) {
            match date.next_day() {
                Some(next) => date = next,
                None => break,
            }
        }
        date
    }

    pub fn add_business_days(&self, mut date: Date, n: u32) -> Date {
        date = self.next_business_day(date);
        for _ in 0..n {
            date = self.next_business_day(date.next_day().unwrap_or(date));
        }
        date
    }

    /// Business days after `from` up to and including `to`.
    pub fn days_between(&self, from: Date, to: Date) -> i64 {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = day.next_day().unwrap_or(to);
            if self.is_business_day(day) {
                count += 1;
            }
        }
        count
    }

    /// Business days from `from` to `to`, negative when `to` is earlier.
    pub fn signed_days(&self, from: Date, to: Date) -> i64 {
        if to >= from {
            self.days_between(from, to)
        } else {
            -self.days_between(to, from)
        }
    }
}

/// The plan from the ideal start, with the run's actual dates beside it.
/// `delivered` is the final release's date, from which the on-call week
/// runs when there is one.
pub fn plan(
    engagement: &Engagement,
    process: &Process,
    run: &Run,
    delivered: Option<Date>,
) -> Schedule {
    let calendar = Calendar::new(engagement);
    let start = calendar.next_business_day(engagement.dates.ideal_start);
    let mut cursor = start;
    // Where the remaining work starts once an activity really finished.
    let mut forecast_cursor = start;
    let mut items = Vec::new();
    let mut completion = start;
    let mut forecast_completion = start;
    for milestone in &process.milestones {
        for activity in milestone.groups.iter().flat_map(|g| &g.activities) {
            let days = activity.planned_days;
            let lay = |from: Date| {
                let from = calendar.next_business_day(from);
                if days == 0 {
                    (from, from)
                } else {
                    (from, calendar.add_business_days(from, days - 1))
                }
            };
            let planned_from = match delivered {
                Some(day) if activity.after_completion => calendar.add_business_days(day, 1),
                _ => cursor,
            };
            let (from, to) = lay(planned_from);
            if days > 0 && !activity.after_completion {
                cursor = calendar.add_business_days(to, 1);
            }
            let actual = run.actual(&activity.id);
            let forecast_end = match actual {
                Some(a) => a.finished.unwrap_or_else(|| {
                    lay(a.started)
                        .1
                        .max(calendar.next_business_day(forecast_cursor))
                }),
                None => {
                    lay(match delivered {
                        Some(day) if activity.after_completion => {
                            calendar.add_business_days(day, 1)
                        }
                        _ => forecast_cursor,
                    })
                    .1
                }
            };
            if !activity.after_completion {
                completion = completion.max(to);
                forecast_completion = forecast_completion.max(forecast_end);
                if days > 0 || actual.is_some() {
                    forecast_cursor = calendar.add_business_days(forecast_end, 1);
                }
            }
            items.push(Planned {
                activity: activity.id.clone(),
                title: activity.title.clone(),
                milestone: milestone.name.clone(),
                owner: activity.owner.clone(),
                start: from,
                end: to,
                days,
                after_completion: activity.after_completion,
                actual_start: actual.map(|a| a.started),
                actual_end: actual.and_then(|a| a.finished),
                note: actual.and_then(|a| a.note.clone()),
            });
        }
    }
    let deadline = engagement.dates.deadline;
    let forecast = (!run.activities.is_empty()).then(|| Forecast {
        completion: forecast_completion,
        meets_deadline: forecast_completion <= deadline,
        slack_days: calendar.signed_days(forecast_completion, deadline),
    });
    Schedule {
        items,
        start,
        completion,
        deadline,
        meets_deadline: completion <= deadline,
        slack_days: calendar.signed_days(completion, deadline),
        forecast,
        delivered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn business_days_skip_weekends() {
        let c = Calendar::default();
        // Friday + 1 business day is Monday.
        assert_eq!(
            c.add_business_days(date!(2026 - 12 - 04), 1),
            date!(2026 - 12 - 07)
        );
        // A Saturday start moves to Monday.
        assert_eq!(
            c.add_business_days(date!(2026 - 12 - 05), 0),
            date!(2026 - 12 - 07)
        );
        assert_eq!(
            c.days_between(date!(2026 - 12 - 04), date!(2026 - 12 - 11)),
            5
        );
        assert_eq!(
            c.signed_days(date!(2026 - 12 - 11), date!(2026 - 12 - 04)),
            -5
        );
    }

    #[test]
    fn business_days_skip_holidays() {
        let c = Calendar {
            holidays: [date!(2026 - 12 - 24), date!(2026 - 12 - 25)].into(),
        };
        // Wednesday 23 December + 1 is Monday 28 December.
        assert_eq!(
            c.add_business_days(date!(2026 - 12 - 23), 1),
            date!(2026 - 12 - 28)
        );
        assert_eq!(
            c.days_between(date!(2026 - 12 - 23), date!(2026 - 12 - 28)),
            1
        );
    }
}
