//! Reading the guide's Markdown as GitHub shows it: headings and their
//! anchors, code spans, fenced examples, links.

use std::collections::{BTreeMap, BTreeSet};

/// The heading lines of `page`, with their level and line index.
pub fn headings(page: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut fenced = false;
    for (i, line) in page.lines().enumerate() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            let level = line.chars().take_while(|&c| c == '#').count();
            out.push((i, level, line));
        }
    }
    out
}

/// The code spans of one line.
pub fn code_spans(line: &str) -> Vec<&str> {
    line.split('`').skip(1).step_by(2).collect()
}

/// The fenced blocks of `page` tagged `file=PATH`, as (path, text).
pub fn file_examples(page: &str) -> Vec<(String, String)> {
    let mut examples = Vec::new();
    let mut open: Option<(String, String)> = None;
    let mut fence = "";
    for line in page.lines() {
        match &mut open {
            None if line.starts_with("```") => {
                fence = &line[..line.chars().take_while(|&c| c == '`').count()];
                let path = line[fence.len()..]
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("file="));
                open = Some((path.unwrap_or("").to_string(), String::new()));
            }
            Some(_) if line.trim_end() == fence => {
                let (path, text) = open.take().unwrap();
                if !path.is_empty() {
                    examples.push((path, text));
                }
            }
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    examples
}

/// `text` without fenced blocks and code spans, where `](` is not a link.
pub fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            out.extend(line.split('`').step_by(2));
            out.push('\n');
        }
    }
    out
}

/// GitHub's anchors for the headings of `page`.
pub fn anchors(page: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeSet::new();
    for (_, _, line) in headings(page) {
        let text = line.trim_start_matches('#').trim().replace('`', "");
        // A link in a heading counts by its text.
        let mut plain = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("](") {
            plain.push_str(&rest[..at].replace('[', ""));
            rest = &rest[at..];
            rest = &rest[rest.find(')').map_or(rest.len(), |e| e + 1)..];
        }
        plain.push_str(rest);
        let slug: String = plain
            .to_lowercase()
            .chars()
            .filter(|&c| c.is_alphanumeric() || c == '-' || c == '_' || c == ' ')
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let n = seen.entry(slug.clone()).or_default();
        out.insert(if *n == 0 {
            slug.clone()
        } else {
            format!("{slug}-{n}")
        });
        *n += 1;
    }
    out
}
