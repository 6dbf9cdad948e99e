//! Bidirectional control characters in text from people. A right-to-left
//! override (U+202E) in a customer's name would reverse everything after
//! it on the line: the text around it, a command, a version number. Text
//! that holds such characters is isolated (first strong isolate U+2068 …
//! pop directional isolate U+2069), so whatever direction it asks for ends
//! where the value ends, in the HTML and the PDF alike.

use std::borrow::Cow;

/// Opens an isolate whose direction comes from the text inside it.
const FIRST_STRONG_ISOLATE: char = '\u{2068}';
/// Closes the innermost open isolate, and every embedding inside it.
const POP_ISOLATE: char = '\u{2069}';

/// The characters that change the direction of the text after them,
/// with the name a user can look up. (The marks U+200E and U+200F only
/// lean the text beside them, as a letter would, and are left alone.)
pub fn name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        _ => return None,
    })
}

/// Where `text` holds a bidirectional control: byte offsets and names.
pub fn controls(text: &str) -> impl Iterator<Item = (usize, char, &'static str)> + '_ {
    text.char_indices()
        .filter_map(|(i, c)| name(c).map(|n| (i, c, n)))
}

/// Whether `text` holds a bidirectional control anywhere.
pub fn has_controls(text: &str) -> bool {
    // Every control is encoded from the byte 0xE2; most text has none.
    text.as_bytes().contains(&0xE2) && controls(text).next().is_some()
}

/// `text` unchanged when it holds no bidirectional control; otherwise
/// inside an isolate of its own. A pop isolate in `text` that closes
/// nothing opened in it is dropped: it would close the wrapping isolate
/// early and let the rest of the value out.
pub fn isolate(text: &str) -> Cow<'_, str> {
    if !has_controls(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 6);
    out.push(FIRST_STRONG_ISOLATE);
    let mut open_isolates = 0usize;
    for c in text.chars() {
        match c {
            '\u{2066}' | '\u{2067}' | '\u{2068}' => open_isolates += 1,
            POP_ISOLATE if open_isolates == 0 => continue,
            POP_ISOLATE => open_isolates -= 1,
            _ => {}
        }
        out.push(c);
    }
    // The closing pop isolate ends the isolates left open inside, then
    // the wrapping one; embeddings and overrides inside end with them.
    for _ in 0..=open_isolates {
        out.push(POP_ISOLATE);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_left_alone() {
        assert!(matches!(isolate("Acme GmbH"), Cow::Borrowed(_)));
        assert!(matches!(isolate("שלום"), Cow::Borrowed(_)));
    }

    #[test]
    fn an_override_ends_where_the_value_ends() {
        assert_eq!(
            isolate("Acme\u{202E}HbmG"),
            "\u{2068}Acme\u{202E}HbmG\u{2069}"
        );
        // An isolate left open inside is closed as well as the wrapper.
        assert_eq!(isolate("a\u{2067}b"), "\u{2068}a\u{2067}b\u{2069}\u{2069}");
    }

    #[test]
    fn a_pop_isolate_cannot_close_the_wrapper() {
        assert_eq!(isolate("\u{2069}\u{202E}x"), "\u{2068}\u{202E}x\u{2069}");
        assert_eq!(
            isolate("\u{2066}a\u{2069}\u{2069}b"),
            "\u{2068}\u{2066}a\u{2069}b\u{2069}"
        );
    }

    #[test]
    fn controls_are_found_with_their_names() {
        let found: Vec<_> = controls("ab\u{202E}c").collect();
        assert_eq!(found, vec![(2, '\u{202E}', "right-to-left override")]);
    }
}
