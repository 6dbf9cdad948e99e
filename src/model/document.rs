//! The parsed content of notes and of the embedded process text: what every
//! backend renders. Markdown is turned into these types once, in `load`.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::tag_first::tag_first;

/// A section's blocks, shared between copies and builds rather than copied.
pub type SharedBlocks = Arc<Vec<Block>>;

/// A titled part of the playbook with a stable id that change requests
/// and diffs refer to.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    /// The process activity this section belongs to (notes only).
    pub phase: Option<String>,
    /// The environments (names or roles) whose copies show this section;
    /// empty for all (`only:` in a note's front matter).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only: Vec<String>,
    pub order: i64,
    /// Project-relative file the section came from, for messages.
    pub source: String,
    /// Steps before this section's first: its steps are numbered from
    /// here, so the blocks never change when an earlier note gains a step
    /// and can be shared between builds instead of copied.
    #[serde(default)]
    pub step_offset: u32,
    #[serde(with = "shared")]
    pub blocks: Arc<Vec<Block>>,
}

/// Serde for the shared blocks, written as a plain list (without serde's
/// `rc` feature, which would rebuild every crate that uses serde).
mod shared {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Block;

    pub fn serialize<S: Serializer>(blocks: &Arc<Vec<Block>>, s: S) -> Result<S::Ok, S::Error> {
        blocks.as_slice().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<Vec<Block>>, D::Error> {
        Vec::<Block>::deserialize(d).map(Arc::new)
    }
}

/// The phase of notes that form the back-out plan rather than upgrade
/// steps.
pub const BACK_OUT: &str = "back-out";

impl Section {
    /// A step's number in the whole playbook (or in the back-out plan).
    pub fn step_number(&self, step: &Step) -> u32 {
        self.step_offset + step.number
    }

    /// Whether this section is part of the back-out plan, whose steps are
    /// numbered B1, B2, ... apart from the upgrade's.
    pub fn is_back_out(&self) -> bool {
        self.phase.as_deref() == Some(BACK_OUT)
    }

    /// A step's number as readers see it: `12`, or `B3` in the back-out
    /// plan.
    pub fn step_label(&self, step: &Step) -> String {
        step_label(self.step_number(step), self.is_back_out())
    }

    /// The anchor of a step: `step-12`, `step-b3`.
    pub fn step_anchor(&self, step: &Step) -> String {
        step_anchor(&self.step_label(step))
    }
}

pub fn step_label(number: u32, back_out: bool) -> String {
    if back_out {
        format!("B{number}")
    } else {
        number.to_string()
    }
}

/// The anchor of the step labelled `label` (`12`, `B3`).
pub fn step_anchor(label: &str) -> String {
    format!("step-{}", label.to_ascii_lowercase())
}

tag_first! {
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub enum Block reads as TaggedBlock {
    Paragraph {
        content: Vec<Inline>,
    },
    /// A heading inside a section; `level` counts from 1 under the section
    /// title, so backends place it below their own section heading.
    Heading {
        level: u8,
        id: String,
        content: Vec<Inline>,
    },
    /// A top-level ordered list in a note: the operator's steps, numbered
    /// through the whole playbook.
    Steps {
        steps: Vec<Step>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<ListItem>,
    },
    Code {
        language: Option<String>,
        code: String,
    },
    Table {
        alignments: Vec<Alignment>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        /// A table of results the provider recorded: each copy for an
        /// environment the customer upgrades gets an empty column to
        /// record that environment's own results against the same checks.
        #[serde(default, skip_serializing_if = "is_false")]
        records: bool,
    },
    Callout {
        kind: CalloutKind,
        /// A title instead of the kind's label, and an anchor: generated
        /// callouts (a known issue) are linked to from elsewhere.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        blocks: Vec<Block>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    Rule,
    Footnote {
        label: String,
        blocks: Vec<Block>,
    },
    /// Content for some environments only (`::: {only="production"}`):
    /// names or roles. Each environment's copy keeps or drops it.
    Only {
        only: Vec<String>,
        blocks: Vec<Block>,
    },
    /// Content repeated for each host of a role in the environment
    /// (`::: {each-host="Message broker"}`), with `{{ host.name }}` and
    /// `{{ host.role }}` filled; `when_none` is said instead when the
    /// environment has no such host.
    EachHost {
        role: String,
        when_none: Option<String>,
        blocks: Vec<Block>,
    },
}
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct Step {
    /// Position in its section, from 1 (releases made before step
    /// offsets existed hold the position in the whole playbook, with an
    /// offset of 0, which reads the same).
    pub number: u32,
    pub blocks: Vec<Block>,
    /// After this step, going back means the back-out plan
    /// (`point_of_no_return:` in the note's front matter).
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_return: bool,
}

#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct ListItem {
    /// `Some` for task-list items (`- [ ]`, `- [x]`).
    pub checked: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Alignment {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CalloutKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl CalloutKind {
    pub fn label(self) -> &'static str {
        match self {
            CalloutKind::Note => "Note",
            CalloutKind::Tip => "Tip",
            CalloutKind::Important => "Important",
            CalloutKind::Warning => "Warning",
            CalloutKind::Caution => "Caution",
        }
    }
}

tag_first! {
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub enum Inline reads as TaggedInline {
    Text {
        text: String,
    },
    Code {
        code: String,
    },
    Emphasis {
        content: Vec<Inline>,
    },
    Strong {
        content: Vec<Inline>,
    },
    Strikethrough {
        content: Vec<Inline>,
    },
    Link {
        url: String,
        title: String,
        content: Vec<Inline>,
    },
    /// An image copied into the output; `src` is its content-hashed name.
    Image {
        src: String,
        alt: String,
        title: String,
    },
    FootnoteRef {
        label: String,
    },
    SoftBreak,
    LineBreak,
}
}

impl Inline {
    /// The text a reader sees, for tables of contents and plain outputs.
    pub fn plain_text(content: &[Inline]) -> String {
        let mut out = String::new();
        for inline in content {
            match inline {
                Inline::Text { text } => out.push_str(text),
                Inline::Code { code } => out.push_str(code),
                Inline::Emphasis { content }
                | Inline::Strong { content }
                | Inline::Strikethrough { content }
                | Inline::Link { content, .. } => out.push_str(&Inline::plain_text(content)),
                Inline::Image { alt, .. } => out.push_str(alt),
                Inline::FootnoteRef { .. } => {}
                Inline::SoftBreak | Inline::LineBreak => out.push(' '),
            }
        }
        out
    }
}

/// Applies `f` to every piece of text a reader sees or runs (text, code
/// spans, code blocks, link targets): the one walk variable substitution
/// needs, so the tree is never re-parsed.
pub fn map_text(blocks: &mut [Block], f: &mut dyn FnMut(&mut String)) {
    for block in blocks {
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => {
                map_inline_text(content, f);
            }
            Block::Steps { steps } => {
                for step in steps {
                    map_text(&mut step.blocks, f);
                }
            }
            Block::List { items, .. } => {
                for item in items {
                    map_text(&mut item.blocks, f);
                }
            }
            Block::Code { code, .. } => f(code),
            Block::Table { header, rows, .. } => {
                for cell in header.iter_mut().chain(rows.iter_mut().flatten()) {
                    map_inline_text(cell, f);
                }
            }
            Block::Callout { title, blocks, .. } => {
                if let Some(title) = title {
                    f(title);
                }
                map_text(blocks, f);
            }
            Block::Quote { blocks }
            | Block::Footnote { blocks, .. }
            | Block::Only { blocks, .. }
            | Block::EachHost { blocks, .. } => map_text(blocks, f),
            Block::Rule => {}
        }
    }
}

/// Adds an empty column headed `header` to every results table among
/// `blocks` (see `Block::Table::records`), for one environment's copy.
/// Returns whether there was one.
pub fn add_record_column(blocks: &mut [Block], header: &str) -> bool {
    let mut added = false;
    for block in blocks {
        if let Block::Table {
            header: head,
            rows,
            alignments,
            records,
        } = block
            && *records
        {
            head.push(vec![Inline::Text {
                text: header.to_string(),
            }]);
            alignments.push(Alignment::None);
            for row in rows {
                row.push(Vec::new());
            }
            *records = false;
            added = true;
        }
    }
    added
}

/// Whether `blocks` hold a results table a copy adds a column to.
pub fn has_records(blocks: &[Block]) -> bool {
    blocks
        .iter()
        .any(|b| matches!(b, Block::Table { records: true, .. }))
}

/// Whether `blocks` hold steps at any depth: only then does a section's
/// text depend on where its steps start.
pub fn has_steps(blocks: &[Block]) -> bool {
    blocks.iter().any(|block| match block {
        Block::Steps { .. } => true,
        Block::List { items, .. } => items.iter().any(|item| has_steps(&item.blocks)),
        Block::Callout { blocks, .. }
        | Block::Quote { blocks }
        | Block::Footnote { blocks, .. }
        | Block::Only { blocks, .. }
        | Block::EachHost { blocks, .. } => has_steps(blocks),
        Block::Paragraph { .. }
        | Block::Heading { .. }
        | Block::Code { .. }
        | Block::Table { .. }
        | Block::Rule => false,
    })
}

/// Whether `f` holds for any text `map_text` would visit: lets a copy
/// skip sections it would not change, and keep sharing their blocks.
pub fn any_text(blocks: &[Block], f: &mut dyn FnMut(&str) -> bool) -> bool {
    blocks.iter().any(|block| match block {
        Block::Paragraph { content } | Block::Heading { content, .. } => {
            any_inline_text(content, f)
        }
        Block::Steps { steps } => steps.iter().any(|step| any_text(&step.blocks, f)),
        Block::List { items, .. } => items.iter().any(|item| any_text(&item.blocks, f)),
        Block::Code { code, .. } => f(code),
        Block::Table { header, rows, .. } => header
            .iter()
            .chain(rows.iter().flatten())
            .any(|cell| any_inline_text(cell, f)),
        Block::Callout { title, blocks, .. } => {
            title.as_deref().is_some_and(&mut *f) || any_text(blocks, f)
        }
        Block::Quote { blocks }
        | Block::Footnote { blocks, .. }
        | Block::Only { blocks, .. }
        | Block::EachHost { blocks, .. } => any_text(blocks, f),
        Block::Rule => false,
    })
}

fn any_inline_text(content: &[Inline], f: &mut dyn FnMut(&str) -> bool) -> bool {
    content.iter().any(|inline| match inline {
        Inline::Text { text } => f(text),
        Inline::Code { code } => f(code),
        Inline::Emphasis { content }
        | Inline::Strong { content }
        | Inline::Strikethrough { content } => any_inline_text(content, f),
        Inline::Link { url, content, .. } => f(url) || any_inline_text(content, f),
        Inline::Image { alt, .. } => f(alt),
        Inline::FootnoteRef { .. } | Inline::SoftBreak | Inline::LineBreak => false,
    })
}

fn map_inline_text(content: &mut [Inline], f: &mut dyn FnMut(&mut String)) {
    for inline in content {
        match inline {
            Inline::Text { text } => f(text),
            Inline::Code { code } => f(code),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Strikethrough { content } => map_inline_text(content, f),
            Inline::Link { url, content, .. } => {
                f(url);
                map_inline_text(content, f);
            }
            Inline::Image { alt, .. } => f(alt),
            Inline::FootnoteRef { .. } | Inline::SoftBreak | Inline::LineBreak => {}
        }
    }
}

/// The words of `blocks` as one line: the paragraphs' text, for labels.
pub fn plain_text_of(blocks: &[Block]) -> String {
    let mut parts = Vec::new();
    for block in blocks {
        if let Block::Paragraph { content } = block {
            parts.push(Inline::plain_text(content));
        }
    }
    parts
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
