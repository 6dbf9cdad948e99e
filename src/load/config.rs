//! Reading `book.toml` into [`BookConfig`], with located errors.

use crate::model::config::BookConfig;

use crate::diagnostic::SourceFile;
use crate::diagnostic::{Diagnostic, closest};

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
    use crate::model::config::{Format, Paper};

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
