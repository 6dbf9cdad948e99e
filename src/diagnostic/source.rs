//! Source files as read from disk, kept whole so that any later stage can
//! turn a byte offset into the line and column a user sees.

use std::path::{Path, PathBuf};

use super::{Diagnostic, Located};

/// One text file of the project, decoded as UTF-8.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to the user: relative to the project root when the
    /// file lies inside it.
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// Reads `root/relative`. Bytes that are not UTF-8 are reported at the
    /// line and column of the first bad byte, since editors can jump there.
    pub fn read(root: &Path, relative: &Path) -> Result<Self, Diagnostic> {
        let bytes = std::fs::read(root.join(relative)).map_err(|e| {
            Diagnostic::error(format!("cannot read this file: {e}")).in_file(relative)
        })?;
        Self::from_bytes(relative, bytes)
    }

    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Self::new(path, text)),
            Err(e) => {
                let good = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let bad = bytes[good];
                // Keep the valid prefix so the diagnostic can show the line.
                let prefix = String::from_utf8_lossy(&bytes[..good]).into_owned();
                let file = Self::new(path, prefix);
                Err(file
                    .error_at(
                        good,
                        format!("this file is not valid UTF-8: byte 0x{bad:02X} cannot start or continue a character"),
                    )
                    .with_hint("save the file as UTF-8 (most editors have an \"encoding\" menu)"))
            }
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        (line + 1, col + 1)
    }

    /// Byte offset of a 1-based line and character column.
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        self.text[start..]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        self.text[start..end].trim_end_matches('\r')
    }

    /// An error where `place` was written in this file.
    pub fn error(&self, place: impl Located, message: impl Into<String>) -> Diagnostic {
        let (line, col) = place.line_col();
        Diagnostic::error(message).at(self, line, col)
    }

    /// A warning where `place` was written in this file.
    pub fn warning(&self, place: impl Located, message: impl Into<String>) -> Diagnostic {
        let (line, col) = place.line_col();
        Diagnostic::warning(message).at(self, line, col)
    }

    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.line_col(offset);
        Diagnostic::error(message).at(self, line, col)
    }

    pub fn warning_at(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.line_col(offset);
        Diagnostic::warning(message).at(self, line, col)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new("a.md", "ab\nçd\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        assert_eq!(file.line_col(5), (2, 2));
        assert_eq!(file.offset_of(2, 2), 5);
        assert_eq!(file.line_text(2), "çd");
    }

    #[test]
    fn bad_utf8_names_line_and_column() {
        let err =
            SourceFile::from_bytes(Path::new("x.yaml"), b"a: 1\nb: \xff\n".to_vec()).unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(4)));
        assert!(err.message.contains("0xFF"));
    }
}
