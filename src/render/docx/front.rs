//! What comes before the steps: the cover with the facts the PDF's cover
//! shows, the contents, and what to know before starting.

use super::blocks::{self, Cell};
use super::body::{Body, Look, ParaLook};
use super::document::part;
use super::words::word;
use crate::model::Playbook;
use crate::render::views::Content;

/// A part of the document the contents list: level, text, bookmark.
pub(super) struct Entry {
    pub level: u8,
    pub text: String,
    pub bookmark: String,
}

/// The title page: who, what, which version, as the PDF's cover says it.
/// `name` is the document's own name when it is not the playbook.
pub fn cover(body: &mut Body<'_>, playbook: &Playbook, content: &Content, name: Option<&str>) {
    let facts = &content.facts;
    let kind = if name.is_some() {
        &word("change-record")
    } else {
        &word("playbook")
    };
    let kicker = format!("{} · {} {}", facts.provider, &word("managed-upgrade"), kind);
    let title = format!(
        "{} {} → {}",
        facts.product, facts.current_version, facts.target_version
    );
    let style = |s| ParaLook {
        style: Some(s),
        ..ParaLook::default()
    };
    body.paragraph(style("Kicker"), |b| b.run(&kicker, Look::default()));
    body.paragraph(style("Title"), |b| b.run(&title, Look::default()));
    body.paragraph(style("Subtitle"), |b| {
        b.run(&facts.customer, Look::default())
    });
    if let (None, Some(env)) = (name, &playbook.environment) {
        let line = word("values-for").replace("{environment}", env);
        body.paragraph(ParaLook::default(), |b| b.run(&line, Look::default()));
    }
    body.paragraph(
        ParaLook {
            style: Some("Muted"),
            ..ParaLook::default()
        },
        |_| {},
    );
    let version = if playbook.version == "draft" {
        word("draft")
    } else if let Some(by) = &playbook.accepted_by {
        let mut v = word("final")
            .replace("{version}", &playbook.version)
            .replace("{by}", by);
        if let Some(on) = playbook.accepted_on {
            v.push_str(&format!(" ({})", crate::model::engagement::iso(on)));
        }
        if let Some(reference) = &playbook.acceptance_reference {
            v.push_str(&format!(", {reference}"));
        }
        v
    } else {
        playbook.version.clone()
    };
    let document = name.unwrap_or(&playbook.config.book.title).to_string();
    let date = playbook
        .date
        .map_or("—".to_string(), crate::model::engagement::iso);
    let case = facts.case.clone().unwrap_or_else(|| "—".into());
    let mut facts_rows = vec![(word("document"), document), (word("version"), version)];
    // A final version says what it carries over unresolved, as the PDF's
    // cover does.
    if playbook.accepted_by.is_some() && !content.run.open.is_empty() {
        let open: Vec<&str> = content.run.open.iter().map(|o| o.id.as_str()).collect();
        facts_rows.push((
            word("carried-over"),
            format!("{} {}", word("still-open"), open.join(", ")),
        ));
    }
    facts_rows.push((word("date"), date));
    facts_rows.push((word("case"), case));
    let rows: Vec<Vec<Vec<Cell<'_>>>> = facts_rows
        .into_iter()
        .map(|(label, value)| vec![vec![Cell::Text(label)], vec![Cell::Text(value)]])
        .collect();
    facts_table(body, &rows);
}

/// The cover's two-column list of facts: labels muted, no header row.
fn facts_table(body: &mut Body<'_>, rows: &[Vec<Vec<Cell<'_>>>]) {
    let x = &mut body.x;
    x.open("w:tbl", &[]);
    x.open("w:tblPr", &[]);
    x.empty("w:tblW", &[("w:w", "0"), ("w:type", "auto")]);
    x.open("w:tblBorders", &[]);
    x.empty(
        "w:top",
        &[
            ("w:val", "single"),
            ("w:sz", "4"),
            ("w:space", "0"),
            ("w:color", "C8CED6"),
        ],
    );
    x.empty(
        "w:bottom",
        &[
            ("w:val", "single"),
            ("w:sz", "4"),
            ("w:space", "0"),
            ("w:color", "C8CED6"),
        ],
    );
    x.empty(
        "w:insideH",
        &[
            ("w:val", "single"),
            ("w:sz", "4"),
            ("w:space", "0"),
            ("w:color", "C8CED6"),
        ],
    );
    x.close("w:tblBorders");
    x.empty(
        "w:tblLook",
        &[
            ("w:val", "0000"),
            ("w:firstRow", "0"),
            ("w:lastRow", "0"),
            ("w:firstColumn", "0"),
            ("w:lastColumn", "0"),
            ("w:noHBand", "1"),
            ("w:noVBand", "1"),
        ],
    );
    x.close("w:tblPr");
    x.open("w:tblGrid", &[]);
    x.empty("w:gridCol", &[("w:w", "1800")]);
    x.empty("w:gridCol", &[("w:w", "6000")]);
    x.close("w:tblGrid");
    for row in rows {
        body.x.open("w:tr", &[]);
        for (c, cell) in row.iter().enumerate() {
            body.x.open("w:tc", &[]);
            body.x.open("w:tcPr", &[]);
            body.x.empty(
                "w:tcW",
                &[
                    ("w:w", if c == 0 { "1800" } else { "6000" }),
                    ("w:type", "dxa"),
                ],
            );
            body.x.close("w:tcPr");
            let look = if c == 0 {
                Look {
                    colour: Some("5F6B7A"),
                    ..Look::default()
                }
            } else {
                Look::default()
            };
            body.paragraph(
                ParaLook {
                    style: Some("TableText"),
                    ..ParaLook::default()
                },
                |b| {
                    for piece in cell {
                        if let Cell::Text(text) = piece {
                            b.run(text, look);
                        }
                    }
                },
            );
            body.x.close("w:tc");
        }
        body.x.close("w:tr");
    }
    body.x.close("w:tbl");
}

/// The contents: a Word table-of-contents field whose shown result is
/// written here (links to every part, phase and section), so the list
/// reads at once, and Word fills in page numbers when it is updated.
pub(super) fn contents(body: &mut Body<'_>, entries: &[Entry]) {
    body.paragraph(
        ParaLook {
            style: Some("TOCHeading"),
            page_break_before: true,
            ..ParaLook::default()
        },
        |b| b.run(&word("contents"), Look::default()),
    );
    for (i, entry) in entries.iter().enumerate() {
        let style = format!("TOC{}", entry.level);
        body.paragraph(
            ParaLook {
                style: Some(&style),
                ..ParaLook::default()
            },
            |b| {
                if i == 0 {
                    field_char(b, "begin");
                    b.x.open("w:r", &[]);
                    b.x.leaf(
                        "w:instrText",
                        &[("xml:space", "preserve")],
                        " TOC \\o \"1-3\" \\h \\z \\u ",
                    );
                    b.x.close("w:r");
                    field_char(b, "separate");
                }
                b.x.open(
                    "w:hyperlink",
                    &[("w:anchor", &entry.bookmark), ("w:history", "1")],
                );
                b.run(&entry.text, Look::default());
                b.x.close("w:hyperlink");
                if i + 1 == entries.len() {
                    field_char(b, "end");
                }
            },
        );
    }
}

pub fn field_char(body: &mut Body<'_>, kind: &str) {
    body.x.open("w:r", &[]);
    body.x.empty("w:fldChar", &[("w:fldCharType", kind)]);
    body.x.close("w:r");
}

/// What the reader needs before the first step: the point of no return,
/// the environments, what must be done, and whom to call.
pub(super) fn before_you_start(body: &mut Body<'_>, content: &Content) {
    part(body, "P_before", &word("before-you-start"));
    if let Some(step) = &content.point_of_no_return {
        blocks::no_return_note(body, 0, Some(step));
    }
    for x in &content.exclusions {
        body.paragraph(
            ParaLook {
                style: Some("CalloutWarning"),
                ..ParaLook::default()
            },
            |b| {
                b.run(
                    x.title,
                    Look {
                        bold: true,
                        ..Look::default()
                    },
                );
                b.run("\n", Look::default());
                b.run(&x.summary, Look::default());
            },
        );
    }

    let id = body.start_bookmark("P_environments".into());
    blocks::heading(body, 2, &word("environments"));
    body.end_bookmark(id);
    let mut rows = vec![
        [
            &word("environment"),
            &word("role"),
            &word("upgraded-by"),
            &word("hosts"),
        ]
        .map(|h| vec![Cell::Text(h.into())])
        .to_vec(),
    ];
    for e in &content.environments {
        let by = if e.by_provider {
            content.facts.provider.clone()
        } else {
            content.facts.customer.clone()
        };
        let hosts = e
            .hosts
            .iter()
            .map(|h| Cell::Code(format!("{} ({})", h.name, h.role)))
            .collect();
        rows.push(vec![
            vec![Cell::Text(e.name.clone())],
            vec![Cell::Text(e.role.clone())],
            vec![Cell::Text(by)],
            hosts,
        ]);
    }
    blocks::grid(body, &rows, 4, &[], 0);

    if !content.prerequisites.is_empty() {
        let id = body.start_bookmark("P_prerequisites".into());
        blocks::heading(body, 2, &word("prerequisites"));
        body.end_bookmark(id);
        let list = body.list(super::numbering::ListKind::Bullets, 1);
        for item in &content.prerequisites {
            body.paragraph(
                ParaLook {
                    style: Some("ListParagraph"),
                    list: Some((list, 0)),
                    ..ParaLook::default()
                },
                |b| b.run(item, Look::default()),
            );
        }
    }

    if !content.contacts.is_empty() {
        blocks::heading(body, 2, &word("contacts"));
        let mut rows = vec![
            [&word("contact"), &word("role"), &word("e-mail")]
                .map(|h| vec![Cell::Text(h.into())])
                .to_vec(),
        ];
        for c in &content.contacts {
            rows.push(vec![
                vec![Cell::Text(c.name.clone())],
                vec![Cell::Text(c.role.clone())],
                vec![Cell::Text(c.email.clone().unwrap_or_default())],
            ]);
        }
        blocks::grid(body, &rows, 3, &[], 0);
    }
}
