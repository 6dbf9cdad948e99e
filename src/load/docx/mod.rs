//! A .docx that a reviewer sends back (`requests import`): the package
//! ([`package`], read within the limits in `crate::limits`), the body's
//! paragraphs with their tracked changes and bookmarks ([`body`]), the
//! comments and their threads ([`comments`]), and the custom properties
//! upbook wrote into it. Turning these into change requests is the
//! project's business (`project::requests`); this module only reads.

use std::collections::BTreeMap;
use std::path::Path;

use roxmltree::Node;

use crate::diagnostic::Diagnostic;
use crate::limits::DOCX_BYTES;
use crate::model::docx_names;

pub mod body;
pub mod comments;
mod package;

pub use body::{Anchor, Body, Paragraph, Piece};
pub use comments::WordComment;

/// WordprocessingML, as Word writes it and as "Strict" files spell it.
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";

/// A tracked change: who made it, when, and which way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub inserted: bool,
    pub author: String,
    /// `w:date` as written, when there is one.
    pub date: Option<String>,
}

impl Revision {
    fn of(node: Node, inserted: bool) -> Self {
        Revision {
            inserted,
            author: attr(node, "author").trim().to_string(),
            date: node
                .attributes()
                .find(|a| a.name() == "date")
                .map(|a| a.value().to_string()),
        }
    }
}

/// Everything the importer reads from a reviewed .docx.
#[derive(Debug)]
pub struct Reviewed {
    /// The custom document properties (name → text).
    pub properties: BTreeMap<String, String>,
    pub body: Body,
    pub comments: Vec<WordComment>,
}

impl Reviewed {
    /// A property upbook wrote.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties.get(name).map(String::as_str)
    }

    /// Whether `revision` is one upbook wrote itself (in `changes.docx`):
    /// exactly its author and date.
    pub fn is_upbooks(&self, revision: &Revision) -> bool {
        self.property(docx_names::AUTHOR) == Some(revision.author.as_str())
            && self.property(docx_names::DATE) == revision.date.as_deref()
    }

    /// Whether a reviewer tracked any change in the body.
    pub fn has_reviewer_revisions(&self) -> bool {
        self.body.paragraphs.iter().any(|p| {
            p.mark.iter().any(|r| !self.is_upbooks(r))
                || p.pieces
                    .iter()
                    .any(|x| x.revision.as_ref().is_some_and(|r| !self.is_upbooks(r)))
        })
    }

    /// The body text as upbook wrote it, if the only edits are tracked:
    /// upbook's own revisions accepted and every reviewer's rejected. A
    /// paragraph the reviewer split in two is one again.
    pub fn text_as_sent(&self) -> String {
        let mut lines: Vec<String> = Vec::new();
        // A paragraph the reviewer split off runs on into the next.
        let mut open: Option<String> = None;
        for p in self.body.paragraphs.iter().filter(|p| !p.contents) {
            let line = open.get_or_insert_with(String::new);
            for piece in &p.pieces {
                let keep = match &piece.revision {
                    None => true,
                    Some(r) if self.is_upbooks(r) => r.inserted,
                    Some(r) => !r.inserted,
                };
                if keep {
                    line.push_str(&piece.text);
                }
            }
            let split_by_reviewer = p
                .mark
                .as_ref()
                .is_some_and(|r| r.inserted && !self.is_upbooks(r));
            if !split_by_reviewer {
                lines.extend(open.take());
            }
        }
        lines.extend(open);
        lines.join("\n")
    }
}

/// Reads the .docx at `path`; a refusal says what is wrong with it.
pub fn read(path: &Path) -> Result<Reviewed, Diagnostic> {
    let name = path.display();
    let refuse = |why: String| {
        Diagnostic::error(format!("{name} is not a Word document upbook can read: {why}"))
            .with_hint("import the .docx of a release (playbook.docx, a copy such as production.docx, or changes.docx) as the reviewer saved it in Word")
    };
    let size = std::fs::metadata(path)
        .map_err(|e| Diagnostic::error(format!("cannot read {name}: {e}")))?
        .len();
    if size > DOCX_BYTES {
        return Err(refuse(format!(
            "it is larger than {} MB, the most upbook reads",
            DOCX_BYTES >> 20
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Diagnostic::error(format!("cannot read {name}: {e}")))?;
    let mut zip = package::Package::open(bytes).map_err(refuse)?;
    let parts = zip.parts().map_err(refuse)?;
    let main = zip
        .text(&parts.main)
        .map_err(refuse)?
        .ok_or_else(|| refuse(format!("it has no main document ({})", parts.main)))?;
    let main = package::parse(&parts.main, &main).map_err(refuse)?;
    let body = body::read(&main).map_err(refuse)?;
    let properties = match zip.text(&parts.custom).map_err(refuse)? {
        Some(text) => properties(&package::parse(&parts.custom, &text).map_err(refuse)?),
        None => BTreeMap::new(),
    };
    let comments = match parts.comments {
        Some(part) => match zip.text(&part).map_err(refuse)? {
            Some(text) => {
                let xml = package::parse(&part, &text).map_err(refuse)?;
                let extended = match &parts.comments_extended {
                    Some(ext) => zip.text(ext).map_err(refuse)?,
                    None => None,
                };
                let extended = match (&parts.comments_extended, &extended) {
                    (Some(ext), Some(text)) => Some(package::parse(ext, text).map_err(refuse)?),
                    _ => None,
                };
                comments::read(&xml, extended.as_ref())
            }
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    Ok(Reviewed {
        properties,
        body,
        comments,
    })
}

/// The custom properties: `<property name="…"><vt:lpwstr>…</vt:lpwstr>`.
fn properties(xml: &roxmltree::Document) -> BTreeMap<String, String> {
    xml.root_element()
        .children()
        .filter(|n| n.tag_name().name() == "property")
        .filter_map(|p| {
            let name = p.attribute("name")?;
            let value = p.children().find(Node::is_element)?;
            Some((name.to_string(), value.text().unwrap_or("").to_string()))
        })
        .collect()
}

/// A WordprocessingML attribute (`w:id`), empty when there is none.
fn attr<'a>(node: Node<'a, '_>, name: &str) -> &'a str {
    node.attribute((W, name))
        .or_else(|| node.attribute((W_STRICT, name)))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reviewed(body: &str) -> Reviewed {
        let xml = format!(
            "<w:document xmlns:w=\"{W}\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>{body}</w:body></w:document>"
        );
        let document = package::parse("word/document.xml", &xml).unwrap();
        Reviewed {
            properties: [
                (docx_names::AUTHOR.to_string(), "Alex".to_string()),
                (
                    docx_names::DATE.to_string(),
                    "2027-01-01T00:00:00Z".to_string(),
                ),
            ]
            .into(),
            body: body::read(&document).unwrap(),
            comments: Vec::new(),
        }
    }

    #[test]
    fn the_text_as_sent_accepts_upbooks_revisions_and_rejects_the_reviewers() {
        let r = reviewed(concat!(
            // A tab stop is no text; a tab in a run is.
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>",
            "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/></w:r></w:p>",
            // upbook's own revisions, accepted.
            "<w:p><w:del w:author=\"Alex\" w:date=\"2027-01-01T00:00:00Z\"><w:r><w:delText>old</w:delText></w:r></w:del>",
            "<w:ins w:author=\"Alex\" w:date=\"2027-01-01T00:00:00Z\"><w:r><w:t>new</w:t></w:r></w:ins></w:p>",
            // The reviewer's, rejected; the same author on another day
            // is a reviewer too.
            "<w:p><w:r><w:t>keep </w:t></w:r><w:del w:author=\"Dana\" w:date=\"2027-01-12T00:00:00Z\"><w:r><w:delText>this</w:delText></w:r></w:del>",
            "<w:ins w:author=\"Alex\" w:date=\"2027-01-12T00:00:00Z\"><w:r><w:t>that</w:t></w:r></w:ins></w:p>",
            // A paragraph the reviewer split with Enter is one again.
            "<w:p><w:pPr><w:rPr><w:ins w:author=\"Dana\" w:date=\"2027-01-12T00:00:00Z\"/></w:rPr></w:pPr><w:r><w:t>one</w:t></w:r></w:p>",
            "<w:p><w:ins w:author=\"Dana\" w:date=\"2027-01-12T00:00:00Z\"><w:r><w:t>two</w:t></w:r></w:ins></w:p>",
            // A table cell's paragraph counts; Word's fallback copy does not.
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
            "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:t>x</w:t></mc:Choice><mc:Fallback><w:t>x</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>",
        ));
        assert_eq!(r.text_as_sent(), "a\tb\n\nnew\nkeep this\none\ncell\nx");
        assert!(r.has_reviewer_revisions());
        assert_eq!(r.body.paragraphs.len(), 7);
    }

    #[test]
    fn bookmarks_and_comment_anchors_are_found_where_they_are() {
        let r = reviewed(concat!(
            "<w:bookmarkStart w:id=\"1\" w:name=\"S_a\"/>",
            "<w:p><w:r><w:t>A</w:t></w:r></w:p>",
            "<w:p><w:bookmarkStart w:id=\"2\" w:name=\"T_step_1\"/><w:r><w:t>Run </w:t></w:r>",
            "<w:commentRangeStart w:id=\"7\"/><w:r><w:t>ls</w:t></w:r><w:commentRangeEnd w:id=\"7\"/>",
            "<w:bookmarkEnd w:id=\"2\"/><w:bookmarkEnd w:id=\"1\"/></w:p>",
            "<w:p><w:r><w:t>after</w:t></w:r></w:p>",
        ));
        let p = &r.body.paragraphs;
        assert_eq!(p[0].bookmarks, ["S_a"]);
        assert_eq!(p[1].bookmarks, ["S_a", "T_step_1"]);
        assert!(p[2].bookmarks.is_empty());
        assert_eq!(r.body.anchors["7"].paragraph, 2);
        assert_eq!(r.body.anchors["7"].quoted, "ls");
        assert!(!r.has_reviewer_revisions());
    }

    #[test]
    fn elements_nested_past_the_limit_are_refused() {
        let deep = "<w:sdt>".repeat(crate::limits::DOCX_XML_DEPTH + 1)
            + &"</w:sdt>".repeat(crate::limits::DOCX_XML_DEPTH + 1);
        let xml = format!("<w:document xmlns:w=\"{W}\"><w:body>{deep}</w:body></w:document>");
        let document = package::parse("word/document.xml", &xml).unwrap();
        let e = body::read(&document).unwrap_err();
        assert!(e.contains("more than 128 deep"), "{e}");
    }
}
