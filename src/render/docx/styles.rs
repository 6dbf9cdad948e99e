//! `word/styles.xml`: the named styles the document uses, so a reader's
//! Word shows phases and sections in the navigation pane (the heading
//! styles carry outline levels) and a company template can restyle the
//! whole document by name.

use super::xml::Xml;
use crate::model::document::CalloutKind;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Body and heading typefaces: Arial and Courier-metric fonts exist, or
/// have metric twins, on every office machine and in LibreOffice.
const BODY_FONT: &str = "Arial";
const CODE_FONT: &str = "Consolas";
/// The firm's one accent colour, as the PDF's headings use.
pub const ACCENT: &str = "1F3A5F";
const MUTED: &str = "5F6B7A";

/// The style id of a callout kind's shaded paragraph, and its colours
/// (border, fill).
pub fn callout(kind: CalloutKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        CalloutKind::Note => ("CalloutNote", "2F6EBA", "EAF1FB"),
        CalloutKind::Tip => ("CalloutTip", "2E7D32", "EAF5EA"),
        CalloutKind::Important => ("CalloutImportant", "6A3FA0", "F1ECF8"),
        CalloutKind::Warning => ("CalloutWarning", "B26A00", "FFF5E0"),
        CalloutKind::Caution => ("CalloutCaution", "B3261E", "FCEBEA"),
    }
}

const CALLOUTS: [CalloutKind; 5] = [
    CalloutKind::Note,
    CalloutKind::Tip,
    CalloutKind::Important,
    CalloutKind::Warning,
    CalloutKind::Caution,
];

/// A paragraph style: id, shown name, what it is based on and what
/// follows it.
struct Para<'a> {
    id: &'a str,
    name: &'a str,
    based_on: Option<&'a str>,
    next: Option<&'a str>,
}

pub fn xml(language: &str) -> Vec<u8> {
    let mut x = Xml::new();
    x.open("w:styles", &[("xmlns:w", W)]);
    defaults(&mut x, language);

    para(
        &mut x,
        Para {
            id: "Normal",
            name: "Normal",
            based_on: None,
            next: None,
        },
        |x| {
            x.open("w:pPr", &[]);
            x.empty(
                "w:spacing",
                &[
                    ("w:after", "120"),
                    ("w:line", "264"),
                    ("w:lineRule", "auto"),
                ],
            );
            x.close("w:pPr");
        },
    );
    for (level, size, before) in [
        (1u8, "32", "480"),
        (2, "26", "360"),
        (3, "22", "240"),
        (4, "20", "200"),
    ] {
        let id = format!("Heading{level}");
        let name = format!("heading {level}");
        para(
            &mut x,
            Para {
                id: &id,
                name: &name,
                based_on: Some("Normal"),
                next: Some("Normal"),
            },
            |x| {
                x.open("w:pPr", &[]);
                x.empty("w:keepNext", &[]);
                x.empty("w:keepLines", &[]);
                if level == 1 {
                    x.empty("w:pageBreakBefore", &[]);
                    x.open("w:pBdr", &[]);
                    x.empty(
                        "w:bottom",
                        &[
                            ("w:val", "single"),
                            ("w:sz", "8"),
                            ("w:space", "4"),
                            ("w:color", ACCENT),
                        ],
                    );
                    x.close("w:pBdr");
                }
                x.empty("w:spacing", &[("w:before", before), ("w:after", "120")]);
                x.empty("w:outlineLvl", &[("w:val", &(level - 1).to_string())]);
                x.close("w:pPr");
                x.open("w:rPr", &[]);
                x.empty("w:b", &[]);
                x.empty("w:color", &[("w:val", ACCENT)]);
                x.empty("w:sz", &[("w:val", size)]);
                x.close("w:rPr");
            },
        );
    }
    para(
        &mut x,
        Para {
            id: "Title",
            name: "Title",
            based_on: Some("Normal"),
            next: Some("Normal"),
        },
        |x| {
            x.open("w:pPr", &[]);
            x.empty("w:spacing", &[("w:before", "0"), ("w:after", "160")]);
            x.close("w:pPr");
            x.open("w:rPr", &[]);
            x.empty("w:b", &[]);
            x.empty("w:color", &[("w:val", ACCENT)]);
            x.empty("w:sz", &[("w:val", "52")]);
            x.close("w:rPr");
        },
    );
    para(
        &mut x,
        Para {
            id: "Subtitle",
            name: "Subtitle",
            based_on: Some("Normal"),
            next: Some("Normal"),
        },
        |x| {
            x.open("w:rPr", &[]);
            x.empty("w:sz", &[("w:val", "30")]);
            x.close("w:rPr");
        },
    );
    para(
        &mut x,
        Para {
            id: "Kicker",
            name: "Kicker",
            based_on: Some("Normal"),
            next: Some("Title"),
        },
        |x| {
            x.open("w:pPr", &[]);
            x.empty("w:spacing", &[("w:before", "2400"), ("w:after", "80")]);
            x.close("w:pPr");
            x.open("w:rPr", &[]);
            x.empty("w:caps", &[]);
            x.empty("w:color", &[("w:val", MUTED)]);
            x.empty("w:spacing", &[("w:val", "20")]);
            x.empty("w:sz", &[("w:val", "20")]);
            x.close("w:rPr");
        },
    );
    para(
        &mut x,
        Para {
            id: "Muted",
            name: "Muted",
            based_on: Some("Normal"),
            next: None,
        },
        |x| {
            x.open("w:rPr", &[]);
            x.empty("w:color", &[("w:val", MUTED)]);
            x.empty("w:sz", &[("w:val", "18")]);
            x.close("w:rPr");
        },
    );
    para(
        &mut x,
        Para {
            id: "ListParagraph",
            name: "List Paragraph",
            based_on: Some("Normal"),
            next: None,
        },
        |x| {
            x.open("w:pPr", &[]);
            x.empty("w:spacing", &[("w:after", "60")]);
            x.close("w:pPr");
        },
    );
    para(
        &mut x,
        Para {
            id: "Step",
            name: "Step",
            based_on: Some("ListParagraph"),
            next: None,
        },
        |x| {
            x.open("w:pPr", &[]);
            x.empty("w:spacing", &[("w:before", "120"), ("w:after", "60")]);
            x.close("w:pPr");
        },
    );
    para(
        &mut x,
        Para {
            id: "ChangeStep",
            name: "Changed Step",
            based_on: Some("Normal"),
            next: None,
        },
        |x| {
            x.open("w:pPr", &[]);
            x.open("w:tabs", &[]);
            x.empty("w:tab", &[("w:val", "left"), ("w:pos", "567")]);
            x.close("w:tabs");
            x.empty("w:spacing", &[("w:before", "120"), ("w:after", "60")]);
            x.empty("w:ind", &[("w:left", "567"), ("w:hanging", "567")]);
            x.close("w:pPr");
        },
    );
    para(
        &mut x,
        Para {
            id: "Code",
            name: "Code",
            based_on: Some("Normal"),
            next: None,
        },
        |x| {
            x.open("w:pPr", &[]);
            x.empty("w:keepLines", &[]);
            x.open("w:pBdr", &[]);
            for side in ["w:top", "w:left", "w:bottom", "w:right"] {
                x.empty(
                    side,
                    &[
                        ("w:val", "single"),
                        ("w:sz", "4"),
                        ("w:space", "4"),
                        ("w:color", "D0D5DC"),
                    ],
                );
            }
            x.close("w:pBdr");
            x.empty(
                "w:shd",
                &[
                    ("w:val", "clear"),
                    ("w:color", "auto"),
                    ("w:fill", "F4F6F8"),
                ],
            );
            x.empty(
                "w:spacing",
                &[
                    ("w:before", "60"),
                    ("w:after", "120"),
                    ("w:line", "240"),
                    ("w:lineRule", "auto"),
                ],
            );
            x.empty("w:ind", &[("w:left", "113"), ("w:right", "113")]);
            x.close("w:pPr");
            x.open("w:rPr", &[]);
            code_font(x);
            x.empty("w:noProof", &[]);
            x.empty("w:sz", &[("w:val", "18")]);
            x.close("w:rPr");
        },
    );
    for kind in CALLOUTS {
        let (id, border, fill) = callout(kind);
        para(
            &mut x,
            Para {
                id,
                name: id,
                based_on: Some("Normal"),
                next: None,
            },
            |x| {
                x.open("w:pPr", &[]);
                x.open("w:pBdr", &[]);
                x.empty(
                    "w:left",
                    &[
                        ("w:val", "single"),
                        ("w:sz", "24"),
                        ("w:space", "8"),
                        ("w:color", border),
                    ],
                );
                x.close("w:pBdr");
                x.empty(
                    "w:shd",
                    &[("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)],
                );
                x.empty("w:spacing", &[("w:before", "0"), ("w:after", "0")]);
                x.empty("w:ind", &[("w:left", "227"), ("w:right", "113")]);
                x.close("w:pPr");
            },
        );
    }
    para(
        &mut x,
        Para {
            id: "TableText",
            name: "Table Text",
            based_on: Some("Normal"),
            next: None,
        },
        |x| {
            x.open("w:pPr", &[]);
            x.empty("w:spacing", &[("w:before", "40"), ("w:after", "40")]);
            x.close("w:pPr");
            x.open("w:rPr", &[]);
            x.empty("w:sz", &[("w:val", "18")]);
            x.close("w:rPr");
        },
    );
    para(
        &mut x,
        Para {
            id: "Rule",
            name: "Rule",
            based_on: Some("Normal"),
            next: None,
        },
        |x| {
            x.open("w:pPr", &[]);
            x.open("w:pBdr", &[]);
            x.empty(
                "w:bottom",
                &[
                    ("w:val", "single"),
                    ("w:sz", "6"),
                    ("w:space", "1"),
                    ("w:color", "C8CED6"),
                ],
            );
            x.close("w:pBdr");
            x.close("w:pPr");
        },
    );
    para(
        &mut x,
        Para {
            id: "TableGap",
            name: "Table Gap",
            based_on: Some("Normal"),
            next: None,
        },
        |x| {
            x.open("w:pPr", &[]);
            x.empty(
                "w:spacing",
                &[
                    ("w:before", "0"),
                    ("w:after", "0"),
                    ("w:line", "120"),
                    ("w:lineRule", "exact"),
                ],
            );
            x.close("w:pPr");
            x.open("w:rPr", &[]);
            x.empty("w:sz", &[("w:val", "8")]);
            x.close("w:rPr");
        },
    );
    for level in 1..=3u32 {
        let id = format!("TOC{level}");
        let name = format!("toc {level}");
        para(
            &mut x,
            Para {
                id: &id,
                name: &name,
                based_on: Some("Normal"),
                next: None,
            },
            |x| {
                x.open("w:pPr", &[]);
                x.empty(
                    "w:spacing",
                    &[
                        ("w:before", if level == 1 { "120" } else { "0" }),
                        ("w:after", "40"),
                    ],
                );
                x.empty("w:ind", &[("w:left", &((level - 1) * 284).to_string())]);
                x.close("w:pPr");
                if level == 1 {
                    x.open("w:rPr", &[]);
                    x.empty("w:b", &[]);
                    x.close("w:rPr");
                }
            },
        );
    }
    para(
        &mut x,
        Para {
            id: "TOCHeading",
            name: "TOC Heading",
            based_on: Some("Normal"),
            next: Some("Normal"),
        },
        |x| {
            x.open("w:rPr", &[]);
            x.empty("w:b", &[]);
            x.empty("w:color", &[("w:val", ACCENT)]);
            x.empty("w:sz", &[("w:val", "32")]);
            x.close("w:rPr");
        },
    );
    para(
        &mut x,
        Para {
            id: "Footer",
            name: "footer",
            based_on: Some("Normal"),
            next: None,
        },
        |x| {
            x.open("w:pPr", &[]);
            x.empty("w:spacing", &[("w:after", "0")]);
            x.close("w:pPr");
            x.open("w:rPr", &[]);
            x.empty("w:color", &[("w:val", MUTED)]);
            x.empty("w:sz", &[("w:val", "16")]);
            x.close("w:rPr");
        },
    );
    para(
        &mut x,
        Para {
            id: "CommentText",
            name: "annotation text",
            based_on: Some("Normal"),
            next: None,
        },
        |x| {
            x.open("w:rPr", &[]);
            x.empty("w:sz", &[("w:val", "20")]);
            x.close("w:rPr");
        },
    );

    character(&mut x, "CodeChar", "Code Char", |x| {
        code_font(x);
        x.empty("w:noProof", &[]);
        x.empty(
            "w:shd",
            &[
                ("w:val", "clear"),
                ("w:color", "auto"),
                ("w:fill", "F0F2F5"),
            ],
        );
    });
    character(&mut x, "Hyperlink", "Hyperlink", |x| {
        x.empty("w:color", &[("w:val", "1F5FAD")]);
        x.empty("w:u", &[("w:val", "single")]);
    });
    character(&mut x, "StepNumber", "Step Number", |x| {
        x.empty("w:b", &[]);
        x.empty("w:color", &[("w:val", ACCENT)]);
    });

    x.open(
        "w:style",
        &[("w:type", "table"), ("w:styleId", "PlaybookTable")],
    );
    x.empty("w:name", &[("w:val", "Playbook Table")]);
    x.empty("w:uiPriority", &[("w:val", "59")]);
    x.open("w:pPr", &[]);
    x.empty("w:spacing", &[("w:before", "40"), ("w:after", "40")]);
    x.close("w:pPr");
    x.open("w:rPr", &[]);
    x.empty("w:sz", &[("w:val", "18")]);
    x.close("w:rPr");
    x.open("w:tblPr", &[]);
    x.open("w:tblBorders", &[]);
    for side in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        x.empty(
            side,
            &[
                ("w:val", "single"),
                ("w:sz", "4"),
                ("w:space", "0"),
                ("w:color", "C8CED6"),
            ],
        );
    }
    x.close("w:tblBorders");
    x.open("w:tblCellMar", &[]);
    x.empty("w:left", &[("w:w", "85"), ("w:type", "dxa")]);
    x.empty("w:right", &[("w:w", "85"), ("w:type", "dxa")]);
    x.close("w:tblCellMar");
    x.close("w:tblPr");
    x.open("w:tblStylePr", &[("w:type", "firstRow")]);
    x.open("w:rPr", &[]);
    x.empty("w:b", &[]);
    x.empty("w:color", &[("w:val", "FFFFFF")]);
    x.close("w:rPr");
    x.open("w:tcPr", &[]);
    x.empty(
        "w:shd",
        &[("w:val", "clear"), ("w:color", "auto"), ("w:fill", ACCENT)],
    );
    x.close("w:tcPr");
    x.close("w:tblStylePr");
    x.close("w:style");

    x.close("w:styles");
    x.finish()
}

fn defaults(x: &mut Xml, language: &str) {
    x.open("w:docDefaults", &[]);
    x.open("w:rPrDefault", &[]);
    x.open("w:rPr", &[]);
    x.empty(
        "w:rFonts",
        &[
            ("w:ascii", BODY_FONT),
            ("w:hAnsi", BODY_FONT),
            ("w:cs", BODY_FONT),
            ("w:eastAsia", BODY_FONT),
        ],
    );
    x.empty("w:sz", &[("w:val", "20")]);
    x.empty("w:szCs", &[("w:val", "20")]);
    x.empty("w:lang", &[("w:val", language)]);
    x.close("w:rPr");
    x.close("w:rPrDefault");
    x.open("w:pPrDefault", &[]);
    x.open("w:pPr", &[]);
    x.empty("w:spacing", &[("w:after", "120")]);
    x.close("w:pPr");
    x.close("w:pPrDefault");
    x.close("w:docDefaults");
}

fn code_font(x: &mut Xml) {
    x.empty(
        "w:rFonts",
        &[
            ("w:ascii", CODE_FONT),
            ("w:hAnsi", CODE_FONT),
            ("w:cs", CODE_FONT),
            ("w:eastAsia", CODE_FONT),
        ],
    );
}

fn para(x: &mut Xml, p: Para<'_>, body: impl FnOnce(&mut Xml)) {
    let default = if p.id == "Normal" { "1" } else { "0" };
    x.open(
        "w:style",
        &[
            ("w:type", "paragraph"),
            ("w:default", default),
            ("w:styleId", p.id),
        ],
    );
    x.empty("w:name", &[("w:val", p.name)]);
    if let Some(base) = p.based_on {
        x.empty("w:basedOn", &[("w:val", base)]);
    }
    if let Some(next) = p.next {
        x.empty("w:next", &[("w:val", next)]);
    }
    x.empty("w:qFormat", &[]);
    body(x);
    x.close("w:style");
}

fn character(x: &mut Xml, id: &str, name: &str, body: impl FnOnce(&mut Xml)) {
    x.open("w:style", &[("w:type", "character"), ("w:styleId", id)]);
    x.empty("w:name", &[("w:val", name)]);
    x.open("w:rPr", &[]);
    body(x);
    x.close("w:rPr");
    x.close("w:style");
}
