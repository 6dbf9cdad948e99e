//! The schedule as an SVG drawn at build time: one bar per activity, a
//! thinner bar beneath it for the dates it really took, a line at the
//! deadline. No script is needed to see it, and the same
//! drawing can go into the PDF.

use std::fmt::Write;

use time::Date;

use super::escape::push_escaped;
use crate::model::engagement::iso;
use crate::model::schedule::Schedule;
use crate::strings::Strings;

const ROW: i64 = 22;
const LABEL: i64 = 300;
const DAY: i64 = 9;
const TOP: i64 = 52;
/// Room the deadline's label takes, in the drawing's units.
const DEADLINE_LABEL: i64 = 120;

/// The Mondays the drawing spans: its date axis, in both the HTML and
/// the PDF.
pub fn mondays(schedule: &Schedule) -> Vec<Date> {
    let (first, last) = (schedule.first_day(), schedule.last_day());
    let mut day = first;
    let mut out = Vec::new();
    while day < last {
        if day.weekday() == time::Weekday::Monday {
            out.push(day);
        }
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

/// "7 Dec": an axis label.
/// "12 Jan": a Monday on the date axis, in `strings`' words
/// (`timeline_day`, `months`).
pub fn day_month(day: Date, strings: &Strings) -> String {
    let month = u8::from(day.month()) as usize;
    let name = strings.get("months").split_whitespace().nth(month - 1);
    strings.fill(
        "timeline_day",
        &[
            ("day", &day.day().to_string()),
            ("month", name.unwrap_or_default()),
        ],
    )
}

/// The drawing, its words (legend, tooltips, the title a screen reader
/// reads) from `strings`.
pub fn svg(schedule: &Schedule, strings: &Strings) -> String {
    let last = schedule.last_day();
    let first = schedule.first_day();
    let span_days = (last - first).whole_days() + 2;
    let width = LABEL + span_days * DAY + 20;
    let height = TOP + ROW * schedule.items.len() as i64 + 16;
    let x = |d: Date| LABEL + (d - first).whole_days() * DAY;

    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"timeline-title\">"
    );
    out.push_str("<title id=\"timeline-title\">");
    push_escaped(
        &mut out,
        &strings.fill(
            "timeline_title",
            &[
                ("start", &iso(first)),
                ("deadline", &iso(schedule.deadline)),
            ],
        ),
    );
    out.push_str("</title>");

    legend(&mut out, strings);
    // The date axis: a line and a label on every Monday.
    for day in mondays(schedule) {
        let _ = write!(
            out,
            "<line class=\"week\" x1=\"{x}\" y1=\"{y1}\" x2=\"{x}\" y2=\"{y2}\"/><text class=\"week-label\" x=\"{x}\" y=\"{ty}\">{d}</text>",
            x = x(day),
            y1 = TOP - 8,
            y2 = height - 8,
            ty = TOP - 12,
            d = day_month(day, strings)
        );
    }

    for (i, item) in schedule.items.iter().enumerate() {
        let y = TOP + ROW * i as i64;
        out.push_str("<g class=\"row");
        if item.after_completion {
            out.push_str(" after");
        }
        if item.end > schedule.deadline && !item.after_completion {
            out.push_str(" late");
        }
        out.push_str("\">");
        let _ = write!(
            out,
            "<text class=\"label\" x=\"{}\" y=\"{}\">",
            LABEL - 8,
            y + 15
        );
        push_escaped(&mut out, &item.title);
        out.push_str("</text>");
        let x0 = x(item.start);
        if item.days == 0 {
            let _ = write!(
                out,
                "<path class=\"milestone\" d=\"M{x0} {a} l6 6 l-6 6 l-6 -6 z\"/>",
                a = y + 4
            );
        } else {
            let w = (x(item.end) - x0 + DAY).max(DAY);
            let _ = write!(
                out,
                "<rect class=\"bar\" x=\"{x0}\" y=\"{}\" width=\"{w}\" height=\"14\" rx=\"2\"><title>",
                y + 4
            );
            push_escaped(
                &mut out,
                &strings.fill(
                    "timeline_bar_planned",
                    &[
                        ("activity", &crate::bidi::isolate(&item.title)),
                        ("start", &iso(item.start)),
                        ("end", &iso(item.end)),
                    ],
                ),
            );
            out.push_str("</title></rect>");
        }
        if let Some(started) = item.actual_start {
            let to = item.actual_end.unwrap_or(started);
            let a0 = x(started);
            let w = (x(to) - a0 + DAY).max(DAY);
            let class = match item.actual_end {
                Some(end) if end > item.end => "actual late",
                Some(_) => "actual",
                None => "actual running",
            };
            let _ = write!(
                out,
                "<rect class=\"{class}\" x=\"{a0}\" y=\"{}\" width=\"{w}\" height=\"4\"><title>",
                y + 18
            );
            let tip = match item.actual_end {
                Some(end) => strings.fill(
                    "timeline_bar_took",
                    &[
                        ("activity", &crate::bidi::isolate(&item.title)),
                        ("start", &iso(started)),
                        ("end", &iso(end)),
                    ],
                ),
                None => strings.fill(
                    "timeline_bar_running",
                    &[
                        ("activity", &crate::bidi::isolate(&item.title)),
                        ("start", &iso(started)),
                    ],
                ),
            };
            push_escaped(&mut out, &tip);
            out.push_str("</title></rect>");
        }
        out.push_str("</g>");
    }
    let dx = x(schedule.deadline) + DAY;
    // The label reads leftwards from the line when there is no room to
    // its right, so it is never cut off at the drawing's edge.
    let (lx, anchor) = if dx + 4 + DEADLINE_LABEL > width {
        (dx - 4, "end")
    } else {
        (dx + 4, "start")
    };
    let _ = write!(
        out,
        "<line class=\"deadline\" x1=\"{dx}\" y1=\"{}\" x2=\"{dx}\" y2=\"{}\"/><text class=\"deadline-label\" x=\"{lx}\" y=\"{}\" text-anchor=\"{anchor}\">",
        TOP - 8,
        height - 4,
        height - 6,
    );
    push_escaped(
        &mut out,
        &strings.fill("timeline_deadline_on", &[("date", &iso(schedule.deadline))]),
    );
    out.push_str("</text>");
    out.push_str("</svg>");
    out
}

/// What the marks mean: planned, late, the dates it really took, the
/// deadline. Each swatch is drawn at its own origin and moved into place.
const LEGEND: [(&str, &str); 5] = [
    (
        "<rect class=\"bar\" y=\"5\" width=\"18\" height=\"10\" rx=\"2\"/>",
        "timeline_planned",
    ),
    (
        "<g class=\"late\"><rect class=\"bar\" y=\"5\" width=\"18\" height=\"10\" rx=\"2\"/></g>",
        "timeline_planned_late",
    ),
    (
        "<rect class=\"actual\" y=\"10\" width=\"18\" height=\"4\"/>",
        "timeline_actual",
    ),
    (
        "<rect class=\"actual late\" y=\"10\" width=\"18\" height=\"4\"/>",
        "timeline_finished_late",
    ),
    (
        "<line class=\"deadline\" x1=\"9\" y1=\"4\" x2=\"9\" y2=\"18\"/>",
        "timeline_deadline",
    ),
];

fn legend(out: &mut String, strings: &Strings) {
    out.push_str("<g class=\"legend\">");
    let mut x = 8;
    for (swatch, key) in LEGEND {
        let label = strings.get(key);
        let _ = write!(
            out,
            "<g transform=\"translate({x} 0)\">{swatch}<text class=\"legend-label\" x=\"24\" y=\"14\">"
        );
        push_escaped(out, label);
        out.push_str("</text></g>");
        // About 6 units a character at the drawing's 11-unit font.
        x += 24 + 6 * label.chars().count() as i64 + 18;
    }
    out.push_str("</g>");
}
