//! The body of `word/document.xml` as the importer needs it: each
//! paragraph (`w:p`, table cells included, in document order) with its
//! text in pieces, each piece marked with the tracked change it belongs
//! to; the section and step bookmarks around each paragraph; and where
//! each comment is anchored and what text it covers.

use std::collections::BTreeMap;

use roxmltree::Node;

use super::{Revision, W, W_STRICT, attr};
use crate::limits::DOCX_XML_DEPTH;

/// Characters of commented text kept to quote in a request.
const QUOTED_CHARS: usize = 200;

/// One `w:p`.
#[derive(Debug, Default)]
pub struct Paragraph {
    /// From 1, in document order: what error messages call it.
    pub number: usize,
    pub pieces: Vec<Piece>,
    /// A tracked change on the paragraph mark: a paragraph split in two
    /// (inserted) or joined with the next (deleted).
    pub mark: Option<Revision>,
    /// Names of the bookmarks open at some point in the paragraph, in the
    /// order they started.
    pub bookmarks: Vec<String>,
    /// A line of the contents, which Word rewrites when it is updated.
    pub contents: bool,
}

/// Text of one run (or a tab, or a line break) and the revision it is in.
#[derive(Debug)]
pub struct Piece {
    pub text: String,
    pub revision: Option<Revision>,
}

/// Where a comment is anchored.
#[derive(Debug, Default)]
pub struct Anchor {
    /// The paragraph its range starts in (or its mark is in).
    pub paragraph: usize,
    /// The text it covers as the reviewer saw it, cut at a few hundred
    /// characters.
    pub quoted: String,
}

#[derive(Debug, Default)]
pub struct Body {
    pub paragraphs: Vec<Paragraph>,
    /// Comment id → anchor.
    pub anchors: BTreeMap<String, Anchor>,
}

/// Walks the body of `document`.
pub fn read(document: &roxmltree::Document) -> Result<Body, String> {
    let mut walk = Walk::default();
    walk.visit(document.root_element(), None, 0)?;
    Ok(walk.body)
}

#[derive(Default)]
struct Walk {
    body: Body,
    /// Bookmark id → name, in the order they started.
    open: Vec<(String, String)>,
    /// The paragraph being read (index into `body.paragraphs`).
    current: Option<usize>,
    /// Comments whose range is open: their text is being collected.
    collecting: Vec<String>,
}

impl Walk {
    fn visit(
        &mut self,
        node: Node,
        revision: Option<&Revision>,
        depth: usize,
    ) -> Result<(), String> {
        if depth > DOCX_XML_DEPTH {
            return Err(format!(
                "its document nests elements more than {DOCX_XML_DEPTH} deep"
            ));
        }
        // Word's fallback for older readers repeats what the choice holds.
        if node.tag_name().name() == "Fallback" {
            return Ok(());
        }
        let ns = node.tag_name().namespace();
        if ns != Some(W) && ns != Some(W_STRICT) {
            return self.children(node, revision, depth);
        }
        match node.tag_name().name() {
            "p" => self.paragraph(node, revision, depth),
            "ins" | "moveTo" => self.children(node, Some(&Revision::of(node, true)), depth),
            "del" | "moveFrom" => self.children(node, Some(&Revision::of(node, false)), depth),
            // Properties hold no text (`w:tab` there is a tab stop).
            "pPr" | "rPr" | "trPr" | "tcPr" | "tblPr" | "sectPr" | "tblGrid" => Ok(()),
            "t" | "delText" => {
                self.text(node.text().unwrap_or(""), revision);
                Ok(())
            }
            "tab" if in_run(node) => {
                self.text("\t", revision);
                Ok(())
            }
            "br" if in_run(node) => {
                self.text("\n", revision);
                Ok(())
            }
            "bookmarkStart" => {
                let (id, name) = (attr(node, "id"), attr(node, "name"));
                if let Some(p) = self.current {
                    self.body.paragraphs[p].bookmarks.push(name.to_string());
                }
                self.open.push((id.to_string(), name.to_string()));
                Ok(())
            }
            "bookmarkEnd" => {
                let id = attr(node, "id");
                self.open.retain(|(open, _)| open != id);
                Ok(())
            }
            "commentRangeStart" => {
                let paragraph = self.paragraph_here();
                self.collecting.push(attr(node, "id").to_string());
                self.body.anchors.insert(
                    attr(node, "id").to_string(),
                    Anchor {
                        paragraph,
                        ..Anchor::default()
                    },
                );
                Ok(())
            }
            "commentRangeEnd" => {
                self.collecting.retain(|id| id != attr(node, "id"));
                Ok(())
            }
            "commentReference" => {
                let paragraph = self.paragraph_here();
                self.body
                    .anchors
                    .entry(attr(node, "id").to_string())
                    .or_insert(Anchor {
                        paragraph,
                        quoted: String::new(),
                    });
                Ok(())
            }
            _ => self.children(node, revision, depth),
        }
    }

    fn children(
        &mut self,
        node: Node,
        revision: Option<&Revision>,
        depth: usize,
    ) -> Result<(), String> {
        for child in node.children().filter(Node::is_element) {
            self.visit(child, revision, depth + 1)?;
        }
        Ok(())
    }

    fn paragraph(
        &mut self,
        node: Node,
        revision: Option<&Revision>,
        depth: usize,
    ) -> Result<(), String> {
        let index = self.body.paragraphs.len();
        self.body.paragraphs.push(Paragraph {
            number: index + 1,
            mark: mark(node),
            contents: crate::model::docx_names::is_contents(node),
            bookmarks: self.open.iter().map(|(_, name)| name.clone()).collect(),
            pieces: Vec::new(),
        });
        let outer = self.current.replace(index);
        self.children(node, revision, depth)?;
        self.current = outer;
        Ok(())
    }

    /// The paragraph being read, or the next one when between two.
    fn paragraph_here(&self) -> usize {
        self.current.map_or(self.body.paragraphs.len() + 1, |p| {
            self.body.paragraphs[p].number
        })
    }

    fn text(&mut self, text: &str, revision: Option<&Revision>) {
        let Some(p) = self.current else { return };
        if text.is_empty() {
            return;
        }
        if revision.is_none_or(|r| r.inserted) {
            for id in &self.collecting {
                let Some(anchor) = self.body.anchors.get_mut(id) else {
                    continue;
                };
                let room = QUOTED_CHARS.saturating_sub(anchor.quoted.chars().count());
                anchor.quoted.extend(text.chars().take(room));
            }
        }
        self.body.paragraphs[p].pieces.push(Piece {
            text: text.to_string(),
            revision: revision.cloned(),
        });
    }
}

/// `w:tab` and `w:br` are text only inside a run.
fn in_run(node: Node) -> bool {
    node.parent_element()
        .is_some_and(|p| p.tag_name().name() == "r")
}

/// The tracked change on a paragraph's mark (`w:pPr/w:rPr/w:ins`).
fn mark(paragraph: Node) -> Option<Revision> {
    let properties = paragraph
        .children()
        .find(|n| n.tag_name().name() == "pPr")?
        .children()
        .find(|n| n.tag_name().name() == "rPr")?;
    properties
        .children()
        .find_map(|n| match n.tag_name().name() {
            "ins" | "moveTo" => Some(Revision::of(n, true)),
            "del" | "moveFrom" => Some(Revision::of(n, false)),
            _ => None,
        })
}
