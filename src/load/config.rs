//! `book.toml`: the few settings that are not facts of the engagement.

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, closest};
use crate::source::SourceFile;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookConfig {
    pub book: BookSection,
    #[serde(default)]
    pub output: OutputSection,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookSection {
    pub title: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub authors: Vec<String>,
}

impl Default for BookSection {
    fn default() -> Self {
        BookSection {
            title: "Upgrade playbook".into(),
            language: default_language(),
            authors: Vec::new(),
        }
    }
}

fn default_language() -> String {
    "en".into()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OutputSection {
    /// Which formats `build` writes when `--format` is not given.
    #[serde(default = "default_formats")]
    pub formats: Vec<Format>,
    #[serde(default)]
    pub paper: Paper,
    /// A folder under `themes/` whose files override the embedded theme.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Output folder, relative to the project; `--out` wins over it.
    #[serde(default = "default_out")]
    pub dir: String,
}

impl Default for OutputSection {
    fn default() -> Self {
        OutputSection {
            formats: default_formats(),
            paper: Paper::default(),
            theme: default_theme(),
            dir: default_out(),
        }
    }
}

fn default_formats() -> Vec<Format> {
    vec![Format::Html, Format::Pdf]
}

fn default_theme() -> String {
    "default".into()
}

fn default_out() -> String {
    "book".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Html,
    Pdf,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    #[default]
    A4,
    UsLetter,
}

pub fn parse(file: &SourceFile) -> Result<BookConfig, Diagnostic> {
    toml::from_str(&file.text).map_err(|e| {
        let message = e.message().trim().to_string();
        let mut diag = Diagnostic::error(message.clone());
        diag = match e.span() {
            Some(span) => {
                let (line, col) = file.line_col(span.start);
                diag.at(file, line, col)
            }
            None => diag.in_file(&file.path),
        };
        if let Some(hint) = unknown_key_hint(&message) {
            diag = diag.with_hint(hint);
        }
        diag
    })
}

/// toml names the unknown key and the expected ones in its message; turn
/// that into a "did you mean".
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    closest(field, names.iter().copied()).map(|near| format!("did you mean `{near}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_located_with_a_suggestion() {
        let file = SourceFile::new("book.toml", "[book]\ntitle = \"x\"\nlanguag = \"en\"\n");
        let err = parse(&file).unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert_eq!(
            err.hint.as_deref(),
            Some("did you mean `language`?"),
            "{err}"
        );
    }

    #[test]
    fn defaults_fill_the_output_section() {
        let file = SourceFile::new("book.toml", "[book]\ntitle = \"x\"\n");
        let config = parse(&file).unwrap();
        assert_eq!(config.output.formats, vec![Format::Html, Format::Pdf]);
        assert_eq!(config.output.paper, Paper::A4);
    }
}
