//! The words of a request made from Word (every fixed word the importer
//! writes into a request is here): a reviewer's tracked edits in one
//! paragraph in plain words, "In step 12, replace `/opt/cxm` with
//! `/srv/cxm`", "delete `--force`", "insert `sudo` before `systemctl
//! restart`"; a comment, "In step 12, on `ls`: why?". Each run of their
//! revisions with no other text between is one edit; the text around it
//! (as upbook wrote it) says where an insertion goes.

use crate::load::docx::{Paragraph, Revision};

/// Words of context shown beside an insertion.
const CONTEXT_WORDS: usize = 3;

/// The edits `mine` (one reviewer's revisions) made to `paragraph`, in
/// order; `original` tells which text was there when upbook wrote it.
pub fn edits(
    paragraph: &Paragraph,
    mine: &dyn Fn(&Revision) -> bool,
    original: &dyn Fn(Option<&Revision>) -> bool,
) -> Vec<String> {
    let pieces = &paragraph.pieces;
    let gone = paragraph
        .mark
        .as_ref()
        .is_some_and(|m| mine(m) && !m.inserted)
        && pieces
            .iter()
            .all(|p| p.revision.as_ref().is_some_and(|r| mine(r) && !r.inserted));
    if gone && !pieces.is_empty() {
        let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
        return vec![format!("delete the paragraph {}", quote(&text))];
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        if !pieces[i].revision.as_ref().is_some_and(mine) {
            i += 1;
            continue;
        }
        let start = i;
        let (mut old, mut new) = (String::new(), String::new());
        while i < pieces.len() && pieces[i].revision.as_ref().is_some_and(mine) {
            let piece = &pieces[i];
            let inserted = piece.revision.as_ref().is_some_and(|r| r.inserted);
            if inserted { &mut new } else { &mut old }.push_str(&piece.text);
            i += 1;
        }
        let context = |range: &[crate::load::docx::Piece]| -> String {
            range
                .iter()
                .filter(|p| original(p.revision.as_ref()))
                .map(|p| p.text.as_str())
                .collect()
        };
        let before = context(&pieces[..start]);
        let after = context(&pieces[i..]);
        out.push(match (old.is_empty(), new.is_empty()) {
            (false, false) => format!("replace {} with {}", quote(&old), quote(&new)),
            (false, true) => format!("delete {}", quote(&old)),
            _ if before.trim().is_empty() && after.trim().is_empty() => {
                format!("add the paragraph {}", quote(&new))
            }
            _ if !before.trim().is_empty() => {
                format!(
                    "insert {} after {}",
                    quote(&new),
                    quote(&last_words(&before))
                )
            }
            _ => format!(
                "insert {} before {}",
                quote(&new),
                quote(&first_words(&after))
            ),
        });
    }
    if let Some(mark) = paragraph.mark.as_ref().filter(|m| mine(m)) {
        let text: String = pieces
            .iter()
            .filter(|p| original(p.revision.as_ref()))
            .map(|p| p.text.as_str())
            .collect();
        out.push(if mark.inserted {
            format!("start a new paragraph after {}", quote(&last_words(&text)))
        } else {
            "join this paragraph with the next".to_string()
        });
    }
    out
}

/// "In step 12, replace … ; delete …" (a section's title where no step
/// holds the paragraph).
pub fn edit_request(title: &str, step: Option<&str>, edits: &[String]) -> String {
    format!("{}, {}", place(title, step), edits.join("; "))
}

/// "In step 12, on `ls`: why?" or "In Measure the baseline: why?".
pub fn comment_request(
    title: &str,
    step: Option<&str>,
    quoted: Option<&str>,
    text: &str,
) -> String {
    match quoted {
        Some(q) => format!("{}, on {}: {text}", place(title, step), quote(q)),
        None => format!("{}: {text}", place(title, step)),
    }
}

/// A reply to a comment upbook wrote for request `id`.
pub fn reply_request(id: &str, text: &str) -> String {
    format!("Reply on {id}: {text}")
}

fn place(title: &str, step: Option<&str>) -> String {
    match step {
        Some(label) => format!("In step {label}"),
        None => format!("In {title}"),
    }
}

/// Text as a request quotes it: in backticks, on one line, trimmed (a
/// space alone stays a space); in curly quotes when it holds a backtick.
pub fn quote(text: &str) -> String {
    let one_line = text.replace(['\n', '\t'], " ");
    let trimmed = match one_line.trim() {
        "" => one_line.as_str(),
        t => t,
    };
    if trimmed.contains('`') {
        format!("“{trimmed}”")
    } else {
        format!("`{trimmed}`")
    }
}

fn last_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words[words.len().saturating_sub(CONTEXT_WORDS)..].join(" ")
}

fn first_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().take(CONTEXT_WORDS).collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::docx::Piece;

    fn rev(inserted: bool, author: &str) -> Option<Revision> {
        Some(Revision {
            inserted,
            author: author.into(),
            date: Some("2027-01-12T10:00:00Z".into()),
        })
    }

    fn piece(text: &str, revision: Option<Revision>) -> Piece {
        Piece {
            text: text.into(),
            revision,
        }
    }

    fn said(pieces: Vec<Piece>, mark: Option<Revision>) -> Vec<String> {
        let p = Paragraph {
            number: 1,
            pieces,
            mark,
            bookmarks: Vec::new(),
            contents: false,
        };
        edits(&p, &|r| r.author == "Dana", &|r| {
            r.is_none_or(|r| !r.inserted)
        })
    }

    #[test]
    fn a_deletion_then_an_insertion_is_a_replacement() {
        let out = said(
            vec![
                piece("Install into ", None),
                piece("/opt/cxm", rev(false, "Dana")),
                piece("/srv/cxm", rev(true, "Dana")),
                piece(" and ", None),
                piece("--force ", rev(false, "Dana")),
                piece("restart.", None),
            ],
            None,
        );
        assert_eq!(
            out,
            ["replace `/opt/cxm` with `/srv/cxm`", "delete `--force`"]
        );
    }

    #[test]
    fn an_insertion_says_where_and_another_reviewers_edit_is_not_theirs() {
        let out = said(
            vec![
                piece("sudo ", rev(true, "Dana")),
                piece("systemctl restart cxm now", None),
                piece(" please", rev(true, "Lee")),
                piece(" today", rev(true, "Dana")),
            ],
            None,
        );
        assert_eq!(
            out,
            [
                "insert `sudo` before `systemctl restart cxm`",
                "insert `today` after `restart cxm now`"
            ]
        );
    }

    #[test]
    fn a_new_paragraph_and_a_joined_one_say_so() {
        assert_eq!(
            said(vec![piece("Check `df`.", rev(true, "Dana"))], None),
            ["add the paragraph “Check `df`.”"]
        );
        assert_eq!(
            said(vec![piece("One.", None)], rev(false, "Dana")),
            ["join this paragraph with the next"]
        );
        assert!(said(vec![piece("One.", None)], rev(false, "Lee")).is_empty());
        assert_eq!(
            said(
                vec![
                    piece("Old ", rev(false, "Dana")),
                    piece("step.", rev(false, "Dana"))
                ],
                rev(false, "Dana")
            ),
            ["delete the paragraph `Old step.`"]
        );
    }
}
