//! What pulldown-cmark's tags and levels become in the document model.

use pulldown_cmark::{BlockQuoteKind, HeadingLevel, Tag};

use crate::model::document::{Block, CalloutKind, Inline};

pub(super) fn push_text(out: &mut Vec<Inline>, text: &str) {
    // pulldown-cmark splits text at possible delimiters; joined, a
    // `{{ target_version }}` stays one piece for substitution.
    if let Some(Inline::Text { text: last }) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Inline::Text {
            text: text.to_string(),
        });
    }
}

pub(super) fn is_inline_start(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

pub(super) fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

pub(super) fn callout_kind(kind: BlockQuoteKind) -> CalloutKind {
    match kind {
        BlockQuoteKind::Note => CalloutKind::Note,
        BlockQuoteKind::Tip => CalloutKind::Tip,
        BlockQuoteKind::Important => CalloutKind::Important,
        BlockQuoteKind::Warning => CalloutKind::Warning,
        BlockQuoteKind::Caution => CalloutKind::Caution,
    }
}

/// Shifts heading levels so the highest heading in a note sits directly
/// under the section title, whatever level the consultant typed.
pub(super) fn normalise_headings(blocks: &mut [Block]) {
    let min = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    for block in blocks {
        if let Block::Heading { level, .. } = block {
            *level = *level - min + 1;
        }
    }
}
