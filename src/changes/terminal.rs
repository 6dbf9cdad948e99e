//! The change view for a terminal: `upbook changes`. Colours when asked,
//! `[-deleted-]` and `{+inserted+}` markers otherwise (as `git diff
//! --word-diff` prints them), so the output also reads in a log.

use std::fmt::Write;

use super::{Changes, Op, Status, UnitKind};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

pub fn render(changes: &Changes, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    let s = &changes.summary;
    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            &format!("Changes from {} to {}", changes.from, changes.to)
        )
    );
    let _ = writeln!(
        out,
        "{} changed, {} added, {} removed, {} unchanged; requests applied: {}, rejected: {}, open: {}\n",
        s.changed,
        s.added,
        s.removed,
        s.unchanged,
        list(&s.requests_applied),
        list(&s.requests_rejected),
        list(&s.requests_open)
    );
    for section in changes
        .sections
        .iter()
        .filter(|s| s.status != Status::Unchanged)
    {
        let status = match section.status {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed if section.moved => "changed, moved",
            _ => "changed",
        };
        let _ = writeln!(
            out,
            "{} ({status}, #{})",
            paint(BOLD, &section.title),
            section.id
        );
        if let Some(old) = &section.old_title {
            let _ = writeln!(out, "  was: {old}");
        }
        for r in &section.requests {
            let _ = writeln!(out, "  {} [{}] {}", r.id, r.status.label(), r.request);
        }
        if section.unrequested {
            let _ = writeln!(out, "  {}", paint(RED, "changed without a change request"));
        }
        for unit in section.units.iter().filter(|u| u.op != Op::Equal) {
            let mut line = String::new();
            for word in &unit.words {
                let text = match (word.op, color) {
                    (Op::Insert, true) => paint(GREEN, &word.text),
                    (Op::Delete, true) => paint(RED, &word.text),
                    (Op::Insert, false) => format!("{{+{}+}}", word.text),
                    (Op::Delete, false) => format!("[-{}-]", word.text),
                    _ => word.text.clone(),
                };
                line.push_str(&text);
            }
            let what = match (&unit.label, &unit.old_label) {
                (Some(new), Some(old)) => format!("step {new} (was {old})"),
                (Some(new), None) if unit.kind == UnitKind::Step => format!("step {new}"),
                (None, Some(old)) => format!("step {old}"),
                _ => unit.kind.as_str().to_string(),
            };
            let _ = writeln!(
                out,
                "  {} {}",
                paint(DIM, &what),
                line.replace('\n', "\n    ")
            );
        }
        out.push('\n');
    }
    out
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".into()
    } else {
        ids.join(", ")
    }
}
