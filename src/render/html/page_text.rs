//! The text of a page's parts that the theme's templates write (scope,
//! who does what, the report's schedule...), read back from the rendered
//! page so search finds what the reader sees there, whatever the theme
//! puts in. Only reads: nothing here writes markup.

/// One part of a rendered page: its id, heading and text.
pub struct Part {
    pub id: String,
    pub title: String,
    pub text: String,
}

/// The parts of `html` with these `ids` (each a `<section id="…">`), in
/// the order given; an id the page does not hold is left out.
pub fn parts(html: &str, ids: &[&str]) -> Vec<Part> {
    let starts = section_starts(html, ids);
    ids.iter()
        .zip(starts)
        .filter_map(|(id, start)| {
            let start = start?;
            let body = &html[start..start + section_len(&html[start..])];
            let title = heading(body).map(text).unwrap_or_default();
            let title = title.trim_end_matches('#').trim().to_string();
            Some(Part {
                id: id.to_string(),
                title,
                text: text(body),
            })
        })
        .collect()
}

/// Where the first section with each of `ids` starts. One vectorised
/// pass over the page, which may be megabytes, however many ids there
/// are; it ends once each is found.
fn section_starts(html: &str, ids: &[&str]) -> Vec<Option<usize>> {
    const OPEN: &str = "<section id=\"";
    let mut starts = vec![None; ids.len()];
    let mut left = ids.len();
    for start in memchr::memmem::find_iter(html.as_bytes(), OPEN) {
        if left == 0 {
            break;
        }
        let rest = &html[start + OPEN.len()..];
        let id = &rest[..rest.find('"').unwrap_or(rest.len())];
        for (wanted, found) in ids.iter().zip(&mut starts) {
            if found.is_none() && *wanted == id {
                *found = Some(start);
                left -= 1;
            }
        }
    }
    starts
}

/// How long the `<section>` at the start of `html` is, up to its own
/// `</section>` (sections nest).
fn section_len(html: &str) -> usize {
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(next) = html[at..].find("<section").map(|i| at + i) {
        let close = html[at..].find("</section>").map(|i| at + i);
        match close {
            Some(c) if c < next => {
                depth = depth.saturating_sub(1);
                at = c + "</section>".len();
                if depth == 0 {
                    return at;
                }
            }
            _ => {
                depth += 1;
                at = next + "<section".len();
            }
        }
    }
    while let Some(c) = html[at..].find("</section>").map(|i| at + i) {
        depth = depth.saturating_sub(1);
        at = c + "</section>".len();
        if depth == 0 {
            return at;
        }
    }
    html.len()
}

/// The first `<h2>`…`<h4>` of `html`, markup and all.
fn heading(html: &str) -> Option<&str> {
    ["<h2", "<h3", "<h4"]
        .iter()
        .filter_map(|tag| {
            let start = html.find(tag)?;
            let end = html[start..].find("</h").map(|e| start + e)?;
            Some((start, &html[start..end]))
        })
        .min_by_key(|(start, _)| *start)
        .map(|(_, h)| h)
}

/// What a reader sees of `html`: tags dropped (a tag ends a word),
/// entities decoded, whitespace squeezed. The anchors' `#` marks go too.
fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        decode_into(&rest[..lt], &mut out);
        out.push(' ');
        let tag_end = rest[lt..].find('>').map_or(rest.len(), |e| lt + e + 1);
        let tag = &rest[lt..tag_end];
        rest = &rest[tag_end..];
        if tag.starts_with("<a class=\"anchor\"") {
            rest = rest.find("</a>").map_or("", |e| &rest[e..]);
        }
    }
    decode_into(rest, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Appends `text` with its character references decoded.
fn decode_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| entity(&after[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
}

fn entity(name: &str) -> Option<char> {
    let number = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse().ok()
    } else {
        None
    };
    if let Some(n) = number {
        return char::from_u32(n);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_reads_as_its_text() {
        let html = "<p>x</p><section id=\"support\" class=\"section\"><h3>Support <em>after</em> hand-off<a class=\"anchor\" href=\"#support\">#</a></h3>\
            <p>On-call support for 2&nbsp;weeks &amp; a <a href=\"x\">call</a>&#x2f;day.</p><section id=\"inner\"><p>in</p></section><p>tail</p></section><p>after</p>";
        let got = parts(html, &["support", "missing"]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].title, "Support after hand-off");
        assert_eq!(
            got[0].text,
            "Support after hand-off On-call support for 2 weeks & a call /day. in tail"
        );
    }
}
