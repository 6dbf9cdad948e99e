//! `word/comments.xml` and the threads `word/commentsExtended.xml` keeps:
//! a reply is a comment of its own that names its parent by the id of the
//! parent's last paragraph (`w14:paraId`), and a thread marked done in
//! Word says so there.

use std::collections::BTreeMap;

use roxmltree::{Document, Node};

use super::{W, W_STRICT, attr};

const W14: &str = "http://schemas.microsoft.com/office/word/2010/wordml";
const W15: &str = "http://schemas.microsoft.com/office/word/2012/wordml";

#[derive(Debug, Clone)]
pub struct WordComment {
    pub id: String,
    pub author: String,
    /// `w:date` as written (Word leaves it out when told to remove
    /// personal information).
    pub date: Option<String>,
    /// Its paragraphs, joined with line breaks.
    pub text: String,
    /// The comment it answers (its id).
    pub parent: Option<String>,
    /// Marked done ("Resolve") in Word.
    pub done: bool,
}

/// The comments of `comments` (the comments part), threaded by
/// `extended` (the extended part) when there is one.
pub fn read(comments: &Document, extended: Option<&Document>) -> Vec<WordComment> {
    let mut by_para: BTreeMap<String, String> = BTreeMap::new();
    let mut out: Vec<WordComment> = comments
        .root_element()
        .children()
        .filter(|n| is_w(*n, "comment"))
        .map(|c| {
            let paragraphs: Vec<Node> = c.children().filter(|n| is_w(*n, "p")).collect();
            if let Some(last) = paragraphs.last().and_then(|p| p.attribute((W14, "paraId"))) {
                by_para.insert(last.to_string(), attr(c, "id").to_string());
            }
            WordComment {
                id: attr(c, "id").to_string(),
                author: attr(c, "author").trim().to_string(),
                date: c
                    .attributes()
                    .find(|a| a.name() == "date")
                    .map(|a| a.value().to_string()),
                text: paragraphs
                    .iter()
                    .map(|p| text_of(*p))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .trim()
                    .to_string(),
                parent: None,
                done: false,
            }
        })
        .collect();
    let Some(extended) = extended else {
        return out;
    };
    for ex in extended
        .descendants()
        .filter(|n| n.tag_name().name() == "commentEx")
    {
        let Some(id) = ex.attribute((W15, "paraId")).and_then(|p| by_para.get(p)) else {
            continue;
        };
        let parent = ex
            .attribute((W15, "paraIdParent"))
            .and_then(|p| by_para.get(p))
            .cloned();
        let done = matches!(ex.attribute((W15, "done")), Some("1" | "true"));
        if let Some(c) = out.iter_mut().find(|c| &c.id == id) {
            c.parent = parent;
            c.done = done;
        }
    }
    out
}

/// The text of one paragraph of a comment.
fn text_of(paragraph: Node) -> String {
    let mut out = String::new();
    for n in paragraph.descendants().filter(|n| n.is_element()) {
        let in_run = n.parent_element().is_some_and(|p| is_w(p, "r"));
        match n.tag_name().name() {
            "t" if is_w(n, "t") => out.push_str(n.text().unwrap_or("")),
            "tab" if in_run => out.push('\t'),
            "br" if in_run => out.push('\n'),
            _ => {}
        }
    }
    out
}

fn is_w(node: Node, name: &str) -> bool {
    let ns = node.tag_name().namespace();
    node.tag_name().name() == name && (ns == Some(W) || ns == Some(W_STRICT))
}
