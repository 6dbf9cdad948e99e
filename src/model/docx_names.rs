//! The names a released .docx and `requests import` must agree on (see
//! the .docx contract): the custom properties that say which release and
//! copy a file is, the bookmark each section and step carries, and the
//! hash of the body text that tells a file edited with Track Changes off.
//! The writer and the reader both call these, so a section found in a
//! reviewed file maps back to the id it was written from.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

/// `playbook` or `changes`.
pub const DOCUMENT: &str = "UpbookDocument";
/// The release version, or `draft`.
pub const VERSION: &str = "UpbookVersion";
/// `playbook`, or the environment's name as its file name spells it.
pub const COPY: &str = "UpbookCopy";
/// [`text_hash`] of the body as upbook wrote it.
pub const TEXT_HASH: &str = "UpbookTextHash";
/// The author and date of the revisions upbook itself wrote.
pub const AUTHOR: &str = "UpbookAuthor";
pub const DATE: &str = "UpbookDate";

/// `UpbookCopy` of the main playbook.
pub const MAIN_COPY: &str = "playbook";
/// `UpbookVersion` of a draft.
pub const DRAFT: &str = "draft";

/// Word refuses longer bookmark names.
const LONGEST: usize = 40;

/// The bookmark around a section.
pub fn section_bookmark(id: &str) -> String {
    bookmark("S_", id)
}

/// The bookmark around a step; `label` is its number as the page shows
/// it (`12`, `B3`).
pub fn step_bookmark(label: &str) -> String {
    bookmark("T_", label)
}

/// Bookmarks the importer does not map back: a part or phase (`P_`) and
/// a heading inside a section (`H_`), there for links.
pub fn part_bookmark(id: &str) -> String {
    bookmark("P_", id)
}

pub fn heading_bookmark(id: &str) -> String {
    bookmark("H_", id)
}

/// The contents list is a Word field that Word rewrites whenever it is
/// updated (adding page numbers): its paragraphs, styled `TOC…`, are left
/// out of the text hash, or updating it would read as an untracked edit.
pub fn is_contents(paragraph: roxmltree::Node) -> bool {
    paragraph
        .children()
        .find(|n| n.tag_name().name() == "pPr")
        .and_then(|p| p.children().find(|n| n.tag_name().name() == "pStyle"))
        .and_then(|s| {
            s.attributes()
                .find(|a| a.name() == "val")
                .map(|a| a.value().starts_with("TOC"))
        })
        .unwrap_or(false)
}

/// `prefix` and `id` with everything but ASCII letters and digits as
/// `_`; past Word's limit, the name's first 31 characters (prefix
/// included), `_` and 8 hex digits of the SHA-256 of the id keep two
/// long ids apart in exactly 40 characters.
fn bookmark(prefix: &str, id: &str) -> String {
    let name: String = prefix
        .chars()
        .chain(id.chars())
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if name.len() <= LONGEST {
        return name;
    }
    let digest = Sha256::digest(id.as_bytes());
    let mut short: String = name.chars().take(31).collect();
    short.push('_');
    for byte in &digest[..4] {
        let _ = write!(short, "{byte:02x}");
    }
    short
}

/// Lowercase hex SHA-256 of the body text: each paragraph's text (the
/// contents' left out), joined with a line break.
pub fn text_hash(text: &str) -> String {
    let mut out = String::with_capacity(64);
    for byte in Sha256::digest(text.as_bytes()) {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_letters_and_digits_and_fit_in_forty_characters() {
        assert_eq!(
            section_bookmark("upgrade-the-message-brokers"),
            "S_upgrade_the_message_brokers"
        );
        assert_eq!(step_bookmark("B3"), "T_B3");
        assert_eq!(
            section_bookmark("re-apply settings.ü"),
            "S_re_apply_settings__"
        );
        let long = "a-very-long-section-id-that-word-would-refuse-whole";
        let name = section_bookmark(long);
        assert_eq!(name.len(), 40);
        assert!(
            name.starts_with("S_a_very_long_section_id_that_w_"),
            "{name}"
        );
        assert_ne!(name, section_bookmark(&format!("{long}-too")));
        // Exactly forty characters stay whole.
        let forty = "x".repeat(38);
        assert_eq!(section_bookmark(&forty), format!("S_{forty}"));
    }

    #[test]
    fn the_hash_is_sha256_in_lowercase_hex() {
        assert_eq!(
            text_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
