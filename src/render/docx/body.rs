//! The body of a Word document as it is written: paragraphs, runs,
//! bookmarks, links and the parts they bring along (list instances,
//! relationships, images). Both documents write through it.

use std::collections::{BTreeMap, HashMap};

use super::numbering::{ListKind, Numbering};
use super::package::{Part, Relationships};
use super::xml::Xml;
use crate::model::Asset;

/// How a run looks.
#[derive(Clone, Copy, Default)]
pub struct Look {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
    pub code: bool,
    pub link: bool,
    pub colour: Option<&'static str>,
}

/// A paragraph's properties.
#[derive(Clone, Copy, Default)]
pub struct ParaLook<'s> {
    pub style: Option<&'s str>,
    /// `(w:numId, w:ilvl)` of the list item it starts.
    pub list: Option<(usize, u8)>,
    /// Extra left indent in twentieths of a point (a step's later blocks).
    pub indent: u32,
    pub keep_next: bool,
    pub page_break_before: bool,
    /// The paragraph mark itself inserted or deleted (a whole paragraph
    /// added or removed in `changes.docx`).
    pub mark: Revised,
}

/// Whether text is a tracked insertion, a tracked deletion, or neither.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub enum Revised {
    #[default]
    No,
    Inserted,
    Deleted,
}

pub struct Body<'a> {
    pub x: Xml,
    pub numbering: Numbering,
    pub rels: Relationships,
    pub media: Vec<Part>,
    assets: &'a BTreeMap<String, Asset>,
    /// A page's anchor (`backup`, `step-12`) to the bookmark that marks it.
    pub anchors: HashMap<String, String>,
    /// Bookmarks to start at the next paragraph, with their ids.
    pending: Vec<(u32, String)>,
    next_bookmark: u32,
    /// Images already in the package: asset name to relationship id.
    images: HashMap<String, (String, (u32, u32))>,
    next_drawing: u32,
    /// The width text may take, in EMU (for images).
    pub text_width_emu: u64,
    /// Who made the tracked changes and when (`w:author`, `w:date`).
    pub revision: Option<(String, Option<String>)>,
}

impl<'a> Body<'a> {
    pub fn new(assets: &'a BTreeMap<String, Asset>, text_width_emu: u64) -> Body<'a> {
        Body {
            x: Xml::new(),
            numbering: Numbering::default(),
            rels: Relationships::default(),
            media: Vec::new(),
            assets,
            anchors: HashMap::new(),
            pending: Vec::new(),
            next_bookmark: 0,
            images: HashMap::new(),
            next_drawing: 1,
            text_width_emu,
            revision: None,
        }
    }

    /// Starts bookmark `name` at the next paragraph; returns its id for
    /// [`Body::end_bookmark`].
    pub fn start_bookmark(&mut self, name: String) -> u32 {
        let id = self.next_id();
        self.pending.push((id, name));
        id
    }

    /// Bookmarks and revisions share one series of ids, so no two
    /// annotations of the body ever share one.
    fn next_id(&mut self) -> u32 {
        let id = self.next_bookmark;
        self.next_bookmark += 1;
        id
    }

    /// The attributes of a revision made now: id, author, date.
    fn revision_attrs(&mut self) -> (String, String, Option<String>) {
        let id = self.next_id().to_string();
        let (author, date) = self.revision.clone().unwrap_or_default();
        (id, author, date)
    }

    fn open_revision(&mut self, element: &str) {
        let (id, author, date) = self.revision_attrs();
        let mut attrs = vec![("w:id", id.as_str()), ("w:author", author.as_str())];
        if let Some(date) = &date {
            attrs.push(("w:date", date.as_str()));
        }
        self.x.open(element, &attrs);
    }

    /// A run of `text` as a tracked insertion, deletion, or plain.
    pub fn revised_run(&mut self, text: &str, look: Look, revised: Revised) {
        match revised {
            Revised::No => self.run(text, look),
            Revised::Inserted => {
                self.open_revision("w:ins");
                self.run(text, look);
                self.x.close("w:ins");
            }
            Revised::Deleted => {
                self.open_revision("w:del");
                self.x.open("w:r", &[]);
                run_properties(&mut self.x, look);
                self.run_text(text, "w:delText");
                self.x.close("w:r");
                self.x.close("w:del");
            }
        }
    }

    /// Ends a bookmark after the paragraphs written since it started.
    pub fn end_bookmark(&mut self, id: u32) {
        if self.pending.iter().any(|(i, _)| *i == id) {
            // Nothing was written under it: an empty paragraph holds it,
            // so the bookmark still exists.
            self.paragraph(ParaLook::default(), |_| {});
        }
        self.x.empty("w:bookmarkEnd", &[("w:id", &id.to_string())]);
    }

    /// Writes one paragraph; `content` writes its runs.
    pub fn paragraph(&mut self, look: ParaLook<'_>, content: impl FnOnce(&mut Body<'a>)) {
        self.x.open("w:p", &[]);
        let has_props = look.style.is_some()
            || look.list.is_some()
            || look.indent > 0
            || look.keep_next
            || look.page_break_before
            || look.mark != Revised::No;
        if has_props {
            self.x.open("w:pPr", &[]);
            if let Some(style) = look.style {
                self.x.empty("w:pStyle", &[("w:val", style)]);
            }
            if look.keep_next {
                self.x.empty("w:keepNext", &[]);
            }
            if look.page_break_before {
                self.x.empty("w:pageBreakBefore", &[]);
            }
            if let Some((num, level)) = look.list {
                self.x.open("w:numPr", &[]);
                self.x.empty("w:ilvl", &[("w:val", &level.to_string())]);
                self.x.empty("w:numId", &[("w:val", &num.to_string())]);
                self.x.close("w:numPr");
            }
            if look.indent > 0 {
                self.x
                    .empty("w:ind", &[("w:left", &look.indent.to_string())]);
            }
            if look.mark != Revised::No {
                let (id, author, date) = self.revision_attrs();
                let mut attrs = vec![("w:id", id.as_str()), ("w:author", author.as_str())];
                if let Some(date) = &date {
                    attrs.push(("w:date", date.as_str()));
                }
                let element = if look.mark == Revised::Inserted {
                    "w:ins"
                } else {
                    "w:del"
                };
                self.x.open("w:rPr", &[]);
                self.x.empty(element, &attrs);
                self.x.close("w:rPr");
            }
            self.x.close("w:pPr");
        }
        for (id, name) in std::mem::take(&mut self.pending) {
            self.x.empty(
                "w:bookmarkStart",
                &[("w:id", &id.to_string()), ("w:name", &name)],
            );
        }
        content(self);
        self.x.close("w:p");
    }

    /// A run of `text` (tabs and line breaks as Word's own elements).
    pub fn run(&mut self, text: &str, look: Look) {
        self.x.open("w:r", &[]);
        run_properties(&mut self.x, look);
        self.run_text(text, "w:t");
        self.x.close("w:r");
    }

    /// The text of a run already opened: `w:t` (or `w:delText` inside a
    /// deletion), with `w:tab` and `w:br` between pieces.
    pub fn run_text(&mut self, text: &str, element: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.x.empty("w:br", &[]);
            }
            for (j, piece) in line.split('\t').enumerate() {
                if j > 0 {
                    self.x.empty("w:tab", &[]);
                }
                if !piece.is_empty() {
                    self.x.leaf(element, &[("xml:space", "preserve")], piece);
                }
            }
        }
    }

    /// A link to a place in this document (by its page anchor) or out of
    /// it; text only when the anchor is not in this document.
    pub fn link(&mut self, url: &str, content: impl FnOnce(&mut Body<'a>, Look)) {
        let linked = Look {
            link: true,
            ..Look::default()
        };
        if let Some(anchor) = url.strip_prefix('#') {
            match self.anchors.get(anchor).cloned() {
                Some(name) => {
                    self.x
                        .open("w:hyperlink", &[("w:anchor", &name), ("w:history", "1")]);
                    content(self, linked);
                    self.x.close("w:hyperlink");
                }
                None => content(self, Look::default()),
            }
        } else if is_external(url) {
            let id = self.rels.external(url);
            self.x
                .open("w:hyperlink", &[("r:id", &id), ("w:history", "1")]);
            content(self, linked);
            self.x.close("w:hyperlink");
        } else {
            content(self, Look::default());
        }
    }

    /// An image from the notes, embedded at its size (scaled down to the
    /// text width); `None` when the package cannot carry it.
    pub fn image(&mut self, src: &str, alt: &str) -> bool {
        let Some((rid, (width, height))) = self.image_relationship(src) else {
            return false;
        };
        // 96 pixels to the inch, 914,400 EMU to the inch.
        let mut cx = u64::from(width) * 9525;
        let mut cy = u64::from(height) * 9525;
        if cx > self.text_width_emu {
            cy = cy * self.text_width_emu / cx;
            cx = self.text_width_emu;
        }
        let id = self.next_drawing.to_string();
        self.next_drawing += 1;
        let (cx, cy) = (cx.to_string(), cy.to_string());
        let x = &mut self.x;
        x.open("w:r", &[]);
        x.open("w:drawing", &[]);
        x.open(
            "wp:inline",
            &[
                ("distT", "0"),
                ("distB", "0"),
                ("distL", "0"),
                ("distR", "0"),
            ],
        );
        x.empty("wp:extent", &[("cx", &cx), ("cy", &cy)]);
        x.empty("wp:docPr", &[("id", &id), ("name", src), ("descr", alt)]);
        x.open(
            "a:graphic",
            &[(
                "xmlns:a",
                "http://schemas.openxmlformats.org/drawingml/2006/main",
            )],
        );
        x.open(
            "a:graphicData",
            &[(
                "uri",
                "http://schemas.openxmlformats.org/drawingml/2006/picture",
            )],
        );
        x.open(
            "pic:pic",
            &[(
                "xmlns:pic",
                "http://schemas.openxmlformats.org/drawingml/2006/picture",
            )],
        );
        x.open("pic:nvPicPr", &[]);
        x.empty("pic:cNvPr", &[("id", &id), ("name", src), ("descr", alt)]);
        x.empty("pic:cNvPicPr", &[]);
        x.close("pic:nvPicPr");
        x.open("pic:blipFill", &[]);
        x.empty("a:blip", &[("r:embed", &rid)]);
        x.open("a:stretch", &[]);
        x.empty("a:fillRect", &[]);
        x.close("a:stretch");
        x.close("pic:blipFill");
        x.open("pic:spPr", &[]);
        x.open("a:xfrm", &[]);
        x.empty("a:off", &[("x", "0"), ("y", "0")]);
        x.empty("a:ext", &[("cx", &cx), ("cy", &cy)]);
        x.close("a:xfrm");
        x.open("a:prstGeom", &[("prst", "rect")]);
        x.empty("a:avLst", &[]);
        x.close("a:prstGeom");
        x.close("pic:spPr");
        x.close("pic:pic");
        x.close("a:graphicData");
        x.close("a:graphic");
        x.close("wp:inline");
        x.close("w:drawing");
        x.close("w:r");
        true
    }

    fn image_relationship(&mut self, src: &str) -> Option<(String, (u32, u32))> {
        if let Some(known) = self.images.get(src) {
            return Some(known.clone());
        }
        let asset = self.assets.get(src)?;
        let (bytes, ext, size) = super::images::for_word(asset)?;
        let name = format!("media/image{}.{ext}", self.images.len() + 1);
        let rid = self.rels.add("image", &name);
        self.media.push(Part {
            name: format!("word/{name}"),
            content_type: None,
            bytes,
        });
        self.images.insert(src.to_string(), (rid.clone(), size));
        Some((rid, size))
    }

    /// A list instance starting at `start`.
    pub fn list(&mut self, kind: ListKind, start: u64) -> usize {
        self.numbering.start(kind, start)
    }
}

pub fn run_properties(x: &mut Xml, look: Look) {
    if !(look.bold || look.italic || look.strike || look.code || look.link || look.colour.is_some())
    {
        return;
    }
    x.open("w:rPr", &[]);
    if look.code {
        x.empty("w:rStyle", &[("w:val", "CodeChar")]);
    } else if look.link {
        x.empty("w:rStyle", &[("w:val", "Hyperlink")]);
    }
    if look.bold {
        x.empty("w:b", &[]);
    }
    if look.italic {
        x.empty("w:i", &[]);
    }
    if look.strike {
        x.empty("w:strike", &[]);
    }
    // Word refuses run properties out of the schema's order.
    if look.code {
        x.empty("w:noProof", &[]);
    }
    if let Some(colour) = look.colour {
        x.empty("w:color", &[("w:val", colour)]);
    }
    x.close("w:rPr");
}

fn is_external(url: &str) -> bool {
    ["https://", "http://", "mailto:"].iter().any(|p| {
        url.get(..p.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(p))
    })
}
