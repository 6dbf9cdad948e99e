//! Whether an image is one Typst and a browser can draw with bounded work,
//! read from its bytes without drawing it: a PNG's or JPEG's declared size
//! from its header (a 14 KB PNG may declare 100,000 × 100,000 pixels, 40 GB
//! once decoded), an SVG's nodes, entities, nesting and `<use>` repeats.

use std::collections::HashMap;

use roxmltree::{Document, Node, ParsingOptions};

use super::limits::thousands;
use crate::limits::{IMAGE_PIXELS, SVG_DEPTH, SVG_DRAWN, SVG_ENTITIES, SVG_NODES};

/// What is wrong with an image, in words that follow "image `x.png` ".
pub type Refusal = String;

/// Checks `bytes`, an image of `media_type`.
pub fn check(media_type: &str, bytes: &[u8]) -> Result<(), Refusal> {
    match media_type {
        "image/png" => pixels(
            crate::model::image_size::png(bytes)
                .ok_or("is not a PNG file: its header is not one")?,
        ),
        "image/jpeg" => pixels(
            crate::model::image_size::jpeg(bytes)
                .ok_or("is not a JPEG file, or declares no size")?,
        ),
        "image/svg+xml" => svg(bytes),
        _ => Ok(()),
    }
}

fn pixels((width, height): (u32, u32)) -> Result<(), Refusal> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > IMAGE_PIXELS {
        return Err(format!(
            "declares {width} × {height} pixels ({}); an image may have at most {}",
            thousands(pixels),
            thousands(IMAGE_PIXELS)
        ));
    }
    Ok(())
}

fn svg(bytes: &[u8]) -> Result<(), Refusal> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| "is not an SVG file: it is not UTF-8 text")?;
    let entities = text.matches("<!ENTITY").count();
    if entities > SVG_ENTITIES {
        return Err(format!(
            "declares {entities} entities; an SVG image may declare at most {SVG_ENTITIES}"
        ));
    }
    let options = ParsingOptions {
        allow_dtd: true,
        nodes_limit: SVG_NODES,
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => format!(
            "has more than {} nodes; an SVG image may have at most {}",
            thousands(u64::from(SVG_NODES)),
            thousands(u64::from(SVG_NODES))
        ),
        roxmltree::Error::EntityReferenceLoop(pos) => format!(
            "expands its entities too far (line {}, column {} of the image)",
            pos.row, pos.col
        ),
        e => format!("is not an SVG file that can be read: {e}"),
    })?;
    let at = |node: Node| {
        let pos = document.text_pos_at(node.range().start);
        format!("line {}, column {} of the image", pos.row, pos.col)
    };
    // Nesting, without recursing: every node's depth is its parent's + 1.
    let mut depth: HashMap<roxmltree::NodeId, usize> = HashMap::new();
    for node in document.descendants().filter(Node::is_element) {
        let d = node.parent_element().map_or(0, |p| depth[&p.id()]) + 1;
        if d > SVG_DEPTH {
            return Err(format!(
                "nests elements more than {SVG_DEPTH} deep ({}); expected at most {SVG_DEPTH}",
                at(node)
            ));
        }
        depth.insert(node.id(), d);
    }
    for node in document.descendants().filter(|n| n.has_tag_name("image")) {
        embedded(node).map_err(|why| format!("holds an image that {why} ({})", at(node)))?;
    }
    drawn(&document).map_err(|(node, why)| format!("{why} ({})", at(node)))
}

/// Reads an image's width and height from its first bytes.
type Measure = fn(&[u8]) -> Option<(u32, u32)>;

/// An SVG's `<image>` given inline (`data:image/png;base64,…`) is drawn
/// as any other: its declared pixels are checked from its first bytes.
fn embedded(node: Node) -> Result<(), Refusal> {
    use base64::Engine;
    let Some(href) = node
        .attribute(("http://www.w3.org/1999/xlink", "href"))
        .or_else(|| node.attribute("href"))
    else {
        return Ok(());
    };
    let Some((kind, data)) = href
        .trim()
        .strip_prefix("data:")
        .and_then(|d| d.split_once(";base64,"))
    else {
        return Ok(());
    };
    let media_type = kind.trim().to_ascii_lowercase();
    let (size, what): (Measure, _) = match media_type.as_str() {
        "image/png" => (crate::model::image_size::png, "PNG"),
        "image/jpeg" | "image/jpg" => (crate::model::image_size::jpeg, "JPEG"),
        _ => return Ok(()),
    };
    // Decoded whole: it is in the file already, and a JPEG's frame may
    // come after its other segments.
    let data: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|_| format!("is not valid base64 {what}"))?;
    pixels(size(&bytes).ok_or(format!("is not a {what} file"))?)
}

/// How many elements the SVG draws once each `<use>` is replaced by the
/// element it refers to; a `<use>` that refers (through others) to itself
/// is refused, and so is a total past [`SVG_DRAWN`]. Each element's count
/// is worked out once, deepest first, so the work is linear.
fn drawn<'a>(document: &'a Document) -> Result<(), (Node<'a, 'a>, String)> {
    let by_id: HashMap<&str, Node> = document
        .descendants()
        .filter_map(|n| n.attribute("id").map(|id| (id, n)))
        .collect();
    let target = |node: Node<'a, 'a>| -> Option<Node<'a, 'a>> {
        if !node.has_tag_name("use") {
            return None;
        }
        let href = node
            .attribute(("http://www.w3.org/1999/xlink", "href"))
            .or_else(|| node.attribute("href"))?;
        by_id.get(href.strip_prefix('#')?).copied()
    };
    // Each element's count: itself, its children's, and what a `<use>`
    // refers to. Worked out on an explicit stack: uses may chain deeply.
    let mut count: HashMap<roxmltree::NodeId, u64> = HashMap::new();
    let mut in_progress: HashMap<roxmltree::NodeId, bool> = HashMap::new();
    let root = document.root_element();
    let mut stack = vec![(root, false)];
    while let Some((node, children_done)) = stack.pop() {
        if count.contains_key(&node.id()) {
            continue;
        }
        let parts = node.children().filter(Node::is_element).chain(target(node));
        if !children_done {
            if in_progress.insert(node.id(), true).is_some() {
                return Err((node, "has a `<use>` that refers to itself".to_string()));
            }
            stack.push((node, true));
            for part in parts {
                if in_progress.get(&part.id()) == Some(&true) {
                    return Err((node, "has a `<use>` that refers to itself".to_string()));
                }
                if !count.contains_key(&part.id()) {
                    stack.push((part, false));
                }
            }
            continue;
        }
        let total = parts.fold(1u64, |n, part| {
            n.saturating_add(count.get(&part.id()).copied().unwrap_or(0))
        });
        if total > SVG_DRAWN {
            return Err((
                node,
                format!(
                    "draws more than {} elements once its `<use>` elements are repeated; \
                     expected at most {}",
                    thousands(SVG_DRAWN),
                    thousands(SVG_DRAWN)
                ),
            ));
        }
        in_progress.insert(node.id(), false);
        count.insert(node.id(), total);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        bytes.extend(width.to_be_bytes());
        bytes.extend(height.to_be_bytes());
        bytes
    }

    #[test]
    fn a_png_is_measured_by_its_header() {
        assert!(check("image/png", &png(1920, 1080)).is_ok());
        let err = check("image/png", &png(100_000, 100_000)).unwrap_err();
        assert!(err.contains("100000 × 100000"), "{err}");
        assert!(check("image/png", b"GIF89a").is_err());
    }

    #[test]
    fn a_jpeg_is_measured_by_its_frame() {
        // SOI, an APP0 segment of 4 bytes, then SOF0 declaring 30000 × 20000.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8];
        jpeg.extend(20000u16.to_be_bytes());
        jpeg.extend(30000u16.to_be_bytes());
        assert_eq!(crate::model::image_size::jpeg(&jpeg), Some((30000, 20000)));
        assert!(
            check("image/jpeg", &jpeg)
                .unwrap_err()
                .contains("30000 × 20000")
        );
        assert_eq!(crate::model::image_size::jpeg(&[0xFF, 0xD8, 0xFF]), None);
    }

    #[test]
    fn svg_loops_and_repeats_are_refused() {
        let ok = r##"<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><rect/></g><use href="#a"/></svg>"##;
        assert!(check("image/svg+xml", ok.as_bytes()).is_ok());
        let looped =
            r##"<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#a"/></g></svg>"##;
        let err = check("image/svg+xml", looped.as_bytes()).unwrap_err();
        assert!(err.contains("refers to itself"), "{err}");
        // Ten uses of ten uses of ... : 10^7 elements from a few lines.
        let mut svg =
            String::from(r#"<svg xmlns="http://www.w3.org/2000/svg"><g id="l0"><rect/></g>"#);
        for level in 1..8 {
            svg.push_str(&format!("<g id=\"l{level}\">"));
            for _ in 0..10 {
                svg.push_str(&format!("<use href=\"#l{}\"/>", level - 1));
            }
            svg.push_str("</g>");
        }
        svg.push_str("</svg>");
        let err = check("image/svg+xml", svg.as_bytes()).unwrap_err();
        assert!(err.contains("draws more than"), "{err}");
    }

    #[test]
    fn an_image_inside_an_svg_is_measured_too() {
        use base64::Engine;
        let inline = |w, h| {
            let data = base64::engine::general_purpose::STANDARD.encode(png(w, h));
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,{data}"/></svg>"#
            )
        };
        assert!(check("image/svg+xml", inline(800, 600).as_bytes()).is_ok());
        let err = check("image/svg+xml", inline(100_000, 100_000).as_bytes()).unwrap_err();
        assert!(
            err.starts_with("holds an image that declares 100000 × 100000"),
            "{err}"
        );
    }

    #[test]
    fn an_entity_bomb_is_refused() {
        let mut svg =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n<!ENTITY a0 \"lol\">\n");
        for i in 1..10 {
            let prev = format!("&a{};", i - 1).repeat(10);
            svg.push_str(&format!("<!ENTITY a{i} \"{prev}\">\n"));
        }
        svg.push_str("]>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&a9;</text></svg>");
        assert!(check("image/svg+xml", svg.as_bytes()).is_err());
    }
}
