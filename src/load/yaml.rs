//! YAML through serde-saphyr, with its errors turned into our diagnostics.

use serde::de::DeserializeOwned;
use serde_saphyr::{Error, RenderOptions, SnippetMode};

use crate::diagnostic::SourceFile;
use crate::diagnostic::{Diagnostic, closest};

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
        diag = diag.with_hint(match closest(field, expected.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("{what} takes: {}", expected.join(", ")),
        });
    } else if let Error::SerdeUnknownVariant { expected, .. } = inner {
        diag = diag.with_hint(format!("use one of: {}", expected.join(", ")));
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
    let text = match text.rfind(" at line ") {
        Some(i) if text[i..].contains("column") => &text[..i],
        _ => text.as_str(),
    };
    text.trim().to_string()
}

/// Whether a YAML file holds nothing but blank lines and comments: an
/// optional file may exist before it has anything in it.
pub fn only_comments(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    })
}

/// Line and column of a spanned value, shifted by the lines that preceded
/// the YAML in its file (front matter starts after `---`).
pub fn position<T>(value: &Spanned<T>, line_offset: usize) -> (usize, usize) {
    let loc = value.referenced;
    (
        loc.line() as usize + line_offset,
        loc.column().max(1) as usize,
    )
}

pub fn error_at<T>(
    file: &SourceFile,
    value: &Spanned<T>,
    line_offset: usize,
    message: impl Into<String>,
) -> Diagnostic {
    let (line, col) = position(value, line_offset);
    Diagnostic::error(message).at(file, line, col)
}

/// An exclusion of the service that applies, shown where the fact that
/// triggers it is written.
pub fn warning_at<T>(
    file: &SourceFile,
    value: &Spanned<T>,
    exclusion: &crate::model::exclusions::Exclusion,
) -> Diagnostic {
    let (line, col) = position(value, 0);
    Diagnostic::warning(format!("{}: {}", exclusion.title(), exclusion.summary()))
        .at(file, line, col)
}
