//! The document model as the Typst templates read it. Inline content is
//! flattened into styled runs, so a template renders a paragraph with one
//! loop instead of a recursive function call per inline node, and link
//! safety is decided here, once, as for HTML.

use serde::Serialize;

use crate::model::document::{Alignment, Block, CalloutKind, Inline, Section};
use crate::render::escape::safe_url;

#[derive(Serialize)]
pub struct PdfSection<'a> {
    id: &'a str,
    title: &'a str,
    blocks: Vec<PdfBlock<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum PdfBlock<'a> {
    Paragraph {
        runs: Vec<Run>,
    },
    Heading {
        level: u8,
        id: &'a str,
        runs: Vec<Run>,
    },
    Steps {
        steps: Vec<PdfStep<'a>>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<PdfItem<'a>>,
    },
    Code {
        language: Option<&'a str>,
        code: &'a str,
    },
    Table {
        alignments: &'a [Alignment],
        header: Vec<Vec<Run>>,
        rows: Vec<Vec<Vec<Run>>>,
    },
    Callout {
        kind: CalloutKind,
        title: Option<&'a str>,
        id: Option<&'a str>,
        blocks: Vec<PdfBlock<'a>>,
    },
    Quote {
        blocks: Vec<PdfBlock<'a>>,
    },
    Rule,
    Footnote {
        label: &'a str,
        blocks: Vec<PdfBlock<'a>>,
    },
    Group {
        blocks: Vec<PdfBlock<'a>>,
    },
}

#[derive(Serialize)]
pub struct PdfStep<'a> {
    number: u32,
    /// `12`, or `B3` in the back-out plan, and its anchor.
    label: String,
    anchor: String,
    no_return: bool,
    blocks: Vec<PdfBlock<'a>>,
}

#[derive(Serialize)]
pub struct PdfItem<'a> {
    checked: Option<bool>,
    blocks: Vec<PdfBlock<'a>>,
}

/// A stretch of text with one style. Flags that are off are left out of
/// the JSON; templates read them with `r.at("code", default: false)`.
#[derive(Serialize, Default, Clone)]
pub struct Run {
    text: String,
    #[serde(skip_serializing_if = "is_false")]
    code: bool,
    #[serde(skip_serializing_if = "is_false")]
    strong: bool,
    #[serde(skip_serializing_if = "is_false")]
    emph: bool,
    #[serde(skip_serializing_if = "is_false")]
    strike: bool,
    #[serde(skip_serializing_if = "is_false")]
    sup: bool,
    #[serde(skip_serializing_if = "is_false")]
    linebreak: bool,
    /// `#id` for an anchor in the playbook, or an http(s)/mailto URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<String>,
    /// An image: its path in the output; `text` is the alt text.
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

pub fn section(s: &Section) -> PdfSection<'_> {
    let mut blocks = blocks(&s.blocks);
    // Steps are top-level blocks of a section; their numbers run through
    // the whole playbook.
    for block in &mut blocks {
        if let PdfBlock::Steps { steps } = block {
            for step in steps {
                step.number += s.step_offset;
                step.label = crate::model::document::step_label(step.number, s.is_back_out());
                step.anchor = crate::model::document::step_anchor(&step.label);
            }
        }
    }
    PdfSection {
        id: &s.id,
        title: &s.title,
        blocks,
    }
}

pub fn blocks(blocks: &[Block]) -> Vec<PdfBlock<'_>> {
    blocks.iter().map(block).collect()
}

fn block(b: &Block) -> PdfBlock<'_> {
    match b {
        Block::Paragraph { content } => PdfBlock::Paragraph {
            runs: runs(content),
        },
        Block::Heading { level, id, content } => PdfBlock::Heading {
            level: *level,
            id,
            runs: runs(content),
        },
        Block::Steps { steps } => PdfBlock::Steps {
            steps: steps
                .iter()
                .map(|s| PdfStep {
                    number: s.number,
                    label: s.number.to_string(),
                    anchor: crate::model::document::step_anchor(&s.number.to_string()),
                    no_return: s.no_return,
                    blocks: blocks(&s.blocks),
                })
                .collect(),
        },
        Block::List {
            ordered,
            start,
            items,
        } => PdfBlock::List {
            ordered: *ordered,
            start: *start,
            items: items
                .iter()
                .map(|i| PdfItem {
                    checked: i.checked,
                    blocks: blocks(&i.blocks),
                })
                .collect(),
        },
        Block::Code { language, code } => PdfBlock::Code {
            // Typst highlights with the same kind of grammars as the
            // pages, in time that grows with the square of a line.
            language: language
                .as_deref()
                .filter(|_| crate::limits::highlights(code)),
            code,
        },
        Block::Table {
            alignments,
            header,
            rows,
            ..
        } => PdfBlock::Table {
            alignments,
            header: header.iter().map(|c| runs(c)).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| runs(c)).collect())
                .collect(),
        },
        Block::Callout {
            kind,
            title,
            id,
            blocks: inner,
        } => PdfBlock::Callout {
            kind: *kind,
            title: title.as_deref(),
            id: id.as_deref(),
            blocks: blocks(inner),
        },
        Block::Quote { blocks: inner } => PdfBlock::Quote {
            blocks: blocks(inner),
        },
        Block::Rule => PdfBlock::Rule,
        Block::Footnote {
            label,
            blocks: inner,
        } => PdfBlock::Footnote {
            label,
            blocks: blocks(inner),
        },
        // Copies resolve these before layout; unresolved, all is shown.
        Block::Only { blocks: inner, .. } | Block::EachHost { blocks: inner, .. } => {
            PdfBlock::Group {
                blocks: blocks(inner),
            }
        }
    }
}

/// Inline trees as runs, adjacent runs of one style merged.
pub fn runs(content: &[Inline]) -> Vec<Run> {
    let mut out = Vec::new();
    flatten(content, &Run::default(), &mut out);
    out
}

fn flatten(content: &[Inline], style: &Run, out: &mut Vec<Run>) {
    for inline in content {
        match inline {
            Inline::Text { text } => push(out, style, text),
            Inline::SoftBreak => push(out, style, " "),
            Inline::Code { code } => push(
                out,
                &Run {
                    code: true,
                    ..style.clone()
                },
                code,
            ),
            Inline::Emphasis { content } => flatten(
                content,
                &Run {
                    emph: true,
                    ..style.clone()
                },
                out,
            ),
            Inline::Strong { content } => flatten(
                content,
                &Run {
                    strong: true,
                    ..style.clone()
                },
                out,
            ),
            Inline::Strikethrough { content } => flatten(
                content,
                &Run {
                    strike: true,
                    ..style.clone()
                },
                out,
            ),
            Inline::Link { url, content, .. } => {
                let link = safe_url(url)
                    .filter(|u| {
                        u.starts_with('#')
                            || u.starts_with("http://")
                            || u.starts_with("https://")
                            || u.starts_with("mailto:")
                    })
                    .map(str::to_string);
                flatten(
                    content,
                    &Run {
                        link,
                        ..style.clone()
                    },
                    out,
                );
            }
            Inline::Image { src, alt, .. } => out.push(Run {
                text: alt.clone(),
                image: Some(src.clone()),
                ..Run::default()
            }),
            Inline::FootnoteRef { label } => push(
                out,
                &Run {
                    sup: true,
                    ..style.clone()
                },
                label,
            ),
            Inline::LineBreak => out.push(Run {
                linebreak: true,
                ..Run::default()
            }),
        }
    }
}

fn same_style(a: &Run, b: &Run) -> bool {
    (a.code, a.strong, a.emph, a.strike, a.sup, &a.link)
        == (b.code, b.strong, b.emph, b.strike, b.sup, &b.link)
}

fn push(out: &mut Vec<Run>, style: &Run, text: &str) {
    if let Some(last) = out.last_mut()
        && last.image.is_none()
        && !last.linebreak
        && same_style(last, style)
    {
        last.text.push_str(text);
        return;
    }
    out.push(Run {
        text: text.to_string(),
        ..style.clone()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_same_style_and_keep_links_safe() {
        let content = vec![
            Inline::Text { text: "a ".into() },
            Inline::Text { text: "b".into() },
            Inline::Strong {
                content: vec![Inline::Code { code: "x".into() }],
            },
            Inline::Link {
                url: "javascript:alert(1)".into(),
                title: String::new(),
                content: vec![Inline::Text { text: "bad".into() }],
            },
        ];
        let runs = runs(&content);
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[0].text, "a b");
        assert!(runs[1].code && runs[1].strong);
        assert_eq!(runs[2].link, None);
    }
}
