//! Writing `content/reviews/change-requests.yaml`. New requests are added
//! as text after what the file holds, so the customer's and consultant's
//! comments and layout stay as written. That only works when the file
//! is a block list (or empty, or only comments); a flow list (`[]`,
//! `[{id: CR-001, ...}]`) cannot be continued that way, so it is written
//! again as a block list, its leading comments kept. Either way the new
//! text is read back before it is written: the import writes only a file
//! every later command reads as exactly the old requests plus the new.

use std::fmt::Write as _;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::load::CHANGE_REQUESTS;
use crate::model::engagement::iso;
use crate::model::review::ChangeRequest;

/// Where the new file is written whole before it is renamed over the old.
pub const STAGED: &str = "content/reviews/change-requests.yaml.upbook-new";

/// Replaces the file's requests `existing` (read from `text`, `None`
/// when there is no file) with `existing` followed by `added`.
pub(super) fn add(
    root: &Path,
    text: Option<&str>,
    existing: &[ChangeRequest],
    added: &[ChangeRequest],
) -> Result<(), Diagnostic> {
    let all: Vec<&ChangeRequest> = existing.iter().chain(added).collect();
    let header = "# The customer's change requests, raised against a delivered version.\n";
    let text = text.unwrap_or(header);
    let mut appended = text.to_string();
    if !appended.is_empty() && !appended.ends_with('\n') {
        appended.push('\n');
    }
    appended.extend(added.iter().map(to_yaml));
    let new = if reads_as(&appended, &all) {
        appended
    } else {
        let mut rewritten = leading_comments(text);
        rewritten.extend(all.iter().map(|r| to_yaml(r)));
        if !reads_as(&rewritten, &all) {
            return Err(Diagnostic::error(format!(
                "cannot add to {CHANGE_REQUESTS}: the file would not read back as written"
            ))
            .in_file(Path::new(CHANGE_REQUESTS)));
        }
        rewritten
    };
    write(root, &new)
}

/// Whether `text` is read as exactly `requests`, as later commands will.
fn reads_as(text: &str, requests: &[&ChangeRequest]) -> bool {
    let file = SourceFile::new(Path::new(CHANGE_REQUESTS), text.to_string());
    let mut diags = Diagnostics::default();
    let Some(read) = crate::load::change_requests::load(&file, &mut diags) else {
        return false;
    };
    !diags.has_errors()
        && read.len() == requests.len()
        && read.iter().zip(requests).all(|(r, want)| {
            serde_json::to_value(&r.request).ok() == serde_json::to_value(want).ok()
        })
}

/// The comment lines (and blank lines) a file starts with.
fn leading_comments(text: &str) -> String {
    text.lines()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        .flat_map(|l| [l, "\n"])
        .collect()
}

/// Written whole beside the file and renamed over it: a crash leaves the
/// old file, never half a new one, and a failed write (a full disk)
/// leaves nothing beside it.
fn write(root: &Path, text: &str) -> Result<(), Diagnostic> {
    let path = root.join(CHANGE_REQUESTS);
    let staged = root.join(STAGED);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(&staged, text)
        .and_then(|()| std::fs::rename(&staged, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&staged);
            Diagnostic::error(format!("cannot write {CHANGE_REQUESTS}: {e}"))
        })
}

/// One request as a YAML list item, every string through [`scalar`].
pub fn to_yaml(r: &ChangeRequest) -> String {
    let q = scalar;
    let mut out = String::new();
    let _ = writeln!(out, "- id: {}", q(&r.id));
    let _ = writeln!(out, "  raised_against: {}", q(&r.raised_against));
    let _ = writeln!(out, "  section: {}", q(&r.section));
    let _ = writeln!(out, "  raised_by: {}", q(&r.raised_by));
    let _ = writeln!(out, "  date: {}", q(&iso(r.date)));
    let _ = writeln!(out, "  kind: {}", q(&r.kind.label().to_lowercase()));
    let _ = writeln!(out, "  request: {}", q(&r.request));
    let _ = writeln!(out, "  status: {}", q(&r.status.label().to_lowercase()));
    if let Some(resolution) = &r.resolution {
        let _ = writeln!(out, "  resolution: {}", q(resolution));
    }
    if let Some(applied_in) = &r.applied_in {
        let _ = writeln!(out, "  applied_in: {}", q(applied_in));
    }
    if let Some(copy) = &r.copy {
        let _ = writeln!(out, "  copy: {}", q(copy));
    }
    if let Some(steps) = &r.steps {
        let _ = writeln!(out, "  steps: {}", q(steps));
    }
    if !r.comments.is_empty() {
        out.push_str("  comments:\n");
        for c in &r.comments {
            let _ = writeln!(out, "    - by: {}", q(&c.by));
            let _ = writeln!(out, "      date: {}", q(&iso(c.date)));
            let _ = writeln!(out, "      text: {}", q(&c.text));
        }
    }
    out
}

/// A string as a YAML scalar that every YAML reader (1.1 or 1.2) reads
/// back as that string: plain when it is a word or id no reader takes
/// for anything else (`backup`, `CR-004`, `2027-01-05`), double-quoted
/// otherwise, which covers `null`, `~`, `yes`, `1.0`, `0x1F`, leading
/// `-`, `*`, `&`, `!`, `#`, quotes and line breaks.
pub fn scalar(s: &str) -> String {
    if is_plain(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Line breaks to YAML 1.1, a byte order mark anywhere, and
            // what YAML does not allow unescaped.
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if !printable(c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Words YAML 1.1 or 1.2 reads as null, a boolean or a special number.
const SPECIAL: &[&str] = &[
    "null", "true", "false", "yes", "no", "y", "n", "on", "off", "nan", "inf",
];

fn is_plain(s: &str) -> bool {
    let word = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !SPECIAL.contains(&s.to_ascii_lowercase().as_str());
    word || is_iso_date(s)
}

/// `YYYY-MM-DD`, which upbook reads as a date whether quoted or not.
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// YAML's printable characters (`c-printable`), minus the tab and line
/// breaks handled before.
fn printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_reads_back_as_itself() {
        let nasty = [
            "backup",
            "CR-004",
            "2027-01-05",
            "null",
            "Null",
            "NULL",
            "~",
            "",
            " ",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "true",
            "False",
            "1",
            "1.0",
            "-1",
            "0x1F",
            "0o17",
            "1e3",
            ".inf",
            "-.inf",
            ".NaN",
            "nan",
            "- item",
            "-",
            "?",
            ":",
            "a: b",
            "a #b",
            "#c",
            "*alias",
            "&anchor",
            "!tag",
            "%YAML",
            "@x",
            "`x",
            "|",
            ">",
            "'",
            "\"",
            "\\",
            "[x]",
            "{x}",
            ",",
            " lead",
            "trail ",
            "two\nlines",
            "tab\there",
            "cr\r",
            "nel\u{85}",
            "ls\u{2028}ps\u{2029}",
            "\u{feff}bom",
            "del\u{7f}",
            "c1\u{9b}",
            "bell\u{7}",
            "Grüße — «ok» 🙂",
            "2027-01-05T10:00",
            "1_000",
            "0b101",
            "<<",
        ];
        for s in nasty {
            let yaml = format!("value: {}\n", scalar(s));
            let read: std::collections::BTreeMap<String, String> =
                serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{s:?} as {yaml:?}: {e}"));
            assert_eq!(read["value"], s, "{yaml:?}");
        }
    }

    #[test]
    fn ids_and_words_stay_plain_and_specials_are_quoted() {
        assert_eq!(
            scalar("upgrade-the-message-brokers"),
            "upgrade-the-message-brokers"
        );
        assert_eq!(scalar("2027-01-05"), "2027-01-05");
        assert_eq!(scalar("null"), "\"null\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("1.0"), "\"1.0\"");
        assert_eq!(scalar("~"), "\"~\"");
    }

    /// A full disk, played by `/dev/full` behind the staged file's name:
    /// the write fails, the old file stays, and nothing is left beside it.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_write_to_a_full_disk_leaves_the_old_file_and_no_staged_one() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(CHANGE_REQUESTS);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "# old\n").unwrap();
        std::os::unix::fs::symlink("/dev/full", tmp.path().join(STAGED)).unwrap();
        let e = write(tmp.path(), "- id: CR-001\n").unwrap_err();
        assert!(e.message.contains("No space left"), "{}", e.message);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "# old\n");
        assert!(std::fs::symlink_metadata(tmp.path().join(STAGED)).is_err());
    }
}
