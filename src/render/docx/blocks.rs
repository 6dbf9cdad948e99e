//! A section's blocks and inlines as Word paragraphs, runs and tables,
//! read from the model (Markdown was parsed once, in `load`).

use super::body::{Body, Look, ParaLook};
use super::numbering::ListKind;
use super::styles;
use super::words::word;
use crate::model::document::{Alignment, Block, Inline, Section};
use crate::model::docx_names as names;

/// Where blocks are being written: the heading level below which their
/// own headings go, the paragraph style around them (a callout's), and
/// the indent that keeps a step's later blocks under its text.
#[derive(Clone, Copy)]
pub struct Place<'s> {
    pub heading_base: u8,
    pub style: Option<&'s str>,
    pub indent: u32,
    pub list_level: u8,
}

/// A section: its heading (a bookmark on it, per the file contract) and
/// its blocks, the bookmark ending after its last paragraph.
pub fn section(body: &mut Body<'_>, section: &Section, level: u8) {
    let bookmark = body.start_bookmark(names::section_bookmark(&section.id));
    heading(body, level, &section.title);
    let place = Place {
        heading_base: level,
        style: None,
        indent: 0,
        list_level: 0,
    };
    for block in section.blocks.iter() {
        self::block(body, section, block, place);
    }
    body.end_bookmark(bookmark);
}

/// A heading paragraph in Word's built-in heading styles, which the
/// navigation pane lists.
/// "Point of no return." and what it means, as a warning: under the step
/// itself (indented with the step's blocks), or before the steps, where
/// it names and links the step.
pub fn no_return_note(body: &mut Body<'_>, indent: u32, step: Option<&str>) {
    let (style, _, _) = styles::callout(crate::model::document::CalloutKind::Warning);
    let look = ParaLook {
        style: Some(style),
        indent,
        ..ParaLook::default()
    };
    body.paragraph(look, |b| {
        let bold = Look {
            bold: true,
            ..Look::default()
        };
        b.run(&word("point-of-no-return"), bold);
        b.run(" ", Look::default());
        if let Some(step) = step {
            let anchor = crate::model::document::step_anchor(step);
            b.link(&format!("#{anchor}"), |b, linked| {
                let look = Look {
                    link: linked.link,
                    ..Look::default()
                };
                b.run(&format!("{} {step}", word("step")), look)
            });
            b.run(". ", Look::default());
        }
        b.run(&word("after-no-return"), Look::default());
    });
}

pub fn heading(body: &mut Body<'_>, level: u8, text: &str) {
    let style = format!("Heading{}", level.clamp(1, 4));
    body.paragraph(
        ParaLook {
            style: Some(&style),
            ..ParaLook::default()
        },
        |b| b.run(text, Look::default()),
    );
}

pub fn block(body: &mut Body<'_>, section: &Section, block: &Block, place: Place<'_>) {
    let plain = ParaLook {
        style: place.style,
        indent: place.indent,
        ..ParaLook::default()
    };
    match block {
        Block::Paragraph { content } => {
            body.paragraph(plain, |b| inlines(b, content, Look::default()))
        }
        Block::Heading { level, id, content } => {
            let bookmark = body.start_bookmark(names::heading_bookmark(id));
            let style = format!("Heading{}", (place.heading_base + level).clamp(1, 4));
            body.paragraph(
                ParaLook {
                    style: Some(&style),
                    ..ParaLook::default()
                },
                |b| inlines(b, content, Look::default()),
            );
            body.end_bookmark(bookmark);
        }
        Block::Steps { steps } => {
            let Some(first) = steps.first() else { return };
            let back_out = section.is_back_out();
            let kind = if back_out {
                ListKind::BackOut
            } else {
                ListKind::Steps
            };
            let list = body.list(kind, u64::from(section.step_number(first)));
            for step in steps {
                let label = section.step_label(step);
                let bookmark = body.start_bookmark(names::step_bookmark(&label));
                let inner = Place {
                    indent: 567,
                    ..place
                };
                let mut rest = step.blocks.iter();
                // The step's number is the list item's; its first
                // paragraph is the item's text.
                match step.blocks.first() {
                    Some(Block::Paragraph { content }) => {
                        rest.next();
                        body.paragraph(
                            ParaLook {
                                style: Some("Step"),
                                list: Some((list, 0)),
                                ..ParaLook::default()
                            },
                            |b| inlines(b, content, Look::default()),
                        );
                    }
                    _ => body.paragraph(
                        ParaLook {
                            style: Some("Step"),
                            list: Some((list, 0)),
                            ..ParaLook::default()
                        },
                        |_| {},
                    ),
                }
                for b in rest {
                    self::block(body, section, b, inner);
                }
                if step.no_return {
                    no_return_note(body, 567, None);
                }
                body.end_bookmark(bookmark);
            }
        }
        Block::List {
            ordered,
            start,
            items,
        } => {
            let kind = if *ordered {
                ListKind::Ordered
            } else {
                ListKind::Bullets
            };
            let list = body.list(kind, *start);
            for item in items {
                let nested = Place {
                    list_level: place.list_level + 1,
                    indent: 0,
                    ..place
                };
                let mut rest = item.blocks.iter();
                let look = ParaLook {
                    style: Some(place.style.unwrap_or("ListParagraph")),
                    list: Some((list, place.list_level.min(8))),
                    ..ParaLook::default()
                };
                let task = item.checked.map(|done| if done { "☒ " } else { "☐ " });
                match item.blocks.first() {
                    Some(Block::Paragraph { content }) => {
                        rest.next();
                        body.paragraph(look, |b| {
                            if let Some(task) = task {
                                b.run(task, Look::default());
                            }
                            inlines(b, content, Look::default());
                        });
                    }
                    _ => body.paragraph(look, |b| {
                        if let Some(task) = task {
                            b.run(task, Look::default());
                        }
                    }),
                }
                for b in rest {
                    let inner = match b {
                        Block::List { .. } => nested,
                        _ => Place {
                            indent: 360 * (u32::from(place.list_level) + 1) + 113,
                            ..place
                        },
                    };
                    self::block(body, section, b, inner);
                }
            }
        }
        Block::Code { code, .. } => {
            let text = code.strip_suffix('\n').unwrap_or(code);
            body.paragraph(
                ParaLook {
                    style: Some("Code"),
                    indent: place.indent,
                    ..ParaLook::default()
                },
                |b| b.run(text, Look::default()),
            );
        }
        Block::Table {
            alignments,
            header,
            rows,
            ..
        } => table(body, alignments, header, rows, place.indent),
        Block::Callout {
            kind,
            title,
            id,
            blocks,
        } => {
            let (style, colour, _) = styles::callout(*kind);
            let bookmark = id
                .as_ref()
                .map(|id| body.start_bookmark(names::heading_bookmark(id)));
            let kind_name = super::words::name("callout", kind.label());
            let label = title.as_deref().unwrap_or(&kind_name);
            body.paragraph(
                ParaLook {
                    style: Some(style),
                    indent: place.indent,
                    keep_next: true,
                    ..ParaLook::default()
                },
                |b| {
                    b.run(
                        label,
                        Look {
                            bold: true,
                            colour: Some(colour),
                            ..Look::default()
                        },
                    )
                },
            );
            let inner = Place {
                style: Some(style),
                ..place
            };
            for b in blocks {
                self::block(body, section, b, inner);
            }
            if let Some(bookmark) = bookmark {
                body.end_bookmark(bookmark);
            }
        }
        Block::Quote { blocks } => {
            let inner = Place {
                indent: place.indent + 567,
                ..place
            };
            for b in blocks {
                self::block(body, section, b, inner);
            }
        }
        Block::Rule => body.paragraph(
            ParaLook {
                style: Some("Rule"),
                ..ParaLook::default()
            },
            |_| {},
        ),
        Block::Footnote { label, blocks } => {
            let mut first = true;
            for b in blocks {
                if let (true, Block::Paragraph { content }) = (first, b) {
                    body.paragraph(
                        ParaLook {
                            style: Some("Muted"),
                            indent: place.indent,
                            ..ParaLook::default()
                        },
                        |b| {
                            b.run(&format!("[{label}] "), Look::default());
                            inlines(b, content, Look::default());
                        },
                    );
                } else {
                    self::block(body, section, b, place);
                }
                first = false;
            }
        }
        // A copy has resolved these already; the blocks are what is left.
        Block::Only { blocks, .. } | Block::EachHost { blocks, .. } => {
            for b in blocks {
                self::block(body, section, b, place);
            }
        }
    }
}

fn table(
    body: &mut Body<'_>,
    alignments: &[Alignment],
    header: &[Vec<Inline>],
    rows: &[Vec<Vec<Inline>>],
    indent: u32,
) {
    let columns = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    if columns == 0 {
        return;
    }
    let cells: Vec<Vec<&[Inline]>> = std::iter::once(header)
        .chain(rows.iter().map(Vec::as_slice))
        .map(|row| row.iter().map(Vec::as_slice).collect())
        .collect();
    let cells: Vec<Vec<Vec<Cell<'_>>>> = cells
        .into_iter()
        .map(|row| row.into_iter().map(|c| vec![Cell::Inlines(c)]).collect())
        .collect();
    grid(body, &cells, columns, alignments, indent);
}

/// What a table cell holds: the notes' inlines, or plain text the
/// document adds (facts, environments).
#[derive(Clone)]
pub enum Cell<'c> {
    Inlines(&'c [Inline]),
    Text(String),
    Code(String),
}

/// A Word table in the playbook's style, its first row the header that
/// repeats on every page it runs over.
pub fn grid(
    body: &mut Body<'_>,
    rows: &[Vec<Vec<Cell<'_>>>],
    columns: usize,
    alignments: &[Alignment],
    indent: u32,
) {
    let x = &mut body.x;
    x.open("w:tbl", &[]);
    x.open("w:tblPr", &[]);
    x.empty("w:tblStyle", &[("w:val", "PlaybookTable")]);
    x.empty("w:tblW", &[("w:w", "5000"), ("w:type", "pct")]);
    if indent > 0 {
        x.empty(
            "w:tblInd",
            &[("w:w", &indent.to_string()), ("w:type", "dxa")],
        );
    }
    x.empty(
        "w:tblLook",
        &[
            ("w:val", "0420"),
            ("w:firstRow", "1"),
            ("w:lastRow", "0"),
            ("w:firstColumn", "0"),
            ("w:lastColumn", "0"),
            ("w:noHBand", "1"),
            ("w:noVBand", "1"),
        ],
    );
    x.close("w:tblPr");
    x.open("w:tblGrid", &[]);
    let width = (9000 / columns).to_string();
    for _ in 0..columns {
        x.empty("w:gridCol", &[("w:w", &width)]);
    }
    x.close("w:tblGrid");
    for (r, row) in rows.iter().enumerate() {
        body.x.open("w:tr", &[]);
        if r == 0 {
            body.x.open("w:trPr", &[]);
            body.x.empty("w:tblHeader", &[]);
            body.x.empty("w:cantSplit", &[]);
            body.x.close("w:trPr");
        }
        for c in 0..columns {
            body.x.open("w:tc", &[]);
            body.x.open("w:tcPr", &[]);
            body.x.empty("w:tcW", &[("w:w", "0"), ("w:type", "auto")]);
            body.x.close("w:tcPr");
            let align = match alignments.get(c) {
                Some(Alignment::Center) => Some("center"),
                Some(Alignment::Right) => Some("right"),
                _ => None,
            };
            let pieces = row.get(c).map(Vec::as_slice).unwrap_or(&[]);
            cell_paragraph(body, pieces, align, r == 0);
            body.x.close("w:tc");
        }
        body.x.close("w:tr");
    }
    body.x.close("w:tbl");
    // Word needs a paragraph between two tables, and one after a table
    // that ends a cell; a small one keeps the next block off the table.
    body.paragraph(
        ParaLook {
            style: Some("TableGap"),
            ..ParaLook::default()
        },
        |_| {},
    );
}

fn cell_paragraph(body: &mut Body<'_>, pieces: &[Cell<'_>], align: Option<&str>, header: bool) {
    body.x.open("w:p", &[]);
    body.x.open("w:pPr", &[]);
    body.x.empty("w:pStyle", &[("w:val", "TableText")]);
    if header {
        body.x.empty("w:keepNext", &[]);
    }
    if let Some(align) = align {
        body.x.empty("w:jc", &[("w:val", align)]);
    }
    body.x.close("w:pPr");
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            body.x.open("w:r", &[]);
            body.x.empty("w:br", &[]);
            body.x.close("w:r");
        }
        match piece {
            Cell::Inlines(content) => inlines(body, content, Look::default()),
            Cell::Text(text) => body.run(text, Look::default()),
            Cell::Code(text) => body.run(
                text,
                Look {
                    code: true,
                    ..Look::default()
                },
            ),
        }
    }
    body.x.close("w:p");
}

/// Inline content as runs, `look` carried down from the enclosing
/// emphasis or link.
pub fn inlines(body: &mut Body<'_>, content: &[Inline], look: Look) {
    for inline in content {
        match inline {
            Inline::Text { text } => body.run(text, look),
            Inline::Code { code } => body.run(code, Look { code: true, ..look }),
            Inline::Emphasis { content } => inlines(
                body,
                content,
                Look {
                    italic: true,
                    ..look
                },
            ),
            Inline::Strong { content } => inlines(body, content, Look { bold: true, ..look }),
            Inline::Strikethrough { content } => inlines(
                body,
                content,
                Look {
                    strike: true,
                    ..look
                },
            ),
            Inline::Link { url, content, .. } => {
                if look.link {
                    inlines(body, content, look);
                } else {
                    body.link(url, |b, linked| {
                        inlines(
                            b,
                            content,
                            Look {
                                link: linked.link,
                                ..look
                            },
                        )
                    });
                }
            }
            Inline::Image { src, alt, .. } => {
                if !body.image(src, alt) {
                    body.run(
                        &format!("[{} {alt}]", &word("image")),
                        Look {
                            italic: true,
                            ..look
                        },
                    );
                }
            }
            Inline::FootnoteRef { label } => body.run(&format!("[{label}]"), look),
            Inline::SoftBreak => body.run(" ", look),
            Inline::LineBreak => body.run("\n", look),
        }
    }
}
