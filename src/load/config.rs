//! Reading `book.toml` into [`BookConfig`], with located errors.

use crate::model::config::BookConfig;

use crate::diagnostic::SourceFile;
use crate::diagnostic::{Diagnostic, did_you_mean};

pub fn parse(file: &SourceFile) -> Result<BookConfig, Diagnostic> {
    let config: BookConfig = toml::from_str(&file.text).map_err(|e| {
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
    })?;
    check_site_url(file, config.output.site_url.as_deref())?;
    Ok(config)
}

/// `site_url` becomes links in the single file: only a web address will do.
fn check_site_url(file: &SourceFile, site_url: Option<&str>) -> Result<(), Diagnostic> {
    let Some(url) = site_url else { return Ok(()) };
    if url.starts_with("https://") || url.starts_with("http://") {
        return Ok(());
    }
    let at = file.text.find("site_url").unwrap_or(0);
    let (line, col) = file.line_col(at);
    Err(Diagnostic::error(format!(
        "`site_url` must be an http(s) address, not `{url}`"
    ))
    .at(file, line, col)
    .with_hint("e.g. site_url = \"https://docs.example.com/acme\""))
}

/// toml names the unknown key and the expected ones in its message; turn
/// that into a "did you mean".
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(field, names.iter().copied())
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
