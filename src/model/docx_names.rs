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

/// The bookmark around a step; `id` is the step's anchor on the page
/// (`step-12`, `step-b3`).
pub fn step_bookmark(id: &str) -> String {
    bookmark("T_", id)
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

/// Lowercase hex SHA-256 of the body text: each paragraph's text, joined
/// with a line break.
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
        assert_eq!(step_bookmark("step-b3"), "T_step_b3");
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
