//! A section as the units a reader compares: each step, paragraph,
//! heading, list item, table row and code block, as plain text.

use serde::Serialize;

use crate::model::document::{Block, Inline, Section};

#[derive(Debug, Clone)]
pub struct Unit {
    pub kind: UnitKind,
    pub text: String,
}

/// What a unit is in the section; templates style each kind (`unit-step`,
/// `unit-code`) and code is compared line by line rather than word by word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    Paragraph,
    Heading,
    Step,
    Item,
    Code,
    Row,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Paragraph => "paragraph",
            UnitKind::Heading => "heading",
            UnitKind::Step => "step",
            UnitKind::Item => "item",
            UnitKind::Code => "code",
            UnitKind::Row => "row",
        }
    }
}

impl Unit {
    /// What alignment compares: kind and text, never a step's number.
    pub fn key(&self) -> String {
        format!("{}\u{1f}{}", self.kind.as_str(), self.text)
    }
}

pub fn units(section: &Section) -> Vec<Unit> {
    let mut out = Vec::new();
    collect(&section.blocks, &mut out);
    out
}

fn collect(blocks: &[Block], out: &mut Vec<Unit>) {
    for block in blocks {
        match block {
            Block::Paragraph { content } => {
                push(out, UnitKind::Paragraph, Inline::plain_text(content))
            }
            Block::Heading { content, .. } => {
                push(out, UnitKind::Heading, Inline::plain_text(content))
            }
            Block::Steps { steps } => {
                for step in steps {
                    push(out, UnitKind::Step, joined_text(&step.blocks));
                }
            }
            Block::List { items, .. } => {
                for item in items {
                    push(out, UnitKind::Item, joined_text(&item.blocks));
                }
            }
            Block::Code { code, .. } => push(out, UnitKind::Code, code.clone()),
            Block::Table { header, rows, .. } => {
                let row = |cells: &Vec<Vec<Inline>>| {
                    cells
                        .iter()
                        .map(|c| Inline::plain_text(c))
                        .collect::<Vec<_>>()
                        .join(" | ")
                };
                push(out, UnitKind::Row, row(header));
                for r in rows {
                    push(out, UnitKind::Row, row(r));
                }
            }
            Block::Callout { blocks, .. }
            | Block::Quote { blocks }
            | Block::Footnote { blocks, .. }
            | Block::Only { blocks, .. }
            | Block::EachHost { blocks, .. } => collect(blocks, out),
            Block::Rule => {}
        }
    }
}

/// The text of nested blocks as one unit: a step or list item is compared
/// whole, whatever it contains.
fn joined_text(blocks: &[Block]) -> String {
    let mut inner = Vec::new();
    collect(blocks, &mut inner);
    inner
        .iter()
        .map(|u| u.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn push(out: &mut Vec<Unit>, kind: UnitKind, text: String) {
    if !text.trim().is_empty() {
        out.push(Unit { kind, text });
    }
}
