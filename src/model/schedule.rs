//! The planned timeline: every activity laid end to end from the ideal
//! start, in business days (Monday to Friday; public holidays are not
//! known to upbook and are left to the plan's reader).

use serde::{Deserialize, Serialize};
use time::{Date, Weekday};

use super::engagement::{Engagement, iso_date};
use super::process::Process;

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
}

impl Schedule {
    /// The last day a drawing of the schedule must show: the end of the
    /// last activity or the deadline, whichever is later.
    pub fn last_day(&self) -> Date {
        self.items
            .iter()
            .map(|i| i.end)
            .max()
            .unwrap_or(self.start)
            .max(self.deadline)
    }
}

pub fn plan(engagement: &Engagement, process: &Process) -> Schedule {
    let start = next_business_day(engagement.dates.ideal_start);
    let mut cursor = start;
    let mut items = Vec::new();
    let mut completion = start;
    for milestone in &process.milestones {
        for activity in milestone.groups.iter().flat_map(|g| &g.activities) {
            let days = activity.planned_days;
            let (from, to) = if days == 0 {
                (cursor, cursor)
            } else {
                let end = add_business_days(cursor, days - 1);
                (cursor, end)
            };
            if days > 0 {
                cursor = add_business_days(to, 1);
            }
            if !activity.after_completion {
                completion = completion.max(to);
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
            });
        }
    }
    let deadline = engagement.dates.deadline;
    let slack_days = if completion <= deadline {
        business_days_between(completion, deadline)
    } else {
        -business_days_between(deadline, completion)
    };
    Schedule {
        items,
        start,
        completion,
        deadline,
        meets_deadline: completion <= deadline,
        slack_days,
    }
}

fn is_business_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// `date` itself if it is a business day, else the next one.
fn next_business_day(mut date: Date) -> Date {
    while !is_business_day(date) {
        date = date.next_day().unwrap_or(date);
    }
    date
}

pub fn add_business_days(mut date: Date, n: u32) -> Date {
    date = next_business_day(date);
    for _ in 0..n {
        date = date.next_day().unwrap_or(date);
        date = next_business_day(date);
    }
    date
}

/// Business days after `from` up to and including `to`.
fn business_days_between(from: Date, to: Date) -> i64 {
    let mut count = 0;
    let mut day = from;
    while day < to {
        day = day.next_day().unwrap_or(to);
        if is_business_day(day) {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn business_days_skip_weekends() {
        // Friday + 1 business day is Monday.
        assert_eq!(
            add_business_days(date!(2026 - 12 - 04), 1),
            date!(2026 - 12 - 07)
        );
        // A Saturday start moves to Monday.
        assert_eq!(
            add_business_days(date!(2026 - 12 - 05), 0),
            date!(2026 - 12 - 07)
        );
        assert_eq!(
            business_days_between(date!(2026 - 12 - 04), date!(2026 - 12 - 11)),
            5
        );
    }
}
