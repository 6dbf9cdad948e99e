//! `word/numbering.xml`: steps are a Word numbered list that starts where
//! the page's numbering does (step 12 is item 12 wherever its section
//! begins; the back-out plan counts B1, B2, ...), and the notes' own
//! lists keep their bullets and starts.

use super::xml::Xml;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The list definitions, one per kind of list.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Steps = 1,
    BackOut = 2,
    Bullets = 3,
    Ordered = 4,
}

/// The list instances a document asks for while it is written, each with
/// the number it starts from.
#[derive(Default)]
pub struct Numbering {
    instances: Vec<(ListKind, u64)>,
}

impl Numbering {
    /// A new list of `kind` starting at `start`; returns its `w:numId`.
    pub fn start(&mut self, kind: ListKind, start: u64) -> usize {
        self.instances.push((kind, start));
        self.instances.len()
    }

    pub fn xml(&self) -> Vec<u8> {
        let mut x = Xml::new();
        x.open("w:numbering", &[("xmlns:w", W)]);
        abstract_list(&mut x, ListKind::Steps, |_| ("decimal", "%1.".into()), true);
        abstract_list(
            &mut x,
            ListKind::BackOut,
            |_| ("decimal", "B%1.".into()),
            true,
        );
        abstract_list(
            &mut x,
            ListKind::Bullets,
            |level| ("bullet", ["•", "◦", "▪"][level % 3].into()),
            false,
        );
        abstract_list(
            &mut x,
            ListKind::Ordered,
            |level| {
                let format = ["decimal", "lowerLetter", "lowerRoman"][level % 3];
                (format, format!("%{}.", level + 1))
            },
            false,
        );
        for (i, (kind, start)) in self.instances.iter().enumerate() {
            let id = (i + 1).to_string();
            x.open("w:num", &[("w:numId", &id)]);
            x.empty("w:abstractNumId", &[("w:val", &(*kind as u8).to_string())]);
            x.open("w:lvlOverride", &[("w:ilvl", "0")]);
            x.empty("w:startOverride", &[("w:val", &start.to_string())]);
            x.close("w:lvlOverride");
            x.close("w:num");
        }
        x.close("w:numbering");
        x.finish()
    }
}

/// Nine levels, as Word expects; steps hang their number in the margin
/// column the page gives them, bold in the accent colour.
fn abstract_list(
    x: &mut Xml,
    kind: ListKind,
    text: impl Fn(usize) -> (&'static str, String),
    steps: bool,
) {
    x.open(
        "w:abstractNum",
        &[("w:abstractNumId", &(kind as u8).to_string())],
    );
    x.empty(
        "w:multiLevelType",
        &[(
            "w:val",
            if steps {
                "singleLevel"
            } else {
                "hybridMultilevel"
            },
        )],
    );
    for level in 0..9 {
        let (format, label) = text(level);
        x.open("w:lvl", &[("w:ilvl", &level.to_string())]);
        x.empty("w:start", &[("w:val", "1")]);
        x.empty("w:numFmt", &[("w:val", format)]);
        x.empty("w:lvlText", &[("w:val", &label)]);
        x.empty("w:lvlJc", &[("w:val", "left")]);
        let left = if steps { 567 } else { 360 * (level + 1) + 113 };
        x.open("w:pPr", &[]);
        x.empty(
            "w:ind",
            &[
                ("w:left", &left.to_string()),
                ("w:hanging", if steps { "567" } else { "284" }),
            ],
        );
        x.close("w:pPr");
        if steps {
            x.open("w:rPr", &[]);
            x.empty("w:b", &[]);
            x.empty("w:color", &[("w:val", super::styles::ACCENT)]);
            x.close("w:rPr");
        } else if format == "bullet" {
            x.open("w:rPr", &[]);
            x.empty("w:rFonts", &[("w:ascii", "Arial"), ("w:hAnsi", "Arial")]);
            x.close("w:rPr");
        }
        x.close("w:lvl");
    }
    x.close("w:abstractNum");
}
