//! Checking a note against [`crate::limits`] while it is read: its size
//! before its text is kept, its nesting while Markdown is parsed (so no
//! recursive step ever runs on a depth nobody checked), and what its
//! `each-host` blocks grow to in each copy before any copy is made.

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::Event;

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::limits::{
    BLOCK_DEPTH, CODE_LINE_CHARS, COPY_BYTES, COPY_STEPS, INLINE_DEPTH, NOTE_BYTES,
};
use crate::model::document::Block;
use crate::model::variables::{Scope, spans};

/// Reads the note at `root/relative`, refusing it, at the line where it
/// passes the limit, when it is longer than [`NOTE_BYTES`]. At most one
/// byte more than the limit is read, however large the file is.
pub fn read_note(root: &Path, relative: &Path) -> Result<SourceFile, Diagnostic> {
    let cannot_read = |e: std::io::Error| {
        Diagnostic::error(format!("cannot read this file: {e}")).in_file(relative)
    };
    let file = std::fs::File::open(root.join(relative)).map_err(cannot_read)?;
    let mut bytes = Vec::new();
    file.take(NOTE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() <= NOTE_BYTES {
        return SourceFile::from_bytes(relative, bytes);
    }
    let size = std::fs::metadata(root.join(relative)).map_or(bytes.len() as u64, |m| m.len());
    let shown = SourceFile::new(relative, String::from_utf8_lossy(&bytes[..NOTE_BYTES]));
    Err(shown
        .error_at(
            shown.text.len(),
            format!(
                "this note is {} long; a note may be at most {} (it passes that here)",
                bytes_in_words(size),
                bytes_in_words(NOTE_BYTES as u64)
            ),
        )
        .with_hint(
            "split it into several notes, or attach the long part (a log, a listing) as a file",
        ))
}

/// A warning, at the code block that starts at byte `at` of `file`, when
/// one of its lines (with the values of `{{ … }}` filled in, the longest
/// any copy has) is too long to highlight: it is shown as plain text.
pub fn long_code_line(
    file: &SourceFile,
    at: usize,
    code: &str,
    scope: &Scope,
) -> Option<Diagnostic> {
    let (line, chars) = code
        .split('\n')
        .map(|line| {
            let filled: isize = spans(line)
                .map(|(open, close, name)| {
                    let written = line[open..close].chars().count();
                    scope.longest_value(name).unwrap_or(written) as isize - written as isize
                })
                .sum();
            (line.chars().count() as isize + filled).max(0) as usize
        })
        .enumerate()
        .max_by_key(|&(i, chars)| (chars, std::cmp::Reverse(i)))?;
    (chars > CODE_LINE_CHARS).then(|| {
        file.warning_at(
            at,
            format!(
                "line {} of this code block is {} characters long, so the block is shown \
                 without highlighting (lines of up to {} characters are highlighted)",
                line + 1,
                thousands(chars as u64),
                thousands(CODE_LINE_CHARS as u64)
            ),
        )
        .with_hint("break the line, or put the long value in a file the step names")
    })
}

/// How deep the Markdown parser is inside blocks and inlines, reporting
/// (once per text) the first place that goes past a limit.
#[derive(Default)]
pub struct Nesting {
    pub blocks: usize,
    pub inlines: usize,
    reported: bool,
}

impl Nesting {
    /// One block level deeper at byte `at` of `file`, or `false` (and an
    /// error) when that passes [`BLOCK_DEPTH`].
    pub fn enter_block(&mut self, file: &SourceFile, at: usize, diags: &mut Diagnostics) -> bool {
        if self.blocks < BLOCK_DEPTH {
            self.blocks += 1;
            return true;
        }
        self.report(diags, || {
            file.error_at(
                at,
                format!(
                    "block quotes, callouts and lists are nested more than {BLOCK_DEPTH} deep here; \
                     at most {BLOCK_DEPTH} levels fit on a page"
                ),
            )
            .with_hint("move the inner part out to a level of its own, or into another note")
        });
        false
    }

    /// One inline level deeper, or `false` (and an error) past
    /// [`INLINE_DEPTH`].
    pub fn enter_inline(&mut self, file: &SourceFile, at: usize, diags: &mut Diagnostics) -> bool {
        if self.inlines < INLINE_DEPTH {
            self.inlines += 1;
            return true;
        }
        self.report(diags, || {
            file.error_at(
                at,
                format!(
                    "emphasis, strikethrough and links are nested more than {INLINE_DEPTH} deep here; \
                     expected at most {INLINE_DEPTH}"
                ),
            )
            .with_hint("close an emphasis (`*…*`) before opening the next one")
        });
        false
    }

    fn report(&mut self, diags: &mut Diagnostics, error: impl FnOnce() -> Diagnostic) {
        if !std::mem::replace(&mut self.reported, true) {
            diags.push(error());
        }
    }
}

/// Skips the events up to the end of the element whose start was just
/// read, counting starts and ends rather than recursing.
pub fn skip_rest<'a>(events: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>) {
    let mut open = 1usize;
    for (event, _) in events {
        match event {
            Event::Start(_) => open += 1,
            Event::End(_) => {
                open -= 1;
                if open == 0 {
                    return;
                }
            }
            _ => {}
        }
    }
}

/// What one note holds in one environment's copy: its steps and the bytes
/// of Markdown they come from, each host's repetition counted.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Weight {
    pub steps: u64,
    pub bytes: u64,
}

impl Weight {
    /// The weight of Markdown `text`, parsed into `blocks`.
    pub fn of_text(text: &str, blocks: &[Block]) -> Self {
        Weight {
            steps: blocks
                .iter()
                .map(|b| match b {
                    Block::Steps { steps } => steps.len() as u64,
                    _ => 0,
                })
                .sum(),
            bytes: text.len() as u64,
        }
    }

    pub fn add(self, other: Weight) -> Self {
        Weight {
            steps: self.steps.saturating_add(other.steps),
            bytes: self.bytes.saturating_add(other.bytes),
        }
    }

    pub fn times(self, n: u64) -> Self {
        Weight {
            steps: self.steps.saturating_mul(n),
            bytes: self.bytes.saturating_mul(n),
        }
    }

    pub fn fits(self) -> bool {
        self.steps <= COPY_STEPS && self.bytes <= COPY_BYTES
    }

    /// Why a copy of this weight is refused, for `environment`'s copy.
    pub fn too_heavy(self, file: &SourceFile, at: usize, environment: &str) -> Diagnostic {
        let grown = if self.steps > COPY_STEPS {
            format!(
                "{} steps; a note's copy may hold at most {}",
                thousands(self.steps),
                thousands(COPY_STEPS)
            )
        } else {
            format!(
                "{} of text; a note's copy may hold at most {}",
                bytes_in_words(self.bytes),
                bytes_in_words(COPY_BYTES)
            )
        };
        file.error_at(
            at,
            format!(
                "with `each-host` blocks repeated for every host, {environment}'s copy of \
                 this note grows to {grown}"
            ),
        )
        .with_hint("split the note, or nest fewer `each-host` blocks inside each other")
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size as a user reads it: `1 MB`, `5.2 MB`, `812 KB`, `90 bytes`.
pub fn bytes_in_words(n: u64) -> String {
    const KB: u64 = 1 << 10;
    const MB: u64 = 1 << 20;
    const GB: u64 = 1 << 30;
    let (unit, name) = match n {
        n if n >= GB => (GB, "GB"),
        n if n >= MB => (MB, "MB"),
        n if n >= KB => (KB, "KB"),
        n => return format!("{n} bytes"),
    };
    if n.is_multiple_of(unit) {
        format!("{} {name}", n / unit)
    } else {
        format!("{:.1} {name}", n as f64 / unit as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_counts_read_as_words() {
        assert_eq!(bytes_in_words(1 << 20), "1 MB");
        assert_eq!(bytes_in_words(5 * (1 << 20) + (1 << 19)), "5.5 MB");
        assert_eq!(bytes_in_words(900), "900 bytes");
        assert_eq!(thousands(3_486_784_401), "3,486,784,401");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn weights_saturate_instead_of_wrapping() {
        let w = Weight {
            steps: 3,
            bytes: 100,
        };
        let huge = (0..60).fold(w, |w, _| w.times(3));
        assert_eq!(huge.steps, u64::MAX);
        assert!(!huge.fits());
        assert!(w.add(w).fits());
    }
}
