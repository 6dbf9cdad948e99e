//! The most any one input may ask of upbook. A note, an image or a value
//! comes from people, and the work it causes must stay bounded by what
//! they wrote: each limit here is checked by `check` (in `load`) with the
//! place that passes it, before any work grows with it, and whatever
//! `check` accepts, `build` renders in every format. docs/limits.md
//! lists them; keep the two in step.

/// Bytes in one note (or process text file). Real notes are a few KB; a
/// pasted log of a few hundred KB still fits. A PDF's layout time and
/// memory grow with it: a 5 MB note took 22 s and 2.7 GB, one of 512 KB
/// takes 1.3 s and 350 MB (playbook and one customer's copy).
pub const NOTE_BYTES: usize = 512 << 10;

/// Block quotes, callouts, lists and footnotes inside each other, within
/// one note. Typst gives up past a fixed depth of show rules ("maximum
/// show rule depth exceeded"), and each level of a quote or list costs
/// several: 15 quotes inside each other render, 16 do not (lists fail at
/// 30, callouts at 40). This leaves room for a step, a known issue's
/// callout and the change view around a note's own nesting
/// (`tests/limits.rs` builds every PDF at it).
pub const BLOCK_DEPTH: usize = 10;

/// Emphasis, strong, strikethrough and links inside each other.
pub const INLINE_DEPTH: usize = 16;

/// `::: {only=…}` and `::: {each-host=…}` blocks inside each other.
pub const DIV_DEPTH: usize = 8;

/// Steps one note may hold in one environment's copy, after `each-host`
/// blocks are repeated for every host. Nested, they multiply: 20 nested
/// blocks over three hosts would repeat their content 3^20 times. A note
/// of 2,000 steps lays out in 1.1 s (10,000: 5 s and 870 MB).
pub const COPY_STEPS: u64 = 2_000;

/// Bytes of Markdown one note may hold in one copy, counted the same way.
pub const COPY_BYTES: u64 = 2 * NOTE_BYTES as u64;

/// Pixels an image may declare (width × height). Typst decodes an image
/// whole, four bytes a pixel: this is 160 MB, twice an 8K screenshot.
pub const IMAGE_PIXELS: u64 = 40_000_000;

/// Elements, text and other nodes in one SVG image.
pub const SVG_NODES: u32 = 100_000;

/// Entities an SVG image may declare (`<!ENTITY …>`).
pub const SVG_ENTITIES: usize = 64;

/// Elements an SVG image draws once every `<use>` is replaced by what it
/// refers to: uses of uses multiply.
pub const SVG_DRAWN: u64 = 200_000;

/// Elements inside each other in one SVG image.
pub const SVG_DEPTH: usize = 64;

/// Bytes of a .docx handed to `requests import`. A released playbook of
/// 1,000 notes with its screenshots stays well under it; the importer
/// reads only the XML parts, never the images.
pub const DOCX_BYTES: u64 = 64 << 20;

/// Bytes one XML part of a .docx may unpack to. Checked against what the
/// zip says and again while unpacking, so a zip bomb stops here.
pub const DOCX_PART_BYTES: u64 = 32 << 20;

/// Elements and text nodes in one XML part of a .docx.
pub const DOCX_XML_NODES: u32 = 2_000_000;

/// Elements inside each other in a .docx's XML: Word nests tables in
/// table cells a few levels deep, far from this.
pub const DOCX_XML_DEPTH: usize = 128;

/// Characters in one line of code that is still highlighted: the
/// highlighter's grammars take time that grows with the square of a
/// line's length (80,000 characters of `bash` took 45 s).
pub const CODE_LINE_CHARS: usize = 2_000;

/// Whether every line of `code` is short enough to highlight.
pub fn highlights(code: &str) -> bool {
    longest_line(code) <= CODE_LINE_CHARS
}

/// The length, in characters, of the longest line of `code`.
pub fn longest_line(code: &str) -> usize {
    code.split('\n')
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_past_the_limit_is_not_highlighted() {
        assert!(highlights("ls -l\n"));
        let at_limit = "é".repeat(CODE_LINE_CHARS);
        assert!(highlights(&format!("ls\n{at_limit}\n")));
        assert!(!highlights(&format!("ls\n{at_limit}x\n")));
    }
}
