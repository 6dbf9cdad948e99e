//! A section as the units a reader compares: each step, paragraph,
//! heading, list item, table row and code block, as plain text.

use serde::Serialize;

use crate::model::document::{Block, CalloutKind, Inline, Section};

#[derive(Debug, Clone)]
pub struct Unit {
    pub kind: UnitKind,
    pub text: String,
    /// A step's number as its version shows it (`12`, `B3`); a code block
    /// in a step carries its step's number too.
    pub label: Option<String>,
    /// How the playbook shows the unit, so the change view can show an
    /// unchanged one the same way.
    pub look: Look,
}

/// What the playbook draws around a unit: the callout it stands in, or
/// the language of its code.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Look {
    pub callout: Option<CalloutKind>,
    /// The callout's title as the playbook shows it.
    pub callout_title: Option<String>,
    pub language: Option<String>,
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
    for block in section.blocks.iter() {
        match block {
            // A step reads as its number and prose; each code block in it
            // follows as code, so a changed command is redlined by line.
            Block::Steps { steps } => {
                for step in steps {
                    let label = Some(section.step_label(step));
                    let (code, prose): (Vec<&Block>, Vec<&Block>) = step
                        .blocks
                        .iter()
                        .partition(|b| matches!(b, Block::Code { .. }));
                    let prose: Vec<Block> = prose.into_iter().cloned().collect();
                    push_labelled(&mut out, UnitKind::Step, joined_text(&prose), label.clone());
                    for b in code {
                        if let Block::Code { code, language } = b {
                            push_labelled(&mut out, UnitKind::Code, code.clone(), label.clone());
                            if let Some(unit) = out.last_mut() {
                                unit.look.language = language.clone();
                            }
                        }
                    }
                }
            }
            other => collect(std::slice::from_ref(other), &mut out),
        }
    }
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
            Block::Code { code, language } => {
                push(out, UnitKind::Code, code.clone());
                if let Some(unit) = out.last_mut().filter(|u| u.kind == UnitKind::Code) {
                    unit.look.language = language.clone();
                }
            }
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
            Block::Callout {
                kind,
                title,
                blocks,
                ..
            } => {
                let from = out.len();
                collect(blocks, out);
                for unit in &mut out[from..] {
                    if unit.look.callout.is_none() {
                        unit.look.callout = Some(*kind);
                        unit.look.callout_title =
                            Some(title.clone().unwrap_or_else(|| kind.label().to_string()));
                    }
                }
            }
            Block::Quote { blocks }
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
    push_labelled(out, kind, text, None);
}

fn push_labelled(out: &mut Vec<Unit>, kind: UnitKind, text: String, label: Option<String>) {
    if !text.trim().is_empty() {
        out.push(Unit {
            kind,
            text,
            label,
            look: Look::default(),
        });
    }
}
