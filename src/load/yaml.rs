//! YAML through serde-saphyr, with its errors turned into our diagnostics.

use serde::de::DeserializeOwned;
use serde_saphyr::{Error, RenderOptions, SnippetMode};

use std::collections::BTreeSet;

use time::Date;

use crate::diagnostic::{At, Diagnostic, Located, SourceFile, did_you_mean};
use crate::model::engagement::iso_date;

/// A position inside a YAML file, kept on values that later checks may
/// need to point at (dates, references to other things).
pub type Spanned<T> = serde_saphyr::Spanned<T>;

/// Parses `file` (or `text` taken from it, starting at `line_offset`) as `T`.
pub fn parse<T: DeserializeOwned>(
    file: &SourceFile,
    text: &str,
    line_offset: usize,
    what: &str,
) -> Result<T, Diagnostic> {
    if text.trim().is_empty() {
        let diag = Diagnostic::error(format!("this file is empty; expected {what}"));
        return Err(if line_offset > 0 {
            diag.at(file, line_offset, 1)
        } else {
            diag.in_file(&file.path)
        });
    }
    serde_saphyr::from_str(text).map_err(|e| to_diagnostic(file, &e, line_offset, what))
}

fn to_diagnostic(file: &SourceFile, err: &Error, line_offset: usize, what: &str) -> Diagnostic {
    let inner = err.without_snippet();
    let message = message_of(inner);
    let mut diag = Diagnostic::error(message);
    if let Some(loc) = inner.location().filter(|l| l.line() > 0) {
        let line = loc.line() as usize + line_offset;
        diag = diag.at(file, line, loc.column().max(1) as usize);
    } else {
        diag = diag.in_file(&file.path);
    }
    if let Error::SerdeUnknownField {
        field, expected, ..
    } = inner
    {
        diag = diag.with_hint(
            did_you_mean(field, expected.iter().copied())
                .unwrap_or_else(|| format!("{what} takes: {}", expected.join(", "))),
        );
    } else if let Error::SerdeUnknownVariant { expected, .. } = inner {
        diag = diag.with_hint(format!("use one of: {}", expected.join(", ")));
    } else if let Error::Budget { .. } = inner {
        diag = diag.with_hint(
            "the file holds more than YAML is read for (250,000 values, 64 levels of nesting); shorten it",
        );
    } else if diag.message.contains("boolean") {
        diag = diag.with_hint("write `true` or `false`");
    }
    diag
}

/// saphyr's own wording, without the location it appends (we show that
/// ourselves, shifted to the file's real line numbers).
fn message_of(err: &Error) -> String {
    let mut options = RenderOptions::default();
    options.snippets = SnippetMode::Off;
    let text = err.render_with_options(options);
    without_locations(&text).to_string()
}

/// `text` without the locations saphyr appends to it: ` at line 3,
/// column 7` and parenthesised ones, ` (used at line 3, column 7)`.
/// Only a location that ends the text goes, so a message that names
/// positions within it (a budget's `… (used …) …`) is never cut short.
fn without_locations(text: &str) -> &str {
    let mut text = text.trim();
    loop {
        let shorter = text
            .strip_suffix(')')
            .and_then(|t| t.rfind(" (").map(|i| (&t[..i], &t[i + 2..])))
            .filter(|(_, inside)| {
                inside
                    .split_once(' ')
                    .is_some_and(|(_, rest)| is_location(rest))
            })
            .map(|(before, _)| before)
            .or_else(|| {
                text.rfind(" at line ")
                    .filter(|&i| is_location(&text[i + 1..]))
                    .map(|i| &text[..i])
            });
        match shorter {
            Some(shorter) => text = shorter.trim_end(),
            None => return text,
        }
    }
}

/// Whether `text` is exactly `at line N, column M`.
fn is_location(text: &str) -> bool {
    let number = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    text.strip_prefix("at line ")
        .and_then(|t| t.split_once(", column "))
        .is_some_and(|(line, column)| number(line) && number(column))
}

/// Whether a YAML file holds nothing but blank lines and comments: an
/// optional file may exist before it has anything in it.
pub fn only_comments(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    })
}

/// A YAML value is located where saphyr found it: a file read whole has
/// its lines from 1, as the user sees them.
impl<T> Located for Spanned<T> {
    fn line_col(&self) -> (usize, usize) {
        shifted(self, 0)
    }
}

/// Line and column of a spanned value, shifted by the lines that preceded
/// the YAML in its file (front matter starts after `---`).
pub fn shifted<T>(value: &Spanned<T>, line_offset: usize) -> (usize, usize) {
    let loc = value.referenced;
    (
        loc.line() as usize + line_offset,
        loc.column().max(1) as usize,
    )
}

/// An ISO date (`2027-01-29`), or the error saying why it is not one,
/// where it is written: every date of every YAML file is read here.
pub fn date<T: AsRef<str>>(file: &SourceFile, value: &Spanned<T>) -> Result<Date, Diagnostic> {
    iso_date::parse(value.value.as_ref()).at(file, value)
}

/// The ids of one list read so far, so that an id listed twice is
/// reported where it is written the second time.
#[derive(Default)]
pub struct Ids(BTreeSet<String>);

impl Ids {
    /// `what` says what the list holds (`finding`, `change request`).
    pub fn check(
        &mut self,
        file: &SourceFile,
        what: &str,
        id: &Spanned<String>,
    ) -> Result<(), Diagnostic> {
        if !self.0.insert(id.value.clone()) {
            crate::bail!(file, id, "{what} `{}` is listed twice", id.value);
        }
        Ok(())
    }
}

/// An exclusion of the service that applies, shown where the fact that
/// triggers it is written.
pub fn warning_at<T>(
    file: &SourceFile,
    value: &Spanned<T>,
    exclusion: &crate::model::exclusions::Exclusion,
) -> Diagnostic {
    file.warning(
        value,
        format!("{}: {}", exclusion.title(), exclusion.summary()),
    )
}

#[cfg(test)]
mod tests {
    use super::without_locations;

    #[test]
    fn only_locations_that_end_a_message_are_dropped() {
        assert_eq!(
            without_locations(
                "invalid u16 (defined at line 1, column 10) (used at line 3, column 7)"
            ),
            "invalid u16"
        );
        assert_eq!(
            without_locations("unknown field `x` at line 2, column 1"),
            "unknown field `x`"
        );
        let budget = "budget exceeded: 10 > 5 (used at line 2, column 1 of a 4 line file)";
        assert_eq!(without_locations(budget), budget);
    }
}
