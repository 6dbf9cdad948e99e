//! Markdown to the document model, once. Positions are kept long enough to
//! report problems (a missing image, an unknown variable) where they are.

use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, OffsetIter, Options, Parser, Tag, TagEnd};

mod autolink;
mod table;
mod tags;

use super::images;
use super::limits::{Nesting, long_code_line, skip_rest};
use crate::diagnostic::{Diagnostics, SourceFile};
use crate::model::Asset;
use crate::model::document::{Block, Inline, ListItem, Step};
use crate::model::slug::slugify;
use crate::model::variables::Scope;
use tags::{callout_kind, heading_number, is_inline_start, normalise_headings, push_text};

/// What the parser needs to know about where the Markdown lives.
#[derive(Clone, Copy)]
pub struct MarkdownContext<'a> {
    pub file: &'a SourceFile,
    /// Byte offset of the Markdown inside `file` (after front matter).
    pub body_offset: usize,
    pub project_root: &'a Path,
    /// Prefix for heading ids, so they stay unique across the playbook.
    pub section_id: &'a str,
    /// Top-level ordered lists become numbered steps (notes), or stay lists
    /// (process text).
    pub lists_are_steps: bool,
    /// The names `{{ … }}` may use, to tell how long a line of code is
    /// once they are filled.
    pub scope: &'a Scope,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// Parses `text` (a slice of `ctx.file` at `ctx.body_offset`).
pub fn parse(
    ctx: &MarkdownContext,
    text: &str,
    assets: &mut BTreeMap<String, Asset>,
    diags: &mut Diagnostics,
) -> Vec<Block> {
    let mut parser = BlockParser {
        ctx,
        assets,
        diags,
        heading_ids: BTreeMap::new(),
        nesting: Nesting::default(),
        events: Parser::new_ext(text, options())
            .into_offset_iter()
            .peekable(),
    };
    let mut blocks = parser.blocks(None, 0);
    normalise_headings(&mut blocks);
    blocks
}

struct BlockParser<'a, 'c> {
    ctx: &'c MarkdownContext<'c>,
    assets: &'c mut BTreeMap<String, Asset>,
    diags: &'c mut Diagnostics,
    heading_ids: BTreeMap<String, usize>,
    /// How deep blocks and inlines are nested where the parser is, so
    /// nothing recursive runs deeper than the limits allow.
    nesting: Nesting,
    events: Peekable<OffsetIter<'a>>,
}

impl BlockParser<'_, '_> {
    /// Blocks until `end` (or the end of input). `depth` counts enclosing
    /// lists, so only top-level ordered lists become steps.
    fn blocks(&mut self, end: Option<TagEnd>, depth: usize) -> Vec<Block> {
        let mut blocks = Vec::new();
        loop {
            let Some((event, range)) = self.events.peek().cloned() else {
                return blocks;
            };
            match event {
                Event::End(e) if Some(e) == end => {
                    self.events.next();
                    return blocks;
                }
                Event::End(_) => {
                    // An end we did not open here belongs to a caller.
                    self.events.next();
                }
                Event::Start(tag) if is_inline_start(&tag) => {
                    let content = self.loose_inlines();
                    blocks.push(Block::Paragraph { content });
                }
                Event::Text(_)
                | Event::Code(_)
                | Event::InlineHtml(_)
                | Event::SoftBreak
                | Event::HardBreak
                | Event::FootnoteReference(_) => {
                    let content = self.loose_inlines();
                    blocks.push(Block::Paragraph { content });
                }
                Event::Html(html) => {
                    // Raw HTML is shown as text: notes come from people, and
                    // a playbook has no use for markup that skips escaping.
                    self.events.next();
                    let text = html.trim_end().to_string();
                    blocks.push(Block::Paragraph {
                        content: vec![Inline::Text { text }],
                    });
                }
                Event::Rule => {
                    self.events.next();
                    blocks.push(Block::Rule);
                }
                Event::TaskListMarker(_) => {
                    self.events.next();
                }
                Event::Start(tag) => {
                    self.events.next();
                    if let Some(block) = self.block(tag, depth, range.start) {
                        blocks.push(block);
                    }
                }
                // Math is not enabled in `options()`.
                Event::InlineMath(_) | Event::DisplayMath(_) => {
                    self.events.next();
                }
            }
        }
    }

    fn block(&mut self, tag: Tag, depth: usize, at: usize) -> Option<Block> {
        let nests = matches!(
            tag,
            Tag::BlockQuote(_) | Tag::List(_) | Tag::FootnoteDefinition(_)
        );
        if nests && !self.enter_block(at) {
            return None;
        }
        let block = self.block_inside(tag, depth, at);
        if nests {
            self.nesting.blocks -= 1;
        }
        block
    }

    /// Goes one block level deeper, or reports that the note is nested
    /// too deep here and skips what the block holds.
    fn enter_block(&mut self, at: usize) -> bool {
        let entered =
            self.nesting
                .enter_block(self.ctx.file, self.ctx.body_offset + at, self.diags);
        if !entered {
            skip_rest(&mut self.events);
        }
        entered
    }

    /// Inline content until `end`, one level deeper; nothing when that
    /// is deeper than the limit (reported, and the content skipped).
    fn nested_inlines(&mut self, end: TagEnd, at: usize) -> Option<Vec<Inline>> {
        if !self
            .nesting
            .enter_inline(self.ctx.file, self.ctx.body_offset + at, self.diags)
        {
            skip_rest(&mut self.events);
            return None;
        }
        let content = self.inlines(end);
        self.nesting.inlines -= 1;
        Some(content)
    }

    fn block_inside(&mut self, tag: Tag, depth: usize, at: usize) -> Option<Block> {
        Some(match tag {
            Tag::Paragraph => Block::Paragraph {
                content: self.inlines(TagEnd::Paragraph),
            },
            Tag::Heading { level, .. } => {
                let content = self.inlines(TagEnd::Heading(level));
                let slug = slugify(&Inline::plain_text(&content));
                let base = format!("{}-{}", self.ctx.section_id, slug);
                let n = self.heading_ids.entry(base.clone()).or_insert(0);
                *n += 1;
                let id = if *n == 1 { base } else { format!("{base}-{n}") };
                Block::Heading {
                    level: heading_number(level),
                    id,
                    content,
                }
            }
            Tag::BlockQuote(kind) => {
                let blocks = self.blocks(Some(TagEnd::BlockQuote(kind)), depth);
                match kind {
                    None => Block::Quote { blocks },
                    Some(kind) => Block::Callout {
                        kind: callout_kind(kind),
                        title: None,
                        id: None,
                        blocks,
                    },
                }
            }
            Tag::CodeBlock(kind) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split([' ', ',', '{'])
                        .next()
                        .filter(|l| !l.is_empty())
                        .map(str::to_string),
                    CodeBlockKind::Indented => None,
                };
                let mut code = String::new();
                for (event, _) in self.events.by_ref() {
                    match event {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                if language.is_some() {
                    let at = self.ctx.body_offset + at;
                    self.diags
                        .extend(long_code_line(self.ctx.file, at, &code, self.ctx.scope));
                }
                Block::Code { language, code }
            }
            Tag::List(start) => {
                let ordered = start.is_some();
                let mut items = Vec::new();
                loop {
                    match self.events.next() {
                        Some((Event::Start(Tag::Item), _)) => {
                            let checked = match self.events.peek() {
                                Some((Event::TaskListMarker(c), _)) => Some(*c),
                                _ => None,
                            };
                            let blocks = self.blocks(Some(TagEnd::Item), depth + 1);
                            items.push(ListItem { checked, blocks });
                        }
                        Some((Event::End(TagEnd::List(_)), _)) | None => break,
                        Some(_) => {}
                    }
                }
                if ordered && depth == 0 && self.ctx.lists_are_steps {
                    Block::Steps {
                        steps: items
                            .into_iter()
                            .map(|item| Step {
                                number: 0,
                                blocks: item.blocks,
                                no_return: false,
                            })
                            .collect(),
                    }
                } else {
                    Block::List {
                        ordered,
                        start: start.unwrap_or(1),
                        items,
                    }
                }
            }
            Tag::Table(alignments) => self.table(alignments),
            Tag::FootnoteDefinition(label) => Block::Footnote {
                label: label.to_string(),
                blocks: self.blocks(Some(TagEnd::FootnoteDefinition), depth),
            },
            Tag::HtmlBlock => {
                let mut text = String::new();
                for (event, _) in self.events.by_ref() {
                    match event {
                        Event::Html(t) | Event::Text(t) => text.push_str(&t),
                        Event::End(TagEnd::HtmlBlock) => break,
                        _ => {}
                    }
                }
                Block::Paragraph {
                    content: vec![Inline::Text {
                        text: text.trim_end().to_string(),
                    }],
                }
            }
            // Inline tags are handled by `loose_inlines`; the other block
            // tags belong to extensions `options()` does not enable.
            _ => return None,
        })
    }

    /// Inline content that appears directly in a tight list item.
    fn loose_inlines(&mut self) -> Vec<Inline> {
        let mut content = Vec::new();
        while let Some((event, _)) = self.events.peek() {
            let inline_start = matches!(event, Event::Start(tag) if is_inline_start(tag));
            let inline_event = matches!(
                event,
                Event::Text(_)
                    | Event::Code(_)
                    | Event::InlineHtml(_)
                    | Event::SoftBreak
                    | Event::HardBreak
                    | Event::FootnoteReference(_)
            );
            if !(inline_start || inline_event) {
                break;
            }
            let (event, range) = self.events.next().expect("peeked");
            self.inline(event, range, &mut content);
        }
        // Bare links are found in whole runs of text, once, outermost.
        if self.nesting.inlines == 0 {
            autolink::apply(&mut content, self.ctx.scope);
        }
        content
    }

    fn inlines(&mut self, end: TagEnd) -> Vec<Inline> {
        let mut content = Vec::new();
        while let Some((event, range)) = self.events.next() {
            if event == Event::End(end) {
                break;
            }
            self.inline(event, range, &mut content);
        }
        // Bare links are found in whole runs of text, once, outermost.
        if self.nesting.inlines == 0 {
            autolink::apply(&mut content, self.ctx.scope);
        }
        content
    }

    fn inline(&mut self, event: Event, range: Range<usize>, out: &mut Vec<Inline>) {
        let at = range.start;
        match event {
            Event::Text(t) | Event::InlineHtml(t) => push_text(out, &t),
            Event::Code(c) => out.push(Inline::Code {
                code: c.to_string(),
            }),
            Event::SoftBreak => out.push(Inline::SoftBreak),
            Event::HardBreak => out.push(Inline::LineBreak),
            Event::FootnoteReference(label) => out.push(Inline::FootnoteRef {
                label: label.to_string(),
            }),
            Event::Start(Tag::Emphasis) => {
                if let Some(content) = self.nested_inlines(TagEnd::Emphasis, at) {
                    out.push(Inline::Emphasis { content });
                }
            }
            Event::Start(Tag::Strong) => {
                if let Some(content) = self.nested_inlines(TagEnd::Strong, at) {
                    out.push(Inline::Strong { content });
                }
            }
            Event::Start(Tag::Strikethrough) => {
                if let Some(content) = self.nested_inlines(TagEnd::Strikethrough, at) {
                    out.push(Inline::Strikethrough { content });
                }
            }
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                if let Some(content) = self.nested_inlines(TagEnd::Link, at) {
                    out.push(Inline::Link {
                        url: dest_url.to_string(),
                        title: title.to_string(),
                        content,
                    });
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let Some(alt) = self.nested_inlines(TagEnd::Image, at) else {
                    return;
                };
                let alt = Inline::plain_text(&alt);
                let at = self.ctx.body_offset + range.start;
                if let Some(src) = images::copy(
                    self.ctx.file,
                    self.ctx.project_root,
                    &dest_url,
                    at,
                    self.assets,
                    self.diags,
                ) {
                    out.push(Inline::Image {
                        src,
                        alt,
                        title: title.to_string(),
                    });
                }
            }
            _ => {}
        }
    }
}
