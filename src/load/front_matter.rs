//! YAML front matter between `---` lines at the top of a Markdown file.

use crate::diagnostic::Diagnostic;
use crate::diagnostic::SourceFile;

pub struct Split<'a> {
    pub yaml: &'a str,
    /// Lines before the YAML (the opening `---`), to shift its positions.
    pub yaml_line_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

pub fn split(file: &SourceFile) -> Result<Split<'_>, Diagnostic> {
    let text = file.text.as_str();
    let text_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[text_start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_line_end].trim_end() != "---" {
        return Err(file
            .error_at(
                text_start,
                "expected front matter: a `---` line, then YAML, then `---`",
            )
            .with_hint("start the note with\n---\ntitle: ...\nphase: ...\n---"));
    }
    let yaml_start = text_start + first_line_end;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body_offset = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line_offset: 1,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(file
        .error_at(text_start, "the front matter is not closed")
        .with_hint("end the YAML with a line that holds only `---`"))
}
