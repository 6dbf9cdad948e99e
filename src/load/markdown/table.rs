//! Tables: a header row and body rows of inline cells.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::BlockParser;
use crate::model::document::{Alignment, Block, Inline};

impl BlockParser<'_, '_> {
    pub(super) fn table(&mut self, alignments: Vec<pulldown_cmark::Alignment>) -> Block {
        let alignments = alignments
            .into_iter()
            .map(|a| match a {
                pulldown_cmark::Alignment::None => Alignment::None,
                pulldown_cmark::Alignment::Left => Alignment::Left,
                pulldown_cmark::Alignment::Center => Alignment::Center,
                pulldown_cmark::Alignment::Right => Alignment::Right,
            })
            .collect();
        let mut header = Vec::new();
        let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
        let mut in_head = false;
        #[allow(clippy::while_let_on_iterator)] // the body borrows `self` too
        while let Some((event, _)) = self.events.next() {
            match event {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => {
                    let cell = self.inlines(TagEnd::TableCell);
                    if in_head {
                        header.push(cell);
                    } else if let Some(row) = rows.last_mut() {
                        row.push(cell);
                    }
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        Block::Table {
            alignments,
            header,
            rows,
            records: false,
        }
    }
}
