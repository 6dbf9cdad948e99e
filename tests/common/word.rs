//! Reading a `.docx` back as Word would: its parts, and its body text
//! as written, with every revision accepted, or with every revision
//! rejected. Written from the WordprocessingML rules, not from upbook's
//! writer, so the tests check the file and not the code that made it.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Every part of the package by name.
pub fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).expect("a zip archive");
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        parts.insert(entry.name().expect("a UTF-8 name").to_string(), bytes);
    }
    parts
}

pub fn part(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        parts
            .get(name)
            .unwrap_or_else(|| panic!("no {name}"))
            .clone(),
    )
    .unwrap()
}

/// Which text of a document with tracked changes to read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Review {
    /// Word's "Accept all".
    Accept,
    /// Word's "Reject all".
    Reject,
}

/// A body paragraph after review, with the bookmarks that start in it.
#[derive(Debug, Clone)]
pub struct Para {
    pub text: String,
    pub style: Option<String>,
    pub bookmarks: Vec<String>,
}

/// One item of the body in order: a paragraph, or a bookmark's end
/// (by name) where it ends.
#[derive(Debug)]
pub enum Item {
    Para(Para),
    End(String),
}

/// The body of `document.xml` after `review`: revisions removed or kept,
/// a paragraph whose mark is removed joined to the next one (as Word
/// does), paragraphs inside tables in order.
pub fn reviewed(document_xml: &str, review: Review) -> Vec<Item> {
    let doc = roxmltree::Document::parse(document_xml).expect("well-formed document.xml");
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .expect("a body");
    let mut names = BTreeMap::new();
    let mut items = Vec::new();
    let mut carried: Option<Para> = None;
    walk(body, review, &mut names, &mut items, &mut carried);
    if let Some(p) = carried {
        items.push(Item::Para(p));
    }
    items
}

fn walk<'a>(
    node: roxmltree::Node<'a, 'a>,
    review: Review,
    names: &mut BTreeMap<String, String>,
    items: &mut Vec<Item>,
    carried: &mut Option<Para>,
) {
    for child in node.children().filter(|n| n.is_element()) {
        let name = child.tag_name().name();
        if child.tag_name().namespace() != Some(W) {
            continue;
        }
        match name {
            "p" => {
                let mut para = paragraph(child, review, names);
                if let Some(before) = carried.take() {
                    para.text = before.text + &para.text;
                    let mut marks = before.bookmarks;
                    marks.append(&mut para.bookmarks);
                    para.bookmarks = marks;
                }
                if mark_removed(child, review) {
                    *carried = Some(para);
                } else {
                    items.push(Item::Para(para));
                }
            }
            "bookmarkStart" => {
                names.insert(attr(child, "id"), attr(child, "name"));
            }
            "bookmarkEnd" => {
                if let Some(name) = names.get(&attr(child, "id")) {
                    items.push(Item::End(name.clone()));
                }
            }
            "tbl" | "tr" | "tc" | "sdt" | "sdtContent" => {
                walk(child, review, names, items, carried)
            }
            _ => {}
        }
    }
}

fn attr(node: roxmltree::Node, name: &str) -> String {
    node.attribute((W, name)).unwrap_or_default().to_string()
}

/// Whether the paragraph mark itself goes away under `review`.
fn mark_removed(p: roxmltree::Node, review: Review) -> bool {
    let removed = match review {
        Review::Accept => "del",
        Review::Reject => "ins",
    };
    p.children()
        .filter(|n| n.has_tag_name((W, "pPr")))
        .flat_map(|n| n.children())
        .filter(|n| n.has_tag_name((W, "rPr")))
        .flat_map(|n| n.children())
        .any(|n| n.has_tag_name((W, removed)))
}

fn paragraph(p: roxmltree::Node, review: Review, names: &mut BTreeMap<String, String>) -> Para {
    let dropped = match review {
        Review::Accept => "del",
        Review::Reject => "ins",
    };
    let mut text = String::new();
    let mut bookmarks = Vec::new();
    let mut style = None;
    for n in p.descendants().filter(|n| n.is_element()) {
        let mut above = n.ancestors().skip(1).take_while(|a| *a != p);
        if above.any(|a| a.has_tag_name((W, dropped)) || a.has_tag_name((W, "pPr"))) {
            if n.has_tag_name((W, "pStyle")) {
                style = n.attribute((W, "val")).map(str::to_string);
            }
            continue;
        }
        let in_run = n.parent().is_some_and(|r| r.has_tag_name((W, "r")));
        match n.tag_name().name() {
            "t" => text.push_str(n.text().unwrap_or("")),
            "delText" if review == Review::Reject => text.push_str(n.text().unwrap_or("")),
            "tab" if in_run => text.push('\t'),
            "br" if in_run => text.push('\n'),
            "bookmarkStart" => {
                let name = attr(n, "name");
                names.insert(attr(n, "id"), name.clone());
                bookmarks.push(name);
            }
            _ => {}
        }
    }
    Para {
        text,
        style,
        bookmarks,
    }
}

/// The paragraphs inside bookmark `name` (its first one included).
pub fn within<'i>(items: &'i [Item], name: &str) -> Vec<&'i Para> {
    let mut out = Vec::new();
    let mut inside = false;
    for item in items {
        match item {
            Item::Para(p) => {
                if p.bookmarks.iter().any(|b| b == name) {
                    inside = true;
                }
                if inside {
                    out.push(p);
                }
            }
            Item::End(end) if end == name && inside => break,
            Item::End(_) => {}
        }
    }
    out
}

/// A custom document property's value.
pub fn property(custom_xml: &str, name: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(custom_xml).expect("well-formed custom.xml");
    doc.descendants()
        .filter(|n| n.tag_name().name() == "property")
        .find(|n| n.attribute("name") == Some(name))
        .and_then(|n| n.descendants().find(|c| c.tag_name().name() == "lpwstr"))
        .map(|c| c.text().unwrap_or("").to_string())
}
