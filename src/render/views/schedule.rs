//! The schedule as templates see it: the plan, and beside it what really
//! happened (actual dates, slip in business days, the forecast against
//! the deadline, how long on-call support runs).

use serde::Serialize;

use crate::model::Playbook;
use crate::model::engagement::iso;
use crate::model::schedule::Calendar;
use crate::render::timeline;
use crate::strings::Strings;

#[derive(Serialize)]
pub struct ScheduleRow {
    pub title: String,
    pub milestone: String,
    pub owner: String,
    pub start: String,
    pub end: String,
    pub days: u32,
    pub after_completion: bool,
    pub late: bool,
    /// Calendar days from the drawing's first day, for drawing.
    pub offset: i64,
    /// Calendar days the bar covers, for drawing.
    pub length: i64,
    pub actual_start: Option<String>,
    pub actual_end: Option<String>,
    /// Where the actual bar starts and how long it is (to today's last
    /// record when the activity has not finished), for drawing.
    pub actual_offset: Option<i64>,
    pub actual_length: Option<i64>,
    /// Business days the activity finished after its planned end.
    pub slip: Option<i64>,
    pub note: Option<String>,
}

/// A Monday on the drawing's date axis.
#[derive(Serialize)]
pub struct WeekMark {
    pub offset: i64,
    pub label: String,
}

#[derive(Serialize)]
pub struct ScheduleView {
    pub rows: Vec<ScheduleRow>,
    pub start: String,
    pub completion: String,
    pub deadline: String,
    pub meets_deadline: bool,
    pub slack_days: i64,
    pub late_days: i64,
    pub svg: String,
    pub staging_duration: String,
    pub staging_note: String,
    /// Calendar days the drawing spans, and where the deadline falls.
    pub total_days: i64,
    pub deadline_offset: i64,
    pub weeks: Vec<WeekMark>,
    /// Whether `run.yaml` recorded actual dates.
    pub has_actuals: bool,
    pub forecast_completion: Option<String>,
    pub forecast_meets_deadline: bool,
    pub forecast_slack_days: i64,
    pub forecast_late_days: i64,
    /// The last day of on-call support, and whether it is counted from a
    /// final release's delivery.
    pub support_until: Option<String>,
    pub delivered: Option<String>,
    pub holidays: Vec<String>,
}

pub fn view(playbook: &Playbook, strings: &Strings) -> ScheduleView {
    let schedule = &playbook.schedule;
    let calendar = Calendar::new(&playbook.engagement);
    let staging = playbook.process.spans.first();
    let first = schedule.first_day();
    let last = schedule.last_day();
    let forecast = schedule.forecast.as_ref();
    ScheduleView {
        rows: schedule
            .items
            .iter()
            .map(|i| {
                let actual_to = i.actual_end.or(i.actual_start);
                ScheduleRow {
                    title: i.title.clone(),
                    milestone: i.milestone.clone(),
                    owner: i.owner.clone(),
                    start: iso(i.start),
                    end: iso(i.end),
                    days: i.days,
                    after_completion: i.after_completion,
                    late: !i.after_completion && i.end > schedule.deadline,
                    offset: (i.start - first).whole_days(),
                    length: (i.end - i.start).whole_days() + 1,
                    actual_start: i.actual_start.map(iso),
                    actual_end: i.actual_end.map(iso),
                    actual_offset: i.actual_start.map(|s| (s - first).whole_days()),
                    actual_length: i
                        .actual_start
                        .zip(actual_to)
                        .map(|(s, e)| (e - s).whole_days() + 1),
                    slip: i.slip(&calendar),
                    note: i.note.clone(),
                }
            })
            .collect(),
        start: iso(schedule.start),
        completion: iso(schedule.completion),
        deadline: iso(schedule.deadline),
        meets_deadline: schedule.meets_deadline,
        slack_days: schedule.slack_days,
        late_days: -schedule.slack_days,
        svg: timeline::svg(schedule, strings),
        staging_duration: staging
            .map(|s| super::milestones::duration(s.duration, strings))
            .unwrap_or_default(),
        staging_note: staging.map(|s| s.note.clone()).unwrap_or_default(),
        total_days: (last - first).whole_days() + 2,
        deadline_offset: (schedule.deadline - first).whole_days() + 1,
        weeks: timeline::mondays(schedule)
            .into_iter()
            .map(|d| WeekMark {
                offset: (d - first).whole_days(),
                label: timeline::day_month(d, strings),
            })
            .collect(),
        has_actuals: forecast.is_some(),
        forecast_completion: forecast.map(|f| iso(f.completion)),
        forecast_meets_deadline: forecast.is_none_or(|f| f.meets_deadline),
        forecast_slack_days: forecast.map_or(0, |f| f.slack_days),
        forecast_late_days: forecast.map_or(0, |f| -f.slack_days),
        support_until: schedule.support_until().map(iso),
        delivered: schedule.delivered.map(iso),
        holidays: playbook
            .engagement
            .holidays
            .iter()
            .map(|h| match &h.name {
                Some(name) => format!("{} ({name})", iso(h.date)),
                None => iso(h.date),
            })
            .collect(),
    }
}
