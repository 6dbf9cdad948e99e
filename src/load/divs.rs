//! Fenced divs in notes, as pandoc and Quarto write them:
//!
//! ```markdown
//! ::: {only="production"}
//! Content for Production's copy only.
//! :::
//! ```
//!
//! pulldown-cmark has no such blocks, so a note's body is cut at its
//! `:::` lines first (outside code blocks), and the text between them is
//! parsed as Markdown on its own; positions stay those of the file.

use crate::diagnostic::{Diagnostics, SourceFile};
use crate::limits::DIV_DEPTH;

/// A stretch of a note's body: Markdown, or a div holding more pieces.
#[derive(Debug)]
pub enum Piece<'a> {
    Text {
        /// Byte offset of `text` in the file.
        at: usize,
        text: &'a str,
    },
    Div {
        kind: DivKind,
        /// Byte offset of the attribute that chose it, for messages.
        at: usize,
        pieces: Vec<Piece<'a>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum DivKind {
    /// `only="staging"` or `only="staging, production"`.
    Only(Vec<String>),
    /// `each-host="Message broker"`, optionally `when-none="..."`.
    EachHost {
        role: String,
        when_none: Option<String>,
    },
}

/// Cuts `body` (found at `offset` in `file`) at its fenced-div lines.
pub fn split<'a>(
    file: &SourceFile,
    body: &'a str,
    offset: usize,
    diags: &mut Diagnostics,
) -> Vec<Piece<'a>> {
    // Open divs, innermost last.
    let mut open: Vec<Open<'a>> = Vec::new();
    let mut top: Vec<Piece<'a>> = Vec::new();
    let mut text_start = 0;
    let mut fence: Option<(char, usize)> = None;
    let mut pos = 0;
    for line in body.split_inclusive('\n') {
        let line_start = pos;
        pos += line.len();
        let trimmed = line.trim_end();
        let indent = trimmed.len() - trimmed.trim_start().len();
        let bare = trimmed.trim_start();
        // `:::` inside a code block is code.
        if let Some((c, n)) = fence {
            if indent < 4 && bare.chars().take_while(|&x| x == c).count() >= n {
                fence = None;
            }
            continue;
        }
        if indent < 4 {
            for c in ['`', '~'] {
                let n = bare.chars().take_while(|&x| x == c).count();
                if n >= 3 {
                    fence = Some((c, n));
                }
            }
            if fence.is_some() {
                continue;
            }
        }
        if indent > 3 || !bare.starts_with(":::") {
            continue;
        }
        let rest = bare.trim_start_matches(':').trim();
        let text = &body[text_start..line_start];
        if !text.trim().is_empty() {
            let piece = Piece::Text {
                at: offset + text_start,
                text,
            };
            add(&mut open, &mut top, piece);
        }
        text_start = pos;
        if rest.is_empty() {
            // A closing line.
            match open.pop() {
                Some((kind, at, _, pieces)) => {
                    let div = Piece::Div { kind, at, pieces };
                    add(&mut open, &mut top, div);
                }
                None => diags.push(
                    file.error_at(offset + line_start, "this `:::` closes no block")
                        .with_hint("open a block with a line like `::: {only=\"production\"}`"),
                ),
            }
            continue;
        }
        let attrs_at = offset
            + line_start
            + indent
            + (bare.len() - bare.trim_start_matches(':').trim_start().len());
        if open.len() == DIV_DEPTH {
            // Nothing past this point is read: the note is refused, and
            // every later step would recurse through what it holds.
            diags.push(
                file.error_at(
                    offset + line_start,
                    format!("blocks are nested more than {DIV_DEPTH} deep here; expected at most {DIV_DEPTH}"),
                )
                .with_hint("close a block with `:::` before opening the next one, or combine their conditions"),
            );
            return Vec::new();
        }
        match parse_attributes(rest) {
            Ok(kind) => open.push((kind, attrs_at, offset + line_start, Vec::new())),
            Err(message) => {
                diags.push(file.error_at(attrs_at, message).with_hint(
                    "write `::: {only=\"production\"}` or `::: {each-host=\"Message broker\"}`",
                ));
                // Keep reading: the block's closing line closes this one.
                open.push((
                    DivKind::Only(Vec::new()),
                    attrs_at,
                    offset + line_start,
                    Vec::new(),
                ));
            }
        }
    }
    let text = &body[text_start..];
    if !text.trim().is_empty() {
        let piece = Piece::Text {
            at: offset + text_start,
            text,
        };
        add(&mut open, &mut top, piece);
    }
    while let Some((kind, at, line, pieces)) = open.pop() {
        diags.push(
            file.error_at(line, "this block is never closed")
                .with_hint("end it with a line that holds only `:::`"),
        );
        let div = Piece::Div { kind, at, pieces };
        add(&mut open, &mut top, div);
    }
    top
}

/// An open div: its kind, where its attributes are, where its opening
/// line is, and the pieces it holds so far.
type Open<'a> = (DivKind, usize, usize, Vec<Piece<'a>>);

/// Adds `piece` to the innermost open div, or to the body.
fn add<'a>(open: &mut [Open<'a>], top: &mut Vec<Piece<'a>>, piece: Piece<'a>) {
    match open.last_mut() {
        Some((_, _, _, pieces)) => pieces.push(piece),
        None => top.push(piece),
    }
}

/// `{only="staging"}`, `{each-host="Message broker" when-none="..."}`.
fn parse_attributes(text: &str) -> Result<DivKind, String> {
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .ok_or_else(|| format!("expected attributes in braces after `:::`, found `{text}`"))?;
    let mut pairs = Vec::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .ok_or_else(|| format!("expected `name=\"value\"`, found `{rest}`"))?;
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let value_text = after
            .strip_prefix('"')
            .ok_or_else(|| format!("the value of `{key}` must be in double quotes"))?;
        let end = value_text
            .find('"')
            .ok_or_else(|| format!("the value of `{key}` is not closed with `\"`"))?;
        pairs.push((key.to_string(), value_text[..end].to_string()));
        rest = value_text[end + 1..].trim_start();
    }
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    for (key, _) in &pairs {
        if !["only", "each-host", "when-none"].contains(&key.as_str()) {
            return Err(format!(
                "unknown block attribute `{key}`; blocks take `only`, `each-host` and `when-none`"
            ));
        }
    }
    match (get("only"), get("each-host")) {
        (Some(only), None) => {
            if get("when-none").is_some() {
                return Err("`when-none` goes with `each-host`".into());
            }
            let names: Vec<String> = only
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if names.is_empty() {
                return Err("`only` names no environment".into());
            }
            Ok(DivKind::Only(names))
        }
        (None, Some(role)) if !role.trim().is_empty() => Ok(DivKind::EachHost {
            role: role.trim().to_string(),
            when_none: get("when-none"),
        }),
        (None, Some(_)) => Err("`each-host` names no host role".into()),
        (Some(_), Some(_)) => {
            Err("a block takes `only` or `each-host`, not both; nest them".into())
        }
        (None, None) => Err("a block needs `only` or `each-host`".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(body: &str) -> (Vec<String>, Diagnostics) {
        let file = SourceFile::new("n.md", body);
        let mut diags = Diagnostics::default();
        let out = split(&file, body, 0, &mut diags);
        fn show(p: &Piece, out: &mut Vec<String>) {
            match p {
                Piece::Text { text, .. } => out.push(format!("text:{}", text.trim())),
                Piece::Div { kind, pieces, .. } => {
                    out.push(format!("div:{kind:?}"));
                    for p in pieces {
                        show(p, out);
                    }
                    out.push("end".into());
                }
            }
        }
        let mut shown = Vec::new();
        for p in &out {
            show(p, &mut shown);
        }
        (shown, diags)
    }

    #[test]
    fn divs_nest_and_code_is_left_alone() {
        let (shown, diags) = pieces(
            "a\n::: {only=\"production\"}\nb\n::: {each-host=\"Broker\"}\nc\n:::\n```\n:::\n```\n:::\nd\n",
        );
        assert!(diags.items.is_empty(), "{diags:?}");
        assert_eq!(
            shown,
            vec![
                "text:a",
                "div:Only([\"production\"])",
                "text:b",
                "div:EachHost { role: \"Broker\", when_none: None }",
                "text:c",
                "end",
                "text:```\n:::\n```",
                "end",
                "text:d",
            ]
        );
    }

    #[test]
    fn mistakes_are_reported_where_they_are() {
        let (_, diags) = pieces("::: {olny=\"x\"}\na\n:::\n:::\n::: {only=\"a\"}\n");
        let messages: Vec<_> = diags
            .items
            .iter()
            .map(|d| format!("{}:{} {}", d.line.unwrap(), d.column.unwrap(), d.message))
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("1:5 unknown block attribute `olny`"));
        assert!(messages[1].starts_with("4:1 this `:::` closes no block"));
        assert!(messages[2].starts_with("5:1 this block is never closed"));
    }
}
