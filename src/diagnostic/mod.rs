//! Located problems in a project, and the one place that prints them.
//!
//! Every stage reports through `Diagnostic` so that a user always learns the
//! file, line and column, what was expected and, where it helps, a hint.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

mod source;

pub use source::SourceFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
    /// The offending source line, kept so the printer needs no file access.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters to underline; by default the word at the column.
    #[serde(skip)]
    pub length: Option<usize>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message.into())
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message.into())
    }

    fn new(severity: Severity, message: String) -> Self {
        Diagnostic {
            severity,
            path: None,
            line: None,
            column: None,
            message,
            hint: None,
            source_line: None,
            length: None,
        }
    }

    pub fn in_file(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    pub fn at(mut self, file: &SourceFile, line: usize, column: usize) -> Self {
        self.path = Some(file.path.clone());
        self.line = Some(line);
        self.column = Some(column);
        self.source_line = Some(file.line_text(line).to_string());
        self
    }

    pub fn with_length(mut self, chars: usize) -> Self {
        self.length = Some(chars);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` as editors and terminals link it.
    pub fn location(&self) -> String {
        let mut out = self
            .path
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string());
        if let (Some(line), Some(col)) = (self.line, self.column) {
            let _ = write!(out, ":{line}:{col}");
        }
        out
    }

    /// Renders the diagnostic like rustc and Typst do: header, location,
    /// the source line with a caret, then the hint.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let path = self.location();
        // With a snippet, annotate-snippets prints `--> file:line:col`;
        // without one, the title names the file.
        let title_text = if path.is_empty() || self.source_line.is_some() {
            self.message.clone()
        } else {
            format!("{} ({path})", self.message)
        };
        let title = level.primary_title(title_text);
        let mut groups = match (&self.source_line, self.line, self.column) {
            (Some(source), Some(line), Some(col)) => {
                let start = source
                    .char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(source.len(), |(i, _)| i);
                // Underline the word the column points at.
                let word = source[start..]
                    .find(char::is_whitespace)
                    .map_or(source.len(), |i| start + i);
                let end = if let Some(n) = self.length {
                    source[start..]
                        .char_indices()
                        .nth(n)
                        .map_or(source.len(), |(i, _)| start + i)
                } else if word > start {
                    word
                } else {
                    source[start..]
                        .chars()
                        .next()
                        .map_or(start, |c| start + c.len_utf8())
                };
                let mut snippet = Snippet::source(source.as_str())
                    .line_start(line)
                    .annotation(AnnotationKind::Primary.span(start..end));
                if let Some(p) = &self.path {
                    snippet = snippet.path(p.display().to_string());
                }
                vec![title.element(snippet)]
            }
            _ => vec![Group::with_title(title)],
        };
        if let Some(hint) = &self.hint {
            groups.push(Group::with_title(Level::HELP.secondary_title(hint)));
        }
        renderer.render(&groups)
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// All problems a run found, in the order they were found.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

/// One problem, as the list the library's commands return.
impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d] }
    }
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    /// Keeps a `Result` flowing: records the error and yields `None`.
    pub fn take<T>(&mut self, result: Result<T, Diagnostic>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(d) => {
                self.push(d);
                None
            }
        }
    }
}

/// Where a value was written in its file: line and column, from 1. What
/// a loader keeps of a value it reads (a YAML value's span, a position
/// noted for a later check) so that an error about it is one call.
pub trait Located {
    fn line_col(&self) -> (usize, usize);
}

impl Located for (usize, usize) {
    fn line_col(&self) -> (usize, usize) {
        *self
    }
}

impl<L: Located + ?Sized> Located for &L {
    fn line_col(&self) -> (usize, usize) {
        (**self).line_col()
    }
}

/// Turns a check's plain error (a date or a duration that does not
/// parse, said in words) into a diagnostic where the value was written,
/// as Typst's `At` does: `iso_date::parse(text).at(file, &value)?`.
pub trait At<T> {
    fn at(self, file: &SourceFile, place: impl Located) -> Result<T, Diagnostic>;
}

impl<T, E: Into<String>> At<T> for Result<T, E> {
    fn at(self, file: &SourceFile, place: impl Located) -> Result<T, Diagnostic> {
        self.map_err(|message| file.error(place, message))
    }
}

/// Returns an error located at `place` in `file` from the function:
/// `bail!(file, &id, "{what} {} is listed twice", id.value)`.
#[macro_export]
macro_rules! bail {
    ($file:expr, $place:expr, $($message:tt)+) => {
        return Err($file.error($place, format!($($message)+)))
    };
}

/// The hint for a name that is not one of `candidates`, when one is close
/// enough to be what was meant; the one wording of "did you mean".
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean_in("", word, candidates)
}

/// [`did_you_mean`] for names written with a `prefix` the candidates do
/// not carry (`env.` before an environment's variable).
pub fn did_you_mean_in<'a>(
    prefix: &str,
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|near| format!("did you mean `{prefix}{near}`?"))
}

/// The closest candidate within a small edit distance, for "did you mean".
fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let names = ["customer", "target_version", "current_version"];
        assert_eq!(closest("targte_version", names), Some("target_version"));
        assert_eq!(closest("colour", names), None);
        assert_eq!(
            did_you_mean("targte_version", names).as_deref(),
            Some("did you mean `target_version`?")
        );
    }

    #[test]
    fn renders_location_caret_and_hint() {
        let file = SourceFile::new("content/engagement.yaml", "customer: Acme\nfoo: 1\n");
        let d = Diagnostic::error("unknown key `foo`")
            .at(&file, 2, 1)
            .with_hint("remove it");
        let text = d.render(false);
        assert!(text.contains("content/engagement.yaml:2:1"), "{text}");
        assert!(text.contains("foo: 1"), "{text}");
        assert!(text.contains('^'), "{text}");
        assert!(text.contains("remove it"), "{text}");
    }
}
